#include "services/registry/tax_code.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::testing::HasSubstr;

// Check digits below were computed by hand with weights 31 29 23 19 17 13 7 5
// 3 and check = 10 - (sum mod 11), e.g. 0100109106:
//   0*31 + 1*29 + 0*23 + 0*19 + 1*17 + 0*13 + 9*7 + 1*5 + 0*3 = 114,
//   114 mod 11 = 4, check = 6.
TEST(TaxCodeCheckDigitTest, MatchesHandComputedDigits) {
  EXPECT_EQ(TaxCodeCheckDigit("010010910"), 6);  // sum 114
  EXPECT_EQ(TaxCodeCheckDigit("123456789"), 3);  // sum 513, mod 11 = 7
  EXPECT_EQ(TaxCodeCheckDigit("030012345"), 0);  // sum 186, mod 11 = 10
  EXPECT_EQ(TaxCodeCheckDigit("000000110"), 9);  // sum 12, mod 11 = 1
}

TEST(TaxCodeCheckDigitTest, NoDigitWhenTheResultWouldBeTen) {
  EXPECT_EQ(TaxCodeCheckDigit("000000000"), -1);  // sum 0
  EXPECT_EQ(TaxCodeCheckDigit("987654321"), -1);  // sum 957 = 87 * 11
  EXPECT_EQ(TaxCodeCheckDigit("000000012"), -1);  // sum 11
}

TEST(TaxCodeCheckDigitTest, NoDigitForMalformedInput) {
  EXPECT_EQ(TaxCodeCheckDigit(""), -1);
  EXPECT_EQ(TaxCodeCheckDigit("01001091"), -1);
  EXPECT_EQ(TaxCodeCheckDigit("0100109100"), -1);
  EXPECT_EQ(TaxCodeCheckDigit("01001091A"), -1);
}

TEST(CheckTaxCodeTest, AcceptsAKnownRealCode) {
  EXPECT_OK(CheckTaxCode("0100109106"));
}

TEST(CheckTaxCodeTest, AcceptsHandComputedCodes) {
  EXPECT_OK(CheckTaxCode("1234567893"));
  EXPECT_OK(CheckTaxCode("0300123450"));  // check digit 0
  EXPECT_OK(CheckTaxCode("0000001109"));
}

TEST(CheckTaxCodeTest, OnlyTheComputedDigitIsAccepted) {
  for (const std::string prefix :
       {"010010910", "123456789", "030012345", "031234567", "456789012"}) {
    const int check = TaxCodeCheckDigit(prefix);
    ASSERT_GE(check, 0) << prefix;
    for (int digit = 0; digit <= 9; ++digit) {
      const std::string code = prefix + static_cast<char>('0' + digit);
      if (digit == check) {
        EXPECT_OK(CheckTaxCode(code));
      } else {
        EXPECT_CODE(CheckTaxCode(code), absl::StatusCode::kInvalidArgument);
      }
    }
  }
}

TEST(CheckTaxCodeTest, RejectsAWrongCheckDigitSayingWhy) {
  const absl::Status status = CheckTaxCode("0100109107");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("expected 6"));
}

TEST(CheckTaxCodeTest, RejectsWrongLengths) {
  EXPECT_CODE(CheckTaxCode(""), absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("010010910"), absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("01001091060"), absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("010010910600"), absl::StatusCode::kInvalidArgument);
}

TEST(CheckTaxCodeTest, RejectsNonDigits) {
  EXPECT_CODE(CheckTaxCode("01001091A6"), absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("O100109106"), absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode(" 100109106"), absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("0100109106 "), absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("-100109106"), absl::StatusCode::kInvalidArgument);
  // Full-width digits are not ASCII digits.
  EXPECT_CODE(CheckTaxCode("０１００１０９１０６"),
              absl::StatusCode::kInvalidArgument);
}

TEST(CheckTaxCodeTest, AcceptsABranchSuffix) {
  EXPECT_OK(CheckTaxCode("0100109106-001"));
  EXPECT_OK(CheckTaxCode("0100109106-999"));
  EXPECT_OK(CheckTaxCode("0300123450-012"));
}

TEST(CheckTaxCodeTest, RejectsMalformedBranchSuffixes) {
  EXPECT_CODE(CheckTaxCode("0100109106-01"),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("0100109106-0001"),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("0100109106_001"),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("0100109106-00a"),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("0100109106-"), absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("0100109106--01"),
              absl::StatusCode::kInvalidArgument);
}

TEST(CheckTaxCodeTest, BranchSuffixNeedsAValidMainCode) {
  EXPECT_CODE(CheckTaxCode("0100109107-001"),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckTaxCode("A100109106-001"),
              absl::StatusCode::kInvalidArgument);
}

TEST(CheckTaxCodeTest, RejectsPrefixesWhoseCheckWouldBeTen) {
  // The weighted sum of the first nine digits is a multiple of 11, so no
  // tenth digit can be right.
  for (const std::string prefix : {"000000000", "987654321", "000000012"}) {
    for (int digit = 0; digit <= 9; ++digit) {
      const std::string code = prefix + static_cast<char>('0' + digit);
      EXPECT_EQ(CheckTaxCode(code).code(), absl::StatusCode::kInvalidArgument)
          << code;
    }
  }
}

}  // namespace
}  // namespace antt::registry
