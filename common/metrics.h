#ifndef ANTT_COMMON_METRICS_H_
#define ANTT_COMMON_METRICS_H_

// What a server tells Prometheus, as Prometheus text format 0.0.4 served
// over plain HTTP at GET /metrics by MetricsServer. The call metrics have
// the names and labels of go-grpc-prometheus (and the Java, Python and C++
// interceptors that copy it), so the gRPC dashboards and alerts operators
// already run apply as they are:
//
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}   counter
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method}
//                                                                   histogram
//   grpc_client_started_total, grpc_client_handled_total,
//   grpc_client_handling_seconds: the same, for this process's calls to
//   other ANTT services (ClientCalls(), counted in common/dependency.cc)
//   antt_grpc_server_calls_in_flight                                gauge
//   antt_build_info{version,revision,service}                       gauge, 1
//   process_cpu_seconds_total, process_resident_memory_bytes, … (Linux)
//   and the gauges a server adds (RocksDbGauges, backups, its own).
//
// grpc_type is unary, client_stream, server_stream or bidi_stream;
// grpc_service the full service name ("antt.registry.v1.RegistryService");
// grpc_method the method's name ("GetUnit"); a path that names no method
// compiled into the binary is counted with all three "unknown". grpc_code
// is the code's Go name ("OK", "NotFound", "FailedPrecondition"), the
// spelling those dashboards match on.

#include <grpcpp/support/status.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace antt {

class RocksDb;

// One sample read at scrape time: a gauge, or a counter kept elsewhere.
struct GaugeSample {
  std::string name;  // e.g. "antt_rocksdb_estimated_keys"
  std::string help;  // the same for every sample of one name
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
  std::string type = "gauge";  // or "counter"
};

// Appends the gauges it knows to `out`; called on every scrape, from the
// metrics server's threads, so it must be thread-safe.
using GaugeCollector = std::function<void(std::vector<GaugeSample>* out)>;

// antt_rocksdb_live_data_bytes (the live SST files' bytes over every column
// family, RocksDb::ApproximateSizeBytes), antt_rocksdb_estimated_keys per
// column family ("rocksdb.estimate-num-keys"), and the write path's health
// (RocksDb::write_health): antt_rocksdb_pending_compaction_bytes,
// antt_rocksdb_write_stopped and antt_rocksdb_write_stalls_total{condition}.
// `db` is not owned and must outlive every scrape (servers stop their metrics
// port before closing the store).
[[nodiscard]] GaugeCollector RocksDbGauges(RocksDb* db);

// Upper bounds (seconds) of the grpc_*_handling_seconds buckets; +Inf
// follows.
inline constexpr std::array<double, 13> kCallDurationBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// A label value escaped for the text format: backslash, double quote and
// newline become \\, \" and \n.
[[nodiscard]] std::string EscapeLabelValue(absl::string_view value);

// gRPC's name for a status code ("OK", "NOT_FOUND"), as logs write it; a
// code gRPC does not define is "UNKNOWN", as gRPC itself treats it.
[[nodiscard]] std::string StatusCodeName(grpc::StatusCode code);

// The grpc_code label: the code's Go name ("OK", "NotFound"); "Unknown" for
// a code gRPC does not define.
[[nodiscard]] absl::string_view GrpcCodeLabel(grpc::StatusCode code);

// Whether `method` ("/package.Service/Method") is a method of a service
// compiled into this binary (protobuf's generated descriptor pool).
[[nodiscard]] bool IsCompiledInMethod(absl::string_view method);

// The labels of one method's series.
struct MethodLabels {
  std::string type;     // unary | client_stream | server_stream | bidi_stream
  std::string service;  // "antt.registry.v1.RegistryService"
  std::string method;   // "GetUnit"
};

// The labels of `path` ("/package.Service/Method"): its streaming type from
// the descriptor pool (unary for a method not in it), or all three
// "unknown" for the path "unknown".
[[nodiscard]] MethodLabels MethodLabelsOf(absl::string_view path);

// What antt_build_info says.
struct BuildInfo {
  std::string version;   // the CMake project version
  std::string revision;  // `git rev-parse --short HEAD` at configure time
  std::string service;   // e.g. "antt.registry.v1.RegistryService"

  // The version and revision this binary was built from.
  [[nodiscard]] static BuildInfo Current(std::string service);
};

// The calls of one side — those a server answers, or those a process makes
// — by method: started, finished by code, and a latency histogram.
// Thread-safe. A method's counters are created on its first use (under a
// lock); the servers take a MethodStats for each of their methods once, at
// start, and record every call on it with relaxed atomic adds, never
// touching the lock.
class CallCounters final {
 public:
  static constexpr int kCodes = 17;  // OK … UNAUTHENTICATED

