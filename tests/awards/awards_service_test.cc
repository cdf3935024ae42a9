// Every awards RPC through a real gRPC server on a loopback port, with a real
// RocksDB store and the shipped award catalogue, wired with the real gRPC
// clients to a real registry server and a real scoring server (each on its
// own loopback port). Units and persons are created through the registry's
// RPCs and assessments recognised through scoring's, so eligibility is
// decided from real data; each RPC's success path and each error code it
// returns, including UNAVAILABLE when the registry or scoring is shut down.

#include "services/awards/awards_service.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "antt/awards/v1/awards.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "common/server_runner.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/awards/award_catalog.h"
#include "services/awards/awards.h"
#include "services/awards/dependencies.h"
#include "services/awards/rocksdb_awards_store.h"
#include "services/registry/registry.h"
#include "services/registry/registry_service.h"
#include "services/registry/rocksdb_registry_store.h"
#include "services/scoring/registry_client.h"
#include "services/scoring/rocksdb_scoring_store.h"
#include "services/scoring/scoring_service.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::awards {
namespace {

using ::antt::testing::BadFields;

namespace rv1 = ::antt::registry::v1;
namespace sv1 = ::antt::scoring::v1;
using ::antt::registry::testing::Agency;
using ::grpc::StatusCode;
using Clock = std::chrono::steady_clock;

const AwardCatalog& Catalog() {
  return antt::testing::LoadOnce<AwardCatalog>([] {
    return AwardCatalog::Load(antt::testing::SourceDataDir() +
                              "/awards/award_types.json");
  });
}

const scoring::CriteriaCatalog& Criteria() {
  static const scoring::CriteriaCatalog* catalog = [] {
    auto loaded = scoring::CriteriaCatalog::LoadDir(
        antt::testing::SourceDataDir() + "/criteria");
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return loaded->release();
  }();
  return *catalog;
}

const registry::AreaCatalog& Areas() { return antt::testing::SourceAreas(); }

google::type::Date Date(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::string Dump(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

// The result of `rule` (e.g. "BK_UBND_TINH.recognized_last_years") or
// nullptr.
const v1::RuleResult* Rule(
    const google::protobuf::RepeatedPtrField<v1::RuleResult>& results,
    const std::string& rule) {
  for (const v1::RuleResult& r : results) {
    if (r.rule() == rule) return &r;
  }
  return nullptr;
}

// A person working in `unit_id` with no leading or protection-team position.
rv1::Person Officer(const std::string& name, const std::string& unit_id) {
  rv1::Person person;
  person.set_full_name(name);
  person.set_gender(rv1::GENDER_FEMALE);
  person.set_birth_year(1985);
  person.set_unit_id(unit_id);
  return person;
}

class AwardsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = antt::testing::FreshTestDir();

    // The registry, in-process on a loopback port.
    auto registry_store =
        registry::RocksDbRegistryStore::Open(dir + "/registry");
    ASSERT_OK(registry_store);
    registry_store_ = *std::move(registry_store);
    registry_ = std::make_unique<registry::Registry>(
        &Areas(), registry_store_.get(),
        [] { return absl::CivilDay(2020, 3, 1); });
    registry_service_ = std::make_unique<registry::RegistryServiceImpl>(
        registry_.get(), authenticator_.get());
    registry_server_ = StartServer("antt.registry.v1.RegistryService",
                                   registry_service_.get());
    ASSERT_NE(registry_server_, nullptr);
    const std::string registry_address =
        absl::StrCat("127.0.0.1:", registry_server_->port());
    registry_stub_ = rv1::RegistryService::NewStub(grpc::CreateChannel(
        registry_address, grpc::InsecureChannelCredentials()));

    // Scoring, checking units with that registry over gRPC; its clock is 10
    // November 2019, before the 2019 submission deadline.
    auto settings = scoring::LoadScoringSettings(
        antt::testing::SourceDataDir() + "/scoring/settings.json");
    ASSERT_OK(settings);
    settings_ = *settings;
    auto scoring_store = scoring::RocksDbScoringStore::Open(dir + "/scoring");
    ASSERT_OK(scoring_store);
    scoring_store_ = *std::move(scoring_store);
    scoring::GrpcRegistryClientOptions scoring_registry;
    scoring_registry.address = registry_address;
    scoring_registry.deadline = absl::Seconds(2);
    scoring_registry.credentials = grpc::InsecureChannelCredentials();
    scoring_registry_client_ = scoring::NewGrpcRegistryClient(scoring_registry);
    scoring::Scoring::Dependencies scoring_deps;
    scoring_deps.criteria = &Criteria();
    scoring_deps.settings = &settings_;
    scoring_deps.areas = &Areas();
    scoring_deps.store = scoring_store_.get();
    scoring_deps.registry = scoring_registry_client_.get();
    scoring_deps.now = [] {
      return absl::FromCivil(absl::CivilSecond(2019, 11, 10, 12, 0, 0),
                             absl::FixedTimeZone(7 * 3600));
    };
    scoring_ = std::make_unique<scoring::Scoring>(scoring_deps);
    scoring_service_ = std::make_unique<scoring::ScoringServiceImpl>(
        scoring_.get(), authenticator_.get());
    scoring_server_ =
        StartServer("antt.scoring.v1.ScoringService", scoring_service_.get());
    ASSERT_NE(scoring_server_, nullptr);
    const std::string scoring_address =
        absl::StrCat("127.0.0.1:", scoring_server_->port());
    scoring_stub_ = sv1::ScoringService::NewStub(grpc::CreateChannel(
        scoring_address, grpc::InsecureChannelCredentials()));

    // Awards, with the real gRPC clients of both; today is 1 March 2020.
    auto store = RocksDbAwardsStore::Open(dir + "/awards");
    ASSERT_OK(store);
    store_ = *std::move(store);
    registry_client_ = NewGrpcRegistryClient(
        registry_address, absl::Seconds(2), grpc::InsecureChannelCredentials());
    scoring_client_ = NewGrpcScoringClient(scoring_address, absl::Seconds(2),
                                           grpc::InsecureChannelCredentials());
    Awards::Dependencies deps;
    deps.catalog = &Catalog();
    deps.store = store_.get();
    deps.registry = registry_client_.get();
    deps.scoring = scoring_client_.get();
    deps.today = [] { return absl::CivilDay(2020, 3, 1); };
    awards_ = std::make_unique<Awards>(deps);
    service_ = std::make_unique<AwardsServiceImpl>(awards_.get(),
                                                   authenticator_.get());
    server_ = StartServer("antt.awards.v1.AwardsService", service_.get());
    ASSERT_NE(server_, nullptr);
    stub_ = v1::AwardsService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                            grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    for (GrpcServer* server :
         {server_.get(), scoring_server_.get(), registry_server_.get()}) {
      if (server != nullptr) server->Shutdown(absl::Now() + absl::Seconds(5));
    }
  }

  static std::unique_ptr<GrpcServer> StartServer(const std::string& name,
                                                 grpc::Service* service) {
    ServerOptions options;
    options.service_name = name;
    options.listen = "127.0.0.1:0";
    options.insecure = true;
    auto server = GrpcServer::Start(options, {service});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  // ------------------------------------------------ registry and scoring

  rv1::Unit CreateUnit(const std::string& name) {
    rv1::CreateUnitRequest request;
    *request.mutable_unit() = Agency(name);
    rv1::Unit created;
    grpc::Status status =
        registry_stub_->CreateUnit(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  rv1::Person CreatePerson(const rv1::Person& person) {
    rv1::CreatePersonRequest request;
    *request.mutable_person() = person;
    rv1::Person created;
    grpc::Status status =
        registry_stub_->CreatePerson(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  // An agency's answers for `year` (set TT23-2012/CQDN, read through
  // GetCriteriaSet): every condition that takes an answer met, and `points`
  // points.
  sv1::Assessment Answers(const std::string& unit_id, int year, int points) {
    if (cqdn_.id().empty()) {
      sv1::GetCriteriaSetRequest request;
      request.set_id("TT23-2012/CQDN");
      grpc::Status status =
          scoring_stub_->GetCriteriaSet(Context().get(), request, &cqdn_);
      EXPECT_TRUE(status.ok()) << Dump(status);
    }
    sv1::Assessment a;
    a.set_unit_id(unit_id);
    a.set_year(year);
    for (const sv1::Condition& condition : cqdn_.conditions()) {
      if (condition.decided_by_events()) continue;
      sv1::ConditionAnswer* answer = a.add_conditions();
      answer->set_condition_id(condition.id());
      answer->set_met(true);
    }
    int left = points;
    for (const sv1::PointsItem& item : cqdn_.points_items()) {
      const int given = std::min(item.max_points(), left);
      if (given <= 0) break;
      sv1::ItemPoints* p = a.add_points();
      p->set_item_id(item.id());
      p->set_points(given);
      left -= given;
    }
    EXPECT_EQ(left, 0);
    return a;
  }

  // Submits, reviews and recognises the unit's assessment of each of
  // `years` through scoring's RPCs, in one recognition decision.
  void Recognize(const std::string& unit_id, const std::vector<int>& years,
                 int points = 95) {
    sv1::RecognizeAssessmentsRequest decision;
    for (int year : years) {
      sv1::SubmitAssessmentRequest submit;
      *submit.mutable_assessment() = Answers(unit_id, year, points);
      sv1::Assessment submitted;
      grpc::Status status =
          scoring_stub_->SubmitAssessment(Context().get(), submit, &submitted);
      ASSERT_TRUE(status.ok()) << Dump(status);
      ASSERT_TRUE(submitted.result().meets_standard());
      sv1::ReviewAssessmentRequest review;
      review.set_id(submitted.id());
      review.set_approve(true);
      sv1::Assessment reviewed;
      status =
          scoring_stub_->ReviewAssessment(Context().get(), review, &reviewed);
      ASSERT_TRUE(status.ok()) << Dump(status);
      decision.add_assessment_ids(submitted.id());
    }
    decision.set_recognized(true);
    decision.set_decision_number(
        absl::StrCat(++scoring_decisions_, "/QĐ-UBND"));
    *decision.mutable_decision_date() = Date(2019, 11, 28);
    decision.set_authority("UBND tỉnh Quảng Trị");
    sv1::RecognizeAssessmentsResponse recognized;
    grpc::Status status = scoring_stub_->RecognizeAssessments(
        Context().get(), decision, &recognized);
    ASSERT_TRUE(status.ok()) << Dump(status);
    for (const sv1::Assessment& a : recognized.assessments()) {
      ASSERT_EQ(a.stage(), sv1::STAGE_RECOGNIZED);
    }
  }

  // ------------------------------------------------ awards

  grpc::Status CreateCampaign(const v1::Campaign& campaign, v1::Campaign* out,
                              const std::string& request_id = "") {
    v1::CreateCampaignRequest request;
    *request.mutable_campaign() = campaign;
    request.set_request_id(request_id);
    return stub_->CreateCampaign(Context().get(), request, out);
  }

  static v1::Campaign CampaignOf(const std::string& title, int first, int last,
                                 const google::type::Date& deadline) {
    v1::Campaign campaign;
    campaign.set_title(title);
    campaign.set_first_year(first);
    campaign.set_last_year(last);
    *campaign.mutable_nomination_deadline() = deadline;
    return campaign;
  }

  // A campaign for `first`..`last`, nominations due 31 March 2020.
  v1::Campaign MustCampaign(int first = 2019, int last = 2019,
                            const std::string& title = "Tổng kết năm 2019") {
    v1::Campaign out;
    grpc::Status status =
        CreateCampaign(CampaignOf(title, first, last, Date(2020, 3, 31)), &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  grpc::Status CloseCampaign(const std::string& id, v1::Campaign* out) {
    v1::CloseCampaignRequest request;
    request.set_id(id);
    return stub_->CloseCampaign(Context().get(), request, out);
  }

  static v1::Nomination UnitNomination(const std::string& campaign,
                                       const std::string& type,
                                       const std::string& unit_id) {
    v1::Nomination n;
    n.set_campaign_id(campaign);
    n.set_award_type(type);
    n.set_unit_id(unit_id);
    n.set_achievements("Hai năm liền đạt chuẩn An toàn về an ninh, trật tự");
    return n;
  }

  static v1::Nomination PersonNomination(const std::string& campaign,
                                         const std::string& type,
                                         const std::string& person_id) {
    v1::Nomination n;
    n.set_campaign_id(campaign);
    n.set_award_type(type);
    n.set_person_id(person_id);
    n.set_achievements("Tích cực trong phong trào toàn dân bảo vệ ANTQ");
    return n;
  }

  grpc::Status Nominate(const v1::Nomination& n, v1::Nomination* out,
                        const std::string& request_id = "") {
    v1::NominateRequest request;
    *request.mutable_nomination() = n;
    request.set_request_id(request_id);
    return stub_->Nominate(Context().get(), request, out);
  }

  v1::Nomination MustNominate(const v1::Nomination& n) {
    v1::Nomination out;
    grpc::Status status = Nominate(n, &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  grpc::Status Approve(const std::string& id, v1::Nomination* out,
                       const std::string& justification = "",
                       const std::string& etag = "") {
    v1::ApproveNominationRequest request;
    request.set_id(id);
    request.set_etag(etag);
    request.set_override_justification(justification);
    return stub_->ApproveNomination(Context().get(), request, out);
  }

  v1::Nomination MustApprove(const std::string& id,
                             const std::string& justification = "") {
    v1::Nomination out;
    grpc::Status status = Approve(id, &out, justification);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  static v1::IssueDecisionRequest DecisionOf(
      const std::string& number, const std::vector<std::string>& ids) {
    v1::IssueDecisionRequest request;
    v1::Decision* d = request.mutable_decision();
    d->set_number(number);
    *d->mutable_date() = Date(2020, 5, 15);
    d->set_authority("Chủ tịch UBND tỉnh Quảng Trị");
    d->set_signer("Võ Văn Hưng");
    for (const std::string& id : ids) request.add_nomination_ids(id);
    return request;
  }

  grpc::Status Issue(const std::string& number,
                     const std::vector<std::string>& ids, v1::Decision* out) {
    return stub_->IssueDecision(Context().get(), DecisionOf(number, ids), out);
  }

  v1::Nomination Get(const std::string& id) {
    // No GetNomination RPC: read it back through ListRecipientAwards or
    // ListNominations of its campaign.
    v1::Nomination found;
    for (const v1::Nomination& n : AllNominations()) {
      if (n.id() == id) found = n;
    }
    EXPECT_EQ(found.id(), id) << "nomination not listed";
    return found;
  }

  // Every nomination of every campaign, through ListNominations.
  std::vector<v1::Nomination> AllNominations() {
    std::vector<v1::Nomination> all;
    v1::ListCampaignsRequest campaigns_request;
    campaigns_request.set_page_size(1000);
    v1::ListCampaignsResponse campaigns;
    grpc::Status status =
        stub_->ListCampaigns(Context().get(), campaigns_request, &campaigns);
    EXPECT_TRUE(status.ok()) << Dump(status);
    for (const v1::Campaign& c : campaigns.campaigns()) {
      v1::ListNominationsRequest request;
      request.set_campaign_id(c.id());
      request.set_page_size(1000);
      v1::ListNominationsResponse response;
      status = stub_->ListNominations(Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << Dump(status);
      all.insert(all.end(), response.nominations().begin(),
                 response.nominations().end());
    }
    return all;
  }

  int TotalNominations(const std::string& campaign_id) {
    v1::ListNominationsRequest request;
    request.set_campaign_id(campaign_id);
    v1::ListNominationsResponse response;
    grpc::Status status =
        stub_->ListNominations(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response.total_size();
  }

  // (award type, recipient kind, stage) → count, from GetCampaignSummary.
  std::map<std::tuple<std::string, int, int>, int64_t> Summary(
      const std::string& campaign_id) {
    v1::GetCampaignSummaryRequest request;
    request.set_campaign_id(campaign_id);
    v1::GetCampaignSummaryResponse response;
    grpc::Status status =
        stub_->GetCampaignSummary(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    std::map<std::tuple<std::string, int, int>, int64_t> counts;
    for (const v1::SummaryRow& row : response.rows()) {
      counts[{row.award_type(), row.recipient_kind(), row.stage()}] =
          row.count();
    }
    return counts;
  }

  // Two agencies: `safe_` recognised 2018 and 2019, `new_` only 2019; a
  // person working in each.
  void TwoUnits() {
    safe_ = CreateUnit("Sở Tư pháp");
    new_ = CreateUnit("Sở Y tế");
    Recognize(safe_.id(), {2018, 2019});
    Recognize(new_.id(), {2019});
    officer_ = CreatePerson(Officer("Trần Thị Mai", safe_.id()));
    other_officer_ = CreatePerson(Officer("Lê Thị Hoa", new_.id()));
  }

  scoring::ScoringSettings settings_;
  sv1::CriteriaSet cqdn_;
  int scoring_decisions_ = 0;
  rv1::Unit safe_;
  rv1::Unit new_;
  rv1::Person officer_;
  rv1::Person other_officer_;

  // Plaintext: every caller is an ADMIN (roles and TLS have their own test,
  // awards_security_test).
  std::unique_ptr<Authenticator> authenticator_ = Authenticator::Insecure();
  std::unique_ptr<registry::RocksDbRegistryStore> registry_store_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<registry::RegistryServiceImpl> registry_service_;
  std::unique_ptr<GrpcServer> registry_server_;
  std::unique_ptr<rv1::RegistryService::Stub> registry_stub_;

  std::unique_ptr<scoring::RocksDbScoringStore> scoring_store_;
  std::unique_ptr<scoring::RegistryClient> scoring_registry_client_;
  std::unique_ptr<scoring::Scoring> scoring_;
  std::unique_ptr<scoring::ScoringServiceImpl> scoring_service_;
  std::unique_ptr<GrpcServer> scoring_server_;
  std::unique_ptr<sv1::ScoringService::Stub> scoring_stub_;

  std::unique_ptr<RocksDbAwardsStore> store_;
  std::unique_ptr<RegistryClient> registry_client_;
  std::unique_ptr<ScoringClient> scoring_client_;
  std::unique_ptr<Awards> awards_;
  std::unique_ptr<AwardsServiceImpl> service_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<v1::AwardsService::Stub> stub_;
};

// ------------------------------------------------------------ Catalogue

TEST_F(AwardsServiceTest, ListAwardTypesCarriesTheCatalogue) {
  v1::ListAwardTypesResponse response;
  grpc::Status status = stub_->ListAwardTypes(
      Context().get(), v1::ListAwardTypesRequest(), &response);
  ASSERT_TRUE(status.ok()) << Dump(status);
  std::map<std::string, v1::AwardType> by_code;
  for (const v1::AwardType& t : response.award_types()) by_code[t.code()] = t;
  ASSERT_EQ(by_code.size(), 4u);
  const v1::AwardType& medal = by_code["KNC_ANTQ"];
  EXPECT_TRUE(medal.once_per_person());
  EXPECT_FALSE(medal.provisional());
  ASSERT_EQ(medal.recipient_kinds_size(), 1);
  EXPECT_EQ(medal.recipient_kinds(0), v1::RECIPIENT_KIND_INDIVIDUAL);
  EXPECT_EQ(medal.authority(), "Bộ trưởng Bộ Công an");
  const v1::AwardType& province = by_code["BK_UBND_TINH"];
  EXPECT_EQ(province.authority(), "Chủ tịch UBND tỉnh");
  EXPECT_FALSE(province.once_per_person());
  EXPECT_TRUE(province.provisional());
  EXPECT_FALSE(province.notes().empty());
  EXPECT_EQ(province.recipient_kinds_size(), 2);
  EXPECT_EQ(by_code["GK_CAT"].authority(), "Giám đốc Công an tỉnh");
}

// ------------------------------------------------------------ Campaigns

TEST_F(AwardsServiceTest, CreateCampaignAssignsTheIdAndIsIdempotent) {
  v1::Campaign campaign =
      CampaignOf("Sơ kết 5 năm thực hiện Chỉ thị 07, 2014–2019", 2014, 2019,
                 Date(2020, 3, 31));
  campaign.set_id("C-mine");                        // output only: ignored
  campaign.set_status(v1::CAMPAIGN_STATUS_CLOSED);  // output only too
  v1::Campaign created;
  grpc::Status status = CreateCampaign(campaign, &created, "req-campaign-1");
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_FALSE(created.id().empty());
  EXPECT_NE(created.id(), "C-mine");
  EXPECT_EQ(created.title(), campaign.title());
  EXPECT_EQ(created.first_year(), 2014);
  EXPECT_EQ(created.last_year(), 2019);
  EXPECT_EQ(created.status(), v1::CAMPAIGN_STATUS_OPEN);
  EXPECT_FALSE(created.etag().empty());
  EXPECT_GT(created.create_time().seconds(), 0);

  // The same request id: the first campaign, no second one.
  v1::Campaign again;
  ASSERT_TRUE(CreateCampaign(campaign, &again, "req-campaign-1").ok());
  EXPECT_EQ(again.SerializeAsString(), created.SerializeAsString());
  v1::ListCampaignsResponse listed;
  ASSERT_TRUE(
      stub_->ListCampaigns(Context().get(), v1::ListCampaignsRequest(), &listed)
          .ok());
  ASSERT_EQ(listed.campaigns_size(), 1);
  EXPECT_EQ(listed.campaigns(0).id(), created.id());
}

TEST_F(AwardsServiceTest, CreateCampaignInvalidArgumentNamesEachField) {
  v1::Campaign out;
  grpc::Status status = CreateCampaign(
      CampaignOf("", 1800, 2019, Date(2020, 2, 30)), &out, "has space");
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(
      BadFields(status),
      (std::set<std::string>{"campaign.title", "campaign.first_year",
                             "campaign.nomination_deadline", "request_id"}));

  v1::Campaign backwards = CampaignOf("Ngược", 2019, 2014, Date(2020, 3, 31));
  backwards.clear_nomination_deadline();
  status = CreateCampaign(backwards, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"campaign.last_year",
                                   "campaign.nomination_deadline"}));

  v1::ListCampaignsResponse listed;
  ASSERT_TRUE(
      stub_->ListCampaigns(Context().get(), v1::ListCampaignsRequest(), &listed)
          .ok());
  EXPECT_EQ(listed.campaigns_size(), 0);
}

TEST_F(AwardsServiceTest, GetCampaignAndItsErrors) {
  const v1::Campaign created = MustCampaign();
  v1::GetCampaignRequest request;
  request.set_id(created.id());
  v1::Campaign got;
  grpc::Status status = stub_->GetCampaign(Context().get(), request, &got);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());

  request.set_id("C9999999999");
  status = stub_->GetCampaign(Context().get(), request, &got);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  request.clear_id();
  status = stub_->GetCampaign(Context().get(), request, &got);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"id"});
}

TEST_F(AwardsServiceTest, ListCampaignsPagesAndRejectsBadArguments) {
  std::vector<std::string> ids;
  for (int year = 2017; year <= 2019; ++year) {
    ids.push_back(
        MustCampaign(year, year, absl::StrCat("Tổng kết năm ", year)).id());
  }
  v1::ListCampaignsRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  v1::ListCampaignsResponse page;
  ASSERT_TRUE(stub_->ListCampaigns(Context().get(), request, &page).ok());
  EXPECT_EQ(page.campaigns_size(), 2);
  EXPECT_FALSE(page.next_page_token().empty());
  for (const auto& c : page.campaigns()) seen.push_back(c.id());
  request.set_page_token(page.next_page_token());
  ASSERT_TRUE(stub_->ListCampaigns(Context().get(), request, &page).ok());
  EXPECT_EQ(page.campaigns_size(), 1);
  EXPECT_TRUE(page.next_page_token().empty());
  for (const auto& c : page.campaigns()) seen.push_back(c.id());
  EXPECT_EQ(seen, ids);

  request.set_page_token("not a token");
  grpc::Status status = stub_->ListCampaigns(Context().get(), request, &page);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"page_token"});
  request.clear_page_token();
  request.set_page_size(-1);
  status = stub_->ListCampaigns(Context().get(), request, &page);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"page_size"});
}

TEST_F(AwardsServiceTest, CloseCampaignOnceThenNoMoreNominations) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  v1::Campaign closed;
  grpc::Status status = CloseCampaign(campaign.id(), &closed);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(closed.status(), v1::CAMPAIGN_STATUS_CLOSED);
  EXPECT_NE(closed.etag(), campaign.etag());
  EXPECT_EQ(closed.title(), campaign.title());

  status = CloseCampaign(campaign.id(), &closed);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  status = CloseCampaign("C9999999999", &closed);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  status = CloseCampaign("", &closed);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"id"});

  v1::Nomination out;
  status = Nominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()), &out);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  EXPECT_EQ(TotalNominations(campaign.id()), 0);
}

