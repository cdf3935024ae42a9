// antt-registry: the registry of areas, units and persons (SPEC section 1).
// Flags, wiring and the signal loop; nothing else.

#include <unistd.h>

#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/data_dir.h"
#include "common/log.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "services/registry/area_catalog.h"
#include "services/registry/registry.h"
#include "services/registry/registry_service.h"
#include "services/registry/rocksdb_registry_store.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:7001", "gRPC address to listen on");
ABSL_FLAG(std::string, metrics_listen, "0.0.0.0:9101",
          "Prometheus metrics over plain HTTP at GET /metrics; empty: none");
ABSL_FLAG(std::string, health_listen, "0.0.0.0:7101",
          "plaintext gRPC port serving only grpc.health.v1.Health, for "
          "probes that cannot speak TLS; empty: none");
ABSL_FLAG(std::string, db_path, "", "RocksDB directory (created when missing)");
ABSL_FLAG(std::string, backup_dir, "",
          "directory of the store's backups (AdminService.CreateBackup), "
          "outside --db_path; empty: backups are refused");
ABSL_FLAG(std::string, areas_dir, "",
          "directory of the area code lists (default: share/antt/areas next "
          "to the binary)");

int main(int argc, char** argv) {
  antt::BlockTerminationSignals();
  // Debian builds Abseil with mutex deadlock detection on; it costs every
  // lock (gRPC's too) several per cent of CPU in production. Tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  antt::SetServerUsage(
      "antt-registry",
      "antt-registry --db_path=DIR [--listen=HOST:PORT] "
      "(--tls_cert=PEM --tls_key=PEM [--tls_ca=PEM] --principals_file=JSON | "
      "--insecure)");
  absl::ParseCommandLine(argc, argv);

  const std::string db_path = absl::GetFlag(FLAGS_db_path);
  if (db_path.empty()) {
    return antt::StartupFailure(
        "bad flags", absl::InvalidArgumentError("--db_path is required"));
  }
  absl::StatusOr<antt::ServerSecurity> security =
      antt::ServerSecurityFromFlags(/*calls_other_services=*/false);
  if (!security.ok())
    return antt::StartupFailure("bad flags", security.status());
  if (absl::Status s = antt::registry::RegistryAccessPolicy().Validate();
      !s.ok()) {
    return antt::StartupFailure("bad access policy", s);
  }
  std::string areas_dir = absl::GetFlag(FLAGS_areas_dir);
  if (areas_dir.empty()) areas_dir = antt::InstalledDataPath("areas");

  absl::StatusOr<std::unique_ptr<antt::registry::AreaCatalog>> areas =
      antt::registry::AreaCatalog::Load(areas_dir);
  if (!areas.ok())
    return antt::StartupFailure("cannot load areas", areas.status());

  absl::StatusOr<std::unique_ptr<antt::registry::RocksDbRegistryStore>> store =
      antt::registry::RocksDbRegistryStore::Open(db_path);
  if (!store.ok())
    return antt::StartupFailure("cannot open store", store.status());

  antt::registry::Registry registry(areas->get(), store->get());
  antt::registry::RegistryServiceImpl service(&registry,
                                              security->authenticator.get());

  antt::ServerOptions options =
      antt::ServerOptionsFromFlags("antt.registry.v1.RegistryService",
                                   absl::GetFlag(FLAGS_listen), *security);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.health_listen = absl::GetFlag(FLAGS_health_listen);
  const int code = antt::ServeWithStore(
      options, &service, *security, (*store)->rocksdb(), (*store)->audit_log(),
      absl::GetFlag(FLAGS_backup_dir));
  store->reset();  // flush and close the store after the last call
  antt::LogInfo("store closed", {{"db_path", db_path}});
  return code;
}
