#include "services/awards/rocksdb_awards_store.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/date.h"
#include "common/keys.h"
#include "common/paging.h"
#include "common/rocksdb_status.h"
#include "rocksdb/write_batch.h"

namespace antt::awards {
namespace {

constexpr char kNextCampaignKey[] = "next_campaign";
constexpr char kNextNominationKey[] = "next_nomination";
constexpr size_t kIdLength = 11;  // "C"/"N" and 10 digits

uint64_t EtagVersion(absl::string_view etag) {
  uint64_t version = 0;
  return absl::SimpleAtoi(etag, &version) ? version : 0;
}

std::string CampaignIndexPrefix(absl::string_view campaign_id) {
  return KeyBuilder("nc").Str(campaign_id).Build();
}
std::string RecipientIndexPrefix(absl::string_view recipient) {
  return KeyBuilder("nr").Str(recipient).Build();
}
std::string OneTypeKey(const v1::Nomination& n) {
  return KeyBuilder("one")
      .Str(n.campaign_id())
      .Str(RecipientKey(n))
      .Raw(n.award_type())
      .Build();
}
std::string SummaryPrefix(absl::string_view campaign_id) {
  return KeyBuilder("sum").Str(campaign_id).Build();
}
std::string SummaryKey(const v1::Nomination& n) {
  std::string key = SummaryPrefix(n.campaign_id());
  key.append(n.award_type());
  key.push_back(kKeySeparator);
  key.push_back(static_cast<char>(RecipientKindOf(n)));
  key.push_back(static_cast<char>(n.stage()));
  return key;
}

std::string EncodeCount(int64_t count) {
  return RocksDb::EncodeUint64(static_cast<uint64_t>(count));
}

}  // namespace

v1::RecipientKind RecipientKindOf(const v1::Nomination& nomination) {
  return nomination.recipient_case() == v1::Nomination::kPersonId
             ? v1::RECIPIENT_KIND_INDIVIDUAL
             : v1::RECIPIENT_KIND_COLLECTIVE;
}

std::string RecipientKey(const v1::Nomination& nomination) {
  return nomination.person_id().empty()
             ? absl::StrCat("u:", nomination.unit_id())
             : absl::StrCat("p:", nomination.person_id());
}

absl::StatusOr<std::unique_ptr<RocksDbAwardsStore>> RocksDbAwardsStore::Open(
    const std::string& path, const RocksDbOptions& options) {
  std::unique_ptr<RocksDbAwardsStore> store(new RocksDbAwardsStore());
  absl::StatusOr<std::unique_ptr<RocksDb>> db =
      RocksDb::Open(path,
                    {"default", "campaigns", "nominations", "decisions",
                     "requests", "index", "audit"},
                    options);
  if (!db.ok()) return db.status();
  store->db_ = *std::move(db);
  absl::StatusOr<std::unique_ptr<AuditLog>> audit = AuditLog::Open(
      store->db_.get(), kAudit, {kCampaigns, kNominations, kDecisions});
  if (!audit.ok()) return audit.status();
  store->audit_ = *std::move(audit);
  if (absl::Status s = store->LoadMeta(); !s.ok()) return s;
  return store;
}

absl::Status RocksDbAwardsStore::LoadMeta() {
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<uint64_t> campaign =
      db_->GetUint64(kDefault, kNextCampaignKey, next_campaign_);
  if (!campaign.ok()) return campaign.status();
  next_campaign_ = *campaign;
  absl::StatusOr<uint64_t> nomination =
      db_->GetUint64(kDefault, kNextNominationKey, next_nomination_);
  if (!nomination.ok()) return nomination.status();
  next_nomination_ = *nomination;
  return absl::OkStatus();
}

absl::StatusOr<v1::Campaign> RocksDbAwardsStore::CreateCampaign(
    v1::Campaign campaign, absl::string_view request_id) {
  absl::MutexLock lock(&write_mu_);
  std::string request_key;
  if (!request_id.empty()) {
    request_key = KeyBuilder("CreateCampaign").Raw(request_id).Build();
    auto first = db_->GetMessage<v1::Campaign>(kRequests, request_key);
    if (!first.ok()) return first.status();
    if (first->has_value()) return **std::move(first);
  }
  campaign.set_id(absl::StrFormat("C%010d", next_campaign_));
  campaign.set_status(v1::CAMPAIGN_STATUS_OPEN);
  campaign.set_etag("1");
  *campaign.mutable_create_time() = ToTimestamp(absl::Now());
  rocksdb::WriteBatch batch;
  absl::StatusOr<std::string> record = RocksDb::EncodeRecord(&campaign);
  if (!record.ok()) return record.status();
  batch.Put(db_->cf(kCampaigns), campaign.id(), *record);
  batch.Put(db_->cf(kDefault), kNextCampaignKey,
            RocksDb::EncodeUint64(next_campaign_ + 1));
  if (!request_key.empty()) {
    batch.Put(db_->cf(kRequests), request_key, *record);
  }
  if (absl::Status s = audit_->Write(&batch, {campaign.id()}); !s.ok()) {
    return s;
  }
  ++next_campaign_;
  return campaign;
}

absl::StatusOr<v1::Campaign> RocksDbAwardsStore::GetCampaign(
    absl::string_view id) {
  auto campaign = db_->GetMessage<v1::Campaign>(kCampaigns, id);
  if (!campaign.ok()) return campaign.status();
  if (!campaign->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("campaign ", id, " does not exist"));
  }
  return **std::move(campaign);
}

