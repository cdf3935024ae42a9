#include "common/log.h"

#include <cstdio>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace antt {
namespace {

absl::Mutex sink_mu(absl::kConstInit);
std::FILE* sink ABSL_GUARDED_BY(sink_mu) = nullptr;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void Log(LogLevel level, absl::string_view msg, nlohmann::json fields) {
  nlohmann::json line = nlohmann::json::object();
  line["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                  absl::UTCTimeZone());
  line["level"] = LevelName(level);
  line["msg"] = std::string(msg);
  if (fields.is_object()) {
    for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  }
  // Replace invalid UTF-8 rather than throw: a log line must never fail.
  std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  absl::MutexLock lock(&sink_mu);
  std::FILE* out = sink != nullptr ? sink : stderr;
  std::fwrite(text.data(), 1, text.size(), out);
  std::fflush(out);
}

void SetLogSinkForTesting(std::FILE* new_sink) {
  absl::MutexLock lock(&sink_mu);
  sink = new_sink;
}

}  // namespace antt
