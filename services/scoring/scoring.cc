#include "services/scoring/scoring.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/date.h"
#include "common/etag.h"
#include "common/field_violations.h"
#include "common/paging.h"
#include "common/request_id.h"
#include "services/registry/area_scope.h"
#include "services/scoring/scorer.h"

namespace antt::scoring {
namespace {

namespace rv1 = ::antt::registry::v1;

constexpr int kMinYear = 1990;
constexpr int kMaxYear = 2100;
constexpr int kMaxStatsYears = 50;
constexpr int kMaxDecisionSize = 1000;

// The notes and event descriptions of `a` as Score checked them (NFC,
// trimmed, CheckText), so what is stored is what was bounded.
void StoreTextsAsChecked(v1::Assessment* a) {
  FieldViolations checked_already;  // Score reported any problem
  for (v1::ConditionAnswer& c : *a->mutable_conditions()) {
    if (!c.note().empty()) {
      CheckText(c.mutable_note(), "note", 0, SIZE_MAX, &checked_already);
    }
  }
  for (v1::Event& e : *a->mutable_events()) {
    if (!e.description().empty()) {
      CheckText(e.mutable_description(), "description", 0, SIZE_MAX,
                &checked_already);
    }
  }
}

constexpr rv1::UnitKind kAllKinds[] = {
    rv1::UNIT_KIND_AGENCY, rv1::UNIT_KIND_ENTERPRISE, rv1::UNIT_KIND_EDUCATION};

bool YearInRange(int year) { return year >= kMinYear && year <= kMaxYear; }

std::string YearRange() {
  return absl::StrCat("between ", kMinYear, " and ", kMaxYear);
}

std::string KindKey(rv1::UnitKind kind) {
  std::string name = rv1::UnitKind_Name(kind);
  return absl::AsciiStrToLower(name.substr(std::string("UNIT_KIND_").size()));
}

std::string KindName(rv1::UnitKind kind) {
  switch (kind) {
    case rv1::UNIT_KIND_AGENCY:
      return "Cơ quan";
    case rv1::UNIT_KIND_ENTERPRISE:
      return "Doanh nghiệp";
    case rv1::UNIT_KIND_EDUCATION:
      return "Cơ sở giáo dục";
    default:
      return "";
  }
}

v1::UnitSnapshot SnapshotOf(const rv1::Unit& unit) {
  v1::UnitSnapshot snapshot;
  snapshot.set_name(unit.name());
  snapshot.set_kind(unit.kind());
  snapshot.set_province_code(unit.province_code());
  snapshot.set_commune_code(unit.commune_code());
  snapshot.set_legacy_province_code(unit.legacy_province_code());
  snapshot.set_legacy_district_code(unit.legacy_district_code());
  snapshot.set_legacy_commune_code(unit.legacy_commune_code());
  return snapshot;
}

}  // namespace

Scoring::Scoring(Dependencies deps) : deps_(std::move(deps)) {}

absl::StatusOr<v1::ListCriteriaSetsResponse> Scoring::ListCriteriaSets(
    const v1::ListCriteriaSetsRequest& request) const {
  FieldViolations v;
  if (!rv1::UnitKind_IsValid(request.kind())) {
    v.Add("kind", absl::StrCat("unknown value ", request.kind()));
  }
  if (request.year() != 0 && !YearInRange(request.year())) {
    v.Add("year", absl::StrCat("must be 0 (every year) or ", YearRange()));
  }
  if (!v.empty()) return v.ToStatus();
  v1::ListCriteriaSetsResponse response;
  for (const v1::CriteriaSet* set :
       deps_.criteria->List(request.kind(), request.year())) {
    *response.add_criteria_sets() = *set;
  }
  return response;
}

absl::StatusOr<v1::CriteriaSet> Scoring::GetCriteriaSet(
    const v1::GetCriteriaSetRequest& request) const {
  if (request.id().empty()) return InvalidField("id", "is required");
  const v1::CriteriaSet* set = deps_.criteria->Find(request.id());
  if (set == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no criteria set \"", request.id(), "\""));
  }
  return *set;
}

