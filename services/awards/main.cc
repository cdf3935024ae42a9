// antt-awards: the award catalogue, campaigns, nominations, eligibility,
// decisions and revocation (SPEC section 3). Flags, wiring and the signal
// loop only.

#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/data_dir.h"
#include "common/log.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "services/awards/award_catalog.h"
#include "services/awards/awards.h"
#include "services/awards/awards_service.h"
#include "services/awards/dependencies.h"
#include "services/awards/rocksdb_awards_store.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:7003", "gRPC address to listen on");
ABSL_FLAG(std::string, metrics_listen, "0.0.0.0:9103",
          "Prometheus metrics over plain HTTP at GET /metrics; empty: none");
ABSL_FLAG(std::string, health_listen, "0.0.0.0:7103",
          "plaintext gRPC port serving only grpc.health.v1.Health, for "
          "probes that cannot speak TLS; empty: none");
ABSL_FLAG(std::string, db_path, "", "RocksDB directory (created when missing)");
ABSL_FLAG(std::string, backup_dir, "",
          "directory of the store's backups (AdminService.CreateBackup), "
          "outside --db_path; empty: backups are refused");
ABSL_FLAG(std::string, registry_addr, "localhost:7001",
          "address of antt-registry");
ABSL_FLAG(std::string, scoring_addr, "localhost:7002",
          "address of antt-scoring");
ABSL_FLAG(std::string, award_types_file, "",
          "the award catalogue (default: share/antt/awards/award_types.json "
          "next to the binary)");
ABSL_FLAG(int, dependency_deadline_ms, 3000,
          "deadline of each registry and scoring call");

namespace {

absl::CivilDay VietnamToday() {
  return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(7 * 3600));
}

}  // namespace

int main(int argc, char** argv) {
  antt::BlockTerminationSignals();
  // Debian builds Abseil with mutex deadlock detection on; it costs every
  // lock (gRPC's too) several per cent of CPU in production. Tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  antt::SetServerUsage(
      "antt-awards",
      "antt-awards --db_path=DIR --registry_addr=HOST:PORT "
      "--scoring_addr=HOST:PORT [--listen=HOST:PORT]\n"
      "  (--tls_cert=PEM --tls_key=PEM [--tls_ca=PEM] --principals_file=JSON "
      "--service_token_file=FILE | --insecure)");
  absl::ParseCommandLine(argc, argv);
  if (absl::Status s = antt::awards::AwardsAccessPolicy().Validate(); !s.ok()) {
    return antt::StartupFailure("incomplete access policy", s);
  }
  absl::StatusOr<antt::ServerSecurity> security =
      antt::ServerSecurityFromFlags(/*calls_other_services=*/true);
  if (!security.ok())
    return antt::StartupFailure("bad flags", security.status());
  const std::string db_path = absl::GetFlag(FLAGS_db_path);
  if (db_path.empty()) {
    return antt::StartupFailure(
        "bad flags", absl::InvalidArgumentError("--db_path is required"));
  }
  const int deadline_ms = absl::GetFlag(FLAGS_dependency_deadline_ms);
  if (deadline_ms <= 0) {
    return antt::StartupFailure(
        "bad flags", absl::InvalidArgumentError(
                         "--dependency_deadline_ms must be positive"));
  }
  std::string catalog_path = absl::GetFlag(FLAGS_award_types_file);
  if (catalog_path.empty()) {
    catalog_path = antt::InstalledDataPath("awards/award_types.json");
  }
  auto catalog = antt::awards::AwardCatalog::Load(catalog_path);
  if (!catalog.ok())
    return antt::StartupFailure("cannot load award types", catalog.status());
  auto store = antt::awards::RocksDbAwardsStore::Open(db_path);
  if (!store.ok())
    return antt::StartupFailure("cannot open store", store.status());

  // Both with this server's certificate and token.
  auto registry = antt::awards::NewGrpcRegistryClient(
      absl::GetFlag(FLAGS_registry_addr), absl::Milliseconds(deadline_ms),
      security->dependency_credentials);
  auto scoring = antt::awards::NewGrpcScoringClient(
      absl::GetFlag(FLAGS_scoring_addr), absl::Milliseconds(deadline_ms),
      security->dependency_credentials);
  antt::awards::Awards::Dependencies deps;
  deps.catalog = catalog->get();
  deps.store = store->get();
  deps.registry = registry.get();
  deps.scoring = scoring.get();
  deps.today = VietnamToday;
  antt::awards::Awards awards(deps);
  antt::awards::AwardsServiceImpl service(&awards,
                                          security->authenticator.get());

  antt::ServerOptions options = antt::ServerOptionsFromFlags(
      "antt.awards.v1.AwardsService", absl::GetFlag(FLAGS_listen), *security);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.health_listen = absl::GetFlag(FLAGS_health_listen);
  const int code = antt::ServeWithStore(
      options, &service, *security, (*store)->rocksdb(), (*store)->audit_log(),
      absl::GetFlag(FLAGS_backup_dir));
  store->reset();
  antt::LogInfo("store closed", {{"db_path", db_path}});
  return code;
}
