#include "services/awards/awards.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/date.h"
#include "common/etag.h"
#include "common/fetch_scope.h"
#include "common/field_violations.h"
#include "common/paging.h"
#include "common/request_id.h"
#include "services/registry/area_scope.h"

namespace antt::awards {
namespace {

namespace rv1 = ::antt::registry::v1;

constexpr int kMinYear = 1990;
constexpr int kMaxYear = 2100;
constexpr int kMaxBatch = 1000;
constexpr int kMaxDecision = 10000;
constexpr char kKnc[] = "KNC_ANTQ";

std::string StageName(v1::NominationStage stage) {
  return v1::NominationStage_Name(stage);
}

// PERMISSION_DENIED for a caller limited to an area: `what` spans them all.
absl::Status CheckAllAreas(const Principal& caller, absl::string_view what) {
  if (!caller.limited_to_area()) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(caller.Describe(), " may not ", what,
                   ": campaigns span every area, and the caller is limited "
                   "to one"));
}

constexpr absl::string_view kOutsideAreaDetail =
    "depends on units outside the caller's area";

// The units RuleResult.unit_ids of `results` name, added to `ids`.
template <typename Results>
void AddUnitIds(const Results& results, absl::flat_hash_set<std::string>* ids) {
  for (const v1::RuleResult& r : results) {
    ids->insert(r.unit_ids().begin(), r.unit_ids().end());
  }
}

}  // namespace

bool Awards::UnitsInView::Hides(const v1::RuleResult& result) const {
  if (!limited) return false;
  return std::any_of(
      result.unit_ids().begin(), result.unit_ids().end(),
      [this](const std::string& id) { return !inside.contains(id); });
}

void Awards::UnitsInView::Redact(v1::RuleResult* result) const {
  if (!Hides(*result)) return;
  result->set_detail(std::string(kOutsideAreaDetail));
  result->clear_unit_ids();
}

void Awards::UnitsInView::Redact(v1::Nomination* nomination) const {
  for (v1::RuleResult& r : *nomination->mutable_eligibility()) Redact(&r);
}

absl::StatusOr<Awards::UnitsInView> Awards::ViewOf(
    const Principal& caller, const absl::flat_hash_set<std::string>& unit_ids) {
  UnitsInView view;
  view.limited = caller.limited_to_area();
  if (!view.limited) return view;
  absl::Status failed;  // the first question that failed
  for (const std::string& id : unit_ids) {
    absl::StatusOr<rv1::Unit> unit = deps_.registry->GetUnit(id);
    if (absl::IsNotFound(unit.status())) continue;  // never shown
    if (!unit.ok()) {
      failed.Update(unit.status());
      continue;
    }
    if (registry::UnitInScope(caller, *unit)) view.inside.insert(id);
  }
  if (!failed.ok()) return failed;
  return view;
}

Awards::Awards(Dependencies deps) : deps_(std::move(deps)) {}

absl::StatusOr<v1::ListAwardTypesResponse> Awards::ListAwardTypes(
    const v1::ListAwardTypesRequest&) const {
  v1::ListAwardTypesResponse response;
  for (const v1::AwardType* type : deps_.catalog->List()) {
    *response.add_award_types() = *type;
  }
  return response;
}

absl::StatusOr<v1::Campaign> Awards::CreateCampaign(
    const Principal& caller, const v1::CreateCampaignRequest& request) {
  if (absl::Status s = CheckAllAreas(caller, "create a campaign"); !s.ok()) {
    return s;
  }
  FieldViolations v;
  v1::Campaign campaign = request.campaign();
  CheckText(campaign.mutable_title(), "campaign.title", 1, 300, &v);
  const bool first_ok =
      campaign.first_year() >= kMinYear && campaign.first_year() <= kMaxYear;
  if (!first_ok) {
    v.Add("campaign.first_year",
          absl::StrCat("must be between ", kMinYear, " and ", kMaxYear));
  }
  if (campaign.last_year() < kMinYear || campaign.last_year() > kMaxYear) {
    v.Add("campaign.last_year",
          absl::StrCat("must be between ", kMinYear, " and ", kMaxYear));
  } else if (first_ok && campaign.last_year() < campaign.first_year()) {
    v.Add("campaign.last_year", "is before first_year");
  }
  if (!campaign.has_nomination_deadline() ||
      IsEmptyDate(campaign.nomination_deadline())) {
    v.Add("campaign.nomination_deadline", "is required");
  } else if (absl::Status s = CheckDate(campaign.nomination_deadline());
             !s.ok()) {
    v.Add("campaign.nomination_deadline", std::string(s.message()));
  }
  if (absl::Status s = CheckRequestId(request.request_id()); !s.ok()) {
    for (auto& [field, message] : FieldViolationsOf(s)) v.Add(field, message);
  }
  if (!v.empty()) return v.ToStatus();
  campaign.clear_id();
  campaign.clear_create_time();
  return deps_.store->CreateCampaign(
      std::move(campaign), CallerRequestKey(caller, request.request_id()));
}

