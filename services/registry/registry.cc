#include "services/registry/registry.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/date.h"
#include "common/etag.h"
#include "common/field_violations.h"
#include "common/paging.h"
#include "common/request_id.h"
#include "common/text.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/registry/area_scope.h"
#include "services/registry/person_rules.h"
#include "services/registry/unit_rules.h"

namespace antt::registry {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr size_t kMaxQueryCharacters = 300;
// Keeps an import's response well under gRPC's 4 MB message limit.
constexpr int kMaxImportErrors = 1000;

absl::Status CheckId(const std::string& id, const std::string& field) {
  if (id.empty()) return InvalidField(field, "is required");
  return absl::OkStatus();
}

absl::StatusOr<std::string> FoldQuery(const std::string& query,
                                      const std::string& field) {
  if (query.empty()) return std::string();
  FieldViolations v;
  std::string copy = query;
  CheckText(&copy, field, 0, kMaxQueryCharacters, &v);
  if (!v.empty()) return v.ToStatus();
  return FoldForSearch(copy);
}

// A tax code or external id already held by another unit: a caller limited
// to an area learns that the value is taken, not which unit holds it (that
// unit may lie in another area).
absl::Status WithoutHolder(const Principal& caller, absl::Status status) {
  if (!caller.limited_to_area() || !absl::IsAlreadyExists(status)) {
    return status;
  }
  const auto violations = FieldViolationsOf(status);
  if (violations.empty()) return status;
  return FieldError(absl::StatusCode::kAlreadyExists, violations.front().first,
                    "is already used by another unit");
}

}  // namespace

Registry::Registry(const AreaCatalog* areas, RegistryStore* store,
                   std::function<absl::CivilDay()> today)
    : areas_(areas), store_(store), today_(std::move(today)) {}

absl::CivilDay Registry::VietnamToday() {
  return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(7 * 3600));
}

absl::StatusOr<v1::Unit> Registry::CreateUnit(
    const Principal& caller, const v1::CreateUnitRequest& request) {
  if (absl::Status s = CheckRequestId(request.request_id()); !s.ok()) return s;
  v1::Unit unit = request.unit();
  ClearOutputOnlyFields(&unit);
  if (absl::Status s = NormalizeAndValidateUnit(*areas_, &unit); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckUnitInScope(caller, unit); !s.ok()) return s;
  absl::StatusOr<v1::Unit> created = store_->CreateUnit(
      std::move(unit), CallerRequestKey(caller, request.request_id()));
  if (!created.ok()) return WithoutHolder(caller, created.status());
  // A retry answers with the unit first created, which must still be the
  // caller's to see.
  if (absl::Status s = CheckUnitInScope(caller, *created); !s.ok()) return s;
  return created;
}

absl::StatusOr<v1::Unit> Registry::GetUnit(const Principal& caller,
                                           const v1::GetUnitRequest& request) {
  if (absl::Status s = CheckId(request.id(), "id"); !s.ok()) return s;
  absl::StatusOr<v1::Unit> unit = store_->GetUnit(request.id());
  if (!unit.ok()) return unit.status();
  if (absl::Status s = CheckUnitInScope(caller, *unit); !s.ok()) return s;
  return unit;
}

absl::StatusOr<v1::Unit> Registry::UpdateUnit(
    const Principal& caller, const v1::UpdateUnitRequest& request) {
  if (absl::Status s = CheckId(request.unit().id(), "unit.id"); !s.ok()) {
    return s;
  }
  absl::StatusOr<v1::Unit> updated =
      store_->UpdateUnit(request.unit().id(), [&](v1::Unit* unit) {
        // Scope first: a caller outside the unit's area learns nothing of it.
        if (absl::Status s = CheckUnitInScope(caller, *unit); !s.ok()) return s;
        if (absl::Status s = CheckEtag(request.unit().etag(), unit->etag(),
                                       absl::StrCat("unit ", unit->id()));
            !s.ok()) {
          return s;
        }
        if (unit->status() == v1::UNIT_STATUS_DISSOLVED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "unit ", unit->id(), " is dissolved; its record is read-only"));
        }
        if (absl::Status s =
                ApplyUnitMask(request.unit(), request.update_mask(), unit);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = NormalizeAndValidateUnit(*areas_, unit); !s.ok()) {
          return s;
        }
        // Nor may it move the unit out of its area.
        return CheckUnitInScope(caller, *unit);
      });
  if (!updated.ok()) return WithoutHolder(caller, updated.status());
  return updated;
}

