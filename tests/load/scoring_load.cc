// antt-scoring-load: Score throughput of a running antt-scoring on the
// loopback interface.
//
//   antt-scoring-load --target=127.0.0.1:PORT [--concurrency=32 --seconds=10]
//
// Reads the criteria sets once (ListCriteriaSets), builds full answer sets
// for the three kinds under both circulars (years 2019 and 2023: every
// answered condition met, every item at its maximum), then keeps
// --concurrency ScoringService/Score calls outstanding by unit_kind (no
// registry call on the server) for --seconds after --warmup_seconds that are
// not counted. A reply that is not the expected set and EXCELLENT counts as an
// error. Prints calls/s, OK latency percentiles and errors by status code,
// then one JSON line.
//
// Client model as in antt-registry-load: the async CompletionQueue API on one
// thread and one channel, which leaves the most CPU to a server sharing the
// machine. Exit status: 0 when every call succeeded, 1 otherwise, 2 for bad
// flags.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "grpcpp/grpcpp.h"

ABSL_FLAG(std::string, target, "",
          "antt-scoring address; must be 127.0.0.1:PORT (loopback only)");
ABSL_FLAG(int, concurrency, 32, "Score calls kept outstanding (1..1024)");
ABSL_FLAG(double, seconds, 10, "length of the measured window (0..120]");
ABSL_FLAG(double, warmup_seconds, 1,
          "calls before the window, not counted [0..30]");
ABSL_FLAG(int, deadline_ms, 5000, "deadline of each call (1..60000)");

namespace antt::scoring::load {
namespace {

namespace v1 = ::antt::scoring::v1;
namespace rv1 = ::antt::registry::v1;
using Clock = std::chrono::steady_clock;

constexpr int64_t kMaxCalls = 20'000'000;  // a bound whatever the flags say

std::chrono::system_clock::time_point DeadlineAfter(Clock::duration d) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto tv = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return tv(usage.ru_utime) + tv(usage.ru_stime);
}

bool IsLoopbackTarget(absl::string_view target) {
  constexpr absl::string_view kHost = "127.0.0.1:";
  int port = 0;
  return target.substr(0, kHost.size()) == kHost &&
         target.size() - kHost.size() <= 5 &&
         absl::SimpleAtoi(target.substr(kHost.size()), &port) && port > 0 &&
         port < 65536;
}

// One Score request and the set its answer must name.
struct Template {
  v1::ScoreRequest request;
  std::string set_id;
};

// Full answer sets for every kind in 2019 (Circular 23/2012) and 2023
// (Circular 124/2021), from the server's own criteria sets.
bool BuildTemplates(v1::ScoringService::Stub* stub, Clock::duration deadline,
                    std::vector<Template>* out) {
  for (rv1::UnitKind kind : {rv1::UNIT_KIND_AGENCY, rv1::UNIT_KIND_ENTERPRISE,
                             rv1::UNIT_KIND_EDUCATION}) {
    for (int year : {2019, 2023}) {
      grpc::ClientContext context;
      context.set_deadline(DeadlineAfter(deadline));
      v1::ListCriteriaSetsRequest list;
      list.set_kind(kind);
      list.set_year(year);
      v1::ListCriteriaSetsResponse sets;
      const grpc::Status status = stub->ListCriteriaSets(&context, list, &sets);
      if (!status.ok() || sets.criteria_sets_size() != 1) {
        std::fprintf(stderr, "ListCriteriaSets(%s, %d): %s, %d sets\n",
                     rv1::UnitKind_Name(kind).c_str(), year,
                     status.error_message().c_str(), sets.criteria_sets_size());
        return false;
      }
      const v1::CriteriaSet& set = sets.criteria_sets(0);
      Template t;
      t.set_id = set.id();
      t.request.set_unit_kind(kind);
      t.request.set_year(year);
      for (const v1::Condition& condition : set.conditions()) {
        if (condition.decided_by_events()) continue;
        v1::ConditionAnswer* answer = t.request.add_conditions();
        answer->set_condition_id(condition.id());
        answer->set_met(true);
      }
      for (const v1::PointsItem& item : set.points_items()) {
        v1::ItemPoints* points = t.request.add_points();
        points->set_item_id(item.id());
        points->set_points(item.max_points());
      }
      out->push_back(std::move(t));
    }
  }
  return true;
}

struct Call {
  grpc::ClientContext context;
  v1::ScoreResult response;
  grpc::Status status;
  Clock::time_point start;
  const Template* sent = nullptr;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::ScoreResult>> reader;

