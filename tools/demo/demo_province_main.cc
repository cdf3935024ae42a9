// antt-demo-province: writes the demo province (tools/demo/province.h) as
// the CSV files anttctl imports, one stage at a time. The units come first;
// later stages name units and persons by the ids the registry gave them, so
// they read what anttctl exported or printed in between:
//
//   antt-demo-province units > units.csv
//   anttctl units import units.csv
//   anttctl units export --area 45 --edition 2025-06 > export.csv
//   antt-demo-province persons --units export.csv > persons.csv
//   anttctl -o csv persons import persons.csv > person-ids.csv
//   antt-demo-province assessments --units export.csv > assessments.csv
//   antt-demo-province decisions > decisions.csv
//   antt-demo-province nominations --campaign prior|review
//       --units export.csv --persons person-ids.csv > nominations.csv
//   antt-demo-province expect --what years|awards
//
// Every stage regenerates the same province from --seed and the size flags,
// so pass the same ones to each.

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "cli/csv.h"
#include "cli/enum_name.h"
#include "common/data_dir.h"
#include "services/registry/area_catalog.h"
#include "tools/demo/province.h"

namespace antt::demo {
namespace {

namespace rv1 = registry::v1;
using cli::WriteCsvRecord;

// UNIT_KIND_AGENCY → "agency": the form anttctl's CSV files take.
template <typename Enum>
std::string Short(const google::protobuf::EnumDescriptor* descriptor,
                  const std::string& prefix, Enum value) {
  return cli::EnumName(descriptor, prefix, static_cast<int>(value));
}

// 2014-12-05, as anttctl reads dates.
std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::string Day(const google::type::Date& date) {
  return Day(absl::CivilDay(date.year(), date.month(), date.day()));
}

std::string Bool(bool b) { return b ? "true" : "false"; }

// A failed stage: Main prints it and exits 1, after the stack unwinds (so a
// half-written --out file is removed).
struct StageError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& message) {
  throw StageError{message};
}

// column → value for each row of a CSV file, keyed by `key_column`; column
// names compare case-insensitively.
std::map<std::string, std::string> ReadMapping(const std::string& path,
                                               absl::string_view key_column,
                                               absl::string_view value_column) {
  std::ifstream in(path);
  if (!in) Fail(absl::StrCat("cannot read ", path));
  cli::CsvReader reader(in);
  if (absl::Status s = reader.ReadHeader(); !s.ok()) {
    Fail(absl::StrCat(path, ": ", s.message()));
  }
  int key = -1, value = -1;
  for (size_t i = 0; i < reader.header().size(); ++i) {
    const std::string name = absl::AsciiStrToLower(reader.header()[i]);
    if (name == key_column) key = static_cast<int>(i);
    if (name == value_column) value = static_cast<int>(i);
  }
  if (key < 0 || value < 0) {
    Fail(absl::StrCat(path, ": needs columns ", key_column, " and ",
                      value_column));
  }
  std::map<std::string, std::string> mapping;
  cli::CsvRecord record;
  absl::Status error;
  while (reader.Next(&record, &error)) {
    if (!error.ok()) Fail(absl::StrCat(path, ": ", error.message()));
    if (static_cast<int>(record.fields.size()) <= std::max(key, value))
      continue;
    mapping[record.fields[key]] = record.fields[value];
  }
  return mapping;
}

class Stages {
 public:
  explicit Stages(DemoProvince province) : p_(std::move(province)) {}

  void Units(std::ostream& out) const {
    WriteCsvRecord(
        out,
        {"external_id", "name", "kind", "enterprise_size", "education_level",
         "armed_forces", "tax_code", "province_code", "legacy_province_code",
         "legacy_district_code", "legacy_commune_code", "managing_level",
         "established_date", "managing_body", "address", "headcount",
         "has_party_organization", "security_force_size", "models"});
    for (const DemoUnit& demo : p_.units) {
      const rv1::Unit& u = demo.unit;
      WriteCsvRecord(
          out, {u.external_id(), u.name(),
                Short(rv1::UnitKind_descriptor(), "UNIT_KIND_", u.kind()),
                Short(rv1::EnterpriseSize_descriptor(), "ENTERPRISE_SIZE_",
                      u.enterprise_size()),
                Short(rv1::EducationLevel_descriptor(), "EDUCATION_LEVEL_",
                      u.education_level()),
                Bool(u.armed_forces()), u.tax_code(), u.province_code(),
                u.legacy_province_code(), u.legacy_district_code(),
                u.legacy_commune_code(),
                Short(rv1::ManagingLevel_descriptor(), "MANAGING_LEVEL_",
                      u.managing_level()),
                Day(u.established_date()), u.managing_body(), u.address(),
                absl::StrCat(u.headcount()), Bool(u.has_party_organization()),
                absl::StrCat(u.security_force_size()),
                absl::StrJoin(u.models(), ";")});
    }
  }