// ------------------------------------------------------------ Eligibility

TEST_F(AwardsServiceTest, EligibilityIsDecidedFromRegistryAndScoringData) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign(2019, 2019);

  // Recognised 2018 and 2019: the province's certificate is due in 2019.
  const v1::Nomination safe =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id()));
  EXPECT_EQ(safe.stage(), v1::NOMINATION_STAGE_PROPOSED);
  EXPECT_TRUE(safe.eligible());
  EXPECT_EQ(safe.recipient_name(), "Sở Tư pháp");
  EXPECT_FALSE(safe.id().empty());
  EXPECT_FALSE(safe.etag().empty());
  const v1::RuleResult* last_two =
      Rule(safe.eligibility(), "BK_UBND_TINH.recognized_last_years");
  ASSERT_NE(last_two, nullptr);
  EXPECT_TRUE(last_two->passed());
  EXPECT_TRUE(absl::StrContains(last_two->detail(), "2018-2019"))
      << last_two->detail();
  const v1::RuleResult* active =
      Rule(safe.eligibility(), "BK_UBND_TINH.unit_active");
  ASSERT_NE(active, nullptr);
  EXPECT_TRUE(active->passed());

  // Recognised only in 2019: not due, and the detail names 2018.
  const v1::Nomination fresh =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", new_.id()));
  EXPECT_FALSE(fresh.eligible());
  EXPECT_EQ(fresh.recipient_name(), "Sở Y tế");
  last_two = Rule(fresh.eligibility(), "BK_UBND_TINH.recognized_last_years");
  ASSERT_NE(last_two, nullptr);
  EXPECT_FALSE(last_two->passed());
  EXPECT_TRUE(absl::StrContains(last_two->detail(), "2018"))
      << last_two->detail();
  EXPECT_FALSE(absl::StrContains(last_two->detail(), "2019"))
      << last_two->detail();
  active = Rule(fresh.eligibility(), "BK_UBND_TINH.unit_active");
  ASSERT_NE(active, nullptr);
  EXPECT_TRUE(active->passed());  // only the years failed

  // The director's certificate needs the last year only: both are due.
  EXPECT_TRUE(MustNominate(UnitNomination(campaign.id(), "GK_CAT", new_.id()))
                  .eligible());

  // A person: the unit she works in decides.
  const v1::Nomination person = MustNominate(
      PersonNomination(campaign.id(), "BK_UBND_TINH", officer_.id()));
  EXPECT_TRUE(person.eligible());
  EXPECT_EQ(person.recipient_name(), "Trần Thị Mai");
  const v1::RuleResult* unit_rule =
      Rule(person.eligibility(), "BK_UBND_TINH.unit_recognized_last_years");
  ASSERT_NE(unit_rule, nullptr);
  EXPECT_TRUE(unit_rule->passed());
  EXPECT_TRUE(absl::StrContains(unit_rule->detail(), safe_.id()))
      << unit_rule->detail();

  // For a 2020 campaign nobody was recognised in 2020.
  const v1::Campaign next = MustCampaign(2020, 2020, "Tổng kết năm 2020");
  const v1::Nomination later =
      MustNominate(UnitNomination(next.id(), "GK_CAT", safe_.id()));
  EXPECT_FALSE(later.eligible());
  const v1::RuleResult* last_year =
      Rule(later.eligibility(), "GK_CAT.recognized_last_years");
  ASSERT_NE(last_year, nullptr);
  EXPECT_TRUE(absl::StrContains(last_year->detail(), "2020"))
      << last_year->detail();
}

