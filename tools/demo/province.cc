#include "tools/demo/province.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "services/registry/tax_code.h"
#include "services/registry/unit_rules.h"
#include "tools/demo/words.h"

namespace antt::demo {
namespace {

namespace rv1 = registry::v1;
using words::kBrands;
using words::kCompanyForms;
using words::kDistrictAgencies;
using words::kProvinceAgencies;
using words::kStreets;
using words::kTrades;

constexpr absl::string_view kLegacyProvince = "45";  // Tỉnh Quảng Trị
constexpr absl::string_view kCurrentProvince = "44";
constexpr absl::string_view kProvinceName = "tỉnh Quảng Trị";
constexpr absl::string_view kAuthority = "Ủy ban nhân dân tỉnh Quảng Trị";
// Mountain and island districts: positions there are in hardship areas.
constexpr absl::string_view kHardshipDistricts[] = {"465", "467", "471"};

constexpr absl::string_view kSurnames[] = {
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần",
    "Lê",     "Lê",     "Lê",     "Phạm",   "Hoàng",  "Phan", "Võ",
    "Võ",     "Hồ",     "Hồ",     "Đặng",   "Bùi",    "Đỗ",   "Ngô",
    "Dương",  "Trương", "Đoàn",   "Hà",     "Lương",  "Mai",  "Thái"};
constexpr absl::string_view kMaleMiddle[] = {
    "Văn",  "Văn",  "Văn",  "Hữu",   "Đức",  "Quang", "Minh",
    "Công", "Đình", "Xuân", "Thanh", "Ngọc", "Viết",  "Anh"};
constexpr absl::string_view kFemaleMiddle[] = {"Thị",  "Thị", "Thị",   "Thị",
                                               "Ngọc", "Thu", "Thanh", "Kim",
                                               "Hồng", "Mỹ",  "Diệu",  "Bích"};
constexpr absl::string_view kMaleGiven[] = {
    "Hùng",  "Dũng",  "Tuấn",  "Hải",  "Sơn",   "Thành", "Long",  "Nam",
    "Phong", "Cường", "Bình",  "Hòa",  "Lợi",   "Tâm",   "Trung", "Hiếu",
    "Vinh",  "Quân",  "Thắng", "Hưng", "Khánh", "Lộc",   "Phúc",  "Toàn"};
constexpr absl::string_view kFemaleGiven[] = {
    "Lan",  "Hương", "Hoa",    "Mai",   "Hà",  "Nga",  "Thủy",  "Trang",
    "Hạnh", "Loan",  "Phương", "Nhung", "Yến", "Thảo", "Huyền", "Liên",
    "Dung", "Oanh",  "Vân",    "Hằng",  "Ánh", "Tuyết"};

constexpr absl::string_view kHighSchoolNames[] = {
    "Nguyễn Du",       "Lê Lợi",
    "Chu Văn An",      "Phan Bội Châu",
    "Nguyễn Huệ",      "Lê Duẩn",
    "Trần Hưng Đạo",   "Nguyễn Trãi",
    "Lê Thế Hiếu",     "Nguyễn Hữu Thận",
    "Phan Châu Trinh", "Hàm Nghi",
    "Võ Thị Sáu",      "Nguyễn Bỉnh Khiêm",
    "Trần Thị Tâm",    "Cồn Tiên",
    "Cửa Tùng",        "Hướng Phùng",
    "Bến Quan",        "Vĩnh Định"};
constexpr absl::string_view kModels[] = {
    "Tổ tự quản về an ninh, trật tự", "Đội phòng cháy và chữa cháy cơ sở",
    "Camera an ninh", "Tổ bảo vệ cơ quan tự phòng, tự quản"};

struct EventKind {
  absl::string_view type;  // an event of the 2012 criteria sets
  absl::string_view description;
};
constexpr EventKind kEvents[] = {
    {"7.3.1", "Tập trung đông người khiếu kiện kéo dài"},
    {"7.3.2", "Mất trộm tài sản trị giá lớn"},
    {"7.3.3", "Để lộ tài liệu thuộc danh mục bí mật nhà nước"},
    {"7.3.4", "Cháy kho vật tư, thiệt hại lớn"},
    {"7.3.5", "Nhân viên bị khởi tố về tội trộm cắp tài sản"},
};

// splitmix64: the same numbers on every platform and compiler.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Uniform(int n) {
    return static_cast<int>(Next() % static_cast<uint64_t>(n));
  }
  int Between(int low, int high) { return low + Uniform(high - low + 1); }
  bool Percent(int p) { return Uniform(100) < p; }
  template <size_t N>
  absl::string_view Pick(const absl::string_view (&items)[N]) {
    return items[Uniform(static_cast<int>(N))];
  }
  absl::CivilDay Day(absl::CivilDay first, absl::CivilDay last) {
    return first + Uniform(static_cast<int>(last - first) + 1);
  }
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[Uniform(static_cast<int>(i))]);
    }
  }

 private:
  uint64_t state_;
};