absl::StatusOr<v1::Unit> Registry::DissolveUnit(
    const Principal& caller, const v1::DissolveUnitRequest& request) {
  FieldViolations v;
  if (request.id().empty()) v.Add("id", "is required");
  if (!request.has_dissolve_date() || IsEmptyDate(request.dissolve_date())) {
    v.Add("dissolve_date", "is required");
  } else if (absl::Status s = CheckDate(request.dissolve_date()); !s.ok()) {
    v.Add("dissolve_date", std::string(s.message()));
  } else if (absl::CivilDay(request.dissolve_date().year(),
                            request.dissolve_date().month(),
                            request.dissolve_date().day()) > today_()) {
    v.Add("dissolve_date", "must not be in the future");
  }
  std::string reason = request.reason();
  CheckText(&reason, "reason", 1, 500, &v);
  if (!v.empty()) return v.ToStatus();

  return store_->UpdateUnit(request.id(), [&](v1::Unit* unit) {
    if (absl::Status s = CheckUnitInScope(caller, *unit); !s.ok()) return s;
    if (absl::Status s = CheckEtag(request.etag(), unit->etag(),
                                   absl::StrCat("unit ", unit->id()));
        !s.ok()) {
      return s;
    }
    if (unit->status() == v1::UNIT_STATUS_DISSOLVED) {
      return absl::FailedPreconditionError(
          absl::StrCat("unit ", unit->id(), " was already dissolved on ",
                       FormatDate(unit->dissolve_date())));
    }
    if (unit->has_established_date() &&
        CompareDates(request.dissolve_date(), unit->established_date()) < 0) {
      return InvalidField(
          "dissolve_date",
          absl::StrCat("is before the unit was established (",
                       FormatDate(unit->established_date()), ")"));
    }
    unit->set_status(v1::UNIT_STATUS_DISSOLVED);
    *unit->mutable_dissolve_date() = request.dissolve_date();
    unit->set_dissolve_reason(reason);
    return absl::OkStatus();
  });
}

