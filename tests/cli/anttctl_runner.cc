#include "tests/cli/anttctl_runner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/process.h"

extern char** environ;

namespace antt::cli {

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  return os << "exit " << o.exit_code << "\n--- stdout\n"
            << o.out << "--- stderr\n"
            << o.err;
}

Outcome RunAnttctl(const std::vector<std::string>& args,
                   const std::vector<std::string>& env,
                   const std::string& dir) {
  static std::atomic<int> runs{0};
  std::vector<std::string> all = {antt::testing::BinDir() + "/anttctl"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> variables;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!absl::StartsWith(*e, "ANTT_")) variables.emplace_back(*e);
  }
  variables.insert(variables.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (std::string& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);

  const int run = ++runs;
  const std::string out = absl::StrCat(dir, "/run-", run, ".out");
  const std::string err = absl::StrCat(dir, "/run-", run, ".err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  Outcome outcome;
  if (spawned != 0) {
    ADD_FAILURE() << "cannot start " << argv[0];
    return outcome;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.out = antt::testing::ReadFile(out);
  outcome.err = antt::testing::ReadFile(err);
  return outcome;
}

}  // namespace antt::cli
