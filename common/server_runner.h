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
  // Names callers in the call log (not owned; nullptr: peers only).
  const Authenticator* authenticator = nullptr;
  // Sync-server threads are bounded by a ResourceQuota. When all are busy,
  // gRPC sheds the call with RESOURCE_EXHAUSTED ("Server Threadpool
  // Exhausted"), which clients retry with backoff; 64 threads absorbed 32
  // concurrent callers with no rejections (README, Measurements).
  int max_threads = 64;
  // How long SIGTERM waits for in-flight calls before cancelling them.
  absl::Duration drain_timeout = absl::Seconds(20);
};

// A started gRPC server with the gRPC health service (the service's own name
// and "" both SERVING), reflection, and one JSON log line per call.
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
  [[nodiscard]] grpc::Server* server() { return server_.get(); }

  // Health → NOT_SERVING, stop accepting calls, let in-flight calls finish
  // until `deadline`, then cancel the rest. Idempotent.
  void Shutdown(absl::Time deadline);

 private:
  explicit GrpcServer(ServerOptions options);

  ServerOptions options_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

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
