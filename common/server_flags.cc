#include "common/server_flags.h"

#include <tuple>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/admin_service.h"
#include "common/audit_service.h"
#include "common/backup.h"
#include "common/log.h"
#include "common/metrics.h"

ABSL_FLAG(bool, insecure, false,
          "plaintext gRPC without authentication: local demo only");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain of this server");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of this server");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA certificate: clients must present a certificate it signed "
          "(mutual TLS), and this server trusts it when calling others");
ABSL_FLAG(std::string, principals_file, "",
          "JSON file of the callers' names, roles, areas and token hashes; "
          "reloaded on SIGHUP");
ABSL_FLAG(std::string, service_token_file, "",
          "file holding the bearer token this server sends on its calls to "
          "other ANTT services");
ABSL_FLAG(int, max_threads, 8,
          "threads of gRPC's synchronous server, which only server "
          "reflection uses; past them reflection calls are shed with "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_concurrent_streams, 100,
          "HTTP/2 streams (calls) one connection may have open at once");
ABSL_FLAG(int, max_open_streams, 1000,
          "long-lived streams (health Watch, ImportUnits) open at once over "
          "all connections; past it new ones are RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "largest gRPC message received or sent, in bytes");
ABSL_FLAG(int, stream_idle_timeout_seconds, 60,
          "a client stream (ImportUnits) with no message for this long is "
          "ended with DEADLINE_EXCEEDED");
ABSL_FLAG(int, blocking_threads, 2,
          "threads for work that may block for long (backups, audit chain "
          "verification, decisions written with fsync)");
ABSL_FLAG(int, blocking_queue, 64,
          "such work waiting for a thread; past it calls are "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(int, drain_seconds, 20,
          "on SIGTERM, how long in-flight calls may take to finish");
ABSL_FLAG(int, drain_delay_seconds, 0,
          "on SIGTERM, how long to keep accepting calls after health turns "
          "NOT_SERVING, so load balancers stop sending first");

namespace antt {
void SetServerUsage(absl::string_view program, absl::string_view usage) {
  absl::SetProgramUsageMessage(usage);
  absl::FlagsUsageConfig config;
  // The server's own flags: those of its main.cc, and the shared ones here.
  const auto ours = [](absl::string_view file) {
    return absl::EndsWith(file, "/main.cc") ||
           absl::EndsWith(file, "common/server_flags.cc");
  };
  config.contains_help_flags = ours;
  config.contains_helpshort_flags = ours;
  // "services/registry/main.cc", not the build machine's absolute path.
  config.normalize_filename = [](absl::string_view file) {
    for (absl::string_view top : {"/services/", "/common/"}) {
      const size_t at = file.rfind(top);
      if (at != absl::string_view::npos)
        return std::string(file.substr(at + 1));
    }
    return std::string(file);
  };
  config.version_string = [name = std::string(program)] {
    const BuildInfo build = BuildInfo::Current(name);
    return absl::StrCat(name, " ", build.version, " (revision ", build.revision,
                        ")\n");
  };
  absl::SetFlagsUsageConfig(config);
}

absl::StatusOr<ServerSecurity> ServerSecurityFromFlags(
    bool calls_other_services) {
  ServerSecurity security;
  security.insecure = absl::GetFlag(FLAGS_insecure);
  security.tls.cert = absl::GetFlag(FLAGS_tls_cert);
  security.tls.key = absl::GetFlag(FLAGS_tls_key);
  security.tls.ca = absl::GetFlag(FLAGS_tls_ca);
  const std::string principals = absl::GetFlag(FLAGS_principals_file);
  const std::string token_file = absl::GetFlag(FLAGS_service_token_file);

  if (absl::Status s = CheckTransportChoice(security.insecure, security.tls);
      !s.ok()) {
    return s;
  }
  if (security.insecure) {
    if (!principals.empty() || !token_file.empty()) {
      return absl::InvalidArgumentError(
          "--insecure cannot be combined with --principals_file or "
          "--service_token_file: the plaintext demo mode has no "
          "authentication");
    }
    security.authenticator = Authenticator::Insecure();
    security.dependency_credentials = grpc::InsecureChannelCredentials();
    return security;
  }
  absl::StatusOr<std::unique_ptr<Authenticator>> authenticator =
      Authenticator::FromFile(principals);
  if (!authenticator.ok()) return authenticator.status();
  security.authenticator = *std::move(authenticator);

  if (calls_other_services) {
    if (token_file.empty()) {
      return absl::InvalidArgumentError(
          "--service_token_file is required: this server calls other ANTT "
          "services");
    }
    absl::StatusOr<std::string> token =
        ReadPemFile(token_file, "--service_token_file");
    if (!token.ok()) return token.status();
    const std::string bearer(absl::StripAsciiWhitespace(*token));
    grpc::SslCredentialsOptions ssl;
    const std::tuple<const std::string*, std::string*, const char*> pems[] = {
        {&security.tls.ca, &ssl.pem_root_certs, "--tls_ca"},
        {&security.tls.cert, &ssl.pem_cert_chain, "--tls_cert"},
        {&security.tls.key, &ssl.pem_private_key, "--tls_key"}};
    for (const auto& [path, pem, flag] : pems) {
      if (path->empty()) continue;  // no CA: the system's roots
      absl::StatusOr<std::string> text = ReadPemFile(*path, flag);
      if (!text.ok()) return text.status();
      *pem = *std::move(text);
    }
    security.dependency_credentials = grpc::CompositeChannelCredentials(
        grpc::SslCredentials(ssl), grpc::AccessTokenCredentials(bearer));
  }
  return security;
}

ServerOptions ServerOptionsFromFlags(std::string service_name,
                                     std::string listen,
                                     const ServerSecurity& security) {
  ServerOptions options;
  options.service_name = std::move(service_name);
  options.listen = std::move(listen);
  options.insecure = security.insecure;
  options.tls = security.tls;
  options.authenticator = security.authenticator.get();
  options.max_threads = absl::GetFlag(FLAGS_max_threads);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.max_open_streams = absl::GetFlag(FLAGS_max_open_streams);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.stream_idle_timeout =
      absl::Seconds(absl::GetFlag(FLAGS_stream_idle_timeout_seconds));
  options.blocking_threads = absl::GetFlag(FLAGS_blocking_threads);
  options.blocking_queue = absl::GetFlag(FLAGS_blocking_queue);
  options.drain_timeout = absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));
  options.drain_delay = absl::Seconds(absl::GetFlag(FLAGS_drain_delay_seconds));
  return options;
}

int StartupFailure(absl::string_view what, const absl::Status& status) {
  LogError(what, {{"error", status.ToString()}});
  return 1;
}

int ServeUntilSignal(const ServerOptions& options,
                     const std::vector<grpc::Service*>& services,
                     Authenticator* authenticator) {
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(options, services);
  if (!server.ok())
    return StartupFailure("cannot start server", server.status());
  const std::string signal = WaitForTerminationSignal([&] {
    if (authenticator == nullptr || authenticator->insecure()) return;
    if (absl::Status s = authenticator->Reload(); !s.ok()) {
      LogError("principals not reloaded; the previous ones stay in force",
               {{"error", s.ToString()}});
    } else {
      LogInfo("principals reloaded");
    }
  });
  LogInfo("shutting down", {{"signal", signal}});
  (*server)->Drain();
  return 0;
}

int ServeWithStore(ServerOptions options, grpc::Service* service,
                   const ServerSecurity& security, RocksDb* db, AuditLog* audit,
                   const std::string& backup_dir) {
  Authenticator* authenticator = security.authenticator.get();
  AuditServiceImpl audit_service(audit, authenticator);
  absl::StatusOr<std::unique_ptr<Backups>> backups =
      Backups::Open(backup_dir, db, audit);
  if (!backups.ok()) {
    return StartupFailure("cannot open backups", backups.status());
  }
  AdminServiceImpl admin_service(backups->get(), authenticator);
  // The store's and the backups' gauges, and any the service adds.
  options.gauges = [store = RocksDbGauges(db), backup = (*backups)->Gauges(),
                    own = options.gauges](std::vector<GaugeSample>* out) {
    store(out);
    backup(out);
    if (own) own(out);
  };
  return ServeUntilSignal(options, {service, &audit_service, &admin_service},
                          authenticator);
}

}  // namespace antt