TEST_F(AwardsServiceTest, CheckEligibilityStoresNothingAndReadsFreshFacts) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();

  // A proposed nomination: checked, not stored.
  v1::CheckEligibilityRequest request;
  *request.mutable_nomination() =
      UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id());
  v1::CheckEligibilityResponse response;
  grpc::Status status =
      stub_->CheckEligibility(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_TRUE(response.eligible());
  EXPECT_NE(Rule(response.eligibility(), "BK_UBND_TINH.recognized_last_years"),
            nullptr);
  EXPECT_EQ(TotalNominations(campaign.id()), 0);

  // A stored nomination, checked again after scoring recognises the missing
  // year: the answer follows the new facts.
  const v1::Nomination fresh =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", new_.id()));
  ASSERT_FALSE(fresh.eligible());
  request.set_nomination_id(fresh.id());
  ASSERT_TRUE(
      stub_->CheckEligibility(Context().get(), request, &response).ok());
  EXPECT_FALSE(response.eligible());
  Recognize(new_.id(), {2018});
  ASSERT_TRUE(
      stub_->CheckEligibility(Context().get(), request, &response).ok());
  EXPECT_TRUE(response.eligible());
  // The stored nomination keeps what was computed when it was made.
  EXPECT_FALSE(Get(fresh.id()).eligible());
  EXPECT_EQ(TotalNominations(campaign.id()), 1);

  // Errors.
  request.set_nomination_id("N9999999999");
  status = stub_->CheckEligibility(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  *request.mutable_nomination() =
      UnitNomination(campaign.id(), "GK_CAT", "no-such-unit");
  status = stub_->CheckEligibility(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  *request.mutable_nomination() =
      UnitNomination("C9999999999", "GK_CAT", safe_.id());
  status = stub_->CheckEligibility(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  *request.mutable_nomination() =
      UnitNomination(campaign.id(), "KNC_ANTQ", safe_.id());
  status = stub_->CheckEligibility(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"nomination.award_type"});
  request.set_nomination_id("");
  status = stub_->CheckEligibility(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"nomination_id"});
  request.Clear();
  status = stub_->CheckEligibility(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"subject"});
}

