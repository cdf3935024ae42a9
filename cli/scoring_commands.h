#ifndef ANTT_CLI_SCORING_COMMANDS_H_
#define ANTT_CLI_SCORING_COMMANDS_H_

#include "cli/cli.h"

namespace antt::cli {

// anttctl criteria ..., anttctl assess ..., anttctl stats.
void AddScoringCommands(CLI::App& app, Globals& globals, Clients& clients);

}  // namespace antt::cli

#endif  // ANTT_CLI_SCORING_COMMANDS_H_