// "Xã Gio An" → "Gio An"; "Thị trấn Khe Sanh" → "Khe Sanh".
std::string ShortName(absl::string_view full) {
  for (absl::string_view prefix :
       {"Thị trấn ", "Phường ", "Xã ", "Huyện ", "Thị xã ", "Thành phố "}) {
    if (absl::ConsumePrefix(&full, prefix)) break;
  }
  return std::string(full);
}

// "Huyện Gio Linh" → "huyện Gio Linh", as written inside a unit name.
std::string InName(absl::string_view full) {
  constexpr std::pair<absl::string_view, absl::string_view> kPrefixes[] = {
      {"Huyện ", "huyện "},         {"Thị xã ", "thị xã "},
      {"Thành phố ", "thành phố "}, {"Thị trấn ", "thị trấn "},
      {"Phường ", "phường "},       {"Xã ", "xã "}};
  for (const auto& [upper, lower] : kPrefixes) {
    if (absl::ConsumePrefix(&full, upper)) return absl::StrCat(lower, full);
  }
  return std::string(full);
}

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

bool IsHardship(absl::string_view district) {
  return std::find(std::begin(kHardshipDistricts), std::end(kHardshipDistricts),
                   district) != std::end(kHardshipDistricts);
}

class Builder {
 public:
  Builder(const registry::AreaCatalog& areas, const ProvinceOptions& options)
      : areas_(areas), options_(options), random_(options.seed) {
    province_.options = options;
  }

  absl::StatusOr<DemoProvince> Build() {
    const std::vector<const rv1::Area*> districts = areas_.List(
        registry::kLegacyEdition, kLegacyProvince, rv1::AREA_LEVEL_DISTRICT);
    if (districts.empty()) {
      return absl::FailedPreconditionError(
          "the area lists have no districts of legacy province 45");
    }
    AddProvinceUnits();
    for (const rv1::Area* district : districts) AddDistrict(*district);
    for (int i = 0; i < options_.enterprises; ++i) AddEnterprise(districts);
    PlanYears();
    AddPeople();
    if (absl::Status s = PlanAwards(); !s.ok()) return s;
    PlanDecisions(districts);
    AssignBirthYears();
    return std::move(province_);
  }

 private:
  rv1::Unit& NewUnit(absl::string_view prefix, std::string name,
                     rv1::UnitKind kind, absl::string_view district,
                     absl::CivilDay established) {
    DemoUnit& demo = province_.units.emplace_back();
    rv1::Unit& unit = demo.unit;
    unit.set_external_id(absl::StrFormat("QT-%s-%04d", prefix,
                                         ++external_ids_[std::string(prefix)]));
    unit.set_name(std::move(name));
    unit.set_kind(kind);
    unit.set_province_code(std::string(kCurrentProvince));
    unit.set_legacy_province_code(std::string(kLegacyProvince));
    unit.set_legacy_district_code(std::string(district));
    unit.set_managing_level(rv1::MANAGING_LEVEL_PROVINCE);
    *unit.mutable_established_date() = ToDate(established);
    const rv1::Area* area = areas_.Find(registry::kLegacyEdition, district);
    unit.set_address(absl::StrCat("Số ", random_.Between(1, 300), " đường ",
                                  random_.Pick(kStreets), ", ",
                                  InName(area->name()), ", ", kProvinceName));
    unit.set_headcount(random_.Between(12, 180));
    unit.set_has_party_organization(kind != rv1::UNIT_KIND_ENTERPRISE ||
                                    random_.Percent(40));
    unit.set_security_force_size(random_.Between(1, 8));
    unit.add_models(kind == rv1::UNIT_KIND_EDUCATION
                        ? "Cổng trường an toàn giao thông"
                        : std::string(random_.Pick(kModels)));
    return unit;
  }

