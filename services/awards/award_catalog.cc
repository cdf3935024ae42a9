#include "services/awards/award_catalog.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/field_violations.h"
#include "nlohmann/json.hpp"

namespace antt::awards {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxCodeChars = 64;
constexpr size_t kMaxNameChars = 300;
constexpr size_t kMaxNoteChars = 4000;

#define ANTT_RETURN_IF_ERROR_(expr)           \
  do {                                        \
    if (absl::Status s_ = (expr); !s_.ok()) { \
      return s_;                              \
    }                                         \
  } while (false)

absl::Status Bad(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// `where` is the object's path ("award_types[1]"), empty at the top level.
std::string Path(absl::string_view where, absl::string_view key) {
  return where.empty() ? std::string(key) : absl::StrCat(where, ".", key);
}

absl::Status CheckKeys(const json& object, absl::string_view where,
                       std::initializer_list<absl::string_view> allowed) {
  for (const auto& [key, unused] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const std::string problem = absl::StrCat("unknown key \"", key, "\"");
      return where.empty() ? absl::InvalidArgumentError(problem)
                           : Bad(where, problem);
    }
  }
  return absl::OkStatus();
}

// A required string, NFC-normalised and trimmed.
absl::Status ReadText(const json& object, absl::string_view where,
                      absl::string_view key, size_t max_chars,
                      std::string* out) {
  const std::string field = Path(where, key);
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return Bad(field, "is required");
  if (!it->is_string()) return Bad(field, "must be a string");
  std::string value = it->get<std::string>();
  FieldViolations violations;
  CheckText(&value, field, 1, max_chars, &violations);
  if (!violations.empty()) {
    return absl::InvalidArgumentError(violations.ToStatus().message());
  }
  if (value.empty()) return Bad(field, "must not be empty");
  *out = std::move(value);
  return absl::OkStatus();
}

// An optional bool, false when absent.
absl::Status ReadBool(const json& object, absl::string_view where,
                      absl::string_view key, bool* out) {
  auto it = object.find(std::string(key));
  if (it == object.end()) {
    *out = false;
    return absl::OkStatus();
  }
  if (!it->is_boolean()) return Bad(Path(where, key), "must be true or false");
  *out = it->get<bool>();
  return absl::OkStatus();
}

// An optional positive integer; 0 when absent.
absl::Status ReadPositiveInt(const json& object, absl::string_view where,
                             absl::string_view key, int* out) {
  auto it = object.find(std::string(key));
  if (it == object.end()) {
    *out = 0;
    return absl::OkStatus();
  }
  const std::string field = Path(where, key);
  if (!it->is_number_integer()) return Bad(field, "must be an integer");
  const int64_t value = it->get<int64_t>();
  if (value <= 0 || value > 100) {
    return Bad(field, absl::StrCat(value,
                                   " is not a positive number of years "
                                   "(1..100)"));
  }
  *out = static_cast<int>(value);
  return absl::OkStatus();
}

// An optional positive number; 0 when absent.
absl::Status ReadPositiveNumber(const json& object, absl::string_view where,
                                absl::string_view key, double* out) {
  auto it = object.find(std::string(key));
  if (it == object.end()) {
    *out = 0;
    return absl::OkStatus();
  }
  const std::string field = Path(where, key);
  if (!it->is_number()) return Bad(field, "must be a number");
  const double value = it->get<double>();
  if (!(value > 0 && value <= 100)) {
    return Bad(field, absl::StrCat(value, " is not positive (0 < x <= 100)"));
  }
  *out = value;
  return absl::OkStatus();
}

absl::Status ReadNotes(const json& object, absl::string_view where,
                       v1::AwardType* type) {
  auto it = object.find("notes");
  if (it == object.end()) return absl::OkStatus();
  const std::string field = Path(where, "notes");
  if (!it->is_array()) return Bad(field, "must be a list of strings");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& node = (*it)[i];
    const std::string item = absl::StrCat(field, "[", i, "]");
    if (!node.is_string()) return Bad(item, "must be a string");
    std::string note = node.get<std::string>();
    FieldViolations violations;
    CheckText(&note, item, 1, kMaxNoteChars, &violations);
    if (!violations.empty()) {
      return absl::InvalidArgumentError(violations.ToStatus().message());
    }
    if (note.empty()) return Bad(item, "must not be empty");
    if (type != nullptr) type->add_notes(std::move(note));
  }
  return absl::OkStatus();
}

