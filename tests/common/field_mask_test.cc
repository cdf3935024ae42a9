#include "common/field_mask.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "antt/registry/v1/registry.pb.h"
#include "common/field_violations.h"
#include "google/protobuf/field_mask.pb.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

using ::google::protobuf::FieldMask;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

namespace v1 = ::antt::registry::v1;

const FieldNames& Settable() {
  static const auto* names =
      new FieldNames{"name", "kind", "headcount", "models", "established_date"};
  return *names;
}

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

v1::Unit From() {
  v1::Unit unit;
  unit.set_id("from-id");
  unit.set_name("Công ty B");
  unit.set_kind(v1::UNIT_KIND_ENTERPRISE);
  unit.set_headcount(50);
  unit.add_models("Tổ an ninh");
  unit.mutable_established_date()->set_year(2001);
  unit.mutable_established_date()->set_month(2);
  unit.mutable_established_date()->set_day(3);
  unit.set_tax_code("0100109106");
  return unit;
}

v1::Unit To() {
  v1::Unit unit;
  unit.set_id("to-id");
  unit.set_name("Sở A");
  unit.set_kind(v1::UNIT_KIND_AGENCY);
  unit.set_headcount(7);
  unit.add_models("Mô hình 1");
  unit.add_models("Mô hình 2");
  unit.set_tax_code("0300123450");
  unit.set_etag("etag-1");
  return unit;
}

TEST(ApplyFieldMaskTest, CopiesOnlyNamedPaths) {
  v1::Unit to = To();
  ASSERT_OK(
      ApplyFieldMask(From(), Mask({"name", "headcount"}), Settable(), &to));
  EXPECT_EQ(to.name(), "Công ty B");
  EXPECT_EQ(to.headcount(), 50);
  // Not named: untouched.
  EXPECT_EQ(to.kind(), v1::UNIT_KIND_AGENCY);
  EXPECT_THAT(to.models(), ElementsAre("Mô hình 1", "Mô hình 2"));
  EXPECT_FALSE(to.has_established_date());
  EXPECT_EQ(to.id(), "to-id");
  EXPECT_EQ(to.tax_code(), "0300123450");
  EXPECT_EQ(to.etag(), "etag-1");
}

TEST(ApplyFieldMaskTest, NamedFieldsAreReplacedNotMerged) {
  v1::Unit to = To();
  to.mutable_established_date()->set_year(1999);
  to.mutable_established_date()->set_month(12);
  v1::Unit from = From();
  from.mutable_established_date()->set_month(0);  // a partial date
  ASSERT_OK(ApplyFieldMask(from, Mask({"models", "established_date"}),
                           Settable(), &to));
  EXPECT_THAT(to.models(), ElementsAre("Tổ an ninh"));
  EXPECT_EQ(to.established_date().year(), 2001);
  EXPECT_EQ(to.established_date().month(), 0);
  EXPECT_EQ(to.established_date().day(), 3);
}

TEST(ApplyFieldMaskTest, NamedPathUnsetInSourceClearsTarget) {
  v1::Unit to = To();
  to.mutable_established_date()->set_year(1999);
  v1::Unit from;  // every field at its default
  ASSERT_OK(ApplyFieldMask(
      from, Mask({"name", "headcount", "models", "established_date"}),
      Settable(), &to));
  EXPECT_EQ(to.name(), "");
  EXPECT_EQ(to.headcount(), 0);
  EXPECT_EQ(to.models_size(), 0);
  EXPECT_FALSE(to.has_established_date());
  EXPECT_EQ(to.kind(), v1::UNIT_KIND_AGENCY);
}

TEST(ApplyFieldMaskTest, EmptyMaskCopiesThePopulatedSettableFields) {
  v1::Unit to = To();
  ASSERT_OK(ApplyFieldMask(From(), FieldMask(), Settable(), &to));
  EXPECT_EQ(to.name(), "Công ty B");
  EXPECT_EQ(to.kind(), v1::UNIT_KIND_ENTERPRISE);
  EXPECT_EQ(to.headcount(), 50);
  EXPECT_THAT(to.models(), ElementsAre("Tổ an ninh"));
  EXPECT_EQ(to.established_date().year(), 2001);
  // Not settable: untouched even by a full update.
  EXPECT_EQ(to.id(), "to-id");
  EXPECT_EQ(to.tax_code(), "0300123450");
  EXPECT_EQ(to.etag(), "etag-1");
}

TEST(ApplyFieldMaskTest, EmptyMaskKeepsFieldsTheRequestLeavesUnset) {
  v1::Unit from = From();
  from.clear_headcount();
  v1::Unit to = To();
  ASSERT_OK(ApplyFieldMask(from, FieldMask(), Settable(), &to));
  EXPECT_EQ(to.headcount(), 7);  // not populated in the request: kept
  EXPECT_EQ(to.name(), "Công ty B");
}

TEST(ApplyFieldMaskTest, StarMaskReplacesEverySettableField) {
  v1::Unit from = From();
  from.clear_headcount();
  v1::Unit to = To();
  ASSERT_OK(ApplyFieldMask(from, Mask({"*"}), Settable(), &to));
  EXPECT_EQ(to.name(), "Công ty B");
  EXPECT_EQ(to.headcount(), 0);  // cleared: a full replacement
  EXPECT_EQ(to.id(), "to-id");   // not settable: untouched
}

TEST(ApplyFieldMaskTest, UnknownPathIsRejectedAndTargetUntouched) {
  v1::Unit to = To();
  const absl::Status status =
      ApplyFieldMask(From(), Mask({"name", "no_such_field"}), Settable(), &to);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Pair("update_mask", HasSubstr("no_such_field"))));
  EXPECT_TRUE(MessageDifferencer::Equals(to, To()));
}

TEST(ApplyFieldMaskTest, RealButUnsettablePathIsRejectedAndTargetUntouched) {
  for (const char* path : {"tax_code", "id", "etag", "status"}) {
    v1::Unit to = To();
    const absl::Status status =
        ApplyFieldMask(From(), Mask({"headcount", path}), Settable(), &to);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(FieldViolationsOf(status),
                ElementsAre(Pair("update_mask", HasSubstr(path))));
    EXPECT_TRUE(MessageDifferencer::Equals(to, To())) << path;
  }
}

TEST(ApplyFieldMaskTest, NestedPathIsRejected) {
  v1::Unit to = To();
  const absl::Status status =
      ApplyFieldMask(From(), Mask({"established_date.year"}), Settable(), &to);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      FieldViolationsOf(status),
      ElementsAre(Pair("update_mask", HasSubstr("established_date.year"))));
  EXPECT_TRUE(MessageDifferencer::Equals(to, To()));
}

TEST(ApplyFieldMaskTest, EveryBadPathIsReported) {
  v1::Unit to = To();
  const absl::Status status =
      ApplyFieldMask(From(), Mask({"id", "bogus"}), Settable(), &to);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(status).size(), 2u);
}

}  // namespace
}  // namespace antt
