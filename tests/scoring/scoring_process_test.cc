// The real antt-registry and antt-scoring binaries as child processes: a
// registry that dies fails submissions promptly with UNAVAILABLE and stores
// nothing, and when it comes back scoring works again without a restart;
// scoring keeps its data through SIGTERM and through kill -9; the follower
// brings registry units into the in-scope counts; with mutual TLS, scoring
// calls the registry with its own token, and refuses contradictory flags.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/credentials.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/process.h"
#include "tests/testing/test_util.h"

namespace antt::scoring {
namespace {

using ::antt::testing::PollUntil;
using ::antt::testing::ReadFile;
using ::antt::testing::WaitServing;

namespace rv1 = ::antt::registry::v1;
using ::antt::registry::testing::Agency;
using ::antt::registry::testing::School;
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

class ScoringProcessTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = antt::testing::FreshTestDir(); }

  // Starts antt-registry on `port` (0: a port of its choosing) over the same
  // store every time, waits until it serves and connects a client to it.
  // `security` are its security flags; the client speaks with credentials_.
  std::unique_ptr<ChildProcess> StartRegistry(
      int port = 0, const std::vector<std::string>& security = {"--insecure"}) {
    registry_log_ = absl::StrCat(dir_, "/registry-", ++starts_, ".log");
    std::vector<std::string> args{
        "--db_path=" + dir_ + "/registry",
        absl::StrCat("--listen=127.0.0.1:", port),
        "--metrics_listen=", "--health_listen=", "--drain_seconds=5"};
    args.insert(args.end(), security.begin(), security.end());
    auto child = std::make_unique<ChildProcess>(BinDir() + "/antt-registry",
                                                args, registry_log_);
    registry_port_ = antt::testing::WaitForListeningPort(registry_log_);
    EXPECT_NE(registry_port_, 0) << ReadFile(registry_log_);
    if (port != 0) {
      EXPECT_EQ(registry_port_, port);
    }
    const std::string address = absl::StrCat("127.0.0.1:", registry_port_);
    EXPECT_TRUE(WaitServing(address, credentials_)) << ReadFile(registry_log_);
    registry_ = rv1::RegistryService::NewStub(
        grpc::CreateChannel(address, credentials_));
    return child;
  }

  // Starts antt-scoring over the same store every time, pointed at the
  // registry's port, waits until it serves and connects a client to it.
  std::unique_ptr<ChildProcess> StartScoring(
      const std::vector<std::string>& security = {"--insecure"}) {
    auto child = LaunchScoring(security);
    const int port = antt::testing::WaitForListeningPort(scoring_log_);
    EXPECT_NE(port, 0) << ReadFile(scoring_log_);
    scoring_address_ = absl::StrCat("127.0.0.1:", port);
    EXPECT_TRUE(WaitServing(scoring_address_, credentials_))
        << ReadFile(scoring_log_);
    scoring_ = v1::ScoringService::NewStub(
        grpc::CreateChannel(scoring_address_, credentials_));
    return child;
  }

  // Starts antt-scoring without waiting for it.
  std::unique_ptr<ChildProcess> LaunchScoring(
      const std::vector<std::string>& security) {
    scoring_log_ = absl::StrCat(dir_, "/scoring-", ++starts_, ".log");
    std::vector<std::string> args{
        absl::StrCat("--registry_addr=127.0.0.1:", registry_port_),
        "--registry_deadline_ms=1000",
        "--registry_poll_ms=100",
        "--db_path=" + dir_ + "/scoring",
        "--listen=127.0.0.1:0",
        "--metrics_listen=",
        "--health_listen=",
        "--drain_seconds=5"};
    args.insert(args.end(), security.begin(), security.end());
    return std::make_unique<ChildProcess>(BinDir() + "/antt-scoring", args,
                                          scoring_log_);
  }