absl::StatusOr<v1::Campaign> Awards::GetCampaign(
    const v1::GetCampaignRequest& request) {
  if (request.id().empty()) return InvalidField("id", "is required");
  return deps_.store->GetCampaign(request.id());
}

absl::StatusOr<v1::ListCampaignsResponse> Awards::ListCampaigns(
    const v1::ListCampaignsRequest& request) {
  absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::string> after = DecodePageToken(request.page_token(), "");
  if (!after.ok()) return after.status();
  bool more = false;
  absl::StatusOr<std::vector<v1::Campaign>> campaigns =
      deps_.store->ListCampaigns(*after, *page_size, &more);
  if (!campaigns.ok()) return campaigns.status();
  v1::ListCampaignsResponse response;
  if (more && !campaigns->empty()) {
    response.set_next_page_token(EncodePageToken(campaigns->back().id(), ""));
  }
  for (v1::Campaign& c : *campaigns) *response.add_campaigns() = std::move(c);
  return response;
}

absl::StatusOr<v1::Campaign> Awards::CloseCampaign(
    const Principal& caller, const v1::CloseCampaignRequest& request) {
  if (absl::Status s =
          CheckAllAreas(caller, absl::StrCat("close campaign ", request.id()));
      !s.ok()) {
    return s;
  }
  if (request.id().empty()) return InvalidField("id", "is required");
  return deps_.store->UpdateCampaign(request.id(), [](v1::Campaign* c) {
    if (c->status() != v1::CAMPAIGN_STATUS_OPEN) {
      return absl::FailedPreconditionError(
          absl::StrCat("campaign ", c->id(), " is already closed"));
    }
    c->set_status(v1::CAMPAIGN_STATUS_CLOSED);
    return absl::OkStatus();
  });
}

absl::Status Awards::ValidateNomination(v1::Nomination* nomination,
                                        const std::string& prefix) const {
  const v1::Nomination& n = *nomination;
  FieldViolations v;
  if (n.campaign_id().empty()) v.Add(prefix + "campaign_id", "is required");
  const v1::AwardType* type = deps_.catalog->Find(n.award_type());
  if (type == nullptr) {
    v.Add(prefix + "award_type",
          absl::StrCat("unknown award type \"", n.award_type(), "\""));
  }
  switch (n.recipient_case()) {
    case v1::Nomination::kUnitId:
      if (n.unit_id().empty()) v.Add(prefix + "unit_id", "is empty");
      break;
    case v1::Nomination::kPersonId:
      if (n.person_id().empty()) v.Add(prefix + "person_id", "is empty");
      break;
    default:
      v.Add(prefix + "recipient", "one of unit_id and person_id is required");
  }
  if (type != nullptr &&
      n.recipient_case() != v1::Nomination::RECIPIENT_NOT_SET) {
    const auto& kinds = type->recipient_kinds();
    if (std::find(kinds.begin(), kinds.end(), RecipientKindOf(n)) ==
        kinds.end()) {
      v.Add(prefix + "award_type",
            absl::StrCat(type->code(), " is not given to ",
                         RecipientKindOf(n) == v1::RECIPIENT_KIND_INDIVIDUAL
                             ? "individuals"
                             : "collectives"));
    }
  }
  CheckText(nomination->mutable_achievements(), prefix + "achievements", 0,
            4000, &v);
  return v.ToStatus();
}

