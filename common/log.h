#ifndef ANTT_COMMON_LOG_H_
#define ANTT_COMMON_LOG_H_

// JSON-lines logging: one object per line on stderr, with "time", "level",
// "msg" and whatever fields the caller adds. Thread-safe; a line is written
// with one call so lines never interleave. Never log tokens or keys.

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace antt {

enum class LogLevel { kInfo, kWarning, kError };

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

// Where lines go; for tests. nullptr restores stderr.
void SetLogSinkForTesting(std::FILE* sink);

}  // namespace antt

#endif  // ANTT_COMMON_LOG_H_
