#ifndef ANTT_CLI_ADMIN_COMMANDS_H_
#define ANTT_CLI_ADMIN_COMMANDS_H_

#include "cli/cli.h"

namespace antt::cli {

// anttctl admin backup|backups|verify-backup|delete-backup --service NAME
// (AdminService of a running server) and anttctl admin restore (offline, on
// the store's own files: this is why anttctl links RocksDB).
void AddAdminCommands(CLI::App& app, Globals& globals, Clients& clients);

}  // namespace antt::cli

#endif  // ANTT_CLI_ADMIN_COMMANDS_H_
