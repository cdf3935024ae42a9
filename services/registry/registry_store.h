#ifndef ANTT_SERVICES_REGISTRY_REGISTRY_STORE_H_
#define ANTT_SERVICES_REGISTRY_REGISTRY_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "antt/registry/v1/registry.pb.h"

namespace antt::registry {

// What ListUnits selects. Every filter left at its zero value is off.
struct UnitQuery {
  std::string edition;    // the edition of area_code
  std::string area_code;  // any level; empty: every unit
  v1::UnitKind kind = v1::UNIT_KIND_UNSPECIFIED;
  v1::ManagingLevel managing_level = v1::MANAGING_LEVEL_UNSPECIFIED;
  v1::UnitStatus status = v1::UNIT_STATUS_UNSPECIFIED;
  std::optional<bool> in_scope;
  std::string folded_query;  // FoldForSearch() of the name query
  std::string after_id;      // resume after this id ("" from the start)
  int page_size = 100;
};

struct UnitPage {
  std::vector<v1::Unit> units;  // in id order
  bool more = false;            // more units match after the last one
  int total_size = 0;           // every match, across all pages
};

struct PersonQuery {
  std::string unit_id;       // current workplace; empty: any
  std::string folded_query;  // FoldForSearch() of the name query
  std::string after_id;
  int page_size = 100;
};

struct PersonPage {
  std::vector<v1::Person> persons;
  bool more = false;
  int total_size = 0;
};

enum class UpsertOutcome { kCreated, kUpdated };

// Edits a stored record in place; a non-OK status aborts the write.
using UnitMutator = std::function<absl::Status(v1::Unit* unit)>;
using PersonMutator = std::function<absl::Status(v1::Person* person)>;
// Builds the record to write from the existing one (nullptr: none matched)
// and the incoming one.
using UnitUpserter =
    std::function<absl::Status(const v1::Unit* existing, v1::Unit* result)>;

// Durable storage of units, persons, their indexes and the change feed.
//
// Contract for every method:
// - Thread-safe. Reads see a consistent snapshot; writes are serialized, and
//   everything one call changes (record, indexes, id counter, change-feed
//   entry, request-id entry, and the audit record of the call being served,
//   common/audit.h) is committed in one atomic write, or nothing is.
// - A returned OK means the write is in the write-ahead log: it survives a
//   crash of the process.
// - NotFound is the answer for an unknown id. AlreadyExists means a unique key
//   (tax code among ACTIVE units, external id) belongs to another unit; its
//   message names the field and the holder.
// - Records passed in are already validated; the store assigns id, status on
//   creation, create/update times and etag, and never trusts those fields
//   from the caller.
class RegistryStore {
 public:
  virtual ~RegistryStore() = default;

  [[nodiscard]] virtual absl::StatusOr<v1::Unit> GetUnit(
      absl::string_view id) = 0;

  // Creates `unit` ACTIVE. With a non-empty `request_id` seen before by
  // CreateUnit, returns the unit as first created and writes nothing.
  [[nodiscard]] virtual absl::StatusOr<v1::Unit> CreateUnit(
      v1::Unit unit, absl::string_view request_id) = 0;

  // Reads unit `id`, lets `mutate` change it (under the write lock, so no
  // other write interleaves), re-checks unique keys and writes it with a new
  // etag. A status of DISSOLVED set by `mutate` records a dissolution.
  [[nodiscard]] virtual absl::StatusOr<v1::Unit> UpdateUnit(
      absl::string_view id, const UnitMutator& mutate) = 0;

  // Import: finds the unit `incoming` names — an enterprise by its tax_code
  // among active units, any other kind by external_id — and writes what
  // `upsert` builds from it, as an update, or as a creation when none matched.
  [[nodiscard]] virtual absl::StatusOr<std::pair<v1::Unit, UpsertOutcome>>
  UpsertUnit(const v1::Unit& incoming, const UnitUpserter& upsert) = 0;

  [[nodiscard]] virtual absl::StatusOr<UnitPage> ListUnits(
      const UnitQuery& query) = 0;

  // Changes with sequence > after_sequence, oldest first, at most page_size.
  [[nodiscard]] virtual absl::StatusOr<std::vector<v1::Change>> ListChanges(
      uint64_t after_sequence, int page_size) = 0;
  // The sequence of the newest change committed; 0 when there is none.
  [[nodiscard]] virtual absl::StatusOr<uint64_t> LastChangeSequence() = 0;

  [[nodiscard]] virtual absl::StatusOr<v1::Person> GetPerson(
      absl::string_view id) = 0;
  // As CreateUnit, for persons; status defaults to ACTIVE when unset.
  [[nodiscard]] virtual absl::StatusOr<v1::Person> CreatePerson(
      v1::Person person, absl::string_view request_id) = 0;
  [[nodiscard]] virtual absl::StatusOr<v1::Person> UpdatePerson(
      absl::string_view id, const PersonMutator& mutate) = 0;
  [[nodiscard]] virtual absl::StatusOr<PersonPage> ListPersons(
      const PersonQuery& query) = 0;
};

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_REGISTRY_STORE_H_
