#include "services/registry/tax_code.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace antt::registry {
namespace {

constexpr int kWeights[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

int TaxCodeCheckDigit(absl::string_view first_nine_digits) {
  if (first_nine_digits.size() != 9 || !AllDigits(first_nine_digits)) return -1;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (first_nine_digits[i] - '0') * kWeights[i];
  const int check = 10 - (sum % 11);
  return check == 10 ? -1 : check;
}

absl::Status CheckTaxCode(absl::string_view tax_code) {
  absl::string_view main = tax_code;
  if (tax_code.size() > 10) {
    if (tax_code.size() != 14 || tax_code[10] != '-' ||
        !AllDigits(tax_code.substr(11))) {
      return absl::InvalidArgumentError(
          "must be 10 digits, optionally followed by \"-\" and a 3-digit "
          "branch number");
    }
    main = tax_code.substr(0, 10);
  }
  if (main.size() != 10 || !AllDigits(main)) {
    return absl::InvalidArgumentError(
        "must be 10 digits, optionally followed by \"-\" and a 3-digit branch "
        "number");
  }
  const int check = TaxCodeCheckDigit(main.substr(0, 9));
  if (check < 0) {
    return absl::InvalidArgumentError(
        "no valid check digit exists for these first nine digits");
  }
  if (main[9] - '0' != check) {
    return absl::InvalidArgumentError(
        absl::StrCat("check digit is ", main[9] - '0', ", expected ", check));
  }
  return absl::OkStatus();
}

}  // namespace antt::registry