  // SIGTERM with no client connected (an idle connection would only delay
  // the drain); returns the exit code.
  int Terminate(ChildProcess* scoring) {
    scoring_.reset();
    return scoring->Stop(SIGTERM, 20);
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  rv1::Unit CreateUnit(const rv1::Unit& unit) {
    rv1::CreateUnitRequest request;
    *request.mutable_unit() = unit;
    rv1::Unit created;
    grpc::Status status =
        registry_->CreateUnit(Context().get(), request, &created);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return created;
  }

  // The registry's change-feed position.
  uint64_t RegistrySequence() {
    rv1::ListChangesRequest request;
    request.set_page_size(1000);
    rv1::ListChangesResponse response;
    grpc::Status status =
        registry_->ListChanges(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response.last_sequence();
  }

  // An agency's 2019 answers (set TT23-2012/CQDN, read with GetCriteriaSet):
  // every condition that takes an answer met, and `points` points.
  v1::Assessment Answers(const std::string& unit_id, int points) {
    if (set_.id().empty()) {
      v1::GetCriteriaSetRequest request;
      request.set_id("TT23-2012/CQDN");
      grpc::Status status =
          scoring_->GetCriteriaSet(Context().get(), request, &set_);
      EXPECT_TRUE(status.ok()) << Dump(status);
    }
    v1::Assessment a;
    a.set_unit_id(unit_id);
    a.set_year(2019);
    for (const v1::Condition& condition : set_.conditions()) {
      if (condition.decided_by_events()) continue;
      v1::ConditionAnswer* answer = a.add_conditions();
      answer->set_condition_id(condition.id());
      answer->set_met(true);
    }
    int left = points;
    for (const v1::PointsItem& item : set_.points_items()) {
      const int given = std::min(item.max_points(), left);
      if (given <= 0) break;
      v1::ItemPoints* p = a.add_points();
      p->set_item_id(item.id());
      p->set_points(given);
      left -= given;
    }
    EXPECT_EQ(left, 0);
    return a;
  }

  grpc::Status Submit(const v1::Assessment& a, v1::Assessment* out,
                      const std::string& request_id = "") {
    v1::SubmitAssessmentRequest request;
    *request.mutable_assessment() = a;
    request.set_request_id(request_id);
    return scoring_->SubmitAssessment(Context().get(), request, out);
  }

  v1::Assessment MustSubmit(const v1::Assessment& a) {
    v1::Assessment out;
    grpc::Status status = Submit(a, &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  v1::Assessment Get(const std::string& id) {
    v1::GetAssessmentRequest request;
    request.set_id(id);
    v1::Assessment out;
    grpc::Status status =
        scoring_->GetAssessment(Context().get(), request, &out);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return out;
  }

  int TotalAssessments(const std::string& unit_id = "") {
    v1::ListAssessmentsRequest request;
    request.set_unit_id(unit_id);
    v1::ListAssessmentsResponse response;
    grpc::Status status =
        scoring_->ListAssessments(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response.total_size();
  }

  static v1::GetSafetyStatsRequest StatsRequest(const std::string& area,
                                                const std::string& edition,
                                                v1::GroupBy by,
                                                int first_year = 2019,
                                                int last_year = 2019) {
    v1::GetSafetyStatsRequest request;
    request.set_first_year(first_year);
    request.set_last_year(last_year);
    request.set_area_code(area);
    request.set_edition(edition);
    request.set_group_by(by);
    return request;
  }

  v1::GetSafetyStatsResponse Stats(const v1::GetSafetyStatsRequest& request) {
    v1::GetSafetyStatsResponse response;
    grpc::Status status =
        scoring_->GetSafetyStats(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Dump(status);
    return response;
  }

  // Statistics once scoring's follower has read the registry's feed up to
  // its current end (within 10 s; registry_sequence says how far it got).
  v1::GetSafetyStatsResponse CaughtUpStats(
      const v1::GetSafetyStatsRequest& request) {
    const uint64_t target = RegistrySequence();
    v1::GetSafetyStatsResponse response;
    const bool caught_up = PollUntil(std::chrono::seconds(10), [&] {
      response = Stats(request);
      return response.registry_sequence() >= target;
    });
    EXPECT_TRUE(caught_up) << "follower at " << response.registry_sequence()
                           << ", registry at " << target << "\n"
                           << ReadFile(scoring_log_);
    return response;
  }

  std::string dir_;
  // How the test's clients connect: plaintext, or mutual TLS and a token.
  std::shared_ptr<grpc::ChannelCredentials> credentials_ =
      grpc::InsecureChannelCredentials();
  int starts_ = 0;
  std::string registry_log_;
  std::string scoring_log_;
  std::string scoring_address_;
  int registry_port_ = 0;
  std::unique_ptr<rv1::RegistryService::Stub> registry_;
  std::unique_ptr<v1::ScoringService::Stub> scoring_;
  v1::CriteriaSet set_;
};

TEST_F(ScoringProcessTest, RegistryKilledIsUnavailableThenRecoversNoRestart) {
  auto registry = StartRegistry();
  const int registry_port = registry_port_;
  auto scoring = StartScoring();
  const rv1::Unit u1 = CreateUnit(Agency("Sở Tư pháp"));
  const rv1::Unit u2 = CreateUnit(Agency("Sở Y tế"));
  MustSubmit(Answers(u1.id(), 95));

  ASSERT_EQ(registry->Stop(SIGKILL), 128 + SIGKILL);
  v1::Assessment out;
  const auto start = Clock::now();
  grpc::Status down = Submit(Answers(u2.id(), 95), &out, "after-kill");
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(down.error_code(), StatusCode::UNAVAILABLE) << Dump(down);
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_EQ(TotalAssessments(u2.id()), 0);
  EXPECT_EQ(TotalAssessments(), 1);

  // The registry comes back on the same port and store; scoring, never
  // restarted, reconnects by itself.
  registry = StartRegistry(registry_port);
  grpc::Status back;
  const bool recovered = PollUntil(std::chrono::seconds(15), [&] {
    back = Submit(Answers(u2.id(), 95), &out, "after-kill");
    return back.error_code() != StatusCode::UNAVAILABLE;
  });
  ASSERT_TRUE(recovered) << Dump(back) << "\n" << ReadFile(scoring_log_);
  ASSERT_TRUE(back.ok()) << Dump(back);
  EXPECT_EQ(out.unit_id(), u2.id());
  EXPECT_EQ(out.stage(), v1::STAGE_SUBMITTED);
  EXPECT_EQ(TotalAssessments(), 2);

  // The follower resumed too: a unit created after the outage is counted.
  CreateUnit(Agency("Sở Xây dựng"));
  const v1::GetSafetyStatsResponse stats =
      CaughtUpStats(StatsRequest("44", "", v1::GROUP_BY_YEAR));
  ASSERT_EQ(stats.rows_size(), 1);
  EXPECT_EQ(stats.rows(0).in_scope(), 3);
  EXPECT_EQ(stats.rows(0).assessed(), 2);
}

TEST_F(ScoringProcessTest, RegistryHungIsUnavailableAfterTheDeadline) {
  auto registry = StartRegistry();
  auto scoring = StartScoring();
  const rv1::Unit u1 = CreateUnit(Agency("Sở Tư pháp"));

  // Stopped, the registry keeps its connections open but never answers: only
  // the 1 s deadline of --registry_deadline_ms ends the call.
  ASSERT_EQ(kill(registry->pid(), SIGSTOP), 0);
  v1::Assessment out;
  const auto start = Clock::now();
  grpc::Status hung = Submit(Answers(u1.id(), 95), &out);
  const auto elapsed = Clock::now() - start;
  ASSERT_EQ(kill(registry->pid(), SIGCONT), 0);
  EXPECT_EQ(hung.error_code(), StatusCode::UNAVAILABLE) << Dump(hung);
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_EQ(TotalAssessments(), 0);

  // Answering again, it is used at once.
  grpc::Status back = Submit(Answers(u1.id(), 95), &out);
  ASSERT_TRUE(back.ok()) << Dump(back);
  EXPECT_EQ(TotalAssessments(), 1);
}

TEST_F(ScoringProcessTest, ScoringRestartKeepsAssessmentsStagesAndCounts) {
  auto registry = StartRegistry();
  auto scoring = StartScoring();
  const rv1::Unit u1 = CreateUnit(Agency("Sở Tư pháp"));
  const rv1::Unit u2 = CreateUnit(Agency("Sở Y tế"));
  CreateUnit(Agency("Sở Xây dựng"));
  const v1::GetSafetyStatsRequest by_year =
      StatsRequest("45", "2025-06", v1::GROUP_BY_YEAR);
  ASSERT_EQ(CaughtUpStats(by_year).rows(0).in_scope(), 3);

  const v1::Assessment a1 = MustSubmit(Answers(u1.id(), 95));
  const v1::Assessment a2 = MustSubmit(Answers(u2.id(), 75));
  v1::ReviewAssessmentRequest review;
  review.set_id(a1.id());
  review.set_approve(true);
  v1::Assessment reviewed;
  ASSERT_TRUE(
      scoring_->ReviewAssessment(Context().get(), review, &reviewed).ok());
  const v1::GetSafetyStatsResponse before = Stats(by_year);
  ASSERT_EQ(before.rows_size(), 1);
  EXPECT_EQ(before.rows(0).in_scope(), 3);
  EXPECT_EQ(before.rows(0).assessed(), 2);
  EXPECT_EQ(before.rows(0).excellent(), 1);
  EXPECT_EQ(before.rows(0).good(), 1);

  // SIGTERM: an orderly exit, then everything is as it was.
  ASSERT_EQ(Terminate(scoring.get()), 0) << ReadFile(scoring_log_);
  EXPECT_NE(ReadFile(scoring_log_).find("\"msg\":\"store closed\""),
            std::string::npos)
      << ReadFile(scoring_log_);
  scoring = StartScoring();
  EXPECT_EQ(Get(a1.id()).SerializeAsString(), reviewed.SerializeAsString());
  EXPECT_EQ(Get(a1.id()).stage(), v1::STAGE_REVIEWED);
  EXPECT_EQ(Get(a2.id()).SerializeAsString(), a2.SerializeAsString());
  const v1::GetSafetyStatsResponse after = Stats(by_year);
  EXPECT_EQ(after.SerializeAsString(), before.SerializeAsString())
      << after.DebugString() << "\nbefore:\n"
      << before.DebugString();

  // kill -9 right after an acknowledged decision: the decision stays.
  v1::RecognizeAssessmentsRequest decision;
  decision.add_assessment_ids(a1.id());
  decision.set_recognized(true);
  decision.set_decision_number("45/QĐ-UBND");
  *decision.mutable_decision_date() = Date(2019, 11, 28);
  decision.set_authority("UBND tỉnh Quảng Trị");
  v1::RecognizeAssessmentsResponse recognized;
  grpc::Status status =
      scoring_->RecognizeAssessments(Context().get(), decision, &recognized);
  ASSERT_TRUE(status.ok()) << Dump(status);
  ASSERT_EQ(scoring->Stop(SIGKILL), 128 + SIGKILL);
  scoring = StartScoring();
  const v1::Assessment kept = Get(a1.id());
  EXPECT_EQ(kept.stage(), v1::STAGE_RECOGNIZED);
  EXPECT_EQ(kept.recognition().decision_number(), "45/QĐ-UBND");
  const v1::GetSafetyStatsResponse killed = Stats(by_year);
  ASSERT_EQ(killed.rows_size(), 1);
  EXPECT_EQ(killed.rows(0).in_scope(), 3);
  EXPECT_EQ(killed.rows(0).assessed(), 2);
  EXPECT_EQ(killed.rows(0).recognized(), 1);
  EXPECT_EQ(killed.registry_sequence(), before.registry_sequence());

  v1::GetUnitHistoryRequest history_request;
  history_request.set_unit_id(u1.id());
  v1::GetUnitHistoryResponse history;
  ASSERT_TRUE(
      scoring_->GetUnitHistory(Context().get(), history_request, &history)
          .ok());
  EXPECT_EQ(history.consecutive_recognized_years(), 1);
  EXPECT_EQ(Terminate(scoring.get()), 0) << ReadFile(scoring_log_);
}

TEST_F(ScoringProcessTest, FollowerBringsRegistryUnitsIntoInScopeCounts) {
  auto registry = StartRegistry();
  auto scoring = StartScoring();
  const v1::GetSafetyStatsRequest by_district =
      StatsRequest("45", "2025-06", v1::GROUP_BY_CHILD_AREA, 2019, 2020);
  const v1::GetSafetyStatsRequest by_kind =
      StatsRequest("44", "", v1::GROUP_BY_KIND);

  const rv1::Unit agency = CreateUnit(Agency("Sở Tư pháp"));
  v1::GetSafetyStatsResponse stats = CaughtUpStats(by_district);
  // Rows by district, then by year: 461 (Đông Hà) comes first.
  ASSERT_EQ(stats.rows_size(), 20);
  EXPECT_EQ(stats.rows(0).group_key(), "461");
  EXPECT_EQ(stats.rows(0).year(), 2019);
  EXPECT_EQ(stats.rows(0).in_scope(), 1);
  EXPECT_EQ(stats.rows(1).in_scope(), 1);  // 2020
  EXPECT_EQ(stats.rows(2).in_scope(), 0);  // the next district

  CreateUnit(
      School("Trường THPT Đông Hà", rv1::EDUCATION_LEVEL_UPPER_SECONDARY));
  CreateUnit(School("Trường Tiểu học Kim Đồng",
                    rv1::EDUCATION_LEVEL_PRIMARY));  // out of scope
  stats = CaughtUpStats(by_kind);
  ASSERT_EQ(stats.rows_size(), 3);
  EXPECT_EQ(stats.rows(0).group_key(), "agency");
  EXPECT_EQ(stats.rows(0).in_scope(), 1);
  EXPECT_EQ(stats.rows(1).group_key(), "enterprise");
  EXPECT_EQ(stats.rows(1).in_scope(), 0);
  EXPECT_EQ(stats.rows(2).group_key(), "education");
  EXPECT_EQ(stats.rows(2).in_scope(), 1);  // the upper secondary school

  // Dissolved in 2019: still counted in 2019, no longer in 2020.
  rv1::DissolveUnitRequest dissolve;
  dissolve.set_id(agency.id());
  *dissolve.mutable_dissolve_date() = Date(2019, 6, 30);
  dissolve.set_reason("Sáp nhập");
  rv1::Unit dissolved;
  grpc::Status status =
      registry_->DissolveUnit(Context().get(), dissolve, &dissolved);
  ASSERT_TRUE(status.ok()) << Dump(status);
  stats = CaughtUpStats(by_district);
  ASSERT_EQ(stats.rows_size(), 20);
  EXPECT_EQ(stats.rows(0).in_scope(), 2);  // 2019: agency and school
  EXPECT_EQ(stats.rows(1).in_scope(), 1);  // 2020: the school
}

TEST_F(ScoringProcessTest, WithMutualTlsScoringCallsTheRegistryWithItsToken) {
  TestPki pki(dir_ + "/pki");
  for (const char* name : {"registry", "scoring", "client"}) {
    pki.IssueCert(name);
  }
  const std::string admin = pki.IssueToken("admin", "ADMIN");
  const std::string viewer = pki.IssueToken("viewer", "VIEWER");
  const std::string service = pki.IssueToken("scoring", "SERVICE");
  credentials_ = pki.Credentials("client", admin);

  auto registry = StartRegistry(0, pki.ServerFlags("registry"));
  std::vector<std::string> scoring_flags = pki.ServerFlags("scoring");
  scoring_flags.push_back("--service_token_file=" + pki.token_file("scoring"));
  auto scoring = StartScoring(scoring_flags);
  const rv1::Unit unit = CreateUnit(Agency("Sở Tư pháp"));

  // Score by unit as a VIEWER: scoring fetches the unit from the registry
  // over mutual TLS with its SERVICE token.
  auto as_viewer = v1::ScoringService::NewStub(
      grpc::CreateChannel(scoring_address_, pki.Credentials("client", viewer)));
  v1::ScoreRequest score;
  const v1::Assessment answers = Answers(unit.id(), 95);
  score.set_unit_id(unit.id());
  score.set_year(2019);
  *score.mutable_conditions() = answers.conditions();
  *score.mutable_points() = answers.points();
  v1::ScoreResult result;
  grpc::Status status = as_viewer->Score(Context().get(), score, &result);
  ASSERT_TRUE(status.ok()) << Dump(status) << "\n" << ReadFile(scoring_log_);
  EXPECT_EQ(result.criteria_set_id(), "TT23-2012/CQDN");
  EXPECT_TRUE(result.meets_standard());
  EXPECT_EQ(result.total_points(), 95);
  // Its follower reads the registry's change feed with the same token.
  const v1::GetSafetyStatsResponse stats =
      CaughtUpStats(StatsRequest("45", "2025-06", v1::GROUP_BY_YEAR));
  ASSERT_EQ(stats.rows_size(), 1);
  EXPECT_EQ(stats.rows(0).in_scope(), 1);

  // Mutual TLS without a token is not enough.
  auto anonymous = v1::ScoringService::NewStub(
      grpc::CreateChannel(scoring_address_, pki.Credentials("client", "")));
  status = anonymous->Score(Context().get(), score, &result);
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED) << Dump(status);

  as_viewer.reset();
  anonymous.reset();
  EXPECT_EQ(Terminate(scoring.get()), 0) << ReadFile(scoring_log_);
  // No token reaches either log.
  for (const std::string& token : {admin, viewer, service}) {
    EXPECT_EQ(ReadFile(scoring_log_).find(token), std::string::npos);
    EXPECT_EQ(ReadFile(registry_log_).find(token), std::string::npos);
  }
}

TEST_F(ScoringProcessTest, RefusesToStartWithContradictoryOrMissingSecurity) {
  TestPki pki(dir_ + "/pki");
  pki.IssueCert("scoring");
  pki.IssueToken("scoring", "SERVICE");
  const auto refused = [&](const std::vector<std::string>& flags,
                           const std::string& why) {
    auto scoring = LaunchScoring(flags);
    EXPECT_EQ(scoring->WaitExit(20), 1) << ReadFile(scoring_log_);
    EXPECT_NE(ReadFile(scoring_log_).find(why), std::string::npos)
        << ReadFile(scoring_log_);
  };
  // Plaintext and TLS at once.
  refused({"--insecure", "--tls_cert=" + pki.cert("scoring"),
           "--tls_key=" + pki.key("scoring")},
          "--insecure cannot be combined");
  // Neither.
  refused({}, "no transport security configured");
  // TLS, but no token for its calls to the registry.
  refused(pki.ServerFlags("scoring"), "--service_token_file is required");
}

}  // namespace
}  // namespace antt::scoring
