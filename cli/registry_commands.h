#ifndef ANTT_CLI_REGISTRY_COMMANDS_H_
#define ANTT_CLI_REGISTRY_COMMANDS_H_

#include "cli/cli.h"

namespace antt::cli {

// anttctl units ... and anttctl areas ...
void AddRegistryCommands(CLI::App& app, Globals& globals, Clients& clients);

}  // namespace antt::cli

#endif  // ANTT_CLI_REGISTRY_COMMANDS_H_
