#ifndef ANTT_CLI_PROGRESS_H_
#define ANTT_CLI_PROGRESS_H_

// Progress of a bulk command (an import, a batch of nominations).

#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

#include "absl/time/time.h"

namespace antt::cli {

// Progress of a bulk command on `out` (stderr by default). On a terminal, a
// single line redrawn in place with "\r" (at most every 100 ms): a bar,
// done/total, failed, rate per second and ETA. Not on a terminal, a plain line
// at most every 10 % of the total (or every 5 s when the total is unknown), so
// logs stay readable. total <= 0 means unknown (no bar, no ETA).
//
// "done" counts every item handled, "failed" those among them that failed.
// Thread-safe: several workers may call Add at once.
class Progress final {
 public:
  using Clock = std::function<absl::Time()>;

  Progress(std::string label, int64_t total, std::ostream& out, bool terminal,
           Clock clock);
  Progress(std::string label, int64_t total, std::ostream& out, bool terminal);
  // std::cerr, terminal = isatty(STDERR_FILENO).
  Progress(std::string label, int64_t total);
  ~Progress();  // calls Finish

  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Records `ok` more items that succeeded and `failed` more that failed.
  void Add(int64_t ok, int64_t failed = 0);
  // The final line, "<label>: N done, M failed in S s (R/s)". Idempotent.
  void Finish();

  [[nodiscard]] int64_t done() const;
  [[nodiscard]] int64_t failed() const;

 private:
  // The state line shown while running; called with mu_ held.
  std::string StatusLine(absl::Duration elapsed) const;
  void MaybeDraw(absl::Time now);

  const std::string label_;
  const int64_t total_;
  std::ostream& out_;
  const bool terminal_;
  const Clock clock_;
  const absl::Time start_;

  mutable std::mutex mu_;
  int64_t done_ = 0;
  int64_t failed_ = 0;
  bool finished_ = false;
  bool drawn_ = false;       // a terminal line is on screen
  absl::Time last_draw_;     // when a line was last written
  int64_t next_report_ = 0;  // plain output: the count of the next line
};

// "4s", "1m05s", "2h03m": a duration for a human.
[[nodiscard]] std::string FormatEta(absl::Duration duration);
// "0.5", "12", "3400": a rate with one decimal below 10.
[[nodiscard]] std::string FormatRate(double per_second);

}  // namespace antt::cli

#endif  // ANTT_CLI_PROGRESS_H_
