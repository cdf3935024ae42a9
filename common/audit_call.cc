#include "common/audit_call.h"

#include "common/digest.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"

namespace antt {
namespace {

thread_local const AuditCall* current_call = nullptr;

}  // namespace

const std::string& AuditCall::RequestSha256() const {
  if (request_sha256.empty() && request != nullptr) {
    std::string bytes;
    // Deterministic, so the same request always has the same digest.
    {
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      request->SerializeToCodedStream(&coded);
    }
    request_sha256 = Sha256Hex(bytes);
  }
  return request_sha256;
}

const AuditCall* CurrentAuditCall() { return current_call; }

ScopedAuditCall::ScopedAuditCall(AuditCall call)
    : call_(std::move(call)), previous_(current_call) {
  current_call = &call_;
}

ScopedAuditCall::~ScopedAuditCall() { current_call = previous_; }

}  // namespace antt
