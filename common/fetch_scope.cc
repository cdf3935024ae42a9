#include "common/fetch_scope.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/time/clock.h"

namespace antt {
namespace {

thread_local FetchScope* current_scope = nullptr;

// The payload that marks PendingFetchError(); never sent to a caller (a use
// case returning it is run again, not answered with it).
constexpr char kPendingPayload[] = "antt.gov.vn/pending-fetch";

}  // namespace

FetchScope::FetchScope(absl::Time deadline) : deadline_(deadline) {}

FetchScope::~FetchScope() = default;

FetchScope* FetchScope::Current() { return current_scope; }

FetchScope::Activation::Activation(FetchScope* scope)
    : previous_(current_scope) {
  current_scope = scope;
}

FetchScope::Activation::~Activation() { current_scope = previous_; }

const FetchScope::Answer* FetchScope::Lookup(const std::string& key,
                                             absl::Duration per_call,
                                             Start start) {
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted) {
    it->second = std::make_unique<Entry>();
    it->second->per_call = per_call;
    it->second->start = std::move(start);
    wanted_.push_back(it->second.get());
    return nullptr;
  }
  // Asked before: answered, or wanted in this run already.
  return it->second->answer.get();
}

void FetchScope::FetchWanted(absl::AnyInvocable<void() &&> done) {
  std::vector<Entry*> round;
  round.swap(wanted_);
  ++rounds_;
  bool cancelled = false;
  {
    absl::MutexLock lock(&mu_);
    cancelled = cancelled_;
    outstanding_ = static_cast<int>(round.size());
    done_ = std::move(done);
    if (!cancelled) {
      const absl::Time now = absl::Now();
      for (Entry* entry : round) {
        entry->context = std::make_unique<grpc::ClientContext>();
        entry->context->set_deadline(
            absl::ToChronoTime(std::min(now + entry->per_call, deadline_)));
        in_flight_.push_back(entry->context.get());
      }
    }
  }
  if (round.empty()) {
    absl::AnyInvocable<void() &&> run;
    {
      absl::MutexLock lock(&mu_);
      run = std::move(done_);
    }
    std::move(run)();
    return;
  }
  // Started outside the lock: an answer may come back on this very thread,
  // and the last one runs `done`, which may start the next round.
  for (Entry* entry : round) {
    if (cancelled) {
      Answered(entry, absl::CancelledError("the call was cancelled"));
      continue;
    }
    entry->start(entry->context.get(), [this, entry](Answer answer) {
      Answered(entry, std::move(answer));
    });
  }
}

void FetchScope::Answered(Entry* entry, Answer answer) {
  entry->answer = std::make_unique<Answer>(std::move(answer));
  absl::AnyInvocable<void() &&> run;
  {
    absl::MutexLock lock(&mu_);
    if (--outstanding_ > 0) return;
    in_flight_.clear();
    run = std::move(done_);
  }
  std::move(run)();
}

void FetchScope::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  // A context stays alive until the scope dies, which is after every answer.
  for (grpc::ClientContext* context : in_flight_) context->TryCancel();
}

absl::Status PendingFetchError() {
  absl::Status status = absl::UnavailableError(
      "an answer of another service is still being fetched");
  status.SetPayload(kPendingPayload, absl::Cord("1"));
  return status;
}

bool IsPendingFetch(const absl::Status& status) {
  return status.GetPayload(kPendingPayload).has_value();
}

}  // namespace antt
