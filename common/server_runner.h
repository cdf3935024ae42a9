#ifndef ANTT_COMMON_SERVER_RUNNER_H_
#define ANTT_COMMON_SERVER_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace antt {

struct ServerOptions {
  std::string service_name;          // e.g. "antt.registry.v1.RegistryService"
  std::string listen = "0.0.0.0:0";  // host:port; port 0 picks a free one
  // Plaintext without authentication: the local demo only.
  bool insecure = false;
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
  GrpcServer(ServerOptions options, std::unique_ptr<grpc::Server> server,
             int port);

  ServerOptions options_;
  std::unique_ptr<grpc::Server> server_;
  int port_;
  bool shut_down_ = false;
};

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread it
// starts afterwards. Call first thing in main(), before gRPC starts threads.
void BlockTerminationSignals();

// Waits for SIGTERM or SIGINT (blocked earlier); returns its name.
std::string WaitForTerminationSignal();

}  // namespace antt

#endif  // ANTT_COMMON_SERVER_RUNNER_H_
