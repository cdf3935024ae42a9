#include "services/registry/person_rules.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/date.h"
#include "common/field_violations.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::google::protobuf::FieldMask;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// A fixed "today", so the tests do not depend on the clock.
const absl::CivilDay kToday(2025, 6, 15);

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& [field, unused] : FieldViolationsOf(status)) {
    fields.push_back(field);
  }
  return fields;
}

v1::Position Leader() {
  v1::Position position;
  position.set_title("Trưởng ban bảo vệ");
  position.set_role(v1::POSITION_ROLE_LEADER);
  position.set_unit_id("u-000001");
  *position.mutable_start_date() = MakeDate(2010, 1, 1);
  return position;
}

v1::Person Person() {
  v1::Person person;
  person.set_full_name("Nguyễn Văn An");
  person.set_gender(v1::GENDER_MALE);
  person.set_birth_year(1980);
  person.set_unit_id("u-000001");
  *person.add_positions() = Leader();
  return person;
}

absl::Status Validate(v1::Person* person) {
  return NormalizeAndValidatePerson(person, kToday);
}

std::vector<std::string> Rejected(v1::Person person) {
  return Fields(Validate(&person));
}

TEST(PersonRulesTest, BasePersonIsValid) {
  v1::Person person = Person();
  EXPECT_OK(Validate(&person));
  v1::Person woman = Person();
  woman.set_gender(v1::GENDER_FEMALE);
  woman.clear_positions();
  EXPECT_OK(Validate(&woman));
}

TEST(PersonRulesTest, AtMost100Positions) {
  v1::Person person = Person();
  while (person.positions_size() < kMaxPositions) {
    *person.add_positions() = Leader();
  }
  EXPECT_OK(Validate(&person));
  person.add_positions();  // not looked into: the list itself is refused
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions"));
}

TEST(PersonRulesTest, FullNameIsRequired) {
  v1::Person person = Person();
  person.clear_full_name();
  const absl::Status status = Validate(&person);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(status), ElementsAre("person.full_name"));
  person.set_full_name("   ");
  EXPECT_THAT(Rejected(person), ElementsAre("person.full_name"));
}

TEST(PersonRulesTest, FullNameUpTo300Characters) {
  v1::Person person = Person();
  std::string name;
  for (int i = 0; i < 300; ++i) name += "ữ";
  person.set_full_name(name);
  EXPECT_OK(Validate(&person));
  person.set_full_name(name + "a");
  EXPECT_THAT(Rejected(person), ElementsAre("person.full_name"));
}

TEST(PersonRulesTest, FullNameIsStoredNfc) {
  v1::Person person = Person();
  // "Nguyễn" with ễ as e + U+0302 + U+0303.
  person.set_full_name(
      "Nguye\xCC\x82\xCC\x83"
      "n Thi\xCC\xA3 Hoa");
  ASSERT_OK(Validate(&person));
  EXPECT_EQ(person.full_name(), "Nguyễn Thị Hoa");
}

TEST(PersonRulesTest, FullNameWithControlCharacterIsRejected) {
  v1::Person person = Person();
  person.set_full_name("Nguyễn\tAn");
  EXPECT_THAT(Rejected(person), ElementsAre("person.full_name"));
}

TEST(PersonRulesTest, GenderIsRequired) {
  v1::Person person = Person();
  person.clear_gender();
  EXPECT_THAT(Rejected(person), ElementsAre("person.gender"));
  person.set_gender(static_cast<v1::Gender>(7));
  EXPECT_THAT(Rejected(person), ElementsAre("person.gender"));
}

TEST(PersonRulesTest, BirthYearFrom1900ToThisYear) {
  v1::Person person = Person();
  person.set_birth_year(1900);
  EXPECT_OK(Validate(&person));
  person.set_birth_year(2025);
  EXPECT_OK(Validate(&person));
  for (int year : {0, 1899, 2026, -1980}) {
    person.set_birth_year(year);
    EXPECT_THAT(Rejected(person), ElementsAre("person.birth_year")) << year;
  }
}

TEST(PersonRulesTest, UnknownStatusIsRejected) {
  v1::Person person = Person();
  person.set_status(v1::PERSON_STATUS_INACTIVE);
  EXPECT_OK(Validate(&person));
  person.set_status(static_cast<v1::PersonStatus>(9));
  EXPECT_THAT(Rejected(person), ElementsAre("person.status"));
}

