// antt-registry-load: a load generator for a running antt-registry on the
// loopback interface.
//
//   --mode=health  grpc.health.v1.Health/Check: the do-nothing baseline
//   --mode=area    GetArea: a sync handler with no storage (in-memory lookup)
//   --mode=get     CreateUnit --units units, then GetUnit on random ids
//   --mode=import  one ImportUnits stream of --rows units; all must be created
//
// health, area and get keep --concurrency calls outstanding for --seconds,
// after --warmup_seconds that are not counted, and report calls/s (all and
// OK only), latency percentiles of OK calls, and errors by status code.
// With --server_pid the server's CPU time and threads are read from /proc for
// exactly the measured window.
//
// Client model: the async CompletionQueue API on one thread and one channel
// by default. Client and server share a 2-core machine, so the client that
// spends the least CPU per call leaves the most to the server. Measured on
// such a machine (Health/Check, concurrency 32, 4 s): async 1 thread 22.4k
// calls/s at 0.45 client cores; async 2 threads / 2 channels 24.1k at 0.67;
// sync 32 threads 15.6k at 0.49. --client=sync, --client_threads and
// --channels remain for comparison.
//
// Exit status: 0 on success; 1 when a call failed or an import count is not
// what an empty database gives; 2 for bad flags.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "tests/load/unit_generator.h"

ABSL_FLAG(std::string, target, "127.0.0.1:7001",
          "registry address; must be 127.0.0.1:PORT (loopback only)");
ABSL_FLAG(std::string, mode, "get", "health | area | get | import");
ABSL_FLAG(int, units, 1000, "get: units created before the timed loop");
ABSL_FLAG(int, concurrency, 32, "health/get: calls kept outstanding");
ABSL_FLAG(double, seconds, 10, "health/get: length of the measured loop");
ABSL_FLAG(double, warmup_seconds, 1,
          "health/get: calls before the measured loop, not counted");
ABSL_FLAG(int, rows, 100000, "import: rows streamed in one ImportUnits call");
ABSL_FLAG(uint64_t, seed, 1, "seed of the generated units and random ids");
ABSL_FLAG(std::string, client, "async",
          "async (CompletionQueue) | sync (one thread per outstanding call)");
ABSL_FLAG(int, client_threads, 1,
          "async: threads, each polling its own CompletionQueue");
ABSL_FLAG(int, channels, 1,
          "separate HTTP/2 connections; calls are spread over them");
ABSL_FLAG(int, deadline_ms, 5000, "deadline of each unary call");
ABSL_FLAG(int, setup_timeout_s, 120, "get: time limit for creating units");
ABSL_FLAG(int, import_timeout_s, 240, "import: deadline of the stream");
ABSL_FLAG(int64_t, max_calls, 50'000'000,
          "health/get: stop issuing after this many calls in all");
ABSL_FLAG(int, server_pid, 0,
          "when set, the server's process id on this machine: its CPU time "
          "and thread count are read from /proc during the measured window");
ABSL_FLAG(std::string, health_service, "",
          "health: the service name asked about (\"\" = the whole server)");

namespace antt::registry::load {
namespace {

namespace health = ::grpc::health::v1;
// Measurements use the steady clock; gRPC deadlines must be system_clock.
using Clock = std::chrono::steady_clock;
using Deadline = std::chrono::system_clock::time_point;

Deadline DeadlineAfter(Clock::duration timeout) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             timeout);
}

// Hard bounds, so no flag value makes an unbounded loop.
constexpr int kMaxConcurrency = 4096;
constexpr double kMaxSeconds = 600;
constexpr int kMaxUnits = 1'000'000;
constexpr int kMaxRows = 2'000'000;
constexpr int kMaxThreads = 64;
constexpr int kMaxChannels = 64;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

Clock::duration FromSeconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(s));
}

// CPU time (user + system) of this process so far, in seconds.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto tv = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return tv(usage.ru_utime) + tv(usage.ru_stime);
}

// What /proc says about another process on this machine.
struct ProcSample {
  double cpu_s = -1;  // user + system; -1 when unreadable
  int threads = -1;
};

