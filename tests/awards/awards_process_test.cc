// The real antt-registry, antt-scoring and antt-awards binaries as child
// processes: a small campaign end to end over gRPC; scoring killed fails
// nominations promptly with UNAVAILABLE and stores nothing, and once scoring
// is back awards works again without a restart; a decision acknowledged
// before awards is killed with SIGKILL is still there after the restart; each
// binary exits 0 on SIGTERM. Most run in the plaintext demo mode; one runs
// the three with mutual TLS, principals files and each service's own token,
// as installed (scripts/antt-credentials), and reloads principals on SIGHUP.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "antt/audit/v1/audit.grpc.pb.h"
#include "antt/awards/v1/awards.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/credentials.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/process.h"
#include "tests/testing/test_util.h"

namespace antt::awards {
namespace {

using ::antt::testing::PollUntil;
using ::antt::testing::ReadFile;
using ::antt::testing::WaitServing;

namespace rv1 = ::antt::registry::v1;
namespace sv1 = ::antt::scoring::v1;
using ::antt::registry::testing::Agency;
using ::antt::testing::BinDir;
using ::antt::testing::ChildProcess;
using ::antt::testing::TestPki;
using ::grpc::StatusCode;
using Clock = std::chrono::steady_clock;

std::string Dump(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

google::type::Date Date(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// A nomination deadline a year from today (antt-awards reads the real clock).
google::type::Date NextYear() {
  const absl::CivilDay day = absl::ToCivilDay(
      absl::Now() + absl::Hours(24 * 365), absl::FixedTimeZone(7 * 3600));
  return Date(static_cast<int>(day.year()), day.month(), day.day());
}

// One of the three servers: the child, its port and its latest log.
struct Server {
  std::unique_ptr<ChildProcess> child;
  int port = 0;
  std::string log;
  std::string address() const { return absl::StrCat("127.0.0.1:", port); }
};

class AwardsProcessTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = antt::testing::FreshTestDir(); }

  // From now on the servers run with mutual TLS, the principals of a new CA
  // and (scoring and awards) their own SERVICE tokens; the test's clients
  // present a certificate and the token of "admin".
  void UseTls() {
    pki_ = std::make_unique<TestPki>(dir_ + "/pki");
    pki_->IssueCert("server");
    pki_->IssueCert("client");
    admin_token_ = pki_->IssueToken("admin", "ADMIN");
    officer_token_ = pki_->IssueToken("officer", "OFFICER");
    pki_->IssueToken("antt-scoring", "SERVICE");
    pki_->IssueToken("antt-awards", "SERVICE");
  }

  // How the test's clients connect: TLS with `token` (the admin's when
  // empty), or plaintext.
  std::shared_ptr<grpc::ChannelCredentials> Credentials(
      const std::string& token = "") const {
    if (pki_ == nullptr) return grpc::InsecureChannelCredentials();
    return pki_->Credentials("client", token.empty() ? admin_token_ : token);
  }

  // Starts `binary` listening on `port` (0: a port of its choosing) with
  // `args`, waits until it serves; on return `server` holds it.
  void Start(const std::string& binary, std::vector<std::string> args, int port,
             Server* server) {
    server->log = absl::StrCat(dir_, "/", binary, "-", ++starts_, ".log");
    args.push_back(absl::StrCat("--listen=127.0.0.1:", port));
    // The default metrics and health ports would collide between tests.
    args.push_back("--metrics_listen=");
    args.push_back("--health_listen=");
    if (pki_ == nullptr) {
      args.push_back("--insecure");
    } else {
      for (std::string& flag : pki_->ServerFlags("server")) {
        args.push_back(std::move(flag));
      }
      if (binary != "antt-registry") {
        args.push_back("--service_token_file=" + pki_->token_file(binary));
      }
    }
    args.push_back("--drain_seconds=5");
    server->child = std::make_unique<ChildProcess>(BinDir() + "/" + binary,
                                                   args, server->log);
    server->port = antt::testing::WaitForListeningPort(server->log);
    ASSERT_NE(server->port, 0) << ReadFile(server->log);
    if (port != 0) {
      ASSERT_EQ(server->port, port);
    }
    ASSERT_TRUE(WaitServing(server->address(), Credentials()))
        << ReadFile(server->log);
  }

  void StartRegistry() {
    Start("antt-registry", {"--db_path=" + dir_ + "/registry"}, 0, &registry_);
    registry_stub_ = rv1::RegistryService::NewStub(
        grpc::CreateChannel(registry_.address(), Credentials()));
  }

  // Over the same store every time; on `port` when it is not 0.
  void StartScoring(int port = 0) {
    Start("antt-scoring",
          {"--registry_addr=" + registry_.address(),
           "--registry_deadline_ms=1000", "--registry_poll_ms=100",
           "--db_path=" + dir_ + "/scoring"},
          port, &scoring_);
    scoring_stub_ = sv1::ScoringService::NewStub(
        grpc::CreateChannel(scoring_.address(), Credentials()));
  }

  // Over the same store every time, with the shipped catalogue found next to
  // the binary (no --award_types_file).
  void StartAwards() {
    Start("antt-awards",
          {"--db_path=" + dir_ + "/awards",
           "--registry_addr=" + registry_.address(),
           "--scoring_addr=" + scoring_.address(),
           "--dependency_deadline_ms=1000"},
          0, &awards_);
    stub_ = v1::AwardsService::NewStub(
        grpc::CreateChannel(awards_.address(), Credentials()));
  }

  void StartAll() {
    StartRegistry();
    if (HasFatalFailure()) return;
    StartScoring();
    if (HasFatalFailure()) return;
    StartAwards();
  }

  // SIGTERM to awards, then scoring, then the registry, each with no client
  // connected (an idle connection would only delay the drain): each exits 0
  // and says its store is closed.
  void TerminateAll() {
    stub_.reset();
    EXPECT_EQ(awards_.child->Stop(SIGTERM, 20), 0) << ReadFile(awards_.log);
    scoring_stub_.reset();
    EXPECT_EQ(scoring_.child->Stop(SIGTERM, 20), 0) << ReadFile(scoring_.log);
    registry_stub_.reset();
    EXPECT_EQ(registry_.child->Stop(SIGTERM, 20), 0) << ReadFile(registry_.log);
    for (const Server* server : {&awards_, &scoring_, &registry_}) {
      EXPECT_TRUE(
          absl::StrContains(ReadFile(server->log), "\"msg\":\"store closed\""))
          << ReadFile(server->log);
    }
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

  rv1::Person CreateOfficer(const std::string& name,
                            const std::string& unit_id) {
    rv1::CreatePersonRequest request;
    rv1::Person* person = request.mutable_person();
    person->set_full_name(name);
    person->set_gender(rv1::GENDER_MALE);
    person->set_birth_year(1980);
    person->set_unit_id(unit_id);
    rv1::Person created;
    grpc::Status status =
        registry_stub_->CreatePerson(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  // Submits, reviews and recognises the unit's assessment of each of
  // `years` (every condition of TT23-2012/CQDN not decided by events met,
  // 95 points) through scoring's RPCs.
  void Recognize(const std::string& unit_id, const std::vector<int>& years) {
    if (cqdn_.id().empty()) {
      sv1::GetCriteriaSetRequest request;
      request.set_id("TT23-2012/CQDN");
      grpc::Status status =
          scoring_stub_->GetCriteriaSet(Context().get(), request, &cqdn_);
      ASSERT_TRUE(status.ok()) << Dump(status);
    }
    sv1::RecognizeAssessmentsRequest decision;
    for (int year : years) {
      sv1::SubmitAssessmentRequest submit;
      sv1::Assessment* a = submit.mutable_assessment();
      a->set_unit_id(unit_id);
      a->set_year(year);
      for (const sv1::Condition& condition : cqdn_.conditions()) {
        if (condition.decided_by_events()) continue;
        sv1::ConditionAnswer* answer = a->add_conditions();
        answer->set_condition_id(condition.id());
        answer->set_met(true);
      }
      int left = 95;
      for (const sv1::PointsItem& item : cqdn_.points_items()) {
        const int given = std::min(item.max_points(), left);
        if (given <= 0) break;
        sv1::ItemPoints* p = a->add_points();
        p->set_item_id(item.id());
        p->set_points(given);
        left -= given;
      }
      ASSERT_EQ(left, 0);
      sv1::Assessment submitted;
      grpc::Status status =
          scoring_stub_->SubmitAssessment(Context().get(), submit, &submitted);
      ASSERT_TRUE(status.ok()) << Dump(status);
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
    decision.set_decision_number(absl::StrCat(++recognitions_, "/QĐ-UBND"));
    *decision.mutable_decision_date() = Date(2019, 11, 28);
    decision.set_authority("UBND tỉnh Quảng Trị");
    sv1::RecognizeAssessmentsResponse recognized;
    grpc::Status status = scoring_stub_->RecognizeAssessments(
        Context().get(), decision, &recognized);
    ASSERT_TRUE(status.ok()) << Dump(status);
    ASSERT_EQ(recognized.assessments_size(), static_cast<int>(years.size()));
  }

  // `safe_` recognised 2018 and 2019, `fresh_` only 2019, and an officer of
  // `safe_`.
  void SmallProvince() {
    safe_ = CreateUnit("Sở Tư pháp");
    fresh_ = CreateUnit("Sở Y tế");
    officer_ = CreateOfficer("Nguyễn Văn Bình", safe_.id());
    Recognize(safe_.id(), {2018, 2019});
    if (HasFatalFailure()) return;
    Recognize(fresh_.id(), {2019});
  }

  // ------------------------------------------------ awards

  v1::Campaign MustCampaign() {
    v1::CreateCampaignRequest request;
    v1::Campaign* c = request.mutable_campaign();
    c->set_title("Tổng kết phong trào năm 2019");
    c->set_first_year(2019);
    c->set_last_year(2019);
    *c->mutable_nomination_deadline() = NextYear();
    v1::Campaign created;
    grpc::Status status =
        stub_->CreateCampaign(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  static v1::NominateRequest NominateUnit(const std::string& campaign,
                                          const std::string& type,
                                          const std::string& unit_id,
                                          const std::string& request_id = "") {
    v1::NominateRequest request;
    v1::Nomination* n = request.mutable_nomination();
    n->set_campaign_id(campaign);
    n->set_award_type(type);
    n->set_unit_id(unit_id);
    n->set_achievements("Đạt chuẩn An toàn về an ninh, trật tự");
    request.set_request_id(request_id);
    return request;
  }

  static v1::NominateRequest NominatePerson(const std::string& campaign,
                                            const std::string& type,
                                            const std::string& person_id) {
    v1::NominateRequest request;
    v1::Nomination* n = request.mutable_nomination();
    n->set_campaign_id(campaign);
    n->set_award_type(type);
    n->set_person_id(person_id);
    n->set_achievements("Tích cực tham gia tổ bảo vệ");
    return request;
  }

  v1::Nomination MustNominate(const v1::NominateRequest& request) {
    v1::Nomination out;
    grpc::Status status = stub_->Nominate(Context().get(), request, &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  v1::Nomination MustApprove(const std::string& id,
                             const std::string& justification = "") {
    v1::ApproveNominationRequest request;
    request.set_id(id);
    request.set_override_justification(justification);
    v1::Nomination out;
    grpc::Status status =
        stub_->ApproveNomination(Context().get(), request, &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  grpc::Status Issue(const std::string& number,
                     const std::vector<std::string>& ids, v1::Decision* out) {
    v1::IssueDecisionRequest request;
    v1::Decision* d = request.mutable_decision();
    d->set_number(number);
    *d->mutable_date() = Date(2020, 5, 15);
    d->set_authority("Chủ tịch UBND tỉnh Quảng Trị");
    d->set_signer("Võ Văn Hưng");
    for (const std::string& id : ids) request.add_nomination_ids(id);
    return stub_->IssueDecision(Context().get(), request, out);
  }

  v1::ListNominationsResponse Nominations(const std::string& campaign_id) {
    v1::ListNominationsRequest request;
    request.set_campaign_id(campaign_id);
    v1::ListNominationsResponse response;
    grpc::Status status =
        stub_->ListNominations(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response;
  }

  v1::GetCampaignSummaryResponse Summary(const std::string& campaign_id) {
    v1::GetCampaignSummaryRequest request;
    request.set_campaign_id(campaign_id);
    v1::GetCampaignSummaryResponse response;
    grpc::Status status =
        stub_->GetCampaignSummary(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response;
  }

  static std::map<std::tuple<std::string, int, int>, int64_t> Counts(
      const v1::GetCampaignSummaryResponse& summary) {
    std::map<std::tuple<std::string, int, int>, int64_t> counts;
    for (const v1::SummaryRow& row : summary.rows()) {
      counts[{row.award_type(), row.recipient_kind(), row.stage()}] =
          row.count();
    }
    return counts;
  }

  static const v1::RuleResult* Rule(const v1::Nomination& n,
                                    const std::string& rule) {
    for (const v1::RuleResult& r : n.eligibility()) {
      if (r.rule() == rule) return &r;
    }
    return nullptr;
  }

  std::string dir_;
  std::unique_ptr<TestPki> pki_;  // null: plaintext
  std::string admin_token_;
  std::string officer_token_;
  int starts_ = 0;
  int recognitions_ = 0;
  Server registry_;
  Server scoring_;
  Server awards_;
  std::unique_ptr<rv1::RegistryService::Stub> registry_stub_;
  std::unique_ptr<sv1::ScoringService::Stub> scoring_stub_;
  std::unique_ptr<v1::AwardsService::Stub> stub_;
  sv1::CriteriaSet cqdn_;
  rv1::Unit safe_;
  rv1::Unit fresh_;
  rv1::Person officer_;
};

TEST_F(AwardsProcessTest, SmallCampaignEndToEnd) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  ASSERT_NO_FATAL_FAILURE(SmallProvince());

  v1::ListAwardTypesResponse types;
  ASSERT_TRUE(
      stub_
          ->ListAwardTypes(Context().get(), v1::ListAwardTypesRequest(), &types)
          .ok());
  EXPECT_EQ(types.award_types_size(), 4);

  const v1::Campaign campaign = MustCampaign();
  ASSERT_FALSE(campaign.id().empty());
  const v1::Nomination safe =
      MustNominate(NominateUnit(campaign.id(), "BK_UBND_TINH", safe_.id()));
  const v1::Nomination fresh =
      MustNominate(NominateUnit(campaign.id(), "BK_UBND_TINH", fresh_.id()));
  const v1::Nomination officer =
      MustNominate(NominatePerson(campaign.id(), "GK_CAT", officer_.id()));
  EXPECT_TRUE(safe.eligible());
  EXPECT_EQ(safe.recipient_name(), "Sở Tư pháp");
  EXPECT_FALSE(fresh.eligible());
  const v1::RuleResult* years =
      Rule(fresh, "BK_UBND_TINH.recognized_last_years");
  ASSERT_NE(years, nullptr);
  EXPECT_FALSE(years->passed());
  EXPECT_TRUE(absl::StrContains(years->detail(), "2018")) << years->detail();
  EXPECT_TRUE(officer.eligible());
  EXPECT_EQ(officer.recipient_name(), "Nguyễn Văn Bình");

  EXPECT_EQ(MustApprove(safe.id()).stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_EQ(MustApprove(officer.id()).stage(), v1::NOMINATION_STAGE_APPROVED);
  const v1::Nomination overridden =
      MustApprove(fresh.id(), "Thành lập năm 2018, hồ sơ đã xác minh");
  EXPECT_EQ(overridden.stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_EQ(overridden.override_justification(),
            "Thành lập năm 2018, hồ sơ đã xác minh");

  v1::Decision decision;
  grpc::Status status =
      Issue("120/QĐ-UBND", {safe.id(), fresh.id(), officer.id()}, &decision);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_EQ(decision.nomination_ids_size(), 3);
  const v1::ListNominationsResponse listed = Nominations(campaign.id());
  ASSERT_EQ(listed.total_size(), 3);
  for (const v1::Nomination& n : listed.nominations()) {
    EXPECT_EQ(n.stage(), v1::NOMINATION_STAGE_ISSUED) << n.id();
    EXPECT_EQ(n.decision_number(), "120/QĐ-UBND") << n.id();
  }

  using Key = std::tuple<std::string, int, int>;
  EXPECT_EQ(
      Counts(Summary(campaign.id())),
      (std::map<Key, int64_t>{{{"BK_UBND_TINH", v1::RECIPIENT_KIND_COLLECTIVE,
                                v1::NOMINATION_STAGE_ISSUED},
                               2},
                              {{"GK_CAT", v1::RECIPIENT_KIND_INDIVIDUAL,
                                v1::NOMINATION_STAGE_ISSUED},
                               1}}));

  v1::ListRecipientAwardsRequest mine;
  mine.set_person_id(officer_.id());
  v1::ListRecipientAwardsResponse awards;
  ASSERT_TRUE(stub_->ListRecipientAwards(Context().get(), mine, &awards).ok());
  ASSERT_EQ(awards.nominations_size(), 1);
  EXPECT_EQ(awards.nominations(0).award_type(), "GK_CAT");
  EXPECT_EQ(awards.nominations(0).decision_number(), "120/QĐ-UBND");

  TerminateAll();
}

TEST_F(AwardsProcessTest, ScoringKilledIsUnavailableThenRecoversNoRestart) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  ASSERT_NO_FATAL_FAILURE(SmallProvince());
  const v1::Campaign campaign = MustCampaign();
  MustNominate(NominateUnit(campaign.id(), "GK_CAT", safe_.id()));
  const int scoring_port = scoring_.port;

  ASSERT_EQ(scoring_.child->Stop(SIGKILL), 128 + SIGKILL);
  v1::Nomination out;
  const v1::NominateRequest request =
      NominateUnit(campaign.id(), "BK_UBND_TINH", safe_.id(), "after-kill");
  const auto start = Clock::now();
  grpc::Status down = stub_->Nominate(Context().get(), request, &out);
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(down.error_code(), StatusCode::UNAVAILABLE) << Dump(down);
  EXPECT_TRUE(absl::StrContains(down.error_message(), "scoring")) << Dump(down);
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_EQ(Nominations(campaign.id()).total_size(), 1);

  // Scoring comes back on the same port and store; awards, never restarted,
  // reconnects by itself.
  ASSERT_NO_FATAL_FAILURE(StartScoring(scoring_port));
  grpc::Status back;
  const bool recovered = PollUntil(std::chrono::seconds(15), [&] {
    back = stub_->Nominate(Context().get(), request, &out);
    return back.error_code() != StatusCode::UNAVAILABLE;
  });
  ASSERT_TRUE(recovered) << Dump(back) << "\n" << ReadFile(awards_.log);
  ASSERT_TRUE(back.ok()) << Dump(back);
  // Decided from the history the restarted scoring kept.
  EXPECT_TRUE(out.eligible());
  const v1::RuleResult* years = Rule(out, "BK_UBND_TINH.recognized_last_years");
  ASSERT_NE(years, nullptr);
  EXPECT_TRUE(years->passed()) << years->detail();
  EXPECT_EQ(Nominations(campaign.id()).total_size(), 2);

  TerminateAll();
}

TEST_F(AwardsProcessTest, AwardsKilledAfterAnAcknowledgedDecisionKeepsIt) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  ASSERT_NO_FATAL_FAILURE(SmallProvince());
  const v1::Campaign campaign = MustCampaign();
  const v1::Nomination safe =
      MustNominate(NominateUnit(campaign.id(), "BK_UBND_TINH", safe_.id()));
  const v1::Nomination officer =
      MustNominate(NominatePerson(campaign.id(), "GK_CAT", officer_.id()));
  const v1::Nomination fresh =
      MustNominate(NominateUnit(campaign.id(), "GK_CAT", fresh_.id()));
  MustApprove(safe.id());
  MustApprove(officer.id());

  v1::Decision decision;
  grpc::Status status =
      Issue("77/QĐ-UBND", {safe.id(), officer.id()}, &decision);
  ASSERT_TRUE(status.ok()) << Dump(status);
  const v1::GetCampaignSummaryResponse before = Summary(campaign.id());
  ASSERT_EQ(before.rows_size(), 3);
  ASSERT_EQ(awards_.child->Stop(SIGKILL), 128 + SIGKILL);

  ASSERT_NO_FATAL_FAILURE(StartAwards());
  const v1::ListNominationsResponse listed = Nominations(campaign.id());
  ASSERT_EQ(listed.total_size(), 3);
  for (const v1::Nomination& n : listed.nominations()) {
    if (n.id() == fresh.id()) {
      EXPECT_EQ(n.stage(), v1::NOMINATION_STAGE_PROPOSED);
      continue;
    }
    EXPECT_EQ(n.stage(), v1::NOMINATION_STAGE_ISSUED) << n.id();
    EXPECT_EQ(n.decision_number(), "77/QĐ-UBND") << n.id();
  }
  const v1::GetCampaignSummaryResponse after = Summary(campaign.id());
  EXPECT_EQ(after.SerializeAsString(), before.SerializeAsString())
      << after.DebugString() << "\nbefore:\n"
      << before.DebugString();
  // The decision's number is still taken.
  MustApprove(fresh.id());
  status = Issue("77/QĐ-UBND", {fresh.id()}, &decision);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS) << Dump(status);

  TerminateAll();
}

TEST_F(AwardsProcessTest, NominationOverMutualTlsWithEachServicesOwnToken) {
  ASSERT_NO_FATAL_FAILURE(UseTls());
  ASSERT_NO_FATAL_FAILURE(StartAll());
  ASSERT_NO_FATAL_FAILURE(SmallProvince());
  const v1::Campaign campaign = MustCampaign();
  ASSERT_FALSE(campaign.id().empty());

  // An officer nominates; awards reads the unit from the registry and its
  // history from scoring with its own certificate and token.
  auto officer = v1::AwardsService::NewStub(
      grpc::CreateChannel(awards_.address(), Credentials(officer_token_)));
  v1::Nomination safe;
  grpc::Status status = officer->Nominate(
      Context().get(), NominateUnit(campaign.id(), "BK_UBND_TINH", safe_.id()),
      &safe);
  ASSERT_TRUE(status.ok()) << Dump(status) << "\n" << ReadFile(awards_.log);
  EXPECT_TRUE(safe.eligible());
  EXPECT_EQ(safe.recipient_name(), "Sở Tư pháp");
  v1::Nomination fresh;
  status = officer->Nominate(
      Context().get(), NominateUnit(campaign.id(), "BK_UBND_TINH", fresh_.id()),
      &fresh);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_FALSE(fresh.eligible());
  const v1::RuleResult* years =
      Rule(fresh, "BK_UBND_TINH.recognized_last_years");
  ASSERT_NE(years, nullptr);
  EXPECT_TRUE(absl::StrContains(years->detail(), "2018")) << years->detail();

  // The officer may not override; a call without a token is refused.
  v1::ApproveNominationRequest approve;
  approve.set_id(fresh.id());
  approve.set_override_justification("Thành lập năm 2018");
  v1::Nomination approved;
  status = officer->ApproveNomination(Context().get(), approve, &approved);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << Dump(status);
  auto anonymous = v1::AwardsService::NewStub(
      grpc::CreateChannel(awards_.address(), pki_->Credentials("client", "")));
  v1::ListCampaignsResponse campaigns;
  status = anonymous->ListCampaigns(Context().get(), v1::ListCampaignsRequest(),
                                    &campaigns);
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED) << Dump(status);

  // The campaign and both nominations are in awards' audit log, by name.
  auto audit = audit::v1::AuditService::NewStub(
      grpc::CreateChannel(awards_.address(), Credentials()));
  audit::v1::ListAuditRecordsResponse records;
  status = audit->ListAuditRecords(
      Context().get(), audit::v1::ListAuditRecordsRequest(), &records);
  ASSERT_TRUE(status.ok()) << Dump(status);
  std::vector<std::pair<std::string, std::string>> written;
  for (const audit::v1::AuditRecord& r : records.records()) {
    written.emplace_back(r.caller(), r.target_ids(0));
  }
  EXPECT_EQ(written, (std::vector<std::pair<std::string, std::string>>{
                         {"admin", campaign.id()},
                         {"officer", safe.id()},
                         {"officer", fresh.id()}}));
  audit::v1::VerifyAuditChainResponse verified;
  status = audit->VerifyAuditChain(
      Context().get(), audit::v1::VerifyAuditChainRequest(), &verified);
  ASSERT_TRUE(status.ok()) << Dump(status);
  EXPECT_TRUE(verified.intact()) << verified.problem();
  EXPECT_EQ(verified.records_checked(), 3u);

  // A token issued while awards runs works after SIGHUP, without a restart.
  const std::string late = pki_->IssueToken("late-viewer", "VIEWER");
  auto viewer = v1::AwardsService::NewStub(
      grpc::CreateChannel(awards_.address(), Credentials(late)));
  status = viewer->ListCampaigns(Context().get(), v1::ListCampaignsRequest(),
                                 &campaigns);
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED) << Dump(status);
  ASSERT_EQ(kill(awards_.child->pid(), SIGHUP), 0);
  const bool reloaded = PollUntil(std::chrono::seconds(10), [&] {
    status = viewer->ListCampaigns(Context().get(), v1::ListCampaignsRequest(),
                                   &campaigns);
    return status.ok();
  });
  EXPECT_TRUE(reloaded) << Dump(status) << "\n" << ReadFile(awards_.log);
  EXPECT_EQ(campaigns.campaigns_size(), 1);
  // No token reached the log.
  for (const std::string& token : {admin_token_, officer_token_, late}) {
    EXPECT_FALSE(absl::StrContains(ReadFile(awards_.log), token));
  }

  officer.reset();
  anonymous.reset();
  audit.reset();
  viewer.reset();
  TerminateAll();
}

}  // namespace
}  // namespace antt::awards
