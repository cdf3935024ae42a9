// Every scoring RPC through a real gRPC server on a loopback port, with a
// real RocksDB store, the shipped criteria files and a real registry server
// (also on a loopback port) behind the gRPC registry client: each success
// path and each error code the RPC returns.

#include "services/scoring/scoring_service.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "common/server_runner.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/registry/registry.h"
#include "services/registry/registry_service.h"
#include "services/registry/rocksdb_registry_store.h"
#include "services/scoring/registry_client.h"
#include "services/scoring/registry_follower.h"
#include "services/scoring/rocksdb_scoring_store.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::scoring {
namespace {

using ::antt::testing::BadFields;

namespace rv1 = ::antt::registry::v1;
using ::antt::registry::testing::Agency;
using ::antt::registry::testing::Enterprise;
using ::antt::registry::testing::School;
using ::antt::registry::testing::ValidTaxCode;
using ::grpc::StatusCode;

const CriteriaCatalog& Criteria() {
  return antt::testing::LoadOnce<CriteriaCatalog>([] {
    return CriteriaCatalog::LoadDir(antt::testing::SourceDataDir() +
                                    "/criteria");
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

std::string Dump(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

class ScoringServiceTest : public ::testing::Test {
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
        [] { return absl::CivilDay(2026, 11, 28); });
    registry_service_ = std::make_unique<registry::RegistryServiceImpl>(
        registry_.get(), authenticator_.get());
    ServerOptions registry_options;
    registry_options.service_name = "antt.registry.v1.RegistryService";
    registry_options.listen = "127.0.0.1:0";
    registry_options.insecure = true;
    auto registry_server =
        GrpcServer::Start(registry_options, {registry_service_.get()});
    ASSERT_OK(registry_server);
    registry_server_ = *std::move(registry_server);
    registry_stub_ = rv1::RegistryService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", registry_server_->port()),
        grpc::InsecureChannelCredentials()));

    // Scoring, checking units with that registry over gRPC.
    auto settings = LoadScoringSettings(antt::testing::SourceDataDir() +
                                        "/scoring/settings.json");
    ASSERT_OK(settings);
    settings_ = *settings;
    auto store = RocksDbScoringStore::Open(dir + "/scoring");
    ASSERT_OK(store);
    store_ = *std::move(store);
    GrpcRegistryClientOptions client_options;
    client_options.address =
        absl::StrCat("127.0.0.1:", registry_server_->port());
    client_options.deadline = absl::Seconds(2);
    client_options.credentials = grpc::InsecureChannelCredentials();
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
    follower_ = std::make_unique<RegistryFollower>(
        registry_client_.get(), store_.get(), absl::Seconds(1));
    service_ = std::make_unique<ScoringServiceImpl>(scoring_.get(),
                                                    authenticator_.get());
    ServerOptions options;
    options.service_name = "antt.scoring.v1.ScoringService";
    options.listen = "127.0.0.1:0";
    options.insecure = true;
    auto server = GrpcServer::Start(options, {service_.get()});
    ASSERT_OK(server);
    server_ = *std::move(server);
    stub_ = v1::ScoringService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                            grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
    if (registry_server_) {
      registry_server_->Shutdown(absl::Now() + absl::Seconds(5));
    }
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  // Creates a unit through the registry's RPC.
  rv1::Unit CreateUnit(const rv1::Unit& unit) {
    rv1::CreateUnitRequest request;
    *request.mutable_unit() = unit;
    rv1::Unit created;
    grpc::Status status =
        registry_stub_->CreateUnit(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  v1::CriteriaSet GetSet(const std::string& id) {
    v1::GetCriteriaSetRequest request;
    request.set_id(id);
    v1::CriteriaSet set;
    grpc::Status status = stub_->GetCriteriaSet(Context().get(), request, &set);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return set;
  }

  // Answers of an agency or enterprise for 2019 (set TT23-2012/CQDN), read
  // through GetCriteriaSet: every condition that takes an answer, met unless
  // `all_met` is false, and points items filled up to `points`.
  v1::Assessment Answers(const std::string& unit_id, int points,
                         bool all_met = true) {
    if (cqdn_.id().empty()) cqdn_ = GetSet("TT23-2012/CQDN");
    v1::Assessment a;
    a.set_unit_id(unit_id);
    a.set_year(2019);
    for (const v1::Condition& condition : cqdn_.conditions()) {
      if (condition.decided_by_events()) continue;
      v1::ConditionAnswer* answer = a.add_conditions();
      answer->set_condition_id(condition.id());
      answer->set_met(all_met);
      if (!all_met) answer->set_note("Chưa có kế hoạch phối hợp");
    }
    int left = points;
    for (const v1::PointsItem& item : cqdn_.points_items()) {
      const int given = std::min(item.max_points(), left);
      if (given <= 0) break;
      v1::ItemPoints* p = a.add_points();
      p->set_item_id(item.id());
      p->set_points(given);
      left -= given;
    }
    EXPECT_EQ(left, 0) << "the set has fewer than " << points << " points";
    return a;
  }

  grpc::Status Submit(const v1::Assessment& a, v1::Assessment* out,
                      const std::string& request_id = "") {
    v1::SubmitAssessmentRequest request;
    *request.mutable_assessment() = a;
    request.set_request_id(request_id);
    return stub_->SubmitAssessment(Context().get(), request, out);
  }

  v1::Assessment MustSubmit(const v1::Assessment& a) {
    v1::Assessment out;
    grpc::Status status = Submit(a, &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  grpc::Status Review(const std::string& id, bool approve,
                      const std::string& note, v1::Assessment* out,
                      const std::string& etag = "") {
    v1::ReviewAssessmentRequest request;
    request.set_id(id);
    request.set_approve(approve);
    request.set_note(note);
    request.set_etag(etag);
    return stub_->ReviewAssessment(Context().get(), request, out);
  }

  v1::Assessment MustApprove(const v1::Assessment& a) {
    v1::Assessment out;
    grpc::Status status = Review(a.id(), true, "", &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  static v1::RecognizeAssessmentsRequest Decision(
      const std::vector<std::string>& ids, bool recognized = true) {
    v1::RecognizeAssessmentsRequest request;
    for (const auto& id : ids) request.add_assessment_ids(id);
    request.set_recognized(recognized);
    request.set_decision_number("123/QĐ-UBND");
    *request.mutable_decision_date() = Date(2019, 11, 28);
    request.set_authority("UBND tỉnh Quảng Trị");
    return request;
  }

  grpc::Status Recognize(const v1::RecognizeAssessmentsRequest& request,
                         v1::RecognizeAssessmentsResponse* out) {
    return stub_->RecognizeAssessments(Context().get(), request, out);
  }

  v1::Assessment Get(const std::string& id) {
    v1::GetAssessmentRequest request;
    request.set_id(id);
    v1::Assessment out;
    grpc::Status status = stub_->GetAssessment(Context().get(), request, &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  int TotalAssessments(const std::string& unit_id = "") {
    v1::ListAssessmentsRequest request;
    request.set_unit_id(unit_id);
    v1::ListAssessmentsResponse response;
    grpc::Status status =
        stub_->ListAssessments(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response.total_size();
  }

  v1::GetSafetyStatsResponse Stats(const v1::GetSafetyStatsRequest& request) {
    v1::GetSafetyStatsResponse response;
    grpc::Status status =
        stub_->GetSafetyStats(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response;
  }

  // The registry's change-feed position.
  uint64_t RegistryLastSequence() {
    rv1::ListChangesRequest request;
    request.set_page_size(1000);
    rv1::ListChangesResponse response;
    grpc::Status status =
        registry_stub_->ListChanges(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response.last_sequence();
  }

  ScoringSettings settings_;
  v1::CriteriaSet cqdn_;

  // Plaintext, every caller an ADMIN: these tests are about the RPCs' rules;
  // scoring_security_test covers who may call them.
  const std::unique_ptr<Authenticator> authenticator_ =
      Authenticator::Insecure();
  std::unique_ptr<registry::RocksDbRegistryStore> registry_store_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<registry::RegistryServiceImpl> registry_service_;
  std::unique_ptr<GrpcServer> registry_server_;
  std::unique_ptr<rv1::RegistryService::Stub> registry_stub_;

  std::unique_ptr<RocksDbScoringStore> store_;
  std::unique_ptr<RegistryClient> registry_client_;
  std::unique_ptr<Scoring> scoring_;
  std::unique_ptr<RegistryFollower> follower_;
  std::unique_ptr<ScoringServiceImpl> service_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<v1::ScoringService::Stub> stub_;
};

// ------------------------------------------------------------ Criteria sets

TEST_F(ScoringServiceTest, ListCriteriaSets) {
  v1::ListCriteriaSetsRequest request;
  v1::ListCriteriaSetsResponse response;
  ASSERT_TRUE(
      stub_->ListCriteriaSets(Context().get(), request, &response).ok());
  std::set<std::string> ids;
  for (const auto& set : response.criteria_sets()) ids.insert(set.id());
  EXPECT_EQ(ids, (std::set<std::string>{"TT23-2012/CQDN", "TT23-2012/CSGD",
                                        "TT124-2021/CQDN", "TT124-2021/CSGD"}));

  request.set_kind(rv1::UNIT_KIND_EDUCATION);
  request.set_year(2023);
  response.Clear();
  ASSERT_TRUE(
      stub_->ListCriteriaSets(Context().get(), request, &response).ok());
  ASSERT_EQ(response.criteria_sets_size(), 1);
  EXPECT_EQ(response.criteria_sets(0).id(), "TT124-2021/CSGD");

  request.set_kind(static_cast<rv1::UnitKind>(42));
  request.set_year(1800);
  grpc::Status bad =
      stub_->ListCriteriaSets(Context().get(), request, &response);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(bad);
  EXPECT_EQ(BadFields(bad), (std::set<std::string>{"kind", "year"}));
}

TEST_F(ScoringServiceTest, GetCriteriaSet) {
  const v1::CriteriaSet set = GetSet("TT23-2012/CQDN");
  EXPECT_EQ(set.id(), "TT23-2012/CQDN");
  EXPECT_EQ(set.first_year(), 2012);
  EXPECT_EQ(set.last_year(), 2021);
  EXPECT_TRUE(set.provisional());
  EXPECT_FALSE(set.conditions().empty());
  int max_points = 0;
  for (const auto& item : set.points_items()) max_points += item.max_points();
  EXPECT_EQ(max_points, 100);

  v1::GetCriteriaSetRequest request;
  v1::CriteriaSet out;
  request.set_id("TT999/XYZ");
  grpc::Status missing = stub_->GetCriteriaSet(Context().get(), request, &out);
  EXPECT_EQ(missing.error_code(), StatusCode::NOT_FOUND) << Dump(missing);
  request.clear_id();
  grpc::Status empty = stub_->GetCriteriaSet(Context().get(), request, &out);
  EXPECT_EQ(empty.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(empty);
  EXPECT_EQ(BadFields(empty), std::set<std::string>{"id"});
}

// ------------------------------------------------------------ Score

TEST_F(ScoringServiceTest, ScoreByKindAndByRegistryUnit) {
  const v1::Assessment answers = Answers("", 92);
  v1::ScoreRequest request;
  request.set_unit_kind(rv1::UNIT_KIND_AGENCY);
  request.set_year(2019);
  *request.mutable_conditions() = answers.conditions();
  *request.mutable_points() = answers.points();
  v1::ScoreResult result;
  grpc::Status status = stub_->Score(Context().get(), request, &result);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(result.criteria_set_id(), "TT23-2012/CQDN");
  EXPECT_TRUE(result.meets_standard());
  EXPECT_EQ(result.total_points(), 92);
  EXPECT_EQ(result.classification(), v1::CLASSIFICATION_EXCELLENT);
  EXPECT_TRUE(result.provisional());

  // A disqualifying event: not safe, so never EXCELLENT, and explained.
  v1::Event* strike = request.add_events();
  strike->set_type("7.3.1");
  *strike->mutable_date() = Date(2019, 3, 1);
  ASSERT_TRUE(stub_->Score(Context().get(), request, &result).ok());
  EXPECT_FALSE(result.meets_standard());
  EXPECT_NE(result.classification(), v1::CLASSIFICATION_EXCELLENT);
  std::set<std::string> failed;
  for (const v1::Failure& f : result.failures()) {
    failed.insert(f.id());
    EXPECT_FALSE(f.text().empty()) << f.id();
  }
  // The condition the event breaks, and the event itself.
  EXPECT_EQ(failed, (std::set<std::string>{"7.3", "7.3.1"}));
  request.clear_events();

  // By unit: the kind is read from the registry and picks the set.
  const rv1::Unit school = CreateUnit(
      School("Trường THPT Đông Hà", rv1::EDUCATION_LEVEL_UPPER_SECONDARY));
  v1::ScoreRequest by_unit;
  by_unit.set_unit_id(school.id());
  by_unit.set_year(2019);
  const v1::CriteriaSet csgd = GetSet("TT23-2012/CSGD");
  for (const v1::Condition& c : csgd.conditions()) {
    if (c.decided_by_events()) continue;
    v1::ConditionAnswer* answer = by_unit.add_conditions();
    answer->set_condition_id(c.id());
    answer->set_met(true);
  }
  status = stub_->Score(Context().get(), by_unit, &result);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(result.criteria_set_id(), "TT23-2012/CSGD");
  EXPECT_TRUE(result.meets_standard());
  EXPECT_EQ(result.total_points(), 0);
  EXPECT_EQ(result.classification(), v1::CLASSIFICATION_WEAK);
  // An agency's answers do not fit a school's set.
  request.set_unit_id(school.id());
  grpc::Status wrong_set = stub_->Score(Context().get(), request, &result);
  EXPECT_EQ(wrong_set.error_code(), StatusCode::INVALID_ARGUMENT)
      << Dump(wrong_set);
  EXPECT_FALSE(BadFields(wrong_set).empty()) << Dump(wrong_set);

  request.set_unit_id("U0000000404");
  grpc::Status unknown = stub_->Score(Context().get(), request, &result);
  EXPECT_EQ(unknown.error_code(), StatusCode::NOT_FOUND) << Dump(unknown);

  // Every bad field is named at once.
  request.set_unit_kind(rv1::UNIT_KIND_AGENCY);
  request.set_year(2019);
  request.mutable_points(0)->set_points(1000);
  request.add_conditions()->set_condition_id("9.9");
  grpc::Status bad = stub_->Score(Context().get(), request, &result);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(bad);
  EXPECT_EQ(BadFields(bad),
            (std::set<std::string>{
                "points[0].points",
                absl::StrCat("conditions[", request.conditions_size() - 1,
                             "].condition_id")}));
  request.clear_unit();
  request.set_year(0);
  bad = stub_->Score(Context().get(), request, &result);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(bad);
  EXPECT_EQ(BadFields(bad), (std::set<std::string>{"unit", "year"}));
}

// ------------------------------------------------------------ Submit

TEST_F(ScoringServiceTest, SubmitChecksTheUnitWithTheRegistry) {
  const rv1::Unit agency = CreateUnit(Agency("Sở Tư pháp tỉnh Quảng Trị"));
  const v1::Assessment a = MustSubmit(Answers(agency.id(), 95));
  EXPECT_EQ(a.id(), "A0000000001");
  EXPECT_EQ(a.unit_id(), agency.id());
  EXPECT_EQ(a.criteria_set_id(), "TT23-2012/CQDN");
  EXPECT_EQ(a.stage(), v1::STAGE_SUBMITTED);
  EXPECT_TRUE(a.result().meets_standard());
  EXPECT_EQ(a.result().total_points(), 95);
  EXPECT_EQ(a.result().classification(), v1::CLASSIFICATION_EXCELLENT);
  EXPECT_FALSE(a.late());
  EXPECT_EQ(a.submissions(), 1);
  EXPECT_FALSE(a.etag().empty());
  // The snapshot is the registry's record.
  EXPECT_EQ(a.unit().name(), agency.name());
  EXPECT_EQ(a.unit().kind(), rv1::UNIT_KIND_AGENCY);
  EXPECT_EQ(a.unit().province_code(), "44");
  EXPECT_EQ(a.unit().legacy_district_code(), "461");

  v1::Assessment out;
  grpc::Status unknown = Submit(Answers("U0000000404", 95), &out);
  EXPECT_EQ(unknown.error_code(), StatusCode::NOT_FOUND) << Dump(unknown);

  // A primary school is out of scope of Circular 124/2021 (registry rule).
  const rv1::Unit school = CreateUnit(
      School("Trường Tiểu học Kim Đồng", rv1::EDUCATION_LEVEL_PRIMARY));
  ASSERT_FALSE(school.in_scope());
  v1::Assessment school_answers = Answers(school.id(), 95);
  grpc::Status out_of_scope = Submit(school_answers, &out);
  EXPECT_EQ(out_of_scope.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(out_of_scope);

  // Dissolved through the registry's RPC on 15 November 2018, the last day
  // of the 2018 assessment year: its 2019 assessment is refused.
  const rv1::Unit gone = CreateUnit(Agency("Ban quản lý dự án cũ"));
  rv1::DissolveUnitRequest dissolve;
  dissolve.set_id(gone.id());
  *dissolve.mutable_dissolve_date() = Date(2018, 11, 15);
  dissolve.set_reason("Sáp nhập");
  rv1::Unit dissolved;
  ASSERT_TRUE(
      registry_stub_->DissolveUnit(Context().get(), dissolve, &dissolved).ok());
  grpc::Status inactive = Submit(Answers(gone.id(), 95), &out);
  EXPECT_EQ(inactive.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(inactive);

  // None of the refused submissions stored anything.
  EXPECT_EQ(TotalAssessments(), 1);
}

TEST_F(ScoringServiceTest, SubmitRejectsBadRequestsNamingTheFields) {
  const rv1::Unit agency = CreateUnit(Agency("Sở Y tế"));
  v1::Assessment a = Answers(agency.id(), 80);
  a.mutable_conditions()->RemoveLast();  // one condition unanswered
  a.mutable_points(0)->set_points(-1);
  v1::Assessment out;
  grpc::Status status = Submit(a, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"assessment.conditions",
                                   "assessment.points[0].points"}));

  v1::Assessment no_unit = Answers(agency.id(), 80);
  no_unit.clear_unit_id();
  no_unit.set_year(1980);
  status = Submit(no_unit, &out, "has space");
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"assessment.unit_id", "assessment.year",
                                   "request_id"}));

  v1::Assessment wrong_set = Answers(agency.id(), 80);
  wrong_set.set_criteria_set_id("TT124-2021/CQDN");  // from 2022 on
  status = Submit(wrong_set, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"assessment.year"});
  EXPECT_EQ(TotalAssessments(), 0);
}

TEST_F(ScoringServiceTest, SubmitOncePerUnitAndYearRetriesAndResubmission) {
  const rv1::Unit agency = CreateUnit(Agency("Sở Tư pháp"));
  const rv1::Unit enterprise =
      CreateUnit(Enterprise("Công ty TNHH Thành Cổ", ValidTaxCode(5)));

  // A retry with the same request id answers the first result.
  v1::Assessment first, retry;
  ASSERT_TRUE(Submit(Answers(enterprise.id(), 75), &first, "req-7").ok());
  ASSERT_TRUE(Submit(Answers(enterprise.id(), 10), &retry, "req-7").ok());
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(TotalAssessments(enterprise.id()), 1);

  const v1::Assessment a = MustSubmit(Answers(agency.id(), 95));
  v1::Assessment out;
  grpc::Status twice = Submit(Answers(agency.id(), 95), &out);
  EXPECT_EQ(twice.error_code(), StatusCode::ALREADY_EXISTS) << Dump(twice);

  v1::Assessment returned;
  ASSERT_TRUE(Review(a.id(), false, "Thiếu biên bản họp", &returned).ok());
  EXPECT_EQ(returned.stage(), v1::STAGE_RETURNED);
  v1::Assessment resubmission = Answers(agency.id(), 60, /*all_met=*/false);
  resubmission.set_etag(a.etag());  // the etag before the review: stale
  grpc::Status stale = Submit(resubmission, &out);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED) << Dump(stale);
  resubmission.set_etag(returned.etag());
  grpc::Status again = Submit(resubmission, &out);
  ASSERT_TRUE(again.ok()) << Dump(again);
  EXPECT_EQ(out.id(), a.id());
  EXPECT_EQ(out.submissions(), 2);
  EXPECT_EQ(out.stage(), v1::STAGE_SUBMITTED);
  EXPECT_FALSE(out.result().meets_standard());
  EXPECT_EQ(out.result().classification(), v1::CLASSIFICATION_AVERAGE);
  EXPECT_EQ(TotalAssessments(), 2);
}

// ------------------------------------------------------------ Review

TEST_F(ScoringServiceTest, ReviewAssessment) {
  const rv1::Unit agency = CreateUnit(Agency("Sở Tư pháp"));
  const v1::Assessment a = MustSubmit(Answers(agency.id(), 95));
  v1::Assessment out;

  grpc::Status stale = Review(a.id(), true, "", &out, "not-the-etag");
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED) << Dump(stale);
  grpc::Status no_note = Review(a.id(), false, "", &out);
  EXPECT_EQ(no_note.error_code(), StatusCode::INVALID_ARGUMENT)
      << Dump(no_note);
  EXPECT_EQ(BadFields(no_note), std::set<std::string>{"note"});
  grpc::Status no_id = Review("", true, "", &out);
  EXPECT_EQ(no_id.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(no_id);
  EXPECT_EQ(BadFields(no_id), std::set<std::string>{"id"});
  grpc::Status missing = Review("A0000000404", true, "", &out);
  EXPECT_EQ(missing.error_code(), StatusCode::NOT_FOUND) << Dump(missing);
  EXPECT_EQ(Get(a.id()).stage(), v1::STAGE_SUBMITTED);

  grpc::Status ok = Review(a.id(), true, "Đạt", &out, a.etag());
  ASSERT_TRUE(ok.ok()) << Dump(ok);
  EXPECT_EQ(out.stage(), v1::STAGE_REVIEWED);
  EXPECT_TRUE(out.review().approved());
  EXPECT_EQ(out.review().note(), "Đạt");
  EXPECT_NE(out.etag(), a.etag());

  grpc::Status twice = Review(a.id(), true, "", &out);
  EXPECT_EQ(twice.error_code(), StatusCode::FAILED_PRECONDITION) << Dump(twice);
}

// ------------------------------------------------------------ Recognize

TEST_F(ScoringServiceTest, RecognizeAssessmentsIsAllOrNothing) {
  const rv1::Unit u1 = CreateUnit(Agency("Sở Tư pháp"));
  const rv1::Unit u2 = CreateUnit(Agency("Sở Y tế"));
  const rv1::Unit u3 = CreateUnit(Agency("Sở Xây dựng"));
  const v1::Assessment good = MustApprove(MustSubmit(Answers(u1.id(), 95)));
  const v1::Assessment pending = MustSubmit(Answers(u2.id(), 95));
  const v1::Assessment failing =
      MustApprove(MustSubmit(Answers(u3.id(), 95, /*all_met=*/false)));
  ASSERT_FALSE(failing.result().meets_standard());

  v1::RecognizeAssessmentsResponse response;
  grpc::Status not_reviewed =
      Recognize(Decision({good.id(), pending.id()}), &response);
  EXPECT_EQ(not_reviewed.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(not_reviewed);
  grpc::Status not_safe =
      Recognize(Decision({good.id(), failing.id()}), &response);
  EXPECT_EQ(not_safe.error_code(), StatusCode::FAILED_PRECONDITION)
      << Dump(not_safe);
  grpc::Status unknown =
      Recognize(Decision({good.id(), "A0000000404"}), &response);
  EXPECT_EQ(unknown.error_code(), StatusCode::NOT_FOUND) << Dump(unknown);
  // Nothing of the refused decisions was applied.
  EXPECT_EQ(Get(good.id()).stage(), v1::STAGE_REVIEWED);

  v1::RecognizeAssessmentsRequest bad;
  bad.add_assessment_ids(good.id());
  bad.add_assessment_ids("");
  bad.add_assessment_ids(good.id());
  grpc::Status invalid = Recognize(bad, &response);
  EXPECT_EQ(invalid.error_code(), StatusCode::INVALID_ARGUMENT)
      << Dump(invalid);
  EXPECT_EQ(
      BadFields(invalid),
      (std::set<std::string>{"assessment_ids[1]", "assessment_ids[2]",
                             "decision_number", "authority", "decision_date"}));

  // A failing assessment may be decided NOT_RECOGNIZED.
  grpc::Status refused =
      Recognize(Decision({failing.id()}, /*recognized=*/false), &response);
  ASSERT_TRUE(refused.ok()) << Dump(refused);
  ASSERT_EQ(response.assessments_size(), 1);
  EXPECT_EQ(response.assessments(0).stage(), v1::STAGE_NOT_RECOGNIZED);

  const v1::Assessment pending_reviewed = MustApprove(pending);
  grpc::Status done =
      Recognize(Decision({good.id(), pending_reviewed.id()}), &response);
  ASSERT_TRUE(done.ok()) << Dump(done);
  ASSERT_EQ(response.assessments_size(), 2);
  for (const v1::Assessment& a : response.assessments()) {
    EXPECT_EQ(a.stage(), v1::STAGE_RECOGNIZED);
    EXPECT_EQ(a.recognition().decision_number(), "123/QĐ-UBND");
    EXPECT_EQ(a.recognition().authority(), "UBND tỉnh Quảng Trị");
    EXPECT_TRUE(a.recognition().recognized());
  }
  EXPECT_EQ(Get(pending.id()).stage(), v1::STAGE_RECOGNIZED);
}

// ------------------------------------------------------------ Get, List

TEST_F(ScoringServiceTest, GetAssessment) {
  const rv1::Unit agency = CreateUnit(Agency("Sở Tư pháp"));
  const v1::Assessment a = MustSubmit(Answers(agency.id(), 95));
  EXPECT_EQ(Get(a.id()).SerializeAsString(), a.SerializeAsString());

  v1::GetAssessmentRequest request;
  v1::Assessment out;
  request.set_id("A0000000404");
  grpc::Status missing = stub_->GetAssessment(Context().get(), request, &out);
  EXPECT_EQ(missing.error_code(), StatusCode::NOT_FOUND) << Dump(missing);
  request.clear_id();
  grpc::Status empty = stub_->GetAssessment(Context().get(), request, &out);
  EXPECT_EQ(empty.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(empty);
  EXPECT_EQ(BadFields(empty), std::set<std::string>{"id"});
}

TEST_F(ScoringServiceTest, ListAssessmentsFiltersPagesAndRejectsBadFilters) {
  const rv1::Unit u1 = CreateUnit(Agency("Sở Tư pháp"));
  const rv1::Unit u2 = CreateUnit(Agency("Sở Y tế"));
  const rv1::Unit u3 = CreateUnit(Agency("Sở Xây dựng"));
  const v1::Assessment a1 = MustSubmit(Answers(u1.id(), 95));
  MustSubmit(Answers(u2.id(), 75));
  MustSubmit(Answers(u3.id(), 40, /*all_met=*/false));

  v1::ListAssessmentsRequest request;
  request.set_edition("2025-06");
  request.set_area_code("461");
  request.set_classification(v1::CLASSIFICATION_EXCELLENT);
  v1::ListAssessmentsResponse response;
  ASSERT_TRUE(stub_->ListAssessments(Context().get(), request, &response).ok());
  EXPECT_EQ(response.total_size(), 1);
  ASSERT_EQ(response.assessments_size(), 1);
  EXPECT_EQ(response.assessments(0).id(), a1.id());

  request.Clear();
  request.set_year(2019);
  request.set_page_size(2);
  ASSERT_TRUE(stub_->ListAssessments(Context().get(), request, &response).ok());
  EXPECT_EQ(response.total_size(), 3);
  ASSERT_EQ(response.assessments_size(), 2);
  ASSERT_FALSE(response.next_page_token().empty());
  std::set<std::string> seen;
  for (const auto& a : response.assessments()) seen.insert(a.id());
  request.set_page_token(response.next_page_token());
  ASSERT_TRUE(stub_->ListAssessments(Context().get(), request, &response).ok());
  ASSERT_EQ(response.assessments_size(), 1);
  seen.insert(response.assessments(0).id());
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_TRUE(response.next_page_token().empty());

  // A token is bound to the filters it was issued for.
  request.set_year(2018);
  grpc::Status other_filters =
      stub_->ListAssessments(Context().get(), request, &response);
  EXPECT_EQ(other_filters.error_code(), StatusCode::INVALID_ARGUMENT)
      << Dump(other_filters);
  EXPECT_EQ(BadFields(other_filters), std::set<std::string>{"page_token"});

  request.Clear();
  request.set_year(3000);
  request.set_area_code("99999");
  request.set_stage(static_cast<v1::Stage>(42));
  request.set_classification(static_cast<v1::Classification>(42));
  request.set_page_size(5000);
  grpc::Status bad =
      stub_->ListAssessments(Context().get(), request, &response);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(bad);
  EXPECT_EQ(BadFields(bad),
            (std::set<std::string>{"year", "area_code", "stage",
                                   "classification", "page_size"}));
  request.Clear();
  request.set_edition("1999-01");
  bad = stub_->ListAssessments(Context().get(), request, &response);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(bad);
  EXPECT_EQ(BadFields(bad), std::set<std::string>{"edition"});
}

// ------------------------------------------------------------ Statistics

TEST_F(ScoringServiceTest, SafetyStatsCountRegistryUnitsFollowedFromTheFeed) {
  const rv1::Unit u1 = CreateUnit(Agency("Sở Tư pháp"));
  const rv1::Unit u2 = CreateUnit(Agency("Sở Y tế"));
  CreateUnit(Enterprise("Công ty TNHH Thành Cổ", ValidTaxCode(9)));
  // Out of scope: never counted.
  CreateUnit(School("Trường Tiểu học Kim Đồng", rv1::EDUCATION_LEVEL_PRIMARY));

  v1::GetSafetyStatsRequest request;
  request.set_first_year(2019);
  request.set_last_year(2019);
  request.set_area_code("45");
  request.set_edition("2025-06");
  request.set_group_by(v1::GROUP_BY_CHILD_AREA);
  // Before the follower has read the feed: nothing is in scope yet.
  v1::GetSafetyStatsResponse before = Stats(request);
  EXPECT_EQ(before.registry_sequence(), 0u);
  ASSERT_FALSE(before.rows().empty());
  EXPECT_EQ(before.rows(0).group_key(), "461");
  EXPECT_EQ(before.rows(0).in_scope(), 0);

  ASSERT_OK(follower_->SyncOnce());
  const uint64_t sequence = RegistryLastSequence();
  ASSERT_GT(sequence, 0u);

  const v1::Assessment a1 =
      MustApprove(MustSubmit(Answers(u1.id(), 95)));  // excellent
  MustSubmit(Answers(u2.id(), 75));                   // good, not reviewed
  v1::RecognizeAssessmentsResponse recognized;
  ASSERT_TRUE(Recognize(Decision({a1.id()}), &recognized).ok());

  v1::GetSafetyStatsResponse by_district = Stats(request);
  EXPECT_EQ(by_district.registry_sequence(), sequence);
  EXPECT_DOUBLE_EQ(by_district.target_rate(), 0.95);
  ASSERT_EQ(by_district.rows_size(), 10);  // Quảng Trị's ten districts
  const v1::StatsRow& dong_ha = by_district.rows(0);
  EXPECT_EQ(dong_ha.group_key(), "461");
  EXPECT_EQ(dong_ha.year(), 2019);
  EXPECT_EQ(dong_ha.in_scope(), 3);  // two agencies and the enterprise
  EXPECT_EQ(dong_ha.assessed(), 2);
  EXPECT_EQ(dong_ha.recognized(), 1);
  EXPECT_EQ(dong_ha.excellent(), 1);
  EXPECT_EQ(dong_ha.good(), 1);
  EXPECT_DOUBLE_EQ(dong_ha.rate(), 1.0 / 3.0);
  EXPECT_FALSE(dong_ha.meets_target());
  for (int i = 1; i < by_district.rows_size(); ++i) {
    EXPECT_EQ(by_district.rows(i).in_scope(), 0)
        << by_district.rows(i).group_key();
  }

  // The same units by kind in the current edition's province.
  request.set_area_code("44");
  request.clear_edition();
  request.set_group_by(v1::GROUP_BY_KIND);
  v1::GetSafetyStatsResponse by_kind = Stats(request);
  ASSERT_EQ(by_kind.rows_size(), 3);
  EXPECT_EQ(by_kind.rows(0).group_key(), "agency");
  EXPECT_EQ(by_kind.rows(0).in_scope(), 2);
  EXPECT_EQ(by_kind.rows(1).group_key(), "enterprise");
  EXPECT_EQ(by_kind.rows(1).in_scope(), 1);
  EXPECT_EQ(by_kind.rows(2).group_key(), "education");
  EXPECT_EQ(by_kind.rows(2).in_scope(), 0);

  v1::GetSafetyStatsRequest bad;
  bad.set_first_year(2020);
  bad.set_last_year(2019);
  bad.set_area_code("461");  // a legacy district, not of the current edition
  bad.set_kind(static_cast<rv1::UnitKind>(9));
  bad.set_group_by(static_cast<v1::GroupBy>(9));
  v1::GetSafetyStatsResponse out;
  grpc::Status status = stub_->GetSafetyStats(Context().get(), bad, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status), (std::set<std::string>{"last_year", "area_code",
                                                      "kind", "group_by"}));
}

// ------------------------------------------------------------ History

TEST_F(ScoringServiceTest, GetUnitHistory) {
  const rv1::Unit agency = CreateUnit(Agency("Sở Tư pháp"));
  v1::Assessment y2018 = Answers(agency.id(), 95);
  y2018.set_year(2018);
  const v1::Assessment a2018 = MustApprove(MustSubmit(y2018));
  const v1::Assessment a2019 =
      MustApprove(MustSubmit(Answers(agency.id(), 80)));
  v1::RecognizeAssessmentsResponse recognized;
  ASSERT_TRUE(Recognize(Decision({a2018.id(), a2019.id()}), &recognized).ok());

  v1::GetUnitHistoryRequest request;
  request.set_unit_id(agency.id());
  request.set_up_to_year(2019);
  v1::GetUnitHistoryResponse history;
  grpc::Status status =
      stub_->GetUnitHistory(Context().get(), request, &history);
  ASSERT_TRUE(status.ok()) << Dump(status);
  ASSERT_EQ(history.years_size(), 2);
  EXPECT_EQ(history.years(0).year(), 2018);
  EXPECT_EQ(history.years(0).assessment_id(), a2018.id());
  EXPECT_EQ(history.years(1).year(), 2019);
  EXPECT_EQ(history.years(1).stage(), v1::STAGE_RECOGNIZED);
  EXPECT_EQ(history.years(1).classification(), v1::CLASSIFICATION_GOOD);
  EXPECT_EQ(history.years(1).total_points(), 80);
  EXPECT_EQ(history.consecutive_recognized_years(), 2);

  request.set_up_to_year(2020);  // 2020 not recognised: the run is 0
  ASSERT_TRUE(stub_->GetUnitHistory(Context().get(), request, &history).ok());
  EXPECT_EQ(history.consecutive_recognized_years(), 0);

  request.clear_unit_id();
  request.set_up_to_year(3000);
  status = stub_->GetUnitHistory(Context().get(), request, &history);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Dump(status);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"unit_id", "up_to_year"}));
}

// ------------------------------------------------------------ Registry down

TEST_F(ScoringServiceTest, RegistryDownIsUnavailableAndStoresNothing) {
  const rv1::Unit u1 = CreateUnit(Agency("Sở Tư pháp"));
  const rv1::Unit u2 = CreateUnit(Agency("Sở Y tế"));
  MustSubmit(Answers(u1.id(), 95));
  ASSERT_OK(follower_->SyncOnce());

  registry_server_->Shutdown(absl::Now() + absl::Seconds(5));

  v1::Assessment out;
  grpc::Status submit = Submit(Answers(u2.id(), 95), &out, "req-down");
  EXPECT_EQ(submit.error_code(), StatusCode::UNAVAILABLE) << Dump(submit);
  EXPECT_EQ(TotalAssessments(u2.id()), 0);
  EXPECT_EQ(TotalAssessments(), 1);

  v1::ScoreRequest score;
  score.set_unit_id(u1.id());
  score.set_year(2019);
  v1::ScoreResult result;
  grpc::Status scored = stub_->Score(Context().get(), score, &result);
  EXPECT_EQ(scored.error_code(), StatusCode::UNAVAILABLE) << Dump(scored);

  // The follower cannot read the feed; statistics stay as last seen.
  const absl::Status sync = follower_->SyncOnce();
  EXPECT_TRUE(absl::IsUnavailable(sync)) << sync;
  v1::GetSafetyStatsRequest request;
  request.set_first_year(2019);
  request.set_last_year(2019);
  request.set_area_code("44");
  v1::GetSafetyStatsResponse stats = Stats(request);
  ASSERT_EQ(stats.rows_size(), 1);
  EXPECT_EQ(stats.rows(0).in_scope(), 2);
  EXPECT_EQ(stats.rows(0).assessed(), 1);

  // Only the assessment submitted before the registry went away is stored.
  v1::ListAssessmentsRequest list;
  list.set_year(2019);
  v1::ListAssessmentsResponse listed;
  ASSERT_TRUE(stub_->ListAssessments(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.assessments_size(), 1);
  EXPECT_EQ(listed.assessments(0).unit_id(), u1.id());
}

}  // namespace
}  // namespace antt::scoring
