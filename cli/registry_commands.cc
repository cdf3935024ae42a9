#include "cli/registry_commands.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace antt::cli {
namespace {

namespace v1 = ::antt::registry::v1;

std::vector<std::string> UnitHeader() {
  return {"ID", "NAME", "KIND", "IN SCOPE", "PROVINCE", "LEGACY", "STATUS"};
}

std::vector<std::string> UnitRow(const v1::Unit& unit) {
  std::string kind =
      EnumName(v1::UnitKind_descriptor(), "UNIT_KIND_", unit.kind());
  if (unit.enterprise_size() != 0) {
    absl::StrAppend(&kind, "/",
                    EnumName(v1::EnterpriseSize_descriptor(),
                             "ENTERPRISE_SIZE_", unit.enterprise_size()));
  }
  if (unit.education_level() != 0) {
    absl::StrAppend(&kind, "/",
                    EnumName(v1::EducationLevel_descriptor(),
                             "EDUCATION_LEVEL_", unit.education_level()));
  }
  std::vector<std::string> legacy_codes;
  for (const std::string* code :
       {&unit.legacy_province_code(), &unit.legacy_district_code(),
        &unit.legacy_commune_code()}) {
    if (!code->empty()) legacy_codes.push_back(*code);
  }
  const std::string legacy = absl::StrJoin(legacy_codes, "/");
  return {unit.id(),
          unit.name(),
          kind,
          unit.in_scope() ? "yes" : "no",
          unit.province_code(),
          legacy,
          EnumName(v1::UnitStatus_descriptor(), "UNIT_STATUS_", unit.status())};
}

void PrintUnits(const Globals& globals, const std::vector<v1::Unit>& units,
                const google::protobuf::Message& whole) {
  if (globals.output == "json") {
    std::cout << ToJson(whole) << "\n";
    return;
  }
  Table table(UnitHeader());
  for (const auto& unit : units) table.AddRow(UnitRow(unit));
  if (globals.output == "csv") {
    table.PrintCsv(std::cout);
  } else {
    table.PrintAligned(std::cout);
  }
}

// ------------------------------------------------------------ units

struct UnitFlags {
  std::string name, kind, enterprise_size, education_level, tax_code;
  std::string province, commune, legacy_province, legacy_district,
      legacy_commune;
  std::string managing_level = "province";
  std::string external_id, established, managing_body, address, request_id;
  int headcount = 0;
  bool armed_forces = false;
};

void AddUnitCommands(CLI::App& app, Globals& globals, Clients& client) {
  CLI::App* units =
      app.add_subcommand("units", "Units: agencies, enterprises, schools");
  units->require_subcommand(1);

  // units create
  auto create_flags = std::make_shared<UnitFlags>();
  CLI::App* create = units->add_subcommand("create", "Create a unit");
  create->add_option("--name", create_flags->name, "Name (1–300 characters)")
      ->required();
  create
      ->add_option("--kind", create_flags->kind,
                   "agency | enterprise | education")
      ->required();
  create->add_option("--enterprise-size", create_flags->enterprise_size,
                     "micro | small | medium | large (enterprises)");
  create->add_option(
      "--education-level", create_flags->education_level,
      "kindergarten | primary | lower-secondary | upper-secondary | "
      "vocational | higher | other (schools)");
  create->add_option("--tax-code", create_flags->tax_code,
                     "Tax code (enterprises)");
  create->add_option("--province", create_flags->province,
                     "Province code, edition 2026-07");
  create->add_option("--commune", create_flags->commune,
                     "Commune code, edition 2026-07");
  create->add_option("--legacy-province", create_flags->legacy_province,
                     "Province code, edition 2025-06");
  create->add_option("--legacy-district", create_flags->legacy_district,
                     "District code, edition 2025-06");
  create->add_option("--legacy-commune", create_flags->legacy_commune,
                     "Commune code, edition 2025-06");
  create
      ->add_option("--managing-level", create_flags->managing_level,
                   "province | commune | district")
      ->capture_default_str();
  create->add_option("--external-id", create_flags->external_id,
                     "The province's own identifier");
  create->add_option("--established", create_flags->established, "YYYY-MM-DD");
  create->add_option("--managing-body", create_flags->managing_body);
  create->add_option("--address", create_flags->address);
  create->add_option("--headcount", create_flags->headcount);
  create->add_flag("--armed-forces", create_flags->armed_forces);
  create->add_option(
      "--request-id", create_flags->request_id,
      "Idempotency key: a retry with the same key creates nothing");
  create->callback([&globals, &client, create_flags] {
    const UnitFlags& f = *create_flags;
    v1::CreateUnitRequest request;
    v1::Unit* unit = request.mutable_unit();
    unit->set_name(f.name);
    const auto kind = ParseEnum<v1::UnitKind>(v1::UnitKind_descriptor(),
                                              "UNIT_KIND_", f.kind);
    if (!kind) throw CLI::ValidationError("--kind", "unknown kind " + f.kind);
    unit->set_kind(*kind);
    if (!f.enterprise_size.empty()) {
      const auto size =
          ParseEnum<v1::EnterpriseSize>(v1::EnterpriseSize_descriptor(),
                                        "ENTERPRISE_SIZE_", f.enterprise_size);
      if (!size)
        throw CLI::ValidationError("--enterprise-size", f.enterprise_size);
      unit->set_enterprise_size(*size);
    }
    if (!f.education_level.empty()) {
      const auto level =
          ParseEnum<v1::EducationLevel>(v1::EducationLevel_descriptor(),
                                        "EDUCATION_LEVEL_", f.education_level);
      if (!level)
        throw CLI::ValidationError("--education-level", f.education_level);
      unit->set_education_level(*level);
    }
    const auto managing = ParseEnum<v1::ManagingLevel>(
        v1::ManagingLevel_descriptor(), "MANAGING_LEVEL_", f.managing_level);
    if (!managing)
      throw CLI::ValidationError("--managing-level", f.managing_level);
    unit->set_managing_level(*managing);
    if (!f.established.empty()) {
      *unit->mutable_established_date() =
          RequireDate(f.established, "--established");
    }
    unit->set_tax_code(f.tax_code);
    unit->set_province_code(f.province);
    unit->set_commune_code(f.commune);
    unit->set_legacy_province_code(f.legacy_province);
    unit->set_legacy_district_code(f.legacy_district);
    unit->set_legacy_commune_code(f.legacy_commune);
    unit->set_external_id(f.external_id);
    unit->set_managing_body(f.managing_body);
    unit->set_address(f.address);
    unit->set_headcount(f.headcount);
    unit->set_armed_forces(f.armed_forces);
    request.set_request_id(f.request_id);
    v1::Unit created;
    grpc::Status status =
        client.registry().CreateUnit(client.Context().get(), request, &created);
    if (!status.ok()) {
      globals.exit_code = ReportError(status);
      return;
    }
    PrintUnits(globals, {created}, created);
  });

  // units get
  auto get_id = std::make_shared<std::string>();
  CLI::App* get = units->add_subcommand("get", "Show one unit");
  get->add_option("id", *get_id, "Unit id")->required();
  get->callback([&globals, &client, get_id] {
    v1::GetUnitRequest request;
    request.set_id(*get_id);
    v1::Unit unit;
    grpc::Status status =
        client.registry().GetUnit(client.Context().get(), request, &unit);
    if (!status.ok()) {
      globals.exit_code = ReportError(status);
      return;
    }
    if (globals.output != "table") {
      PrintUnits(globals, {unit}, unit);
      return;
    }
    std::cout << ToJson(unit) << "\n";
  });

  // units list
  struct ListFlags {
    std::string area, edition, kind, query, status;
    int page_size = 100;
    bool all = false;
  };
  auto list_flags = std::make_shared<ListFlags>();
  CLI::App* list = units->add_subcommand("list", "List units");
  list->add_option("--area", list_flags->area, "Area code at any level");
  list->add_option("--edition", list_flags->edition,
                   "2026-07 (default) or 2025-06");
  list->add_option("--kind", list_flags->kind,
                   "agency | enterprise | education");
  list->add_option("--status", list_flags->status, "active | dissolved");
  list->add_option("--query", list_flags->query,
                   "Name words, accents and case ignored");
  list->add_option("--page-size", list_flags->page_size)->capture_default_str();
  list->add_flag("--all", list_flags->all, "Fetch every page");
  list->callback([&globals, &client, list_flags] {
    v1::ListUnitsRequest request;
    request.set_area_code(list_flags->area);
    request.set_edition(list_flags->edition);
    request.set_query(list_flags->query);
    request.set_page_size(list_flags->page_size);
    if (!list_flags->kind.empty()) {
      const auto kind = ParseEnum<v1::UnitKind>(v1::UnitKind_descriptor(),
                                                "UNIT_KIND_", list_flags->kind);
      if (!kind) throw CLI::ValidationError("--kind", list_flags->kind);
      request.set_kind(*kind);
    }
    if (!list_flags->status.empty()) {
      const auto status = ParseEnum<v1::UnitStatus>(
          v1::UnitStatus_descriptor(), "UNIT_STATUS_", list_flags->status);
      if (!status) throw CLI::ValidationError("--status", list_flags->status);
      request.set_status(*status);
    }
    v1::ListUnitsResponse all;
    while (true) {
      v1::ListUnitsResponse page;
      grpc::Status status =
          client.registry().ListUnits(client.Context().get(), request, &page);
      if (!status.ok()) {
        globals.exit_code = ReportError(status);
        return;
      }
      all.set_total_size(page.total_size());
      for (auto& unit : *page.mutable_units())
        *all.add_units() = std::move(unit);
      all.set_next_page_token(page.next_page_token());
      if (!list_flags->all || page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    std::vector<v1::Unit> units(all.units().begin(), all.units().end());
    PrintUnits(globals, units, all);
    if (globals.output == "table") {
      std::cout << all.units_size() << " of " << all.total_size() << " units";
      if (!all.next_page_token().empty()) std::cout << " (more: use --all)";
      std::cout << "\n";
    }
  });

  // units dissolve
  struct DissolveFlags {
    std::string id, date, reason, etag;
  };
  auto dissolve_flags = std::make_shared<DissolveFlags>();
  CLI::App* dissolve =
      units->add_subcommand("dissolve", "Mark a unit dissolved");
  dissolve->add_option("id", dissolve_flags->id)->required();
  dissolve->add_option("--date", dissolve_flags->date, "YYYY-MM-DD")
      ->required();
  dissolve->add_option("--reason", dissolve_flags->reason)->required();
  dissolve->add_option("--etag", dissolve_flags->etag,
                       "Fail if the unit changed since this version");
  dissolve->callback([&globals, &client, dissolve_flags] {
    v1::DissolveUnitRequest request;
    request.set_id(dissolve_flags->id);
    *request.mutable_dissolve_date() =
        RequireDate(dissolve_flags->date, "--date");
    request.set_reason(dissolve_flags->reason);
    request.set_etag(dissolve_flags->etag);
    v1::Unit unit;
    grpc::Status status =
        client.registry().DissolveUnit(client.Context().get(), request, &unit);
    if (!status.ok()) {
      globals.exit_code = ReportError(status);
      return;
    }
    PrintUnits(globals, {unit}, unit);
  });
}

// ------------------------------------------------------------ areas

void AddAreaCommands(CLI::App& app, Globals& globals, Clients& client) {
  CLI::App* areas =
      app.add_subcommand("areas", "Administrative areas of both editions");
  areas->require_subcommand(1);
  struct AreaFlags {
    std::string edition = "2026-07";
    std::string code, parent, level;
  };
  auto flags = std::make_shared<AreaFlags>();
  const auto print = [&globals](const std::vector<v1::Area>& list,
                                const google::protobuf::Message& whole) {
    if (globals.output == "json") {
      std::cout << ToJson(whole) << "\n";
      return;
    }
    Table table({"EDITION", "CODE", "NAME", "LEVEL", "PARENT"});
    for (const auto& area : list) {
      table.AddRow(
          {area.edition(), area.code(), area.name(),
           EnumName(v1::AreaLevel_descriptor(), "AREA_LEVEL_", area.level()),
           area.parent_code()});
    }
    if (globals.output == "csv") {
      table.PrintCsv(std::cout);
    } else {
      table.PrintAligned(std::cout);
    }
  };

  CLI::App* get = areas->add_subcommand("get", "Show one area");
  get->add_option("code", flags->code)->required();
  get->add_option("--edition", flags->edition)->capture_default_str();
  get->callback([&globals, &client, flags, print] {
    v1::GetAreaRequest request;
    request.set_edition(flags->edition);
    request.set_code(flags->code);
    v1::Area area;
    grpc::Status status =
        client.registry().GetArea(client.Context().get(), request, &area);
    if (!status.ok()) {
      globals.exit_code = ReportError(status);
      return;
    }
    print({area}, area);
  });

  CLI::App* list = areas->add_subcommand("list", "List areas (every page)");
  list->add_option("--edition", flags->edition)->capture_default_str();
  list->add_option("--parent", flags->parent, "Children of this area");
  list->add_option("--level", flags->level, "province | district | commune");
  list->callback([&globals, &client, flags, print] {
    v1::ListAreasRequest request;
    request.set_edition(flags->edition);
    request.set_parent_code(flags->parent);
    request.set_page_size(1000);
    if (!flags->level.empty()) {
      const auto level = ParseEnum<v1::AreaLevel>(v1::AreaLevel_descriptor(),
                                                  "AREA_LEVEL_", flags->level);
      if (!level) throw CLI::ValidationError("--level", flags->level);
      request.set_level(*level);
    }
    v1::ListAreasResponse all;
    while (true) {
      v1::ListAreasResponse page;
      grpc::Status status =
          client.registry().ListAreas(client.Context().get(), request, &page);
      if (!status.ok()) {
        globals.exit_code = ReportError(status);
        return;
      }
      for (auto& area : *page.mutable_areas())
        *all.add_areas() = std::move(area);
      all.set_total_size(page.total_size());
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    print(std::vector<v1::Area>(all.areas().begin(), all.areas().end()), all);
  });
}

// ------------------------------------------------------------ persons

void PrintPersons(const Globals& globals, const std::vector<v1::Person>& list,
                  const google::protobuf::Message& whole) {
  Table table({"ID", "NAME", "GENDER", "BORN", "UNIT", "POSITIONS", "STATUS"});
  for (const auto& p : list) {
    std::vector<std::string> positions;
    for (const auto& pos : p.positions()) {
      positions.push_back(absl::StrCat(
          EnumName(v1::PositionRole_descriptor(), "POSITION_ROLE_", pos.role()),
          "@", pos.unit_id(), " ", FormatDate(pos.start_date()), "–",
          FormatDate(pos.end_date()),
          pos.hardship_area() ? " (hardship)" : ""));
    }
    table.AddRow({p.id(), p.full_name(),
                  EnumName(v1::Gender_descriptor(), "GENDER_", p.gender()),
                  absl::StrCat(p.birth_year()), p.unit_id(),
                  absl::StrJoin(positions, "; "),
                  EnumName(v1::PersonStatus_descriptor(), "PERSON_STATUS_",
                           p.status())});
  }
  Print(globals, table, whole);
}

void AddPersonCommands(CLI::App& app, Globals& globals, Clients& client) {
  CLI::App* persons =
      app.add_subcommand("persons", "Persons and their positions");
  persons->require_subcommand(1);
  struct Flags {
    std::string name, gender, unit, role = "leader", title, since, until,
                                    request_id, id, query;
    int birth_year = 0;
    bool hardship = false, police_medal = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* create = persons->add_subcommand("create", "Register a person");
  create->add_option("--name", f->name)->required();
  create->add_option("--gender", f->gender, "male | female")->required();
  create->add_option("--birth-year", f->birth_year)->required();
  create->add_option("--unit", f->unit, "Current workplace")->required();
  create
      ->add_option("--role", f->role,
                   "leader | protection-team | staff | other")
      ->capture_default_str();
  create->add_option("--title", f->title, "Position title (default by role)");
  create->add_option("--since", f->since, "Position start, YYYY-MM-DD")
      ->required();
  create->add_option("--until", f->until,
                     "Position end, YYYY-MM-DD (default: ongoing)");
  create->add_flag("--hardship", f->hardship,
                   "The position is in a hardship area");
  create->add_flag("--police-medal", f->police_medal,
                   "Holds a police long-service medal");
  create->add_option("--request-id", f->request_id);
  create->callback([&globals, &client, f] {
    v1::CreatePersonRequest request;
    v1::Person* p = request.mutable_person();
    p->set_full_name(f->name);
    p->set_gender(RequireEnum<v1::Gender>(v1::Gender_descriptor(), "GENDER_",
                                          f->gender, "--gender"));
    p->set_birth_year(f->birth_year);
    p->set_unit_id(f->unit);
    p->set_holds_police_service_medal(f->police_medal);
    v1::Position* pos = p->add_positions();
    pos->set_role(RequireEnum<v1::PositionRole>(
        v1::PositionRole_descriptor(), "POSITION_ROLE_", f->role, "--role"));
    pos->set_title(!f->title.empty() ? f->title
                   : pos->role() == v1::POSITION_ROLE_LEADER
                       ? "Thủ trưởng đơn vị"
                   : pos->role() == v1::POSITION_ROLE_PROTECTION_TEAM
                       ? "Thành viên tổ bảo vệ"
                       : "Cán bộ");
    pos->set_unit_id(f->unit);
    *pos->mutable_start_date() = RequireDate(f->since, "--since");
    if (!f->until.empty())
      *pos->mutable_end_date() = RequireDate(f->until, "--until");
    pos->set_hardship_area(f->hardship);
    request.set_request_id(f->request_id);
    v1::Person created;
    if (Run(globals, [&] {
          return client.registry().CreatePerson(client.Context().get(), request,
                                                &created);
        })) {
      PrintPersons(globals, {created}, created);
    }
  });
  CLI::App* list = persons->add_subcommand("list", "List persons (every page)");
  list->add_option("--unit", f->unit);
  list->add_option("--query", f->query, "Name words, accents and case ignored");
  list->callback([&globals, &client, f] {
    v1::ListPersonsRequest request;
    request.set_unit_id(f->unit);
    request.set_query(f->query);
    request.set_page_size(1000);
    v1::ListPersonsResponse all;
    while (true) {
      v1::ListPersonsResponse page;
      if (!Run(globals, [&] {
            return client.registry().ListPersons(client.Context().get(),
                                                 request, &page);
          })) {
        return;
      }
      for (auto& p : *page.mutable_persons()) *all.add_persons() = std::move(p);
      all.set_total_size(page.total_size());
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    PrintPersons(
        globals,
        std::vector<v1::Person>(all.persons().begin(), all.persons().end()),
        all);
  });
}

}  // namespace

void AddRegistryCommands(CLI::App& app, Globals& globals, Clients& clients) {
  AddUnitCommands(app, globals, clients);
  AddAreaCommands(app, globals, clients);
  AddPersonCommands(app, globals, clients);
}

}  // namespace antt::cli