  absl::CivilDay Established(int from_year, int to_year) {
    return random_.Day(absl::CivilDay(from_year, 1, 1),
                       absl::CivilDay(to_year, 12, 31));
  }

  void AddProvinceUnits() {
    for (absl::string_view agency : kProvinceAgencies) {
      rv1::Unit& unit =
          NewUnit("CQ", absl::StrCat(agency, " ", kProvinceName),
                  rv1::UNIT_KIND_AGENCY, "461", absl::CivilDay(1989, 7, 1));
      unit.set_managing_body(std::string(kAuthority));
    }
    rv1::Unit& gifted =
        NewUnit("GD", "Trường THPT chuyên Lê Quý Đôn", rv1::UNIT_KIND_EDUCATION,
                "461", absl::CivilDay(1994, 9, 5));
    gifted.set_education_level(rv1::EDUCATION_LEVEL_UPPER_SECONDARY);
    gifted.set_managing_body("Sở Giáo dục và Đào tạo tỉnh Quảng Trị");
    rv1::Unit& college =
        NewUnit("GD", "Trường Cao đẳng Kỹ thuật Quảng Trị",
                rv1::UNIT_KIND_EDUCATION, "461", absl::CivilDay(1998, 8, 1));
    college.set_education_level(rv1::EDUCATION_LEVEL_VOCATIONAL);
    college.set_managing_body("Ủy ban nhân dân tỉnh Quảng Trị");
  }

  void AddDistrict(const rv1::Area& district) {
    const std::string in_name = InName(district.name());
    for (absl::string_view agency : kDistrictAgencies) {
      rv1::Unit& unit = NewUnit("CQ", absl::StrCat(agency, " ", in_name),
                                rv1::UNIT_KIND_AGENCY, district.code(),
                                Established(1977, 2005));
      unit.set_managing_level(rv1::MANAGING_LEVEL_DISTRICT);
      unit.set_managing_body(absl::StrCat("Ủy ban nhân dân ", in_name));
    }
    rv1::Unit& military = NewUnit(
        "CQ", absl::StrCat("Ban Chỉ huy Quân sự ", in_name),
        rv1::UNIT_KIND_AGENCY, district.code(), Established(1977, 1990));
    military.set_armed_forces(true);
    for (int i = 0; i < 2; ++i) {
      rv1::Unit& school = NewUnit(
          "GD",
          absl::StrCat("Trường THPT ", random_.Pick(kHighSchoolNames), " (",
                       ShortName(district.name()), ")"),
          rv1::UNIT_KIND_EDUCATION, district.code(), Established(1976, 2008));
      school.set_education_level(rv1::EDUCATION_LEVEL_UPPER_SECONDARY);
      school.set_managing_body("Sở Giáo dục và Đào tạo tỉnh Quảng Trị");
    }

    std::vector<const rv1::Area*> communes = areas_.List(
        registry::kLegacyEdition, district.code(), rv1::AREA_LEVEL_COMMUNE);
    if (options_.communes_per_district > 0 &&
        static_cast<int>(communes.size()) > options_.communes_per_district) {
      communes.resize(options_.communes_per_district);
    }
    for (const rv1::Area* commune : communes) AddCommune(district, *commune);
  }