absl::StatusOr<Awards::Checked> Awards::Check(const v1::Campaign& campaign,
                                              const v1::Nomination& n) {
  EligibilityFacts facts;
  facts.first_year = campaign.first_year();
  facts.last_year = campaign.last_year();
  facts.recipient_kind = RecipientKindOf(n);
  Checked checked;
  absl::Status failed;  // the first question that failed
  std::string history_unit;
  if (facts.recipient_kind == v1::RECIPIENT_KIND_COLLECTIVE) {
    absl::StatusOr<rv1::Unit> unit = deps_.registry->GetUnit(n.unit_id());
    if (!unit.ok()) return unit.status();
    facts.unit = *std::move(unit);
    checked.recipient_name = facts.unit.name();
    history_unit = facts.unit.id();
  } else {
    absl::StatusOr<rv1::Person> person =
        deps_.registry->GetPerson(n.person_id());
    if (!person.ok()) return person.status();
    facts.person = *std::move(person);
    checked.recipient_name = facts.person.full_name();
    history_unit = facts.person.unit_id();
    // Units the person led during the campaign period.
    std::set<std::string> led;
    for (const rv1::Position& p : facts.person.positions()) {
      if (p.role() != rv1::POSITION_ROLE_LEADER) continue;
      const bool ended_before = p.has_end_date() &&
                                !IsEmptyDate(p.end_date()) &&
                                p.end_date().year() < campaign.first_year();
      if (p.start_date().year() <= campaign.last_year() && !ended_before) {
        led.insert(p.unit_id());
      }
    }
    for (const std::string& unit_id : led) {
      absl::StatusOr<scoring::v1::GetUnitHistoryResponse> history =
          deps_.scoring->GetUnitHistory(unit_id, campaign.last_year());
      // Every history is asked for before a failure is returned, so that
      // they are all fetched in one round (common/fetch_scope.h).
      if (!history.ok()) {
        failed.Update(history.status());
        continue;
      }
      facts.led_unit_histories[unit_id] = *std::move(history);
    }
    // The units of the positions that count, for their dissolve dates: a
    // position ends at the latest when its unit is dissolved.
    std::set<std::string> position_units;
    for (const rv1::Position& p : facts.person.positions()) {
      if ((p.role() == rv1::POSITION_ROLE_LEADER ||
           p.role() == rv1::POSITION_ROLE_PROTECTION_TEAM) &&
          !p.unit_id().empty()) {
        position_units.insert(p.unit_id());
      }
    }
    for (const std::string& unit_id : position_units) {
      absl::StatusOr<rv1::Unit> unit = deps_.registry->GetUnit(unit_id);
      if (absl::IsNotFound(unit.status())) continue;  // counted as it stands
      if (!unit.ok()) {
        failed.Update(unit.status());
        continue;
      }
      if (unit->status() == rv1::UNIT_STATUS_DISSOLVED &&
          !IsEmptyDate(unit->dissolve_date())) {
        facts.unit_dissolve_dates[unit_id] = unit->dissolve_date();
      }
    }
  }
  if (!history_unit.empty()) {
    absl::StatusOr<scoring::v1::GetUnitHistoryResponse> history =
        deps_.scoring->GetUnitHistory(history_unit, campaign.last_year());
    if (history.ok()) {
      facts.unit_history = *std::move(history);
    } else {
      failed.Update(history.status());
    }
  }
  if (!failed.ok()) return failed;
  absl::StatusOr<std::vector<v1::Nomination>> mine =
      deps_.store->RecipientNominations(RecipientKey(n));
  if (!mine.ok()) return mine.status();
  for (v1::Nomination& other : *mine) {
    if (other.campaign_id() == campaign.id()) continue;
    // Awards issued before nominations kept their decision's date: the
    // date is the decision's.
    if (other.stage() != v1::NOMINATION_STAGE_PROPOSED &&
        !other.decision_number().empty() &&
        (!other.has_decision_date() || IsEmptyDate(other.decision_date()))) {
      absl::StatusOr<v1::Decision> decision =
          deps_.store->GetDecision(other.decision_number());
      if (decision.ok()) {
        *other.mutable_decision_date() = decision->date();
      } else if (!absl::IsNotFound(decision.status())) {
        return decision.status();
      }
    }
    facts.prior_awards.push_back(std::move(other));
  }
  const v1::AwardType* type = deps_.catalog->Find(n.award_type());
  const AwardRules* rules = deps_.catalog->Rules(n.award_type());
  checked.results = Evaluate(*type, *rules, facts);
  checked.eligible = AllPassed(checked.results);
  return checked;
}

absl::Status Awards::CheckUnitIdInScope(const Principal& caller,
                                        const std::string& unit_id,
                                        absl::string_view what) {
  if (!caller.limited_to_area()) return absl::OkStatus();
  absl::StatusOr<rv1::Unit> unit = deps_.registry->GetUnit(unit_id);
  if (!unit.ok()) return unit.status();
  if (registry::UnitInScope(caller, *unit)) return absl::OkStatus();
  return OutsideArea(caller, what.empty() ? absl::StrCat("unit ", unit_id)
                                          : std::string(what));
}

absl::Status Awards::CheckPersonIdInScope(const Principal& caller,
                                          const std::string& person_id,
                                          absl::string_view what) {
  if (!caller.limited_to_area()) return absl::OkStatus();
  // Never the person's unit in a refusal: where someone works outside the
  // caller's area is not the caller's to know.
  const std::string refused =
      what.empty() ? absl::StrCat("person ", person_id) : std::string(what);
  absl::StatusOr<rv1::Person> person = deps_.registry->GetPerson(person_id);
  if (!person.ok()) return person.status();
  if (person->unit_id().empty()) return OutsideArea(caller, refused);
  absl::StatusOr<rv1::Unit> unit = deps_.registry->GetUnit(person->unit_id());
  if (!unit.ok()) return unit.status();
  if (registry::UnitInScope(caller, *unit)) return absl::OkStatus();
  return OutsideArea(caller, refused);
}