ProcSample SampleProcess(int pid) {
  ProcSample sample;
  if (pid <= 0) return sample;
  if (std::FILE* f =
          std::fopen(absl::StrCat("/proc/", pid, "/stat").c_str(), "r")) {
    char buffer[1024];
    const size_t n = std::fread(buffer, 1, sizeof(buffer) - 1, f);
    std::fclose(f);
    buffer[n] = '\0';
    // Fields after the last ')' (the command name may hold anything): state
    // is field 3, utime 14, stime 15.
    if (const char* rest = std::strrchr(buffer, ')')) {
      unsigned long long utime = 0, stime = 0;
      if (std::sscanf(rest + 1,
                      " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                      &utime, &stime) == 2) {
        sample.cpu_s =
            static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
      }
    }
  }
  if (std::FILE* f =
          std::fopen(absl::StrCat("/proc/", pid, "/status").c_str(), "r")) {
    char line[256];
    while (std::fgets(line, sizeof(line), f) != nullptr) {
      if (std::sscanf(line, "Threads: %d", &sample.threads) == 1) break;
    }
    std::fclose(f);
  }
  return sample;
}

// Samples the server at the start and the end of a window, from a thread of
// its own, so the figures cover exactly the measured calls.
class WindowSampler final {
 public:
  WindowSampler(int pid, Clock::time_point start, Clock::time_point end)
      : pid_(pid) {
    if (pid_ <= 0) return;
    thread_ = std::thread([this, start, end] {
      std::this_thread::sleep_until(start);
      at_start_ = SampleProcess(pid_);
      std::this_thread::sleep_until(end);
      at_end_ = SampleProcess(pid_);
    });
  }
  ~WindowSampler() {
    if (thread_.joinable()) thread_.join();
  }

  // Adds server_cpu_s, server_cores and server_threads to `out`; joins.
  void Report(double window_s, int64_t calls, nlohmann::ordered_json* out) {
    if (pid_ <= 0) return;
    thread_.join();
    if (at_start_.cpu_s < 0 || at_end_.cpu_s < 0) return;
    const double cpu = at_end_.cpu_s - at_start_.cpu_s;
    (*out)["server_cpu_s"] = cpu;
    (*out)["server_cores"] = cpu / window_s;
    if (calls > 0) (*out)["server_cpu_us_per_call"] = cpu * 1e6 / calls;
    (*out)["server_threads"] = at_end_.threads;
    std::printf(
        "server (pid %d) in the window: CPU %.2f s = %.2f cores, %.0f us per "
        "call; %d threads\n",
        pid_, cpu, cpu / window_s, calls > 0 ? cpu * 1e6 / calls : 0.0,
        at_end_.threads);
  }

 private:
  int pid_;
  ProcSample at_start_;
  ProcSample at_end_;
  std::thread thread_;
};

// Accepts exactly "127.0.0.1:<port>": this tool never leaves the machine.
bool IsLoopbackTarget(const std::string& target) {
  constexpr absl::string_view kHost = "127.0.0.1:";
  if (target.compare(0, kHost.size(), kHost.data(), kHost.size()) != 0) {
    return false;
  }
  const absl::string_view port = absl::string_view(target).substr(kHost.size());
  int number = 0;
  return !port.empty() && port.size() <= 5 &&
         std::all_of(port.begin(), port.end(),
                     [](char c) { return c >= '0' && c <= '9'; }) &&
         absl::SimpleAtoi(port, &number) && number > 0 && number < 65536;
}

std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(
    const std::string& target, int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    // A private subchannel pool and a distinct argument give each channel its
    // own TCP connection.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("antt.load.channel", i);
    channels.push_back(grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

// ------------------------------------------------------------ measured calls

// What the workers of one phase add up. Merged under a mutex at the end.
// Latencies are of successful calls only: a rejection is fast and would make
// the percentiles look better than the service is.
struct Tally {
  std::vector<int64_t> latencies_ns;  // OK calls completed inside the window
  int64_t calls = 0;                  // every call completed inside the window
  int64_t errors = 0;                 // inside the window
  int64_t errors_outside = 0;         // during warm-up or drain
  std::map<std::string, int64_t> error_codes;  // everywhere, by status code
  std::string first_error;

  int64_t ok_calls() const { return calls - errors; }

  void Add(const grpc::Status& status, Clock::time_point start,
           Clock::time_point done, Clock::time_point window_start,
           Clock::time_point window_end) {
    const bool inside = done >= window_start && done <= window_end;
    if (!status.ok()) {
      (inside ? errors : errors_outside) += 1;
      error_codes[absl::StrCat(status.error_code())] += 1;
      if (first_error.empty()) {
        first_error = absl::StrCat("code ", status.error_code(), ": ",
                                   status.error_message());
      }
    }
    if (inside) {
      ++calls;
      if (status.ok()) {
        latencies_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(done - start)
                .count());
      }
    }
  }

  void Merge(Tally other) {
    latencies_ns.insert(latencies_ns.end(), other.latencies_ns.begin(),
                        other.latencies_ns.end());
    calls += other.calls;
    errors += other.errors;
    errors_outside += other.errors_outside;
    for (const auto& [code, n] : other.error_codes) error_codes[code] += n;
    if (first_error.empty()) first_error = std::move(other.first_error);
  }
};

// One outstanding async call. The completion-queue tag is the object itself.
class AsyncCall {
 public:
  virtual ~AsyncCall() = default;
  // The call's outcome; an OK status with a wrong answer becomes an error.
  virtual grpc::Status Result() const = 0;

  grpc::ClientContext context;
  grpc::Status status;
  Clock::time_point start;
};

template <typename Response>
class AsyncCallOf final : public AsyncCall {
 public:
  using Check = grpc::Status (*)(const AsyncCallOf&);
  explicit AsyncCallOf(Check check) : check_(check) {}
  grpc::Status Result() const override {
    return status.ok() ? check_(*this) : status;
  }

  Response response;
  std::string expected;  // what the response must name, when checked
  int64_t index = -1;    // CreateUnit: which unit
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;

 private:
  Check check_;
};

// A unary RPC the load loop can issue, async or sync. Implementations are
// thread-safe except for `rng`, which belongs to the calling worker.
class UnaryRpc {
 public:
  virtual ~UnaryRpc() = default;
  // False once the RPC has no more work (a fixed batch of creations).
  virtual bool HasWork() { return true; }
  // Starts one call; `cq` returns the AsyncCall as its tag on completion.
  virtual std::unique_ptr<AsyncCall> Start(grpc::CompletionQueue* cq,
                                           std::mt19937_64* rng,
                                           Deadline deadline) = 0;
  // One blocking call.
  virtual grpc::Status Call(std::mt19937_64* rng, Deadline deadline) = 0;
};

class HealthRpc final : public UnaryRpc {
 public:
  HealthRpc(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
            std::string service) {
    for (const auto& channel : channels) {
      stubs_.push_back(health::Health::NewStub(channel));
    }
    request_.set_service(std::move(service));
  }

  std::unique_ptr<AsyncCall> Start(grpc::CompletionQueue* cq,
                                   std::mt19937_64* rng,
                                   Deadline deadline) override {
    auto call =
        std::make_unique<AsyncCallOf<health::HealthCheckResponse>>(&Check);
    call->context.set_deadline(deadline);
    call->start = Clock::now();
    call->reader = Stub(rng)->AsyncCheck(&call->context, request_, cq);
    call->reader->Finish(&call->response, &call->status, call.get());
    return call;
  }

  grpc::Status Call(std::mt19937_64* rng, Deadline deadline) override {
    AsyncCallOf<health::HealthCheckResponse> call(&Check);
    call.context.set_deadline(deadline);
    call.status = Stub(rng)->Check(&call.context, request_, &call.response);
    return call.Result();
  }

 private:
  static grpc::Status Check(
      const AsyncCallOf<health::HealthCheckResponse>& call) {
    if (call.response.status() == health::HealthCheckResponse::SERVING) {
      return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::UNKNOWN, "health: not SERVING");
  }
  health::Health::Stub* Stub(std::mt19937_64* rng) {
    return stubs_[(*rng)() % stubs_.size()].get();
  }

  std::vector<std::unique_ptr<health::Health::Stub>> stubs_;
  health::HealthCheckRequest request_;
};

class GetUnitRpc final : public UnaryRpc {
 public:
  GetUnitRpc(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
             const std::vector<std::string>* ids)
      : ids_(ids) {
    for (const auto& channel : channels) {
      stubs_.push_back(v1::RegistryService::NewStub(channel));
    }
  }

  std::unique_ptr<AsyncCall> Start(grpc::CompletionQueue* cq,
                                   std::mt19937_64* rng,
                                   Deadline deadline) override {
    auto call = std::make_unique<AsyncCallOf<v1::Unit>>(&Check);
    v1::GetUnitRequest request;
    request.set_id(RandomId(rng));
    call->expected = request.id();
    call->context.set_deadline(deadline);
    call->start = Clock::now();
    call->reader = Stub(rng)->AsyncGetUnit(&call->context, request, cq);
    call->reader->Finish(&call->response, &call->status, call.get());
    return call;
  }

  grpc::Status Call(std::mt19937_64* rng, Deadline deadline) override {
    AsyncCallOf<v1::Unit> call(&Check);
    v1::GetUnitRequest request;
    request.set_id(RandomId(rng));
    call.expected = request.id();
    call.context.set_deadline(deadline);
    call.status = Stub(rng)->GetUnit(&call.context, request, &call.response);
    return call.Result();
  }

 private:
  static grpc::Status Check(const AsyncCallOf<v1::Unit>& call) {
    if (call.response.id() == call.expected) return grpc::Status::OK;
    return grpc::Status(grpc::StatusCode::UNKNOWN,
                        absl::StrCat("GetUnit(", call.expected,
                                     ") answered unit ", call.response.id()));
  }
  const std::string& RandomId(std::mt19937_64* rng) const {
    return (*ids_)[(*rng)() % ids_->size()];
  }
  v1::RegistryService::Stub* Stub(std::mt19937_64* rng) {
    return stubs_[(*rng)() % stubs_.size()].get();
  }

  std::vector<std::unique_ptr<v1::RegistryService::Stub>> stubs_;
  const std::vector<std::string>* ids_;
};

// GetArea: a sync RegistryService handler that never touches RocksDB (the
// area catalog is in memory). Against Health/Check (callback API, no handler
// thread) and GetUnit (same sync path plus a RocksDB read) it separates the
// cost of the sync thread pool from the cost of storage.
class GetAreaRpc final : public UnaryRpc {
 public:
  explicit GetAreaRpc(
      const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
    for (const auto& channel : channels) {
      stubs_.push_back(v1::RegistryService::NewStub(channel));
    }
  }

  std::unique_ptr<AsyncCall> Start(grpc::CompletionQueue* cq,
                                   std::mt19937_64* rng,
                                   Deadline deadline) override {
    auto call = std::make_unique<AsyncCallOf<v1::Area>>(&Check);
    const v1::GetAreaRequest request = RandomRequest(rng);
    call->expected = request.code();
    call->context.set_deadline(deadline);
    call->start = Clock::now();
    call->reader = Stub(rng)->AsyncGetArea(&call->context, request, cq);
    call->reader->Finish(&call->response, &call->status, call.get());
    return call;
  }

  grpc::Status Call(std::mt19937_64* rng, Deadline deadline) override {
    AsyncCallOf<v1::Area> call(&Check);
    const v1::GetAreaRequest request = RandomRequest(rng);
    call.expected = request.code();
    call.context.set_deadline(deadline);
    call.status = Stub(rng)->GetArea(&call.context, request, &call.response);
    return call.Result();
  }

 private:
  static grpc::Status Check(const AsyncCallOf<v1::Area>& call) {
    if (call.response.code() == call.expected) return grpc::Status::OK;
    return grpc::Status(grpc::StatusCode::UNKNOWN,
                        absl::StrCat("GetArea(", call.expected,
                                     ") answered area ", call.response.code()));
  }
  static v1::GetAreaRequest RandomRequest(std::mt19937_64* rng) {
    // Quảng Trị in both editions: the province, and the legacy districts.
    static constexpr std::pair<absl::string_view, absl::string_view> kAreas[] =
        {{"2026-07", "44"},  {"2025-06", "45"},  {"2025-06", "461"},
         {"2025-06", "462"}, {"2025-06", "464"}, {"2025-06", "465"},
         {"2025-06", "466"}, {"2025-06", "467"}, {"2025-06", "468"},
         {"2025-06", "469"}, {"2025-06", "470"}, {"2025-06", "471"}};
    const auto& [edition, code] = kAreas[(*rng)() % std::size(kAreas)];
    v1::GetAreaRequest request;
    request.set_edition(std::string(edition));
    request.set_code(std::string(code));
    return request;
  }
  v1::RegistryService::Stub* Stub(std::mt19937_64* rng) {
    return stubs_[(*rng)() % stubs_.size()].get();
  }

  std::vector<std::unique_ptr<v1::RegistryService::Stub>> stubs_;
};

// Creates a fixed list of units and keeps their ids. Each unit carries a
// request_id derived from the seed and its index, so a retry (or a rerun with
// the same seed against the same database) creates nothing twice. A round
// works through a list of indices; the ones the server turned away as busy
// (RESOURCE_EXHAUSTED, UNAVAILABLE) are collected for the next round.
class CreateUnitRpc final : public UnaryRpc {
 public:
  CreateUnitRpc(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                std::vector<v1::Unit> units, uint64_t seed)
      : units_(std::move(units)), seed_(seed), ids_(units_.size()) {
    for (const auto& channel : channels) {
      stubs_.push_back(v1::RegistryService::NewStub(channel));
    }
  }

  // Starts a round over `indices`; not thread-safe against running calls.
  void BeginRound(std::vector<int64_t> indices) {
    round_ = std::move(indices);
    next_.store(0);
    absl::MutexLock lock(&mu_);
    busy_.clear();
  }

  bool HasWork() override {
    return next_.load(std::memory_order_relaxed) <
           static_cast<int64_t>(round_.size());
  }

  std::unique_ptr<AsyncCall> Start(grpc::CompletionQueue* cq,
                                   std::mt19937_64* rng,
                                   Deadline deadline) override {
    auto call = std::make_unique<AsyncCallOf<v1::Unit>>(&Check);
    const v1::CreateUnitRequest request = NextRequest(call.get());
    call->context.set_deadline(deadline);
    call->start = Clock::now();
    call->reader = Stub(rng)->AsyncCreateUnit(&call->context, request, cq);
    call->reader->Finish(&call->response, &call->status, call.get());
    return call;
  }

  grpc::Status Call(std::mt19937_64* rng, Deadline deadline) override {
    AsyncCallOf<v1::Unit> call(&Check);
    const v1::CreateUnitRequest request = NextRequest(&call);
    call.context.set_deadline(deadline);
    call.status = Stub(rng)->CreateUnit(&call.context, request, &call.response);
    Record(call);
    return call.Result();
  }

  // Keeps the id of a created unit, or queues a busy-rejected one for the
  // next round. The async worker calls it for each completed call.
  void Record(const AsyncCallOf<v1::Unit>& call) {
    const grpc::Status result = call.Result();
    if (call.index < 0) return;
    absl::MutexLock lock(&mu_);
    if (result.ok()) {
      ids_[call.index] = call.response.id();
    } else if (result.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
               result.error_code() == grpc::StatusCode::UNAVAILABLE) {
      busy_.push_back(call.index);
    }
  }

  std::vector<int64_t> TakeBusy() {
    absl::MutexLock lock(&mu_);
    return std::move(busy_);
  }

  // The ids of every created unit ("" for a unit not created).
  std::vector<std::string> TakeIds() {
    absl::MutexLock lock(&mu_);
    return std::move(ids_);
  }

 private:
  static grpc::Status Check(const AsyncCallOf<v1::Unit>& call) {
    if (!call.response.id().empty()) return grpc::Status::OK;
    return grpc::Status(grpc::StatusCode::UNKNOWN, "CreateUnit: no id");
  }
  v1::CreateUnitRequest NextRequest(AsyncCallOf<v1::Unit>* call) {
    v1::CreateUnitRequest request;
    const int64_t slot = next_.fetch_add(1);
    // The caller's call budget matches the round, so slot is in range; an
    // empty request would only be rejected and counted as an error.
    if (slot < static_cast<int64_t>(round_.size())) {
      call->index = round_[slot];
      *request.mutable_unit() = units_[call->index];
      request.set_request_id(
          absl::StrCat("antt-load-", seed_, "-", call->index));
    }
    return request;
  }
  v1::RegistryService::Stub* Stub(std::mt19937_64* rng) {
    return stubs_[(*rng)() % stubs_.size()].get();
  }

  std::vector<std::unique_ptr<v1::RegistryService::Stub>> stubs_;
  const std::vector<v1::Unit> units_;
  const uint64_t seed_;
  std::vector<int64_t> round_;
  std::atomic<int64_t> next_{0};
  absl::Mutex mu_;
  std::vector<std::string> ids_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> busy_ ABSL_GUARDED_BY(mu_);
};

struct LoopOptions {
  bool async = true;
  int threads = 1;  // async: CQ threads; sync: ignored (one per slot)
  int concurrency = 32;
  Clock::time_point window_start;  // calls completing before are warm-up
  Clock::time_point window_end;    // no call starts after this
  Clock::duration call_timeout = std::chrono::seconds(5);
  int64_t max_calls = 0;
  uint64_t seed = 1;
  // Called with each completed async call (CreateUnit keeps the ids).
  std::function<void(const AsyncCall&)> on_done;
};

// Keeps `slots` async calls outstanding on one CompletionQueue until the
// window ends, the call budget is spent or the RPC runs out of work.
void AsyncWorker(UnaryRpc* rpc, int slots, uint64_t seed,
                 const LoopOptions& options, std::atomic<int64_t>* issued,
                 Tally* tally) {
  grpc::CompletionQueue cq;
  std::mt19937_64 rng(seed);
  const auto may_start = [&](Clock::time_point now) {
    return now < options.window_end && rpc->HasWork() &&
           issued->fetch_add(1) < options.max_calls;
  };
  int outstanding = 0;
  for (int i = 0; i < slots && may_start(Clock::now()); ++i) {
    rpc->Start(&cq, &rng, DeadlineAfter(options.call_timeout)).release();
    ++outstanding;
  }
  // Every call has a deadline, so this drains in bounded time; the extra
  // margin only guards against a stuck queue.
  const Clock::time_point give_up =
      options.window_end + options.call_timeout + std::chrono::seconds(10);
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
    std::unique_ptr<AsyncCall> call(static_cast<AsyncCall*>(tag));
    --outstanding;
    const Clock::time_point now = Clock::now();
    tally->Add(call->Result(), call->start, now, options.window_start,
               options.window_end);
    if (options.on_done) options.on_done(*call);
    if (may_start(now)) {
      rpc->Start(&cq, &rng, DeadlineAfter(options.call_timeout)).release();
      ++outstanding;
    }
  }
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) delete static_cast<AsyncCall*>(tag);
}