absl::Status Registry::CheckEdition(const std::string& edition,
                                    const std::string& field) const {
  if (!areas_->HasEdition(edition)) {
    return InvalidField(
        field, absl::StrCat("unknown edition \"", edition, "\"; known: ",
                            absl::StrJoin(areas_->Editions(), ", ")));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListUnitsResponse> Registry::ListUnits(
    const Principal& caller, const v1::ListUnitsRequest& request) {
  FieldViolations v;
  UnitQuery query;
  query.edition = request.edition().empty() ? std::string(kCurrentEdition)
                                            : request.edition();
  query.area_code = request.area_code();
  if (!areas_->HasEdition(query.edition)) {
    v.Add("edition",
          absl::StrCat("unknown edition \"", query.edition,
                       "\"; known: ", absl::StrJoin(areas_->Editions(), ", ")));
  } else if (!query.area_code.empty() &&
             areas_->Find(query.edition, query.area_code) == nullptr) {
    v.Add("area_code",
          absl::StrCat("\"", query.area_code, "\" is not an area of edition ",
                       query.edition));
  }
  if (!v1::UnitKind_IsValid(request.kind())) {
    v.Add("kind", absl::StrCat("unknown value ", request.kind()));
  }
  if (!v1::ManagingLevel_IsValid(request.managing_level())) {
    v.Add("managing_level",
          absl::StrCat("unknown value ", request.managing_level()));
  }
  if (!v1::UnitStatus_IsValid(request.status())) {
    v.Add("status", absl::StrCat("unknown value ", request.status()));
  }
  absl::StatusOr<std::string> folded = FoldQuery(request.query(), "query");
  if (!folded.ok()) {
    for (auto& [field, message] : FieldViolationsOf(folded.status())) {
      v.Add(field, message);
    }
  }
  absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
  if (!page_size.ok()) v.Add("page_size", "must be between 1 and 1000");
  if (!v.empty()) return v.ToStatus();
  if (absl::Status s =
          CheckAreaFilter(caller, *areas_, query.edition, query.area_code);
      !s.ok()) {
    return s;
  }

  query.kind = request.kind();
  query.managing_level = request.managing_level();
  query.status = request.status();
  if (request.has_in_scope()) query.in_scope = request.in_scope();
  query.folded_query = *folded;
  query.page_size = *page_size;
  // The page token is bound to every filter, so it cannot be replayed with
  // other ones.
  const std::string filters = absl::StrCat(
      query.edition, "|", query.area_code, "|", query.kind, "|",
      query.managing_level, "|", query.status, "|",
      request.has_in_scope() ? (request.in_scope() ? "1" : "0") : "-", "|",
      query.folded_query);
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), filters);
  if (!after.ok()) return after.status();
  query.after_id = *after;

  absl::StatusOr<UnitPage> page = store_->ListUnits(query);
  if (!page.ok()) return page.status();
  v1::ListUnitsResponse response;
  response.set_total_size(page->total_size);
  if (page->more && !page->units.empty()) {
    response.set_next_page_token(
        EncodePageToken(page->units.back().id(), filters));
  }
  for (v1::Unit& unit : page->units) *response.add_units() = std::move(unit);
  return response;
}

absl::Status Registry::ImportRow(const Principal& caller, int row,
                                 const v1::Unit& unit,
                                 v1::ImportUnitsResponse* response) {
  v1::Unit incoming = unit;
  ClearOutputOnlyFields(&incoming);
  absl::Status status = NormalizeAndValidateUnit(*areas_, &incoming);
  if (status.ok() && incoming.kind() != v1::UNIT_KIND_ENTERPRISE &&
      incoming.external_id().empty()) {
    status = InvalidField(
        "unit.external_id",
        "is required to import an agency or school: a re-import finds the "
        "unit by it");
  }
  if (status.ok()) {
    if (absl::Status s = CheckUnitInScope(caller, incoming); !s.ok()) {
      return s;
    }
    absl::StatusOr<std::pair<v1::Unit, UpsertOutcome>> written =
        store_->UpsertUnit(incoming, [&](const v1::Unit* existing,
                                         v1::Unit* result) {
          if (existing == nullptr) {
            *result = incoming;
            return absl::OkStatus();
          }
          // An officer updates only units of its area — and learns
          // nothing of a unit elsewhere that holds the row's tax code or
          // external id, not even its id.
          if (!UnitInScope(caller, *existing)) {
            return OutsideArea(
                caller, "the unit holding this row's tax_code or external_id");
          }
          if (existing->status() == v1::UNIT_STATUS_DISSOLVED) {
            return FieldError(absl::StatusCode::kFailedPrecondition,
                              "unit.external_id",
                              absl::StrCat("belongs to unit ", existing->id(),
                                           ", which is dissolved"));
          }
          // A non-enterprise row matched on external_id must not turn
          // an enterprise into something else.
          if (incoming.kind() != v1::UNIT_KIND_ENTERPRISE &&
              existing->kind() == v1::UNIT_KIND_ENTERPRISE) {
            return FieldError(
                absl::StatusCode::kFailedPrecondition, "unit.external_id",
                absl::StrCat("belongs to enterprise ", existing->id(),
                             "; enterprises are matched by tax_code"));
          }
          *result = *existing;
          CopySettableFields(incoming, result);
          ComputeScope(result);
          return absl::OkStatus();
        });
    if (written.ok()) {
      if (written->second == UpsertOutcome::kCreated) {
        response->set_created(response->created() + 1);
      } else {
        response->set_updated(response->updated() + 1);
      }
      return absl::OkStatus();
    }
    status = WithoutHolder(caller, written.status());
    // A rule the row breaks is the row's error; anything else (storage
    // trouble, a unit outside the caller's area) stops the import.
    if (status.code() != absl::StatusCode::kAlreadyExists &&
        status.code() != absl::StatusCode::kFailedPrecondition) {
      return status;
    }
  }
  RejectImportRow(row, status, response);
  return absl::OkStatus();
}

