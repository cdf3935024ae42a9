#include "common/audit_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/field_violations.h"
#include "common/paging.h"

namespace antt {

using audit::v1::ListAuditRecordsRequest;
using audit::v1::ListAuditRecordsResponse;
using audit::v1::VerifyAuditChainRequest;
using audit::v1::VerifyAuditChainResponse;
using audit::v1::VerifyRecordsRequest;
using audit::v1::VerifyRecordsResponse;

const AccessPolicy& AuditAccessPolicy() {
  static const AccessPolicy* const policy =
      new AccessPolicy(audit::v1::AuditService::service_full_name(),
                       {{"ListAuditRecords", kAdminOnly},
                        {"VerifyAuditChain", kAdminOnly},
                        {"VerifyRecords", kAdminOnly}});
  return *policy;
}

AuditServiceImpl::AuditServiceImpl(AuditLog* log,
                                   const Authenticator* authenticator)
    : CallbackService(authenticator, &AuditAccessPolicy()), log_(log) {
  Unary<ListAuditRecordsRequest>(
      [this](const Principal&, const ListAuditRecordsRequest& request)
          -> absl::StatusOr<ListAuditRecordsResponse> {
        absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
        if (!page_size.ok()) return page_size.status();
        const std::string filters = absl::StrCat(request.after_sequence());
        absl::StatusOr<std::string> position =
            DecodePageToken(request.page_token(), filters);
        if (!position.ok()) return position.status();
        uint64_t after = request.after_sequence();
        if (!position->empty() && !absl::SimpleAtoi(*position, &after)) {
          return InvalidField("page_token", "not a page token of this list");
        }
        bool more = false;
        absl::StatusOr<std::vector<audit::v1::AuditRecord>> records =
            log_->List(after, *page_size, &more);
        if (!records.ok()) return records.status();
        ListAuditRecordsResponse page;
        for (auto& record : *records) *page.add_records() = std::move(record);
        if (more) {
          page.set_next_page_token(EncodePageToken(
              absl::StrCat(page.records().rbegin()->sequence()), filters));
        }
        return page;
      });
  UnaryBlocking<VerifyAuditChainRequest>(
      [this](
          const Principal&, const VerifyAuditChainRequest& request,
          const CallControl& call) -> absl::StatusOr<VerifyAuditChainResponse> {
        FieldViolations v;
        const bool has_sequence = request.anchor_sequence() != 0;
        const std::string& hash = request.anchor_hash();
        if (has_sequence && hash.size() != 64) {
          v.Add("anchor_hash",
                "must be the 64 hex digits of the anchored record's hash");
        }
        if (!has_sequence && !hash.empty()) {
          v.Add("anchor_sequence", "is required with anchor_hash");
        }
        if (!v.empty()) return v.ToStatus();
        return log_->Verify(request.anchor_sequence(), hash,
                            [&call] { return call.IsCancelled(); });
      });
  UnaryBlocking<VerifyRecordsRequest>(
      [this](const Principal&, const VerifyRecordsRequest&,
             const CallControl& call) -> absl::StatusOr<VerifyRecordsResponse> {
        return log_->VerifyRecords([&call] { return call.IsCancelled(); });
      });
}

}  // namespace antt
