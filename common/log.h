#ifndef ANTT_COMMON_LOG_H_
#define ANTT_COMMON_LOG_H_

// JSON-lines logging: one object per line on stderr, with "time", "level",
// "msg" and whatever fields the caller adds. Never log tokens or keys.
//
// Lines never make their caller wait for stderr: each is appended to a
// buffer in memory and a background thread writes the buffer out in one
// write(2) every few milliseconds, or at once for a warning or an error.
// Lines are never interleaved or reordered. When the buffer holds more than
// kMaxPendingLogBytes (stderr is blocked or far too slow), further lines are
// dropped and counted, and the writer says how many it dropped as soon as it
// can write again. FlushLog() waits until everything logged so far is
// written; it runs at process exit.

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace antt {

enum class LogLevel { kInfo, kWarning, kError };

// Lines waiting to be written beyond which new lines are dropped.
inline constexpr size_t kMaxPendingLogBytes = 8 << 20;

void Log(LogLevel level, absl::string_view msg,
         nlohmann::json fields = nlohmann::json::object());

inline void LogInfo(absl::string_view msg,
                    nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kInfo, msg, std::move(fields));
}
inline void LogWarning(absl::string_view msg,
                       nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kWarning, msg, std::move(fields));
}
inline void LogError(absl::string_view msg,
                     nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kError, msg, std::move(fields));
}

// One log line built field by field without a JSON document in between: the
// per-call line, written for every call a server answers. Emit() hands it to
// the writer; a line is emitted at most once.
class LogLine final {
 public:
  LogLine(LogLevel level, absl::string_view msg);
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  LogLine& Add(absl::string_view key, absl::string_view value);
  LogLine& Add(absl::string_view key, const char* value) {
    return Add(key, absl::string_view(value));
  }
  LogLine& Add(absl::string_view key, int64_t value);
  LogLine& Add(absl::string_view key, int value) {
    return Add(key, static_cast<int64_t>(value));
  }
  LogLine& Add(absl::string_view key, double value);

  // Hands the line to the writer. Once only; later calls do nothing.
  void Emit();
  // The finished line with its newline, instead of emitting it.
  [[nodiscard]] std::string Build() &&;

 private:
  void Key(absl::string_view key);
  void Close();

  const LogLevel level_;
  std::string text_;
  bool emitted_ = false;
};

// Blocks until every line logged before the call is written.
void FlushLog();

// Where lines go; for tests. nullptr restores stderr. Flushes first.
void SetLogSinkForTesting(std::FILE* sink);

// Appends `value` to `out` as a JSON string (quotes included); bytes that are
// not valid UTF-8 become U+FFFD, so a line always parses.
void AppendJsonString(std::string* out, absl::string_view value);

}  // namespace antt

#endif  // ANTT_COMMON_LOG_H_