  void AddCommune(const rv1::Area& district, const rv1::Area& commune) {
    const std::string in_name = InName(commune.name());
    const std::string short_name = ShortName(commune.name());
    auto commune_unit = [&](absl::string_view prefix, std::string name,
                            rv1::UnitKind kind,
                            absl::CivilDay established) -> rv1::Unit& {
      rv1::Unit& unit =
          NewUnit(prefix, std::move(name), kind, district.code(), established);
      unit.set_legacy_commune_code(commune.code());
      unit.set_managing_level(rv1::MANAGING_LEVEL_COMMUNE);
      return unit;
    };
    commune_unit("CQ", absl::StrCat("Ủy ban nhân dân ", in_name),
                 rv1::UNIT_KIND_AGENCY, Established(1977, 2008))
        .set_managing_body(
            absl::StrCat("Ủy ban nhân dân ", InName(district.name())));
    commune_unit("CQ", absl::StrCat("Trạm Y tế ", in_name),
                 rv1::UNIT_KIND_AGENCY, Established(1978, 2010))
        .set_managing_body(
            absl::StrCat("Trung tâm Y tế ", InName(district.name())));
    const std::string education_office =
        absl::StrCat("Phòng Giáo dục và Đào tạo ", InName(district.name()));
    constexpr std::pair<rv1::EducationLevel, absl::string_view> kSchools[] = {
        {rv1::EDUCATION_LEVEL_KINDERGARTEN, "Trường Mầm non"},
        {rv1::EDUCATION_LEVEL_PRIMARY, "Trường Tiểu học"},
        {rv1::EDUCATION_LEVEL_LOWER_SECONDARY, "Trường THCS"},
    };
    for (const auto& [level, prefix] : kSchools) {
      // A few lower-secondary schools open during the period, so the number
      // of units in scope grows from year to year.
      const bool new_school =
          level == rv1::EDUCATION_LEVEL_LOWER_SECONDARY && random_.Percent(4);
      rv1::Unit& school = commune_unit(
          "GD", absl::StrCat(prefix, " ", short_name), rv1::UNIT_KIND_EDUCATION,
          new_school
              ? Established(options_.first_year + 1, options_.last_year - 1)
              : Established(1976, 2010));
      if (new_school) {
        // Opened before the end of its first assessment year (15 November).
        const google::type::Date d = school.established_date();
        school.mutable_established_date()->set_month(std::min(d.month(), 10));
      }
      school.set_education_level(level);
      school.set_managing_body(education_office);
    }
  }

  void AddEnterprise(const std::vector<const rv1::Area*>& districts) {
    // Đông Hà holds a third of the enterprises.
    const rv1::Area* district =
        random_.Percent(33)
            ? districts.front()
            : districts[random_.Uniform(static_cast<int>(districts.size()))];
    constexpr rv1::EnterpriseSize kSizes[] = {
        rv1::ENTERPRISE_SIZE_MICRO, rv1::ENTERPRISE_SIZE_SMALL,
        rv1::ENTERPRISE_SIZE_MEDIUM, rv1::ENTERPRISE_SIZE_LARGE};
    const int roll = random_.Uniform(100);
    const int size = roll < 35 ? 0 : roll < 70 ? 1 : roll < 90 ? 2 : 3;
    const bool recent = random_.Percent(6);
    rv1::Unit& unit = NewUnit(
        "DN",
        absl::StrCat(random_.Pick(kCompanyForms), " ", random_.Pick(kTrades),
                     " ", random_.Pick(kBrands)),
        rv1::UNIT_KIND_ENTERPRISE, district->code(),
        recent ? Established(options_.first_year + 1, options_.last_year - 1)
               : Established(1993, options_.first_year - 1));
    if (recent) {
      const google::type::Date d = unit.established_date();
      unit.mutable_established_date()->set_month(std::min(d.month(), 10));
    }
    unit.set_enterprise_size(kSizes[size]);
    unit.set_tax_code(NextTaxCode());
    constexpr int kLow[] = {3, 11, 101, 201};
    constexpr int kHigh[] = {10, 100, 200, 1500};
    unit.set_headcount(random_.Between(kLow[size], kHigh[size]));
    unit.set_managing_level(size >= 2 ? rv1::MANAGING_LEVEL_PROVINCE
                                      : rv1::MANAGING_LEVEL_DISTRICT);
  }

  // "32", a serial and the check digit: valid, unique within the province.
  std::string NextTaxCode() {
    while (true) {
      const std::string first_nine =
          absl::StrFormat("32%07u", 1000000u + next_tax_serial_++);
      const int check = registry::TaxCodeCheckDigit(first_nine);
      if (check >= 0) return absl::StrCat(first_nine, check);
    }
  }

  // The registry's own rule (Circular 124/2021 art. 1), applied to a copy:
  // the units written out carry client-settable fields only.
  static bool InScope(rv1::Unit unit) {
    registry::ComputeScope(&unit);
    return unit.in_scope();
  }