TEST(PersonRulesTest, PositionTitleIsRequired) {
  v1::Person person = Person();
  person.mutable_positions(0)->clear_title();
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].title"));
}

TEST(PersonRulesTest, PositionTitleUpTo200Characters) {
  v1::Person person = Person();
  std::string title;
  for (int i = 0; i < 200; ++i) title += "ờ";
  person.mutable_positions(0)->set_title(title);
  EXPECT_OK(Validate(&person));
  person.mutable_positions(0)->set_title(title + "x");
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].title"));
}

TEST(PersonRulesTest, PositionRoleIsRequired) {
  v1::Person person = Person();
  person.mutable_positions(0)->clear_role();
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].role"));
  person.mutable_positions(0)->set_role(static_cast<v1::PositionRole>(99));
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].role"));
}

TEST(PersonRulesTest, PositionUnitIdIsRequired) {
  v1::Person person = Person();
  person.mutable_positions(0)->clear_unit_id();
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].unit_id"));
}

TEST(PersonRulesTest, PositionStartDateIsRequired) {
  v1::Person person = Person();
  person.mutable_positions(0)->clear_start_date();
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].start_date"));
  // Present but all zero is still missing.
  person.mutable_positions(0)->mutable_start_date();
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].start_date"));
}

TEST(PersonRulesTest, InvalidPositionDatesAreRejected) {
  v1::Person person = Person();
  *person.mutable_positions(0)->mutable_start_date() = MakeDate(2023, 2, 29);
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].start_date"));

  person = Person();
  *person.mutable_positions(0)->mutable_end_date() = MakeDate(2020, 13, 1);
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].end_date"));
}

TEST(PersonRulesTest, EndDateBeforeStartDateIsRejected) {
  v1::Person person = Person();
  *person.mutable_positions(0)->mutable_end_date() = MakeDate(2009, 12, 31);
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].end_date"));
}

TEST(PersonRulesTest, EndDateOnStartDateIsAccepted) {
  v1::Person person = Person();
  *person.mutable_positions(0)->mutable_end_date() = MakeDate(2010, 1, 1);
  ASSERT_OK(Validate(&person));
  EXPECT_TRUE(person.positions(0).has_end_date());
}

TEST(PersonRulesTest, FutureDatesAreRejected) {
  v1::Person person = Person();
  *person.mutable_positions(0)->mutable_start_date() = MakeDate(2025, 6, 16);
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].start_date"));

  person = Person();
  *person.mutable_positions(0)->mutable_end_date() = MakeDate(2025, 6, 16);
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[0].end_date"));
}

TEST(PersonRulesTest, TodayIsNotTheFuture) {
  v1::Person person = Person();
  *person.mutable_positions(0)->mutable_start_date() = MakeDate(2025, 6, 15);
  *person.mutable_positions(0)->mutable_end_date() = MakeDate(2025, 6, 15);
  EXPECT_OK(Validate(&person));
}

TEST(PersonRulesTest, EmptyEndDateMeansOngoingAndIsCleared) {
  v1::Person person = Person();
  person.mutable_positions(0)->mutable_end_date();  // present, all zero
  ASSERT_TRUE(person.positions(0).has_end_date());
  ASSERT_OK(Validate(&person));
  EXPECT_FALSE(person.positions(0).has_end_date());
}

TEST(PersonRulesTest, PositionTitleIsStoredNfc) {
  v1::Person person = Person();
  person.mutable_positions(0)->set_title(
      "To\xCC\x82\xCC\x89 tru\xCC\x9Bo\xCC\x9B\xCC\x89ng");
  ASSERT_OK(Validate(&person));
  EXPECT_EQ(person.positions(0).title(), "Tổ trưởng");
}

TEST(PersonRulesTest, ViolationsNameThePositionIndex) {
  v1::Person person = Person();
  v1::Position second = Leader();
  second.set_role(v1::POSITION_ROLE_UNSPECIFIED);
  *person.add_positions() = second;
  EXPECT_THAT(Rejected(person), ElementsAre("person.positions[1].role"));
}

