#ifndef ANTT_CLI_AUDIT_COMMANDS_H_
#define ANTT_CLI_AUDIT_COMMANDS_H_

#include "cli/cli.h"

namespace antt::cli {

// anttctl audit list|verify --service registry|scoring|awards
void AddAuditCommands(CLI::App& app, Globals& globals, Clients& clients);

}  // namespace antt::cli

#endif  // ANTT_CLI_AUDIT_COMMANDS_H_