// One blocking call at a time until the window ends.
void SyncWorker(UnaryRpc* rpc, uint64_t seed, const LoopOptions& options,
                std::atomic<int64_t>* issued, Tally* tally) {
  std::mt19937_64 rng(seed);
  for (Clock::time_point now = Clock::now();
       now < options.window_end && rpc->HasWork() &&
       issued->fetch_add(1) < options.max_calls;
       now = Clock::now()) {
    const grpc::Status status =
        rpc->Call(&rng, DeadlineAfter(options.call_timeout));
    tally->Add(status, now, Clock::now(), options.window_start,
               options.window_end);
  }
}

Tally RunLoop(UnaryRpc* rpc, const LoopOptions& options) {
  std::atomic<int64_t> issued{0};
  const int workers = options.async
                          ? std::min(options.threads, options.concurrency)
                          : options.concurrency;
  std::vector<Tally> tallies(workers);
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    const uint64_t seed = options.seed * 1'000'003 + w;
    if (options.async) {
      // Spread the slots evenly over the queues.
      const int slots = options.concurrency / workers +
                        (w < options.concurrency % workers ? 1 : 0);
      threads.emplace_back(AsyncWorker, rpc, slots, seed, std::cref(options),
                           &issued, &tallies[w]);
    } else {
      threads.emplace_back(SyncWorker, rpc, seed, std::cref(options), &issued,
                           &tallies[w]);
    }
  }
  for (std::thread& t : threads) t.join();
  Tally total;
  for (Tally& t : tallies) total.Merge(std::move(t));
  return total;
}

