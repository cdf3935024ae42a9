#include "common/grpc_status.h"

#include <gmock/gmock.h>
#include <grpcpp/support/status.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "common/field_violations.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace antt {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(ToGrpcStatusTest, OkIsOk) {
  const grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OK);
}

TEST(ToGrpcStatusTest, KeepsCodeAndMessage) {
  const grpc::Status status =
      ToGrpcStatus(absl::NotFoundError("unit u-17 not found"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "unit u-17 not found");
  EXPECT_EQ(status.error_details(), "");
}

TEST(ToGrpcStatusTest, EveryCodeKeepsItsNumber) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status in(static_cast<absl::StatusCode>(code), "m");
    const grpc::Status out = ToGrpcStatus(in);
    EXPECT_EQ(static_cast<int>(out.error_code()), code);
    EXPECT_EQ(out.error_message(), "m");
  }
  EXPECT_EQ(ToGrpcStatus(absl::AbortedError("")).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(ToGrpcStatus(absl::UnauthenticatedError("")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST(ToGrpcStatusTest, BadRequestTravelsAsRpcStatusDetails) {
  FieldViolations violations;
  violations.Add("unit.tax_code", "check digit is 7, expected 6");
  violations.Add("unit.name", "is required");
  const grpc::Status status = ToGrpcStatus(violations.ToStatus());

  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_FALSE(status.error_details().empty());
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.message(), status.error_message());
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "unit.tax_code");
  EXPECT_EQ(bad_request.field_violations(0).description(),
            "check digit is 7, expected 6");
  EXPECT_EQ(bad_request.field_violations(1).field(), "unit.name");
}

TEST(ToGrpcStatusTest, InvalidFieldCarriesItsField) {
  const grpc::Status status =
      ToGrpcStatus(InvalidField("page_size", "must be at most 1000"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
}

TEST(ToGrpcStatusTest, DropsPayloadsThatAreNotGoogleApisTypes) {
  absl::Status in = absl::InternalError("boom");
  in.SetPayload("example.com/internal-trace", absl::Cord("secret"));
  const grpc::Status out = ToGrpcStatus(in);
  EXPECT_EQ(out.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(out.error_message(), "boom");
  EXPECT_EQ(out.error_details(), "");
}

TEST(FromGrpcStatusTest, OkIsOk) {
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(FromGrpcStatusTest, KeepsCodeAndMessage) {
  const absl::Status status = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "registry is down"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "registry is down");
  EXPECT_THAT(FieldViolationsOf(status), IsEmpty());
}

TEST(FromGrpcStatusTest, RoundTripKeepsFieldViolations) {
  FieldViolations violations;
  violations.Add("unit.province_code", "\"99\" is not a province");
  violations.Add("unit.headcount", "must not be negative");
  const absl::Status original = violations.ToStatus();

  const absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(back.message(), original.message());
  EXPECT_THAT(
      FieldViolationsOf(back),
      ElementsAre(Pair("unit.province_code", "\"99\" is not a province"),
                  Pair("unit.headcount", "must not be negative")));
}

TEST(FromGrpcStatusTest, RoundTripKeepsFieldErrorOfOtherCodes) {
  const absl::Status original = FieldError(absl::StatusCode::kAlreadyExists,
                                           "unit.tax_code", "held by unit u-3");
  const absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(back.message(), original.message());
  EXPECT_THAT(FieldViolationsOf(back),
              ElementsAre(Pair("unit.tax_code", "held by unit u-3")));
}

TEST(FromGrpcStatusTest, IgnoresUnparsableDetails) {
  const absl::Status status = FromGrpcStatus(grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT, "bad", "\xFF\xFF not a proto"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "bad");
  EXPECT_THAT(FieldViolationsOf(status), IsEmpty());
}

}  // namespace
}  // namespace antt
