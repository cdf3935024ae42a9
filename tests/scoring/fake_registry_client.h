#ifndef ANTT_TESTS_SCORING_FAKE_REGISTRY_CLIENT_H_
#define ANTT_TESTS_SCORING_FAKE_REGISTRY_CLIENT_H_

// An in-memory registry for scoring's unit tests: units by id, a change feed,
// and a switch that makes every call fail as an unreachable registry would.

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/scoring/registry_client.h"

namespace antt::scoring::testing {

class FakeRegistryClient final : public RegistryClient {
 public:
  // Adds or replaces a unit and appends a change for it.
  void Put(const registry::v1::Unit& unit) {
    absl::MutexLock lock(&mu_);
    units_[unit.id()] = unit;
    registry::v1::Change change;
    change.set_sequence(changes_.size() + 1);
    change.set_entity(registry::v1::CHANGE_ENTITY_UNIT);
    change.set_id(unit.id());
    changes_.push_back(change);
  }

  // GetUnit of `id` fails with `status` (OK again: answers as before), as
  // for a record the registry cannot read.
  void FailUnit(const std::string& id, absl::Status status) {
    absl::MutexLock lock(&mu_);
    if (status.ok()) {
      failing_.erase(id);
    } else {
      failing_[id] = std::move(status);
    }
  }

  void SetReachable(bool reachable) {
    absl::MutexLock lock(&mu_);
    reachable_ = reachable;
  }

  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

  absl::StatusOr<registry::v1::Unit> GetUnit(absl::string_view id) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (!reachable_)
      return absl::UnavailableError("registry unreachable (fake)");
    if (auto failing = failing_.find(std::string(id));
        failing != failing_.end()) {
      return failing->second;
    }
    auto it = units_.find(std::string(id));
    if (it == units_.end()) {
      return absl::NotFoundError(absl::StrCat("unit ", id, " does not exist"));
    }
    return it->second;
  }

  absl::StatusOr<registry::v1::ListChangesResponse> ListChanges(
      uint64_t after_sequence, int page_size) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (!reachable_)
      return absl::UnavailableError("registry unreachable (fake)");
    registry::v1::ListChangesResponse response;
    response.set_last_sequence(after_sequence);
    if (!changes_.empty()) {
      response.set_head_sequence(changes_.back().sequence());
    }
    for (const auto& change : changes_) {
      if (change.sequence() <= after_sequence) continue;
      if (response.changes_size() == page_size) break;
      *response.add_changes() = change;
      response.set_last_sequence(change.sequence());
    }
    return response;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, registry::v1::Unit> units_ ABSL_GUARDED_BY(mu_);
  std::vector<registry::v1::Change> changes_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::Status> failing_ ABSL_GUARDED_BY(mu_);
  bool reachable_ ABSL_GUARDED_BY(mu_) = true;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace antt::scoring::testing

#endif  // ANTT_TESTS_SCORING_FAKE_REGISTRY_CLIENT_H_
