// The limits every request obeys before a use case sees it
// (common/request_limits.h), on a real generated message with nested and
// repeated fields: google.rpc.BadRequest.

#include "common/request_limits.h"

#include <gtest/gtest.h>

#include <string>

#include "common/field_violations.h"
#include "google/rpc/error_details.pb.h"

namespace antt {
namespace {

using google::rpc::BadRequest;

size_t Encoded(const BadRequest& request) { return request.ByteSizeLong(); }

TEST(RequestLimitsTest, ARequestWithinTheLimitsIsAccepted) {
  BadRequest request;
  for (int i = 0; i < kMaxListItems; ++i) {
    request.add_field_violations()->set_field(std::string(8, 'f'));
  }
  request.mutable_field_violations(0)->set_description(
      std::string(kMaxTextBytes, 'd'));
  EXPECT_TRUE(CheckRequestLimits(request, Encoded(request)).ok());
}

TEST(RequestLimitsTest, AListOneItemTooLongIsNamed) {
  BadRequest request;
  for (int i = 0; i < kMaxListItems + 1; ++i) request.add_field_violations();
  const absl::Status status = CheckRequestLimits(request, Encoded(request));
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const auto violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].first, "field_violations");
  EXPECT_NE(violations[0].second.find("10001"), std::string::npos)
      << violations[0].second;
}

TEST(RequestLimitsTest, ATextOneByteTooLongIsNamedWithItsPath) {
  BadRequest request;
  request.add_field_violations();
  request.add_field_violations()->set_description(
      std::string(kMaxTextBytes + 1, 'd'));
  request.add_field_violations()->set_field(std::string(kMaxTextBytes, 'f'));
  const absl::Status status = CheckRequestLimits(request, Encoded(request));
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const auto violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].first, "field_violations[1].description");
}

TEST(RequestLimitsTest, EveryBrokenLimitIsNamedAtOnce) {
  BadRequest request;
  request.add_field_violations()->set_field(
      std::string(kMaxTextBytes + 1, 'f'));
  request.add_field_violations()->set_description(
      std::string(kMaxTextBytes + 1, 'd'));
  const auto violations =
      FieldViolationsOf(CheckRequestLimits(request, Encoded(request)));
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].first, "field_violations[0].field");
  EXPECT_EQ(violations[1].first, "field_violations[1].description");
}

}  // namespace
}  // namespace antt