  // A recognised year: class drawn 38 / 47 / 13 / 2 % excellent / good /
  // average / weak.
  PlannedYear Recognized(int year, int min_points = 0) {
    PlannedYear p;
    p.year = year;
    const int roll = random_.Uniform(100);
    p.points_total = roll < 38   ? random_.Between(90, 100)
                     : roll < 85 ? random_.Between(70, 89)
                     : roll < 98 ? random_.Between(50, 69)
                                 : random_.Between(35, 49);
    p.points_total = std::max(p.points_total, min_points);
    return p;
  }

  PlannedYear Failed(int year) {
    PlannedYear p;
    p.year = year;
    p.outcome = Outcome::kFailed;
    p.points_total = random_.Between(45, 85);
    const EventKind& event =
        kEvents[random_.Uniform(static_cast<int>(std::size(kEvents)))];
    p.event_type = std::string(event.type);
    p.event_description = std::string(event.description);
    // Inside the assessment year (16 November before to 15 November).
    p.event_date =
        random_.Day(absl::CivilDay(year, 1, 5), absl::CivilDay(year, 10, 31));
    return p;
  }

  PlannedYear NotSubmitted(int year) {
    PlannedYear p;
    p.year = year;
    p.outcome = Outcome::kNotSubmitted;
    return p;
  }

  void PlanYears() {
    for (DemoUnit& demo : province_.units) {
      if (!InScope(demo.unit)) continue;
      in_scope_.push_back(static_cast<int>(&demo - province_.units.data()));
      const int from =
          std::max(options_.first_year,
                   static_cast<int>(demo.unit.established_date().year()));
      for (int year = from; year <= options_.last_year; ++year) {
        const int roll = random_.Uniform(1000);
        demo.years.push_back(roll < 8    ? NotSubmitted(year)
                             : roll < 20 ? Failed(year)
                                         : Recognized(year));
      }
    }
  }

  std::string PersonName(rv1::Gender gender) {
    const bool male = gender == rv1::GENDER_MALE;
    return absl::StrCat(
        random_.Pick(kSurnames), " ",
        male ? random_.Pick(kMaleMiddle) : random_.Pick(kFemaleMiddle), " ",
        male ? random_.Pick(kMaleGiven) : random_.Pick(kFemaleGiven));
  }

  static std::string LeaderTitle(const rv1::Unit& unit) {
    const std::string& name = unit.name();
    if (absl::StartsWith(name, "Ủy ban nhân dân")) {
      return "Chủ tịch Ủy ban nhân dân";
    }
    if (absl::StartsWith(name, "Trạm Y tế")) return "Trạm trưởng";
    if (absl::StartsWith(name, "Sở ")) return "Giám đốc Sở";
    if (absl::StartsWith(name, "Phòng ")) return "Trưởng phòng";
    if (absl::StartsWith(name, "Chi cục")) return "Chi cục trưởng";
    if (absl::StartsWith(name, "Ban ")) return "Trưởng ban";
    if (absl::StartsWith(name, "Thanh tra")) return "Chánh Thanh tra";
    if (absl::StartsWith(name, "Văn phòng")) return "Chánh Văn phòng";
    if (unit.kind() == rv1::UNIT_KIND_EDUCATION) return "Hiệu trưởng";
    return "Giám đốc";
  }

  int AddPerson(int unit, rv1::PositionRole role, rv1::Gender gender,
                absl::CivilDay since) {
    const rv1::Unit& u = province_.units[unit].unit;
    DemoPerson& person = province_.persons.emplace_back();
    person.gender = gender;
    person.full_name = PersonName(gender);
    person.unit = unit;
    person.role = role;
    person.since = since;
    person.title = role == rv1::POSITION_ROLE_LEADER
                       ? LeaderTitle(u)
                       : (random_.Percent(30) ? "Tổ trưởng tổ bảo vệ"
                                              : "Tổ viên tổ bảo vệ");
    person.hardship = IsHardship(u.legacy_district_code());
    return static_cast<int>(province_.persons.size()) - 1;
  }

  rv1::Gender AnyGender(int percent_female) {
    return random_.Percent(percent_female) ? rv1::GENDER_FEMALE
                                           : rv1::GENDER_MALE;
  }

