#ifndef ANTT_COMMON_SERVER_RUNNER_H_
#define ANTT_COMMON_SERVER_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/metrics.h"

namespace antt {

class HealthMirror;  // server_runner.cc

// PEM files of a TLS server (paths).
struct TlsFiles {
  std::string cert;  // certificate chain
  std::string key;   // private key
  // When set, clients must present a certificate this CA signed (mutual
  // TLS); it is also the root the server trusts when calling other services.
  std::string ca;

  [[nodiscard]] bool empty() const {
    return cert.empty() && key.empty() && ca.empty();
  }
};

struct ServerOptions {
  std::string service_name;          // e.g. "antt.registry.v1.RegistryService"
  std::string listen = "0.0.0.0:0";  // host:port; port 0 picks a free one
  // Plaintext without authentication: the local demo only. Refused together
  // with TLS files; without it, `tls` needs a cert and a key.
  bool insecure = false;
  TlsFiles tls;
  // Names callers in the call log (not owned; nullptr: peers only).
  const Authenticator* authenticator = nullptr;
  // Sync-server threads are bounded by a ResourceQuota. When all are busy,
  // gRPC sheds the call with RESOURCE_EXHAUSTED ("Server Threadpool
  // Exhausted"), which clients retry with backoff; 64 threads absorbed 32
  // concurrent callers with no rejections (README, Measurements).
  int max_threads = 64;
  // How long SIGTERM waits for in-flight calls before cancelling them.
  absl::Duration drain_timeout = absl::Seconds(20);
  // On SIGTERM, how long the server keeps serving after reporting
  // NOT_SERVING, so load balancers stop sending calls before it refuses them.
  absl::Duration drain_delay = absl::ZeroDuration();
  // Prometheus text at GET /metrics over plain HTTP (host:port, port 0 picks
  // one, logged as "metrics_port"); empty: no metrics port.
  std::string metrics_listen;
  // A second, plaintext gRPC port serving only grpc.health.v1.Health with the
  // main port's status, for probes that cannot speak TLS (Kubernetes' native
  // gRPC probes); host:port, port 0 picks one (logged as "health_port");
  // empty: none.
  std::string health_listen;
  // Gauges read at each scrape, e.g. RocksDbGauges(store); may be empty.
  GaugeCollector gauges;
};

// A started gRPC server with the gRPC health service (the service's own name
// and "" both SERVING), reflection, one JSON log line and metrics per call,
// and, when asked for, the metrics port and the plaintext health port.
class GrpcServer final {
 public:
  // Builds and starts a server for `services` (not owned; they must outlive
  // the server). Fails when the address cannot be bound.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const ServerOptions& options,
      const std::vector<grpc::Service*>& services);

  ~GrpcServer();

  // The bound port (useful when options.listen asked for port 0).
  [[nodiscard]] int port() const { return port_; }
  // The bound metrics and health ports; 0 when not asked for.
  [[nodiscard]] int metrics_port() const;
  [[nodiscard]] int health_port() const { return health_port_; }
  [[nodiscard]] grpc::Server* server() { return server_.get(); }
  [[nodiscard]] const CallMetrics& metrics() const { return *metrics_; }

  // What SIGTERM does: health → NOT_SERVING on both ports, keep serving for
  // options.drain_delay, then Shutdown(now + options.drain_timeout).
  void Drain();

  // Health → NOT_SERVING on both ports, stop accepting calls, let in-flight
  // calls finish until `deadline` and cancel the rest; then close the health
  // port and the metrics port. Idempotent.
  void Shutdown(absl::Time deadline);

 private:
  explicit GrpcServer(ServerOptions options);

  void ReportNotServing();

  ServerOptions options_;
  std::unique_ptr<CallMetrics> metrics_;
  std::unique_ptr<grpc::Server> server_;
  // The plaintext health port and the health service it serves.
  std::unique_ptr<HealthMirror> health_mirror_;
  std::unique_ptr<grpc::Server> health_server_;
  std::unique_ptr<MetricsServer> metrics_server_;
  int port_ = 0;
  int health_port_ = 0;
  bool shut_down_ = false;
};

// InvalidArgument unless exactly one transport is chosen: --insecure, or a
// TLS certificate and key (with an optional CA).
[[nodiscard]] absl::Status CheckTransportChoice(bool insecure,
                                                const TlsFiles& tls);

// The contents of a PEM (or other secret) file; InvalidArgument naming
// `flag` when it cannot be read or is empty. The contents never appear in
// the message.
[[nodiscard]] absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                                      absl::string_view flag);

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread it
// starts afterwards. Call first thing in main(), before gRPC starts threads.
void BlockTerminationSignals();

// Waits for SIGTERM or SIGINT (blocked earlier); returns its name. Each
// SIGHUP in between calls `on_hangup` (when set) and waits on.
std::string WaitForTerminationSignal(
    const std::function<void()>& on_hangup = nullptr);

}  // namespace antt

#endif  // ANTT_COMMON_SERVER_RUNNER_H_
