// scoring_stats_bench: Google Benchmark of antt-scoring below gRPC.
//
//   BM_GetSafetyStats/<N>/<group_by>  Scoring::GetSafetyStats for legacy
//       province 45 (edition 2025-06), years 2014-2019, every kind, grouped by
//       child area (1), kind (2) or year (3), over a store holding N
//       assessments. SPEC section 2 wants the cost to stay the same for 100
//       units or 1,000,000: compare the /1000/ and /200000/ rows.
//   BM_Score  Scoring::Score by unit_kind with a full answer set (stateless:
//       no registry call, no storage), rotating over the three kinds and the
//       two circulars.
//
// Not a test: run it by hand. On a shared machine compare medians of
// interleaved repetitions, not single runs (one command line):
//   build-f/bin/scoring_stats_bench --benchmark_min_time=1
//     --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
//     --benchmark_report_aggregates_only=true
//
// Setup, once per N and outside the timed loop: a RocksDbScoringStore in a
// fresh directory under $TMPDIR (removed at exit), a FakeRegistryClient with
// ceil(N/6) assessed units plus a tenth more never assessed, spread over the
// ten districts of legacy province 45 (current province 44) and the three
// kinds, RegistryFollower::SyncOnce() for the in-scope counters, then every
// write through the Scoring domain class, one call at a time: N
// SubmitAssessment (6 years per unit, the shipped criteria, every answered
// condition, points 30..100, 4 % failing a condition), ReviewAssessment
// (approve most, return some, a few resubmitted), and RecognizeAssessments in
// decisions of 1,000 (recognised, or not recognised for those that fail).
// The figures of each phase are printed to stderr and kept as counters. The
// statistics are then checked against what was written (a mismatch aborts),
// and the run waits for RocksDB's background flushes and compactions to end.
// SCORING_BENCH_KEEP=1 keeps the store directories (RocksDB LOG included);
// SCORING_BENCH_REOPEN=1 closes and reopens each store after its setup.

#include <stdlib.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "services/registry/area_catalog.h"
#include "services/scoring/criteria_catalog.h"
#include "services/scoring/registry_follower.h"
#include "services/scoring/rocksdb_scoring_store.h"
#include "services/scoring/scoring.h"
#include "services/scoring/settings.h"
#include "tests/scoring/fake_registry_client.h"

