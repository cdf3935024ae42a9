#ifndef ANTT_SERVICES_REGISTRY_REGISTRY_H_
#define ANTT_SERVICES_REGISTRY_REGISTRY_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "antt/registry/v1/registry.pb.h"
#include "common/principal.h"
#include "services/registry/area_catalog.h"
#include "services/registry/registry_store.h"

namespace antt::registry {

// The registry's use cases, one method per RPC: validate the request, apply
// the rules of SPEC section 1 and the caller's area scope, call the store. No
// gRPC here; the service adapter only translates statuses. Thread-safe (the
// store is).
class Registry final {
 public:
  // Neither is owned; both must outlive the Registry. `today` gives the
  // current date in Vietnam (a seam for tests).
  Registry(const AreaCatalog* areas, RegistryStore* store,
           std::function<absl::CivilDay()> today = VietnamToday);

  [[nodiscard]] absl::StatusOr<v1::Unit> CreateUnit(
      const Principal& caller, const v1::CreateUnitRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Unit> GetUnit(
      const Principal& caller, const v1::GetUnitRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Unit> UpdateUnit(
      const Principal& caller, const v1::UpdateUnitRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Unit> DissolveUnit(
      const Principal& caller, const v1::DissolveUnitRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListUnitsResponse> ListUnits(
      const Principal& caller, const v1::ListUnitsRequest& request);
  // Upserts row `row` (1-based) of an import into `response`: counts it as
  // created, updated or rejected (with one error naming the field). A storage
  // failure is returned instead, so the caller can stop the import.
  // A row outside an area-limited caller's area fails the call with
  // PERMISSION_DENIED (rows before it stay written, as on cancellation).
  [[nodiscard]] absl::Status ImportRow(const Principal& caller, int row,
                                       const v1::Unit& unit,
                                       v1::ImportUnitsResponse* response);
  // Counts row `row` as rejected for `why` (its first field violation, or
  // its message) in `response`, as ImportRow does for a row it refuses.
  static void RejectImportRow(int row, const absl::Status& why,
                              v1::ImportUnitsResponse* response);
  [[nodiscard]] absl::StatusOr<v1::ListChangesResponse> ListChanges(
      const v1::ListChangesRequest& request);

  [[nodiscard]] absl::StatusOr<v1::Area> GetArea(
      const v1::GetAreaRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListAreasResponse> ListAreas(
      const v1::ListAreasRequest& request);

  [[nodiscard]] absl::StatusOr<v1::Person> CreatePerson(
      const Principal& caller, const v1::CreatePersonRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Person> GetPerson(
      const Principal& caller, const v1::GetPersonRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Person> UpdatePerson(
      const Principal& caller, const v1::UpdatePersonRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListPersonsResponse> ListPersons(
      const Principal& caller, const v1::ListPersonsRequest& request);

  // Today's date in Vietnam (UTC+7).
  static absl::CivilDay VietnamToday();

 private:
  // InvalidArgument naming the field of each unit `person` refers to (its
  // current unit, each position's) that does not exist; then, for a caller
  // limited to an area, PERMISSION_DENIED naming the first field whose unit
  // lies outside it — every unit a person record refers to opens that unit's
  // facts (eligibility reads the history of units a person led). A position
  // whose unit `stored` (the record before an update; nullptr on create)
  // holds already is left as it is: a caller allowed to wrote it.
  absl::Status CheckPersonUnits(const Principal& caller,
                                const v1::Person& person,
                                const v1::Person* stored);
  // PERMISSION_DENIED unless the person's current unit is in the caller's
  // area (a person without one is outside every area). The refusal does not
  // name the unit.
  absl::Status CheckPersonInScope(const Principal& caller,
                                  const v1::Person& person);
  absl::Status CheckEdition(const std::string& edition,
                            const std::string& field) const;

  const AreaCatalog* areas_;
  RegistryStore* store_;
  std::function<absl::CivilDay()> today_;
};

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_REGISTRY_H_