nlohmann::ordered_json LatencyJson(std::vector<int64_t> ns) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (ns.empty()) return out;
  std::sort(ns.begin(), ns.end());
  const auto at = [&](double q) {
    const size_t i =
        std::min(ns.size() - 1, static_cast<size_t>(q * (ns.size() - 1) + 0.5));
    return ns[i] / 1000.0;
  };
  double sum = 0;
  for (int64_t v : ns) sum += static_cast<double>(v);
  out["mean_us"] = sum / ns.size() / 1000.0;
  out["p50_us"] = at(0.50);
  out["p90_us"] = at(0.90);
  out["p99_us"] = at(0.99);
  out["p999_us"] = at(0.999);
  out["max_us"] = ns.back() / 1000.0;
  return out;
}

// --------------------------------------------------------------------- modes

struct Config {
  std::string mode;
  std::string target;
  bool async = true;
  int client_threads = 1;
  int channels = 1;
  int concurrency = 32;
  double seconds = 10;
  double warmup_seconds = 1;
  int units = 1000;
  int rows = 100000;
  uint64_t seed = 1;
  Clock::duration call_timeout;
  int setup_timeout_s = 120;
  int import_timeout_s = 240;
  int64_t max_calls = 0;
  std::string health_service;
  int server_pid = 0;
};

