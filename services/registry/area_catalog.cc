#include "services/registry/area_catalog.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace antt::registry {
namespace {

using json = nlohmann::json;

absl::Status AddArea(std::map<std::string, v1::Area>* areas,
                     absl::string_view edition, const json& node,
                     v1::AreaLevel level, const std::string& parent_code,
                     size_t code_length) {
  if (!node.contains("Code") || !node["Code"].is_string() ||
      !node.contains("FullName") || !node["FullName"].is_string()) {
    return absl::InvalidArgumentError(
        "an area without a string Code or FullName");
  }
  const std::string code = node["Code"].get<std::string>();
  if (code.size() != code_length ||
      code.find_first_not_of("0123456789") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "area code \"", code, "\" is not ", code_length, " digits"));
  }
  v1::Area area;
  area.set_edition(std::string(edition));
  area.set_code(code);
  area.set_name(node["FullName"].get<std::string>());
  area.set_level(level);
  area.set_parent_code(parent_code);
  if (!areas->emplace(code, std::move(area)).second) {
    return absl::InvalidArgumentError(
        absl::StrCat("area code ", code, " appears twice"));
  }
  return absl::OkStatus();
}

// The child list under `key`; the files write an empty one as null (e.g. the
// island district Cồn Cỏ has no communes).
json ChildList(const json& node, const char* key) {
  auto it = node.find(key);
  if (it == node.end() || !it->is_array()) return json::array();
  return *it;
}

// Walks province → (district →) commune. The legacy edition nests communes as
// "Ward" under "District"; the current one as "Wards" under the province.
absl::Status LoadEdition(absl::string_view edition, const json& root,
                         std::map<std::string, v1::Area>* areas) {
  if (!root.is_array()) {
    return absl::InvalidArgumentError(
        "the top level is not a list of provinces");
  }
  const bool legacy = edition == kLegacyEdition;
  for (const json& province : root) {
    if (absl::Status s =
            AddArea(areas, edition, province, v1::AREA_LEVEL_PROVINCE, "", 2);
        !s.ok()) {
      return s;
    }
    const std::string province_code = province["Code"].get<std::string>();
    if (legacy) {
      for (const json& district : ChildList(province, "District")) {
        if (absl::Status s = AddArea(areas, edition, district,
                                     v1::AREA_LEVEL_DISTRICT, province_code, 3);
            !s.ok()) {
          return s;
        }
        const std::string district_code = district["Code"].get<std::string>();
        for (const json& commune : ChildList(district, "Ward")) {
          if (absl::Status s =
                  AddArea(areas, edition, commune, v1::AREA_LEVEL_COMMUNE,
                          district_code, 5);
              !s.ok()) {
            return s;
          }
        }
      }
    } else {
      for (const json& commune : ChildList(province, "Wards")) {
        if (absl::Status s = AddArea(areas, edition, commune,
                                     v1::AREA_LEVEL_COMMUNE, province_code, 5);
            !s.ok()) {
          return s;
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<AreaCatalog>> AreaCatalog::Load(
    const std::string& dir) {
  std::unique_ptr<AreaCatalog> catalog(new AreaCatalog());
  for (absl::string_view edition : {kLegacyEdition, kCurrentEdition}) {
    const std::string path = absl::StrCat(dir, "/edition-", edition, ".json");
    std::ifstream in(path);
    if (!in) {
      return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    }
    json root = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": not valid JSON"));
    }
    auto& areas = catalog->areas_[std::string(edition)];
    if (absl::Status s = LoadEdition(edition, root, &areas); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", s.message()));
    }
    for (const auto& [code, area] : areas) {  // in code order
      catalog->children_[{std::string(edition), area.parent_code()}].push_back(
          &area);
    }
  }
  return catalog;
}

bool AreaCatalog::HasEdition(absl::string_view edition) const {
  return areas_.find(edition) != areas_.end();
}

std::vector<std::string> AreaCatalog::Editions() const {
  std::vector<std::string> editions;
  for (const auto& [edition, unused] : areas_) editions.push_back(edition);
  return editions;
}

const v1::Area* AreaCatalog::Find(absl::string_view edition,
                                  absl::string_view code) const {
  auto e = areas_.find(edition);
  if (e == areas_.end()) return nullptr;
  auto a = e->second.find(std::string(code));
  return a == e->second.end() ? nullptr : &a->second;
}

std::vector<const v1::Area*> AreaCatalog::List(absl::string_view edition,
                                               absl::string_view parent_code,
                                               v1::AreaLevel level) const {
  std::vector<const v1::Area*> out;
  if (!parent_code.empty()) {
    auto it = children_.find({std::string(edition), std::string(parent_code)});
    if (it == children_.end()) return out;
    for (const v1::Area* area : it->second) {
      if (level == v1::AREA_LEVEL_UNSPECIFIED || area->level() == level) {
        out.push_back(area);
      }
    }
    return out;
  }
  auto e = areas_.find(edition);
  if (e == areas_.end()) return out;
  for (const auto& [code, area] : e->second) {
    if (!parent_code.empty() && area.parent_code() != parent_code) continue;
    if (level != v1::AREA_LEVEL_UNSPECIFIED && area.level() != level) continue;
    out.push_back(&area);
  }
  return out;
}

bool AreaCatalog::IsWithin(absl::string_view edition, absl::string_view code,
                           absl::string_view ancestor_code) const {
  const v1::Area* area = Find(edition, code);
  while (area != nullptr) {
    if (area->code() == ancestor_code) return true;
    if (area->parent_code().empty()) return false;
    area = Find(edition, area->parent_code());
  }
  return false;
}

}  // namespace antt::registry
