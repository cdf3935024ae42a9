#ifndef ANTT_SERVICES_SCORING_SETTINGS_H_
#define ANTT_SERVICES_SCORING_SETTINGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/type/date.pb.h"

namespace antt::scoring {

// A day of the year without a year, e.g. 15 November.
struct MonthDay {
  int month = 1;
  int day = 1;
};

// The calendar of the yearly assessment (SPEC section 2), loaded from
// data/scoring/settings.json so a province can change it without a rebuild.
// The defaults are the SPEC's. Immutable once loaded, so safe to share
// between threads.
struct ScoringSettings {
  // The assessment year `year` runs from year_start to year_end inclusive.
  // year_end falls in `year`; year_start falls in `year - 1` when it comes
  // after year_end in the calendar (16/11 .. 15/11), otherwise in `year`.
  MonthDay year_start{11, 16};
  MonthDay year_end{11, 15};
  // The first occurrence of each on or after the year's end date.
  MonthDay submission_deadline{11, 20};
  MonthDay classification_deadline{11, 30};
  // The share of in-scope units recognised that a group should exceed.
  double target_rate = 0.95;
  // The offset of local (Vietnam) time from UTC, for deadlines.
  int utc_offset_hours = 7;
  std::string source_file;  // empty for the built-in defaults

  // First and last day (inclusive) of the assessment year `year`.
  [[nodiscard]] absl::CivilDay WindowStart(int year) const;
  [[nodiscard]] absl::CivilDay WindowEnd(int year) const;
  [[nodiscard]] google::type::Date WindowStartDate(int year) const;
  [[nodiscard]] google::type::Date WindowEndDate(int year) const;
  // The assessment year a day belongs to: the first year whose window ends
  // on or after it (1 December 2018 belongs to 2019). The one definition of
  // "which year" for a unit's establishment and dissolution, in statistics
  // and in what may be assessed.
  [[nodiscard]] int AssessmentYearOf(absl::CivilDay day) const;
  // The same for a valid date (a unit's established or dissolve date).
  [[nodiscard]] int AssessmentYearOf(const google::type::Date& date) const;
  // True when `date` (a valid date) lies inside the window of `year`.
  [[nodiscard]] bool InWindow(const google::type::Date& date, int year) const;

  // The last day on which a submission for `year` is on time, and the day by
  // which the year's classification is due.
  [[nodiscard]] absl::CivilDay SubmissionDeadline(int year) const;
  [[nodiscard]] absl::CivilDay ClassificationDeadline(int year) const;

  // True when `submit_time` is after the end (24:00 local time) of the
  // submission deadline day of `year`. A late submission is still accepted,
  // only flagged.
  [[nodiscard]] bool IsLate(absl::Time submit_time, int year) const;

  // Local time: UTC + utc_offset_hours.
  [[nodiscard]] absl::TimeZone LocalZone() const;
};

// Reads and validates a settings file: every month/day a real day of every
// year (so not 29 February), 0 < target_rate <= 1, the UTC offset within
// -12..14 hours. Missing keys keep their defaults; unknown keys are an error
// (a typo must not silently fall back to a default). Errors name the file and
// the problem, e.g. "data/scoring/settings.json: submission_deadline.day: 31
// is not a day of month 11".
[[nodiscard]] absl::StatusOr<ScoringSettings> LoadScoringSettings(
    const std::string& path);

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_SETTINGS_H_
