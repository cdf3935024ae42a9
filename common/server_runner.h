#ifndef ANTT_COMMON_SERVER_RUNNER_H_
#define ANTT_COMMON_SERVER_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/callback_service.h"
#include "common/executor.h"
#include "common/health_service.h"
#include "common/metrics.h"

namespace antt {

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
  // Who may call. Required with TLS: its TokenAuthProcessor refuses every
  // call without a valid token before any service sees it. Not owned;
  // nullptr in insecure mode means everyone is an ADMIN ("insecure").
  const Authenticator* authenticator = nullptr;
  // Threads of gRPC's synchronous server, which only server reflection
  // still uses (ANTT's services and health are on the callback API). When
  // all are busy, reflection calls are shed with RESOURCE_EXHAUSTED.
  int max_threads = 8;
  // HTTP/2 streams one connection may have open at once; a client past it
  // waits for one to end.
  int max_concurrent_streams = 100;
  // Long-lived streams (health Watch, ImportUnits) open at once over all
  // connections; past it a new one is RESOURCE_EXHAUSTED.
  int max_open_streams = 1000;
  // The largest message received or sent, in bytes.
  int max_message_bytes = 4 << 20;
  // A client stream (ImportUnits) with no message for this long is ended
  // with DEADLINE_EXCEEDED, so an idle client cannot hold it open.
  absl::Duration stream_idle_timeout = absl::Seconds(60);
  // Threads and queue for work that may block for long (backups, the walk
  // of an audit chain, decisions written with fsync); past the queue,
  // RESOURCE_EXHAUSTED.
  int blocking_threads = 2;
  int blocking_queue = 64;
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

// A started gRPC server on the callback API (common/callback_service.h)
// with grpc.health.v1.Health (the service's own name and "" both SERVING),
// reflection, one JSON log line and metrics per call, and, when asked for,
// the metrics port and the plaintext health port.
class GrpcServer final {
 public:
  // Builds and starts a server for `services` (not owned; they must outlive
  // the server). ANTT services (ServiceCore) get the server's environment;
  // one with a method left unrouted is refused. Fails when the address
  // cannot be bound.
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
  // Long-lived streams (health Watch, ImportUnits) open now, on both ports.
  [[nodiscard]] int open_streams() const { return streams_.open(); }

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

  // Declared in the order they must outlive each other: the servers go
  // first, then the services and the environment their calls use.
  ServerOptions options_;
  std::unique_ptr<CallMetrics> metrics_;
  HealthState health_state_;
  Executor blocking_;
  OpenStreams streams_;
  // Callers of the plaintext health port (and of the main port in
  // insecure mode): anyone.
  std::unique_ptr<Authenticator> anyone_;
  ServingEnvironment env_;         // the main port's calls
  ServingEnvironment health_env_;  // the health port's: not logged
  std::unique_ptr<HealthService> health_;
  std::unique_ptr<HealthService> health_port_service_;
  // Paths served by ANTT services; any other (reflection, unknown paths) is
  // logged by an interceptor.
  absl::flat_hash_set<std::string> routed_paths_;
  std::unique_ptr<grpc::Server> server_;
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
