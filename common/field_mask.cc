#include "common/field_mask.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/field_violations.h"

namespace antt {

absl::Status ApplyFieldMask(const google::protobuf::Message& from,
                            const google::protobuf::FieldMask& mask,
                            const FieldNames& settable,
                            google::protobuf::Message* to) {
  FieldNames paths(mask.paths().begin(), mask.paths().end());
  if (paths.size() == 1 && *paths.begin() == "*") {
    paths = settable;  // full replacement
  } else if (paths.empty()) {
    // AIP-134: no mask means the fields the client populated.
    std::vector<const google::protobuf::FieldDescriptor*> populated;
    from.GetReflection()->ListFields(from, &populated);
    for (const auto* field : populated) {
      if (settable.count(field->name()) > 0) paths.insert(field->name());
    }
  }
  FieldViolations violations;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  for (const std::string& path : paths) {
    const auto* field = from.GetDescriptor()->FindFieldByName(path);
    if (field == nullptr || settable.count(path) == 0) {
      violations.Add(
          "update_mask",
          absl::StrCat("\"", path, "\" is not a field a client may update"));
      continue;
    }
    fields.push_back(field);
  }
  if (!violations.empty()) return violations.ToStatus();
  // Swap the named fields out of a copy of `from`: the copy's values land in
  // `to`, whatever their types.
  std::unique_ptr<google::protobuf::Message> copy(from.New());
  copy->CopyFrom(from);
  to->GetReflection()->SwapFields(copy.get(), to, fields);
  return absl::OkStatus();
}

}  // namespace antt