// ------------------------------------------------------------ Nominations

TEST_F(AwardsServiceTest, NominateIsIdempotentAndItsErrors) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();

  v1::Nomination first;
  grpc::Status status =
      Nominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()), &first,
               "req-nominate-1");
  ASSERT_TRUE(status.ok()) << Dump(status);
  v1::Nomination again;
  status = Nominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()), &again,
                    "req-nominate-1");
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());

  // The same award type twice in a campaign.
  v1::Nomination out;
  status = Nominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()), &out);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS) << Dump(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(), first.id()))
      << Dump(status);
  const v1::Nomination person =
      MustNominate(PersonNomination(campaign.id(), "GK_CAT", officer_.id()));
  status =
      Nominate(PersonNomination(campaign.id(), "GK_CAT", officer_.id()), &out);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS) << Dump(status);
  EXPECT_EQ(TotalNominations(campaign.id()), 2);

  // Unknown campaign, unit or person (the registry's NOT_FOUND passes on).
  status = Nominate(UnitNomination("C9999999999", "GK_CAT", safe_.id()), &out);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  status = Nominate(UnitNomination(campaign.id(), "GK_CAT", "U404"), &out);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  status = Nominate(PersonNomination(campaign.id(), "GK_CAT", "P404"), &out);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);

  // Invalid fields, each named.
  v1::Nomination bad;
  bad.set_award_type("NO_SUCH");
  status = Nominate(bad, &out, "bad request id");
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(
      BadFields(status),
      (std::set<std::string>{"nomination.campaign_id", "nomination.award_type",
                             "nomination.recipient", "request_id"}));
  status =
      Nominate(UnitNomination(campaign.id(), "KNC_ANTQ", safe_.id()), &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"nomination.award_type"});
  status = Nominate(UnitNomination(campaign.id(), "GK_CAT", ""), &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"nomination.unit_id"});
  v1::Nomination long_text =
      UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id());
  long_text.set_achievements(std::string(4001, 'x'));
  status = Nominate(long_text, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status),
            std::set<std::string>{"nomination.achievements"});

  // After the nomination deadline (31 January, today is 1 March).
  v1::Campaign late;
  ASSERT_TRUE(CreateCampaign(
                  CampaignOf("Hết hạn", 2019, 2019, Date(2020, 1, 31)), &late)
                  .ok());
  status = Nominate(UnitNomination(late.id(), "GK_CAT", safe_.id()), &out);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "2020-01-31"))
      << Dump(status);
  EXPECT_EQ(TotalNominations(late.id()), 0);
  EXPECT_EQ(TotalNominations(campaign.id()), 2);
}

