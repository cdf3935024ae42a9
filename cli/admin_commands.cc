#include "cli/admin_commands.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/backup.h"

namespace antt::cli {
namespace {

namespace adv1 = ::antt::admin::v1;

// How much of a hex digest the table shows (as `audit list` does).
constexpr size_t kShortDigest = 12;

std::vector<std::string> ServiceNames() {
  return {"registry", "scoring", "awards"};
}

std::string CreateTime(const adv1::BackupInfo& b,
                       const char* format = "%Y-%m-%d %H:%M:%S") {
  return absl::FormatTime(format,
                          absl::FromUnixSeconds(b.create_time().seconds()),
                          absl::UTCTimeZone());
}

// Backups as a table (short hashes), CSV (full hashes) or `whole` as JSON.
void PrintBackups(const Globals& globals,
                  const std::vector<const adv1::BackupInfo*>& backups,
                  const google::protobuf::Message& whole) {
  const bool csv = globals.output == "csv";
  Table table =
      csv ? Table({ValueColumn("backup_id"), ValueColumn("create_time"),
                   ValueColumn("size_bytes"), ValueColumn("number_files"),
                   ValueColumn("last_audit_sequence"), "last_audit_hash"})
          : Table({ValueColumn("ID"), ValueColumn("CREATED (UTC)"),
                   ValueColumn("BYTES"), ValueColumn("FILES"),
                   ValueColumn("AUDIT SEQ"), "AUDIT HASH"});
  for (const adv1::BackupInfo* b : backups) {
    table.AddRow({absl::StrCat(b->backup_id()),
                  csv ? CreateTime(*b, "%Y-%m-%dT%H:%M:%SZ") : CreateTime(*b),
                  absl::StrCat(b->size_bytes()),
                  absl::StrCat(b->number_files()),
                  absl::StrCat(b->last_audit_sequence()),
                  csv ? b->last_audit_hash()
                      : b->last_audit_hash().substr(0, kShortDigest)});
  }
  if (globals.output == "json") {
    std::cout << ToJson(whole, /*with_defaults=*/true) << "\n";
  } else {
    Print(globals, table, whole);
  }
}

// The `--service` option every remote admin command has.
void AddServiceOption(CLI::App* command, std::string* service) {
  command->add_option("--service", *service, "registry | scoring | awards")
      ->required()
      ->check(CLI::IsMember(ServiceNames()));
}

void AddBackup(CLI::App* admin, Globals& globals, Clients& clients) {
  struct Flags {
    std::string service;
    bool verify = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* backup = admin->add_subcommand(
      "backup",
      "Take a backup of a running service's store into its --backup_dir "
      "(ADMIN only); writes go on meanwhile");
  backup->footer(
      "Every write acknowledged before the command started is in the backup. "
      "Exit code 4 when the service has no --backup_dir, or when --verify "
      "finds the new backup damaged (it is deleted again).");
  AddServiceOption(backup, &f->service);
  backup->add_flag("--verify", f->verify,
                   "Read the new backup back and check every file's checksum");
  backup->callback([&globals, &clients, f] {
    adv1::CreateBackupRequest request;
    request.set_verify(f->verify);
    adv1::BackupInfo info;
    auto context = clients.Context();
    if (!Run(globals, [&] {
          return clients.admin(f->service)
              .CreateBackup(context.get(), request, &info);
        })) {
      return;
    }
    PrintBackups(globals, {&info}, info);
  });
}

void AddBackups(CLI::App* admin, Globals& globals, Clients& clients) {
  auto service = std::make_shared<std::string>();
  CLI::App* list = admin->add_subcommand(
      "backups", "The backups of a service, oldest first (ADMIN only)");
  AddServiceOption(list, service.get());
  list->callback([&globals, &clients, service] {
    adv1::ListBackupsResponse response;
    if (!Run(globals, [&] {
          return clients.admin(*service).ListBackups(
              clients.Context().get(), adv1::ListBackupsRequest(), &response);
        })) {
      return;
    }
    std::vector<const adv1::BackupInfo*> backups;
    for (const adv1::BackupInfo& b : response.backups()) backups.push_back(&b);
    PrintBackups(globals, backups, response);
  });
}

void AddVerifyBackup(CLI::App* admin, Globals& globals, Clients& clients) {
  struct Flags {
    std::string service;
    std::optional<uint32_t> id;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* verify = admin->add_subcommand(
      "verify-backup",
      "Read every file of a backup and check its size and checksum (ADMIN "
      "only)");
  verify->footer(
      "Without an id, the newest backup is checked (what a backup job runs "
      "after each backup). Exit code 4 when the backup is damaged, 3 when it "
      "is not there (or, without an id, when there is no backup at all).");
  AddServiceOption(verify, &f->service);
  verify->add_option("id", f->id,
                     "The backup's id (see `admin backups`; default: the "
                     "newest)");
  verify->callback([&globals, &clients, f] {
    adv1::VerifyBackupRequest request;
    if (f->id.has_value()) {
      request.set_backup_id(*f->id);
    } else {
      adv1::ListBackupsResponse listed;
      if (!Run(globals, [&] {
            return clients.admin(f->service)
                .ListBackups(clients.Context().get(),
                             adv1::ListBackupsRequest(), &listed);
          })) {
        return;
      }
      if (listed.backups().empty()) {
        std::cerr << "error: " << f->service << " has no backup to verify\n";
        globals.exit_code = kNotFound;
        return;
      }
      // Oldest first: the newest is the last.
      request.set_backup_id(listed.backups().rbegin()->backup_id());
    }
    const uint32_t id = request.backup_id();
    adv1::VerifyBackupResponse response;
    if (!Run(globals, [&] {
          return clients.admin(f->service)
              .VerifyBackup(clients.Context().get(), request, &response);
        })) {
      return;
    }
    if (globals.output == "json") {
      std::cout << ToJson(response, /*with_defaults=*/true) << "\n";
    } else if (globals.output == "csv") {
      Table table({ValueColumn("backup_id"), ValueColumn("intact"), "problem"});
      table.AddRow(
          {absl::StrCat(id), BoolName(response.intact()), response.problem()});
      table.PrintCsv(std::cout);
    } else if (response.intact()) {
      std::cout << f->service << " backup " << id << ": intact\n";
    } else {
      std::cout << f->service << " backup " << id
                << ": DAMAGED: " << response.problem() << "\n";
    }
    if (!response.intact()) globals.exit_code = kRejected;
  });
}

void AddDeleteBackup(CLI::App* admin, Globals& globals, Clients& clients) {
  struct Flags {
    std::string service;
    uint32_t id = 0;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* remove = admin->add_subcommand(
      "delete-backup",
      "Delete one backup and the files no other backup shares (ADMIN only)");
  AddServiceOption(remove, &f->service);
  remove->add_option("id", f->id, "The backup's id (see `admin backups`)")
      ->required();
  remove->callback([&globals, &clients, f] {
    adv1::DeleteBackupRequest request;
    request.set_backup_id(f->id);
    adv1::DeleteBackupResponse response;
    if (!Run(globals, [&] {
          return clients.admin(f->service)
              .DeleteBackup(clients.Context().get(), request, &response);
        })) {
      return;
    }
    if (globals.output == "table") {
      std::cout << "deleted " << f->service << " backup " << f->id << "\n";
    }
  });
}

// A refused or failed restore: its message on stderr, and the exit code —
// 2 when nothing was written because the command as given cannot run here
// (flags, a target that is not empty or is in use), 3 when the backup is not
// there, 1 otherwise (a damaged backup, an I/O error).
int ReportRestoreError(const absl::Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
      return kUsage;
    case absl::StatusCode::kNotFound:
      return kNotFound;
    default:
      return kServerError;
  }
}

void PrintRestore(const Globals& globals, const RestoreResult& r,
                  const std::string& db_path) {
  const adv1::BackupInfo& b = r.backup;
  if (globals.output == "json") {
    nlohmann::json out = {
        {"backup", nlohmann::json::parse(ToJson(b, /*with_defaults=*/true))},
        {"db_path", db_path},
        {"moved_aside", r.moved_aside},
        {"restored_audit_sequence", r.restored_audit.sequence},
        {"restored_audit_hash", r.restored_audit.hash}};
    if (r.audit_check.has_value()) {
      out["audit_check"] =
          nlohmann::json::parse(ToJson(*r.audit_check, /*with_defaults=*/true));
    }
    std::cout << out.dump() << "\n";
    return;
  }
  if (globals.output == "csv") {
    Table table({ValueColumn("backup_id"), ValueColumn("create_time"),
                 "db_path", "moved_aside",
                 ValueColumn("restored_audit_sequence"), "restored_audit_hash",
                 "audit_intact", "audit_problem"});
    table.AddRow(
        {absl::StrCat(b.backup_id()), CreateTime(b, "%Y-%m-%dT%H:%M:%SZ"),
         db_path, r.moved_aside, absl::StrCat(r.restored_audit.sequence),
         r.restored_audit.hash,
         r.audit_check.has_value() ? BoolName(r.audit_check->intact()) : "",
         r.audit_check.has_value() ? r.audit_check->problem() : ""});
    table.PrintCsv(std::cout);
    return;
  }
  std::cout << "restored backup " << b.backup_id() << " (taken "
            << CreateTime(b) << " UTC, " << b.number_files() << " files, "
            << b.size_bytes() << " bytes) into " << db_path << "\n";
  if (!r.moved_aside.empty()) {
    std::cout << "the old contents are in " << r.moved_aside
              << ": delete them once the restored service is fine\n";
  }
  std::cout << "audit chain head of the restored store: sequence "
            << r.restored_audit.sequence << ", hash " << r.restored_audit.hash
            << "\n"
            << "(the backup began at sequence " << b.last_audit_sequence()
            << "; run `anttctl audit verify` once the service is up)\n";
  if (r.audit_check.has_value()) {
    const audit::v1::VerifyAuditChainResponse& check = *r.audit_check;
    if (check.intact()) {
      std::cout << "audit chain of the restored store: intact through the "
                   "backup's head ("
                << check.records_checked() << " records checked)\n";
    } else {
      std::cout << "audit chain of the restored store: BROKEN at sequence "
                << check.first_broken_sequence() << ": " << check.problem()
                << "\n";
    }
  }
}

void AddRestore(CLI::App* admin, Globals& globals) {
  struct Flags {
    std::string backup_dir;
    std::string db_path;
    std::optional<uint32_t> backup_id;
    bool force = false;
    bool verify_audit = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* restore = admin->add_subcommand(
      "restore",
      "Restore a backup into a stopped service's database directory (runs "
      "on the store's files, not over gRPC)");
  restore->footer(
      "Stop the service first: a directory a running server holds (its "
      "RocksDB LOCK) is refused. The backup is verified (every file's "
      "checksum) before anything is written. Exit codes: 0 restored; 2 "
      "refused, nothing written (flags, a target that is not empty without "
      "--force, a target in use); 3 no such backup; 1 the restore failed (a "
      "damaged backup, an I/O error; a half-restored target is emptied "
      "again); 4 restored, but --verify-audit found the audit chain broken.");
  restore
      ->add_option("--backup-dir", f->backup_dir, "The service's --backup_dir")
      ->required();
  restore
      ->add_option("--db-path", f->db_path,
                   "The service's --db_path: empty or absent, or see "
                   "--force")
      ->required();
  restore->add_option("--backup-id", f->backup_id,
                      "The backup to restore (default: the latest)");
  restore->add_flag("--force", f->force,
                    "Restore although --db-path is not empty: its contents "
                    "are moved aside to DB_PATH.before-restore-TIME, never "
                    "deleted");
  restore->add_flag("--verify-audit", f->verify_audit,
                    "Then walk the restored store's whole audit chain, which "
                    "must pass through the head the backup recorded (a "
                    "restore drill)");
  restore->callback([&globals, f] {
    RestoreRequest request;
    request.backup_dir = f->backup_dir;
    request.db_path = f->db_path;
    request.backup_id = f->backup_id;
    request.force = f->force;
    request.verify_audit = f->verify_audit;
    absl::StatusOr<RestoreResult> result = RestoreBackup(request);
    if (!result.ok()) {
      globals.exit_code = ReportRestoreError(result.status());
      return;
    }
    PrintRestore(globals, *result, f->db_path);
    if (result->audit_check.has_value() && !result->audit_check->intact()) {
      globals.exit_code = kRejected;
    }
  });
}

}  // namespace

void AddAdminCommands(CLI::App& app, Globals& globals, Clients& clients) {
  CLI::App* admin = app.add_subcommand(
      "admin", "Backups of a service's store, and restoring one");
  admin->require_subcommand(1);
  AddBackup(admin, globals, clients);
  AddBackups(admin, globals, clients);
  AddVerifyBackup(admin, globals, clients);
  AddDeleteBackup(admin, globals, clients);
  AddRestore(admin, globals);
}

}  // namespace antt::cli