  void Persons(std::ostream& out, const std::string& units_export) const {
    const auto ids = UnitIds(units_export);
    WriteCsvRecord(
        out, {"full_name", "gender", "birth_year", "unit_id", "role", "title",
              "since", "until", "hardship", "police_medal"});
    for (const DemoPerson& person : p_.persons) {
      WriteCsvRecord(
          out,
          {person.full_name,
           Short(rv1::Gender_descriptor(), "GENDER_", person.gender),
           absl::StrCat(person.birth_year), UnitId(ids, person.unit),
           Short(rv1::PositionRole_descriptor(), "POSITION_ROLE_", person.role),
           person.title, Day(person.since), "", Bool(person.hardship),
           Bool(person.police_medal)});
    }
  }

  void Assessments(std::ostream& out, const std::string& units_export) const {
    const auto ids = UnitIds(units_export);
    WriteCsvRecord(out, {"unit_id", "year", "points_total", "events"});
    for (size_t i = 0; i < p_.units.size(); ++i) {
      for (const PlannedYear& year : p_.units[i].years) {
        if (year.outcome == Outcome::kNotSubmitted) continue;
        std::string events;
        if (year.outcome == Outcome::kFailed) {
          events = absl::StrCat(year.event_type, "@", Day(year.event_date), "=",
                                year.event_description);
        }
        WriteCsvRecord(
            out, {UnitId(ids, static_cast<int>(i)), absl::StrCat(year.year),
                  absl::StrCat(year.points_total), events});
      }
    }
  }

  // The demo script reads this file with the shell (IFS=,), so no field may
  // need CSV quoting; a name that would is refused rather than misread.
  void Decisions(std::ostream& out) const {
    WriteCsvRecord(
        out, {"year", "area", "area_name", "number", "date", "authority"});
    for (const Decision& d : p_.decisions) {
      const std::vector<std::string> fields = {
          absl::StrCat(d.year), d.district_code, d.district_name, d.number,
          Day(d.date),          d.authority};
      for (const std::string& field : fields) {
        if (cli::CsvField(field) != field) {
          Fail(absl::StrCat("decision field \"", field,
                            "\" needs CSV quoting, which the demo script "
                            "does not read"));
        }
      }
      WriteCsvRecord(out, fields);
    }
  }

  void Nominations(std::ostream& out, Campaign campaign,
                   const std::string& units_export,
                   const std::string& person_ids) const {
    const auto units = UnitIds(units_export);
    // anttctl persons import prints one row per created person: the row of
    // persons.csv (1-based) and the id the registry gave it.
    const auto persons = ReadMapping(person_ids, "row", "id");
    WriteCsvRecord(out, {"award_type", "unit_id", "person_id", "achievements"});
    for (const DemoNomination& n : p_.nominations) {
      if (n.campaign != campaign) continue;
      std::string person_id;
      if (n.person >= 0) {
        auto it = persons.find(absl::StrCat(n.person + 1));
        if (it == persons.end()) {
          Fail(absl::StrCat(person_ids, ": no id for persons.csv row ",
                            n.person + 1));
        }
        person_id = it->second;
      }
      WriteCsvRecord(out,
                     {n.award_type, n.unit >= 0 ? UnitId(units, n.unit) : "",
                      person_id, n.achievements});
    }
  }

  void ExpectYears(std::ostream& out) const {
    WriteCsvRecord(out, {"year", "in_scope", "assessed", "recognized"});
    for (const YearFigures& f : ExpectedFigures(p_)) {
      WriteCsvRecord(out,
                     {absl::StrCat(f.year), absl::StrCat(f.in_scope),
                      absl::StrCat(f.assessed), absl::StrCat(f.recognized)});
    }
  }

  void ExpectAwards(std::ostream& out) const {
    const AwardFigures f = ExpectedAwards(p_);
    WriteCsvRecord(out, {"knc_individuals", "certificate_collectives",
                         "certificate_individuals", "refused"});
    WriteCsvRecord(out, {absl::StrCat(f.knc_individuals),
                         absl::StrCat(f.certificate_collectives),
                         absl::StrCat(f.certificate_individuals),
                         absl::StrCat(f.refused)});
  }