absl::Status Awards::CheckRecipientInScope(const Principal& caller,
                                           const v1::Nomination& n) {
  // A stored nomination is named by its id, never by its recipient.
  const std::string what =
      n.id().empty() ? "" : absl::StrCat("nomination ", n.id());
  return n.recipient_case() == v1::Nomination::kPersonId
             ? CheckPersonIdInScope(caller, n.person_id(), what)
             : CheckUnitIdInScope(caller, n.unit_id(), what);
}

absl::StatusOr<Awards::Prepared> Awards::PrepareNomination(
    const Principal& caller, const v1::NominateRequest& request) {
  Prepared prepared;
  v1::Nomination& n = prepared.nomination;
  n = request.nomination();
  FieldViolations v;
  if (absl::Status s = ValidateNomination(&n, "nomination."); !s.ok()) {
    for (auto& [field, message] : FieldViolationsOf(s)) v.Add(field, message);
  }
  if (absl::Status s = CheckRequestId(request.request_id()); !s.ok()) {
    for (auto& [field, message] : FieldViolationsOf(s)) v.Add(field, message);
  }
  if (!v.empty()) return v.ToStatus();
  prepared.request_key = CallerRequestKey(caller, request.request_id());
  // A retry of an acknowledged request gets the first answer, whatever has
  // changed since (campaign closed, a dependency down) — except that a
  // caller limited to an area needs the registry to show it is theirs.
  absl::StatusOr<std::optional<v1::Nomination>> first =
      deps_.store->FindNominationByRequest(prepared.request_key);
  if (!first.ok()) return first.status();
  if (first->has_value()) {
    // Shown only to a caller who may act on its recipient.
    if (absl::Status s = CheckRecipientInScope(caller, **first); !s.ok()) {
      return s;
    }
    n = **std::move(first);
    prepared.stored = true;
    absl::flat_hash_set<std::string> units;
    AddUnitIds(n.eligibility(), &units);
    absl::StatusOr<UnitsInView> view = ViewOf(caller, units);
    if (!view.ok()) return view.status();
    prepared.view = *std::move(view);
    return prepared;
  }
  if (absl::Status s = CheckRecipientInScope(caller, n); !s.ok()) return s;
  absl::StatusOr<v1::Campaign> campaign =
      deps_.store->GetCampaign(n.campaign_id());
  if (!campaign.ok()) return campaign.status();
  if (campaign->status() != v1::CAMPAIGN_STATUS_OPEN) {
    return absl::FailedPreconditionError(
        absl::StrCat("campaign ", campaign->id(), " is closed"));
  }
  const google::type::Date& deadline = campaign->nomination_deadline();
  if (deps_.today() >
      absl::CivilDay(deadline.year(), deadline.month(), deadline.day())) {
    return absl::FailedPreconditionError(
        absl::StrCat("nominations for campaign ", campaign->id(), " closed on ",
                     FormatDate(deadline)));
  }
  absl::StatusOr<Checked> checked = Check(*campaign, n);
  if (!checked.ok()) return checked.status();
  absl::flat_hash_set<std::string> units;
  AddUnitIds(checked->results, &units);
  absl::StatusOr<UnitsInView> view = ViewOf(caller, units);
  if (!view.ok()) return view.status();
  prepared.view = *std::move(view);
  n.clear_id();
  n.set_eligible(checked->eligible);
  n.set_recipient_name(checked->recipient_name);
  n.clear_eligibility();
  for (const v1::RuleResult& r : checked->results) *n.add_eligibility() = r;
  n.clear_override_justification();
  n.clear_decision_number();
  n.clear_decision_date();
  n.clear_revoke_reason();
  n.clear_stage_reason();
  return prepared;
}

absl::StatusOr<v1::Nomination> Awards::StoreNomination(Prepared prepared) {
  absl::StatusOr<v1::Nomination> stored =
      prepared.stored
          ? std::move(prepared.nomination)
          : deps_.store->CreateNomination(std::move(prepared.nomination),
                                          prepared.request_key);
  if (stored.ok()) prepared.view.Redact(&*stored);
  return stored;
}

absl::StatusOr<v1::Nomination> Awards::Nominate(
    const Principal& caller, const v1::NominateRequest& request) {
  absl::StatusOr<Prepared> prepared = PrepareNomination(caller, request);
  if (!prepared.ok()) return prepared.status();
  return StoreNomination(*std::move(prepared));
}