absl::StatusOr<std::vector<v1::Campaign>> RocksDbAwardsStore::ListCampaigns(
    absl::string_view after_id, int page_size, bool* more) {
  std::vector<v1::Campaign> out;
  *more = false;
  PageFill fill(page_size);
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->cf(kCampaigns)));
  for (it->Seek(ToSlice(after_id)); it->Valid(); it->Next()) {
    if (View(it->key()) <= after_id) continue;
    if (!fill.Take(it->value().size())) {
      *more = true;
      break;
    }
    v1::Campaign campaign;
    if (!campaign.ParseFromArray(it->value().data(),
                                 static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a campaign record cannot be parsed");
    }
    out.push_back(std::move(campaign));
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  return out;
}

absl::StatusOr<v1::Campaign> RocksDbAwardsStore::UpdateCampaign(
    absl::string_view id, const CampaignMutator& mutate) {
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<v1::Campaign> before = GetCampaign(id);
  if (!before.ok()) return before.status();
  v1::Campaign after = *before;
  if (absl::Status s = mutate(&after); !s.ok()) return s;
  after.set_id(before->id());
  after.set_etag(absl::StrCat(EtagVersion(before->etag()) + 1));
  rocksdb::WriteBatch batch;
  absl::StatusOr<std::string> record = RocksDb::EncodeRecord(&after);
  if (!record.ok()) return record.status();
  batch.Put(db_->cf(kCampaigns), after.id(), *record);
  if (absl::Status s = audit_->Write(&batch, {after.id()}); !s.ok()) return s;
  return after;
}

absl::Status RocksDbAwardsStore::StageNomination(
    const v1::Nomination* before, v1::Nomination* stored,
    rocksdb::WriteBatch* batch, std::map<std::string, int64_t>* deltas) {
  absl::StatusOr<std::string> record = RocksDb::EncodeRecord(stored);
  if (!record.ok()) return record.status();
  const v1::Nomination& after = *stored;
  if (before != nullptr) {
    --(*deltas)[SummaryKey(*before)];
    if (before->stage() != v1::NOMINATION_STAGE_REJECTED) {
      batch->Delete(db_->cf(kIndex), OneTypeKey(*before));
    }
  }
  ++(*deltas)[SummaryKey(after)];
  // A rejected nomination frees the slot: the recipient may be proposed again.
  if (after.stage() != v1::NOMINATION_STAGE_REJECTED) {
    batch->Put(db_->cf(kIndex), OneTypeKey(after), after.id());
  }
  batch->Put(db_->cf(kIndex),
             CampaignIndexPrefix(after.campaign_id()) + after.id(), "");
  batch->Put(db_->cf(kIndex),
             RecipientIndexPrefix(RecipientKey(after)) + after.id(), "");
  batch->Put(db_->cf(kNominations), after.id(), *record);
  return absl::OkStatus();
}

absl::Status RocksDbAwardsStore::StageCounts(
    const std::map<std::string, int64_t>& deltas, rocksdb::WriteBatch* batch) {
  for (const auto& [key, delta] : deltas) {
    if (delta == 0) continue;
    absl::StatusOr<uint64_t> count = db_->GetUint64(kIndex, key, 0);
    if (!count.ok()) return count.status();
    const int64_t value = static_cast<int64_t>(*count) + delta;
    if (value == 0) {
      batch->Delete(db_->cf(kIndex), key);
    } else {
      batch->Put(db_->cf(kIndex), key, EncodeCount(value));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Nomination> RocksDbAwardsStore::CreateNomination(
    v1::Nomination nomination, absl::string_view request_id) {
  absl::MutexLock lock(&write_mu_);
  std::string request_key;
  if (!request_id.empty()) {
    request_key = KeyBuilder("Nominate").Raw(request_id).Build();
    auto first = db_->GetMessage<v1::Nomination>(kRequests, request_key);
    if (!first.ok()) return first.status();
    if (first->has_value()) return **std::move(first);
  }
  nomination.set_stage(v1::NOMINATION_STAGE_PROPOSED);
  absl::StatusOr<std::optional<std::string>> holder =
      db_->Get(kIndex, OneTypeKey(nomination));
  if (!holder.ok()) return holder.status();
  if (holder->has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "the recipient already has nomination ", **holder, " for ",
        nomination.award_type(), " in campaign ", nomination.campaign_id()));
  }
  // The summary counters hold each nomination once, in its stage: their sum
  // is the campaign's size, read under the write lock so no two writers
  // pass the bound together.
  absl::StatusOr<std::vector<v1::SummaryRow>> rows =
      Summary(nomination.campaign_id());
  if (!rows.ok()) return rows.status();
  int64_t size = 0;
  for (const v1::SummaryRow& row : *rows) size += row.count();
  if (size >= max_campaign_nominations_) {
    return absl::FailedPreconditionError(
        absl::StrCat("campaign ", nomination.campaign_id(), " already holds ",
                     size, " nominations, the most one campaign may hold"));
  }
  nomination.set_id(absl::StrFormat("N%010d", next_nomination_));
  nomination.set_etag("1");
  *nomination.mutable_create_time() = ToTimestamp(absl::Now());
  rocksdb::WriteBatch batch;
  std::map<std::string, int64_t> deltas;
  if (absl::Status s = StageNomination(nullptr, &nomination, &batch, &deltas);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = StageCounts(deltas, &batch); !s.ok()) return s;
  batch.Put(db_->cf(kDefault), kNextNominationKey,
            RocksDb::EncodeUint64(next_nomination_ + 1));
  if (!request_key.empty()) {
    batch.Put(db_->cf(kRequests), request_key, nomination.SerializeAsString());
  }
  if (absl::Status s = audit_->Write(&batch, {nomination.id()}); !s.ok()) {
    return s;
  }
  ++next_nomination_;
  return nomination;
}

absl::StatusOr<v1::Decision> RocksDbAwardsStore::GetDecision(
    absl::string_view number) {
  absl::StatusOr<std::optional<v1::Decision>> decision =
      db_->GetMessage<v1::Decision>(kDecisions, std::string(number));
  if (!decision.ok()) return decision.status();
  if (!decision->has_value()) {
    return absl::NotFoundError(absl::StrCat("decision ", number));
  }
  return **std::move(decision);
}

absl::StatusOr<v1::Nomination> RocksDbAwardsStore::ReadNomination(
    const std::string& id) {
  auto nomination = db_->GetMessage<v1::Nomination>(kNominations, id);
  if (!nomination.ok()) return nomination.status();
  if (!nomination->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("nomination ", id, " does not exist"));
  }
  return **std::move(nomination);
}

absl::StatusOr<std::optional<v1::Nomination>>
RocksDbAwardsStore::FindNominationByRequest(absl::string_view request_id) {
  if (request_id.empty()) return std::optional<v1::Nomination>();
  return db_->GetMessage<v1::Nomination>(
      kRequests, KeyBuilder("Nominate").Raw(request_id).Build());
}

absl::StatusOr<v1::Nomination> RocksDbAwardsStore::GetNomination(
    absl::string_view id) {
  return ReadNomination(std::string(id));
}

absl::StatusOr<v1::Nomination> RocksDbAwardsStore::UpdateNomination(
    absl::string_view id, const NominationMutator& mutate) {
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<v1::Nomination> before = ReadNomination(std::string(id));
  if (!before.ok()) return before.status();
  v1::Nomination after = *before;
  if (absl::Status s = mutate(&after); !s.ok()) return s;
  after.set_id(before->id());
  after.set_campaign_id(before->campaign_id());
  after.set_award_type(before->award_type());
  after.set_etag(absl::StrCat(EtagVersion(before->etag()) + 1));
  rocksdb::WriteBatch batch;
  std::map<std::string, int64_t> deltas;
  if (absl::Status s = StageNomination(&*before, &after, &batch, &deltas);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = StageCounts(deltas, &batch); !s.ok()) return s;
  if (absl::Status s = audit_->Write(&batch, {after.id()}); !s.ok()) return s;
  return after;
}

absl::StatusOr<std::vector<v1::Nomination>> RocksDbAwardsStore::IssueDecision(
    const v1::Decision& decision, const std::vector<std::string>& ids,
    const NominationMutator& mutate) {
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::optional<std::string>> taken =
      db_->Get(kDecisions, decision.number());
  if (!taken.ok()) return taken.status();
  if (taken->has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "decision number ", decision.number(), " was already issued"));
  }
  rocksdb::WriteBatch batch;
  std::map<std::string, int64_t> deltas;
  std::vector<v1::Nomination> issued;
  for (const std::string& id : ids) {
    absl::StatusOr<v1::Nomination> before = ReadNomination(id);
    if (!before.ok()) return before.status();
    v1::Nomination after = *before;
    if (absl::Status s = mutate(&after); !s.ok()) return s;
    after.set_etag(absl::StrCat(EtagVersion(before->etag()) + 1));
    if (absl::Status s = StageNomination(&*before, &after, &batch, &deltas);
        !s.ok()) {
      return s;
    }
    issued.push_back(std::move(after));
  }
  if (absl::Status s = StageCounts(deltas, &batch); !s.ok()) return s;
  v1::Decision stored = decision;
  for (const std::string& id : ids) stored.add_nomination_ids(id);
  absl::StatusOr<std::string> record = RocksDb::EncodeRecord(&stored);
  if (!record.ok()) return record.status();
  batch.Put(db_->cf(kDecisions), decision.number(), *record);
  std::vector<std::string> targets = {decision.number()};
  targets.insert(targets.end(), ids.begin(), ids.end());
  // A decision is a legal act: synced to disk before it is acknowledged.
  if (absl::Status s = audit_->Write(&batch, targets, /*sync=*/true); !s.ok()) {
    return s;
  }
  return issued;
}

