#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace antt::cli {
namespace {

constexpr absl::Duration kRedrawEvery = absl::Milliseconds(100);
constexpr absl::Duration kPlainEvery = absl::Seconds(5);
constexpr int kBarWidth = 24;

double Rate(int64_t count, absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

std::string Bar(int64_t done, int64_t total) {
  const int filled = static_cast<int>(std::min<int64_t>(
      kBarWidth, done * kBarWidth / std::max<int64_t>(1, total)));
  return absl::StrCat("[", std::string(filled, '#'),
                      std::string(kBarWidth - filled, '-'), "]");
}

}  // namespace

std::string FormatEta(absl::Duration duration) {
  const int64_t seconds = std::max<int64_t>(
      0, absl::ToInt64Seconds(absl::Ceil(duration, absl::Seconds(1))));
  if (seconds < 60) return absl::StrCat(seconds, "s");
  if (seconds < 3600) {
    return absl::StrFormat("%dm%02ds", seconds / 60, seconds % 60);
  }
  return absl::StrFormat("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
}

std::string FormatRate(double per_second) {
  if (per_second < 10) return absl::StrFormat("%.1f", per_second);
  return absl::StrFormat("%.0f", per_second);
}

Progress::Progress(std::string label, int64_t total, std::ostream& out,
                   bool terminal, Clock clock)
    : label_(std::move(label)),
      total_(total),
      out_(out),
      terminal_(terminal),
      clock_(std::move(clock)),
      start_(clock_()),
      last_draw_(start_) {
  next_report_ = total_ > 0 ? std::max<int64_t>(1, (total_ + 9) / 10) : 0;
}

Progress::Progress(std::string label, int64_t total, std::ostream& out,
                   bool terminal)
    : Progress(std::move(label), total, out, terminal,
               [] { return absl::Now(); }) {}

Progress::Progress(std::string label, int64_t total)
    : Progress(std::move(label), total, std::cerr, isatty(STDERR_FILENO) == 1) {
}

Progress::~Progress() { Finish(); }

int64_t Progress::done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return done_;
}

int64_t Progress::failed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}

void Progress::Add(int64_t ok, int64_t failed) {
  const absl::Time now = clock_();
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  done_ += ok + failed;
  failed_ += failed;
  MaybeDraw(now);
}

std::string Progress::StatusLine(absl::Duration elapsed) const {
  const double rate = Rate(done_, elapsed);
  std::string line = label_ + ": ";
  if (total_ > 0) {
    const int64_t percent = done_ * 100 / total_;
    absl::StrAppend(&line, terminal_ ? Bar(done_, total_) + " " : "", done_,
                    "/", total_, " (", percent, "%), ");
  } else {
    absl::StrAppend(&line, done_, " done, ");
  }
  absl::StrAppend(&line, failed_, " failed, ", FormatRate(rate), "/s");
  if (total_ > 0 && rate > 0 && done_ < total_) {
    const double remaining = static_cast<double>(total_ - done_) / rate;
    absl::StrAppend(&line, ", ETA ", FormatEta(absl::Seconds(remaining)));
  }
  return line;
}

void Progress::MaybeDraw(absl::Time now) {
  const absl::Duration elapsed = now - start_;
  if (terminal_) {
    const bool complete = total_ > 0 && done_ >= total_;
    if (drawn_ && now - last_draw_ < kRedrawEvery && !complete) return;
    out_ << "\r" << StatusLine(elapsed) << "\x1b[K" << std::flush;
    drawn_ = true;
    last_draw_ = now;
    return;
  }
  if (total_ > 0) {
    // One line per 10 % crossed; the last one is Finish's.
    if (done_ < next_report_ || done_ >= total_) return;
    const int64_t step = std::max<int64_t>(1, (total_ + 9) / 10);
    next_report_ = (done_ / step + 1) * step;
  } else {
    if (now - last_draw_ < kPlainEvery) return;
  }
  out_ << StatusLine(elapsed) << "\n" << std::flush;
  last_draw_ = now;
}

void Progress::Finish() {
  const absl::Time now = clock_();
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  const absl::Duration elapsed = now - start_;
  if (drawn_) out_ << "\r\x1b[K";
  out_ << absl::StrFormat("%s: %d done, %d failed in %.1f s (%s/s)\n", label_,
                          done_, failed_, absl::ToDoubleSeconds(elapsed),
                          FormatRate(Rate(done_, elapsed)))
       << std::flush;
}

}  // namespace antt::cli