absl::StatusOr<v1::BatchNominateResponse> Awards::BatchNominate(
    const Principal& caller, const v1::BatchNominateRequest& request) {
  if (request.nominations().empty()) {
    return InvalidField("nominations", "is required");
  }
  if (request.nominations_size() > kMaxBatch) {
    return InvalidField("nominations",
                        absl::StrCat("at most ", kMaxBatch, " in one call"));
  }
  // Every item is checked before any is written: the checks ask the
  // registry and scoring, and all those questions are asked (and fetched)
  // together before the first write (common/fetch_scope.h).
  std::vector<absl::StatusOr<Prepared>> items;
  items.reserve(request.nominations_size());
  bool pending = false;
  for (int i = 0; i < request.nominations_size(); ++i) {
    v1::NominateRequest one;
    *one.mutable_nomination() = request.nominations(i);
    items.push_back(PrepareNomination(caller, one));
    const absl::Status& status = items.back().status();
    if (IsPendingFetch(status)) {
      pending = true;
      continue;
    }
    // A dependency that is down would fail the rest the same way.
    if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) break;
  }
  if (pending) return PendingFetchError();

  v1::BatchNominateResponse response;
  for (size_t i = 0; i < items.size(); ++i) {
    // An item outside the caller's area is refused like any other item.
    absl::StatusOr<v1::Nomination> created =
        items[i].ok() ? StoreNomination(*std::move(items[i]))
                      : absl::StatusOr<v1::Nomination>(items[i].status());
    if (created.ok()) {
      *response.add_nominations() = *std::move(created);
      continue;
    }
    v1::BatchError* error = response.add_errors();
    error->set_index(static_cast<int>(i));
    error->set_message(std::string(created.status().message()));
    // Report the items after a dependency failure as not attempted, and
    // return what was created so far.
    if (absl::IsUnavailable(created.status()) ||
        absl::IsDeadlineExceeded(created.status())) {
      for (int rest = static_cast<int>(i) + 1;
           rest < request.nominations_size(); ++rest) {
        v1::BatchError* skipped = response.add_errors();
        skipped->set_index(rest);
        skipped->set_message(
            absl::StrCat("not attempted: ", created.status().message()));
      }
      break;
    }
  }
  return response;
}

absl::StatusOr<v1::CheckEligibilityResponse> Awards::CheckEligibility(
    const Principal& caller, const v1::CheckEligibilityRequest& request) {
  v1::Nomination n;
  switch (request.subject_case()) {
    case v1::CheckEligibilityRequest::kNominationId: {
      if (request.nomination_id().empty()) {
        return InvalidField("nomination_id", "is empty");
      }
      absl::StatusOr<v1::Nomination> stored =
          deps_.store->GetNomination(request.nomination_id());
      if (!stored.ok()) return stored.status();
      n = *std::move(stored);
      break;
    }
    case v1::CheckEligibilityRequest::kNomination:
      n = request.nomination();
      if (absl::Status s = ValidateNomination(&n, "nomination."); !s.ok()) {
        return s;
      }
      break;
    default:
      return InvalidField("subject",
                          "one of nomination_id and nomination is required");
  }
  if (absl::Status s = CheckRecipientInScope(caller, n); !s.ok()) return s;
  absl::StatusOr<v1::Campaign> campaign =
      deps_.store->GetCampaign(n.campaign_id());
  if (!campaign.ok()) return campaign.status();
  absl::StatusOr<Checked> checked = Check(*campaign, n);
  if (!checked.ok()) return checked.status();
  absl::flat_hash_set<std::string> units;
  AddUnitIds(checked->results, &units);
  absl::StatusOr<UnitsInView> view = ViewOf(caller, units);
  if (!view.ok()) return view.status();
  v1::CheckEligibilityResponse response;
  response.set_eligible(checked->eligible);
  for (const v1::RuleResult& r : checked->results) {
    v1::RuleResult* shown = response.add_eligibility();
    *shown = r;
    view->Redact(shown);
  }
  return response;
}