// Text is kept as every other text field is: NFC, without surrounding
// white space, so the same words compare and search the same.
TEST_F(AwardsServiceTest, NominateStoresAchievementsNormalised) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  v1::Nomination n = UnitNomination(campaign.id(), "GK_CAT", safe_.id());
  // "Thành tích" with the grave accent decomposed (NFD), padded.
  n.set_achievements("  Tha\xCC\x80nh ti\xCC\x81\x63h  ");
  const v1::Nomination created = MustNominate(n);
  EXPECT_EQ(created.achievements(), "Thành tích");
  EXPECT_EQ(Get(created.id()).achievements(), "Thành tích");
}

TEST_F(AwardsServiceTest, BatchNominateEachStandsAlone) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  v1::BatchNominateRequest request;
  *request.add_nominations() =
      UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id());
  *request.add_nominations() =
      UnitNomination(campaign.id(), "BK_UBND_TINH", "U404");  // unknown unit
  *request.add_nominations() =
      UnitNomination(campaign.id(), "BK_UBND_TINH", new_.id());
  *request.add_nominations() =
      UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id());  // twice
  *request.add_nominations() =
      PersonNomination(campaign.id(), "GK_CAT", officer_.id());
  v1::BatchNominateResponse response;
  grpc::Status status =
      stub_->BatchNominate(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << Dump(status);
  ASSERT_EQ(response.nominations_size(), 3);
  EXPECT_EQ(response.nominations(0).unit_id(), safe_.id());
  EXPECT_TRUE(response.nominations(0).eligible());
  EXPECT_EQ(response.nominations(1).unit_id(), new_.id());
  EXPECT_FALSE(response.nominations(1).eligible());
  EXPECT_EQ(response.nominations(2).person_id(), officer_.id());
  ASSERT_EQ(response.errors_size(), 2);
  EXPECT_EQ(response.errors(0).index(), 1);
  EXPECT_FALSE(response.errors(0).message().empty());
  EXPECT_EQ(response.errors(1).index(), 3);
  EXPECT_EQ(TotalNominations(campaign.id()), 3);

  request.Clear();
  status = stub_->BatchNominate(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"nominations"});
  for (int i = 0; i < 1001; ++i) {
    *request.add_nominations() =
        UnitNomination(campaign.id(), "GK_CAT", safe_.id());
  }
  status = stub_->BatchNominate(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"nominations"});
  EXPECT_EQ(TotalNominations(campaign.id()), 3);
}

// ------------------------------------------------------------ Stages

