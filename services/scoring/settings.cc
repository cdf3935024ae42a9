#include "services/scoring/settings.h"

#include <fstream>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/date.h"
#include "nlohmann/json.hpp"

namespace antt::scoring {
namespace {

using json = nlohmann::json;

// Days of `month` in a common year: a deadline must exist every year.
int DaysInMonth(int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return kDays[month - 1];
}

bool Before(const MonthDay& a, const MonthDay& b) {
  return a.month < b.month || (a.month == b.month && a.day < b.day);
}

absl::CivilDay DayOf(int year, const MonthDay& md) {
  return absl::CivilDay(year, md.month, md.day);
}

// The first `md` on or after the end of the assessment year `year`.
absl::CivilDay OnOrAfterEnd(const ScoringSettings& s, int year,
                            const MonthDay& md) {
  return DayOf(Before(md, s.year_end) ? year + 1 : year, md);
}

google::type::Date ToDate(absl::CivilDay day) {
  return MakeDate(static_cast<int>(day.year()), day.month(), day.day());
}

absl::Status ReadMonthDay(const json& root, const char* key, MonthDay* out) {
  auto it = root.find(key);
  if (it == root.end()) return absl::OkStatus();
  if (!it->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": must be an object {\"month\": m, \"day\": d}"));
  }
  for (const auto& [name, unused] : it->items()) {
    if (name != "month" && name != "day") {
      return absl::InvalidArgumentError(
          absl::StrCat(key, ": unknown key \"", name, "\""));
    }
  }
  for (const char* part : {"month", "day"}) {
    auto p = it->find(part);
    if (p == it->end() || !p->is_number_integer()) {
      return absl::InvalidArgumentError(
          absl::StrCat(key, ".", part, ": must be an integer"));
    }
  }
  const int64_t month = (*it)["month"].get<int64_t>();
  const int64_t day = (*it)["day"].get<int64_t>();
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, ".month: ", month, " is not between 1 and 12"));
  }
  if (day < 1 || day > DaysInMonth(static_cast<int>(month))) {
    return absl::InvalidArgumentError(absl::StrCat(key, ".day: ", day,
                                                   " is not a day of month ",
                                                   month, " in every year"));
  }
  out->month = static_cast<int>(month);
  out->day = static_cast<int>(day);
  return absl::OkStatus();
}

absl::Status Parse(const json& root, ScoringSettings* s) {
  if (!root.is_object()) {
    return absl::InvalidArgumentError("the top level is not an object");
  }
  static const std::set<std::string> kKeys = {"notes",
                                              "assessment_year_start",
                                              "assessment_year_end",
                                              "submission_deadline",
                                              "classification_deadline",
                                              "target_rate",
                                              "utc_offset_hours"};
  for (const auto& [name, unused] : root.items()) {
    if (kKeys.count(name) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown key \"", name, "\""));
    }
  }
  if (auto it = root.find("notes"); it != root.end()) {
    if (!it->is_array()) {
      return absl::InvalidArgumentError("notes: must be a list of strings");
    }
    for (const json& note : *it) {
      if (!note.is_string()) {
        return absl::InvalidArgumentError("notes: must be a list of strings");
      }
    }
  }
  if (absl::Status st =
          ReadMonthDay(root, "assessment_year_start", &s->year_start);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = ReadMonthDay(root, "assessment_year_end", &s->year_end);
      !st.ok()) {
    return st;
  }
  if (absl::Status st =
          ReadMonthDay(root, "submission_deadline", &s->submission_deadline);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = ReadMonthDay(root, "classification_deadline",
                                     &s->classification_deadline);
      !st.ok()) {
    return st;
  }
  if (auto it = root.find("target_rate"); it != root.end()) {
    if (!it->is_number()) {
      return absl::InvalidArgumentError("target_rate: must be a number");
    }
    const double rate = it->get<double>();
    if (!(rate > 0 && rate <= 1)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "target_rate: ", rate, " is not a fraction in (0, 1] (0.95 = 95 %)"));
    }
    s->target_rate = rate;
  }
  if (auto it = root.find("utc_offset_hours"); it != root.end()) {
    if (!it->is_number_integer()) {
      return absl::InvalidArgumentError("utc_offset_hours: must be an integer");
    }
    const int64_t hours = it->get<int64_t>();
    if (hours < -12 || hours > 14) {
      return absl::InvalidArgumentError(absl::StrCat(
          "utc_offset_hours: ", hours, " is not between -12 and 14"));
    }
    s->utc_offset_hours = static_cast<int>(hours);
  }
  return absl::OkStatus();
}

}  // namespace

absl::CivilDay ScoringSettings::WindowStart(int year) const {
  return DayOf(Before(year_end, year_start) ? year - 1 : year, year_start);
}

absl::CivilDay ScoringSettings::WindowEnd(int year) const {
  return DayOf(year, year_end);
}

int ScoringSettings::AssessmentYearOf(absl::CivilDay day) const {
  const int year = static_cast<int>(day.year());
  return day <= WindowEnd(year) ? year : year + 1;
}

int ScoringSettings::AssessmentYearOf(const google::type::Date& date) const {
  return AssessmentYearOf(
      absl::CivilDay(date.year(), date.month(), date.day()));
}

google::type::Date ScoringSettings::WindowStartDate(int year) const {
  return ToDate(WindowStart(year));
}

google::type::Date ScoringSettings::WindowEndDate(int year) const {
  return ToDate(WindowEnd(year));
}

bool ScoringSettings::InWindow(const google::type::Date& date, int year) const {
  return CompareDates(date, WindowStartDate(year)) >= 0 &&
         CompareDates(date, WindowEndDate(year)) <= 0;
}

absl::CivilDay ScoringSettings::SubmissionDeadline(int year) const {
  return OnOrAfterEnd(*this, year, submission_deadline);
}

absl::CivilDay ScoringSettings::ClassificationDeadline(int year) const {
  return OnOrAfterEnd(*this, year, classification_deadline);
}

absl::TimeZone ScoringSettings::LocalZone() const {
  return absl::FixedTimeZone(utc_offset_hours * 3600);
}

bool ScoringSettings::IsLate(absl::Time submit_time, int year) const {
  const absl::Time first_late_instant =
      absl::FromCivil(SubmissionDeadline(year) + 1, LocalZone());
  return submit_time >= first_late_instant;
}

absl::StatusOr<ScoringSettings> LoadScoringSettings(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  const json root = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not valid JSON"));
  }
  ScoringSettings settings;
  if (absl::Status s = Parse(root, &settings); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", s.message()));
  }
  settings.source_file = path;
  return settings;
}

}  // namespace antt::scoring