absl::StatusOr<v1::Nomination> Awards::ApproveNomination(
    const Principal& caller, const v1::ApproveNominationRequest& request) {
  // Approving despite failed rules is an administrator's call (SPEC section
  // 3), whether or not the nomination turns out to need it.
  if (!request.override_justification().empty() &&
      caller.role != Role::kAdmin) {
    return absl::PermissionDeniedError(absl::StrCat(
        caller.Describe(), " may not approve nomination ", request.id(),
        " with an override_justification: only an ADMIN may override "
        "eligibility"));
  }
  FieldViolations v;
  if (request.id().empty()) v.Add("id", "is required");
  std::string justification = request.override_justification();
  CheckText(&justification, "override_justification", 0, 4000, &v);
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<v1::Nomination> current =
      deps_.store->GetNomination(request.id());
  if (!current.ok()) return current.status();
  if (absl::Status s = CheckRecipientInScope(caller, *current); !s.ok()) {
    return s;
  }
  absl::StatusOr<v1::Campaign> campaign =
      deps_.store->GetCampaign(current->campaign_id());
  if (!campaign.ok()) return campaign.status();
  // Eligibility again, from today's facts.
  absl::StatusOr<Checked> checked = Check(*campaign, *current);
  if (!checked.ok()) return checked.status();
  absl::flat_hash_set<std::string> units;
  AddUnitIds(checked->results, &units);
  absl::StatusOr<UnitsInView> view = ViewOf(caller, units);
  if (!view.ok()) return view.status();
  absl::StatusOr<v1::Nomination> approved =
      deps_.store->UpdateNomination(request.id(), [&](v1::Nomination* n) {
        if (absl::Status s = CheckEtag(request.etag(), n->etag(),
                                       absl::StrCat("nomination ", n->id()));
            !s.ok()) {
          return s;
        }
        if (n->etag() != current->etag()) {
          return absl::AbortedError(absl::StrCat(
              "nomination ", n->id(), " changed while it was checked; retry"));
        }
        if (n->stage() != v1::NOMINATION_STAGE_PROPOSED &&
            n->stage() != v1::NOMINATION_STAGE_DEFERRED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "nomination ", n->id(), " is ", StageName(n->stage()),
              "; only PROPOSED or DEFERRED nominations are approved"));
        }
        if (!checked->eligible && justification.empty()) {
          std::vector<std::string> failed;
          for (v1::RuleResult r : checked->results) {
            if (r.passed()) continue;
            view->Redact(&r);
            failed.push_back(absl::StrCat(r.rule(), " (", r.detail(), ")"));
          }
          return absl::FailedPreconditionError(
              absl::StrCat("nomination ", n->id(),
                           " is not eligible: ", absl::StrJoin(failed, "; "),
                           ". An administrator may approve it with an "
                           "override_justification"));
        }
        n->set_stage(v1::NOMINATION_STAGE_APPROVED);
        n->set_eligible(checked->eligible);
        n->clear_eligibility();
        for (const v1::RuleResult& r : checked->results)
          *n->add_eligibility() = r;
        n->set_override_justification(checked->eligible ? "" : justification);
        n->clear_stage_reason();
        return absl::OkStatus();
      });
  if (approved.ok()) view->Redact(&*approved);
  return approved;
}

absl::StatusOr<v1::Nomination> Awards::Move(
    const Principal& caller, const std::string& id, const std::string& etag,
    std::vector<v1::NominationStage> from, v1::NominationStage to,
    const std::string& reason) {
  FieldViolations v;
  if (id.empty()) v.Add("id", "is required");
  std::string text = reason;
  CheckText(&text, "reason", 1, 2000, &v);
  if (!v.empty()) return v.ToStatus();
  // What the caller may see of the answer is settled before the write: the
  // units its eligibility names, asked about in this round of fetching.
  UnitsInView view;
  if (caller.limited_to_area()) {
    absl::StatusOr<v1::Nomination> current = deps_.store->GetNomination(id);
    if (!current.ok()) return current.status();
    // The recipient of a nomination never changes, so the check holds for
    // the write that follows.
    if (absl::Status s = CheckRecipientInScope(caller, *current); !s.ok()) {
      return s;
    }
    absl::flat_hash_set<std::string> units;
    AddUnitIds(current->eligibility(), &units);
    absl::StatusOr<UnitsInView> seen = ViewOf(caller, units);
    if (!seen.ok()) return seen.status();
    view = *std::move(seen);
  }
  absl::StatusOr<v1::Nomination> moved =
      deps_.store->UpdateNomination(id, [&](v1::Nomination* n) {
        if (absl::Status s = CheckEtag(etag, n->etag(),
                                       absl::StrCat("nomination ", n->id()));
            !s.ok())
          return s;
        if (std::find(from.begin(), from.end(), n->stage()) == from.end()) {
          std::vector<std::string> names;
          for (v1::NominationStage s : from) names.push_back(StageName(s));
          return absl::FailedPreconditionError(absl::StrCat(
              "nomination ", n->id(), " is ", StageName(n->stage()), "; only ",
              absl::StrJoin(names, " or "), " nominations can become ",
              StageName(to)));
        }
        n->set_stage(to);
        if (to == v1::NOMINATION_STAGE_REVOKED) {
          n->set_revoke_reason(text);
        } else {
          n->set_stage_reason(text);
        }
        return absl::OkStatus();
      });
  // Approval may have re-checked the eligibility in between: a unit not
  // looked up above is hidden (UnitsInView::Hides).
  if (moved.ok()) view.Redact(&*moved);
  return moved;
}

absl::StatusOr<v1::Nomination> Awards::RejectNomination(
    const Principal& caller, const v1::RejectNominationRequest& request) {
  return Move(caller, request.id(), request.etag(),
              {v1::NOMINATION_STAGE_PROPOSED, v1::NOMINATION_STAGE_DEFERRED,
               v1::NOMINATION_STAGE_APPROVED},
              v1::NOMINATION_STAGE_REJECTED, request.reason());
}

absl::StatusOr<v1::Nomination> Awards::DeferNomination(
    const Principal& caller, const v1::DeferNominationRequest& request) {
  return Move(caller, request.id(), request.etag(),
              {v1::NOMINATION_STAGE_PROPOSED, v1::NOMINATION_STAGE_APPROVED},
              v1::NOMINATION_STAGE_DEFERRED, request.reason());
}

