#ifndef ANTT_CLI_ENUM_NAME_H_
#define ANTT_CLI_ENUM_NAME_H_

#include <string>

#include "google/protobuf/descriptor.h"

namespace antt::cli {

// UNIT_KIND_AGENCY → "agency", EDUCATION_LEVEL_UPPER_SECONDARY with prefix
// "EDUCATION_LEVEL_" → "upper-secondary": how anttctl's flags, tables and CSV
// files write an enum value ("" for the zero value or an unknown number).
[[nodiscard]] std::string EnumName(
    const google::protobuf::EnumDescriptor* descriptor,
    const std::string& prefix, int number);

}  // namespace antt::cli

#endif  // ANTT_CLI_ENUM_NAME_H_