TEST_F(AwardsServiceTest, ApproveNeedsEligibilityOrAWrittenJustification) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination safe =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id()));
  const v1::Nomination fresh =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", new_.id()));

  // Eligible: approved as it is.
  v1::Nomination approved;
  grpc::Status status = Approve(safe.id(), &approved, "", safe.etag());
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(approved.stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_TRUE(approved.eligible());
  EXPECT_TRUE(approved.override_justification().empty());
  EXPECT_NE(approved.etag(), safe.etag());
  status = Approve(safe.id(), &approved);  // twice
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);

  // Ineligible without a justification: refused, naming the failed rule.
  v1::Nomination out;
  status = Approve(fresh.id(), &out);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(),
                                "BK_UBND_TINH.recognized_last_years"))
      << Dump(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "2018"))
      << Dump(status);
  EXPECT_EQ(Get(fresh.id()).stage(), v1::NOMINATION_STAGE_PROPOSED);

  // A stale etag.
  status = Approve(fresh.id(), &out, "Đơn vị mới thành lập năm 2018", "999");
  EXPECT_EQ(status.error_code(), StatusCode::ABORTED) << Dump(status);
  EXPECT_EQ(Get(fresh.id()).stage(), v1::NOMINATION_STAGE_PROPOSED);

  // With a written justification: approved and the justification kept.
  const std::string why = "Đơn vị thành lập cuối năm 2018, đã xác minh hồ sơ";
  status = Approve(fresh.id(), &out, why, fresh.etag());
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(out.stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_FALSE(out.eligible());
  EXPECT_EQ(out.override_justification(), why);
  EXPECT_EQ(Get(fresh.id()).override_justification(), why);

  // Errors of the request itself.
  status = Approve("N9999999999", &out);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  status = Approve("", &out, std::string(4001, 'x'));
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"id", "override_justification"}));
}

TEST_F(AwardsServiceTest, ApprovalRecomputesEligibilityFromTodaysData) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination fresh =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", new_.id()));
  ASSERT_FALSE(fresh.eligible());
  // Scoring now records the 2018 recognition: approval needs no
  // justification any more, and the nomination records the new results.
  Recognize(new_.id(), {2018});
  v1::Nomination out;
  grpc::Status status = Approve(fresh.id(), &out);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(out.stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_TRUE(out.eligible());
  EXPECT_TRUE(out.override_justification().empty());
  const v1::RuleResult* last_two =
      Rule(out.eligibility(), "BK_UBND_TINH.recognized_last_years");
  ASSERT_NE(last_two, nullptr);
  EXPECT_TRUE(last_two->passed()) << last_two->detail();
}

TEST_F(AwardsServiceTest, RejectAndDeferWithReasonsAndTheirErrors) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination n =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()));

  v1::DeferNominationRequest defer;
  defer.set_id(n.id());
  defer.set_etag(n.etag());
  v1::Nomination deferred;
  grpc::Status status =
      stub_->DeferNomination(Context().get(), defer, &deferred);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"reason"});
  defer.set_reason("Đang thanh tra");
  status = stub_->DeferNomination(Context().get(), defer, &deferred);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(deferred.stage(), v1::NOMINATION_STAGE_DEFERRED);
  EXPECT_EQ(deferred.stage_reason(), "Đang thanh tra");
  status = stub_->DeferNomination(Context().get(), defer, &deferred);
  EXPECT_EQ(status.error_code(), StatusCode::ABORTED) << Dump(status);
  defer.clear_etag();
  status = stub_->DeferNomination(Context().get(), defer, &deferred);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  defer.set_id("N9999999999");
  status = stub_->DeferNomination(Context().get(), defer, &deferred);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);

  // A deferred nomination can still be approved, then rejected.
  const v1::Nomination approved = MustApprove(n.id());
  EXPECT_EQ(approved.stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_TRUE(approved.stage_reason().empty());
  v1::RejectNominationRequest reject;
  reject.set_id(n.id());
  reject.set_etag(n.etag());  // stale
  reject.set_reason("Có khiếu nại");
  v1::Nomination rejected;
  status = stub_->RejectNomination(Context().get(), reject, &rejected);
  EXPECT_EQ(status.error_code(), StatusCode::ABORTED) << Dump(status);
  reject.set_etag(approved.etag());
  status = stub_->RejectNomination(Context().get(), reject, &rejected);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(rejected.stage(), v1::NOMINATION_STAGE_REJECTED);
  EXPECT_EQ(rejected.stage_reason(), "Có khiếu nại");
  reject.clear_etag();
  status = stub_->RejectNomination(Context().get(), reject, &rejected);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  reject.set_id("N9999999999");
  status = stub_->RejectNomination(Context().get(), reject, &rejected);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  reject.Clear();
  status = stub_->RejectNomination(Context().get(), reject, &rejected);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), (std::set<std::string>{"id", "reason"}));

  // A rejected nomination frees the slot: the unit may be proposed again.
  v1::Nomination again;
  status =
      Nominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()), &again);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_NE(again.id(), n.id());
}

// ------------------------------------------------------------ Decisions

TEST_F(AwardsServiceTest, IssueDecisionIsAllOrNothingWithAUniqueNumber) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination a =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id()));
  const v1::Nomination b = MustNominate(
      PersonNomination(campaign.id(), "BK_UBND_TINH", officer_.id()));
  const v1::Nomination c =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", new_.id()));
  MustApprove(a.id());
  MustApprove(b.id());

  // c is still PROPOSED: nothing is issued.
  v1::Decision decision;
  grpc::Status status =
      Issue("15/QĐ-UBND", {a.id(), b.id(), c.id()}, &decision);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(), c.id()))
      << Dump(status);
  for (const std::string& id : {a.id(), b.id()}) {
    EXPECT_EQ(Get(id).stage(), v1::NOMINATION_STAGE_APPROVED) << id;
    EXPECT_TRUE(Get(id).decision_number().empty()) << id;
  }
  // An unknown nomination: nothing either.
  status = Issue("15/QĐ-UBND", {a.id(), "N9999999999"}, &decision);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  EXPECT_EQ(Get(a.id()).stage(), v1::NOMINATION_STAGE_APPROVED);

  // The failed attempts did not take the number.
  status = Issue("15/QĐ-UBND", {a.id(), b.id()}, &decision);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(decision.number(), "15/QĐ-UBND");
  EXPECT_EQ(decision.signer(), "Võ Văn Hưng");
  EXPECT_EQ(std::vector<std::string>(decision.nomination_ids().begin(),
                                     decision.nomination_ids().end()),
            (std::vector<std::string>{a.id(), b.id()}));
  for (const std::string& id : {a.id(), b.id()}) {
    const v1::Nomination issued = Get(id);
    EXPECT_EQ(issued.stage(), v1::NOMINATION_STAGE_ISSUED) << id;
    EXPECT_EQ(issued.decision_number(), "15/QĐ-UBND") << id;
  }

  // The number again, for another approved nomination.
  MustApprove(c.id());
  status = Issue("15/QĐ-UBND", {c.id()}, &decision);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS) << Dump(status);
  EXPECT_EQ(Get(c.id()).stage(), v1::NOMINATION_STAGE_APPROVED);
  // Issued nominations cannot be issued again under another number.
  status = Issue("16/QĐ-UBND", {a.id()}, &decision);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  EXPECT_EQ(Get(a.id()).decision_number(), "15/QĐ-UBND");

  // Invalid requests, each field named.
  v1::IssueDecisionRequest bad;
  bad.mutable_decision()->set_number("17/QĐ-UBND");
  *bad.mutable_decision()->mutable_date() = Date(2020, 13, 1);
  bad.add_nomination_ids(c.id());
  bad.add_nomination_ids("");
  bad.add_nomination_ids(c.id());
  status = stub_->IssueDecision(Context().get(), bad, &decision);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"decision.authority", "decision.signer",
                                   "decision.date", "nomination_ids[1]",
                                   "nomination_ids[2]"}));
  bad = DecisionOf("17/QĐ-UBND", {});
  status = stub_->IssueDecision(Context().get(), bad, &decision);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"nomination_ids"});
  EXPECT_EQ(Get(c.id()).stage(), v1::NOMINATION_STAGE_APPROVED);
}

