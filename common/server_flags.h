#ifndef ANTT_COMMON_SERVER_FLAGS_H_
#define ANTT_COMMON_SERVER_FLAGS_H_

// The flags every ANTT server shares (--insecure, --tls_cert, --tls_key,
// --tls_ca, --principals_file, --service_token_file, --drain_seconds,
// --drain_delay_seconds, and the serving bounds --max_threads,
// --max_concurrent_streams, --max_open_streams, --max_message_bytes,
// --stream_idle_timeout_seconds, --blocking_threads, --blocking_queue) and
// the loop every main() runs.
// Each binary defines its own --listen, --metrics_listen and --health_listen,
// whose default ports differ.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/audit.h"
#include "common/auth.h"
#include "common/rocksdb_db.h"
#include "common/server_runner.h"

namespace antt {

// How a server admits callers and calls other services, from the flags.
struct ServerSecurity {
  bool insecure = false;
  TlsFiles tls;
  // Who may call: the principals file, or everyone in insecure mode.
  std::unique_ptr<Authenticator> authenticator;
  // For calls to other ANTT services: TLS with this server's certificate as
  // the client certificate, --tls_ca as the root, and the bearer token of
  // --service_token_file; plaintext in insecure mode.
  std::shared_ptr<grpc::ChannelCredentials> dependency_credentials;
};

// Sets what `program --help` and `--version` print; call before
// absl::ParseCommandLine. --help lists every flag the server reads (its
// main.cc's and the shared ones of common/server_flags.cc, not those of the
// libraries it links), under `usage`; --version prints "antt-registry 0.1.0
// (revision 7e4cb80)", as antt_build_info says it.
void SetServerUsage(absl::string_view program, absl::string_view usage);

// Reads the security flags. `calls_other_services` makes
// --service_token_file required (outside insecure mode).
[[nodiscard]] absl::StatusOr<ServerSecurity> ServerSecurityFromFlags(
    bool calls_other_services);

// Options from the shared flags, for `service_name` listening on `listen`.
[[nodiscard]] ServerOptions ServerOptionsFromFlags(
    std::string service_name, std::string listen,
    const ServerSecurity& security);

// Logs a start-up failure ("cannot open store", …) and returns exit code 1.
int StartupFailure(absl::string_view what, const absl::Status& status);

// Starts `services`, serves until SIGTERM or SIGINT, then drains
// (GrpcServer::Drain: health NOT_SERVING on both ports, calls still served
// for the drain delay, then in-flight calls finish within the drain time).
// SIGHUP reloads the principals file. Returns the exit code: 0, or 1 when the
// server could not start. The caller closes its store afterwards.
int ServeUntilSignal(const ServerOptions& options,
                     const std::vector<grpc::Service*>& services,
                     Authenticator* authenticator);

// ServeUntilSignal for `service` next to what every ANTT server offers over
// its store `db`: its audit log `audit` (AuditService), backups into
// `backup_dir` (AdminService) and the store's gauges in the metrics (with
// any options.gauges the service adds). Returns
// the exit code: 0, or 1 when backups or the server could not start.
int ServeWithStore(ServerOptions options, grpc::Service* service,
                   const ServerSecurity& security, RocksDb* db, AuditLog* audit,
                   const std::string& backup_dir);

}  // namespace antt

#endif  // ANTT_COMMON_SERVER_FLAGS_H_
