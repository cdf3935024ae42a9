#include "services/scoring/registry_follower.h"

#include <algorithm>
#include <set>

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
  while (true) {
    const uint64_t after = store_->RegistrySequence();
    absl::StatusOr<registry::v1::ListChangesResponse> page =
        registry_->ListChanges(after, kPageSize);
    if (!page.ok()) return page.status();
    if (page->changes().empty()) return absl::OkStatus();
    // A unit changed several times in one page is read once, as it is now;
    // the mirror applies differences, so re-reading a page after a crash
    // changes nothing.
    std::set<std::string> seen;
    for (const registry::v1::Change& change : page->changes()) {
      if (change.entity() != registry::v1::CHANGE_ENTITY_UNIT ||
          !seen.insert(change.id()).second) {
        continue;
      }
      absl::StatusOr<registry::v1::Unit> unit = registry_->GetUnit(change.id());
      if (!unit.ok()) return unit.status();
      if (absl::Status s = store_->ApplyRegistryUnit(*unit, after); !s.ok()) {
        return s;
      }
    }
    if (absl::Status s = store_->AdvanceRegistrySequence(page->last_sequence());
        !s.ok()) {
      return s;
    }
  }
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
