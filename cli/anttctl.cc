// anttctl: the officers' command-line client of the ANTT services.
//
//   anttctl [--registry HOST:PORT] [--scoring HOST:PORT] [--awards HOST:PORT]
//           [--insecure | [--ca FILE] [--cert FILE --key FILE]]
//           [--token TOKEN] [-o table|json|csv] RESOURCE VERB ...
//
// Exit codes: 0 success; 1 a server or connection error; 2 a usage error;
// 3 not found; 4 the server rejected the input (the message names the field),
// or `audit verify` found the chain broken; 5 not allowed: no valid token
// (UNAUTHENTICATED) or the caller's role or area does not allow the call
// (PERMISSION_DENIED).

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/admin_commands.h"
#include "cli/audit_commands.h"
#include "cli/awards_commands.h"
#include "cli/cli.h"
#include "cli/registry_commands.h"
#include "cli/report_command.h"
#include "cli/scoring_commands.h"
#include "common/metrics.h"

int main(int argc, char** argv) {
  using antt::cli::EnvOr;
  antt::cli::Globals globals;
  globals.registry = EnvOr("ANTT_REGISTRY", "localhost:7001");
  globals.scoring = EnvOr("ANTT_SCORING", "localhost:7002");
  globals.awards = EnvOr("ANTT_AWARDS", "localhost:7003");
  globals.token = EnvOr("ANTT_TOKEN", "");
  globals.ca_file = EnvOr("ANTT_CA", "");
  globals.cert_file = EnvOr("ANTT_CERT", "");
  globals.key_file = EnvOr("ANTT_KEY", "");

  CLI::App app{"anttctl: the ANTT command-line client"};
  app.footer(
      "Exit codes: 0 success; 1 a server or connection error; 2 a usage "
      "error; 3 not found; 4 the server rejected the input, or `audit verify` "
      "found the chain broken; 5 not allowed (UNAUTHENTICATED: no valid "
      "token; PERMISSION_DENIED: the caller's role or area does not allow "
      "it).");
  // "anttctl 0.1.0 (revision 7e4cb80)": the CMake project version and the
  // git revision this binary was built from, as the servers' --version and
  // antt_build_info say theirs.
  const antt::BuildInfo build = antt::BuildInfo::Current("anttctl");
  const std::string version = absl::StrCat("anttctl ", build.version,
                                           " (revision ", build.revision, ")");
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  app.fallthrough();  // global flags may follow the subcommand
  app.add_option("--registry", globals.registry,
                 "Registry address (env ANTT_REGISTRY)")
      ->capture_default_str();
  app.add_option("--scoring", globals.scoring,
                 "Scoring address (env ANTT_SCORING)")
      ->capture_default_str();
  app.add_option("--awards", globals.awards, "Awards address (env ANTT_AWARDS)")
      ->capture_default_str();
  app.add_flag("--insecure", globals.insecure,
               "Plaintext, no authentication, no token sent (local demo "
               "only); not with --ca, --cert or --key");
  // Never capture_default_str(): --help must not print a token from the
  // environment.
  app.add_option("--token", globals.token,
                 "Bearer token sent with every call (env ANTT_TOKEN; prefer "
                 "the environment: a flag shows in the process list)");
  app.add_option("--ca", globals.ca_file,
                 "CA certificates (PEM) for TLS (env ANTT_CA; default: the "
                 "system's)");
  app.add_option("--cert", globals.cert_file,
                 "Client certificate (PEM) for mutual TLS, with --key (env "
                 "ANTT_CERT)");
  app.add_option("--key", globals.key_file,
                 "Private key (PEM) of --cert (env ANTT_KEY)");
  app.add_option("-o,--output", globals.output, "table | json | csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  app.add_option("--timeout", globals.timeout_seconds,
                 "Per-call deadline, seconds")
      ->capture_default_str();

  // Runs once every flag is parsed, before any command's callback.
  // `version` calls no service: a stale ANTT_CERT must not stop it.
  app.parse_complete_callback([&globals, &app] {
    if (!app.got_subcommand("version")) {
      antt::cli::CheckConnectionFlags(globals);
    }
  });

  antt::cli::Clients clients(globals);
  antt::cli::AddAdminCommands(app, globals, clients);
  antt::cli::AddAuditCommands(app, globals, clients);
  antt::cli::AddRegistryCommands(app, globals, clients);
  antt::cli::AddScoringCommands(app, globals, clients);
  antt::cli::AddAwardsCommands(app, globals, clients);
  antt::cli::AddReportCommand(app, globals, clients);
  app.add_subcommand("version", "Print anttctl's version and revision")
      ->callback([&version] { std::cout << version << "\n"; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if ((dynamic_cast<const CLI::RequiredError*>(&e) != nullptr ||
         dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) &&
        antt::cli::ExplainUnknownCommand(app, std::cerr)) {
      return antt::cli::kUsage;
    }
    const int code = app.exit(e);
    return code == 0 ? antt::cli::kOk : antt::cli::kUsage;
  }
  return globals.exit_code;
}
