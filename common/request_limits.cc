#include "common/request_limits.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/field_violations.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace antt {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void Walk(const Message& message, const std::string& prefix,
          FieldViolations* violations) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = absl::StrCat(prefix, field->name());
    const bool text = field->cpp_type() == FieldDescriptor::CPPTYPE_STRING;
    const bool nested = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      if (size > kMaxListItems) {
        violations->Add(
            path, absl::StrCat("has ", size, " items; a list may have at most ",
                               kMaxListItems));
        continue;  // not looked into: far too much to be a real request
      }
      for (int i = 0; i < size; ++i) {
        const std::string item = absl::StrCat(path, "[", i, "]");
        if (text) {
          std::string scratch;
          const std::string& value = reflection->GetRepeatedStringReference(
              message, field, i, &scratch);
          if (value.size() > kMaxTextBytes) {
            violations->Add(
                item, absl::StrCat("is ", value.size(), " bytes long; at most ",
                                   kMaxTextBytes));
          }
        } else if (nested) {
          Walk(reflection->GetRepeatedMessage(message, field, i), item + ".",
               violations);
        }
      }
      continue;
    }
    if (text) {
      std::string scratch;
      const std::string& value =
          reflection->GetStringReference(message, field, &scratch);
      if (value.size() > kMaxTextBytes) {
        violations->Add(
            path, absl::StrCat("is ", value.size(), " bytes long; at most ",
                               kMaxTextBytes));
      }
    } else if (nested) {
      Walk(reflection->GetMessage(message, field), path + ".", violations);
    }
  }
}

}  // namespace

absl::Status CheckRequestLimits(const Message& request, size_t encoded_size) {
  // Every list item takes at least one byte on the wire, every text its
  // length: a request this small breaks neither limit.
  if (encoded_size <= static_cast<size_t>(kMaxListItems)) {
    return absl::OkStatus();
  }
  FieldViolations violations;
  Walk(request, "", &violations);
  return violations.ToStatus();
}

}  // namespace antt
