#ifndef ANTT_TESTS_TESTING_PROCESS_H_
#define ANTT_TESTS_TESTING_PROCESS_H_

// Runs a real server binary as a child process, for end-to-end tests that
// kill and restart it.

#include <string>
#include <vector>

namespace antt::testing {

// The port a server started with --listen=127.0.0.1:0 bound, read from the
// "port" of its JSON "listening" log line in `log_path`; 0 when none appears
// within `timeout_seconds`.
int WaitForListeningPort(const std::string& log_path, int timeout_seconds = 20);

// The directory holding the built binaries: $ANTT_BIN_DIR, set by CTest.
std::string BinDir();

class ChildProcess final {
 public:
  // Starts `binary` with `args`; stdout and stderr go to `log_path`.
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::string& log_path);
  ~ChildProcess();  // SIGKILLs a child still running

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] int pid() const { return pid_; }
  // Sends `signal` and waits for the exit; returns the exit code, or 128 +
  // signal number when killed by a signal, or -1 when it did not exit within
  // `timeout_seconds`.
  int Stop(int signal, int timeout_seconds = 30);
  // Waits, without signalling, for the child to exit by itself; same result
  // as Stop.
  int WaitExit(int timeout_seconds);

 private:
  int pid_ = -1;
};

}  // namespace antt::testing

#endif  // ANTT_TESTS_TESTING_PROCESS_H_