absl::StatusOr<v1::Nomination> Awards::RevokeAward(
    const Principal& caller, const v1::RevokeAwardRequest& request) {
  if (request.nomination_id().empty()) {
    return InvalidField("nomination_id", "is required");
  }
  return Move(caller, request.nomination_id(), "",
              {v1::NOMINATION_STAGE_ISSUED}, v1::NOMINATION_STAGE_REVOKED,
              request.reason());
}

absl::StatusOr<v1::Decision> Awards::IssueDecision(
    const Principal& caller, const v1::IssueDecisionRequest& request) {
  FieldViolations v;
  v1::Decision decision = request.decision();
  CheckText(decision.mutable_number(), "decision.number", 1, 100, &v);
  CheckText(decision.mutable_authority(), "decision.authority", 1, 300, &v);
  CheckText(decision.mutable_signer(), "decision.signer", 1, 200, &v);
  if (!decision.has_date() || IsEmptyDate(decision.date())) {
    v.Add("decision.date", "is required");
  } else if (absl::Status s = CheckDate(decision.date()); !s.ok()) {
    v.Add("decision.date", std::string(s.message()));
  }
  if (request.nomination_ids().empty()) {
    v.Add("nomination_ids", "is required");
  } else if (request.nomination_ids_size() > kMaxDecision) {
    v.Add("nomination_ids",
          absl::StrCat("at most ", kMaxDecision, " in one decision"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.nomination_ids_size(); ++i) {
    const std::string& id = request.nomination_ids(i);
    if (id.empty() || !seen.insert(id).second) {
      v.Add(absl::StrCat("nomination_ids[", i, "]"),
            id.empty() ? "is empty" : "appears twice");
    }
  }
  if (!v.empty()) return v.ToStatus();
  if (caller.limited_to_area()) {
    std::set<std::string> in_scope;  // recipient keys checked already
    absl::Status refused;            // the first refusal
    for (const std::string& id : request.nomination_ids()) {
      absl::StatusOr<v1::Nomination> n = deps_.store->GetNomination(id);
      if (!n.ok()) return n.status();
      if (!in_scope.insert(RecipientKey(*n)).second) continue;
      // Every recipient is looked at before a refusal is returned, so
      // their units are fetched in one round (common/fetch_scope.h).
      refused.Update(CheckRecipientInScope(caller, *n));
    }
    if (!refused.ok()) return refused;
  }
  decision.clear_nomination_ids();

  // A medal given once per person: not twice in this decision, nor again.
  std::set<std::string> medal_holders;
  const std::vector<std::string> ids(request.nomination_ids().begin(),
                                     request.nomination_ids().end());
  absl::StatusOr<std::vector<v1::Nomination>> issued =
      deps_.store->IssueDecision(
          decision, ids, [&](v1::Nomination* n) -> absl::Status {
            if (n->stage() != v1::NOMINATION_STAGE_APPROVED) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "nomination ", n->id(), " is ", StageName(n->stage()),
                  "; a decision issues APPROVED nominations only, so nothing "
                  "was "
                  "issued"));
            }
            const v1::AwardType* type = deps_.catalog->Find(n->award_type());
            if (type != nullptr && type->once_per_person() &&
                !n->person_id().empty()) {
              if (!medal_holders.insert(n->person_id()).second) {
                return absl::FailedPreconditionError(
                    absl::StrCat("person ", n->person_id(),
                                 " appears twice for ", n->award_type(),
                                 " in this decision, so nothing was issued"));
              }
              absl::StatusOr<std::vector<v1::Nomination>> mine =
                  deps_.store->RecipientNominations(RecipientKey(*n));
              if (!mine.ok()) return mine.status();
              for (const v1::Nomination& other : *mine) {
                if (other.id() != n->id() &&
                    other.award_type() == n->award_type() &&
                    other.stage() == v1::NOMINATION_STAGE_ISSUED) {
                  return absl::FailedPreconditionError(absl::StrCat(
                      "person ", n->person_id(), " already received ",
                      n->award_type(), " by decision ", other.decision_number(),
                      ", so nothing was issued"));
                }
              }
            }
            n->set_stage(v1::NOMINATION_STAGE_ISSUED);
            n->set_decision_number(decision.number());
            *n->mutable_decision_date() = decision.date();
            return absl::OkStatus();
          });
  if (!issued.ok()) return issued.status();
  for (const v1::Nomination& n : *issued) decision.add_nomination_ids(n.id());
  return decision;
}

