#ifndef ANTT_SERVICES_REGISTRY_TAX_CODE_H_
#define ANTT_SERVICES_REGISTRY_TAX_CODE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace antt::registry {

// Checks a Vietnamese enterprise tax code (mã số thuế): 10 digits whose 10th
// is the check digit over digits 1–9 with weights 31, 29, 23, 19, 17, 13, 7,
// 5, 3 (check = 10 − (sum mod 11); a result of 10 is never valid), optionally
// followed by "-" and a 3-digit branch number. The error says what is wrong.
[[nodiscard]] absl::Status CheckTaxCode(absl::string_view tax_code);

// The check digit for the first nine digits, or -1 when none exists (the
// computation gives 10). For generators and tests.
[[nodiscard]] int TaxCodeCheckDigit(absl::string_view first_nine_digits);

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_TAX_CODE_H_
