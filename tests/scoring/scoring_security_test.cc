// Who may call the scoring service, and what it records: a registry server
// and a scoring server in-process, each on a loopback port with mutual TLS
// and the principals of a test CA (scripts/antt-credentials); scoring calls
// the registry with its own SERVICE token. Roles against the access policy,
// missing and bad credentials, an officer limited to one district inside and
// outside it, and the audit chain every mutating call appends to.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "antt/audit/v1/audit.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "common/audit_service.h"
#include "common/auth.h"
#include "common/digest.h"
#include "common/server_runner.h"
#include "services/registry/registry.h"
#include "services/registry/registry_service.h"
#include "services/registry/rocksdb_registry_store.h"
#include "services/scoring/registry_client.h"
#include "services/scoring/registry_follower.h"
#include "services/scoring/rocksdb_scoring_store.h"
#include "services/scoring/scoring_service.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/credentials.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::scoring {
namespace {

namespace rv1 = ::antt::registry::v1;
namespace av1 = ::antt::audit::v1;
using ::antt::registry::testing::Agency;
using ::antt::testing::TestPki;
using ::grpc::StatusCode;

constexpr char kScoringService[] = "antt.scoring.v1.ScoringService";

const CriteriaCatalog& Criteria() {
  return antt::testing::LoadOnce<CriteriaCatalog>([] {
    return CriteriaCatalog::LoadDir(antt::testing::SourceDataDir() +
                                    "/criteria");
  });
}

const registry::AreaCatalog& Areas() { return antt::testing::SourceAreas(); }

std::string Dump(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  return context;
}

// A unit of Hà Nội: outside Quảng Trị, where the fixtures' units lie.
rv1::Unit HanoiAgency(const std::string& name) {
  rv1::Unit unit = Agency(name);
  unit.set_province_code("01");
  unit.clear_commune_code();
  unit.clear_legacy_province_code();
  unit.clear_legacy_district_code();
  unit.clear_legacy_commune_code();
  return unit;
}

// The method name the audit log records for scoring's method `method`.
std::string Audited(const std::string& method) {
  return absl::StrCat(kScoringService, "/", method);
}

class ScoringSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = antt::testing::FreshTestDir();
    pki_ = std::make_unique<TestPki>(dir + "/pki");
    for (const char* name : {"registry", "scoring", "client"}) {
      pki_->IssueCert(name);
    }
    tokens_["admin"] = pki_->IssueToken("admin", "ADMIN");
    tokens_["officer"] = pki_->IssueToken("officer", "OFFICER");
    tokens_["viewer"] = pki_->IssueToken("viewer", "VIEWER");
    tokens_["service"] = pki_->IssueToken("scoring", "SERVICE");
    // Limited to district 461 (Đông Hà) of the 2025-06 lists, where the
    // fixtures' units lie.
    tokens_["dongha"] =
        pki_->IssueToken("dongha-officer", "OFFICER", "461", "2025-06");
    auto authenticator = Authenticator::FromFile(pki_->principals());
    ASSERT_OK(authenticator);
    authenticator_ = *std::move(authenticator);

    // The registry, with mutual TLS.
    auto registry_store =
        registry::RocksDbRegistryStore::Open(dir + "/registry");
    ASSERT_OK(registry_store);
    registry_store_ = *std::move(registry_store);
    registry_ = std::make_unique<registry::Registry>(
        &Areas(), registry_store_.get(),
        [] { return absl::CivilDay(2026, 11, 28); });
    registry_service_ = std::make_unique<registry::RegistryServiceImpl>(
        registry_.get(), authenticator_.get());
    auto registry_server = GrpcServer::Start(
        ServerOptionsFor("antt.registry.v1.RegistryService", "registry"),
        {registry_service_.get()});
    ASSERT_OK(registry_server);
    registry_server_ = *std::move(registry_server);
    const std::string registry_address =
        absl::StrCat("127.0.0.1:", registry_server_->port());
    registry_stub_ = rv1::RegistryService::NewStub(grpc::CreateChannel(
        registry_address, pki_->Credentials("client", tokens_["admin"])));