absl::StatusOr<v1::ListNominationsResponse> Awards::ListNominations(
    const Principal& caller, const v1::ListNominationsRequest& request) {
  FieldViolations v;
  if (request.campaign_id().empty() && request.unit_id().empty() &&
      request.person_id().empty()) {
    v.Add("campaign_id", "is required unless unit_id or person_id is given");
  }
  if (!v1::NominationStage_IsValid(request.stage())) {
    v.Add("stage", absl::StrCat("unknown value ", request.stage()));
  }
  absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
  if (!page_size.ok()) v.Add("page_size", "must be between 1 and 1000");
  if (!v.empty()) return v.ToStatus();
  if (caller.limited_to_area()) {
    if (request.unit_id().empty() && request.person_id().empty()) {
      return absl::PermissionDeniedError(absl::StrCat(
          caller.Describe(),
          " must list nominations by a unit_id or person_id of its area"));
    }
    if (!request.unit_id().empty()) {
      if (absl::Status s = CheckUnitIdInScope(caller, request.unit_id());
          !s.ok()) {
        return s;
      }
    }
    if (!request.person_id().empty()) {
      if (absl::Status s = CheckPersonIdInScope(caller, request.person_id());
          !s.ok()) {
        return s;
      }
    }
  }
  NominationQuery query;
  query.campaign_id = request.campaign_id();
  query.award_type = request.award_type();
  query.stage = request.stage();
  query.unit_id = request.unit_id();
  query.person_id = request.person_id();
  query.page_size = *page_size;
  const std::string filters =
      absl::StrCat(query.campaign_id, "|", query.award_type, "|", query.stage,
                   "|", query.unit_id, "|", query.person_id);
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), filters);
  if (!after.ok()) return after.status();
  query.after_id = *after;
  absl::StatusOr<NominationPage> page = deps_.store->ListNominations(query);
  if (!page.ok()) return page.status();
  v1::ListNominationsResponse response;
  response.set_total_size(page->total_size);
  if (page->more && !page->nominations.empty()) {
    response.set_next_page_token(
        EncodePageToken(page->nominations.back().id(), filters));
  }
  absl::flat_hash_set<std::string> units;
  for (const v1::Nomination& n : page->nominations) {
    AddUnitIds(n.eligibility(), &units);
  }
  absl::StatusOr<UnitsInView> view = ViewOf(caller, units);
  if (!view.ok()) return view.status();
  for (v1::Nomination& n : page->nominations) {
    view->Redact(&n);
    *response.add_nominations() = std::move(n);
  }
  return response;
}

absl::StatusOr<v1::GetCampaignSummaryResponse> Awards::GetCampaignSummary(
    const Principal& caller, const v1::GetCampaignSummaryRequest& request) {
  if (absl::Status s = CheckAllAreas(
          caller, absl::StrCat("summarise campaign ", request.campaign_id()));
      !s.ok()) {
    return s;
  }
  if (request.campaign_id().empty())
    return InvalidField("campaign_id", "is required");
  absl::StatusOr<v1::Campaign> campaign =
      deps_.store->GetCampaign(request.campaign_id());
  if (!campaign.ok()) return campaign.status();
  absl::StatusOr<std::vector<v1::SummaryRow>> rows =
      deps_.store->Summary(request.campaign_id());
  if (!rows.ok()) return rows.status();
  v1::GetCampaignSummaryResponse response;
  for (v1::SummaryRow& row : *rows) *response.add_rows() = std::move(row);
  return response;
}

absl::StatusOr<v1::ListRecipientAwardsResponse> Awards::ListRecipientAwards(
    const Principal& caller, const v1::ListRecipientAwardsRequest& request) {
  std::string key;
  switch (request.recipient_case()) {
    case v1::ListRecipientAwardsRequest::kUnitId:
      if (request.unit_id().empty()) return InvalidField("unit_id", "is empty");
      if (absl::Status s = CheckUnitIdInScope(caller, request.unit_id());
          !s.ok()) {
        return s;
      }
      key = absl::StrCat("u:", request.unit_id());
      break;
    case v1::ListRecipientAwardsRequest::kPersonId:
      if (request.person_id().empty())
        return InvalidField("person_id", "is empty");
      if (absl::Status s = CheckPersonIdInScope(caller, request.person_id());
          !s.ok()) {
        return s;
      }
      key = absl::StrCat("p:", request.person_id());
      break;
    default:
      return InvalidField("recipient",
                          "one of unit_id and person_id is required");
  }
  absl::StatusOr<std::vector<v1::Nomination>> all =
      deps_.store->RecipientNominations(key);
  if (!all.ok()) return all.status();
  std::vector<v1::Nomination> awards;
  absl::flat_hash_set<std::string> units;
  for (v1::Nomination& n : *all) {
    if (n.stage() == v1::NOMINATION_STAGE_ISSUED ||
        n.stage() == v1::NOMINATION_STAGE_REVOKED) {
      AddUnitIds(n.eligibility(), &units);
      awards.push_back(std::move(n));
    }
  }
  absl::StatusOr<UnitsInView> view = ViewOf(caller, units);
  if (!view.ok()) return view.status();
  v1::ListRecipientAwardsResponse response;
  for (v1::Nomination& n : awards) {
    view->Redact(&n);
    *response.add_nominations() = std::move(n);
  }
  return response;
}

}  // namespace antt::awards