TEST(PersonRulesTest, EveryBadFieldIsReported) {
  v1::Person person = Person();
  person.clear_full_name();
  person.clear_gender();
  person.set_birth_year(1800);
  v1::Position* position = person.mutable_positions(0);
  position->clear_title();
  position->clear_role();
  position->clear_unit_id();
  *position->mutable_start_date() = MakeDate(2030, 1, 1);
  v1::Position* second = person.add_positions();
  *second = Leader();
  *second->mutable_end_date() = MakeDate(2000, 1, 1);
  const absl::Status status = NormalizeAndValidatePerson(&person, kToday, "p");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      Fields(status),
      UnorderedElementsAre(
          "p.full_name", "p.gender", "p.birth_year", "p.positions[0].title",
          "p.positions[0].role", "p.positions[0].unit_id",
          "p.positions[0].start_date", "p.positions[1].end_date"));
}

// --- output-only fields and masks -------------------------------------------

v1::Person Stored() {
  v1::Person person = Person();
  person.set_id("p-000001");
  person.mutable_create_time()->set_seconds(1);
  person.mutable_update_time()->set_seconds(2);
  person.set_etag("3");
  return person;
}

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

TEST(PersonClearOutputOnlyFieldsTest, ClearsOutputOnlyAndKeepsTheRest) {
  v1::Person person = Stored();
  ClearOutputOnlyFields(&person);
  EXPECT_TRUE(MessageDifferencer::Equals(person, Person()));
}

TEST(ApplyPersonMaskTest, CopiesNamedFields) {
  v1::Person to = Stored();
  v1::Person from;
  from.set_full_name("Trần Thị Bình");
  from.set_birth_year(1990);
  from.set_holds_police_service_medal(true);
  ASSERT_OK(ApplyPersonMask(
      from, Mask({"full_name", "holds_police_service_medal"}), &to));
  EXPECT_EQ(to.full_name(), "Trần Thị Bình");
  EXPECT_TRUE(to.holds_police_service_medal());
  EXPECT_EQ(to.birth_year(), 1980);  // not named
  EXPECT_EQ(to.positions_size(), 1);
  EXPECT_EQ(to.id(), "p-000001");
  EXPECT_EQ(to.etag(), "3");
}

TEST(ApplyPersonMaskTest, EmptyMaskCopiesThePopulatedFields) {
  v1::Person to = Stored();
  const v1::Person stored = to;
  v1::Person from;
  from.set_id("other");
  from.set_full_name("Trần Thị Bình");
  from.set_gender(v1::GENDER_FEMALE);
  ASSERT_OK(ApplyPersonMask(from, FieldMask(), &to));
  EXPECT_EQ(to.full_name(), "Trần Thị Bình");
  EXPECT_EQ(to.gender(), v1::GENDER_FEMALE);
  // Left unset in the request: kept (AIP-134).
  EXPECT_EQ(to.birth_year(), stored.birth_year());
  EXPECT_EQ(to.positions_size(), stored.positions_size());
  EXPECT_EQ(to.unit_id(), stored.unit_id());
  EXPECT_EQ(to.id(), "p-000001");
  EXPECT_EQ(to.etag(), "3");
}

TEST(ApplyPersonMaskTest, StarMaskReplacesEverySettableField) {
  v1::Person to = Stored();
  v1::Person from;
  from.set_full_name("Trần Thị Bình");
  ASSERT_OK(ApplyPersonMask(from, Mask({"*"}), &to));
  EXPECT_EQ(to.full_name(), "Trần Thị Bình");
  EXPECT_EQ(to.birth_year(), 0);
  EXPECT_EQ(to.positions_size(), 0);
  EXPECT_EQ(to.unit_id(), "");
  EXPECT_EQ(to.id(), "p-000001");
}

TEST(ApplyPersonMaskTest, OutputOnlyAndUnknownPathsAreRejected) {
  for (const char* path :
       {"id", "etag", "create_time", "update_time", "positions.title", "x"}) {
    v1::Person to = Stored();
    const absl::Status status =
        ApplyPersonMask(Person(), Mask({"full_name", path}), &to);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(Fields(status), ElementsAre("update_mask")) << path;
    EXPECT_TRUE(MessageDifferencer::Equals(to, Stored())) << path;
  }
}

}  // namespace
}  // namespace antt::registry