nlohmann::ordered_json ConfigJson(const Config& c) {
  nlohmann::ordered_json j;
  j["tool"] = "antt-registry-load";
  j["mode"] = c.mode;
  j["target"] = c.target;
  if (c.mode != "import") {
    j["client"] = c.async ? "async" : "sync";
    j["client_threads"] = c.async ? c.client_threads : c.concurrency;
    j["channels"] = c.channels;
    j["concurrency"] = c.concurrency;
    j["seconds"] = c.seconds;
    j["warmup_seconds"] = c.warmup_seconds;
  }
  j["seed"] = c.seed;
  return j;
}

// Runs the timed loop of `rpc` and fills `out`; false when any call failed.
bool TimedLoop(const Config& c, const std::string& name, UnaryRpc* rpc,
               nlohmann::ordered_json* out) {
  LoopOptions options;
  options.async = c.async;
  options.threads = c.client_threads;
  options.concurrency = c.concurrency;
  options.call_timeout = c.call_timeout;
  options.max_calls = c.max_calls;
  options.seed = c.seed;
  const Clock::time_point begin = Clock::now();
  options.window_start = begin + FromSeconds(c.warmup_seconds);
  options.window_end = options.window_start + FromSeconds(c.seconds);
  WindowSampler server(c.server_pid, options.window_start, options.window_end);
  double cpu_before = 0;
  double cpu_window = 0;
  std::thread client_sampler([&] {
    std::this_thread::sleep_until(options.window_start);
    cpu_before = ProcessCpuSeconds();
    std::this_thread::sleep_until(options.window_end);
    cpu_window = ProcessCpuSeconds() - cpu_before;
  });
  Tally tally = RunLoop(rpc, options);
  client_sampler.join();
  const double cpu = cpu_window;
  const double wall = Seconds(Clock::now() - begin);
  const double window = c.seconds;
  const double rate = tally.calls / window;
  const double ok_rate = tally.ok_calls() / window;

  nlohmann::ordered_json latency = LatencyJson(tally.latencies_ns);
  std::printf(
      "%s: %lld calls in %.2f s = %.0f calls/s, of which OK %.0f calls/s; "
      "OK latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms; "
      "errors %lld (+%lld outside the window)\n",
      name.c_str(), static_cast<long long>(tally.calls), window, rate, ok_rate,
      latency.value("p50_us", 0.0) / 1000, latency.value("p90_us", 0.0) / 1000,
      latency.value("p99_us", 0.0) / 1000, latency.value("max_us", 0.0) / 1000,
      static_cast<long long>(tally.errors),
      static_cast<long long>(tally.errors_outside));
  std::printf("client CPU in the window %.2f s = %.2f cores\n", cpu,
              cpu / window);
  server.Report(window, tally.calls, out);
  if (!tally.first_error.empty()) {
    std::printf("first error: %s\n", tally.first_error.c_str());
    for (const auto& [code, n] : tally.error_codes) {
      std::printf("  status code %s: %lld calls\n", code.c_str(),
                  static_cast<long long>(n));
    }
  }
  (*out)["rpc"] = name;
  (*out)["calls"] = tally.calls;
  (*out)["calls_per_s"] = rate;
  (*out)["ok_calls_per_s"] = ok_rate;
  (*out)["latency"] = latency;
  (*out)["errors"] = tally.errors;
  (*out)["errors_outside_window"] = tally.errors_outside;
  (*out)["error_codes"] = tally.error_codes;
  if (!tally.first_error.empty()) (*out)["first_error"] = tally.first_error;
  (*out)["client_cpu_s"] = cpu;
  (*out)["client_cores"] = cpu / window;
  (*out)["client_wall_s"] = wall;
  return tally.errors == 0 && tally.errors_outside == 0;
}

