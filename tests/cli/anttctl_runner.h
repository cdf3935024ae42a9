#ifndef ANTT_TESTS_CLI_ANTTCTL_RUNNER_H_
#define ANTT_TESTS_CLI_ANTTCTL_RUNNER_H_

// Runs the real anttctl binary and keeps what it printed, for the tests that
// drive it against real servers.

#include <ostream>
#include <string>
#include <vector>

namespace antt::cli {

// What a finished anttctl run left behind.
struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o);

// Runs $ANTT_BIN_DIR/anttctl with `args` and waits for it. Its environment
// is this process's without any ANTT_* variable (so a developer's own
// ANTT_TOKEN or ANTT_CA cannot change a test), plus `env` ("NAME=value").
// Its stdout and stderr go through files in `dir`.
Outcome RunAnttctl(const std::vector<std::string>& args,
                   const std::vector<std::string>& env, const std::string& dir);

}  // namespace antt::cli

#endif  // ANTT_TESTS_CLI_ANTTCTL_RUNNER_H_