absl::StatusOr<std::vector<std::string>> RocksDbAwardsStore::IdsWithPrefix(
    const std::string& prefix) {
  std::vector<std::string> ids;
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read, db_->cf(kIndex)));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    const absl::string_view key = View(it->key());
    ids.emplace_back(key.substr(key.size() - std::min(key.size(), kIdLength)));
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  return ids;
}

absl::StatusOr<NominationPage> RocksDbAwardsStore::ListNominations(
    const NominationQuery& q) {
  std::string prefix;
  if (!q.person_id.empty()) {
    prefix = RecipientIndexPrefix(absl::StrCat("p:", q.person_id));
  } else if (!q.unit_id.empty()) {
    prefix = RecipientIndexPrefix(absl::StrCat("u:", q.unit_id));
  } else {
    prefix = CampaignIndexPrefix(q.campaign_id);
  }
  absl::StatusOr<std::vector<std::string>> ids = IdsWithPrefix(prefix);
  if (!ids.ok()) return ids.status();
  NominationPage page;
  PageFill fill(q.page_size);
  for (const std::string& id : *ids) {  // index order is id order
    absl::StatusOr<v1::Nomination> n = ReadNomination(id);
    if (!n.ok()) return n.status();
    if (!q.campaign_id.empty() && n->campaign_id() != q.campaign_id) continue;
    if (!q.award_type.empty() && n->award_type() != q.award_type) continue;
    if (q.stage != v1::NOMINATION_STAGE_UNSPECIFIED && n->stage() != q.stage)
      continue;
    ++page.total_size;
    if (id <= q.after_id) continue;
    if (!fill.Take(n->ByteSizeLong())) {
      page.more = true;
      continue;
    }
    page.nominations.push_back(*std::move(n));
  }
  return page;
}