void Registry::RejectImportRow(int row, const absl::Status& why,
                               v1::ImportUnitsResponse* response) {
  response->set_rejected(response->rejected() + 1);
  if (response->errors_size() >= kMaxImportErrors) {
    response->set_errors_omitted(response->errors_omitted() + 1);
    return;
  }
  v1::ImportError* error = response->add_errors();
  error->set_row(row);
  const auto violations = FieldViolationsOf(why);
  if (!violations.empty()) error->set_field(violations.front().first);
  error->set_message(std::string(why.message()));
}

absl::StatusOr<v1::ListChangesResponse> Registry::ListChanges(
    const v1::ListChangesRequest& request) {
  absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::vector<v1::Change>> changes =
      store_->ListChanges(request.after_sequence(), *page_size);
  if (!changes.ok()) return changes.status();
  // Read after the page, so it is never behind the page's last change.
  absl::StatusOr<uint64_t> head = store_->LastChangeSequence();
  if (!head.ok()) return head.status();
  v1::ListChangesResponse response;
  response.set_head_sequence(*head);
  response.set_last_sequence(request.after_sequence());
  size_t unit_bytes = 0;
  absl::flat_hash_set<std::string> included;
  for (v1::Change& change : *changes) {
    if (request.with_units() && change.entity() == v1::CHANGE_ENTITY_UNIT &&
        !included.contains(change.id())) {
      // As it is now; a unit that cannot be read is left out, and the
      // mirror asks for it on its own (and reports it if it still fails).
      absl::StatusOr<v1::Unit> unit = store_->GetUnit(change.id());
      if (unit.ok()) {
        const size_t size = unit->ByteSizeLong();
        if (response.changes_size() > 0 && unit_bytes + size > kMaxPageBytes) {
          break;  // the rest in the next page
        }
        unit_bytes += size;
        included.insert(change.id());
        *response.add_units() = *std::move(unit);
      }
    }
    response.set_last_sequence(change.sequence());
    *response.add_changes() = std::move(change);
  }
  return response;
}

absl::StatusOr<v1::Area> Registry::GetArea(const v1::GetAreaRequest& request) {
  FieldViolations v;
  if (request.edition().empty()) {
    v.Add("edition", "is required");
  } else if (absl::Status s = CheckEdition(request.edition(), "edition");
             !s.ok()) {
    return s;
  }
  if (request.code().empty()) v.Add("code", "is required");
  if (!v.empty()) return v.ToStatus();
  const v1::Area* area = areas_->Find(request.edition(), request.code());
  if (area == nullptr) {
    return absl::NotFoundError(absl::StrCat("no area ", request.code(),
                                            " in edition ", request.edition()));
  }
  return *area;
}

