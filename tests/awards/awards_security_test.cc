// AwardsService over real sockets with mutual TLS and bearer tokens, all
// issued by scripts/antt-credentials: which role may call which method, no or
// a bad token, the ADMIN-only override, an officer limited to Quảng Trị acting
// inside and outside its area, and the audit log every mutating call appends
// to (a refused call appends nothing), read through AuditService. The
// registry runs in-process over mutual TLS too and is called with the awards
// service's own certificate and SERVICE token, so area scope is decided from
// real registry records; scoring is a fake (it only decides eligibility).

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "antt/audit/v1/audit.grpc.pb.h"
#include "antt/awards/v1/awards.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/audit_service.h"
#include "common/auth.h"
#include "common/digest.h"
#include "common/server_runner.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/awards/award_catalog.h"
#include "services/awards/awards.h"
#include "services/awards/awards_service.h"
#include "services/awards/dependencies.h"
#include "services/awards/rocksdb_awards_store.h"
#include "services/registry/registry.h"
#include "services/registry/registry_service.h"
#include "services/registry/rocksdb_registry_store.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/credentials.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::awards {
namespace {

namespace av1 = ::antt::audit::v1;
namespace rv1 = ::antt::registry::v1;
namespace sv1 = ::antt::scoring::v1;
using ::antt::registry::testing::Agency;
using ::antt::testing::TestPki;
using ::grpc::StatusCode;

constexpr char kService[] = "antt.awards.v1.AwardsService";

std::string Dump(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

const AwardCatalog& Catalog() {
  return antt::testing::LoadOnce<AwardCatalog>([] {
    return AwardCatalog::Load(antt::testing::SourceDataDir() +
                              "/awards/award_types.json");
  });
}

const registry::AreaCatalog& Areas() { return antt::testing::SourceAreas(); }

google::type::Date Date(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// Scoring's history: 2019 recognised for the units named, nothing for the
// others (so their nominations are not eligible).
class FakeScoring final : public ScoringClient {
 public:
  void Recognize(const std::string& unit_id) {
    absl::MutexLock lock(&mu_);
    recognized_.insert(unit_id);
  }
  absl::StatusOr<sv1::GetUnitHistoryResponse> GetUnitHistory(
      absl::string_view unit_id, int) override {
    absl::MutexLock lock(&mu_);
    sv1::GetUnitHistoryResponse response;
    if (recognized_.count(std::string(unit_id)) > 0) {
      sv1::HistoryYear* year = response.add_years();
      year->set_year(2019);
      year->set_stage(sv1::STAGE_RECOGNIZED);
      year->set_meets_standard(true);
      year->set_classification(sv1::CLASSIFICATION_GOOD);
    }
    return response;
  }

 private:
  absl::Mutex mu_;
  std::set<std::string> recognized_ ABSL_GUARDED_BY(mu_);
};

// One RPC of AwardsService called with an empty request.
struct Call {
  std::string method;
  std::function<grpc::Status(v1::AwardsService::Stub*, grpc::ClientContext*)>
      call;
};

template <typename Request, typename Response>
Call EmptyCall(std::string method,
               grpc::Status (v1::AwardsService::Stub::*rpc)(
                   grpc::ClientContext*, const Request&, Response*)) {
  return {std::move(method),
          [rpc](v1::AwardsService::Stub* stub, grpc::ClientContext* context) {
            Response response;
            return (stub->*rpc)(context, Request(), &response);
          }};
}

// Every method, with the roles the README's table admits: reads for every
// role, writes for ADMIN and OFFICER. Written out here, not read from
// AwardsAccessPolicy(), so a wrong policy fails.
std::vector<std::pair<Call, Roles>> EveryMethod() {
  using Stub = v1::AwardsService::Stub;
  return {
      {EmptyCall("ListAwardTypes", &Stub::ListAwardTypes), kReaders},
      {EmptyCall("GetCampaign", &Stub::GetCampaign), kReaders},
      {EmptyCall("ListCampaigns", &Stub::ListCampaigns), kReaders},
      {EmptyCall("CheckEligibility", &Stub::CheckEligibility), kReaders},
      {EmptyCall("ListNominations", &Stub::ListNominations), kReaders},
      {EmptyCall("GetCampaignSummary", &Stub::GetCampaignSummary), kReaders},
      {EmptyCall("ListRecipientAwards", &Stub::ListRecipientAwards), kReaders},
      {EmptyCall("CreateCampaign", &Stub::CreateCampaign), kWriters},
      {EmptyCall("CloseCampaign", &Stub::CloseCampaign), kWriters},
      {EmptyCall("Nominate", &Stub::Nominate), kWriters},
      {EmptyCall("BatchNominate", &Stub::BatchNominate), kWriters},
      {EmptyCall("ApproveNomination", &Stub::ApproveNomination), kWriters},
      {EmptyCall("RejectNomination", &Stub::RejectNomination), kWriters},
      {EmptyCall("DeferNomination", &Stub::DeferNomination), kWriters},
      {EmptyCall("IssueDecision", &Stub::IssueDecision), kWriters},
      {EmptyCall("RevokeAward", &Stub::RevokeAward), kWriters},
  };
}

class AwardsSecurityTest : public ::testing::Test {
 protected:
  // One CA, certificates and tokens for the whole suite (openssl is slow).
  static void SetUpTestSuite() {
    const std::filesystem::path dir =
        std::filesystem::path(::testing::TempDir()) /
        ("antt-" + std::to_string(getpid())) / "AwardsSecurityTest.pki";
    std::filesystem::remove_all(dir);
    pki_ = new TestPki(dir.string());
    pki_->IssueCert("server");
    pki_->IssueCert("client");
    tokens_ = new std::map<std::string, std::string>;
    for (const auto& [name, role] :
         std::vector<std::pair<std::string, std::string>>{
             {"admin", "ADMIN"},
             {"officer", "OFFICER"},
             {"viewer", "VIEWER"},
             {"service", "SERVICE"},
             {"antt-awards", "SERVICE"}}) {
      (*tokens_)[name] = pki_->IssueToken(name, role);
    }
    // Quảng Trị in the current area list.
    (*tokens_)["officer-qt"] =
        pki_->IssueToken("officer-qt", "OFFICER", "44", "2026-07");
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
    delete tokens_;
    tokens_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(pki_, nullptr);
    const std::string dir = antt::testing::FreshTestDir();
    auto authenticator = Authenticator::FromFile(pki_->principals());
    ASSERT_OK(authenticator);
    authenticator_ = *std::move(authenticator);

    // The registry, on its own mutual-TLS port.
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
                                   {registry_service_.get()});
    ASSERT_NE(registry_server_, nullptr);
    const std::string registry_address =
        absl::StrCat("127.0.0.1:", registry_server_->port());

    // Awards, calling the registry as "antt-awards".
    auto store = RocksDbAwardsStore::Open(dir + "/awards");
    ASSERT_OK(store);
    store_ = *std::move(store);
    registry_client_ = NewGrpcRegistryClient(
        registry_address, absl::Seconds(5),
        pki_->Credentials("server", Token("antt-awards")));
    Awards::Dependencies deps;
    deps.catalog = &Catalog();
    deps.store = store_.get();
    deps.registry = registry_client_.get();
    deps.scoring = &scoring_;
    deps.today = [] { return absl::CivilDay(2020, 3, 1); };
    awards_ = std::make_unique<Awards>(deps);
    service_ = std::make_unique<AwardsServiceImpl>(awards_.get(),
                                                   authenticator_.get());
    audit_service_ = std::make_unique<AuditServiceImpl>(store_->audit_log(),
                                                        authenticator_.get());
    server_ = StartServer(kService, {service_.get(), audit_service_.get()});
    ASSERT_NE(server_, nullptr);
    address_ = absl::StrCat("127.0.0.1:", server_->port());

    // Sở Tư pháp of Quảng Trị (recognised in 2019) and a person working
    // there; Sở Tư pháp of Hà Nội (not recognised) and a person there.
    auto registry_stub = rv1::RegistryService::NewStub(grpc::CreateChannel(
        registry_address, pki_->Credentials("client", Token("admin"))));
    qt_unit_ = CreateUnit(registry_stub.get(), Agency("Sở Tư pháp"));
    rv1::Unit hanoi = Agency("Sở Tư pháp Hà Nội");
    hanoi.set_province_code("01");
    hanoi.set_commune_code("00004");
    hanoi.set_legacy_province_code("01");
    hanoi.set_legacy_district_code("001");
    hanoi.set_legacy_commune_code("00001");
    hn_unit_ = CreateUnit(registry_stub.get(), hanoi);
    qt_person_ = CreatePerson(registry_stub.get(), "Trần Thị Mai", qt_unit_);
    hn_person_ = CreatePerson(registry_stub.get(), "Lê Văn Hùng", hn_unit_);
    ASSERT_FALSE(HasFailure());
    scoring_.Recognize(qt_unit_.id());

    // The first audit record: the campaign.
    v1::CreateCampaignRequest create;
    *create.mutable_campaign() = CampaignOf("Tổng kết năm 2019");
    grpc::Status status =
        As("admin")->CreateCampaign(Context().get(), create, &campaign_);
    ASSERT_TRUE(status.ok()) << Dump(status);
  }

  void TearDown() override {
    for (GrpcServer* server : {server_.get(), registry_server_.get()}) {
      if (server != nullptr) server->Shutdown(absl::Now() + absl::Seconds(5));
    }
  }

  static std::string Token(const std::string& name) {
    return tokens_->at(name);
  }

  // A server with this suite's certificate, clients' certificates required
  // (mutual TLS), callers from the principals file.
  std::unique_ptr<GrpcServer> StartServer(
      const std::string& name, const std::vector<grpc::Service*>& services) {
    ServerOptions options;
    options.service_name = name;
    options.listen = "127.0.0.1:0";
    options.tls = {pki_->cert("server"), pki_->key("server"), pki_->ca()};
    options.authenticator = authenticator_.get();
    auto server = GrpcServer::Start(options, services);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  // A stub presenting the client certificate and the token of `principal`
  // (no token when empty).
  v1::AwardsService::Stub* As(const std::string& principal) {
    auto& stub = stubs_[principal];
    if (stub == nullptr) {
      stub = v1::AwardsService::NewStub(grpc::CreateChannel(
          address_, pki_->Credentials(
                        "client", principal.empty() ? "" : Token(principal))));
    }
    return stub.get();
  }

  av1::AuditService::Stub* AuditAs(const std::string& principal) {
    auto& stub = audit_stubs_[principal];
    if (stub == nullptr) {
      stub = av1::AuditService::NewStub(grpc::CreateChannel(
          address_, pki_->Credentials(
                        "client", principal.empty() ? "" : Token(principal))));
    }
    return stub.get();
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  static rv1::Unit CreateUnit(rv1::RegistryService::Stub* registry,
                              const rv1::Unit& unit) {
    rv1::CreateUnitRequest request;
    *request.mutable_unit() = unit;
    rv1::Unit created;
    grpc::Status status =
        registry->CreateUnit(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  static rv1::Person CreatePerson(rv1::RegistryService::Stub* registry,
                                  const std::string& name,
                                  const rv1::Unit& unit) {
    rv1::CreatePersonRequest request;
    rv1::Person* person = request.mutable_person();
    person->set_full_name(name);
    person->set_gender(rv1::GENDER_FEMALE);
    person->set_birth_year(1985);
    person->set_unit_id(unit.id());
    rv1::Person created;
    grpc::Status status =
        registry->CreatePerson(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  static v1::Campaign CampaignOf(const std::string& title) {
    v1::Campaign campaign;
    campaign.set_title(title);
    campaign.set_first_year(2019);
    campaign.set_last_year(2019);
    *campaign.mutable_nomination_deadline() = Date(2020, 3, 31);
    return campaign;
  }

  // A GK_CAT nomination of a unit or (with `person`) of a person.
  v1::NominateRequest NominateRequest(const std::string& recipient_id,
                                      bool person = false) {
    v1::NominateRequest request;
    v1::Nomination* n = request.mutable_nomination();
    n->set_campaign_id(campaign_.id());
    n->set_award_type("GK_CAT");
    if (person) {
      n->set_person_id(recipient_id);
    } else {
      n->set_unit_id(recipient_id);
    }
    n->set_achievements("Đạt chuẩn An toàn về an ninh, trật tự");
    return request;
  }

  grpc::Status Nominate(const std::string& principal,
                        const v1::NominateRequest& request,
                        v1::Nomination* out) {
    return As(principal)->Nominate(Context().get(), request, out);
  }

  v1::Nomination MustNominate(const std::string& principal,
                              const std::string& recipient_id,
                              bool person = false) {
    v1::Nomination out;
    grpc::Status status =
        Nominate(principal, NominateRequest(recipient_id, person), &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  grpc::Status Approve(const std::string& principal, const std::string& id,
                       const std::string& justification, v1::Nomination* out) {
    v1::ApproveNominationRequest request;
    request.set_id(id);
    request.set_override_justification(justification);
    return As(principal)->ApproveNomination(Context().get(), request, out);
  }

  static v1::IssueDecisionRequest DecisionOf(
      const std::string& number, const std::vector<std::string>& ids) {
    v1::IssueDecisionRequest request;
    v1::Decision* d = request.mutable_decision();
    d->set_number(number);
    *d->mutable_date() = Date(2020, 5, 15);
    d->set_authority("Giám đốc Công an tỉnh Quảng Trị");
    d->set_signer("Đại tá Nguyễn Văn Hùng");
    for (const std::string& id : ids) request.add_nomination_ids(id);
    return request;
  }

  // The stage of nomination `id`, read by the admin.
  v1::NominationStage StageOf(const std::string& id) {
    v1::ListNominationsRequest request;
    request.set_campaign_id(campaign_.id());
    request.set_page_size(1000);
    v1::ListNominationsResponse response;
    grpc::Status status =
        As("admin")->ListNominations(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    for (const v1::Nomination& n : response.nominations()) {
      if (n.id() == id) return n.stage();
    }
    ADD_FAILURE() << "nomination " << id << " not listed";
    return v1::NOMINATION_STAGE_UNSPECIFIED;
  }

  // The whole audit log, read by the admin.
  std::vector<av1::AuditRecord> AuditRecords() {
    av1::ListAuditRecordsRequest request;
    request.set_page_size(1000);
    av1::ListAuditRecordsResponse response;
    grpc::Status status =
        AuditAs("admin")->ListAuditRecords(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    EXPECT_TRUE(response.next_page_token().empty());
    return {response.records().begin(), response.records().end()};
  }

  av1::VerifyAuditChainResponse Verify() {
    av1::VerifyAuditChainResponse response;
    grpc::Status status = AuditAs("admin")->VerifyAuditChain(
        Context().get(), av1::VerifyAuditChainRequest(), &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response;
  }

  // (caller, method, target ids) of each record after the first `skip`.
  std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>
  Summaries(const std::vector<av1::AuditRecord>& records, size_t skip) {
    std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>
        out;
    for (size_t i = skip; i < records.size(); ++i) {
      const av1::AuditRecord& r = records[i];
      out.emplace_back(r.caller(), r.method(),
                       std::vector<std::string>(r.target_ids().begin(),
                                                r.target_ids().end()));
    }
    return out;
  }

  static std::string Method(const std::string& name) {
    return absl::StrCat(kService, "/", name);
  }

  static TestPki* pki_;
  static std::map<std::string, std::string>* tokens_;

  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<registry::RocksDbRegistryStore> registry_store_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<registry::RegistryServiceImpl> registry_service_;
  std::unique_ptr<GrpcServer> registry_server_;

  FakeScoring scoring_;
  std::unique_ptr<RocksDbAwardsStore> store_;
  std::unique_ptr<RegistryClient> registry_client_;
  std::unique_ptr<Awards> awards_;
  std::unique_ptr<AwardsServiceImpl> service_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<GrpcServer> server_;
  std::string address_;
  std::map<std::string, std::unique_ptr<v1::AwardsService::Stub>> stubs_;
  std::map<std::string, std::unique_ptr<av1::AuditService::Stub>> audit_stubs_;

  rv1::Unit qt_unit_;
  rv1::Unit hn_unit_;
  rv1::Person qt_person_;
  rv1::Person hn_person_;
  v1::Campaign campaign_;
};

TestPki* AwardsSecurityTest::pki_ = nullptr;
std::map<std::string, std::string>* AwardsSecurityTest::tokens_ = nullptr;

// ------------------------------------------------------------ Roles

TEST_F(AwardsSecurityTest, EachRoleCallsExactlyTheMethodsItsRoleAdmits) {
  const std::vector<std::pair<std::string, Role>> principals = {
      {"admin", Role::kAdmin},
      {"officer", Role::kOfficer},
      {"viewer", Role::kViewer},
      {"service", Role::kService}};
  for (const auto& [call, roles] : EveryMethod()) {
    for (const auto& [principal, role] : principals) {
      const grpc::Status status = call.call(As(principal), Context().get());
      const std::string where = absl::StrCat(call.method, " by ", principal);
      if ((roles & static_cast<Roles>(role)) == 0) {
        EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
            << where << ": " << Dump(status);
        EXPECT_TRUE(absl::StrContains(status.error_message(), principal))
            << where << ": " << Dump(status);
        EXPECT_TRUE(absl::StrContains(status.error_message(), call.method))
            << where << ": " << Dump(status);
      } else {
        // Admitted: the empty request is answered or refused as invalid.
        EXPECT_TRUE(status.ok() ||
                    status.error_code() == StatusCode::INVALID_ARGUMENT)
            << where << ": " << Dump(status);
      }
    }
  }
}

TEST_F(AwardsSecurityTest, EachRoleAgainstARealReadAndWrite) {
  for (const std::string principal :
       {"admin", "officer", "viewer", "service"}) {
    v1::CreateCampaignRequest create;
    *create.mutable_campaign() = CampaignOf("Sơ kết của " + principal);
    v1::Campaign created;
    grpc::Status write =
        As(principal)->CreateCampaign(Context().get(), create, &created);
    if (principal == "admin" || principal == "officer") {
      EXPECT_TRUE(write.ok()) << principal << ": " << Dump(write);
    } else {
      EXPECT_EQ(write.error_code(), StatusCode::PERMISSION_DENIED)
          << principal << ": " << Dump(write);
    }
    v1::GetCampaignRequest get;
    get.set_id(campaign_.id());
    v1::Campaign read;
    grpc::Status status =
        As(principal)->GetCampaign(Context().get(), get, &read);
    EXPECT_TRUE(status.ok()) << principal << ": " << Dump(status);
    EXPECT_EQ(read.title(), "Tổng kết năm 2019") << principal;
  }
  // Only the admin's and the officer's campaigns exist.
  v1::ListCampaignsResponse campaigns;
  grpc::Status status = As("viewer")->ListCampaigns(
      Context().get(), v1::ListCampaignsRequest(), &campaigns);
  ASSERT_TRUE(status.ok()) << Dump(status);
  std::vector<std::string> titles;
  for (const v1::Campaign& c : campaigns.campaigns())
    titles.push_back(c.title());
  EXPECT_EQ(titles,
            (std::vector<std::string>{"Tổng kết năm 2019", "Sơ kết của admin",
                                      "Sơ kết của officer"}));
}

TEST_F(AwardsSecurityTest, NoTokenOrABadTokenIsUnauthenticated) {
  auto bad_token = v1::AwardsService::NewStub(grpc::CreateChannel(
      address_, pki_->Credentials("client", std::string(64, 'f'))));
  for (const auto& [call, roles] : EveryMethod()) {
    grpc::Status none = call.call(As(""), Context().get());
    EXPECT_EQ(none.error_code(), StatusCode::UNAUTHENTICATED)
        << call.method << ": " << Dump(none);
    grpc::Status bad = call.call(bad_token.get(), Context().get());
    EXPECT_EQ(bad.error_code(), StatusCode::UNAUTHENTICATED)
        << call.method << ": " << Dump(bad);
    // Never echoed back.
    EXPECT_FALSE(absl::StrContains(bad.error_message(), std::string(64, 'f')))
        << Dump(bad);
  }
  // Not a bearer token at all.
  auto context = Context();
  context->AddMetadata("authorization", "Basic " + Token("admin"));
  v1::ListCampaignsResponse campaigns;
  grpc::Status basic = As("")->ListCampaigns(
      context.get(), v1::ListCampaignsRequest(), &campaigns);
  EXPECT_EQ(basic.error_code(), StatusCode::UNAUTHENTICATED) << Dump(basic);
  // And the refused writes stored nothing.
  EXPECT_EQ(AuditRecords().size(), 1u);
}

TEST_F(AwardsSecurityTest, PlaintextAndClientsWithoutACertificateGetNoAnswer) {
  auto plaintext = v1::AwardsService::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  auto no_certificate = v1::AwardsService::NewStub(
      grpc::CreateChannel(address_, pki_->Credentials("", Token("admin"))));
  for (v1::AwardsService::Stub* stub :
       {plaintext.get(), no_certificate.get()}) {
    auto context = Context();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(2));
    v1::ListCampaignsResponse campaigns;
    grpc::Status status = stub->ListCampaigns(
        context.get(), v1::ListCampaignsRequest(), &campaigns);
    EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE) << Dump(status);
    EXPECT_EQ(campaigns.campaigns_size(), 0);
  }
}

// ------------------------------------------------------------ Override

TEST_F(AwardsSecurityTest, OnlyAnAdminApprovesWithAnOverrideJustification) {
  const v1::Nomination ineligible = MustNominate("admin", hn_unit_.id());
  ASSERT_FALSE(ineligible.eligible());
  const std::string why = "Hồ sơ năm 2019 đã được Sở xác minh";

  v1::Nomination out;
  grpc::Status officer = Approve("officer", ineligible.id(), why, &out);
  EXPECT_EQ(officer.error_code(), StatusCode::PERMISSION_DENIED)
      << Dump(officer);
  EXPECT_TRUE(absl::StrContains(officer.error_message(), "officer (OFFICER)"))
      << Dump(officer);
  EXPECT_TRUE(absl::StrContains(officer.error_message(), ineligible.id()))
      << Dump(officer);
  EXPECT_TRUE(
      absl::StrContains(officer.error_message(), "override_justification"))
      << Dump(officer);
  EXPECT_EQ(StageOf(ineligible.id()), v1::NOMINATION_STAGE_PROPOSED);
  // Without the justification it is simply not eligible.
  grpc::Status plain = Approve("officer", ineligible.id(), "", &out);
  EXPECT_EQ(plain.error_code(), StatusCode::FAILED_PRECONDITION) << Dump(plain);

  grpc::Status admin = Approve("admin", ineligible.id(), why, &out);
  ASSERT_TRUE(admin.ok()) << Dump(admin);
  EXPECT_EQ(out.stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_EQ(out.override_justification(), why);
}

// ------------------------------------------------------------ Area scope

TEST_F(AwardsSecurityTest, AreaOfficerNominatesOnlyInItsArea) {
  v1::Nomination out;
  grpc::Status unit_in =
      Nominate("officer-qt", NominateRequest(qt_unit_.id()), &out);
  EXPECT_TRUE(unit_in.ok()) << Dump(unit_in);
  grpc::Status person_in = Nominate(
      "officer-qt", NominateRequest(qt_person_.id(), /*person=*/true), &out);
  EXPECT_TRUE(person_in.ok()) << Dump(person_in);

  grpc::Status unit_out =
      Nominate("officer-qt", NominateRequest(hn_unit_.id()), &out);
  EXPECT_EQ(unit_out.error_code(), StatusCode::PERMISSION_DENIED)
      << Dump(unit_out);
  EXPECT_TRUE(absl::StrContains(unit_out.error_message(),
                                "officer-qt (OFFICER, area 44 of 2026-07)"))
      << Dump(unit_out);
  EXPECT_TRUE(
      absl::StrContains(unit_out.error_message(), "unit " + hn_unit_.id()))
      << Dump(unit_out);
  grpc::Status person_out = Nominate(
      "officer-qt", NominateRequest(hn_person_.id(), /*person=*/true), &out);
  EXPECT_EQ(person_out.error_code(), StatusCode::PERMISSION_DENIED)
      << Dump(person_out);
  EXPECT_TRUE(absl::StrContains(person_out.error_message(),
                                "person " + hn_person_.id()))
      << Dump(person_out);

  // Two nominations, both in Quảng Trị.
  v1::ListNominationsRequest list;
  list.set_campaign_id(campaign_.id());
  v1::ListNominationsResponse listed;
  ASSERT_TRUE(
      As("admin")->ListNominations(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.total_size(), 2);
}

TEST_F(AwardsSecurityTest, AreaOfficerApprovesOnlyInItsArea) {
  const v1::Nomination qt = MustNominate("admin", qt_unit_.id());
  const v1::Nomination hn = MustNominate("admin", hn_unit_.id());
  ASSERT_TRUE(qt.eligible());

  v1::Nomination out;
  grpc::Status outside = Approve("officer-qt", hn.id(), "", &out);
  EXPECT_EQ(outside.error_code(), StatusCode::PERMISSION_DENIED)
      << Dump(outside);
  EXPECT_TRUE(absl::StrContains(outside.error_message(), "officer-qt"))
      << Dump(outside);
  // Named by the nomination, never by its recipient elsewhere.
  EXPECT_TRUE(
      absl::StrContains(outside.error_message(), "nomination " + hn.id()))
      << Dump(outside);
  EXPECT_FALSE(absl::StrContains(outside.error_message(), hn_unit_.id()))
      << Dump(outside);
  EXPECT_EQ(StageOf(hn.id()), v1::NOMINATION_STAGE_PROPOSED);

  grpc::Status inside = Approve("officer-qt", qt.id(), "", &out);
  ASSERT_TRUE(inside.ok()) << Dump(inside);
  EXPECT_EQ(out.stage(), v1::NOMINATION_STAGE_APPROVED);
}

TEST_F(AwardsSecurityTest, AreaOfficerListsNominationsOnlyByARecipientInIt) {
  MustNominate("admin", qt_unit_.id());
  MustNominate("admin", hn_unit_.id());
  MustNominate("admin", hn_person_.id(), /*person=*/true);

  v1::ListNominationsRequest request;
  request.set_campaign_id(campaign_.id());
  v1::ListNominationsResponse response;
  grpc::Status unfiltered =
      As("officer-qt")->ListNominations(Context().get(), request, &response);
  EXPECT_EQ(unfiltered.error_code(), StatusCode::PERMISSION_DENIED)
      << Dump(unfiltered);
  EXPECT_TRUE(absl::StrContains(unfiltered.error_message(), "officer-qt"))
      << Dump(unfiltered);
  EXPECT_EQ(response.nominations_size(), 0);

  request.set_unit_id(qt_unit_.id());
  grpc::Status mine =
      As("officer-qt")->ListNominations(Context().get(), request, &response);
  ASSERT_TRUE(mine.ok()) << Dump(mine);
  ASSERT_EQ(response.nominations_size(), 1);
  EXPECT_EQ(response.nominations(0).unit_id(), qt_unit_.id());

  for (const auto& [unit_id, person_id] :
       std::vector<std::pair<std::string, std::string>>{
           {hn_unit_.id(), ""}, {"", hn_person_.id()}}) {
    request.set_unit_id(unit_id);
    request.set_person_id(person_id);
    v1::ListNominationsResponse theirs;
    grpc::Status status =
        As("officer-qt")->ListNominations(Context().get(), request, &theirs);
    EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
        << Dump(status);
    EXPECT_EQ(theirs.nominations_size(), 0);
  }
  // Without an area limit, the whole campaign.
  request.clear_unit_id();
  request.clear_person_id();
  grpc::Status all =
      As("officer")->ListNominations(Context().get(), request, &response);
  ASSERT_TRUE(all.ok()) << Dump(all);
  EXPECT_EQ(response.total_size(), 3);
}

TEST_F(AwardsSecurityTest, AreaOfficerNeitherSummarisesNorCreatesCampaigns) {
  MustNominate("admin", qt_unit_.id());
  v1::GetCampaignSummaryRequest summary;
  summary.set_campaign_id(campaign_.id());
  v1::GetCampaignSummaryResponse rows;
  grpc::Status denied =
      As("officer-qt")->GetCampaignSummary(Context().get(), summary, &rows);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED) << Dump(denied);
  EXPECT_TRUE(absl::StrContains(denied.error_message(), "officer-qt"))
      << Dump(denied);
  EXPECT_TRUE(absl::StrContains(denied.error_message(), campaign_.id()))
      << Dump(denied);
  EXPECT_EQ(rows.rows_size(), 0);
  grpc::Status national =
      As("officer")->GetCampaignSummary(Context().get(), summary, &rows);
  ASSERT_TRUE(national.ok()) << Dump(national);
  EXPECT_EQ(rows.rows_size(), 1);

  v1::CreateCampaignRequest create;
  *create.mutable_campaign() = CampaignOf("Sơ kết Quảng Trị");
  v1::Campaign created;
  grpc::Status create_denied =
      As("officer-qt")->CreateCampaign(Context().get(), create, &created);
  EXPECT_EQ(create_denied.error_code(), StatusCode::PERMISSION_DENIED)
      << Dump(create_denied);
  EXPECT_TRUE(absl::StrContains(create_denied.error_message(), "officer-qt"))
      << Dump(create_denied);
  v1::ListCampaignsResponse campaigns;
  ASSERT_TRUE(As("officer-qt")
                  ->ListCampaigns(Context().get(), v1::ListCampaignsRequest(),
                                  &campaigns)
                  .ok());
  EXPECT_EQ(campaigns.campaigns_size(), 1);
}

// ------------------------------------------------------------ Audit

TEST_F(AwardsSecurityTest, EveryMutatingCallAppendsItsAuditRecord) {
  // Nominations by the officer, one by one and in a batch.
  const v1::NominateRequest nominate = NominateRequest(qt_unit_.id());
  v1::Nomination unit;
  grpc::Status status = Nominate("officer", nominate, &unit);
  ASSERT_TRUE(status.ok()) << Dump(status);
  v1::BatchNominateRequest batch;
  *batch.add_nominations() =
      NominateRequest(qt_person_.id(), /*person=*/true).nomination();
  *batch.add_nominations() = NominateRequest(hn_unit_.id()).nomination();
  v1::BatchNominateResponse batched;
  status = As("officer")->BatchNominate(Context().get(), batch, &batched);
  ASSERT_TRUE(status.ok()) << Dump(status);
  ASSERT_EQ(batched.nominations_size(), 2);
  const std::string person = batched.nominations(0).id();
  const std::string hanoi = batched.nominations(1).id();

  // Reads append nothing.
  v1::CheckEligibilityRequest check;
  check.set_nomination_id(unit.id());
  v1::CheckEligibilityResponse eligibility;
  ASSERT_TRUE(
      As("admin")->CheckEligibility(Context().get(), check, &eligibility).ok());
  StageOf(unit.id());

  v1::Nomination out;
  ASSERT_TRUE(Approve("officer", unit.id(), "", &out).ok());
  v1::DeferNominationRequest defer;
  defer.set_id(person);
  defer.set_reason("Chờ xác minh");
  status = As("admin")->DeferNomination(Context().get(), defer, &out);
  ASSERT_TRUE(status.ok()) << Dump(status);
  v1::RejectNominationRequest reject;
  reject.set_id(hanoi);
  reject.set_reason("Đơn vị chưa được công nhận năm 2019");
  status = As("admin")->RejectNomination(Context().get(), reject, &out);
  ASSERT_TRUE(status.ok()) << Dump(status);
  v1::Decision decision;
  status = As("admin")->IssueDecision(
      Context().get(), DecisionOf("9/QĐ-CAT", {unit.id()}), &decision);
  ASSERT_TRUE(status.ok()) << Dump(status);
  v1::RevokeAwardRequest revoke;
  revoke.set_nomination_id(unit.id());
  revoke.set_reason("Hồ sơ khai không đúng");
  status = As("admin")->RevokeAward(Context().get(), revoke, &out);
  ASSERT_TRUE(status.ok()) << Dump(status);
  v1::CloseCampaignRequest close;
  close.set_id(campaign_.id());
  v1::Campaign closed;
  status = As("officer")->CloseCampaign(Context().get(), close, &closed);
  ASSERT_TRUE(status.ok()) << Dump(status);

  const std::vector<av1::AuditRecord> records = AuditRecords();
  using Ids = std::vector<std::string>;
  EXPECT_EQ(Summaries(records, 0),
            (std::vector<std::tuple<std::string, std::string, Ids>>{
                {"admin", Method("CreateCampaign"), Ids{campaign_.id()}},
                {"officer", Method("Nominate"), Ids{unit.id()}},
                {"officer", Method("BatchNominate"), Ids{person}},
                {"officer", Method("BatchNominate"), Ids{hanoi}},
                {"officer", Method("ApproveNomination"), Ids{unit.id()}},
                {"admin", Method("DeferNomination"), Ids{person}},
                {"admin", Method("RejectNomination"), Ids{hanoi}},
                {"admin", Method("IssueDecision"), Ids{"9/QĐ-CAT", unit.id()}},
                {"admin", Method("RevokeAward"), Ids{unit.id()}},
                {"officer", Method("CloseCampaign"), Ids{campaign_.id()}},
            }));
  // Numbered 1, 2, 3, … and chained, each with the digest of its request.
  std::string previous(64, '0');
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].sequence(), i + 1);
    EXPECT_EQ(records[i].previous_hash(), previous) << i;
    EXPECT_EQ(records[i].hash().size(), 64u);
    EXPECT_EQ(records[i].request_sha256().size(), 64u);
    EXPECT_GT(records[i].time().seconds(), 0);
    previous = records[i].hash();
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    ASSERT_TRUE(nominate.SerializeToCodedStream(&coded));
  }
  EXPECT_EQ(records[1].request_sha256(), Sha256Hex(bytes));
  // No token of any principal is stored.
  for (const av1::AuditRecord& record : records) {
    for (const auto& [name, token] : *tokens_) {
      EXPECT_FALSE(absl::StrContains(record.SerializeAsString(), token))
          << name;
    }
  }

  const av1::VerifyAuditChainResponse verified = Verify();
  EXPECT_TRUE(verified.intact()) << verified.problem();
  EXPECT_EQ(verified.records_checked(), records.size());
  EXPECT_EQ(verified.last_sequence(), records.size());
  EXPECT_EQ(verified.last_hash(), records.back().hash());
}

TEST_F(AwardsSecurityTest, ARefusedOrRepeatedWriteAppendsNoRecord) {
  v1::NominateRequest nominate = NominateRequest(qt_unit_.id());
  nominate.set_request_id("nominate-qt-1");
  v1::Nomination first;
  ASSERT_TRUE(Nominate("admin", nominate, &first).ok());
  const size_t before = AuditRecords().size();
  ASSERT_EQ(before, 2u);

  struct Refused {
    std::string what;
    StatusCode code;
    std::function<grpc::Status()> call;
  };
  v1::Nomination out;
  const std::vector<Refused> refused = {
      {"a stale etag", StatusCode::ABORTED,
       [&] {
         v1::RejectNominationRequest reject;
         reject.set_id(first.id());
         reject.set_etag("0");
         reject.set_reason("Có khiếu nại");
         return As("admin")->RejectNomination(Context().get(), reject, &out);
       }},
      {"a second nomination of the recipient", StatusCode::ALREADY_EXISTS,
       [&] { return Nominate("admin", NominateRequest(qt_unit_.id()), &out); }},
      {"a decision on a PROPOSED nomination", StatusCode::FAILED_PRECONDITION,
       [&] {
         v1::Decision decision;
         return As("admin")->IssueDecision(
             Context().get(), DecisionOf("10/QĐ-CAT", {first.id()}), &decision);
       }},
      {"an unknown nomination", StatusCode::NOT_FOUND,
       [&] { return Approve("admin", "N0000000404", "", &out); }},
      {"an invalid campaign", StatusCode::INVALID_ARGUMENT,
       [&] {
         v1::Campaign created;
         return As("admin")->CreateCampaign(
             Context().get(), v1::CreateCampaignRequest(), &created);
       }},
      {"a viewer's campaign", StatusCode::PERMISSION_DENIED,
       [&] {
         v1::CreateCampaignRequest create;
         *create.mutable_campaign() = CampaignOf("Sơ kết");
         v1::Campaign created;
         return As("viewer")->CreateCampaign(Context().get(), create, &created);
       }},
      {"an officer's override", StatusCode::PERMISSION_DENIED,
       [&] { return Approve("officer", first.id(), "Đã xác minh", &out); }},
      {"a nomination outside the officer's area", StatusCode::PERMISSION_DENIED,
       [&] {
         return Nominate("officer-qt", NominateRequest(hn_unit_.id()), &out);
       }},
      {"no token", StatusCode::UNAUTHENTICATED,
       [&] { return Nominate("", NominateRequest(hn_unit_.id()), &out); }},
  };
  for (const Refused& r : refused) {
    grpc::Status status = r.call();
    EXPECT_EQ(status.error_code(), r.code) << r.what << ": " << Dump(status);
    EXPECT_EQ(AuditRecords().size(), before) << r.what;
  }
  EXPECT_EQ(StageOf(first.id()), v1::NOMINATION_STAGE_PROPOSED);

  // A retry of an acknowledged request writes nothing, so no record either.
  v1::Nomination retry;
  grpc::Status status = Nominate("admin", nominate, &retry);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(retry.id(), first.id());
  EXPECT_EQ(AuditRecords().size(), before);

  // Closed: nominating again and closing again are refused, unrecorded.
  v1::CloseCampaignRequest close;
  close.set_id(campaign_.id());
  v1::Campaign closed;
  ASSERT_TRUE(As("admin")->CloseCampaign(Context().get(), close, &closed).ok());
  EXPECT_EQ(AuditRecords().size(), before + 1);
  status = Nominate("admin", NominateRequest(qt_person_.id(), true), &out);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  status = As("admin")->CloseCampaign(Context().get(), close, &closed);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(status);
  EXPECT_EQ(AuditRecords().size(), before + 1);

  const av1::VerifyAuditChainResponse verified = Verify();
  EXPECT_TRUE(verified.intact()) << verified.problem();
  EXPECT_EQ(verified.records_checked(), before + 1);
}

TEST_F(AwardsSecurityTest, OnlyAnAdminReadsAndVerifiesTheAuditLog) {
  for (const std::string principal :
       {"officer", "officer-qt", "viewer", "service", "antt-awards"}) {
    av1::VerifyAuditChainResponse verified;
    grpc::Status verify = AuditAs(principal)->VerifyAuditChain(
        Context().get(), av1::VerifyAuditChainRequest(), &verified);
    EXPECT_EQ(verify.error_code(), StatusCode::PERMISSION_DENIED)
        << principal << ": " << Dump(verify);
    EXPECT_TRUE(absl::StrContains(verify.error_message(), principal))
        << Dump(verify);
    EXPECT_FALSE(verified.intact());
    av1::ListAuditRecordsResponse listed;
    grpc::Status list = AuditAs(principal)->ListAuditRecords(
        Context().get(), av1::ListAuditRecordsRequest(), &listed);
    EXPECT_EQ(list.error_code(), StatusCode::PERMISSION_DENIED)
        << principal << ": " << Dump(list);
    EXPECT_EQ(listed.records_size(), 0);
  }
  av1::VerifyAuditChainResponse verified;
  grpc::Status anonymous = AuditAs("")->VerifyAuditChain(
      Context().get(), av1::VerifyAuditChainRequest(), &verified);
  EXPECT_EQ(anonymous.error_code(), StatusCode::UNAUTHENTICATED)
      << Dump(anonymous);
  EXPECT_TRUE(Verify().intact());
  EXPECT_EQ(Verify().records_checked(), 1u);
}

}  // namespace
}  // namespace antt::awards