    // Scoring, calling the registry with its certificate and SERVICE token.
    auto settings = LoadScoringSettings(antt::testing::SourceDataDir() +
                                        "/scoring/settings.json");
    ASSERT_OK(settings);
    settings_ = *settings;
    auto store = RocksDbScoringStore::Open(dir + "/scoring");
    ASSERT_OK(store);
    store_ = *std::move(store);
    GrpcRegistryClientOptions client_options;
    client_options.address = registry_address;
    client_options.deadline = absl::Seconds(5);
    client_options.credentials =
        pki_->Credentials("scoring", tokens_["service"]);
    registry_client_ = NewGrpcRegistryClient(client_options);
    Scoring::Dependencies deps;
    deps.criteria = &Criteria();
    deps.settings = &settings_;
    deps.areas = &Areas();
    deps.store = store_.get();
    deps.registry = registry_client_.get();
    // 10 November 2019, Vietnam time: before the 2019 submission deadline.
    deps.now = [] {
      return absl::FromCivil(absl::CivilSecond(2019, 11, 10, 12, 0, 0),
                             absl::FixedTimeZone(7 * 3600));
    };
    scoring_ = std::make_unique<Scoring>(deps);
    service_ = std::make_unique<ScoringServiceImpl>(scoring_.get(),
                                                    authenticator_.get());
    audit_service_ = std::make_unique<AuditServiceImpl>(store_->audit_log(),
                                                        authenticator_.get());
    auto server =
        GrpcServer::Start(ServerOptionsFor(kScoringService, "scoring"),
                          {service_.get(), audit_service_.get()});
    ASSERT_OK(server);
    server_ = *std::move(server);
    address_ = absl::StrCat("127.0.0.1:", server_->port());

