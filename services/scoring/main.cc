// antt-scoring: criteria sets, Score, the yearly assessment cycle and
// statistics (SPEC section 2). Flags, wiring and the signal loop only.

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
#include "services/scoring/criteria_catalog.h"
#include "services/scoring/registry_client.h"
#include "services/scoring/registry_follower.h"
#include "services/scoring/rocksdb_scoring_store.h"
#include "services/scoring/scoring.h"
#include "services/scoring/scoring_service.h"
#include "services/scoring/settings.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:7002", "gRPC address to listen on");
ABSL_FLAG(std::string, metrics_listen, "0.0.0.0:9102",
          "Prometheus metrics over plain HTTP at GET /metrics; empty: none");
ABSL_FLAG(std::string, health_listen, "0.0.0.0:7102",
          "plaintext gRPC port serving only grpc.health.v1.Health, for "
          "probes that cannot speak TLS; empty: none");
ABSL_FLAG(std::string, db_path, "", "RocksDB directory (created when missing)");
ABSL_FLAG(std::string, backup_dir, "",
          "directory of the store's backups (AdminService.CreateBackup), "
          "outside --db_path; empty: backups are refused");
ABSL_FLAG(std::string, registry_addr, "localhost:7001",
          "address of antt-registry");
ABSL_FLAG(std::string, criteria_dir, "",
          "directory of criteria-set files (default: share/antt/criteria next "
          "to the binary)");
ABSL_FLAG(std::string, settings_file, "",
          "assessment calendar and target (default: "
          "share/antt/scoring/settings.json next to the binary)");
ABSL_FLAG(std::string, areas_dir, "",
          "area code lists (default: share/antt/areas next to the binary)");
ABSL_FLAG(int, registry_deadline_ms, 3000, "deadline of each registry call");
ABSL_FLAG(int, registry_poll_ms, 500,
          "pause between reads of the registry's change feed once caught up");

namespace {

std::string FlagOr(const std::string& value, const std::string& installed) {
  return value.empty() ? antt::InstalledDataPath(installed) : value;
}

}  // namespace

int main(int argc, char** argv) {
  antt::BlockTerminationSignals();
  // Debian builds Abseil with mutex deadlock detection on; it costs every
  // lock (gRPC's too) several per cent of CPU in production. Tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  antt::SetServerUsage(
      "antt-scoring",
      "antt-scoring --db_path=DIR --registry_addr=HOST:PORT "
      "[--listen=HOST:PORT] "
      "(--tls_cert=PEM --tls_key=PEM [--tls_ca=PEM] --principals_file=JSON "
      "--service_token_file=FILE | --insecure)");
  absl::ParseCommandLine(argc, argv);
  const std::string db_path = absl::GetFlag(FLAGS_db_path);
  if (db_path.empty()) {
    return antt::StartupFailure(
        "bad flags", absl::InvalidArgumentError("--db_path is required"));
  }
  absl::StatusOr<antt::ServerSecurity> security =
      antt::ServerSecurityFromFlags(/*calls_other_services=*/true);
  if (!security.ok())
    return antt::StartupFailure("bad flags", security.status());
  if (absl::Status s = antt::scoring::ScoringAccessPolicy().Validate();
      !s.ok()) {
    return antt::StartupFailure("bad access policy", s);
  }

  if (absl::GetFlag(FLAGS_registry_deadline_ms) <= 0 ||
      absl::GetFlag(FLAGS_registry_poll_ms) <= 0) {
    return antt::StartupFailure(
        "bad flags",
        absl::InvalidArgumentError(
            "--registry_deadline_ms and --registry_poll_ms must be positive"));
  }
  auto criteria = antt::scoring::CriteriaCatalog::LoadDir(
      FlagOr(absl::GetFlag(FLAGS_criteria_dir), "criteria"));
  if (!criteria.ok())
    return antt::StartupFailure("cannot load criteria sets", criteria.status());
  auto settings = antt::scoring::LoadScoringSettings(
      FlagOr(absl::GetFlag(FLAGS_settings_file), "scoring/settings.json"));
  if (!settings.ok())
    return antt::StartupFailure("cannot load settings", settings.status());
  auto areas = antt::registry::AreaCatalog::Load(
      FlagOr(absl::GetFlag(FLAGS_areas_dir), "areas"));
  if (!areas.ok())
    return antt::StartupFailure("cannot load areas", areas.status());
  auto store = antt::scoring::RocksDbScoringStore::Open(db_path, {}, *settings);
  if (!store.ok())
    return antt::StartupFailure("cannot open store", store.status());

  antt::scoring::GrpcRegistryClientOptions registry_options;
  registry_options.address = absl::GetFlag(FLAGS_registry_addr);
  registry_options.deadline =
      absl::Milliseconds(absl::GetFlag(FLAGS_registry_deadline_ms));
  registry_options.credentials = security->dependency_credentials;
  std::unique_ptr<antt::scoring::RegistryClient> registry =
      antt::scoring::NewGrpcRegistryClient(registry_options);

  antt::scoring::Scoring::Dependencies deps;
  deps.criteria = criteria->get();
  deps.settings = &*settings;
  deps.areas = areas->get();
  deps.store = store->get();
  deps.registry = registry.get();
  antt::scoring::Scoring scoring(deps);
  antt::scoring::ScoringServiceImpl service(&scoring,
                                            security->authenticator.get());

  antt::scoring::RegistryFollower follower(
      registry.get(), store->get(),
      absl::Milliseconds(absl::GetFlag(FLAGS_registry_poll_ms)));
  follower.Start();

  antt::LogInfo("criteria sets loaded", {{"count", (*criteria)->size()}});
  antt::ServerOptions options = antt::ServerOptionsFromFlags(
      "antt.scoring.v1.ScoringService", absl::GetFlag(FLAGS_listen), *security);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.health_listen = absl::GetFlag(FLAGS_health_listen);
  options.gauges = [&follower](std::vector<antt::GaugeSample>* out) {
    out->push_back({"antt_registry_follower_skips_total",
                    "Units of the registry's change feed the follower could "
                    "not read and skipped (each is retried), since start.",
                    {},
                    static_cast<double>(follower.skips()),
                    "counter"});
    out->push_back({"antt_registry_follower_unreadable_units",
                    "Units skipped by the follower and not yet read again; "
                    "above 0, statistics miss them.",
                    {},
                    static_cast<double>(follower.unreadable())});
    out->push_back({"antt_registry_follower_lag",
                    "Changes of the registry's change feed not yet applied "
                    "to scoring's mirror, as of the follower's last page.",
                    {},
                    static_cast<double>(follower.lag())});
    out->push_back({"antt_registry_follower_last_success_timestamp_seconds",
                    "When the follower last applied a page of the registry's "
                    "change feed or found it read to its end (unix seconds; "
                    "0: not since start).",
                    {},
                    static_cast<double>(follower.last_success())});
  };
  const int code = antt::ServeWithStore(
      options, &service, *security, (*store)->rocksdb(), (*store)->audit_log(),
      absl::GetFlag(FLAGS_backup_dir));
  follower.Stop();
  store->reset();
  antt::LogInfo("store closed", {{"db_path", db_path}});
  return code;
}