absl::StatusOr<v1::ScoreResult> Scoring::Score(
    const Principal& caller, const v1::ScoreRequest& request) {
  FieldViolations v;
  if (!YearInRange(request.year())) v.Add("year", YearRange());
  rv1::UnitKind kind = rv1::UNIT_KIND_UNSPECIFIED;
  switch (request.unit_case()) {
    case v1::ScoreRequest::kUnitKind:
      kind = request.unit_kind();
      if (kind == rv1::UNIT_KIND_UNSPECIFIED || !rv1::UnitKind_IsValid(kind)) {
        v.Add("unit_kind",
              "must be UNIT_KIND_AGENCY, UNIT_KIND_ENTERPRISE or "
              "UNIT_KIND_EDUCATION");
      }
      break;
    case v1::ScoreRequest::kUnitId:
      if (request.unit_id().empty()) v.Add("unit_id", "is empty");
      break;
    default:
      v.Add("unit", "one of unit_id and unit_kind is required");
  }
  if (!v.empty()) return v.ToStatus();
  if (request.unit_case() == v1::ScoreRequest::kUnitId) {
    absl::StatusOr<rv1::Unit> unit = deps_.registry->GetUnit(request.unit_id());
    if (!unit.ok()) return unit.status();
    if (absl::Status s = registry::CheckUnitInScope(caller, *unit); !s.ok()) {
      return s;
    }
    kind = unit->kind();
  }
  absl::StatusOr<const v1::CriteriaSet*> set = ChooseSet(
      *deps_.criteria, kind, request.year(), request.criteria_set_id(), "");
  if (!set.ok()) return set.status();
  return scoring::Score(**set, *deps_.criteria, *deps_.settings, request.year(),
                        request.conditions(), request.events(),
                        request.points(), "");
}

absl::Status Scoring::CheckUnitScope(const Principal& caller,
                                     const std::string& unit_id,
                                     absl::string_view what) {
  if (!caller.limited_to_area()) return absl::OkStatus();
  absl::StatusOr<rv1::Unit> unit = deps_.registry->GetUnit(unit_id);
  if (!unit.ok()) return unit.status();
  if (registry::UnitInScope(caller, *unit)) return absl::OkStatus();
  return OutsideArea(caller, what);
}

absl::Status Scoring::CheckAssessmentsScope(
    const Principal& caller, const std::vector<std::string>& ids) {
  if (!caller.limited_to_area()) return absl::OkStatus();
  // An assessment never changes unit, so what is checked here still holds
  // when the store writes it. One registry call per unit; a refusal names the
  // unit's first assessment in `ids`.
  std::map<std::string, std::string> first_of_unit;
  for (const std::string& id : ids) {
    absl::StatusOr<v1::Assessment> a = deps_.store->GetAssessment(id);
    if (!a.ok()) return a.status();
    first_of_unit.emplace(a->unit_id(), id);
  }
  // Every unit is looked at before a refusal is returned, so that they are
  // fetched from the registry in one round (common/fetch_scope.h).
  absl::Status refused;
  for (const auto& [unit_id, id] : first_of_unit) {
    // Named by the assessment, never by its unit: where it lies outside
    // the caller's area is not the caller's to know.
    refused.Update(
        CheckUnitScope(caller, unit_id, absl::StrCat("assessment ", id)));
  }
  return refused;
}

absl::StatusOr<rv1::Unit> Scoring::AssessableUnit(const Principal& caller,
                                                  const std::string& unit_id,
                                                  int year) {
  absl::StatusOr<rv1::Unit> unit = deps_.registry->GetUnit(unit_id);
  if (!unit.ok()) return unit.status();
  // Scope first: a caller outside the unit's area learns nothing of it.
  if (absl::Status s = registry::CheckUnitInScope(caller, *unit); !s.ok()) {
    return s;
  }
  if (!unit->in_scope()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit ", unit_id, " is out of scope: ", unit->out_of_scope_reason()));
  }
  // The years a unit is assessed are the years statistics count it in
  // scope (RocksDbScoringStore): from the assessment year it was
  // established in through the one it was dissolved in, so a unit dissolved
  // before its assessment was entered can still be assessed for the years
  // it existed.
  if (unit->has_established_date() && !IsEmptyDate(unit->established_date()) &&
      deps_.settings->AssessmentYearOf(unit->established_date()) > year) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit ", unit_id, " was established on ",
        FormatDate(unit->established_date()), ", in the assessment year ",
        deps_.settings->AssessmentYearOf(unit->established_date()), ", after ",
        year));
  }
  if (unit->status() != rv1::UNIT_STATUS_ACTIVE) {
    if (unit->status() != rv1::UNIT_STATUS_DISSOLVED ||
        !unit->has_dissolve_date() || IsEmptyDate(unit->dissolve_date())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "unit ", unit_id, " is not active and has no dissolve date"));
    }
    if (deps_.settings->AssessmentYearOf(unit->dissolve_date()) < year) {
      return absl::FailedPreconditionError(absl::StrCat(
          "unit ", unit_id, " was dissolved on ",
          FormatDate(unit->dissolve_date()), ", in the assessment year ",
          deps_.settings->AssessmentYearOf(unit->dissolve_date()), ", before ",
          year));
    }
  }
  return unit;
}

