#include "common/date.h"

#include <tuple>

#include "absl/strings/str_format.h"

namespace antt {

bool IsEmptyDate(const google::type::Date& date) {
  return date.year() == 0 && date.month() == 0 && date.day() == 0;
}

absl::Status CheckDate(const google::type::Date& date) {
  if (date.year() < 1900 || date.year() > 2200) {
    return absl::InvalidArgumentError("year must be between 1900 and 2200");
  }
  if (date.month() < 1 || date.month() > 12) {
    return absl::InvalidArgumentError("month must be between 1 and 12");
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.day() < 1 || day.day() != date.day() ||
      day.month() != date.month()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is not a calendar date", FormatDate(date)));
  }
  return absl::OkStatus();
}

int CompareDates(const google::type::Date& a, const google::type::Date& b) {
  const auto ka = std::make_tuple(a.year(), a.month(), a.day());
  const auto kb = std::make_tuple(b.year(), b.month(), b.day());
  return ka < kb ? -1 : (kb < ka ? 1 : 0);
}

google::type::Date MakeDate(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::string FormatDate(const google::type::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp ts;
  // ToUnixSeconds rounds toward negative infinity, so nanos is always in
  // [0, 1e9) as Timestamp requires, also before the epoch.
  const int64_t seconds = absl::ToUnixSeconds(time);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return ts;
}

}  // namespace antt
