#include "services/scoring/registry_follower.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace antt::scoring {
namespace {

constexpr int kPageSize = 500;

}  // namespace

RegistryFollower::RegistryFollower(RegistryClient* registry,
                                   ScoringStore* store, absl::Duration poll)
    : registry_(registry), store_(store), poll_(poll) {}

RegistryFollower::~RegistryFollower() { Stop(); }

absl::Status RegistryFollower::SyncOnce() {
  if (absl::Status s = RetryUnreadable(); !s.ok()) return s;
  while (true) {
    const uint64_t after = store_->RegistrySequence();
    absl::StatusOr<registry::v1::ListChangesResponse> page =
        registry_->ListChanges(after, kPageSize);
    if (!page.ok()) return page.status();
    NoteLag(page->head_sequence(), after);
    if (page->changes().empty()) {
      last_success_.store(absl::ToUnixSeconds(absl::Now()),
                          std::memory_order_relaxed);
      return absl::OkStatus();
    }
    absl::flat_hash_map<std::string, const registry::v1::Unit*> units;
    for (const registry::v1::Unit& unit : page->units()) {
      units[unit.id()] = &unit;
    }
    // A unit changed several times in one page is applied once, as it is
    // now; the mirror applies differences, so re-reading a page after a
    // crash changes nothing.
    absl::flat_hash_set<std::string> seen;
    for (const registry::v1::Change& change : page->changes()) {
      if (change.entity() != registry::v1::CHANGE_ENTITY_UNIT ||
          !seen.insert(change.id()).second) {
        continue;
      }
      auto it = units.find(change.id());
      absl::Status applied = it != units.end()
                                 ? store_->ApplyRegistryUnit(*it->second, after)
                                 : ApplyOrSkip(change.id(), after);
      if (!applied.ok()) return applied;
    }
    if (absl::Status s = store_->AdvanceRegistrySequence(page->last_sequence());
        !s.ok()) {
      return s;
    }
    NoteLag(page->head_sequence(), page->last_sequence());
    last_success_.store(absl::ToUnixSeconds(absl::Now()),
                        std::memory_order_relaxed);
  }
}

void RegistryFollower::NoteLag(uint64_t head, uint64_t applied) {
  // A registry older than head_sequence sends 0: no lag known, none shown.
  if (head == 0) {
    lag_.store(0, std::memory_order_relaxed);
    return;
  }
  lag_.store(head > applied ? static_cast<int64_t>(head - applied) : 0,
             std::memory_order_relaxed);
  // The registry's feed ends before what the mirror has applied: it was
  // restored to an earlier point, and its next changes will reuse sequence
  // numbers the mirror has passed (README, "Backups and restore").
  const bool behind = head < applied;
  if (behind != registry_behind_.exchange(behind)) {
    if (behind) {
      LogError(
          "the registry's change feed ends before the mirror's position: was "
          "the registry restored without scoring? Changes it makes next are "
          "missed until scoring is restored from an older backup too",
          {{"registry_head_sequence", head}, {"mirror_sequence", applied}});
    } else {
      LogInfo("the registry's change feed is past the mirror's position again",
              {{"registry_head_sequence", head}, {"mirror_sequence", applied}});
    }
  }
}

absl::Status RegistryFollower::ApplyOrSkip(const std::string& id,
                                           uint64_t sequence) {
  absl::StatusOr<registry::v1::Unit> unit = registry_->GetUnit(id);
  if (unit.ok()) return store_->ApplyRegistryUnit(*unit, sequence);
  if (absl::IsUnavailable(unit.status()) ||
      absl::IsDeadlineExceeded(unit.status())) {
    return unit.status();  // the registry is away: the page is retried
  }
  // Recorded before the feed moves past it, so a crash in between loses
  // nothing: the page is read again, and the unit skipped or applied.
  if (absl::Status s = store_->MarkUnreadableUnit(id, true); !s.ok()) return s;
  skips_.fetch_add(1, std::memory_order_relaxed);
  LogWarning(
      "registry unit skipped: it cannot be read; the rest of the change feed "
      "goes on, and the unit is retried",
      {{"unit_id", id}, {"error", unit.status().ToString()}});
  absl::StatusOr<std::vector<std::string>> waiting = store_->UnreadableUnits();
  if (waiting.ok()) unreadable_.store(static_cast<int64_t>(waiting->size()));
  return absl::OkStatus();
}

absl::Status RegistryFollower::RetryUnreadable() {
  absl::StatusOr<std::vector<std::string>> ids = store_->UnreadableUnits();
  if (!ids.ok()) return ids.status();
  int64_t still = 0;
  for (const std::string& id : *ids) {
    absl::StatusOr<registry::v1::Unit> unit = registry_->GetUnit(id);
    if (!unit.ok()) {
      if (absl::IsUnavailable(unit.status()) ||
          absl::IsDeadlineExceeded(unit.status())) {
        unreadable_.store(static_cast<int64_t>(ids->size()));
        return unit.status();
      }
      ++still;
      continue;
    }
    if (absl::Status s =
            store_->ApplyRegistryUnit(*unit, store_->RegistrySequence());
        !s.ok()) {
      return s;
    }
    if (absl::Status s = store_->MarkUnreadableUnit(id, false); !s.ok()) {
      return s;
    }
    LogInfo("registry unit read again after it was skipped", {{"unit_id", id}});
  }
  unreadable_.store(still);
  return absl::OkStatus();
}

void RegistryFollower::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void RegistryFollower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void RegistryFollower::Run() {
  absl::Duration backoff = absl::Milliseconds(500);
  bool failing = false;
  while (true) {
    absl::Status status = SyncOnce();
    absl::Duration pause = poll_;
    if (!status.ok()) {
      if (!failing) {
        LogWarning("registry change feed unavailable; statistics paused",
                   {{"error", status.ToString()}});
      }
      failing = true;
      pause = backoff;
      backoff = std::min(backoff * 2, absl::Seconds(10));
    } else {
      if (failing) {
        LogInfo("registry change feed caught up",
                {{"registry_sequence", store_->RegistrySequence()}});
      }
      failing = false;
      backoff = absl::Milliseconds(500);
    }
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), pause)) return;
  }
}

}  // namespace antt::scoring