namespace antt::scoring::load {
namespace {

// The benchmarks call the use cases as an unrestricted administrator.
const Principal& Bench() {
  static const Principal* const bench =
      new Principal{"bench", Role::kAdmin, "", ""};
  return *bench;
}

namespace rv1 = ::antt::registry::v1;
using ::antt::scoring::testing::FakeRegistryClient;
using Clock = std::chrono::steady_clock;

constexpr int kFirstYear = 2014;
constexpr int kLastYear = 2019;
constexpr int kYears = kLastYear - kFirstYear + 1;
constexpr int kDecisionSize = 1000;  // the most one decision may recognise
// Legacy province 45 (Quảng Trị) and its ten district-level units in edition
// 2025-06 (there is no 463); the whole province is current province 44.
constexpr char kLegacyProvince[] = "45";
constexpr char kCurrentProvince[] = "44";
constexpr const char* kDistricts[] = {"461", "462", "464", "465", "466",
                                      "467", "468", "469", "470", "471"};
constexpr rv1::UnitKind kKinds[] = {
    rv1::UNIT_KIND_AGENCY, rv1::UNIT_KIND_ENTERPRISE, rv1::UNIT_KIND_EDUCATION};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "scoring_stats_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(absl::StatusOr<T> value, const std::string& what) {
  if (!value.ok()) Die(absl::StrCat(what, ": ", value.status().ToString()));
  return *std::move(value);
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

const CriteriaCatalog& Criteria() {
  static const CriteriaCatalog* catalog =
      Must(CriteriaCatalog::LoadDir(ANTT_DATA_DIR "/criteria"), "criteria")
          .release();
  return *catalog;
}

const registry::AreaCatalog& Areas() {
  static const registry::AreaCatalog* areas =
      Must(registry::AreaCatalog::Load(ANTT_DATA_DIR "/areas"), "areas")
          .release();
  return *areas;
}

const ScoringSettings& Settings() {
  static const ScoringSettings* settings = new ScoringSettings(Must(
      LoadScoringSettings(ANTT_DATA_DIR "/scoring/settings.json"), "settings"));
  return *settings;
}

// A well-mixed 64-bit hash (splitmix64), so the mix of outcomes is
// deterministic but not correlated with unit, year or district.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Answers to every condition of `set` that takes one (all met unless
// `fail_one`, which fails the first) and `points` points over its items.
void FillAnswers(const v1::CriteriaSet& set, int points, bool fail_one,
                 google::protobuf::RepeatedPtrField<v1::ConditionAnswer>* out,
                 google::protobuf::RepeatedPtrField<v1::ItemPoints>* items) {
  bool failed = false;
  for (const v1::Condition& condition : set.conditions()) {
    if (condition.decided_by_events()) continue;
    v1::ConditionAnswer* answer = out->Add();
    answer->set_condition_id(condition.id());
    answer->set_met(!(fail_one && !failed));
    if (!answer->met()) answer->set_note("Chưa có kế hoạch phối hợp");
    failed = true;
  }
  int left = points;
  for (const v1::PointsItem& item : set.points_items()) {
    const int given = std::min(item.max_points(), left);
    if (given <= 0) break;
    v1::ItemPoints* p = items->Add();
    p->set_item_id(item.id());
    p->set_points(given);
    left -= given;
  }
}

// What the setup wrote, and how fast.
struct SetupFigures {
  int64_t units = 0;  // in scope, every year
  int64_t assessments = 0;
  int64_t reviews = 0;
  int64_t resubmissions = 0;
  int64_t decisions = 0;
  int64_t recognized = 0;
  int64_t not_recognized = 0;
  double sync_s = 0;
  double submit_s = 0;
  double review_s = 0;  // reviews and resubmissions
  double decide_s = 0;
  double total_s = 0;
  double quiesce_s = 0;  // waiting for RocksDB's background work, not setup
};

// N assessments in a store of their own, written through Scoring.
class Dataset final {
 public:
  explicit Dataset(int n) {
    std::string dir_template =
        (std::filesystem::temp_directory_path() /
         absl::StrCat("antt-scoring-bench-", n, "-XXXXXX"))
            .string();
    if (mkdtemp(dir_template.data()) == nullptr) Die("mkdtemp failed");
    dir_ = dir_template;
    Open();
    Fill(n);
    Check();
    // SCORING_BENCH_REOPEN=1: close (memtables flushed) and open again, as
    // after a restart, so every counter is read from SST files.
    const char* reopen = std::getenv("SCORING_BENCH_REOPEN");
    if (reopen != nullptr && std::string(reopen) == "1") {
      scoring_.reset();
      store_.reset();
      Open();
      Check();
      std::fprintf(stderr, "reopened the store of N=%d\n", n);
    }
    Quiesce();
  }