absl::StatusOr<v1::ListAreasResponse> Registry::ListAreas(
    const v1::ListAreasRequest& request) {
  FieldViolations v;
  if (request.edition().empty()) {
    v.Add("edition", "is required");
  } else if (!areas_->HasEdition(request.edition())) {
    v.Add("edition",
          absl::StrCat("unknown edition \"", request.edition(),
                       "\"; known: ", absl::StrJoin(areas_->Editions(), ", ")));
  } else if (!request.parent_code().empty() &&
             areas_->Find(request.edition(), request.parent_code()) ==
                 nullptr) {
    v.Add("parent_code",
          absl::StrCat("\"", request.parent_code(),
                       "\" is not an area of edition ", request.edition()));
  }
  if (!v1::AreaLevel_IsValid(request.level())) {
    v.Add("level", absl::StrCat("unknown value ", request.level()));
  }
  absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
  if (!page_size.ok()) v.Add("page_size", "must be between 1 and 1000");
  if (!v.empty()) return v.ToStatus();

  const std::string filters = absl::StrCat(
      request.edition(), "|", request.parent_code(), "|", request.level());
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), filters);
  if (!after.ok()) return after.status();

  v1::ListAreasResponse response;
  const std::vector<const v1::Area*> areas =
      areas_->List(request.edition(), request.parent_code(), request.level());
  response.set_total_size(static_cast<int>(areas.size()));
  for (const v1::Area* area : areas) {
    if (area->code() <= *after) continue;
    if (response.areas_size() == *page_size) {
      response.set_next_page_token(EncodePageToken(
          response.areas(response.areas_size() - 1).code(), filters));
      break;
    }
    *response.add_areas() = *area;
  }
  return response;
}

