#ifndef ANTT_COMMON_METRICS_H_
#define ANTT_COMMON_METRICS_H_

// What a server tells Prometheus: its calls (counted by the call-log
// interceptor in common/server_runner.cc), gauges read at scrape time (the
// store's size and key estimates) and its build, as Prometheus text format
// 0.0.4, served over plain HTTP at GET /metrics by MetricsServer.
//
//   antt_build_info{version,revision,service}          gauge, always 1
//   antt_grpc_calls_total{method,code}                  counter
//   antt_grpc_call_duration_seconds{method}             histogram
//   antt_grpc_calls_in_flight                           gauge
//   antt_rocksdb_live_data_bytes                        gauge (RocksDbGauges)
//   antt_rocksdb_estimated_keys{column_family}          gauge (RocksDbGauges)
//
// `method` is the full gRPC method name ("/antt.registry.v1.RegistryService/
// GetUnit"), as in the JSON call log, or "unknown" for a path that names no
// method compiled into the server; `code` is gRPC's name for the status
// code ("OK", "NOT_FOUND").

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
// family, RocksDb::ApproximateSizeBytes) and antt_rocksdb_estimated_keys per
// column family ("rocksdb.estimate-num-keys"). `db` is not owned and must
// outlive every scrape (servers stop their metrics port before closing the
// store).
[[nodiscard]] GaugeCollector RocksDbGauges(RocksDb* db);

// Upper bounds (seconds) of antt_grpc_call_duration_seconds' buckets; +Inf
// follows.
inline constexpr std::array<double, 13> kCallDurationBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// A label value escaped for the text format: backslash, double quote and
// newline become \\, \" and \n.
[[nodiscard]] std::string EscapeLabelValue(absl::string_view value);

// gRPC's name for a status code ("OK", "NOT_FOUND"); a code gRPC does not
// define is "UNKNOWN", as gRPC itself treats it.
[[nodiscard]] std::string StatusCodeName(grpc::StatusCode code);

// Whether `method` ("/package.Service/Method") is a method of a service
// compiled into this binary (protobuf's generated descriptor pool).
[[nodiscard]] bool IsCompiledInMethod(absl::string_view method);

// What antt_build_info says.
struct BuildInfo {
  std::string version;   // the CMake project version
  std::string revision;  // `git rev-parse --short HEAD` at configure time
  std::string service;   // e.g. "antt.registry.v1.RegistryService"

  // The version and revision this binary was built from.
  [[nodiscard]] static BuildInfo Current(std::string service);
};

// The calls of one server: counters per method and code, a latency
// histogram per method, and the number in flight. Thread-safe. A method's
// counters are created on its first use (under a lock); the servers take a
// MethodStats for each of their methods once, at start, and record every
// call on it with relaxed atomic adds, never touching the lock.
class CallMetrics final {
 public:
  static constexpr int kCodes = 17;  // OK … UNAUTHENTICATED

  // The counters of one method.
  class MethodStats final {
   public:
    // Counts one finished call with `code` that took `latency`.
    void Record(grpc::StatusCode code, absl::Duration latency);

   private:
    friend class CallMetrics;
    std::array<std::atomic<uint64_t>, kCodes> calls_{};
    // Not cumulative: bucket i counts latencies in (bound[i-1], bound[i]];
    // the last one those above every bound. Render accumulates.
    std::array<std::atomic<uint64_t>, kCallDurationBuckets.size() + 1>
        buckets_{};
    std::atomic<uint64_t> sum_nanos_{0};
  };

  // Calls of a method `known` refuses are counted as method="unknown": a
  // caller sending made-up paths cannot grow the set of series.
  explicit CallMetrics(
      BuildInfo build,
      std::function<bool(absl::string_view)> known = IsCompiledInMethod)
      : build_(std::move(build)), known_(std::move(known)) {}
  CallMetrics(const CallMetrics&) = delete;
  CallMetrics& operator=(const CallMetrics&) = delete;

  // A call has started / has ended (whether or not it was recorded).
  void CallStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void CallEnded() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  // The counters of `method` ("/package.Service/Method"), or those of
  // "unknown"; valid as long as this object.
  [[nodiscard]] MethodStats* ForMethod(absl::string_view method);

  // Counts one finished call of `method` with `code` that took `latency`.
  void Record(absl::string_view method, grpc::StatusCode code,
              absl::Duration latency) {
    ForMethod(method)->Record(code, latency);
  }

  // The whole exposition: build info, calls, and the gauges `gauges` adds
  // (when set).
  [[nodiscard]] std::string Render(const GaugeCollector& gauges = {}) const;

 private:
  const BuildInfo build_;
  const std::function<bool(absl::string_view)> known_;
  std::atomic<int64_t> in_flight_{0};
  mutable absl::Mutex mu_;
  // Entries are never removed, so a pointer taken under the lock stays
  // valid for the lifetime of this object.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodStats>> methods_
      ABSL_GUARDED_BY(mu_);
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