bool WaitForServer(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
  for (const auto& channel : channels) {
    if (!channel->WaitForConnected(DeadlineAfter(std::chrono::seconds(10)))) {
      return false;
    }
  }
  return true;
}

bool RunHealth(const Config& c, nlohmann::ordered_json* out) {
  const auto channels = MakeChannels(c.target, c.channels);
  if (!WaitForServer(channels)) {
    std::printf("cannot connect to %s\n", c.target.c_str());
    return false;
  }
  HealthRpc rpc(channels, c.health_service);
  return TimedLoop(c, "Health/Check", &rpc, out);
}

bool RunArea(const Config& c, nlohmann::ordered_json* out) {
  const auto channels = MakeChannels(c.target, c.channels);
  if (!WaitForServer(channels)) {
    std::printf("cannot connect to %s\n", c.target.c_str());
    return false;
  }
  GetAreaRpc rpc(channels);
  return TimedLoop(c, "GetArea", &rpc, out);
}

bool RunGet(const Config& c, nlohmann::ordered_json* out) {
  const auto channels = MakeChannels(c.target, c.channels);
  if (!WaitForServer(channels)) {
    std::printf("cannot connect to %s\n", c.target.c_str());
    return false;
  }
  // Setup: create the units with the same client model, so the write path
  // gets a figure too (CreateUnit serialises on the store's write lock).
  // Calls the server turns away as busy are retried in later rounds.
  constexpr int kMaxRounds = 20;
  UnitGenerator generator(c.seed, kGetKeySpace);
  std::vector<v1::Unit> units;
  units.reserve(c.units);
  for (int i = 0; i < c.units; ++i) units.push_back(generator.Next());
  CreateUnitRpc create(channels, std::move(units), c.seed);
  std::vector<int64_t> todo(c.units);
  for (int i = 0; i < c.units; ++i) todo[i] = i;
  const Clock::time_point begin = Clock::now();
  const Clock::time_point setup_end =
      begin + std::chrono::seconds(c.setup_timeout_s);
  Tally setup;
  int rounds = 0;
  int64_t busy_rejections = 0;
  while (!todo.empty() && rounds < kMaxRounds && Clock::now() < setup_end) {
    if (rounds > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * rounds));
    }
    ++rounds;
    LoopOptions options;
    options.async = c.async;
    options.threads = c.client_threads;
    options.concurrency =
        static_cast<int>(std::min<int64_t>(c.concurrency, todo.size()));
    options.call_timeout = c.call_timeout;
    options.max_calls = static_cast<int64_t>(todo.size());
    options.seed = c.seed + rounds;
    options.window_start = begin;
    options.window_end = setup_end;
    options.on_done = [&create](const AsyncCall& call) {
      create.Record(static_cast<const AsyncCallOf<v1::Unit>&>(call));
    };
    create.BeginRound(std::move(todo));
    setup.Merge(RunLoop(&create, options));
    todo = create.TakeBusy();
    busy_rejections += static_cast<int64_t>(todo.size());
  }
  const double setup_s = Seconds(Clock::now() - begin);
  std::vector<std::string> ids = create.TakeIds();
  const int64_t created =
      std::count_if(ids.begin(), ids.end(),
                    [](const std::string& id) { return !id.empty(); });
  const nlohmann::ordered_json setup_latency = LatencyJson(setup.latencies_ns);
  std::printf(
      "setup: CreateUnit x %d in %.2f s = %.0f units/s (call p50 %.3f ms, "
      "p99 %.3f ms); created %lld in %d rounds; %lld calls turned away as "
      "busy and retried; other errors %lld\n",
      c.units, setup_s, created / setup_s,
      setup_latency.value("p50_us", 0.0) / 1000,
      setup_latency.value("p99_us", 0.0) / 1000,
      static_cast<long long>(created), rounds,
      static_cast<long long>(busy_rejections),
      static_cast<long long>(setup.errors + setup.errors_outside -
                             busy_rejections));
  nlohmann::ordered_json setup_json;
  setup_json["rpc"] = "CreateUnit";
  setup_json["units"] = c.units;
  setup_json["created"] = created;
  setup_json["seconds"] = setup_s;
  setup_json["units_per_s"] = created / setup_s;
  setup_json["calls"] = setup.calls;
  setup_json["latency"] = setup_latency;
  setup_json["rounds"] = rounds;
  setup_json["busy_rejections"] = busy_rejections;
  setup_json["error_codes"] = setup.error_codes;
  if (!setup.first_error.empty()) {
    setup_json["first_error"] = setup.first_error;
    std::printf("first error (busy ones were retried): %s\n",
                setup.first_error.c_str());
  }
  (*out)["setup"] = setup_json;
  if (created != c.units) {
    std::printf("FAIL: created %lld of %d units\n",
                static_cast<long long>(created), c.units);
    return false;
  }

  GetUnitRpc get(channels, &ids);
  return TimedLoop(c, "GetUnit", &get, out);
}