absl::StatusOr<v1::Assessment> Scoring::SubmitAssessment(
    const Principal& caller, const v1::SubmitAssessmentRequest& request) {
  const v1::Assessment& a = request.assessment();
  FieldViolations v;
  if (a.unit_id().empty()) v.Add("assessment.unit_id", "is required");
  if (!YearInRange(a.year())) v.Add("assessment.year", YearRange());
  if (absl::Status s = CheckRequestId(request.request_id()); !s.ok()) {
    for (auto& [field, message] : FieldViolationsOf(s)) v.Add(field, message);
  }
  if (!v.empty()) return v.ToStatus();

  // A retry of an acknowledged request gets the first answer, even while the
  // registry is down (unless the caller is limited to an area: its scope is
  // checked again, with the registry).
  absl::StatusOr<std::optional<v1::Assessment>> first =
      deps_.store->FindSubmission(
          CallerRequestKey(caller, request.request_id()));
  if (!first.ok()) return first.status();
  if (first->has_value()) {
    const v1::Assessment& answer = **first;
    if (absl::Status s = CheckUnitScope(
            caller, answer.unit_id(), absl::StrCat("assessment ", answer.id()));
        !s.ok()) {
      return s;
    }
    return **std::move(first);
  }

  absl::StatusOr<rv1::Unit> unit =
      AssessableUnit(caller, a.unit_id(), a.year());
  if (!unit.ok()) return unit.status();
  absl::StatusOr<const v1::CriteriaSet*> set =
      ChooseSet(*deps_.criteria, unit->kind(), a.year(), a.criteria_set_id(),
                "assessment.");
  if (!set.ok()) return set.status();
  absl::StatusOr<v1::ScoreResult> result =
      scoring::Score(**set, *deps_.criteria, *deps_.settings, a.year(),
                     a.conditions(), a.events(), a.points(), "assessment.");
  if (!result.ok()) return result.status();

  const absl::Time now = deps_.now();
  return deps_.store->SubmitAssessment(
      a.unit_id(), a.year(), CallerRequestKey(caller, request.request_id()),
      [&](const v1::Assessment* existing, v1::Assessment* out) {
        if (existing != nullptr) {
          if (existing->stage() != v1::STAGE_RETURNED) {
            return absl::AlreadyExistsError(absl::StrCat(
                "unit ", a.unit_id(), " already has assessment ",
                existing->id(), " for ", a.year(), " (stage ",
                v1::Stage_Name(existing->stage()),
                "); only a RETURNED assessment is submitted again"));
          }
          if (absl::Status s =
                  CheckEtag(a.etag(), existing->etag(),
                            absl::StrCat("assessment ", existing->id()));
              !s.ok()) {
            return s;
          }
        }
        out->set_criteria_set_id((*set)->id());
        *out->mutable_conditions() = a.conditions();
        *out->mutable_events() = a.events();
        StoreTextsAsChecked(out);
        *out->mutable_points() = a.points();
        *out->mutable_result() = *result;
        out->set_stage(v1::STAGE_SUBMITTED);
        out->set_late(deps_.settings->IsLate(now, a.year()));
        *out->mutable_submit_time() = ToTimestamp(now);
        *out->mutable_unit() = SnapshotOf(*unit);
        out->set_submissions(existing == nullptr ? 1
                                                 : existing->submissions() + 1);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Assessment> Scoring::ReviewAssessment(
    const Principal& caller, const v1::ReviewAssessmentRequest& request) {
  FieldViolations v;
  if (request.id().empty()) v.Add("id", "is required");
  std::string note = request.note();
  CheckText(&note, "note", request.approve() ? 0 : 1, 1000, &v);
  if (!v.empty()) return v.ToStatus();
  if (absl::Status s = CheckAssessmentsScope(caller, {request.id()}); !s.ok()) {
    return s;
  }
  const absl::Time now = deps_.now();
  return deps_.store->UpdateAssessment(request.id(), [&](v1::Assessment* a) {
    if (absl::Status s = CheckEtag(request.etag(), a->etag(),
                                   absl::StrCat("assessment ", a->id()));
        !s.ok()) {
      return s;
    }
    if (a->stage() != v1::STAGE_SUBMITTED) {
      return absl::FailedPreconditionError(absl::StrCat(
          "assessment ", a->id(), " is ", v1::Stage_Name(a->stage()),
          "; only a SUBMITTED assessment is reviewed"));
    }
    a->set_stage(request.approve() ? v1::STAGE_REVIEWED : v1::STAGE_RETURNED);
    v1::Review* review = a->mutable_review();
    review->set_approved(request.approve());
    review->set_note(note);
    *review->mutable_review_time() = ToTimestamp(now);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::RecognizeAssessmentsResponse> Scoring::RecognizeAssessments(
    const Principal& caller, const v1::RecognizeAssessmentsRequest& request) {
  FieldViolations v;
  if (request.assessment_ids().empty()) {
    v.Add("assessment_ids", "is required");
  } else if (request.assessment_ids_size() > kMaxDecisionSize) {
    v.Add("assessment_ids",
          absl::StrCat("at most ", kMaxDecisionSize, " in one decision"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.assessment_ids_size(); ++i) {
    const std::string& id = request.assessment_ids(i);
    if (id.empty() || !seen.insert(id).second) {
      v.Add(absl::StrCat("assessment_ids[", i, "]"),
            id.empty() ? "is empty" : "appears twice");
    }
  }
  std::string number = request.decision_number();
  std::string authority = request.authority();
  CheckText(&number, "decision_number", 1, 100, &v);
  CheckText(&authority, "authority", 1, 300, &v);
  if (!request.has_decision_date() || IsEmptyDate(request.decision_date())) {
    v.Add("decision_date", "is required");
  } else if (absl::Status s = CheckDate(request.decision_date()); !s.ok()) {
    v.Add("decision_date", std::string(s.message()));
  }
  if (!v.empty()) return v.ToStatus();

  const std::vector<std::string> ids(request.assessment_ids().begin(),
                                     request.assessment_ids().end());
  if (absl::Status s = CheckAssessmentsScope(caller, ids); !s.ok()) return s;
  absl::StatusOr<std::vector<v1::Assessment>> updated =
      deps_.store->UpdateAssessments(ids, [&](v1::Assessment* a) {
        if (a->stage() != v1::STAGE_REVIEWED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "assessment ", a->id(), " is ", v1::Stage_Name(a->stage()),
              "; a decision applies to REVIEWED assessments only, so nothing "
              "was recognised"));
        }
        if (request.recognized() && !a->result().meets_standard()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "assessment ", a->id(), " of unit ", a->unit_id(),
              " does not meet the standard and cannot be recognised, so "
              "nothing was recognised"));
        }
        a->set_stage(request.recognized() ? v1::STAGE_RECOGNIZED
                                          : v1::STAGE_NOT_RECOGNIZED);
        v1::Recognition* r = a->mutable_recognition();
        r->set_decision_number(number);
        *r->mutable_decision_date() = request.decision_date();
        r->set_authority(authority);
        r->set_recognized(request.recognized());
        const google::type::Date& d = request.decision_date();
        r->set_late_classification(
            absl::CivilDay(d.year(), d.month(), d.day()) >
            deps_.settings->ClassificationDeadline(a->year()));
        return absl::OkStatus();
      });
  if (!updated.ok()) return updated.status();
  v1::RecognizeAssessmentsResponse response;
  for (v1::Assessment& a : *updated) *response.add_assessments() = std::move(a);
  return response;
}

absl::StatusOr<v1::Assessment> Scoring::GetAssessment(
    const Principal& caller, const v1::GetAssessmentRequest& request) {
  if (request.id().empty()) return InvalidField("id", "is required");
  absl::StatusOr<v1::Assessment> a = deps_.store->GetAssessment(request.id());
  if (!a.ok()) return a.status();
  if (absl::Status s = CheckUnitScope(caller, a->unit_id(),
                                      absl::StrCat("assessment ", a->id()));
      !s.ok()) {
    return s;
  }
  return a;
}

absl::StatusOr<v1::ListAssessmentsResponse> Scoring::ListAssessments(
    const Principal& caller, const v1::ListAssessmentsRequest& request) {
  FieldViolations v;
  AssessmentQuery query;
  query.unit_id = request.unit_id();
  query.year = request.year();
  query.area_code = request.area_code();
  query.edition = request.edition().empty()
                      ? std::string(registry::kCurrentEdition)
                      : request.edition();
  if (request.year() != 0 && !YearInRange(request.year())) {
    v.Add("year", absl::StrCat("must be 0 (every year) or ", YearRange()));
  }
  if (!deps_.areas->HasEdition(query.edition)) {
    v.Add("edition", absl::StrCat("unknown edition \"", query.edition, "\""));
  } else if (!query.area_code.empty() &&
             deps_.areas->Find(query.edition, query.area_code) == nullptr) {
    v.Add("area_code",
          absl::StrCat("\"", query.area_code, "\" is not an area of edition ",
                       query.edition));
  }
  if (!v1::Stage_IsValid(request.stage())) {
    v.Add("stage", absl::StrCat("unknown value ", request.stage()));
  }
  if (!v1::Classification_IsValid(request.classification())) {
    v.Add("classification",
          absl::StrCat("unknown value ", request.classification()));
  }
  absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
  if (!page_size.ok()) v.Add("page_size", "must be between 1 and 1000");
  if (!v.empty()) return v.ToStatus();
  if (absl::Status s =
          query.unit_id.empty()
              ? registry::CheckAreaFilter(caller, *deps_.areas, query.edition,
                                          query.area_code)
              : CheckUnitScope(caller, query.unit_id,
                               absl::StrCat("unit ", query.unit_id));
      !s.ok()) {
    return s;
  }
  query.stage = request.stage();
  query.classification = request.classification();
  query.page_size = *page_size;
  const std::string filters = absl::StrCat(
      query.unit_id, "|", query.year, "|", query.edition, "|", query.area_code,
      "|", query.stage, "|", query.classification);
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), filters);
  if (!after.ok()) return after.status();
  query.after_id = *after;

  absl::StatusOr<AssessmentPage> page = deps_.store->ListAssessments(query);
  if (!page.ok()) return page.status();
  v1::ListAssessmentsResponse response;
  response.set_total_size(page->total_size);
  if (page->more && !page->assessments.empty()) {
    response.set_next_page_token(
        EncodePageToken(page->assessments.back().id(), filters));
  }
  for (v1::Assessment& a : page->assessments) {
    *response.add_assessments() = std::move(a);
  }
  return response;
}

absl::StatusOr<v1::GetSafetyStatsResponse> Scoring::GetSafetyStats(
    const Principal& caller, const v1::GetSafetyStatsRequest& request) {
  FieldViolations v;
  if (!YearInRange(request.first_year())) v.Add("first_year", YearRange());
  if (!YearInRange(request.last_year())) {
    v.Add("last_year", YearRange());
  } else if (!YearInRange(request.first_year())) {
    // The range is checked once both ends are valid years.
  } else if (request.last_year() < request.first_year()) {
    v.Add("last_year", "is before first_year");
  } else if (request.last_year() - request.first_year() >= kMaxStatsYears) {
    v.Add("last_year",
          absl::StrCat("at most ", kMaxStatsYears, " years at once"));
  }
  const std::string edition = request.edition().empty()
                                  ? std::string(registry::kCurrentEdition)
                                  : request.edition();
  const rv1::Area* area = nullptr;
  if (!deps_.areas->HasEdition(edition)) {
    v.Add("edition", absl::StrCat("unknown edition \"", edition, "\""));
  } else if (!request.area_code().empty()) {
    area = deps_.areas->Find(edition, request.area_code());
    if (area == nullptr) {
      v.Add("area_code",
            absl::StrCat("\"", request.area_code(),
                         "\" is not an area of edition ", edition));
    }
  }
  if (!rv1::UnitKind_IsValid(request.kind())) {
    v.Add("kind", absl::StrCat("unknown value ", request.kind()));
  }
  if (!v1::GroupBy_IsValid(request.group_by())) {
    v.Add("group_by", absl::StrCat("unknown value ", request.group_by()));
  }
  if (!v.empty()) return v.ToStatus();
  if (absl::Status s = registry::CheckAreaFilter(caller, *deps_.areas, edition,
                                                 request.area_code());
      !s.ok()) {
    return s;
  }

  std::vector<rv1::UnitKind> kinds;
  if (request.kind() != rv1::UNIT_KIND_UNSPECIFIED) {
    kinds.push_back(request.kind());
  } else {
    kinds.assign(std::begin(kAllKinds), std::end(kAllKinds));
  }
  struct Group {
    std::string key;
    std::string name;
    std::string area_code;
    std::vector<rv1::UnitKind> kinds;
  };
  std::vector<Group> groups;
  const std::string whole_name = area != nullptr ? area->name() : "Toàn quốc";
  switch (request.group_by()) {
    case v1::GROUP_BY_CHILD_AREA: {
      const auto children =
          area != nullptr
              ? deps_.areas->List(edition, area->code(),
                                  rv1::AREA_LEVEL_UNSPECIFIED)
              : deps_.areas->List(edition, "", rv1::AREA_LEVEL_PROVINCE);
      for (const rv1::Area* child : children) {
        groups.push_back({child->code(), child->name(), child->code(), kinds});
      }
      break;
    }
    case v1::GROUP_BY_KIND:
      for (rv1::UnitKind kind : kinds) {
        groups.push_back(
            {KindKey(kind), KindName(kind), request.area_code(), {kind}});
      }
      break;
    default:
      groups.push_back({"", whole_name, request.area_code(), kinds});
  }

  v1::GetSafetyStatsResponse response;
  response.set_target_rate(deps_.settings->target_rate);
  response.set_registry_sequence(deps_.store->RegistrySequence());
  for (const Group& group : groups) {
    std::vector<YearCounts> sums;
    for (rv1::UnitKind kind : group.kinds) {
      absl::StatusOr<std::vector<YearCounts>> counts =
          deps_.store->ReadCounts(edition, group.area_code, kind,
                                  request.first_year(), request.last_year());
      if (!counts.ok()) return counts.status();
      if (sums.empty()) {
        sums = *std::move(counts);
        continue;
      }
      for (size_t i = 0; i < sums.size(); ++i) {
        sums[i].in_scope += (*counts)[i].in_scope;
        sums[i].counts += (*counts)[i].counts;
      }
    }
    for (const YearCounts& year : sums) {
      v1::StatsRow* row = response.add_rows();
      row->set_group_key(group.key);
      row->set_group_name(group.name);
      row->set_year(year.year);
      row->set_in_scope(year.in_scope);
      row->set_assessed(year.counts.assessed);
      row->set_recognized(year.counts.recognized);
      const double rate = year.in_scope > 0
                              ? static_cast<double>(year.counts.recognized) /
                                    static_cast<double>(year.in_scope)
                              : 0.0;
      row->set_rate(rate);
      row->set_excellent(year.counts.excellent);
      row->set_good(year.counts.good);
      row->set_average(year.counts.average);
      row->set_weak(year.counts.weak);
      row->set_meets_target(year.in_scope > 0 &&
                            rate > deps_.settings->target_rate);
    }
  }
  return response;
}

absl::StatusOr<v1::GetUnitHistoryResponse> Scoring::GetUnitHistory(
    const Principal& caller, const v1::GetUnitHistoryRequest& request) {
  FieldViolations v;
  if (request.unit_id().empty()) v.Add("unit_id", "is required");
  if (request.up_to_year() != 0 && !YearInRange(request.up_to_year())) {
    v.Add("up_to_year",
          absl::StrCat("must be 0 (every year) or ", YearRange()));
  }
  if (!v.empty()) return v.ToStatus();
  if (absl::Status s = CheckUnitScope(caller, request.unit_id(),
                                      absl::StrCat("unit ", request.unit_id()));
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<v1::Assessment>> assessments =
      deps_.store->UnitAssessments(request.unit_id());
  if (!assessments.ok()) return assessments.status();

  v1::GetUnitHistoryResponse response;
  std::map<int, v1::Stage> stages;
  for (const v1::Assessment& a : *assessments) {
    if (request.up_to_year() != 0 && a.year() > request.up_to_year()) continue;
    v1::HistoryYear* year = response.add_years();
    year->set_year(a.year());
    year->set_stage(a.stage());
    year->set_meets_standard(a.result().meets_standard());
    year->set_classification(a.result().classification());
    year->set_total_points(a.result().total_points());
    year->set_assessment_id(a.id());
    year->set_events(a.events_size());
    for (const v1::Event& event : a.events())
      year->add_event_types(event.type());
    stages[a.year()] = a.stage();
  }
  int end = request.up_to_year();
  if (end == 0 && !stages.empty()) end = stages.rbegin()->first;
  int run = 0;
  for (int y = end; stages.count(y) > 0 && stages[y] == v1::STAGE_RECOGNIZED;
       --y) {
    ++run;
  }
  response.set_consecutive_recognized_years(run);
  return response;
}

}  // namespace antt::scoring
