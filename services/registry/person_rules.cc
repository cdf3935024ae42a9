#include "services/registry/person_rules.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/date.h"
#include "common/field_mask.h"
#include "common/field_violations.h"

namespace antt::registry {
namespace {

const FieldNames& SettablePaths() {
  static const auto* paths = new FieldNames{"full_name",
                                            "gender",
                                            "birth_year",
                                            "unit_id",
                                            "positions",
                                            "status",
                                            "holds_police_service_medal"};
  return *paths;
}

void CheckDateField(const google::type::Date& date, bool required,
                    absl::CivilDay today, const std::string& field,
                    FieldViolations* v) {
  if (IsEmptyDate(date)) {
    if (required) v->Add(field, "is required");
    return;
  }
  if (absl::Status s = CheckDate(date); !s.ok()) {
    v->Add(field, std::string(s.message()));
    return;
  }
  if (absl::CivilDay(date.year(), date.month(), date.day()) > today) {
    v->Add(field, "must not be in the future");
  }
}

}  // namespace

absl::Status NormalizeAndValidatePerson(v1::Person* person,
                                        absl::CivilDay today,
                                        absl::string_view prefix) {
  FieldViolations v;
  const auto f = [&](absl::string_view field) {
    return absl::StrCat(prefix, ".", field);
  };
  CheckText(person->mutable_full_name(), f("full_name"), 1, 300, &v);
  if (person->gender() != v1::GENDER_MALE &&
      person->gender() != v1::GENDER_FEMALE) {
    v.Add(f("gender"), "is required: GENDER_MALE or GENDER_FEMALE");
  }
  if (person->birth_year() < 1900 || person->birth_year() > today.year()) {
    v.Add(f("birth_year"),
          absl::StrCat("must be between 1900 and ", today.year()));
  }
  if (!v1::PersonStatus_IsValid(person->status())) {
    v.Add(f("status"), absl::StrCat("unknown value ", person->status()));
  }
  if (person->positions_size() > kMaxPositions) {
    v.Add(f("positions"), absl::StrCat("has ", person->positions_size(),
                                       " positions; a person may have at most ",
                                       kMaxPositions));
  }
  for (int i = 0; i < std::min(person->positions_size(), kMaxPositions); ++i) {
    v1::Position* position = person->mutable_positions(i);
    const std::string p = absl::StrCat(prefix, ".positions[", i, "]");
    CheckText(position->mutable_title(), absl::StrCat(p, ".title"), 1, 200, &v);
    if (position->role() == v1::POSITION_ROLE_UNSPECIFIED ||
        !v1::PositionRole_IsValid(position->role())) {
      v.Add(absl::StrCat(p, ".role"),
            "is required: POSITION_ROLE_LEADER, POSITION_ROLE_PROTECTION_TEAM, "
            "POSITION_ROLE_STAFF or POSITION_ROLE_OTHER");
    }
    if (position->unit_id().empty()) {
      v.Add(absl::StrCat(p, ".unit_id"), "is required");
    }
    CheckDateField(position->start_date(), /*required=*/true, today,
                   absl::StrCat(p, ".start_date"), &v);
    CheckDateField(position->end_date(), /*required=*/false, today,
                   absl::StrCat(p, ".end_date"), &v);
    if (!IsEmptyDate(position->end_date()) &&
        CheckDate(position->start_date()).ok() &&
        CheckDate(position->end_date()).ok() &&
        CompareDates(position->end_date(), position->start_date()) < 0) {
      v.Add(absl::StrCat(p, ".end_date"), "is before start_date");
    }
    if (IsEmptyDate(position->end_date())) position->clear_end_date();
  }
  return v.ToStatus();
}

void ClearOutputOnlyFields(v1::Person* person) {
  person->clear_id();
  person->clear_create_time();
  person->clear_update_time();
  person->clear_etag();
}

absl::Status ApplyPersonMask(const v1::Person& from,
                             const google::protobuf::FieldMask& mask,
                             v1::Person* to) {
  return ApplyFieldMask(from, mask, SettablePaths(), to);
}

}  // namespace antt::registry