  enum class Side { kServer, kClient };

  // The counters of one method.
  class MethodStats final {
   public:
    explicit MethodStats(MethodLabels labels) : labels_(std::move(labels)) {}

    // Counts one call started.
    void Started() { started_.fetch_add(1, std::memory_order_relaxed); }
    // Counts one finished call with `code` that took `latency`.
    void Record(grpc::StatusCode code, absl::Duration latency);

   private:
    friend class CallCounters;
    const MethodLabels labels_;
    std::atomic<uint64_t> started_{0};
    std::array<std::atomic<uint64_t>, kCodes> calls_{};
    // Not cumulative: bucket i counts latencies in (bound[i-1], bound[i]];
    // the last one those above every bound. AppendTo accumulates.
    std::array<std::atomic<uint64_t>, kCallDurationBuckets.size() + 1>
        buckets_{};
    std::atomic<uint64_t> sum_nanos_{0};
  };

  // Calls of a method `known` refuses are counted as method "unknown": a
  // caller sending made-up paths cannot grow the set of series.
  explicit CallCounters(
      Side side,
      std::function<bool(absl::string_view)> known = IsCompiledInMethod)
      : side_(side), known_(std::move(known)) {}
  CallCounters(const CallCounters&) = delete;
  CallCounters& operator=(const CallCounters&) = delete;

  // The counters of `method` ("/package.Service/Method"), or those of
  // "unknown"; valid as long as this object.
  [[nodiscard]] MethodStats* ForMethod(absl::string_view method);

  // Appends grpc_{server,client}_started_total, _handled_total and
  // _handling_seconds, with their HELP and TYPE, sorted by method.
  void AppendTo(std::string* out) const;

 private:
  const Side side_;
  const std::function<bool(absl::string_view)> known_;
  mutable absl::Mutex mu_;
  // Entries are never removed, so a pointer taken under the lock stays
  // valid for the lifetime of this object.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodStats>> methods_
      ABSL_GUARDED_BY(mu_);
};

// The calls this process makes to other ANTT services, counted by the
// interceptor of every DependencyChannel (common/dependency.h) and rendered
// by every CallMetrics: one per process, as the client metrics of
// go-grpc-prometheus live in its default registry.
[[nodiscard]] CallCounters& ClientCalls();

// process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds and
// process_start_time_seconds, read from /proc/self as the Prometheus
// clients' process collectors do; nothing where /proc cannot be read.
void AppendProcessGauges(std::vector<GaugeSample>* out);

// The calls one server answers, the number in flight, and everything its
// /metrics page shows.
class CallMetrics final {
 public:
  using MethodStats = CallCounters::MethodStats;
  static constexpr int kCodes = CallCounters::kCodes;

  explicit CallMetrics(
      BuildInfo build,
      std::function<bool(absl::string_view)> known = IsCompiledInMethod)
      : build_(std::move(build)),
        calls_(CallCounters::Side::kServer, std::move(known)) {}
  CallMetrics(const CallMetrics&) = delete;
  CallMetrics& operator=(const CallMetrics&) = delete;

  // A call has started / has ended (whether or not it was recorded).
  void CallStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void CallEnded() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  // The counters of `method` ("/package.Service/Method"), or those of
  // "unknown"; valid as long as this object.
  [[nodiscard]] MethodStats* ForMethod(absl::string_view method) {
    return calls_.ForMethod(method);
  }

  // Counts one finished call of `method` with `code` that took `latency`.
  void Record(absl::string_view method, grpc::StatusCode code,
              absl::Duration latency) {
    ForMethod(method)->Record(code, latency);
  }

  // The whole exposition: build info, the server's calls, in flight, the
  // process's calls to other services, the process gauges, and the gauges
  // `gauges` adds (when set).
  [[nodiscard]] std::string Render(const GaugeCollector& gauges = {}) const;

 private:
  const BuildInfo build_;
  CallCounters calls_;
  std::atomic<int64_t> in_flight_{0};
};

// Serves GET /metrics over plain HTTP (cpp-httplib) on its own two threads;
// any other path is 404.
class MetricsServer final {
 public:
  // Binds `listen` ("host:port", "[v6]:port"; port 0 picks a free one) and
  // serves what `render` returns on each scrape. InvalidArgument naming
  // `flag` when `listen` is not host:port; Unavailable when it cannot be
  // bound.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& listen, std::function<std::string()> render,
      absl::string_view flag = "--metrics_listen");

  ~MetricsServer();  // Stop()
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The bound port.
  [[nodiscard]] int port() const { return port_; }

  // Stops accepting, finishes the scrapes being answered, joins the
  // threads. Idempotent.
  void Stop();

 private:
  MetricsServer();

  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace antt

#endif  // ANTT_COMMON_METRICS_H_