absl::Status Registry::CheckPersonUnits(const Principal& caller,
                                        const v1::Person& person,
                                        const v1::Person* stored) {
  FieldViolations v;
  absl::Status outside;  // the first reference outside the caller's area
  // A position of the stored record, kept exactly as it is, may stay at a
  // unit elsewhere; any change to it (role, dates, title) is a position of
  // the caller's making, and must be in its area.
  const auto kept = [stored](const v1::Position& position) {
    if (stored == nullptr) return false;
    // Stored records hold no unknown fields: a client's own do not count.
    v1::Position known = position;
    known.DiscardUnknownFields();
    return std::any_of(stored->positions().begin(), stored->positions().end(),
                       [&known](const v1::Position& p) {
                         return MessageDifferencer::Equals(p, known);
                       });
  };
  const auto check = [&](const std::string& unit_id, std::string field,
                         bool may_keep) {
    if (unit_id.empty()) return absl::OkStatus();
    absl::StatusOr<v1::Unit> unit = store_->GetUnit(unit_id);
    if (absl::IsNotFound(unit.status())) {
      v.Add(std::move(field),
            absl::StrCat("unit ", unit_id, " does not exist"));
      return absl::OkStatus();
    }
    if (!unit.ok()) return unit.status();
    if (outside.ok() && !UnitInScope(caller, *unit) && !may_keep) {
      // The field, never the unit: the caller may not learn where it lies.
      outside = OutsideArea(caller, absl::StrCat("the unit of ", field));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = check(person.unit_id(), "person.unit_id", false);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < person.positions_size(); ++i) {
    if (absl::Status s =
            check(person.positions(i).unit_id(),
                  absl::StrCat("person.positions[", i, "].unit_id"),
                  kept(person.positions(i)));
        !s.ok()) {
      return s;
    }
  }
  if (!v.empty()) return v.ToStatus();
  return outside;
}

absl::Status Registry::CheckPersonInScope(const Principal& caller,
                                          const v1::Person& person) {
  if (!caller.limited_to_area()) return absl::OkStatus();
  const std::string who =
      person.id().empty() ? "a person" : absl::StrCat("person ", person.id());
  if (person.unit_id().empty()) {
    return OutsideArea(caller, absl::StrCat(who, " with no current unit"));
  }
  absl::StatusOr<v1::Unit> unit = store_->GetUnit(person.unit_id());
  if (!unit.ok()) return unit.status();
  if (UnitInScope(caller, *unit)) return absl::OkStatus();
  // Not the unit's id: where the person works is not the caller's to know.
  return OutsideArea(caller, who);
}

absl::StatusOr<v1::Person> Registry::CreatePerson(
    const Principal& caller, const v1::CreatePersonRequest& request) {
  if (absl::Status s = CheckRequestId(request.request_id()); !s.ok()) return s;
  v1::Person person = request.person();
  ClearOutputOnlyFields(&person);
  if (absl::Status s = NormalizeAndValidatePerson(&person, today_()); !s.ok()) {
    return s;
  }
  // Units are never deleted, so a unit found here still exists at the write.
  if (absl::Status s = CheckPersonUnits(caller, person, nullptr); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckPersonInScope(caller, person); !s.ok()) return s;
  absl::StatusOr<v1::Person> created = store_->CreatePerson(
      std::move(person), CallerRequestKey(caller, request.request_id()));
  if (!created.ok()) return created.status();
  if (absl::Status s = CheckPersonInScope(caller, *created); !s.ok()) return s;
  return created;
}

absl::StatusOr<v1::Person> Registry::GetPerson(
    const Principal& caller, const v1::GetPersonRequest& request) {
  if (absl::Status s = CheckId(request.id(), "id"); !s.ok()) return s;
  absl::StatusOr<v1::Person> person = store_->GetPerson(request.id());
  if (!person.ok()) return person.status();
  if (absl::Status s = CheckPersonInScope(caller, *person); !s.ok()) return s;
  return person;
}

absl::StatusOr<v1::Person> Registry::UpdatePerson(
    const Principal& caller, const v1::UpdatePersonRequest& request) {
  if (absl::Status s = CheckId(request.person().id(), "person.id"); !s.ok()) {
    return s;
  }
  const absl::CivilDay today = today_();
  return store_->UpdatePerson(request.person().id(), [&](v1::Person* person) {
    const v1::Person stored = *person;
    if (absl::Status s = CheckPersonInScope(caller, *person); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckEtag(request.person().etag(), person->etag(),
                                   absl::StrCat("person ", person->id()));
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            ApplyPersonMask(request.person(), request.update_mask(), person);
        !s.ok()) {
      return s;
    }
    if (person->status() == v1::PERSON_STATUS_UNSPECIFIED) {
      person->set_status(stored.status());  // a full replacement keeps it
    }
    if (absl::Status s = NormalizeAndValidatePerson(person, today); !s.ok()) {
      return s;
    }
    // Reads do not take the store's write lock, so these may run under it.
    if (absl::Status s = CheckPersonUnits(caller, *person, &stored); !s.ok()) {
      return s;
    }
    return CheckPersonInScope(caller, *person);
  });
}

absl::StatusOr<v1::ListPersonsResponse> Registry::ListPersons(
    const Principal& caller, const v1::ListPersonsRequest& request) {
  FieldViolations v;
  absl::StatusOr<std::string> folded = FoldQuery(request.query(), "query");
  if (!folded.ok()) {
    for (auto& [field, message] : FieldViolationsOf(folded.status())) {
      v.Add(field, message);
    }
  }
  absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
  if (!page_size.ok()) v.Add("page_size", "must be between 1 and 1000");
  if (!v.empty()) return v.ToStatus();
  if (!request.unit_id().empty()) {
    absl::StatusOr<v1::Unit> unit = store_->GetUnit(request.unit_id());
    if (!unit.ok()) return unit.status();
    if (absl::Status s = CheckUnitInScope(caller, *unit); !s.ok()) return s;
  } else if (caller.limited_to_area()) {
    return absl::PermissionDeniedError(
        absl::StrCat(caller.Describe(),
                     " must list the persons of one unit in its area "
                     "(unit_id)"));
  }
  PersonQuery query;
  query.unit_id = request.unit_id();
  query.folded_query = *folded;
  query.page_size = *page_size;
  const std::string filters = absl::StrCat(query.unit_id, "|", *folded);
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), filters);
  if (!after.ok()) return after.status();
  query.after_id = *after;

  absl::StatusOr<PersonPage> page = store_->ListPersons(query);
  if (!page.ok()) return page.status();
  v1::ListPersonsResponse response;
  response.set_total_size(page->total_size);
  if (page->more && !page->persons.empty()) {
    response.set_next_page_token(
        EncodePageToken(page->persons.back().id(), filters));
  }
  for (v1::Person& person : page->persons) {
    *response.add_persons() = std::move(person);
  }
  return response;
}

}  // namespace antt::registry
