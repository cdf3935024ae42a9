#include "cli/enum_name.h"

#include "absl/strings/ascii.h"

namespace antt::cli {

std::string EnumName(const google::protobuf::EnumDescriptor* descriptor,
                     const std::string& prefix, int number) {
  const auto* value = descriptor->FindValueByNumber(number);
  if (value == nullptr || number == 0) return "";
  std::string name = value->name();
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  return absl::AsciiStrToLower(name);
}

}  // namespace antt::cli