  absl::CivilDay Since(int from_year, int to_year) {
    return random_.Day(absl::CivilDay(from_year, 1, 1),
                       absl::CivilDay(to_year, 12, 31));
  }

  // Every unit in scope has a leader; about half a protection-team member.
  void AddPeople() {
    for (int unit : in_scope_) {
      const int established = static_cast<int>(
          province_.units[unit].unit.established_date().year());
      leader_of_[unit] =
          AddPerson(unit, rv1::POSITION_ROLE_LEADER, AnyGender(30),
                    Since(std::max(established, 2008), 2023));
      if (random_.Percent(50)) {
        AddPerson(unit, rv1::POSITION_ROLE_PROTECTION_TEAM, AnyGender(25),
                  Since(std::max(established, 2005), 2022));
      }
    }
  }

  // Units in scope that existed in every year, shuffled: each award
  // candidate takes the next one, so no unit plays two parts.
  absl::Status PlanAwards() {
    for (int unit : in_scope_) {
      if (province_.units[unit].years.size() ==
          static_cast<size_t>(options_.last_year - options_.first_year + 1)) {
        pool_.push_back(unit);
      }
    }
    random_.Shuffle(pool_);
    constexpr int kUnitsNeeded = 63 + 100 + 43;
    if (static_cast<int>(pool_.size()) < kUnitsNeeded) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the award campaigns need ", kUnitsNeeded,
          " units in scope in every year; these options give ", pool_.size(),
          ": raise --enterprises or --communes-per-district"));
    }
    if (absl::Status s = PlanCollectives(); !s.ok()) return s;
    if (absl::Status s = PlanMedals(); !s.ok()) return s;
    return PlanCertificates();
  }

  // The first unit of the pool not taken yet that `fits`; -1 when none.
  template <typename Fits>
  int TakeUnit(Fits fits) {
    for (int unit : pool_) {
      if (taken_.count(unit) == 0 && fits(province_.units[unit].unit)) {
        taken_.insert(unit);
        return unit;
      }
    }
    return -1;
  }
  int TakeUnit() {
    return TakeUnit([](const rv1::Unit&) { return true; });
  }

  PlannedYear& Year(int unit, int year) {
    return province_.units[unit]
        .years[static_cast<size_t>(year - options_.first_year)];
  }

  void RecognizeEveryYear(int unit) {
    for (PlannedYear& p : province_.units[unit].years) {
      if (p.outcome != Outcome::kRecognized) p = Recognized(p.year, 70);
    }
  }

  void Nominate(Campaign campaign, absl::string_view type, int unit, int person,
                std::string achievements, std::string why_not) {
    DemoNomination& n = province_.nominations.emplace_back();
    n.campaign = campaign;
    n.award_type = std::string(type);
    n.unit = unit;
    n.person = person;
    n.achievements = std::move(achievements);
    n.eligible = why_not.empty();
    n.why_not = std::move(why_not);
  }

  std::string Period() const {
    return absl::StrCat(options_.first_year, "–", options_.last_year);
  }

  // 58 eligible collectives (BK_BCA 8, BK_UBND_TINH 20, GK_CAT 30) and 5
  // that are refused, each for one rule.
  absl::Status PlanCollectives() {
    const int last = options_.last_year;
    for (int i = 0; i < 10; ++i) {
      const int unit = TakeUnit();
      if (unit < 0) return Shortage("BK_BCA collectives");
      RecognizeEveryYear(unit);
      const bool eligible = i < 8;
      Year(unit, last).points_total =
          eligible ? random_.Between(92, 100) : random_.Between(80, 88);
      Nominate(
          Campaign::kReview, "BK_BCA", unit, -1,
          absl::StrCat("Đạt chuẩn \"An toàn về an ninh, trật tự\" liên tục ",
                       Period(), ", xếp loại xuất sắc năm ", last),
          eligible ? "" : "excellent_in_last_year");
    }
    for (int i = 0; i < 22; ++i) {
      const int unit = TakeUnit();
      if (unit < 0) return Shortage("BK_UBND_TINH collectives");
      Year(unit, last) = Recognized(last, 70);
      const bool eligible = i < 20;
      Year(unit, last - 1) =
          eligible ? Recognized(last - 1, 70) : Failed(last - 1);
      Nominate(Campaign::kReview, "BK_UBND_TINH", unit, -1,
               absl::StrCat(
                   "Đạt chuẩn \"An toàn về an ninh, trật tự\" hai năm liền ",
                   last - 1, "–", last),
               eligible ? "" : "recognized_last_years");
    }
    for (int i = 0; i < 31; ++i) {
      const int unit = TakeUnit();
      if (unit < 0) return Shortage("GK_CAT collectives");
      const bool eligible = i < 30;
      Year(unit, last) = eligible ? Recognized(last, 60) : NotSubmitted(last);
      Nominate(Campaign::kReview, "GK_CAT", unit, -1,
               absl::StrCat("Thực hiện tốt phong trào năm ", last),
               eligible ? "" : "recognized_last_years");
    }
    return absl::OkStatus();
  }

  // KNC_ANTQ: 100 nominations, 94 eligible. Every candidate's unit is
  // recognised in every year (no event). The earlier commendation is a
  // GK_CAT of the first year's campaign. Refused: 2 hold a police medal,
  // 2 led for under 10 years, 2 have no earlier commendation.
  absl::Status PlanMedals() {
    const int first = options_.first_year;
    const int last = options_.last_year;
    auto established_by = [](int year) {
      return [year](const rv1::Unit& u) {
        return u.established_date().year() <= year;
      };
    };
    for (int i = 0; i < 100; ++i) {
      int person = -1;
      std::string why_not;
      if (i < 66) {  // leaders: 62 eligible, 2 with a police medal, 2 short
        // The two short ones lead outside hardship areas, where their years
        // would count double.
        const bool short_service = i >= 64;
        const int unit = TakeUnit([&](const rv1::Unit& u) {
          return established_by(last - 11)(u) &&
                 !(short_service && IsHardship(u.legacy_district_code()));
        });
        if (unit < 0) return Shortage("KNC_ANTQ leaders");
        RecognizeEveryYear(unit);
        person = leader_of_[unit];
        DemoPerson& leader = province_.persons[person];
        const int from = std::max<int>(
            1996, static_cast<int>(
                      province_.units[unit].unit.established_date().year()));
        leader.since = i < 64 ? Since(from, last - 11)
                              : Since(last - 7, last - 7);  // 7 or 8 years
        if (i >= 62 && i < 64) {
          leader.police_medal = true;
          why_not = "police_service_medal";
        } else if (i >= 64) {
          why_not = "service_years";
        }
      } else {  // protection-team members: 32 eligible, 2 never commended
        const rv1::Gender gender = AnyGender(40);
        const int needed = gender == rv1::GENDER_MALE ? last - 16 : last - 11;
        const int unit = TakeUnit(established_by(needed));
        if (unit < 0) return Shortage("KNC_ANTQ protection-team members");
        RecognizeEveryYear(unit);
        const rv1::Unit& u = province_.units[unit].unit;
        const int from =
            std::max<int>(1994, static_cast<int>(u.established_date().year()));
        // Men 15 years, women 10; hardship-area years count double.
        const absl::CivilDay since =
            gender == rv1::GENDER_MALE             ? Since(from, last - 16)
            : IsHardship(u.legacy_district_code()) ? Since(last - 7, last - 6)
                                                   : Since(from, last - 11);
        person =
            AddPerson(unit, rv1::POSITION_ROLE_PROTECTION_TEAM, gender, since);
        if (i >= 98) why_not = "prior_commendation";
      }
      if (why_not != "prior_commendation") {
        Nominate(Campaign::kPrior, "GK_CAT", -1, person,
                 absl::StrCat("Có thành tích trong phong trào năm ", first),
                 "");
      }
      Nominate(Campaign::kReview, "KNC_ANTQ", -1, person,
               absl::StrCat("Nhiều năm đóng góp cho phong trào Toàn dân bảo vệ "
                            "an ninh Tổ quốc (",
                            Period(), ")"),
               why_not);
    }
    return absl::OkStatus();
  }

  // Certificates for 41 individuals (BK_BCA 5, BK_UBND_TINH 14, GK_CAT 22)
  // whose units are recognised in the last year, and 2 refused because
  // theirs was not.
  absl::Status PlanCertificates() {
    const int last = options_.last_year;
    constexpr std::pair<absl::string_view, int> kCounts[] = {
        {"BK_BCA", 5}, {"BK_UBND_TINH", 15}, {"GK_CAT", 23}};
    for (const auto& [type, count] : kCounts) {
      for (int i = 0; i < count; ++i) {
        const int unit = TakeUnit();
        if (unit < 0) return Shortage("individual certificates");
        const bool eligible = type == "BK_BCA" || i < count - 1;
        Year(unit, last) = eligible ? Recognized(last, 70) : Failed(last);
        // In post during the period.
        DemoPerson& leader = province_.persons[leader_of_[unit]];
        if (leader.since.year() >= last) {
          leader.since = Since(
              std::max<int>(
                  2008,
                  static_cast<int>(
                      province_.units[unit].unit.established_date().year())),
              last - 1);
        }
        Nominate(Campaign::kReview, type, -1, leader_of_[unit],
                 absl::StrCat("Lãnh đạo đơn vị đạt chuẩn \"An toàn về an ninh, "
                              "trật tự\" năm ",
                              last),
                 eligible ? "" : "unit_recognized_last_years");
      }
    }
    return absl::OkStatus();
  }

  absl::Status Shortage(absl::string_view what) const {
    return absl::FailedPreconditionError(
        absl::StrCat("too few units in scope in every year for the ", what,
                     ": raise --enterprises or --communes-per-district"));
  }

  // Birth years once every position date is final: 24 to 38 at the start
  // of the position.
  void AssignBirthYears() {
    for (DemoPerson& person : province_.persons) {
      person.birth_year =
          static_cast<int>(person.since.year()) - random_.Between(24, 38);
    }
  }

  // One decision per district and year, dated in December.
  void PlanDecisions(const std::vector<const rv1::Area*>& districts) {
    for (int year = options_.first_year; year <= options_.last_year; ++year) {
      int number = 2100 + random_.Between(0, 80);
      for (size_t d = 0; d < districts.size(); ++d) {
        Decision& decision = province_.decisions.emplace_back();
        decision.year = year;
        decision.district_code = districts[d]->code();
        decision.district_name = districts[d]->name();
        decision.number = absl::StrCat(number, "/QĐ-UBND");
        number += random_.Between(1, 9);
        decision.date = absl::CivilDay(year, 12, 5 + static_cast<int>(d));
        decision.authority = std::string(kAuthority);
      }
    }
  }

  const registry::AreaCatalog& areas_;
  const ProvinceOptions options_;
  Random random_;
  DemoProvince province_;
  std::map<std::string, int> external_ids_;
  uint32_t next_tax_serial_ = 0;
  std::vector<int> in_scope_;
  std::map<int, int> leader_of_;  // unit → its leader
  std::vector<int> pool_;
  std::set<int> taken_;
};

}  // namespace