bool RunImport(const Config& c, nlohmann::ordered_json* out) {
  const auto channels = MakeChannels(c.target, 1);
  if (!WaitForServer(channels)) {
    std::printf("cannot connect to %s\n", c.target.c_str());
    return false;
  }
  auto stub = v1::RegistryService::NewStub(channels.front());
  UnitGenerator generator(c.seed, kImportKeySpace);
  grpc::ClientContext context;
  context.set_deadline(DeadlineAfter(std::chrono::seconds(c.import_timeout_s)));
  v1::ImportUnitsResponse response;
  const double cpu_before = ProcessCpuSeconds();
  const ProcSample server_before = SampleProcess(c.server_pid);
  const Clock::time_point begin = Clock::now();
  std::unique_ptr<grpc::ClientWriter<v1::ImportUnitsRequest>> writer =
      stub->ImportUnits(&context, &response);
  Clock::duration generating{};
  int sent = 0;
  v1::ImportUnitsRequest request;
  for (; sent < c.rows; ++sent) {
    const Clock::time_point g = Clock::now();
    *request.mutable_unit() = generator.Next();
    generating += Clock::now() - g;
    if (!writer->Write(request)) break;  // the server ended the stream
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  const double elapsed = Seconds(Clock::now() - begin);
  const double cpu = ProcessCpuSeconds() - cpu_before;
  const ProcSample server_after = SampleProcess(c.server_pid);
  const double rate = sent / elapsed;  // rows the server took, of any outcome

  const std::string status_text =
      status.ok()
          ? "OK"
          : absl::StrCat(status.error_code(), " ", status.error_message());
  std::printf(
      "ImportUnits: %d rows sent in %.2f s = %.0f rows/s; created "
      "%d, updated %d, rejected %d; status %s\n",
      sent, elapsed, rate, response.created(), response.updated(),
      response.rejected(), status_text.c_str());
  std::printf("client CPU %.2f s (generating rows %.2f s) over %.2f s wall\n",
              cpu, Seconds(generating), elapsed);
  for (int i = 0; i < std::min(5, response.errors_size()); ++i) {
    const v1::ImportError& e = response.errors(i);
    std::printf("  row %d %s: %s\n", e.row(), e.field().c_str(),
                e.message().c_str());
  }
  (*out)["rpc"] = "ImportUnits";
  (*out)["rows"] = c.rows;
  (*out)["sent"] = sent;
  (*out)["elapsed_s"] = elapsed;
  (*out)["rows_per_s"] = rate;
  (*out)["created"] = response.created();
  (*out)["updated"] = response.updated();
  (*out)["rejected"] = response.rejected();
  (*out)["status_code"] = static_cast<int>(status.error_code());
  if (!status.ok()) (*out)["status_message"] = status.error_message();
  if (response.errors_size() > 0) {
    (*out)["first_error"] = absl::StrCat("row ", response.errors(0).row(), " ",
                                         response.errors(0).field(), ": ",
                                         response.errors(0).message());
  }
  (*out)["client_cpu_s"] = cpu;
  (*out)["client_cores"] = cpu / elapsed;
  (*out)["client_generate_s"] = Seconds(generating);
  if (server_before.cpu_s >= 0 && server_after.cpu_s >= 0) {
    const double server_cpu = server_after.cpu_s - server_before.cpu_s;
    (*out)["server_cpu_s"] = server_cpu;
    (*out)["server_cores"] = server_cpu / elapsed;
    if (sent > 0) (*out)["server_cpu_us_per_call"] = server_cpu * 1e6 / sent;
    (*out)["server_threads"] = server_after.threads;
    std::printf(
        "server (pid %d) during the stream: CPU %.2f s = %.2f cores, %.0f us "
        "per row; %d threads\n",
        c.server_pid, server_cpu, server_cpu / elapsed,
        sent > 0 ? server_cpu * 1e6 / sent : 0.0, server_after.threads);
  }
  // On an empty database every row is new.
  const bool as_expected = status.ok() && sent == c.rows &&
                           response.created() == c.rows &&
                           response.updated() == 0 && response.rejected() == 0;
  if (!as_expected) {
    std::printf(
        "FAIL: expected %d created, 0 updated, 0 rejected (is the database "
        "empty of QT-IMP units?)\n",
        c.rows);
  }
  return as_expected;
}

// Reads and bounds-checks the flags; prints the problem and returns false.
bool ReadConfig(Config* c) {
  c->mode = absl::GetFlag(FLAGS_mode);
  c->target = absl::GetFlag(FLAGS_target);
  const std::string client = absl::GetFlag(FLAGS_client);
  c->async = client == "async";
  c->client_threads = absl::GetFlag(FLAGS_client_threads);
  c->channels = absl::GetFlag(FLAGS_channels);
  c->concurrency = absl::GetFlag(FLAGS_concurrency);
  c->seconds = absl::GetFlag(FLAGS_seconds);
  c->warmup_seconds = absl::GetFlag(FLAGS_warmup_seconds);
  c->units = absl::GetFlag(FLAGS_units);
  c->rows = absl::GetFlag(FLAGS_rows);
  c->seed = absl::GetFlag(FLAGS_seed);
  c->call_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_deadline_ms));
  c->setup_timeout_s = absl::GetFlag(FLAGS_setup_timeout_s);
  c->import_timeout_s = absl::GetFlag(FLAGS_import_timeout_s);
  c->max_calls = absl::GetFlag(FLAGS_max_calls);
  c->health_service = absl::GetFlag(FLAGS_health_service);
  c->server_pid = absl::GetFlag(FLAGS_server_pid);

  std::string problem;
  if (!IsLoopbackTarget(c->target)) {
    problem = "--target must be 127.0.0.1:PORT: this tool only loads loopback";
  } else if (c->mode != "health" && c->mode != "area" && c->mode != "get" &&
             c->mode != "import") {
    problem = "--mode must be health, area, get or import";
  } else if (client != "async" && client != "sync") {
    problem = "--client must be async or sync";
  } else if (c->concurrency < 1 || c->concurrency > kMaxConcurrency) {
    problem =
        absl::StrCat("--concurrency must be in [1, ", kMaxConcurrency, "]");
  } else if (!(c->seconds > 0 && c->seconds <= kMaxSeconds) ||
             !(c->warmup_seconds >= 0 && c->warmup_seconds <= kMaxSeconds)) {
    problem = absl::StrCat("--seconds and --warmup_seconds must be in (0, ",
                           kMaxSeconds, "]");
  } else if (c->units < 1 || c->units > kMaxUnits) {
    problem = absl::StrCat("--units must be in [1, ", kMaxUnits, "]");
  } else if (c->rows < 1 || c->rows > kMaxRows) {
    problem = absl::StrCat("--rows must be in [1, ", kMaxRows, "]");
  } else if (c->client_threads < 1 || c->client_threads > kMaxThreads) {
    problem =
        absl::StrCat("--client_threads must be in [1, ", kMaxThreads, "]");
  } else if (c->channels < 1 || c->channels > kMaxChannels) {
    problem = absl::StrCat("--channels must be in [1, ", kMaxChannels, "]");
  } else if (absl::GetFlag(FLAGS_deadline_ms) < 1 ||
             absl::GetFlag(FLAGS_deadline_ms) > 60'000) {
    problem = "--deadline_ms must be in [1, 60000]";
  } else if (c->setup_timeout_s < 1 || c->setup_timeout_s > 3600 ||
             c->import_timeout_s < 1 || c->import_timeout_s > 3600) {
    problem = "--setup_timeout_s and --import_timeout_s must be in [1, 3600]";
  } else if (c->max_calls < 1) {
    problem = "--max_calls must be positive";
  }
  if (!problem.empty()) {
    std::fprintf(stderr, "antt-registry-load: %s\n", problem.c_str());
    return false;
  }
  return true;
}

int Main() {
  Config config;
  if (!ReadConfig(&config)) return 2;
  nlohmann::ordered_json result = ConfigJson(config);
  std::printf("antt-registry-load mode=%s target=%s\n", config.mode.c_str(),
              config.target.c_str());
  bool ok = false;
  if (config.mode == "health") {
    ok = RunHealth(config, &result);
  } else if (config.mode == "area") {
    ok = RunArea(config, &result);
  } else if (config.mode == "get") {
    ok = RunGet(config, &result);
  } else {
    ok = RunImport(config, &result);
  }
  result["ok"] = ok;
  std::printf("%s\n", result.dump().c_str());
  std::fflush(stdout);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace antt::registry::load

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "antt-registry-load --target=127.0.0.1:PORT --mode=health|get|import "
      "[--concurrency=32 --seconds=10 --units=1000 --rows=100000]");
  absl::ParseCommandLine(argc, argv);
  return antt::registry::load::Main();
}