  grpc::Status Result() const {
    if (!status.ok()) return status;
    if (response.criteria_set_id() != sent->set_id ||
        response.classification() != v1::CLASSIFICATION_EXCELLENT ||
        !response.meets_standard()) {
      return grpc::Status(
          grpc::StatusCode::UNKNOWN,
          absl::StrCat("unexpected result: set ", response.criteria_set_id(),
                       ", class ", response.classification()));
    }
    return grpc::Status::OK;
  }
};

double Percentile(const std::vector<int64_t>& sorted_ns, double q) {
  if (sorted_ns.empty()) return 0;
  const size_t i = std::min(sorted_ns.size() - 1,
                            static_cast<size_t>(q * (sorted_ns.size() - 1)));
  return sorted_ns[i] / 1e6;  // ms
}

int Main() {
  const std::string target = absl::GetFlag(FLAGS_target);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const double warmup = absl::GetFlag(FLAGS_warmup_seconds);
  const int deadline_ms = absl::GetFlag(FLAGS_deadline_ms);
  if (!IsLoopbackTarget(target) || concurrency < 1 || concurrency > 1024 ||
      !(seconds > 0 && seconds <= 120) || !(warmup >= 0 && warmup <= 30) ||
      deadline_ms < 1 || deadline_ms > 60'000) {
    std::fprintf(stderr,
                 "antt-scoring-load: need --target=127.0.0.1:PORT, "
                 "--concurrency in 1..1024, --seconds in (0, 120], "
                 "--warmup_seconds in [0, 30], --deadline_ms in 1..60000\n");
    return 2;
  }
  const Clock::duration deadline = std::chrono::milliseconds(deadline_ms);

  auto channel =
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(DeadlineAfter(std::chrono::seconds(10)))) {
    std::fprintf(stderr, "antt-scoring-load: cannot connect to %s\n",
                 target.c_str());
    return 1;
  }
  auto stub = v1::ScoringService::NewStub(channel);
  std::vector<Template> templates;
  if (!BuildTemplates(stub.get(), deadline, &templates)) return 1;

  grpc::CompletionQueue cq;
  size_t next_template = 0;
  int64_t issued = 0;
  const auto start_call = [&] {
    auto call = std::make_unique<Call>();
    call->sent = &templates[next_template++ % templates.size()];
    call->context.set_deadline(DeadlineAfter(deadline));
    call->start = Clock::now();
    call->reader = stub->AsyncScore(&call->context, call->sent->request, &cq);
    call->reader->Finish(&call->response, &call->status, call.get());
    call.release();  // owned by the queue until its tag comes back
    ++issued;
  };