absl::StatusOr<DemoProvince> GenerateProvince(
    const registry::AreaCatalog& areas, const ProvinceOptions& options) {
  if (options.last_year < options.first_year + 1) {
    return absl::InvalidArgumentError("the period needs at least two years");
  }
  return Builder(areas, options).Build();
}

std::vector<YearFigures> ExpectedFigures(const DemoProvince& province) {
  std::vector<YearFigures> figures;
  for (int year = province.options.first_year;
       year <= province.options.last_year; ++year) {
    YearFigures& f = figures.emplace_back();
    f.year = year;
    for (const DemoUnit& unit : province.units) {
      for (const PlannedYear& p : unit.years) {
        if (p.year != year) continue;
        ++f.in_scope;
        if (p.outcome != Outcome::kNotSubmitted) ++f.assessed;
        if (p.outcome == Outcome::kRecognized) ++f.recognized;
      }
    }
  }
  return figures;
}

AwardFigures ExpectedAwards(const DemoProvince& province) {
  AwardFigures figures;
  for (const DemoNomination& n : province.nominations) {
    if (n.campaign != Campaign::kReview) continue;
    if (!n.eligible) {
      ++figures.refused;
    } else if (n.award_type == "KNC_ANTQ") {
      ++figures.knc_individuals;
    } else if (n.unit >= 0) {
      ++figures.certificate_collectives;
    } else {
      ++figures.certificate_individuals;
    }
  }
  return figures;
}

}  // namespace antt::demo
