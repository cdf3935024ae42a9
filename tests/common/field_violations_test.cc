#include "common/field_violations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "google/rpc/error_details.pb.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

TEST(FieldViolationsTest, EmptyIsOk) {
  FieldViolations violations;
  EXPECT_TRUE(violations.empty());
  EXPECT_OK(violations.ToStatus());
  EXPECT_OK(violations.ToStatusWithCode(absl::StatusCode::kAlreadyExists));
}

TEST(FieldViolationsTest, ToStatusListsEveryFieldInOrder) {
  FieldViolations violations;
  violations.Add("unit.name", "is required");
  violations.Add("unit.kind", "is required");
  EXPECT_FALSE(violations.empty());
  EXPECT_THAT(violations.violations(),
              ElementsAre(Pair("unit.name", "is required"),
                          Pair("unit.kind", "is required")));

  const absl::Status status = violations.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("unit.name"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("unit.kind"));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Pair("unit.name", "is required"),
                          Pair("unit.kind", "is required")));
}

TEST(FieldViolationsTest, PayloadIsASerializedBadRequest) {
  FieldViolations violations;
  violations.Add("person.gender", "is required");
  const absl::Status status = violations.ToStatus();
  const auto payload = status.GetPayload(kBadRequestTypeUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(bad_request.ParseFromString(std::string(*payload)));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "person.gender");
  EXPECT_EQ(bad_request.field_violations(0).description(), "is required");
}

TEST(FieldViolationsTest, ToStatusWithCodeUsesThatCode) {
  FieldViolations violations;
  violations.Add("unit.external_id", "held by another unit");
  const absl::Status status =
      violations.ToStatusWithCode(absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Pair("unit.external_id", "held by another unit")));
}

TEST(FieldErrorTest, NamesOneField) {
  const absl::Status status = FieldError(absl::StatusCode::kFailedPrecondition,
                                         "unit.status", "is dissolved");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Pair("unit.status", "is dissolved")));
}

TEST(InvalidFieldTest, IsInvalidArgumentNamingTheField) {
  const absl::Status status = InvalidField("page_token", "is malformed");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("page_token"));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Pair("page_token", "is malformed")));
}

TEST(FieldViolationsOfTest, EmptyWithoutAPayload) {
  EXPECT_THAT(FieldViolationsOf(absl::OkStatus()), IsEmpty());
  EXPECT_THAT(FieldViolationsOf(absl::InvalidArgumentError("plain")),
              IsEmpty());
}

TEST(FieldViolationsOfTest, EmptyForAGarbagePayload) {
  absl::Status status = absl::InvalidArgumentError("x");
  status.SetPayload(kBadRequestTypeUrl, absl::Cord("\xFF\xFF garbage"));
  EXPECT_THAT(FieldViolationsOf(status), IsEmpty());
}

TEST(CheckTextTest, NormalisesToNfcAndTrims) {
  // "Đông Hà" with ô as o + U+0302 and à as a + U+0300, between spaces.
  std::string value = "  \xC4\x90o\xCC\x82ng Ha\xCC\x80 \n";
  FieldViolations violations;
  CheckText(&value, "unit.name", 1, 300, &violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(value, "Đông Hà");
}

TEST(CheckTextTest, CountsCharactersNotBytes) {
  // 300 three-byte letters: 900 bytes, 300 characters.
  std::string value = Repeat("ễ", 300);
  FieldViolations violations;
  CheckText(&value, "unit.name", 1, 300, &violations);
  EXPECT_TRUE(violations.empty());

  value = Repeat("ễ", 301);
  CheckText(&value, "unit.name", 1, 300, &violations);
  ASSERT_EQ(violations.violations().size(), 1u);
  EXPECT_EQ(violations.violations()[0].first, "unit.name");
  EXPECT_THAT(violations.violations()[0].second, HasSubstr("301"));
}

TEST(CheckTextTest, CountsAfterNormalising) {
  // 300 letters ễ written decomposed (e + U+0302 + U+0303): 900 code points
  // before NFC, 300 after.
  std::string value = Repeat("e\xCC\x82\xCC\x83", 300);
  FieldViolations violations;
  CheckText(&value, "unit.name", 1, 300, &violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(value, Repeat("ễ", 300));
}

TEST(CheckTextTest, RequiredRejectsEmptyAndBlank) {
  for (std::string value :
       {std::string(""), std::string("   "), std::string(" \t\r\n ")}) {
    FieldViolations violations;
    CheckText(&value, "unit.name", 1, 300, &violations);
    EXPECT_THAT(violations.violations(),
                ElementsAre(Pair("unit.name", ::testing::_)))
        << "value: \"" << value << "\"";
  }
}

TEST(CheckTextTest, OptionalAcceptsEmpty) {
  std::string value;
  FieldViolations violations;
  CheckText(&value, "unit.address", 0, 500, &violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(value, "");
}

TEST(CheckTextTest, RejectsControlCharacters) {
  std::string value = "Công ty\tABC";
  FieldViolations violations;
  CheckText(&value, "unit.name", 1, 300, &violations);
  EXPECT_THAT(violations.violations(),
              ElementsAre(Pair("unit.name", HasSubstr("control"))));

  value =
      "A\x01"
      "B";
  FieldViolations more;
  CheckText(&value, "unit.name", 1, 300, &more);
  EXPECT_EQ(more.violations().size(), 1u);
}

TEST(CheckTextTest, RejectsInvalidUtf8) {
  std::string value = "Tr\xC6";
  FieldViolations violations;
  CheckText(&value, "unit.address", 0, 500, &violations);
  EXPECT_THAT(violations.violations(),
              ElementsAre(Pair("unit.address", HasSubstr("UTF-8"))));
}

}  // namespace
}  // namespace antt
