#ifndef ANTT_COMMON_DATE_H_
#define ANTT_COMMON_DATE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace antt {

// True when all three parts are zero: "no date given".
[[nodiscard]] bool IsEmptyDate(const google::type::Date& date);

// OK for a real calendar date with year in [1900, 2200]. The error message
// says what is wrong; callers wrap it into a field violation.
[[nodiscard]] absl::Status CheckDate(const google::type::Date& date);

// -1, 0, 1 like strcmp; both dates must be valid.
[[nodiscard]] int CompareDates(const google::type::Date& a,
                               const google::type::Date& b);

[[nodiscard]] google::type::Date MakeDate(int year, int month, int day);

// "2019-11-15".
[[nodiscard]] std::string FormatDate(const google::type::Date& date);

[[nodiscard]] google::protobuf::Timestamp ToTimestamp(absl::Time time);

}  // namespace antt

#endif  // ANTT_COMMON_DATE_H_