TEST_F(AwardsServiceTest, RevokeAwardOnlyAnIssuedOneWithAReason) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination a =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()));
  const v1::Nomination b =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", new_.id()));
  MustApprove(a.id());
  MustApprove(b.id());
  v1::Decision decision;
  ASSERT_TRUE(Issue("21/QĐ-CAT", {a.id()}, &decision).ok());

  v1::RevokeAwardRequest request;
  request.set_nomination_id(b.id());  // approved, never issued
  request.set_reason("Hồ sơ khai không đúng");
  v1::Nomination out;
  grpc::Status status = stub_->RevokeAward(Context().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  EXPECT_EQ(Get(b.id()).stage(), v1::NOMINATION_STAGE_APPROVED);

  request.set_nomination_id(a.id());
  request.clear_reason();
  status = stub_->RevokeAward(Context().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"reason"});
  request.set_reason("Phát hiện vi phạm sau khi khen thưởng");
  status = stub_->RevokeAward(Context().get(), request, &out);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(out.stage(), v1::NOMINATION_STAGE_REVOKED);
  EXPECT_EQ(out.revoke_reason(), "Phát hiện vi phạm sau khi khen thưởng");
  EXPECT_EQ(out.decision_number(), "21/QĐ-CAT");  // what was revoked
  status = stub_->RevokeAward(Context().get(), request, &out);  // twice
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);

  request.set_nomination_id("N9999999999");
  status = stub_->RevokeAward(Context().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  request.clear_nomination_id();
  status = stub_->RevokeAward(Context().get(), request, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"nomination_id"});
}

// ------------------------------------------------------------ Reading

TEST_F(AwardsServiceTest, ListNominationsFiltersAndPages) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Campaign other = MustCampaign(2019, 2019, "Đợt khác");
  const v1::Nomination a =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id()));
  const v1::Nomination b =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()));
  const v1::Nomination c =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", new_.id()));
  const v1::Nomination d =
      MustNominate(PersonNomination(campaign.id(), "GK_CAT", officer_.id()));
  const v1::Nomination e =
      MustNominate(UnitNomination(other.id(), "GK_CAT", safe_.id()));
  MustApprove(b.id());

  auto ids = [&](const v1::ListNominationsRequest& request) {
    v1::ListNominationsResponse response;
    grpc::Status status =
        stub_->ListNominations(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    std::vector<std::string> out;
    for (const auto& n : response.nominations()) out.push_back(n.id());
    EXPECT_EQ(response.total_size(), static_cast<int>(out.size()));
    return out;
  };
  using Ids = std::vector<std::string>;
  v1::ListNominationsRequest request;
  request.set_campaign_id(campaign.id());
  EXPECT_EQ(ids(request), (Ids{a.id(), b.id(), c.id(), d.id()}));
  request.set_award_type("GK_CAT");
  EXPECT_EQ(ids(request), (Ids{b.id(), c.id(), d.id()}));
  request.set_stage(v1::NOMINATION_STAGE_APPROVED);
  EXPECT_EQ(ids(request), (Ids{b.id()}));
  request.Clear();
  request.set_unit_id(safe_.id());
  EXPECT_EQ(ids(request), (Ids{a.id(), b.id(), e.id()}));
  request.set_campaign_id(other.id());
  EXPECT_EQ(ids(request), (Ids{e.id()}));
  request.Clear();
  request.set_person_id(officer_.id());
  EXPECT_EQ(ids(request), (Ids{d.id()}));

  // Pages of two, the token bound to the filters.
  request.Clear();
  request.set_campaign_id(campaign.id());
  request.set_page_size(2);
  v1::ListNominationsResponse page;
  ASSERT_TRUE(stub_->ListNominations(Context().get(), request, &page).ok());
  ASSERT_EQ(page.nominations_size(), 2);
  EXPECT_EQ(page.total_size(), 4);
  ASSERT_FALSE(page.next_page_token().empty());
  const std::string token = page.next_page_token();
  request.set_page_token(token);
  ASSERT_TRUE(stub_->ListNominations(Context().get(), request, &page).ok());
  ASSERT_EQ(page.nominations_size(), 2);
  EXPECT_EQ(page.nominations(0).id(), c.id());
  EXPECT_EQ(page.nominations(1).id(), d.id());
  EXPECT_TRUE(page.next_page_token().empty());
  request.set_award_type("GK_CAT");  // other filters: the token is refused
  grpc::Status status = stub_->ListNominations(Context().get(), request, &page);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"page_token"});

  request.Clear();
  request.set_stage(static_cast<v1::NominationStage>(42));
  request.set_page_size(1001);
  status = stub_->ListNominations(Context().get(), request, &page);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"campaign_id", "stage", "page_size"}));
}

TEST_F(AwardsServiceTest, CampaignSummaryCountsByTypeKindAndStage) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination a =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id()));
  const v1::Nomination b =
      MustNominate(UnitNomination(campaign.id(), "BK_UBND_TINH", new_.id()));
  const v1::Nomination c =
      MustNominate(PersonNomination(campaign.id(), "GK_CAT", officer_.id()));
  const v1::Nomination d = MustNominate(
      PersonNomination(campaign.id(), "GK_CAT", other_officer_.id()));
  MustApprove(a.id());
  MustApprove(c.id());
  v1::Decision decision;
  ASSERT_TRUE(Issue("30/QĐ-UBND", {a.id(), c.id()}, &decision).ok());
  v1::DeferNominationRequest defer;
  defer.set_id(d.id());
  defer.set_reason("Đang xác minh đơn khiếu nại");
  v1::Nomination deferred;
  ASSERT_TRUE(stub_->DeferNomination(Context().get(), defer, &deferred).ok());

  using Key = std::tuple<std::string, int, int>;
  const std::map<Key, int64_t> expected = {
      {{"BK_UBND_TINH", v1::RECIPIENT_KIND_COLLECTIVE,
        v1::NOMINATION_STAGE_ISSUED},
       1},
      {{"BK_UBND_TINH", v1::RECIPIENT_KIND_COLLECTIVE,
        v1::NOMINATION_STAGE_PROPOSED},
       1},
      {{"GK_CAT", v1::RECIPIENT_KIND_INDIVIDUAL, v1::NOMINATION_STAGE_ISSUED},
       1},
      {{"GK_CAT", v1::RECIPIENT_KIND_INDIVIDUAL, v1::NOMINATION_STAGE_DEFERRED},
       1},
  };
  EXPECT_EQ(Summary(campaign.id()), expected);
  EXPECT_EQ(Get(b.id()).stage(), v1::NOMINATION_STAGE_PROPOSED);

  // Another campaign's summary is its own.
  const v1::Campaign empty = MustCampaign(2019, 2019, "Chưa có đề nghị");
  EXPECT_TRUE(Summary(empty.id()).empty());

  v1::GetCampaignSummaryRequest request;
  v1::GetCampaignSummaryResponse response;
  request.set_campaign_id("C9999999999");
  grpc::Status status =
      stub_->GetCampaignSummary(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Dump(status);
  request.clear_campaign_id();
  status = stub_->GetCampaignSummary(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"campaign_id"});
}

