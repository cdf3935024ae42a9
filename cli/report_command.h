#ifndef ANTT_CLI_REPORT_COMMAND_H_
#define ANTT_CLI_REPORT_COMMAND_H_

#include "cli/cli.h"

namespace antt::cli {

// anttctl report: the review report of an area over a period, as one
// self-contained HTML file (see cli/report.h), from the registry, scoring and,
// with --campaign, awards.
void AddReportCommand(CLI::App& app, Globals& globals, Clients& clients);

}  // namespace antt::cli

#endif  // ANTT_CLI_REPORT_COMMAND_H_
