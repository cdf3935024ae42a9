#ifndef ANTT_SERVICES_REGISTRY_AREA_CATALOG_H_
#define ANTT_SERVICES_REGISTRY_AREA_CATALOG_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "antt/registry/v1/registry.pb.h"

namespace antt::registry {

inline constexpr absl::string_view kLegacyEdition = "2025-06";
inline constexpr absl::string_view kCurrentEdition = "2026-07";

// The official administrative-unit code lists of both editions, loaded once
// at start-up and immutable afterwards, so every method is thread-safe.
class AreaCatalog final {
 public:
  // Loads "edition-2025-06.json" and "edition-2026-07.json" from `dir` (the
  // files shipped in data/areas). Fails naming the file and the problem.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AreaCatalog>> Load(
      const std::string& dir);

  [[nodiscard]] bool HasEdition(absl::string_view edition) const;
  [[nodiscard]] std::vector<std::string> Editions() const;

  // nullptr when (edition, code) is unknown.
  [[nodiscard]] const v1::Area* Find(absl::string_view edition,
                                     absl::string_view code) const;

  // Areas of `edition` in code order, filtered by parent (empty: any) and
  // level (UNSPECIFIED: any).
  [[nodiscard]] std::vector<const v1::Area*> List(absl::string_view edition,
                                                  absl::string_view parent_code,
                                                  v1::AreaLevel level) const;

  // True when `code` is `ancestor_code` or lies below it in `edition`.
  [[nodiscard]] bool IsWithin(absl::string_view edition, absl::string_view code,
                              absl::string_view ancestor_code) const;

 private:
  AreaCatalog() = default;

  // edition → code → area. std::map keeps codes ordered for listing.
  std::map<std::string, std::map<std::string, v1::Area>, std::less<>> areas_;
  // (edition, parent code) → its children in code order ("" parent: the
  // provinces), built once at load so listing children costs their number.
  std::map<std::pair<std::string, std::string>, std::vector<const v1::Area*>>
      children_;
};

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_AREA_CATALOG_H_