 private:
  // external_id → id, from `anttctl units export`.
  static std::map<std::string, std::string> UnitIds(const std::string& path) {
    return ReadMapping(path, "external_id", "id");
  }

  std::string UnitId(const std::map<std::string, std::string>& ids,
                     int unit) const {
    const std::string& external = p_.units[unit].unit.external_id();
    auto it = ids.find(external);
    if (it == ids.end()) {
      Fail(absl::StrCat("the units export has no unit ", external,
                        ": import units.csv first"));
    }
    return it->second;
  }

  DemoProvince p_;
};

// Runs `write` on --out (written whole or not at all) or stdout.
template <typename Write>
void Emit(const std::string& out_path, Write&& write) {
  if (out_path.empty() || out_path == "-") {
    write(std::cout);
    std::cout.flush();
    if (!std::cout) Fail("cannot write to stdout");
    return;
  }
  cli::AtomicOutputFile out(out_path);
  if (absl::Status s = out.Open(); !s.ok()) Fail(std::string(s.message()));
  write(out.stream());
  if (absl::Status s = out.Commit(); !s.ok()) Fail(std::string(s.message()));
}

int Main(int argc, char** argv) {
  ProvinceOptions options;
  std::string areas_dir = InstalledDataPath("areas");
  std::string out, units_export, person_ids, campaign = "review",
                                             what = "years";

  CLI::App app{"antt-demo-province: the demo province as anttctl CSV files"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--seed", options.seed)->capture_default_str();
  app.add_option("--enterprises", options.enterprises)->capture_default_str();
  app.add_option("--communes-per-district", options.communes_per_district,
                 "0: every commune")
      ->capture_default_str();
  app.add_option("--areas-dir", areas_dir)->capture_default_str();
  app.add_option("--out", out, "File to write (default: stdout)");

  CLI::App* units = app.add_subcommand("units", "Units to import");
  CLI::App* persons = app.add_subcommand("persons", "Leaders and team members");
  persons->add_option("--units", units_export, "anttctl units export CSV")
      ->required();
  CLI::App* assessments =
      app.add_subcommand("assessments", "Every year's self-assessments");
  assessments->add_option("--units", units_export)->required();
  CLI::App* decisions = app.add_subcommand(
      "decisions", "Recognition decisions per district/year");
  CLI::App* nominations =
      app.add_subcommand("nominations", "One campaign's nominations");
  nominations->add_option("--campaign", campaign, "prior | review")
      ->check(CLI::IsMember({"prior", "review"}))
      ->capture_default_str();
  nominations->add_option("--units", units_export)->required();
  nominations
      ->add_option("--persons", person_ids,
                   "anttctl -o csv persons import output (row,id,...)")
      ->required();
  CLI::App* expect =
      app.add_subcommand("expect", "What the services should report");
  expect->add_option("--what", what, "years | awards")
      ->check(CLI::IsMember({"years", "awards"}))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  auto catalog = registry::AreaCatalog::Load(areas_dir);
  if (!catalog.ok()) Fail(std::string(catalog.status().message()));
  auto province = GenerateProvince(**catalog, options);
  if (!province.ok()) Fail(std::string(province.status().message()));
  const Stages stages(*std::move(province));

  if (units->parsed()) {
    Emit(out, [&](std::ostream& o) { stages.Units(o); });
  } else if (persons->parsed()) {
    Emit(out, [&](std::ostream& o) { stages.Persons(o, units_export); });
  } else if (assessments->parsed()) {
    Emit(out, [&](std::ostream& o) { stages.Assessments(o, units_export); });
  } else if (decisions->parsed()) {
    Emit(out, [&](std::ostream& o) { stages.Decisions(o); });
  } else if (nominations->parsed()) {
    const Campaign c =
        campaign == "prior" ? Campaign::kPrior : Campaign::kReview;
    Emit(out, [&](std::ostream& o) {
      stages.Nominations(o, c, units_export, person_ids);
    });
  } else if (expect->parsed()) {
    Emit(out, [&](std::ostream& o) {
      what == "years" ? stages.ExpectYears(o) : stages.ExpectAwards(o);
    });
  }
  return 0;
}

}  // namespace
}  // namespace antt::demo

int main(int argc, char** argv) {
  try {
    return antt::demo::Main(argc, argv);
  } catch (const antt::demo::StageError& e) {
    std::cerr << "antt-demo-province: " << e.message << "\n";
    return 1;
  }
}