TEST_F(AwardsServiceTest, ListRecipientAwardsHoldsIssuedAndRevokedOnly) {
  TwoUnits();
  const v1::Campaign y2019 = MustCampaign();
  const v1::Campaign again = MustCampaign(2018, 2019, "Sơ kết 2018–2019");
  const v1::Nomination issued =
      MustNominate(UnitNomination(y2019.id(), "GK_CAT", safe_.id()));
  const v1::Nomination revoked =
      MustNominate(UnitNomination(again.id(), "GK_CAT", safe_.id()));
  const v1::Nomination proposed =
      MustNominate(UnitNomination(y2019.id(), "BK_UBND_TINH", safe_.id()));
  MustApprove(issued.id());
  MustApprove(revoked.id());
  v1::Decision decision;
  ASSERT_TRUE(Issue("40/QĐ-CAT", {issued.id(), revoked.id()}, &decision).ok());
  v1::RevokeAwardRequest revoke;
  revoke.set_nomination_id(revoked.id());
  revoke.set_reason("Trùng khen thưởng");
  v1::Nomination out;
  ASSERT_TRUE(stub_->RevokeAward(Context().get(), revoke, &out).ok());

  v1::ListRecipientAwardsRequest request;
  request.set_unit_id(safe_.id());
  v1::ListRecipientAwardsResponse response;
  grpc::Status status =
      stub_->ListRecipientAwards(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << Dump(status);
  std::map<std::string, v1::NominationStage> stages;
  for (const auto& n : response.nominations()) stages[n.id()] = n.stage();
  EXPECT_EQ(stages, (std::map<std::string, v1::NominationStage>{
                        {issued.id(), v1::NOMINATION_STAGE_ISSUED},
                        {revoked.id(), v1::NOMINATION_STAGE_REVOKED}}));
  EXPECT_EQ(stages.count(proposed.id()), 0u);

  request.set_person_id(officer_.id());  // never awarded
  ASSERT_TRUE(
      stub_->ListRecipientAwards(Context().get(), request, &response).ok());
  EXPECT_EQ(response.nominations_size(), 0);

  request.set_unit_id("");
  status = stub_->ListRecipientAwards(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"unit_id"});
  request.Clear();
  status = stub_->ListRecipientAwards(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"recipient"});
}

// ------------------------------------------------------------ Dependencies

TEST_F(AwardsServiceTest, RegistryDownIsUnavailableAndNothingIsStored) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination proposed =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()));
  registry_server_->Shutdown(absl::Now() + absl::Seconds(5));

  v1::Nomination out;
  const auto start = Clock::now();
  grpc::Status status =
      Nominate(UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id()), &out,
               "req-registry-down");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE) << Dump(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "registry"))
      << Dump(status);
  status =
      Nominate(PersonNomination(campaign.id(), "GK_CAT", officer_.id()), &out);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE) << Dump(status);

  // A batch answers for each item: the first fails on the registry, the rest
  // are not attempted, and none is created.
  v1::BatchNominateRequest batch;
  *batch.add_nominations() =
      UnitNomination(campaign.id(), "BK_UBND_TINH", new_.id());
  *batch.add_nominations() =
      PersonNomination(campaign.id(), "BK_UBND_TINH", other_officer_.id());
  v1::BatchNominateResponse batched;
  status = stub_->BatchNominate(Context().get(), batch, &batched);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(batched.nominations_size(), 0);
  ASSERT_EQ(batched.errors_size(), 2);
  EXPECT_EQ(batched.errors(0).index(), 0);
  EXPECT_TRUE(absl::StrContains(batched.errors(0).message(), "registry"))
      << batched.errors(0).message();
  EXPECT_EQ(batched.errors(1).index(), 1);
  EXPECT_TRUE(absl::StrContains(batched.errors(1).message(), "not attempted"))
      << batched.errors(1).message();

  v1::CheckEligibilityRequest check;
  check.set_nomination_id(proposed.id());
  v1::CheckEligibilityResponse checked;
  status = stub_->CheckEligibility(Context().get(), check, &checked);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE) << Dump(status);

  // Approval computes eligibility again, so it cannot proceed either.
  status = Approve(proposed.id(), &out);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE) << Dump(status);

  // Nothing was stored or changed; what needs no registry still works.
  EXPECT_EQ(TotalNominations(campaign.id()), 1);
  const v1::Nomination kept = Get(proposed.id());
  EXPECT_EQ(kept.stage(), v1::NOMINATION_STAGE_PROPOSED);
  EXPECT_EQ(kept.etag(), proposed.etag());
  EXPECT_EQ(Summary(campaign.id()).size(), 1u);
}

TEST_F(AwardsServiceTest, ScoringDownIsUnavailableAndNothingIsStored) {
  TwoUnits();
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination approved =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", safe_.id()));
  MustApprove(approved.id());
  const v1::Nomination proposed =
      MustNominate(UnitNomination(campaign.id(), "GK_CAT", new_.id()));
  scoring_server_->Shutdown(absl::Now() + absl::Seconds(5));

  v1::Nomination out;
  const auto start = Clock::now();
  grpc::Status status =
      Nominate(UnitNomination(campaign.id(), "BK_UBND_TINH", safe_.id()), &out,
               "req-scoring-down");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE) << Dump(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "scoring"))
      << Dump(status);
  // A person: the registry answers, her unit's history cannot be read.
  status =
      Nominate(PersonNomination(campaign.id(), "GK_CAT", officer_.id()), &out);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE) << Dump(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "scoring"))
      << Dump(status);

  // A batch answers for each item: the first fails on the scoring, the rest
  // are not attempted, and none is created.
  v1::BatchNominateRequest batch;
  *batch.add_nominations() =
      UnitNomination(campaign.id(), "BK_UBND_TINH", new_.id());
  *batch.add_nominations() =
      PersonNomination(campaign.id(), "BK_UBND_TINH", other_officer_.id());
  v1::BatchNominateResponse batched;
  status = stub_->BatchNominate(Context().get(), batch, &batched);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(batched.nominations_size(), 0);
  ASSERT_EQ(batched.errors_size(), 2);
  EXPECT_EQ(batched.errors(0).index(), 0);
  EXPECT_TRUE(absl::StrContains(batched.errors(0).message(), "scoring"))
      << batched.errors(0).message();
  EXPECT_EQ(batched.errors(1).index(), 1);
  EXPECT_TRUE(absl::StrContains(batched.errors(1).message(), "not attempted"))
      << batched.errors(1).message();

  status = Approve(proposed.id(), &out);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE) << Dump(status);

  EXPECT_EQ(TotalNominations(campaign.id()), 2);
  EXPECT_EQ(Get(proposed.id()).stage(), v1::NOMINATION_STAGE_PROPOSED);
  EXPECT_EQ(Get(proposed.id()).etag(), proposed.etag());

  // Issuing needs no eligibility check, so it does not depend on scoring.
  v1::Decision decision;
  status = Issue("50/QĐ-CAT", {approved.id()}, &decision);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(Get(approved.id()).stage(), v1::NOMINATION_STAGE_ISSUED);
}

}  // namespace
}  // namespace antt::awards
