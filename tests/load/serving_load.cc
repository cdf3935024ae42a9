// antt-serving-load: the hot RPCs of the serving core, each as a ratio of the
// machine's limit (issue 13; README, Measurements).
//
//   antt-serving-load --echo=127.0.0.1:P1 --registry=127.0.0.1:P2
//       --scoring=127.0.0.1:P3 [--concurrency=32 --rounds=3
//       --seconds_per_target=3 --warmup_seconds=0.5]
//
// The limit is antt-echo-server, a do-nothing callback-API server on the
// same machine. Each round measures, for every RPC in --rpcs in turn: the
// echo, the RPC, the echo again, each for --warmup_seconds not counted and
// --seconds_per_target counted, with --concurrency calls in flight. The echo
// is sent the same request bytes, to the same method path, as the RPC it
// brackets (it answers an empty message), so the only difference between
// the three windows is the server. The RPC's ratio in a round is its OK
// calls/s divided by the mean of the two echo windows next to it in time;
// the summary gives the median over the rounds, against the issue's targets:
//
//   Score (by unit_kind, no registry call)                ≥ 0.80
//   GetUnit (an existing unit)                            ≥ 0.70
//   CreateUnit (a fresh valid unit each call)             ≥ 0.50
//   SubmitAssessment (scoring asks the registry first)    ≥ 0.30
//
// Setup, never timed: --setup_units units are created with CreateUnit before
// the first round (GetUnit reads them; their in-scope ones give the
// (unit, year) pairs SubmitAssessment needs, one assessment per pair, years
// 2012–2025 after the unit's establishment; the units CreateUnit's windows
// create add theirs). Before a SubmitAssessment window there must be a pair
// for every call the echo just made in as long, since the RPC cannot be
// faster: more units are created first if not. Fresh requests (CreateUnit,
// SubmitAssessment) are serialized before the window, twice as many as the
// RPC's best earlier round made; should they run short, more are made
// during the window, and that is printed. A call that finds no pair left is
// an error.
//
// Every reply is checked (Score: the expected criteria set and EXCELLENT;
// GetUnit: the unit asked for; CreateUnit: an id; SubmitAssessment:
// SUBMITTED and meeting the standard; echo: empty); a wrong one counts as
// BAD_RESPONSE. Errors are reported by status code, RESOURCE_EXHAUSTED (load
// shed by the server) on its own.
//
// Before each window the tool waits until antt-registry and antt-scoring are
// idle (when their pids are given): scoring follows the registry's change
// feed, and its catching up after units were created must not fall into the
// next window.
//
// Client: one process, one channel per server, gRPC's callback API through a
// generic stub with requests serialized before the window, so a call costs
// the client the same whichever server answers (but for parsing the RPC's
// reply to check it), and the client leaves the most CPU to the servers
// sharing the machine. With --echo_pid,
// --registry_pid and --scoring_pid the servers' CPU in each window is read
// from /proc; the client's own is always reported.
//
// Output: one line per window as it ends, a ratio line per RPC and round,
// then a Markdown summary; with --json, one JSON line last. Exit status: 0
// when every call succeeded, 1 otherwise, 2 for bad flags. Missing a target
// is a finding, not a failure.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/load/unit_generator.h"

ABSL_FLAG(std::string, echo, "", "antt-echo-server: 127.0.0.1:PORT");
ABSL_FLAG(std::string, registry, "",
          "antt-registry: 127.0.0.1:PORT (GetUnit, CreateUnit, and the units "
          "SubmitAssessment needs)");
ABSL_FLAG(std::string, scoring, "",
          "antt-scoring, following that registry: 127.0.0.1:PORT (Score, "
          "SubmitAssessment)");
ABSL_FLAG(std::string, rpcs, "Score,GetUnit,CreateUnit,SubmitAssessment",
          "the RPCs measured, in this order within a round");
ABSL_FLAG(int, concurrency, 32, "calls kept in flight (1..1024)");
ABSL_FLAG(int, rounds, 3, "rounds of echo, RPC, echo per RPC (1..20)");
ABSL_FLAG(double, seconds_per_target, 3,
          "measured length of each window, echo or RPC (0..60]");
ABSL_FLAG(double, warmup_seconds, 0.5,
          "calls before each window, not counted [0..10]");
ABSL_FLAG(int, deadline_ms, 5000, "deadline of each call (1..60000)");
ABSL_FLAG(int, setup_units, 3000,
          "units created before the first round (GetUnit's ids and the first "
          "assessment pairs; 1..200000)");
ABSL_FLAG(int, setup_timeout_s, 120, "time limit of each setup step");
ABSL_FLAG(bool, request_ids, true,
          "send a unique request_id with CreateUnit and SubmitAssessment, as "
          "a client that retries must (the server then also records it)");
ABSL_FLAG(int, echo_pid, 0, "antt-echo-server's pid: its CPU per window");
ABSL_FLAG(int, registry_pid, 0, "antt-registry's pid: its CPU per window");
ABSL_FLAG(int, scoring_pid, 0, "antt-scoring's pid: its CPU per window");
ABSL_FLAG(bool, json, false, "print every window and the summary as JSON");

namespace antt::load {
namespace {

namespace rv1 = ::antt::registry::v1;
namespace sv1 = ::antt::scoring::v1;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

// Assessment years: the first criteria set (TT23-2012) starts in 2012;
// every later year has a set too. 14 years per unit established before 2012.
constexpr int kFirstYear = 2012;
constexpr int kLastYear = 2025;
// Requests the echo cycles over when its RPC needs fresh ones: the echo
// stores nothing, so a sample of the same kind of bytes is as good.
constexpr size_t kEchoSample = 4096;
// A slot stops after this many errors: enough to see the failure, and a
// bound on a channel failing every call at once.
constexpr int64_t kMaxErrorsPerSlot = 1000;
// Hard bounds on what a window may need to prepare.
constexpr int64_t kMaxPrepared = 2'000'000;

enum class Rpc { kScore, kGetUnit, kCreateUnit, kSubmitAssessment };

struct RpcInfo {
  Rpc rpc;
  const char* name;
  const char* method;
  double target;  // of the ratio to the echo
};

constexpr RpcInfo kRpcs[] = {
    {Rpc::kScore, "Score", "/antt.scoring.v1.ScoringService/Score", 0.80},
    {Rpc::kGetUnit, "GetUnit", "/antt.registry.v1.RegistryService/GetUnit",
     0.70},
    {Rpc::kCreateUnit, "CreateUnit",
     "/antt.registry.v1.RegistryService/CreateUnit", 0.50},
    {Rpc::kSubmitAssessment, "SubmitAssessment",
     "/antt.scoring.v1.ScoringService/SubmitAssessment", 0.30},
};

// ------------------------------------------------------------------- helpers

std::chrono::system_clock::time_point DeadlineAfter(Clock::duration d) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
}

Clock::duration FromSeconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(s));
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Accepts exactly "127.0.0.1:<port>": this tool never leaves the machine.
bool IsLoopbackTarget(absl::string_view target) {
  constexpr absl::string_view kHost = "127.0.0.1:";
  int port = 0;
  return absl::StartsWith(target, kHost) && target.size() - kHost.size() <= 5 &&
         absl::SimpleAtoi(target.substr(kHost.size()), &port) && port > 0 &&
         port < 65536;
}

double ClientCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto tv = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return tv(usage.ru_utime) + tv(usage.ru_stime);
}

// utime + stime of another process on this machine; -1 when unreadable.
double ProcessCpuSeconds(int pid) {
  std::FILE* f = std::fopen(absl::StrCat("/proc/", pid, "/stat").c_str(), "r");
  if (f == nullptr) return -1;
  char buffer[1024];
  const size_t n = std::fread(buffer, 1, sizeof(buffer) - 1, f);
  std::fclose(f);
  buffer[n] = '\0';
  // After the last ')' (the command name may hold anything): state is field
  // 3, utime 14, stime 15.
  const char* rest = std::strrchr(buffer, ')');
  unsigned long long utime = 0, stime = 0;
  if (rest == nullptr ||
      std::sscanf(rest + 1,
                  " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                  &utime, &stime) != 2) {
    return -1;
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

const char* CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < static_cast<int>(std::size(kNames))
             ? kNames[i]
             : "CODE_OUT_OF_RANGE";
}

constexpr absl::string_view kBadResponse = "BAD_RESPONSE";
constexpr absl::string_view kNoRequestLeft = "NO_REQUEST_LEFT";

double Percentile(const std::vector<int64_t>& sorted_ns, double q) {
  if (sorted_ns.empty()) return 0;
  const size_t i = std::min(sorted_ns.size() - 1,
                            static_cast<size_t>(q * (sorted_ns.size() - 1)));
  return sorted_ns[i] / 1e6;  // ms
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

template <typename Message>
bool Parse(grpc::ByteBuffer* buffer, Message* message) {
  return grpc::SerializationTraits<Message>::Deserialize(buffer, message).ok();
}

// ------------------------------------------------------------------ requests

// One call's request, serialized before the window, and what its reply must
// name (Score: the criteria set; GetUnit: the unit id).
struct Request {
  grpc::ByteBuffer bytes;
  std::string expect;
};

Request Serialized(const google::protobuf::Message& message,
                   std::string expect = "") {
  grpc::Slice slice(message.SerializeAsString());
  return Request{grpc::ByteBuffer(&slice, 1), std::move(expect)};
}

// The requests of one window, taken by the calls from gRPC's threads. Reads
// cycle over theirs; a request that changes the server (a fresh unit, an
// assessment) is taken once, and when they run out `more` (if any) makes
// another under a lock, else (or when it has none either) the call finds
// none.
class RequestSource final {
 public:
  using Maker = std::function<std::optional<Request>()>;

  RequestSource(std::vector<Request> requests, bool cycle, Maker more = {})
      : requests_(std::move(requests)), cycle_(cycle), more_(std::move(more)) {}

  // nullptr when there is no request left.
  const Request* Next() {
    const auto n = static_cast<int64_t>(requests_.size());
    const int64_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i < n) return &requests_[i];
    if (cycle_ && n > 0) return &requests_[i % n];
    if (!more_) return nullptr;
    absl::MutexLock lock(&mu_);
    std::optional<Request> request = more_();
    if (!request.has_value()) return nullptr;
    made_.push_back(*std::move(request));  // a deque: pointers stay valid
    return &made_.back();
  }

  // How many of the prepared requests were taken.
  int64_t taken() const {
    return std::min<int64_t>(next_.load(), requests_.size());
  }
  int64_t made() {
    absl::MutexLock lock(&mu_);
    return static_cast<int64_t>(made_.size());
  }

 private:
  const std::vector<Request> requests_;
  const bool cycle_;
  const Maker more_;
  std::atomic<int64_t> next_{0};
  absl::Mutex mu_;
  std::deque<Request> made_ ABSL_GUARDED_BY(mu_);
};

// ---------------------------------------------------------------- one window

enum class Check { kEmpty, kScore, kGetUnit, kCreateUnit, kSubmitAssessment };

// A unit CreateUnit returned: what a SubmitAssessment request needs.
struct CreatedUnit {
  std::string id;
  rv1::UnitKind kind = rv1::UNIT_KIND_UNSPECIFIED;
  bool in_scope = false;
  int established_year = 0;  // 0: no date, existed in every year
};

// What the calls of one slot add up; merged when the window is over.
// Latencies are of successful calls only: a rejection is fast and would make
// the percentiles look better than the service is.
struct Tally {
  std::vector<int64_t> latencies_ns;  // OK, completed inside the window
  int64_t calls = 0;                  // completed inside the window
  int64_t ok = 0;
  int64_t errors = 0;  // everywhere: warm-up, window and drain
  int64_t errors_in_window = 0;
  std::map<std::string, int64_t> error_codes;  // everywhere
  std::string first_error;
  std::vector<CreatedUnit> created;  // every unit created, inside or not
  bool ran_out = false;

  void AddError(absl::string_view code, absl::string_view message,
                bool inside) {
    ++errors;
    if (inside) ++errors_in_window;
    ++error_codes[std::string(code)];
    if (first_error.empty()) first_error = absl::StrCat(code, ": ", message);
  }

  void Merge(Tally&& other) {
    latencies_ns.insert(latencies_ns.end(), other.latencies_ns.begin(),
                        other.latencies_ns.end());
    calls += other.calls;
    ok += other.ok;
    errors += other.errors;
    errors_in_window += other.errors_in_window;
    for (const auto& [code, n] : other.error_codes) error_codes[code] += n;
    if (first_error.empty()) first_error = std::move(other.first_error);
    std::move(other.created.begin(), other.created.end(),
              std::back_inserter(created));
    ran_out = ran_out || other.ran_out;
  }
};

struct Pid {
  std::string name;
  int pid = 0;
};

struct RunSpec {
  grpc::GenericStub* stub = nullptr;
  const std::string* method = nullptr;
  RequestSource* source = nullptr;
  Check check = Check::kEmpty;
  int concurrency = 32;
  double warmup_s = 0;
  // 0: a setup run, with no window, until the source has no request left.
  double seconds = 0;
  Clock::duration deadline = std::chrono::seconds(5);
  Clock::duration setup_timeout = std::chrono::seconds(120);
  std::vector<Pid> pids;  // sampled at the window's edges
};

struct RunResult {
  Tally tally;  // latencies sorted
  double seconds = 0;
  double client_cores = 0;
  std::vector<std::pair<std::string, double>> server_cores;
  double wall_s = 0;

  double ok_per_s() const { return seconds > 0 ? tally.ok / seconds : 0; }
  int64_t resource_exhausted() const {
    const auto it = tally.error_codes.find("RESOURCE_EXHAUSTED");
    return it == tally.error_codes.end() ? 0 : it->second;
  }
};

// --concurrency closed loops: each slot starts its next call from the
// previous one's completion callback, on gRPC's thread, until the window
// ends; the main thread only samples CPU at the window's edges and waits.
class LoadRun final {
 public:
  explicit LoadRun(RunSpec spec)
      : spec_(std::move(spec)), slots_(spec_.concurrency) {}

  RunResult Go() {
    const bool timed = spec_.seconds > 0;
    const Clock::time_point begin = Clock::now();
    window_start_ = begin + FromSeconds(spec_.warmup_s);
    window_end_ = window_start_ + FromSeconds(spec_.seconds);
    {
      absl::MutexLock lock(&mu_);
      running_ = static_cast<int>(slots_.size());
    }
    for (Slot& slot : slots_) {
      slot.tally.latencies_ns.reserve(timed ? 1 << 16 : 0);
      Issue(&slot);
    }
    RunResult result;
    std::vector<double> server_start, server_end;
    double client_start = 0, client_end = 0;
    if (timed) {
      std::this_thread::sleep_until(window_start_);
      client_start = ClientCpuSeconds();
      for (const Pid& p : spec_.pids)
        server_start.push_back(ProcessCpuSeconds(p.pid));
      std::this_thread::sleep_until(window_end_);
      client_end = ClientCpuSeconds();
      for (const Pid& p : spec_.pids)
        server_end.push_back(ProcessCpuSeconds(p.pid));
    }
    // Every call has a deadline, so every slot ends; the bound only guards
    // against a stuck library. The slots are still gRPC's then: no return.
    const Clock::duration bound =
        timed ? spec_.deadline + std::chrono::seconds(10) : spec_.setup_timeout;
    if (!mu_.LockWhenWithTimeout(absl::Condition(this, &LoadRun::AllDone),
                                 absl::FromChrono(bound))) {
      std::fprintf(stderr,
                   "antt-serving-load: calls of %s still running %.0f s after "
                   "the %s; giving up\n",
                   spec_.method->c_str(), Seconds(bound),
                   timed ? "window" : "start");
      std::_Exit(1);
    }
    mu_.Unlock();

    for (Slot& slot : slots_) result.tally.Merge(std::move(slot.tally));
    std::sort(result.tally.latencies_ns.begin(),
              result.tally.latencies_ns.end());
    result.seconds = spec_.seconds;
    result.wall_s = Seconds(Clock::now() - begin);
    if (timed) {
      result.client_cores = (client_end - client_start) / spec_.seconds;
      for (size_t i = 0; i < spec_.pids.size(); ++i) {
        result.server_cores.emplace_back(
            spec_.pids[i].name,
            server_start[i] < 0 || server_end[i] < 0
                ? -1
                : (server_end[i] - server_start[i]) / spec_.seconds);
      }
    }
    return result;
  }

 private:
  struct Slot {
    std::unique_ptr<grpc::ClientContext> context;
    const Request* request = nullptr;
    grpc::ByteBuffer response;
    Clock::time_point start;
    Tally tally;
  };

  bool AllDone() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return running_ == 0; }

  // The last thing a slot does: after it the main thread may destroy us.
  void Finish() {
    absl::MutexLock lock(&mu_);
    --running_;
  }

  void Issue(Slot* slot) {
    slot->request = spec_.source->Next();
    if (slot->request == nullptr) {
      if (spec_.seconds > 0) {
        slot->tally.ran_out = true;
        slot->tally.AddError(kNoRequestLeft,
                             "the prepared requests ran out before the "
                             "window ended",
                             Clock::now() <= window_end_);
      }
      Finish();
      return;
    }
    // Destroying the previous call's context here, inside that call's
    // completion callback, is safe: the callback tag holds its own reference
    // to the call.
    slot->context = std::make_unique<grpc::ClientContext>();
    slot->context->set_deadline(DeadlineAfter(spec_.deadline));
    slot->response.Clear();
    slot->start = Clock::now();
    spec_.stub->UnaryCall(
        slot->context.get(), *spec_.method, grpc::StubOptions(),
        &slot->request->bytes, &slot->response,
        [this, slot](grpc::Status status) { OnDone(slot, status); });
  }

  void OnDone(Slot* slot, const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    const bool timed = spec_.seconds > 0;
    const bool inside = !timed || (now >= window_start_ && now <= window_end_);
    Tally& tally = slot->tally;
    std::string bad;
    if (status.ok()) bad = Verify(slot);
    if (inside) {
      ++tally.calls;
      if (status.ok() && bad.empty()) {
        ++tally.ok;
        if (timed) tally.latencies_ns.push_back((now - slot->start).count());
      }
    }
    if (!status.ok()) {
      tally.AddError(CodeName(status.error_code()), status.error_message(),
                     inside);
    } else if (!bad.empty()) {
      tally.AddError(kBadResponse, bad, inside);
    }
    if ((timed && now >= window_end_) || tally.errors >= kMaxErrorsPerSlot) {
      Finish();
      return;
    }
    Issue(slot);
  }

  // Empty when the reply is what the request asked for.
  std::string Verify(Slot* slot) {
    switch (spec_.check) {
      case Check::kEmpty:
        if (slot->response.Length() == 0) return "";
        return absl::StrCat("the echo answered ", slot->response.Length(),
                            " bytes");
      case Check::kScore: {
        sv1::ScoreResult result;
        if (!Parse(&slot->response, &result)) return "unparsable ScoreResult";
        if (result.criteria_set_id() == slot->request->expect &&
            result.classification() == sv1::CLASSIFICATION_EXCELLENT &&
            result.meets_standard()) {
          return "";
        }
        return absl::StrCat("Score: set ", result.criteria_set_id(), ", class ",
                            result.classification());
      }
      case Check::kGetUnit: {
        rv1::Unit unit;
        if (!Parse(&slot->response, &unit)) return "unparsable Unit";
        if (unit.id() == slot->request->expect) return "";
        return absl::StrCat("GetUnit(", slot->request->expect, ") answered ",
                            unit.id());
      }
      case Check::kCreateUnit: {
        rv1::Unit unit;
        if (!Parse(&slot->response, &unit)) return "unparsable Unit";
        if (unit.id().empty() || unit.status() != rv1::UNIT_STATUS_ACTIVE) {
          return "CreateUnit answered no id or an inactive unit";
        }
        slot->tally.created.push_back(
            {unit.id(), unit.kind(), unit.in_scope(),
             unit.has_established_date() ? unit.established_date().year() : 0});
        return "";
      }
      case Check::kSubmitAssessment: {
        sv1::Assessment assessment;
        if (!Parse(&slot->response, &assessment)) {
          return "unparsable Assessment";
        }
        if (!assessment.id().empty() &&
            assessment.stage() == sv1::STAGE_SUBMITTED &&
            assessment.result().meets_standard()) {
          return "";
        }
        return absl::StrCat("SubmitAssessment: ", assessment.id(), " stage ",
                            assessment.stage());
      }
    }
    return "unknown check";
  }

  const RunSpec spec_;
  std::vector<Slot> slots_;  // never resized: callbacks hold pointers
  Clock::time_point window_start_;
  Clock::time_point window_end_;
  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
};

// --------------------------------------------------------------- the workload

// Full answers (every condition answered met, every item at its maximum) for
// one criteria set: the result is EXCELLENT under every set.
void FillAnswers(
    const sv1::CriteriaSet& set,
    google::protobuf::RepeatedPtrField<sv1::ConditionAnswer>* conditions,
    google::protobuf::RepeatedPtrField<sv1::ItemPoints>* points) {
  for (const sv1::Condition& condition : set.conditions()) {
    if (condition.decided_by_events()) continue;
    sv1::ConditionAnswer* answer = conditions->Add();
    answer->set_condition_id(condition.id());
    answer->set_met(true);
  }
  for (const sv1::PointsItem& item : set.points_items()) {
    sv1::ItemPoints* p = points->Add();
    p->set_item_id(item.id());
    p->set_points(item.max_points());
  }
}

constexpr rv1::UnitKind kKinds[] = {
    rv1::UNIT_KIND_AGENCY, rv1::UNIT_KIND_ENTERPRISE, rv1::UNIT_KIND_EDUCATION};

// One (unit, year) SubmitAssessment may use once.
struct Pair {
  std::string unit_id;
  rv1::UnitKind kind;
  int year;
};

class Workload final {
 public:
  Workload(grpc::GenericStub* registry, sv1::ScoringService::Stub* scoring,
           const RunSpec& base)
      : registry_(registry),
        scoring_(scoring),
        base_(base),
        fresh_(/*seed=*/13, {"QT-SL", 1'000'000}),
        echo_units_(/*seed=*/14, {"QT-SL-ECHO", 6'000'000}) {}

  // The criteria set of every kind and year, from the server's own list.
  bool LoadCriteria(Clock::duration deadline) {
    for (rv1::UnitKind kind : kKinds) {
      for (int year = kFirstYear; year <= kLastYear; ++year) {
        grpc::ClientContext context;
        context.set_deadline(DeadlineAfter(deadline));
        sv1::ListCriteriaSetsRequest request;
        request.set_kind(kind);
        request.set_year(year);
        sv1::ListCriteriaSetsResponse sets;
        const grpc::Status status =
            scoring_->ListCriteriaSets(&context, request, &sets);
        if (!status.ok() || sets.criteria_sets_size() != 1) {
          std::fprintf(stderr, "ListCriteriaSets(%s, %d): %s, %d sets\n",
                       rv1::UnitKind_Name(kind).c_str(), year,
                       status.error_message().c_str(),
                       sets.criteria_sets_size());
          return false;
        }
        sets_[{kind, year}] = sets.criteria_sets(0);
      }
    }
    return true;
  }

  // Score by unit_kind: every kind under both circulars (2019 and 2023).
  std::vector<Request> ScoreRequests() const {
    std::vector<Request> out;
    for (int year : {2019, 2023}) {
      for (rv1::UnitKind kind : kKinds) {
        const sv1::CriteriaSet& set = sets_.at({kind, year});
        sv1::ScoreRequest request;
        request.set_unit_kind(kind);
        request.set_year(year);
        FillAnswers(set, request.mutable_conditions(),
                    request.mutable_points());
        out.push_back(Serialized(request, set.id()));
      }
    }
    return out;
  }

  // Creates `count` fresh units (not timed) and keeps their ids for GetUnit
  // and their pairs for SubmitAssessment. False when a call failed.
  bool CreateUnits(int count) {
    std::vector<Request> requests;
    requests.reserve(count);
    for (int i = 0; i < count; ++i) requests.push_back(NextCreateUnit());
    RequestSource source(std::move(requests), /*cycle=*/false);
    RunSpec spec = base_;
    spec.stub = registry_;
    spec.method = &create_method_;
    spec.source = &source;
    spec.check = Check::kCreateUnit;
    spec.warmup_s = 0;
    spec.seconds = 0;
    // Setup is not timed: fewer calls in flight keep a server with a small
    // --max_threads from shedding them (RESOURCE_EXHAUSTED fails the setup).
    spec.concurrency = std::min(spec.concurrency, 8);
    spec.pids.clear();
    RunResult result = LoadRun(std::move(spec)).Go();
    if (result.tally.errors > 0 ||
        static_cast<int>(result.tally.created.size()) != count) {
      std::fprintf(stderr,
                   "antt-serving-load: setup created %zu of %d units; %lld "
                   "errors, the first: %s\n",
                   result.tally.created.size(), count,
                   static_cast<long long>(result.tally.errors),
                   result.tally.first_error.c_str());
      return false;
    }
    for (const CreatedUnit& unit : result.tally.created) {
      unit_ids_.push_back(unit.id);
    }
    AddPairs(result.tally.created);
    return true;
  }

  // GetUnit of every unit created in setup, in a scattered order.
  std::vector<Request> GetUnitRequests() const {
    std::vector<Request> out;
    const size_t n = unit_ids_.size();
    // A stride coprime with n visits every id once, far from the last one.
    size_t stride = n / 2 + 1;
    while (n > 1 && std::gcd(stride, n) != 1) ++stride;
    for (size_t i = 0, j = 0; i < n; ++i, j = (j + stride) % n) {
      rv1::GetUnitRequest request;
      request.set_id(unit_ids_[j]);
      out.push_back(Serialized(request, unit_ids_[j]));
    }
    return out;
  }

  Request NextCreateUnit() {
    rv1::CreateUnitRequest request;
    *request.mutable_unit() = fresh_.Next();
    if (absl::GetFlag(FLAGS_request_ids)) {
      request.set_request_id(
          absl::StrCat(run_tag_, "-unit-", ++request_serial_));
    }
    return Serialized(request);
  }

  // The same kind of bytes for the echo: units of another generator.
  std::vector<Request> EchoCreateUnitRequests() {
    std::vector<Request> out;
    for (size_t i = 0; i < kEchoSample; ++i) {
      rv1::CreateUnitRequest request;
      *request.mutable_unit() = echo_units_.Next();
      if (absl::GetFlag(FLAGS_request_ids)) {
        request.set_request_id(absl::StrCat(run_tag_, "-echo-", i));
      }
      out.push_back(Serialized(request));
    }
    return out;
  }

  Request AssessmentRequest(const Pair& pair, std::string request_id) const {
    sv1::SubmitAssessmentRequest request;
    sv1::Assessment* a = request.mutable_assessment();
    a->set_unit_id(pair.unit_id);
    a->set_year(pair.year);
    FillAnswers(sets_.at({pair.kind, pair.year}), a->mutable_conditions(),
                a->mutable_points());
    request.set_request_id(std::move(request_id));
    return Serialized(request);
  }

  // The pairs not yet used, as the echo's sample; none is taken.
  std::vector<Request> EchoAssessmentRequests() const {
    std::vector<Request> out;
    for (size_t i = 0; i < pairs_.size() && i < kEchoSample; ++i) {
      out.push_back(AssessmentRequest(
          pairs_[i], absl::GetFlag(FLAGS_request_ids)
                         ? absl::StrCat(run_tag_, "-echo-assess-", i)
                         : ""));
    }
    return out;
  }

  // Creates units (not timed) until at least `count` pairs are unused;
  // false when they could not be made.
  bool EnsurePairs(int64_t count) {
    for (int attempt = 0;
         static_cast<int64_t>(pairs_.size()) < count && attempt < 10;
         ++attempt) {
      // About half the generated units are in scope, most for all 14 years.
      const int64_t missing = count - static_cast<int64_t>(pairs_.size());
      const int units =
          static_cast<int>(std::min<int64_t>(missing / 5 + 100, 100'000));
      std::printf("setup: %d more units for %lld assessment pairs\n", units,
                  static_cast<long long>(missing));
      std::fflush(stdout);
      if (!CreateUnits(units)) return false;
    }
    return static_cast<int64_t>(pairs_.size()) >= count;
  }

  // The request of the next unused pair, which is then used; none when every
  // pair is.
  std::optional<Request> TakeAssessment() {
    if (pairs_.empty()) return std::nullopt;
    Request request = AssessmentRequest(
        pairs_.front(),
        absl::GetFlag(FLAGS_request_ids)
            ? absl::StrCat(run_tag_, "-assess-", ++request_serial_)
            : "");
    pairs_.pop_front();
    return request;
  }

  // Takes up to `count` unused pairs and builds their requests.
  void TakeAssessments(int64_t count, std::vector<Pair>* pairs,
                       std::vector<Request>* requests) {
    for (int64_t i = 0; i < count && !pairs_.empty(); ++i) {
      pairs->push_back(pairs_.front());
      requests->push_back(*TakeAssessment());
    }
  }

  // Pairs a window did not use go back, first in line.
  void ReturnPairs(std::vector<Pair> unused) {
    for (auto it = unused.rbegin(); it != unused.rend(); ++it) {
      pairs_.push_front(std::move(*it));
    }
  }

  // Every (unit, year) an assessment may be submitted for: in scope, and
  // established before the year (the server's rule is "by its window's
  // end", 15 November). Years outermost, so consecutive calls name
  // different units.
  void AddPairs(const std::vector<CreatedUnit>& units) {
    for (int year = kFirstYear; year <= kLastYear; ++year) {
      for (const CreatedUnit& unit : units) {
        if (!unit.in_scope || unit.established_year >= year) continue;
        pairs_.push_back({unit.id, unit.kind, year});
      }
    }
  }

  size_t units() const { return unit_ids_.size(); }
  size_t pairs_left() const { return pairs_.size(); }

 private:
  grpc::GenericStub* registry_;
  sv1::ScoringService::Stub* scoring_;
  const RunSpec base_;
  const std::string create_method_ = kRpcs[2].method;
  registry::load::UnitGenerator fresh_;
  registry::load::UnitGenerator echo_units_;
  std::map<std::pair<rv1::UnitKind, int>, sv1::CriteriaSet> sets_;
  std::vector<std::string> unit_ids_;
  std::deque<Pair> pairs_;
  // Request ids are unique to this run: a registry that already answered
  // the same id would replay its first answer instead of creating a unit,
  // and the window would measure something else without an error. With a
  // fresh id, a registry that is not fresh answers ALREADY_EXISTS, visibly.
  const std::string run_tag_ = absl::StrFormat(
      "sl-%x-%d", absl::ToUnixMillis(absl::Now()) & 0xffffffffff,
      static_cast<int>(getpid()));
  int64_t request_serial_ = 0;
};

// Waits until the ANTT servers among `pids` are idle: each under 0.05 cores
// over 0.4 s, at most 30 s. Scoring follows the registry's change feed in
// the background, so after units are created it catches up for a while;
// that work must not land in the next window, least of all an echo window.
// Returns the seconds waited.
double Settle(const std::vector<Pid>& pids) {
  std::vector<int> servers;
  for (const Pid& p : pids) {
    if (p.name != "echo") servers.push_back(p.pid);
  }
  const Clock::time_point start = Clock::now();
  if (servers.empty()) return 0;
  constexpr auto kStep = std::chrono::milliseconds(400);
  constexpr double kIdleCores = 0.05;
  const auto sample = [&] {
    std::vector<double> cpu;
    for (int pid : servers) cpu.push_back(ProcessCpuSeconds(pid));
    return cpu;
  };
  std::vector<double> before = sample();
  while (Clock::now() - start < std::chrono::seconds(30)) {
    std::this_thread::sleep_for(kStep);
    const std::vector<double> after = sample();
    bool idle = true;
    for (size_t i = 0; i < servers.size(); ++i) {
      idle = idle && after[i] - before[i] < kIdleCores * Seconds(kStep);
    }
    if (idle) return Seconds(Clock::now() - start);
    before = after;
  }
  std::printf("  (the servers were still busy after 30 s; measuring anyway)\n");
  return Seconds(Clock::now() - start);
}

// ------------------------------------------------------------------- reports

struct Window {
  int round = 0;
  std::string rpc;   // the RPC, also for the echo windows bracketing it
  std::string role;  // "echo", "rpc", "echo again"
  RunResult result;
  double settled_s = 0;  // waited for idle servers before the window
};

Json WindowJson(const Window& w) {
  const RunResult& r = w.result;
  Json j;
  j["round"] = w.round;
  j["rpc"] = w.rpc;
  j["window"] = w.role;
  j["settled_s"] = w.settled_s;
  j["seconds"] = r.seconds;
  j["calls"] = r.tally.calls;
  j["ok_calls_per_s"] = r.ok_per_s();
  j["latency_ms"] = {{"p50", Percentile(r.tally.latencies_ns, 0.50)},
                     {"p90", Percentile(r.tally.latencies_ns, 0.90)},
                     {"p99", Percentile(r.tally.latencies_ns, 0.99)},
                     {"max", Percentile(r.tally.latencies_ns, 1.0)}};
  j["errors"] = r.tally.errors;
  j["errors_in_window"] = r.tally.errors_in_window;
  j["resource_exhausted"] = r.resource_exhausted();
  j["error_codes"] = r.tally.error_codes;
  if (!r.tally.first_error.empty()) j["first_error"] = r.tally.first_error;
  j["client_cores"] = r.client_cores;
  Json servers = Json::object();
  for (const auto& [name, cores] : r.server_cores) servers[name] = cores;
  j["server_cores"] = servers;
  return j;
}

void PrintWindow(const Window& w) {
  const RunResult& r = w.result;
  std::string cores = absl::StrFormat("client %.2f", r.client_cores);
  for (const auto& [name, c] : r.server_cores) {
    absl::StrAppendFormat(&cores, ", %s %.2f", name, c);
  }
  std::string errors = absl::StrCat(r.tally.errors);
  if (r.tally.errors > 0) {
    std::vector<std::string> codes;
    for (const auto& [code, n] : r.tally.error_codes) {
      codes.push_back(absl::StrCat(code, " ", n));
    }
    absl::StrAppend(&errors, " (", absl::StrJoin(codes, ", "),
                    "; first: ", r.tally.first_error, ")");
  }
  if (w.settled_s >= 1) {
    absl::StrAppendFormat(&cores, "  (after %.1f s waiting for idle servers)",
                          w.settled_s);
  }
  std::printf(
      "round %d  %-16s %-10s %9.0f calls/s  p50 %6.3f ms  p99 %6.3f ms  "
      "errors %s  cores: %s\n",
      w.round, w.rpc.c_str(), w.role.c_str(), r.ok_per_s(),
      Percentile(r.tally.latencies_ns, 0.50),
      Percentile(r.tally.latencies_ns, 0.99), errors.c_str(), cores.c_str());
  std::fflush(stdout);
}

struct RoundRatio {
  double rpc = 0;
  double echo_before = 0;
  double echo_after = 0;
  double ratio() const {
    const double echo = (echo_before + echo_after) / 2;
    return echo > 0 ? rpc / echo : 0;
  }
};

// ---------------------------------------------------------------------- main

std::shared_ptr<grpc::Channel> Connect(const std::string& target) {
  grpc::ChannelArguments args;
  // Its own connection, never shared with another channel to the same port.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel = grpc::CreateCustomChannel(
      target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(DeadlineAfter(std::chrono::seconds(10)))) {
    std::fprintf(stderr, "antt-serving-load: cannot connect to %s\n",
                 target.c_str());
    return nullptr;
  }
  return channel;
}

int Main() {
  const std::string echo_target = absl::GetFlag(FLAGS_echo);
  const std::string registry_target = absl::GetFlag(FLAGS_registry);
  const std::string scoring_target = absl::GetFlag(FLAGS_scoring);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int rounds = absl::GetFlag(FLAGS_rounds);
  const double seconds = absl::GetFlag(FLAGS_seconds_per_target);
  const double warmup = absl::GetFlag(FLAGS_warmup_seconds);
  const int deadline_ms = absl::GetFlag(FLAGS_deadline_ms);
  const int setup_units = absl::GetFlag(FLAGS_setup_units);
  const int setup_timeout_s = absl::GetFlag(FLAGS_setup_timeout_s);

  std::vector<const RpcInfo*> rpcs;
  bool needs_registry = false;
  bool needs_scoring = false;
  bool bad_rpc = false;
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_rpcs), ',', absl::SkipEmpty())) {
    const auto it =
        std::find_if(std::begin(kRpcs), std::end(kRpcs),
                     [&](const RpcInfo& info) { return name == info.name; });
    if (it == std::end(kRpcs) ||
        std::find(rpcs.begin(), rpcs.end(), &*it) != rpcs.end()) {
      bad_rpc = true;
      continue;
    }
    rpcs.push_back(&*it);
    needs_scoring = needs_scoring || it->rpc == Rpc::kScore ||
                    it->rpc == Rpc::kSubmitAssessment;
    needs_registry = needs_registry || it->rpc != Rpc::kScore;
  }
  if (bad_rpc || rpcs.empty() || !IsLoopbackTarget(echo_target) ||
      (needs_registry && !IsLoopbackTarget(registry_target)) ||
      (needs_scoring && !IsLoopbackTarget(scoring_target)) || concurrency < 1 ||
      concurrency > 1024 || rounds < 1 || rounds > 20 ||
      !(seconds > 0 && seconds <= 60) || !(warmup >= 0 && warmup <= 10) ||
      deadline_ms < 1 || deadline_ms > 60'000 || setup_units < 1 ||
      setup_units > 200'000 || setup_timeout_s < 1 || setup_timeout_s > 600) {
    std::fprintf(
        stderr,
        "antt-serving-load: need --echo=127.0.0.1:PORT, --registry and "
        "--scoring likewise for the RPCs that use them, --rpcs from "
        "Score,GetUnit,CreateUnit,SubmitAssessment (each once), "
        "--concurrency in 1..1024, --rounds in 1..20, --seconds_per_target in "
        "(0, 60], --warmup_seconds in [0, 10], --deadline_ms in 1..60000, "
        "--setup_units in 1..200000, --setup_timeout_s in 1..600\n");
    return 2;
  }
  // As the servers do (services/*/main.cc): Debian's Abseil checks every
  // lock, gRPC's too, for deadlock cycles; the client should not pay for it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const Clock::time_point begin = Clock::now();

  auto echo_channel = Connect(echo_target);
  if (echo_channel == nullptr) return 1;
  grpc::GenericStub echo_stub(echo_channel);
  std::shared_ptr<grpc::Channel> registry_channel, scoring_channel;
  if (needs_registry && !(registry_channel = Connect(registry_target))) {
    return 1;
  }
  if (needs_scoring && !(scoring_channel = Connect(scoring_target))) return 1;
  std::unique_ptr<grpc::GenericStub> registry_stub, scoring_stub;
  std::unique_ptr<sv1::ScoringService::Stub> scoring_typed;
  if (registry_channel) {
    registry_stub = std::make_unique<grpc::GenericStub>(registry_channel);
  }
  if (scoring_channel) {
    scoring_stub = std::make_unique<grpc::GenericStub>(scoring_channel);
    scoring_typed = sv1::ScoringService::NewStub(scoring_channel);
  }

  RunSpec base;
  base.concurrency = concurrency;
  base.deadline = std::chrono::milliseconds(deadline_ms);
  base.setup_timeout = std::chrono::seconds(setup_timeout_s);
  const std::pair<const char*, int> pid_flags[] = {
      {"echo", absl::GetFlag(FLAGS_echo_pid)},
      {"registry", absl::GetFlag(FLAGS_registry_pid)},
      {"scoring", absl::GetFlag(FLAGS_scoring_pid)}};
  for (const auto& [name, pid] : pid_flags) {
    if (pid > 0) base.pids.push_back({name, pid});
  }

  // ---- setup, not timed
  Workload workload(registry_stub.get(), scoring_typed.get(), base);
  const auto uses = [&](Rpc rpc) {
    return std::any_of(rpcs.begin(), rpcs.end(),
                       [&](const RpcInfo* info) { return info->rpc == rpc; });
  };
  if (needs_scoring && !workload.LoadCriteria(base.deadline)) return 1;
  std::vector<Request> score_requests;
  if (uses(Rpc::kScore)) score_requests = workload.ScoreRequests();
  std::vector<Request> get_requests;
  std::vector<Request> echo_create_requests;
  if (needs_registry) {
    const Clock::time_point t0 = Clock::now();
    if (!workload.CreateUnits(setup_units)) return 1;
    std::printf("setup: %zu units created in %.2f s; %zu assessment pairs\n",
                workload.units(), Seconds(Clock::now() - t0),
                workload.pairs_left());
    get_requests = workload.GetUnitRequests();
    echo_create_requests = workload.EchoCreateUnitRequests();
  }

  std::printf(
      "antt-serving-load: %d calls in flight, %d rounds, %.1f s per window "
      "after %.1f s of warm-up; echo %s, registry %s, scoring %s\n",
      concurrency, rounds, seconds, warmup, echo_target.c_str(),
      registry_target.empty() ? "-" : registry_target.c_str(),
      scoring_target.empty() ? "-" : scoring_target.c_str());
  std::fflush(stdout);

  // ---- rounds
  std::vector<Window> windows;
  std::map<std::string, std::vector<RoundRatio>> ratios;
  bool failed = false;
  const double prepared_seconds = warmup + seconds;
  for (int round = 1; round <= rounds; ++round) {
    for (const RpcInfo* info : rpcs) {
      const std::string method = info->method;
      grpc::GenericStub* stub =
          info->rpc == Rpc::kScore || info->rpc == Rpc::kSubmitAssessment
              ? scoring_stub.get()
              : registry_stub.get();
      // The echo's requests: the RPC's own, cycled.
      std::unique_ptr<RequestSource> echo_source;
      Check check = Check::kEmpty;
      switch (info->rpc) {
        case Rpc::kScore:
          echo_source = std::make_unique<RequestSource>(score_requests, true);
          check = Check::kScore;
          break;
        case Rpc::kGetUnit:
          echo_source = std::make_unique<RequestSource>(get_requests, true);
          check = Check::kGetUnit;
          break;
        case Rpc::kCreateUnit:
          echo_source =
              std::make_unique<RequestSource>(echo_create_requests, true);
          check = Check::kCreateUnit;
          break;
        case Rpc::kSubmitAssessment:
          echo_source = std::make_unique<RequestSource>(
              workload.EchoAssessmentRequests(), true);
          check = Check::kSubmitAssessment;
          break;
      }
      const auto run_echo = [&](const char* role) {
        RunSpec spec = base;
        spec.stub = &echo_stub;
        spec.method = &method;
        spec.source = echo_source.get();
        spec.check = Check::kEmpty;
        spec.warmup_s = warmup;
        spec.seconds = seconds;
        const double settled = Settle(base.pids);
        windows.push_back(
            {round, info->name, role, LoadRun(spec).Go(), settled});
        PrintWindow(windows.back());
        return windows.back().result.ok_per_s();
      };

      RoundRatio ratio;
      ratio.echo_before = run_echo("echo");

      // The RPC's fresh requests. At most the echo's calls in a window and
      // its warm-up: the RPC does more than the echo, so it cannot need more.
      // That many (unit, year) pairs must exist; but only twice the RPC's
      // best earlier round is serialized beforehand, and should that fall
      // short, the rest is made during the window (and printed).
      const auto calls_in = [&](double per_s) {
        return std::min<int64_t>(
            kMaxPrepared,
            static_cast<int64_t>(std::ceil(per_s * prepared_seconds)) +
                2 * concurrency + 1000);
      };
      const int64_t most = calls_in(ratio.echo_before * 1.1);
      double best_rpc = 0;
      for (const RoundRatio& r : ratios[info->name]) {
        best_rpc = std::max(best_rpc, r.rpc);
      }
      const int64_t prepared =
          best_rpc > 0 ? std::min(most, calls_in(2 * best_rpc)) : most;
      std::unique_ptr<RequestSource> source;
      std::vector<Pair> pairs;
      switch (info->rpc) {
        case Rpc::kScore:
          source = std::make_unique<RequestSource>(score_requests, true);
          break;
        case Rpc::kGetUnit:
          source = std::make_unique<RequestSource>(get_requests, true);
          break;
        case Rpc::kCreateUnit: {
          std::vector<Request> requests;
          requests.reserve(prepared);
          for (int64_t i = 0; i < prepared; ++i) {
            requests.push_back(workload.NextCreateUnit());
          }
          source = std::make_unique<RequestSource>(
              std::move(requests), false,
              [&workload]() -> std::optional<Request> {
                return workload.NextCreateUnit();
              });
          break;
        }
        case Rpc::kSubmitAssessment: {
          if (!workload.EnsurePairs(most)) {
            std::fprintf(stderr,
                         "antt-serving-load: cannot make %lld assessment "
                         "pairs\n",
                         static_cast<long long>(most));
            return 1;
          }
          std::vector<Request> requests;
          workload.TakeAssessments(prepared, &pairs, &requests);
          // The main thread leaves the workload alone during the window.
          source = std::make_unique<RequestSource>(
              std::move(requests), false,
              [&workload] { return workload.TakeAssessment(); });
          break;
        }
      }
      RunSpec spec = base;
      spec.stub = stub;
      spec.method = &method;
      spec.source = source.get();
      spec.check = check;
      spec.warmup_s = warmup;
      spec.seconds = seconds;
      const double settled = Settle(base.pids);
      windows.push_back(
          {round, info->name, "rpc", LoadRun(spec).Go(), settled});
      Window& rpc_window = windows.back();
      PrintWindow(rpc_window);
      ratio.rpc = rpc_window.result.ok_per_s();
      if (const int64_t made = source->made(); made > 0) {
        std::printf(
            "  (%lld requests made during the window: more than the "
            "%lld prepared were needed)\n",
            static_cast<long long>(made), static_cast<long long>(prepared));
      }
      if (info->rpc == Rpc::kCreateUnit) {
        workload.AddPairs(rpc_window.result.tally.created);
      }
      if (info->rpc == Rpc::kSubmitAssessment) {
        pairs.erase(pairs.begin(), pairs.begin() + source->taken());
        workload.ReturnPairs(std::move(pairs));
      }

      ratio.echo_after = run_echo("echo again");
      std::printf(
          "round %d  %-16s ratio %.3f  (%.0f / mean of %.0f and %.0f)\n", round,
          info->name, ratio.ratio(), ratio.rpc, ratio.echo_before,
          ratio.echo_after);
      std::fflush(stdout);
      ratios[info->name].push_back(ratio);
    }
  }
  for (const Window& w : windows) {
    failed = failed || w.result.tally.errors > 0 || w.result.tally.ran_out;
  }

  // ---- summary
  std::printf(
      "\n| RPC | target | ratio by round | median ratio | RPC calls/s | echo "
      "calls/s | RPC p50 / p99 ms | echo p50 / p99 ms | errors (RPC + echo) | "
      "of which RESOURCE_EXHAUSTED | client cores (RPC) |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n");
  Json summary = Json::array();
  for (const RpcInfo* info : rpcs) {
    const std::vector<RoundRatio>& rs = ratios[info->name];
    std::vector<double> by_round, rpc_rates, echo_rates, p50, p99, echo_p50,
        echo_p99, client;
    int64_t errors = 0, exhausted = 0;
    for (const RoundRatio& r : rs) {
      by_round.push_back(r.ratio());
      rpc_rates.push_back(r.rpc);
      echo_rates.push_back((r.echo_before + r.echo_after) / 2);
    }
    for (const Window& w : windows) {
      if (w.rpc != info->name) continue;
      errors += w.result.tally.errors;
      exhausted += w.result.resource_exhausted();
      const auto& lat = w.result.tally.latencies_ns;
      if (w.role == "rpc") {
        p50.push_back(Percentile(lat, 0.50));
        p99.push_back(Percentile(lat, 0.99));
        client.push_back(w.result.client_cores);
      } else {
        echo_p50.push_back(Percentile(lat, 0.50));
        echo_p99.push_back(Percentile(lat, 0.99));
      }
    }
    const double median = Median(by_round);
    std::vector<std::string> round_text;
    for (double r : by_round) round_text.push_back(absl::StrFormat("%.2f", r));
    std::printf(
        "| `%s` | ≥ %.2f | %s | **%.2f**%s | %.0f | %.0f | %.2f / %.2f | %.2f "
        "/ "
        "%.2f | %lld | %lld | %.2f |\n",
        info->name, info->target, absl::StrJoin(round_text, ", ").c_str(),
        median, median >= info->target ? "" : " (below)", Median(rpc_rates),
        Median(echo_rates), Median(p50), Median(p99), Median(echo_p50),
        Median(echo_p99), static_cast<long long>(errors),
        static_cast<long long>(exhausted), Median(client));
    summary.push_back({{"rpc", info->name},
                       {"target", info->target},
                       {"ratio_by_round", by_round},
                       {"median_ratio", median},
                       {"meets_target", median >= info->target},
                       {"median_ok_calls_per_s", Median(rpc_rates)},
                       {"median_echo_calls_per_s", Median(echo_rates)},
                       {"median_p50_ms", Median(p50)},
                       {"median_p99_ms", Median(p99)},
                       {"errors", errors},
                       {"resource_exhausted", exhausted}});
  }
  std::printf(
      "\nMedian over %d rounds; ratio = the RPC's OK calls/s ÷ the mean of "
      "the two echo windows around it (same request bytes); %d calls in "
      "flight, %.1f s windows after %.1f s warm-up. Total %.0f s.\n",
      rounds, concurrency, seconds, warmup, Seconds(Clock::now() - begin));
  if (failed) {
    std::printf("Some calls failed: see the errors above.\n");
  }
  if (absl::GetFlag(FLAGS_json)) {
    Json out;
    out["tool"] = "antt-serving-load";
    out["concurrency"] = concurrency;
    out["rounds"] = rounds;
    out["seconds_per_target"] = seconds;
    out["warmup_seconds"] = warmup;
    out["request_ids"] = absl::GetFlag(FLAGS_request_ids);
    out["setup_units"] = setup_units;
    out["summary"] = summary;
    Json all = Json::array();
    for (const Window& w : windows) all.push_back(WindowJson(w));
    out["windows"] = all;
    out["ok"] = !failed;
    std::printf("%s\n", out.dump().c_str());
  }
  std::fflush(stdout);
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace antt::load

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "antt-serving-load --echo=127.0.0.1:PORT --registry=127.0.0.1:PORT "
      "--scoring=127.0.0.1:PORT [--concurrency=32 --rounds=3 "
      "--seconds_per_target=3 --warmup_seconds=0.5 --json]");
  absl::ParseCommandLine(argc, argv);
  return antt::load::Main();
}