absl::Status ReadCode(const json& object, absl::string_view where,
                      std::string* out) {
  ANTT_RETURN_IF_ERROR_(ReadText(object, where, "code", kMaxCodeChars, out));
  for (char c : *out) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return Bad(Path(where, "code"),
                 absl::StrCat("\"", *out,
                              "\" may hold only A-Z, 0-9 and \"_\" (it "
                              "prefixes rule ids such as \"",
                              *out, ".service_years\")"));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadRecipientKinds(const json& object, absl::string_view where,
                                v1::AwardType* type) {
  const std::string field = Path(where, "recipient_kinds");
  auto it = object.find("recipient_kinds");
  if (it == object.end() || !it->is_array())
    return Bad(field, "must be a list");
  if (it->empty()) return Bad(field, "must not be empty");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& node = (*it)[i];
    const std::string item = absl::StrCat(field, "[", i, "]");
    if (!node.is_string()) return Bad(item, "must be a string");
    v1::RecipientKind kind;
    if (!v1::RecipientKind_Parse(node.get<std::string>(), &kind) ||
        kind == v1::RECIPIENT_KIND_UNSPECIFIED) {
      return Bad(item, absl::StrCat("unknown recipient kind \"",
                                    node.get<std::string>(),
                                    "\" (use RECIPIENT_KIND_COLLECTIVE or "
                                    "RECIPIENT_KIND_INDIVIDUAL)"));
    }
    if (std::find(type->recipient_kinds().begin(),
                  type->recipient_kinds().end(),
                  kind) != type->recipient_kinds().end()) {
      return Bad(item,
                 absl::StrCat(v1::RecipientKind_Name(kind), " appears twice"));
    }
    type->add_recipient_kinds(kind);
  }
  return absl::OkStatus();
}

absl::Status ParseCollective(const json& node, absl::string_view where,
                             CollectiveRules* rules) {
  if (!node.is_object()) return Bad(where, "must be an object");
  ANTT_RETURN_IF_ERROR_(
      CheckKeys(node, where,
                {"active", "recognized_every_year", "recognized_last_years",
                 "excellent_in_last_year"}));
  ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "active", &rules->active));
  ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "recognized_every_year",
                                 &rules->recognized_every_year));
  ANTT_RETURN_IF_ERROR_(ReadPositiveInt(node, where, "recognized_last_years",
                                        &rules->recognized_last_years));
  ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "excellent_in_last_year",
                                 &rules->excellent_in_last_year));
  if (!rules->active && !rules->recognized_every_year &&
      rules->recognized_last_years == 0 && !rules->excellent_in_last_year) {
    return Bad(where, "applies no rule");
  }
  return absl::OkStatus();
}

absl::Status ParseIndividual(const json& node, absl::string_view where,
                             IndividualRules* rules) {
  if (!node.is_object()) return Bad(where, "must be an object");
  ANTT_RETURN_IF_ERROR_(
      CheckKeys(node, where,
                {"active", "unit_recognized_last_years", "leader_years",
                 "protection_team_years_male", "protection_team_years_female",
                 "hardship_multiplier", "requires_prior_commendation",
                 "excludes_police_service_medal", "no_event_in_period"}));
  ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "active", &rules->active));
  ANTT_RETURN_IF_ERROR_(ReadPositiveInt(node, where,
                                        "unit_recognized_last_years",
                                        &rules->unit_recognized_last_years));
  ANTT_RETURN_IF_ERROR_(
      ReadPositiveNumber(node, where, "leader_years", &rules->leader_years));
  ANTT_RETURN_IF_ERROR_(ReadPositiveNumber(node, where,
                                           "protection_team_years_male",
                                           &rules->protection_team_years_male));
  ANTT_RETURN_IF_ERROR_(
      ReadPositiveNumber(node, where, "protection_team_years_female",
                         &rules->protection_team_years_female));
  if ((rules->protection_team_years_male > 0) !=
      (rules->protection_team_years_female > 0)) {
    return Bad(where,
               "protection_team_years_male and protection_team_years_female "
               "go together (one threshold per gender)");
  }
  double multiplier = 0;
  ANTT_RETURN_IF_ERROR_(
      ReadPositiveNumber(node, where, "hardship_multiplier", &multiplier));
  if (node.contains("hardship_multiplier")) {
    if (multiplier < 1) {
      return Bad(Path(where, "hardship_multiplier"),
                 absl::StrCat(multiplier,
                              " is below 1 (a hardship year never counts less "
                              "than a year)"));
    }
    if (multiplier != std::floor(multiplier) || multiplier > 10) {
      return Bad(
          Path(where, "hardship_multiplier"),
          absl::StrCat(multiplier,
                       " is not a whole number from 1 to 10 (a period's "
                       "years, months and days are multiplied exactly)"));
    }
    if (!rules->HasServiceRule()) {
      return Bad(Path(where, "hardship_multiplier"),
                 "applies only with leader_years or protection_team_years_*");
    }
    rules->hardship_multiplier = static_cast<int>(multiplier);
  }
  ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "requires_prior_commendation",
                                 &rules->requires_prior_commendation));
  ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "excludes_police_service_medal",
                                 &rules->excludes_police_service_medal));
  ANTT_RETURN_IF_ERROR_(
      ReadBool(node, where, "no_event_in_period", &rules->no_event_in_period));
  if (!rules->active && rules->unit_recognized_last_years == 0 &&
      !rules->HasServiceRule() && !rules->requires_prior_commendation &&
      !rules->excludes_police_service_medal && !rules->no_event_in_period) {
    return Bad(where, "applies no rule");
  }
  return absl::OkStatus();
}