    inside_ = CreateUnit(Agency("Sở Tư pháp"));
    inside_2_ = CreateUnit(Agency("Sở Y tế"));
    outside_ = CreateUnit(HanoiAgency("Sở Tư pháp Hà Nội"));
  }

  void TearDown() override {
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
    if (registry_server_) {
      registry_server_->Shutdown(absl::Now() + absl::Seconds(5));
    }
  }

  ServerOptions ServerOptionsFor(const std::string& service,
                                 const std::string& cert) const {
    ServerOptions options;
    options.service_name = service;
    options.listen = "127.0.0.1:0";
    options.tls = {pki_->cert(cert), pki_->key(cert), pki_->ca()};
    options.authenticator = authenticator_.get();
    return options;
  }

  // Scoring as principal `who` (a key of tokens_), over mutual TLS.
  v1::ScoringService::Stub& As(const std::string& who) {
    std::unique_ptr<v1::ScoringService::Stub>& stub = stubs_[who];
    if (stub == nullptr) {
      stub = v1::ScoringService::NewStub(grpc::CreateChannel(
          address_, pki_->Credentials("client", tokens_.at(who))));
    }
    return *stub;
  }

  // The audit service as `who`.
  std::unique_ptr<av1::AuditService::Stub> AuditAs(const std::string& who) {
    return av1::AuditService::NewStub(grpc::CreateChannel(
        address_, pki_->Credentials("client", tokens_.at(who))));
  }

  rv1::Unit CreateUnit(const rv1::Unit& unit) {
    rv1::CreateUnitRequest request;
    *request.mutable_unit() = unit;
    rv1::Unit created;
    grpc::Status status =
        registry_stub_->CreateUnit(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  // A 2019 submission for an agency (set TT23-2012/CQDN): every condition
  // that takes an answer met, and 95 points.
  static v1::SubmitAssessmentRequest Submission(const std::string& unit_id,
                                                const std::string& request_id) {
    auto set = Criteria().ForKindAndYear(rv1::UNIT_KIND_AGENCY, 2019);
    EXPECT_OK(set);
    v1::SubmitAssessmentRequest request;
    request.set_request_id(request_id);
    v1::Assessment* a = request.mutable_assessment();
    a->set_unit_id(unit_id);
    a->set_year(2019);
    if (!set.ok()) return request;
    for (const v1::Condition& condition : (*set)->conditions()) {
      if (condition.decided_by_events()) continue;
      v1::ConditionAnswer* answer = a->add_conditions();
      answer->set_condition_id(condition.id());
      answer->set_met(true);
    }
    int left = 95;
    for (const v1::PointsItem& item : (*set)->points_items()) {
      const int given = std::min(item.max_points(), left);
      if (given <= 0) break;
      v1::ItemPoints* p = a->add_points();
      p->set_item_id(item.id());
      p->set_points(given);
      left -= given;
    }
    return request;
  }

  static v1::ScoreRequest ScoreOf(const v1::SubmitAssessmentRequest& s) {
    v1::ScoreRequest request;
    request.set_unit_id(s.assessment().unit_id());
    request.set_year(s.assessment().year());
    *request.mutable_conditions() = s.assessment().conditions();
    *request.mutable_points() = s.assessment().points();
    return request;
  }

  static v1::ReviewAssessmentRequest Approval(const v1::Assessment& a) {
    v1::ReviewAssessmentRequest request;
    request.set_id(a.id());
    request.set_etag(a.etag());
    request.set_approve(true);
    return request;
  }

  static v1::RecognizeAssessmentsRequest Decision(
      const std::vector<std::string>& ids) {
    v1::RecognizeAssessmentsRequest request;
    for (const std::string& id : ids) request.add_assessment_ids(id);
    request.set_recognized(true);
    request.set_decision_number("45/QĐ-UBND");
    request.mutable_decision_date()->set_year(2019);
    request.mutable_decision_date()->set_month(11);
    request.mutable_decision_date()->set_day(28);
    request.set_authority("UBND tỉnh Quảng Trị");
    return request;
  }

  grpc::Status Submit(const std::string& who,
                      const v1::SubmitAssessmentRequest& request,
                      v1::Assessment* out) {
    return As(who).SubmitAssessment(Context().get(), request, out);
  }

  v1::Assessment MustSubmit(const std::string& who,
                            const v1::SubmitAssessmentRequest& request) {
    v1::Assessment out;
    grpc::Status status = Submit(who, request, &out);
    EXPECT_TRUE(status.ok()) << who << ": " << Dump(status);
    return out;
  }

  v1::Assessment MustReview(const std::string& who, const v1::Assessment& a) {
    v1::Assessment out;
    grpc::Status status =
        As(who).ReviewAssessment(Context().get(), Approval(a), &out);
    EXPECT_TRUE(status.ok()) << who << ": " << Dump(status);
    return out;
  }

  grpc::Status Get(const std::string& who, const std::string& id,
                   v1::Assessment* out = nullptr) {
    v1::GetAssessmentRequest request;
    request.set_id(id);
    v1::Assessment ignored;
    return As(who).GetAssessment(Context().get(), request,
                                 out != nullptr ? out : &ignored);
  }

  grpc::Status List(const std::string& who, const std::string& unit_id,
                    const std::string& edition, const std::string& area_code,
                    int* total = nullptr) {
    v1::ListAssessmentsRequest request;
    request.set_unit_id(unit_id);
    request.set_edition(edition);
    request.set_area_code(area_code);
    v1::ListAssessmentsResponse response;
    grpc::Status status =
        As(who).ListAssessments(Context().get(), request, &response);
    if (total != nullptr) *total = response.total_size();
    return status;
  }

  grpc::Status Stats(const std::string& who, const std::string& edition,
                     const std::string& area_code) {
    v1::GetSafetyStatsRequest request;
    request.set_first_year(2019);
    request.set_last_year(2019);
    request.set_edition(edition);
    request.set_area_code(area_code);
    v1::GetSafetyStatsResponse response;
    return As(who).GetSafetyStats(Context().get(), request, &response);
  }

  // Every audit record, read as ADMIN.
  std::vector<av1::AuditRecord> AuditRecords() {
    av1::ListAuditRecordsRequest request;
    request.set_page_size(1000);
    av1::ListAuditRecordsResponse response;
    grpc::Status status =
        AuditAs("admin")->ListAuditRecords(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return {response.records().begin(), response.records().end()};
  }

  av1::VerifyAuditChainResponse VerifyChain() {
    av1::VerifyAuditChainResponse response;
    grpc::Status status = AuditAs("admin")->VerifyAuditChain(
        Context().get(), av1::VerifyAuditChainRequest(), &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response;
  }

  std::unique_ptr<TestPki> pki_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<Authenticator> authenticator_;
  ScoringSettings settings_;

  std::unique_ptr<registry::RocksDbRegistryStore> registry_store_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<registry::RegistryServiceImpl> registry_service_;
  std::unique_ptr<GrpcServer> registry_server_;
  std::unique_ptr<rv1::RegistryService::Stub> registry_stub_;

  std::unique_ptr<RocksDbScoringStore> store_;
  std::unique_ptr<RegistryClient> registry_client_;
  std::unique_ptr<Scoring> scoring_;
  std::unique_ptr<ScoringServiceImpl> service_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<GrpcServer> server_;
  std::string address_;
  std::map<std::string, std::unique_ptr<v1::ScoringService::Stub>> stubs_;

  rv1::Unit inside_;    // district 461 of 2025-06
  rv1::Unit inside_2_;  // district 461 of 2025-06
  rv1::Unit outside_;   // Hà Nội
};

TEST(ScoringAccessPolicyTest, CoversEveryMethod) {
  EXPECT_OK(ScoringAccessPolicy().Validate());
  EXPECT_EQ(ScoringAccessPolicy().RolesFor("Score"), kReaders);
  EXPECT_EQ(ScoringAccessPolicy().RolesFor("RecognizeAssessments"), kWriters);
}

TEST_F(ScoringSecurityTest, EveryRoleReadsAndScoresOnlyWritersWrite) {
  const v1::SubmitAssessmentRequest submission =
      Submission(inside_.id(), "role-probe");
  for (const std::string who : {"admin", "officer", "viewer", "service"}) {
    SCOPED_TRACE(who);
    // A read.
    v1::GetCriteriaSetRequest get_set;
    get_set.set_id("TT23-2012/CQDN");
    v1::CriteriaSet set;
    grpc::Status status =
        As(who).GetCriteriaSet(Context().get(), get_set, &set);
    EXPECT_TRUE(status.ok()) << Dump(status);
    EXPECT_TRUE(List(who, inside_.id(), "", "").ok());
    // Score by unit: scoring asks the registry with its own SERVICE token.
    v1::ScoreResult result;
    status = As(who).Score(Context().get(), ScoreOf(submission), &result);
    EXPECT_TRUE(status.ok()) << Dump(status);
    EXPECT_EQ(result.criteria_set_id(), "TT23-2012/CQDN");
    EXPECT_TRUE(result.meets_standard());
  }

  // The writes: ADMIN and OFFICER may, VIEWER and SERVICE may not.
  const v1::Assessment by_admin =
      MustSubmit("admin", Submission(inside_.id(), "by-admin"));
  const v1::Assessment by_officer =
      MustSubmit("officer", Submission(inside_2_.id(), "by-officer"));
  EXPECT_EQ(by_admin.stage(), v1::STAGE_SUBMITTED);
  EXPECT_EQ(by_officer.stage(), v1::STAGE_SUBMITTED);
  for (const std::string who : {"viewer", "service"}) {
    SCOPED_TRACE(who);
    v1::Assessment out;
    grpc::Status status =
        Submit(who, Submission(outside_.id(), "by-" + who), &out);
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
        << Dump(status);
    const std::string name = who == "service" ? "scoring" : who;
    EXPECT_NE(status.error_message().find(name), std::string::npos)
        << Dump(status);
    EXPECT_NE(status.error_message().find("SubmitAssessment"),
              std::string::npos)
        << Dump(status);
    status =
        As(who).ReviewAssessment(Context().get(), Approval(by_admin), &out);
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
        << Dump(status);
    v1::RecognizeAssessmentsResponse recognized;
    status = As(who).RecognizeAssessments(
        Context().get(), Decision({by_admin.id()}), &recognized);
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
        << Dump(status);
  }
  int total = 0;
  ASSERT_TRUE(List("admin", "", "", "", &total).ok());
  EXPECT_EQ(total, 2);  // nothing from the viewer or the service
  const v1::Assessment reviewed = MustReview("officer", by_admin);
  EXPECT_EQ(reviewed.stage(), v1::STAGE_REVIEWED);
  v1::RecognizeAssessmentsResponse recognized;
  grpc::Status status = As("admin").RecognizeAssessments(
      Context().get(), Decision({reviewed.id()}), &recognized);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(recognized.assessments(0).stage(), v1::STAGE_RECOGNIZED);
}

TEST_F(ScoringSecurityTest, NoTokenOrABadTokenIsUnauthenticated) {
  const auto call_with = [&](const std::string& token) {
    auto stub = v1::ScoringService::NewStub(
        grpc::CreateChannel(address_, pki_->Credentials("client", token)));
    v1::GetCriteriaSetRequest get_set;
    get_set.set_id("TT23-2012/CQDN");
    v1::CriteriaSet set;
    grpc::Status read = stub->GetCriteriaSet(Context().get(), get_set, &set);
    EXPECT_EQ(read.error_code(), StatusCode::UNAUTHENTICATED) << Dump(read);
    v1::Assessment out;
    grpc::Status write = stub->SubmitAssessment(
        Context().get(), Submission(inside_.id(), "anonymous"), &out);
    EXPECT_EQ(write.error_code(), StatusCode::UNAUTHENTICATED) << Dump(write);
  };
  call_with("");
  // A well-formed token nobody was issued, and one that is not even hex.
  call_with(std::string(64, 'a'));
  call_with("not a token");
  // Nothing was written, so nothing was audited.
  int total = -1;
  ASSERT_TRUE(List("admin", "", "", "", &total).ok());
  EXPECT_EQ(total, 0);
  EXPECT_TRUE(AuditRecords().empty());
}

TEST_F(ScoringSecurityTest, TheTransportNeedsTlsAndAClientCertificate) {
  const auto list_sets = [&](std::shared_ptr<grpc::ChannelCredentials> c) {
    auto stub = v1::ScoringService::NewStub(grpc::CreateChannel(address_, c));
    v1::ListCriteriaSetsResponse response;
    auto context = Context();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(3));
    return stub->ListCriteriaSets(context.get(), v1::ListCriteriaSetsRequest(),
                                  &response);
  };
  EXPECT_EQ(list_sets(grpc::InsecureChannelCredentials()).error_code(),
            StatusCode::UNAVAILABLE);
  // TLS, and a good token, but no client certificate: mutual TLS refuses.
  grpc::SslCredentialsOptions no_cert;
  no_cert.pem_root_certs = antt::testing::Slurp(pki_->ca());
  EXPECT_EQ(list_sets(grpc::CompositeChannelCredentials(
                          grpc::SslCredentials(no_cert),
                          grpc::AccessTokenCredentials(tokens_["admin"])))
                .error_code(),
            StatusCode::UNAVAILABLE);
  EXPECT_TRUE(list_sets(pki_->Credentials("client", tokens_["viewer"])).ok());
}

TEST_F(ScoringSecurityTest, AnOfficerSubmitsAndReadsInsideItsAreaOnly) {
  // Inside district 461: submitted, read, listed by unit and by area.
  const v1::Assessment mine =
      MustSubmit("dongha", Submission(inside_.id(), "dongha-1"));
  EXPECT_EQ(mine.unit().legacy_district_code(), "461");
  EXPECT_TRUE(Get("dongha", mine.id()).ok());
  int total = 0;
  ASSERT_TRUE(List("dongha", inside_.id(), "", "", &total).ok());
  EXPECT_EQ(total, 1);
  ASSERT_TRUE(List("dongha", "", "2025-06", "461", &total).ok());
  EXPECT_EQ(total, 1);
  v1::ScoreResult result;
  grpc::Status status = As("dongha").Score(
      Context().get(), ScoreOf(Submission(inside_.id(), "")), &result);
  EXPECT_TRUE(status.ok()) << Dump(status);

  // Outside it: Hà Nội's unit, whose assessment an ADMIN submitted.
  v1::Assessment out;
  status = Submit("dongha", Submission(outside_.id(), "dongha-2"), &out);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << Dump(status);
  EXPECT_NE(status.error_message().find("dongha-officer"), std::string::npos)
      << Dump(status);
  EXPECT_NE(status.error_message().find("unit " + outside_.id()),
            std::string::npos)
      << Dump(status);
  const v1::Assessment theirs =
      MustSubmit("admin", Submission(outside_.id(), "admin-1"));
  status = Get("dongha", theirs.id());
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << Dump(status);
  EXPECT_NE(status.error_message().find("assessment " + theirs.id()),
            std::string::npos)
      << Dump(status);
  status = List("dongha", outside_.id(), "", "");
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << Dump(status);
  status = As("dongha").Score(Context().get(),
                              ScoreOf(Submission(outside_.id(), "")), &result);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << Dump(status);
  // Area filters: the province around the district, another province, and
  // none at all are outside; the unrestricted officer sees everything.
  for (const auto& [edition, area] :
       std::vector<std::pair<std::string, std::string>>{
           {"2025-06", "45"}, {"", "01"}, {"", ""}}) {
    SCOPED_TRACE(edition + "/" + area);
    status = List("dongha", "", edition, area);
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
        << Dump(status);
  }
  ASSERT_TRUE(List("officer", "", "", "", &total).ok());
  EXPECT_EQ(total, 2);
  ASSERT_TRUE(Get("officer", theirs.id()).ok());
}

TEST_F(ScoringSecurityTest, AnOfficersDecisionAndStatisticsStayInItsArea) {
  const v1::Assessment mine =
      MustReview("admin", MustSubmit("admin", Submission(inside_.id(), "in")));
  const v1::Assessment theirs = MustReview(
      "admin", MustSubmit("admin", Submission(outside_.id(), "out")));

  // One assessment outside the district: the whole decision is refused.
  v1::RecognizeAssessmentsResponse recognized;
  grpc::Status status = As("dongha").RecognizeAssessments(
      Context().get(), Decision({mine.id(), theirs.id()}), &recognized);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << Dump(status);
  for (const v1::Assessment& a : {mine, theirs}) {
    v1::Assessment stored;
    ASSERT_TRUE(Get("admin", a.id(), &stored).ok());
    EXPECT_EQ(stored.stage(), v1::STAGE_REVIEWED);
  }
  status = As("dongha").RecognizeAssessments(
      Context().get(), Decision({mine.id()}), &recognized);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(recognized.assessments(0).stage(), v1::STAGE_RECOGNIZED);

  EXPECT_TRUE(Stats("dongha", "2025-06", "461").ok());
  // A commune of the district lies inside it.
  EXPECT_TRUE(Stats("dongha", "2025-06", "19330").ok());
  for (const auto& [edition, area] :
       std::vector<std::pair<std::string, std::string>>{
           {"2025-06", "45"}, {"2025-06", "462"}, {"", "01"}, {"", ""}}) {
    SCOPED_TRACE(edition + "/" + area);
    status = Stats("dongha", edition, area);
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
        << Dump(status);
    EXPECT_NE(status.error_message().find("dongha-officer"), std::string::npos)
        << Dump(status);
  }
  EXPECT_TRUE(Stats("viewer", "", "").ok());
}

TEST_F(ScoringSecurityTest, EveryMutationAppendsOneAuditRecord) {
  // The follower's mirror writes serve no call: no record.
  RegistryFollower follower(registry_client_.get(), store_.get(),
                            absl::Seconds(1));
  ASSERT_OK(follower.SyncOnce());
  ASSERT_GT(store_->RegistrySequence(), 0u);
  EXPECT_TRUE(AuditRecords().empty());

  const v1::SubmitAssessmentRequest submit_1 =
      Submission(inside_.id(), "audit-1");
  const v1::SubmitAssessmentRequest submit_2 =
      Submission(inside_2_.id(), "audit-2");
  const v1::Assessment a1 = MustSubmit("officer", submit_1);
  const v1::Assessment a2 = MustSubmit("dongha", submit_2);
  const v1::ReviewAssessmentRequest review_1 = Approval(a1);
  const v1::ReviewAssessmentRequest review_2 = Approval(a2);
  v1::Assessment out;
  ASSERT_TRUE(
      As("admin").ReviewAssessment(Context().get(), review_1, &out).ok());
  ASSERT_TRUE(
      As("officer").ReviewAssessment(Context().get(), review_2, &out).ok());
  const v1::RecognizeAssessmentsRequest decision = Decision({a2.id(), a1.id()});
  v1::RecognizeAssessmentsResponse recognized;
  grpc::Status status =
      As("admin").RecognizeAssessments(Context().get(), decision, &recognized);
  ASSERT_TRUE(status.ok()) << Dump(status);
  // Reads write nothing and are not audited.
  ASSERT_TRUE(Get("admin", a1.id()).ok());
  ASSERT_TRUE(List("viewer", "", "", "").ok());

  const std::vector<av1::AuditRecord> records = AuditRecords();
  struct Expected {
    std::string caller;
    std::string method;
    std::vector<std::string> targets;
    std::string request_sha256;
  };
  const std::vector<Expected> expected = {
      {"officer",
       Audited("SubmitAssessment"),
       {a1.id()},
       Sha256Hex(submit_1.SerializeAsString())},
      {"dongha-officer",
       Audited("SubmitAssessment"),
       {a2.id()},
       Sha256Hex(submit_2.SerializeAsString())},
      {"admin",
       Audited("ReviewAssessment"),
       {a1.id()},
       Sha256Hex(review_1.SerializeAsString())},
      {"officer",
       Audited("ReviewAssessment"),
       {a2.id()},
       Sha256Hex(review_2.SerializeAsString())},
      {"admin",
       Audited("RecognizeAssessments"),
       {a2.id(), a1.id()},
       Sha256Hex(decision.SerializeAsString())},
  };
  ASSERT_EQ(records.size(), expected.size());
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(i);
    const av1::AuditRecord& record = records[i];
    EXPECT_EQ(record.sequence(), i + 1);
    EXPECT_EQ(record.caller(), expected[i].caller);
    EXPECT_EQ(record.method(), expected[i].method);
    EXPECT_EQ(std::vector<std::string>(record.target_ids().begin(),
                                       record.target_ids().end()),
              expected[i].targets);
    EXPECT_EQ(record.request_sha256(), expected[i].request_sha256);
    EXPECT_EQ(record.previous_hash(),
              i == 0 ? std::string(64, '0') : records[i - 1].hash());
    EXPECT_EQ(record.hash(), AuditLog::HashOf(record));
    // The caller's token appears nowhere in it.
    for (const auto& [who, token] : tokens_) {
      EXPECT_EQ(record.SerializeAsString().find(token), std::string::npos)
          << who;
    }
  }
  const av1::VerifyAuditChainResponse verified = VerifyChain();
  EXPECT_TRUE(verified.intact()) << verified.problem();
  EXPECT_EQ(verified.records_checked(), expected.size());
  EXPECT_EQ(verified.last_hash(), records.back().hash());
}

TEST_F(ScoringSecurityTest, ARejectedWriteAppendsNoAuditRecord) {
  const v1::Assessment a =
      MustSubmit("admin", Submission(inside_.id(), "first"));
  ASSERT_EQ(AuditRecords().size(), 1u);

  v1::Assessment out;
  // A retry of the same request: the first answer, nothing written.
  ASSERT_TRUE(Submit("admin", Submission(inside_.id(), "first"), &out).ok());
  EXPECT_EQ(out.SerializeAsString(), a.SerializeAsString());
  // A second assessment for the same unit and year.
  grpc::Status status =
      Submit("admin", Submission(inside_.id(), "duplicate"), &out);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS) << Dump(status);
  // A stale etag.
  v1::ReviewAssessmentRequest stale = Approval(a);
  stale.set_etag("999");
  status = As("admin").ReviewAssessment(Context().get(), stale, &out);
  EXPECT_EQ(status.error_code(), StatusCode::ABORTED) << Dump(status);
  // A decision on an assessment not yet reviewed.
  v1::RecognizeAssessmentsResponse recognized;
  status = As("admin").RecognizeAssessments(Context().get(), Decision({a.id()}),
                                            &recognized);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  // The wrong role, and an officer outside its area.
  status = Submit("viewer", Submission(inside_2_.id(), "viewer"), &out);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << Dump(status);
  status = Submit("dongha", Submission(outside_.id(), "dongha"), &out);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << Dump(status);
  // Bad input.
  v1::SubmitAssessmentRequest no_unit = Submission("", "no-unit");
  status = Submit("admin", no_unit, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);

  EXPECT_EQ(AuditRecords().size(), 1u);
  EXPECT_TRUE(VerifyChain().intact());
  ASSERT_TRUE(Get("admin", a.id(), &out).ok());
  EXPECT_EQ(out.SerializeAsString(), a.SerializeAsString());
}

TEST_F(ScoringSecurityTest, OnlyAnAdminReadsTheAuditLog) {
  MustSubmit("admin", Submission(inside_.id(), "one"));
  for (const std::string who : {"officer", "dongha", "viewer", "service"}) {
    SCOPED_TRACE(who);
    av1::ListAuditRecordsRequest list;
    av1::ListAuditRecordsResponse records;
    grpc::Status status =
        AuditAs(who)->ListAuditRecords(Context().get(), list, &records);
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
        << Dump(status);
    EXPECT_EQ(records.records_size(), 0);
    av1::VerifyAuditChainResponse verified;
    status = AuditAs(who)->VerifyAuditChain(
        Context().get(), av1::VerifyAuditChainRequest(), &verified);
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
        << Dump(status);
  }
  EXPECT_EQ(AuditRecords().size(), 1u);
}

}  // namespace
}  // namespace antt::scoring