  const Clock::time_point begin = Clock::now();
  const Clock::time_point window_start =
      begin + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(warmup));
  const Clock::time_point window_end =
      window_start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(seconds));
  // Every call has a deadline; this only guards against a stuck queue.
  const Clock::time_point give_up =
      window_end + deadline + std::chrono::seconds(10);

  std::vector<int64_t> latencies_ns;
  int64_t calls = 0;
  int64_t errors = 0;
  int64_t errors_outside = 0;
  std::map<int, int64_t> error_codes;
  std::string first_error;
  double cpu_at_start = -1;
  double cpu_at_end = -1;

  int outstanding = 0;
  for (int i = 0; i < concurrency; ++i, ++outstanding) start_call();
  while (outstanding > 0) {
    void* tag = nullptr;
    bool ok = false;
    const auto next =
        cq.AsyncNext(&tag, &ok, DeadlineAfter(std::chrono::seconds(1)));
    if (next == grpc::CompletionQueue::SHUTDOWN) break;
    if (next == grpc::CompletionQueue::TIMEOUT) {
      if (Clock::now() > give_up) break;
      continue;
    }
    std::unique_ptr<Call> call(static_cast<Call*>(tag));
    --outstanding;
    const Clock::time_point now = Clock::now();
    if (cpu_at_start < 0 && now >= window_start) cpu_at_start = CpuSeconds();
    if (cpu_at_end < 0 && now > window_end) cpu_at_end = CpuSeconds();
    const bool inside = now >= window_start && now <= window_end;
    const grpc::Status result = call->Result();
    if (!result.ok()) {
      (inside ? errors : errors_outside) += 1;
      error_codes[result.error_code()] += 1;
      if (first_error.empty()) {
        first_error = absl::StrCat("code ", result.error_code(), ": ",
                                   result.error_message());
      }
    }
    if (inside) {
      ++calls;
      if (result.ok()) latencies_ns.push_back((now - call->start).count());
    }
    if (now < window_end && issued < kMaxCalls) {
      start_call();
      ++outstanding;
    }
  }
  if (cpu_at_end < 0) cpu_at_end = CpuSeconds();
  if (cpu_at_start < 0) cpu_at_start = cpu_at_end;
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) delete static_cast<Call*>(tag);

  static_assert(std::is_same_v<Clock::duration, std::chrono::nanoseconds>);
  std::sort(latencies_ns.begin(), latencies_ns.end());
  const double rate = calls / seconds;
  const double ok_rate = (calls - errors) / seconds;
  const double p50 = Percentile(latencies_ns, 0.50);
  const double p90 = Percentile(latencies_ns, 0.90);
  const double p99 = Percentile(latencies_ns, 0.99);
  const double max = Percentile(latencies_ns, 1.0);
  const double client_cores = (cpu_at_end - cpu_at_start) / seconds;
  std::printf(
      "Score: %lld calls in %.2f s = %.0f calls/s, of which OK %.0f calls/s; "
      "OK latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms; errors "
      "%lld (+%lld outside the window); client CPU %.2f cores; %.2f s wall\n",
      static_cast<long long>(calls), seconds, rate, ok_rate, p50, p90, p99, max,
      static_cast<long long>(errors), static_cast<long long>(errors_outside),
      client_cores, Seconds(Clock::now() - begin));
  std::vector<std::string> codes;
  for (const auto& [code, n] : error_codes) {
    codes.push_back(absl::StrCat("\"", code, "\":", n));
  }
  if (!first_error.empty()) {
    std::printf("first error: %s\n", first_error.c_str());
  }
  std::printf(
      "{\"tool\":\"antt-scoring-load\",\"rpc\":\"Score\",\"target\":\"%s\","
      "\"concurrency\":%d,\"seconds\":%g,\"calls\":%lld,\"calls_per_s\":%.1f,"
      "\"ok_calls_per_s\":%.1f,\"latency_ms\":{\"p50\":%.4f,\"p90\":%.4f,"
      "\"p99\":%.4f,\"max\":%.4f},\"errors\":%lld,\"errors_outside_window\":"
      "%lld,\"error_codes\":{%s},\"client_cores\":%.3f}\n",
      target.c_str(), concurrency, seconds, static_cast<long long>(calls), rate,
      ok_rate, p50, p90, p99, max, static_cast<long long>(errors),
      static_cast<long long>(errors_outside), absl::StrJoin(codes, ",").c_str(),
      client_cores);
  std::fflush(stdout);
  return errors == 0 && errors_outside == 0 && calls > 0 ? 0 : 1;
}

}  // namespace
}  // namespace antt::scoring::load

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "antt-scoring-load --target=127.0.0.1:PORT [--concurrency=32 "
      "--seconds=10 --warmup_seconds=1]");
  absl::ParseCommandLine(argc, argv);
  return antt::scoring::load::Main();
}
