#ifndef ANTT_CLI_AWARDS_COMMANDS_H_
#define ANTT_CLI_AWARDS_COMMANDS_H_

#include "cli/cli.h"

namespace antt::cli {

// anttctl awards ...
void AddAwardsCommands(CLI::App& app, Globals& globals, Clients& clients);

}  // namespace antt::cli

#endif  // ANTT_CLI_AWARDS_COMMANDS_H_
