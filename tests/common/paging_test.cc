#include "common/paging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "absl/status/status.h"
#include "common/field_violations.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using std::string_literals::operator""s;

TEST(PageFillTest, TakesUpToThePageSize) {
  PageFill fill(2);
  EXPECT_TRUE(fill.Take(10));
  EXPECT_TRUE(fill.Take(10));
  EXPECT_FALSE(fill.full());
  EXPECT_FALSE(fill.Take(1));
  EXPECT_TRUE(fill.full());
}

TEST(PageFillTest, EndsThePageBeforeItsBytesPassTheBudget) {
  PageFill fill(kMaxPageSize);
  EXPECT_TRUE(fill.Take(kMaxPageBytes - 10));
  EXPECT_TRUE(fill.Take(10));  // exactly the budget
  EXPECT_FALSE(fill.Take(1));
  // Once full, a smaller item is refused too: the page ends where it ended.
  EXPECT_FALSE(fill.Take(0));
  EXPECT_TRUE(fill.full());
}

TEST(PageFillTest, TheFirstItemAlwaysFits) {
  PageFill fill(kMaxPageSize);
  EXPECT_TRUE(fill.Take(kMaxPageBytes + 1));
  EXPECT_FALSE(fill.Take(1));
}

TEST(ResolvePageSizeTest, ZeroMeansDefault) {
  absl::StatusOr<int> size = ResolvePageSize(0);
  ASSERT_OK(size);
  EXPECT_EQ(*size, 100);
  EXPECT_EQ(*size, kDefaultPageSize);
}

TEST(ResolvePageSizeTest, KeepsSizesInRange) {
  for (int requested : {1, 37, 999, 1000}) {
    absl::StatusOr<int> size = ResolvePageSize(requested);
    ASSERT_OK(size);
    EXPECT_EQ(*size, requested);
  }
}

TEST(ResolvePageSizeTest, RejectsTooLargeNamingTheField) {
  const absl::StatusOr<int> size = ResolvePageSize(1001);
  EXPECT_CODE(size, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(size.status()),
              ElementsAre(Pair("page_size", ::testing::_)));
}

TEST(ResolvePageSizeTest, RejectsNegativeNamingTheField) {
  for (int requested : {-1, -1000}) {
    const absl::StatusOr<int> size = ResolvePageSize(requested);
    EXPECT_CODE(size, absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(FieldViolationsOf(size.status()),
                ElementsAre(Pair("page_size", ::testing::_)));
  }
}

TEST(ResolvePageSizeTest, NamesTheGivenField) {
  const absl::StatusOr<int> size = ResolvePageSize(5000, "request.page_size");
  EXPECT_CODE(size, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(size.status()),
              ElementsAre(Pair("request.page_size", ::testing::_)));
}

TEST(PageTokenTest, RoundTripsThePosition) {
  const std::string filters = "kind=2;area=45;query=truong";
  for (const std::string& position :
       {"u-000017"s, "u\0\x01\xFF\xFE"s, std::string(300, 'x')}) {
    const std::string token = EncodePageToken(position, filters);
    EXPECT_FALSE(token.empty());
    absl::StatusOr<std::string> decoded = DecodePageToken(token, filters);
    ASSERT_OK(decoded);
    EXPECT_EQ(*decoded, position);
  }
}

TEST(PageTokenTest, TokenIsUrlSafeText) {
  const std::string token = EncodePageToken("\xFB\xFF\xBF\x3E\x3F", "f");
  for (char c : token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                c == '_' || c == '=')
        << "token \"" << token << "\" has '" << c << "'";
  }
}

TEST(PageTokenTest, EmptyTokenMeansTheStart) {
  absl::StatusOr<std::string> decoded = DecodePageToken("", "kind=2");
  ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, "");
}

TEST(PageTokenTest, TokenFromOtherFiltersIsRejected) {
  const std::string token = EncodePageToken("u-000017", "kind=2");
  const absl::StatusOr<std::string> decoded = DecodePageToken(token, "kind=3");
  EXPECT_CODE(decoded, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(decoded.status()),
              ElementsAre(Pair("page_token", ::testing::_)));
}

TEST(PageTokenTest, GarbageIsRejected) {
  for (const std::string& token :
       {"!!! not a token !!!"s, "AAAA"s /* decodes, but too short */,
        "a"s /* not base64 */}) {
    const absl::StatusOr<std::string> decoded = DecodePageToken(token, "f");
    EXPECT_CODE(decoded, absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(FieldViolationsOf(decoded.status()),
                ElementsAre(Pair("page_token", ::testing::_)))
        << token;
  }
}

TEST(PageTokenTest, TamperedTokenIsRejected) {
  std::string token = EncodePageToken("u-000017", "kind=2");
  // Change a character of the fingerprint part.
  token[0] = token[0] == 'A' ? 'B' : 'A';
  EXPECT_CODE(DecodePageToken(token, "kind=2"),
              absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace antt