  ~Dataset() {
    scoring_.reset();
    store_.reset();
    const char* keep = std::getenv("SCORING_BENCH_KEEP");
    if (keep != nullptr && std::string(keep) == "1") {
      std::fprintf(stderr, "scoring_stats_bench: kept %s\n", dir_.c_str());
      return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  Dataset(const Dataset&) = delete;
  Dataset& operator=(const Dataset&) = delete;

  Scoring* scoring() { return scoring_.get(); }
  const SetupFigures& figures() const { return figures_; }

 private:
  // The store in dir_ and a Scoring on it.
  void Open() {
    store_ = Must(RocksDbScoringStore::Open(dir_), "open store");
    Scoring::Dependencies deps;
    deps.criteria = &Criteria();
    deps.settings = &Settings();
    deps.areas = &Areas();
    deps.store = store_.get();
    deps.registry = &registry_;
    deps.now = [this] { return now_; };
    scoring_ = std::make_unique<Scoring>(deps);
  }

  // 10 November of `year`, Vietnam time: before the deadline, so not late.
  void SetNow(int year) {
    now_ = absl::FromCivil(absl::CivilSecond(year, 11, 10, 9, 0, 0),
                           absl::FixedTimeZone(7 * 3600));
  }

  static std::string UnitId(int64_t i) {
    return absl::StrFormat("U%010d", i + 1);
  }

  // Unit i: kind i % 3, district (i / 3) % 10, established 2000, 2005 or 2010
  // (so every unit exists in 2014-2019 and each counter cell has the same
  // three in-scope delta years whatever N is).
  static rv1::Unit MakeUnit(int64_t i) {
    rv1::Unit unit;
    unit.set_id(UnitId(i));
    unit.set_name(absl::StrCat("Đơn vị thử tải ", i + 1));
    unit.set_kind(kKinds[i % 3]);
    unit.set_status(rv1::UNIT_STATUS_ACTIVE);
    unit.set_in_scope(true);
    unit.set_province_code(kCurrentProvince);
    unit.set_legacy_province_code(kLegacyProvince);
    unit.set_legacy_district_code(kDistricts[(i / 3) % std::size(kDistricts)]);
    unit.mutable_established_date()->set_year(2000 + 5 * ((i / 30) % 3));
    unit.mutable_established_date()->set_month(1);
    unit.mutable_established_date()->set_day(15);
    return unit;
  }

  v1::Assessment Answers(int64_t j, bool fail_one, int points) const {
    v1::Assessment a;
    a.set_unit_id(UnitId(j / kYears));
    a.set_year(kFirstYear + static_cast<int>(j % kYears));
    const v1::CriteriaSet* set =
        Must(Criteria().ForKindAndYear(kKinds[(j / kYears) % 3], a.year()),
             "criteria set");
    FillAnswers(*set, points, fail_one, a.mutable_conditions(),
                a.mutable_points());
    return a;
  }

  void Fill(int n) {
    const Clock::time_point begin = Clock::now();
    const int64_t assessed_units = (n + kYears - 1) / kYears;
    const int64_t units = assessed_units + std::max<int64_t>(1, n / 60);
    for (int64_t i = 0; i < units; ++i) registry_.Put(MakeUnit(i));
    RegistryFollower follower(&registry_, store_.get(), absl::Seconds(1));
    if (absl::Status s = follower.SyncOnce(); !s.ok()) {
      Die(absl::StrCat("SyncOnce: ", s.ToString()));
    }
    figures_.units = units;
    figures_.sync_s = Seconds(Clock::now() - begin);

    // Fate of assessment j, from its hash: 0-7 stays SUBMITTED, 8-9 RETURNED,
    // 10-11 returned and resubmitted (SUBMITTED again), 12-14 REVIEWED and
    // awaiting a decision, the rest REVIEWED then decided.
    std::vector<std::string> ids(n);
    std::vector<int> fate(n);
    std::vector<bool> meets(n);
    std::vector<bool> fails(n);
    std::vector<int> points(n);
    Clock::time_point t = Clock::now();
    for (int64_t j = 0; j < n; ++j) {
      const uint64_t h = Mix(static_cast<uint64_t>(j));
      points[j] = 30 + static_cast<int>(h % 71);
      fails[j] = (h >> 8) % 100 < 4;
      fate[j] = static_cast<int>((h >> 16) % 100);
      v1::SubmitAssessmentRequest request;
      *request.mutable_assessment() = Answers(j, fails[j], points[j]);
      request.set_request_id(absl::StrCat("bench-", j));
      SetNow(request.assessment().year());
      v1::Assessment a = Must(scoring_->SubmitAssessment(Bench(), request),
                              "SubmitAssessment");
      ids[j] = a.id();
      meets[j] = a.result().meets_standard();
    }
    figures_.assessments = n;
    figures_.submit_s = Seconds(Clock::now() - t);

    t = Clock::now();
    for (int64_t j = 0; j < n; ++j) {
      if (fate[j] < 8) continue;
      v1::ReviewAssessmentRequest review;
      review.set_id(ids[j]);
      review.set_approve(fate[j] >= 12);
      if (!review.approve()) review.set_note("Bổ sung biên bản kiểm tra");
      Must(scoring_->ReviewAssessment(Bench(), review), "ReviewAssessment");
      ++figures_.reviews;
      if (fate[j] == 10 || fate[j] == 11) {
        v1::SubmitAssessmentRequest again;
        *again.mutable_assessment() = Answers(j, fails[j], points[j]);
        again.set_request_id(absl::StrCat("bench-", j, "-again"));
        Must(scoring_->SubmitAssessment(Bench(), again), "resubmit");
        ++figures_.resubmissions;
      }
    }
    figures_.review_s = Seconds(Clock::now() - t);

    t = Clock::now();
    for (bool recognized : {true, false}) {
      v1::RecognizeAssessmentsRequest decision;
      decision.set_recognized(recognized);
      decision.set_authority("UBND tỉnh Quảng Trị");
      const auto flush = [&] {
        if (decision.assessment_ids().empty()) return;
        ++figures_.decisions;
        decision.set_decision_number(
            absl::StrCat(figures_.decisions, "/QĐ-UBND"));
        decision.mutable_decision_date()->set_year(2019);
        decision.mutable_decision_date()->set_month(11);
        decision.mutable_decision_date()->set_day(28);
        const auto done =
            Must(scoring_->RecognizeAssessments(Bench(), decision),
                 "RecognizeAssessments");
        (recognized ? figures_.recognized : figures_.not_recognized) +=
            done.assessments_size();
        decision.clear_assessment_ids();
      };
      for (int64_t j = 0; j < n; ++j) {
        if (fate[j] < 15 || meets[j] != recognized) continue;
        decision.add_assessment_ids(ids[j]);
        if (decision.assessment_ids_size() == kDecisionSize) flush();
      }
      flush();
    }
    figures_.decide_s = Seconds(Clock::now() - t);
    figures_.total_s = Seconds(Clock::now() - begin);

    const SetupFigures& f = figures_;
    std::fprintf(
        stderr,
        "setup N=%d: %lld units in scope (registry sync %.2f s); "
        "SubmitAssessment x %lld in %.2f s = %.0f/s; ReviewAssessment x %lld "
        "+ resubmit x %lld in %.2f s = %.0f calls/s; RecognizeAssessments x "
        "%lld decisions (%lld recognised, %lld not) in %.2f s = %.0f "
        "assessments/s; whole setup %.2f s = %.0f assessments/s\n",
        n, static_cast<long long>(f.units), f.sync_s,
        static_cast<long long>(f.assessments), f.submit_s,
        f.assessments / f.submit_s, static_cast<long long>(f.reviews),
        static_cast<long long>(f.resubmissions), f.review_s,
        (f.reviews + f.resubmissions) / f.review_s,
        static_cast<long long>(f.decisions),
        static_cast<long long>(f.recognized),
        static_cast<long long>(f.not_recognized), f.decide_s,
        (f.recognized + f.not_recognized) / f.decide_s, f.total_s,
        f.assessments / f.total_s);
  }

  // The statistics must say what was written: every unit in scope each year,
  // every assessment counted once, every recognition counted.
  void Check() {
    v1::GetSafetyStatsRequest request;
    request.set_first_year(kFirstYear);
    request.set_last_year(kLastYear);
    request.set_area_code(kLegacyProvince);
    request.set_edition(std::string(registry::kLegacyEdition));
    request.set_group_by(v1::GROUP_BY_YEAR);
    const v1::GetSafetyStatsResponse stats =
        Must(scoring_->GetSafetyStats(Bench(), request), "GetSafetyStats");
    int64_t assessed = 0;
    int64_t recognized = 0;
    for (const v1::StatsRow& row : stats.rows()) {
      if (row.in_scope() != figures_.units) {
        Die(absl::StrCat("year ", row.year(), ": in_scope ", row.in_scope(),
                         ", expected ", figures_.units));
      }
      assessed += row.assessed();
      recognized += row.recognized();
    }
    if (stats.rows_size() != kYears || assessed != figures_.assessments ||
        recognized != figures_.recognized) {
      Die(absl::StrCat(
          "statistics disagree with the setup: ", stats.rows_size(),
          " rows, assessed ", assessed, " of ", figures_.assessments,
          ", recognised ", recognized, " of ", figures_.recognized));
    }
  }

  // Waits, at most 60 s, until the flushes and compactions the setup started
  // have finished (two half-seconds in a row in which the threads other than
  // this one used under 5 % of a core), so they do not share the measured
  // loop's cores.
  void Quiesce() {
    const Clock::time_point begin = Clock::now();
    const Clock::time_point give_up = begin + std::chrono::seconds(60);
    int quiet = 0;
    while (quiet < 2 && Clock::now() < give_up) {
      const double process = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
      const double thread = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      const double background =
          (CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process) -
          (CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - thread);
      quiet = background < 0.025 ? quiet + 1 : 0;
    }
    figures_.quiesce_s = Seconds(Clock::now() - begin);
    std::fprintf(stderr, "background work settled after %.1f s%s\n",
                 figures_.quiesce_s,
                 quiet < 2 ? " (gave up waiting: still busy)" : "");
  }

  std::string dir_;
  std::unique_ptr<RocksDbScoringStore> store_;
  FakeRegistryClient registry_;
  absl::Time now_;
  std::unique_ptr<Scoring> scoring_;
  SetupFigures figures_;
};

// Datasets by N, built on first use; closed by main() before exit.
std::map<int, std::unique_ptr<Dataset>>& Datasets() {
  static auto* datasets = new std::map<int, std::unique_ptr<Dataset>>();
  return *datasets;
}

Dataset& DatasetOf(int n) {
  std::unique_ptr<Dataset>& slot = Datasets()[n];
  if (slot == nullptr) slot = std::make_unique<Dataset>(n);
  return *slot;
}

void BM_GetSafetyStats(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto group_by = static_cast<v1::GroupBy>(state.range(1));
  Dataset& data = DatasetOf(n);
  v1::GetSafetyStatsRequest request;
  request.set_first_year(kFirstYear);
  request.set_last_year(kLastYear);
  request.set_area_code(kLegacyProvince);
  request.set_edition(std::string(registry::kLegacyEdition));
  request.set_group_by(group_by);
  int rows = 0;
  for (auto _ : state) {
    absl::StatusOr<v1::GetSafetyStatsResponse> stats =
        data.scoring()->GetSafetyStats(Bench(), request);
    if (!stats.ok()) {
      state.SkipWithError(stats.status().ToString().c_str());
      break;
    }
    rows = stats->rows_size();
    benchmark::DoNotOptimize(stats);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(absl::StrCat("2025-06/45 ", kFirstYear, "-", kLastYear, " ",
                              v1::GroupBy_Name(group_by)));
  const SetupFigures& f = data.figures();
  state.counters["rows"] = rows;
  state.counters["assessments"] = static_cast<double>(f.assessments);
  state.counters["setup_submit_per_s"] = f.assessments / f.submit_s;
  state.counters["setup_per_s"] = f.assessments / f.total_s;
}
BENCHMARK(BM_GetSafetyStats)
    ->ArgNames({"assessments", "group_by"})
    ->ArgsProduct({{1000, 200000},
                   {v1::GROUP_BY_CHILD_AREA, v1::GROUP_BY_KIND,
                    v1::GROUP_BY_YEAR}});

// Score by unit_kind: the stateless path other systems call. Each request
// answers every condition that takes an answer and gives every item its
// maximum (100 points, EXCELLENT).
void BM_Score(benchmark::State& state) {
  FakeRegistryClient registry;  // never called: the kind is given
  Scoring::Dependencies deps;
  deps.criteria = &Criteria();
  deps.settings = &Settings();
  deps.areas = &Areas();
  deps.store = nullptr;  // Score stores nothing
  deps.registry = &registry;
  Scoring scoring(deps);
  std::vector<v1::ScoreRequest> requests;
  for (rv1::UnitKind kind : kKinds) {
    for (int year : {2019, 2023}) {
      v1::ScoreRequest request;
      request.set_unit_kind(kind);
      request.set_year(year);
      const v1::CriteriaSet* set =
          Must(Criteria().ForKindAndYear(kind, year), "criteria set");
      FillAnswers(*set, 100, false, request.mutable_conditions(),
                  request.mutable_points());
      requests.push_back(std::move(request));
    }
  }
  size_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<v1::ScoreResult> result =
        scoring.Score(Bench(), requests[i++ % requests.size()]);
    if (!result.ok() ||
        result->classification() != v1::CLASSIFICATION_EXCELLENT) {
      state.SkipWithError(result.ok() ? "not EXCELLENT"
                                      : result.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  if (registry.calls() != 0) state.SkipWithError("Score called the registry");
}
BENCHMARK(BM_Score);

}  // namespace
}  // namespace antt::scoring::load

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  // Close RocksDB and remove the directories before static destruction.
  antt::scoring::load::Datasets().clear();
  benchmark::Shutdown();
  return 0;
}