bool Accepts(const v1::AwardType& type, v1::RecipientKind kind) {
  return std::find(type.recipient_kinds().begin(), type.recipient_kinds().end(),
                   kind) != type.recipient_kinds().end();
}

absl::Status ParseRules(const json& object, absl::string_view where,
                        const v1::AwardType& type, AwardRules* rules) {
  const std::string field = Path(where, "rules");
  auto it = object.find("rules");
  if (it == object.end()) return Bad(field, "is required");
  if (!it->is_object()) return Bad(field, "must be an object");
  ANTT_RETURN_IF_ERROR_(CheckKeys(*it, field, {"collective", "individual"}));
  const struct {
    const char* key;
    v1::RecipientKind kind;
  } kBlocks[] = {{"collective", v1::RECIPIENT_KIND_COLLECTIVE},
                 {"individual", v1::RECIPIENT_KIND_INDIVIDUAL}};
  for (const auto& block : kBlocks) {
    const std::string block_field = Path(field, block.key);
    const bool present = it->contains(block.key);
    if (Accepts(type, block.kind) && !present) {
      return Bad(block_field, absl::StrCat("is required: the type accepts ",
                                           v1::RecipientKind_Name(block.kind)));
    }
    if (!Accepts(type, block.kind) && present) {
      return Bad(block_field,
                 absl::StrCat("is not allowed: the type does not accept ",
                              v1::RecipientKind_Name(block.kind)));
    }
  }
  if (Accepts(type, v1::RECIPIENT_KIND_COLLECTIVE)) {
    ANTT_RETURN_IF_ERROR_(ParseCollective(
        (*it)["collective"], Path(field, "collective"), &rules->collective));
  }
  if (Accepts(type, v1::RECIPIENT_KIND_INDIVIDUAL)) {
    ANTT_RETURN_IF_ERROR_(ParseIndividual(
        (*it)["individual"], Path(field, "individual"), &rules->individual));
  }
  return absl::OkStatus();
}

absl::Status ParseType(const json& node, absl::string_view where,
                       v1::AwardType* type, AwardRules* rules) {
  if (!node.is_object()) return Bad(where, "must be an object");
  ANTT_RETURN_IF_ERROR_(
      CheckKeys(node, where,
                {"code", "name", "recipient_kinds", "authority",
                 "once_per_person", "provisional", "notes", "rules"}));
  ANTT_RETURN_IF_ERROR_(ReadCode(node, where, type->mutable_code()));
  ANTT_RETURN_IF_ERROR_(
      ReadText(node, where, "name", kMaxNameChars, type->mutable_name()));
  ANTT_RETURN_IF_ERROR_(ReadRecipientKinds(node, where, type));
  ANTT_RETURN_IF_ERROR_(ReadText(node, where, "authority", kMaxNameChars,
                                 type->mutable_authority()));
  bool flag = false;
  ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "once_per_person", &flag));
  type->set_once_per_person(flag);
  ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "provisional", &flag));
  type->set_provisional(flag);
  ANTT_RETURN_IF_ERROR_(ReadNotes(node, where, type));
  if (type->provisional() && type->notes().empty()) {
    return Bad(Path(where, "notes"),
               "a provisional type must say in its notes what is unverified");
  }
  return ParseRules(node, where, *type, rules);
}

}  // namespace

absl::StatusOr<std::unique_ptr<AwardCatalog>> AwardCatalog::Load(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  const json root = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not valid JSON"));
  }
  std::unique_ptr<AwardCatalog> catalog(new AwardCatalog());
  catalog->source_file_ = path;
  absl::Status status = [&]() -> absl::Status {
    if (!root.is_object()) {
      return absl::InvalidArgumentError("the top level is not an object");
    }
    ANTT_RETURN_IF_ERROR_(CheckKeys(root, "", {"notes", "award_types"}));
    ANTT_RETURN_IF_ERROR_(ReadNotes(root, "", nullptr));
    auto types = root.find("award_types");
    if (types == root.end() || !types->is_array()) {
      return Bad("award_types", "must be a list");
    }
    if (types->empty()) return Bad("award_types", "must not be empty");
    for (size_t i = 0; i < types->size(); ++i) {
      const std::string where = absl::StrCat("award_types[", i, "]");
      auto entry = std::make_unique<Entry>();
      ANTT_RETURN_IF_ERROR_(
          ParseType((*types)[i], where, &entry->type, &entry->rules));
      if (catalog->by_code_.count(entry->type.code()) != 0) {
        return Bad(Path(where, "code"),
                   absl::StrCat("\"", entry->type.code(), "\" appears twice"));
      }
      catalog->by_code_.emplace(entry->type.code(), entry.get());
      catalog->entries_.push_back(std::move(entry));
    }
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", status.message()));
  }
  return catalog;
}

const v1::AwardType* AwardCatalog::Find(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &it->second->type;
}

const AwardRules* AwardCatalog::Rules(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &it->second->rules;
}

std::vector<const v1::AwardType*> AwardCatalog::List() const {
  std::vector<const v1::AwardType*> out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) out.push_back(&entry->type);
  return out;
}

}  // namespace antt::awards