absl::StatusOr<std::vector<v1::Nomination>>
RocksDbAwardsStore::RecipientNominations(absl::string_view recipient_key) {
  absl::StatusOr<std::vector<std::string>> ids =
      IdsWithPrefix(RecipientIndexPrefix(recipient_key));
  if (!ids.ok()) return ids.status();
  std::vector<v1::Nomination> out;
  for (const std::string& id : *ids) {
    absl::StatusOr<v1::Nomination> n = ReadNomination(id);
    if (!n.ok()) return n.status();
    out.push_back(*std::move(n));
  }
  return out;
}

absl::StatusOr<std::vector<v1::SummaryRow>> RocksDbAwardsStore::Summary(
    absl::string_view campaign_id) {
  const std::string prefix = SummaryPrefix(campaign_id);
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper;
  std::vector<v1::SummaryRow> rows;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read, db_->cf(kIndex)));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    absl::string_view rest = View(it->key()).substr(prefix.size());
    const size_t sep = rest.find(kKeySeparator);
    absl::string_view value = View(it->value());
    std::optional<uint64_t> count = ConsumeUint64(&value);
    if (sep == absl::string_view::npos || rest.size() != sep + 3 ||
        !count.has_value()) {
      return absl::DataLossError("a summary counter is corrupt");
    }
    v1::SummaryRow row;
    row.set_award_type(std::string(rest.substr(0, sep)));
    row.set_recipient_kind(static_cast<v1::RecipientKind>(rest[sep + 1]));
    row.set_stage(static_cast<v1::NominationStage>(rest[sep + 2]));
    row.set_count(static_cast<int64_t>(*count));
    rows.push_back(std::move(row));
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  return rows;
}

}  // namespace antt::awards
