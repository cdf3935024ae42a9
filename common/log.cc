#include "common/log.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace antt {
namespace {

// How long the writer lets lines gather before one write, unless a warning,
// an error or a flush asks for them at once.
constexpr absl::Duration kBatchDelay = absl::Milliseconds(10);

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

// "2026-12-03T07:33:23.123456Z". Formatting the date is the slow part, so
// each thread keeps the text of the second it last formatted.
void AppendTime(std::string* out, absl::Time now) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached_text;  // "2026-12-03T07:33:23"
  const int64_t micros = absl::ToUnixMicros(now);
  const int64_t second = micros >= 0 ? micros / 1000000 : -1;
  if (second != cached_second) {
    cached_second = second;
    cached_text =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S", now, absl::UTCTimeZone());
  }
  char fraction[9];
  std::snprintf(fraction, sizeof(fraction), ".%06d",
                static_cast<int>(micros - second * 1000000));
  absl::StrAppend(out, cached_text, fraction, "Z");
}

// The length of the valid UTF-8 sequence starting `text`, or 0 when the
// bytes there are not one (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF).
size_t Utf8SequenceLength(absl::string_view text) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // bounds of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

// The background writer: one per process, never destroyed, so lines logged
// while the process exits are still written.
class LogWriter final {
 public:
  static LogWriter& Get() {
    static LogWriter* const writer = new LogWriter();
    return *writer;
  }

  void Append(absl::string_view line, bool urgent) {
    absl::MutexLock lock(&mu_);
    if (pending_.size() + line.size() > kMaxPendingLogBytes) {
      ++dropped_;
      return;
    }
    pending_.append(line.data(), line.size());
    ++appended_;
    if (urgent) urgent_ = true;
  }

  void Flush() {
    absl::MutexLock lock(&mu_);
    const uint64_t target = appended_;
    urgent_ = true;
    auto written = [this, target]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return written_ >= target;
    };
    mu_.Await(absl::Condition(&written));
  }

  void SetSink(std::FILE* sink) {
    Flush();
    absl::MutexLock lock(&mu_);
    sink_ = sink;
  }

 private:
  LogWriter() {
    std::thread([this] { Run(); }).detach();
    std::atexit([] { LogWriter::Get().Flush(); });
  }

  void Run() {
    std::string batch;
    while (true) {
      uint64_t upto = 0;
      uint64_t dropped = 0;
      std::FILE* out = nullptr;
      {
        absl::MutexLock lock(&mu_);
        auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return !pending_.empty() || dropped_ > 0 || written_ < appended_;
        };
        mu_.Await(absl::Condition(&work));
        // Let more lines gather, unless someone wants them out now.
        mu_.AwaitWithTimeout(absl::Condition(&urgent_), kBatchDelay);
        batch.swap(pending_);
        pending_.clear();
        urgent_ = false;
        upto = appended_;
        dropped = dropped_;
        dropped_ = 0;
        out = sink_ != nullptr ? sink_ : stderr;
      }
      if (dropped > 0) {
        LogLine line(LogLevel::kWarning,
                     "log lines dropped: stderr did not keep up");
        line.Add("dropped", static_cast<int64_t>(dropped));
        // Written directly: the buffer is what overflowed.
        batch.append(std::move(line).Build());
      }
      if (!batch.empty()) {
        std::fwrite(batch.data(), 1, batch.size(), out);
        std::fflush(out);
      }
      batch.clear();
      if (batch.capacity() > (1 << 20)) batch.shrink_to_fit();
      absl::MutexLock lock(&mu_);
      written_ = upto;
    }
  }

  absl::Mutex mu_;
  std::string pending_ ABSL_GUARDED_BY(mu_);
  uint64_t appended_ ABSL_GUARDED_BY(mu_) = 0;  // lines accepted
  uint64_t written_ ABSL_GUARDED_BY(mu_) = 0;   // lines written out
  uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;   // lines refused, not reported
  bool urgent_ ABSL_GUARDED_BY(mu_) = false;
  std::FILE* sink_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace

void AppendJsonString(std::string* out, absl::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < value.size()) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(value.substr(i));
      if (length == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD for the byte that is not UTF-8
        ++i;
      } else {
        out->append(value.data() + i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

LogLine::LogLine(LogLevel level, absl::string_view msg) : level_(level) {
  text_.reserve(256);
  text_.append("{\"time\":\"");
  AppendTime(&text_, absl::Now());
  text_.append("\",\"level\":\"");
  text_.append(LevelName(level));
  text_.append("\",\"msg\":");
  AppendJsonString(&text_, msg);
}

void LogLine::Key(absl::string_view key) {
  text_.push_back(',');
  AppendJsonString(&text_, key);
  text_.push_back(':');
}

LogLine& LogLine::Add(absl::string_view key, absl::string_view value) {
  Key(key);
  AppendJsonString(&text_, value);
  return *this;
}

LogLine& LogLine::Add(absl::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&text_, value);
  return *this;
}

LogLine& LogLine::Add(absl::string_view key, double value) {
  Key(key);
  // JSON has no NaN or infinity.
  if (value != value || value > 1e300 || value < -1e300) {
    text_.append("null");
  } else {
    absl::StrAppend(&text_, value);
  }
  return *this;
}

void LogLine::Close() {
  if (text_.empty() || text_.back() != '\n') text_.append("}\n");
}

std::string LogLine::Build() && {
  Close();
  emitted_ = true;
  return std::move(text_);
}

void LogLine::Emit() {
  if (emitted_) return;
  emitted_ = true;
  Close();
  LogWriter::Get().Append(text_, level_ != LogLevel::kInfo);
}

void Log(LogLevel level, absl::string_view msg, nlohmann::json fields) {
  nlohmann::json line = nlohmann::json::object();
  std::string time;
  AppendTime(&time, absl::Now());
  line["time"] = std::move(time);
  line["level"] = LevelName(level);
  line["msg"] = std::string(msg);
  if (fields.is_object()) {
    for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  }
  // Replace invalid UTF-8 rather than throw: a log line must never fail.
  std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  // Lines other than the per-call ones are rare and often the last words
  // before trouble: out at once.
  LogWriter::Get().Append(text, /*urgent=*/true);
}

void FlushLog() { LogWriter::Get().Flush(); }

void SetLogSinkForTesting(std::FILE* sink) { LogWriter::Get().SetSink(sink); }

}  // namespace antt
