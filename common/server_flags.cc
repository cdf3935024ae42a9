#include "common/server_flags.h"

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "common/log.h"

ABSL_FLAG(bool, insecure, false,
          "plaintext gRPC without authentication: local demo only");
ABSL_FLAG(int, max_threads, 64,
          "upper bound on gRPC handler threads; past it calls are shed with "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(int, drain_seconds, 20,
          "on SIGTERM, how long in-flight calls may take to finish");

namespace antt {

ServerOptions ServerOptionsFromFlags(std::string service_name,
                                     std::string listen) {
  ServerOptions options;
  options.service_name = std::move(service_name);
  options.listen = std::move(listen);
  options.insecure = absl::GetFlag(FLAGS_insecure);
  options.max_threads = absl::GetFlag(FLAGS_max_threads);
  options.drain_timeout = absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));
  return options;
}

int StartupFailure(absl::string_view what, const absl::Status& status) {
  LogError(what, {{"error", status.ToString()}});
  return 1;
}

int ServeUntilSignal(const ServerOptions& options,
                     const std::vector<grpc::Service*>& services) {
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(options, services);
  if (!server.ok())
    return StartupFailure("cannot start server", server.status());
  const std::string signal = WaitForTerminationSignal();
  LogInfo("shutting down", {{"signal", signal}});
  (*server)->Shutdown(absl::Now() + options.drain_timeout);
  return 0;
}

}  // namespace antt
