#include "cli/registry_commands.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/bulk.h"
#include "cli/csv.h"
#include "cli/progress.h"
#include "google/protobuf/struct.pb.h"

namespace antt::cli {
namespace {

namespace v1 = ::antt::registry::v1;

std::vector<CsvColumn> UnitHeader() {
  return {"ID",       "NAME",   ValueColumn("KIND"),  ValueColumn("IN SCOPE"),
          "PROVINCE", "LEGACY", ValueColumn("STATUS")};
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
  std::string managing_level;
  std::string external_id, established, managing_body, address;
  std::vector<std::string> models;
  int headcount = 0;
  int security_force_size = 0;
  bool armed_forces = false;
  bool has_party_organization = false;
};

// A flag and the Unit field it sets (its update_mask path).
struct UnitFlag {
  CLI::Option* option;
  std::string path;
};

// Adds the flags that set unit fields to `command` (create and update).
std::vector<UnitFlag> AddUnitFlags(CLI::App* command, UnitFlags* f) {
  return {
      {command->add_option("--name", f->name, "Name (1–300 characters)"),
       "name"},
      {command->add_option("--kind", f->kind,
                           "agency | enterprise | education"),
       "kind"},
      {command->add_option("--enterprise-size", f->enterprise_size,
                           "micro | small | medium | large (enterprises)"),
       "enterprise_size"},
      {command->add_option(
           "--education-level", f->education_level,
           "kindergarten | primary | lower-secondary | upper-secondary | "
           "vocational | higher | other (schools)"),
       "education_level"},
      {command->add_option("--tax-code", f->tax_code, "Tax code (enterprises)"),
       "tax_code"},
      {command->add_option("--province", f->province,
                           "Province code, edition 2026-07"),
       "province_code"},
      {command->add_option("--commune", f->commune,
                           "Commune code, edition 2026-07"),
       "commune_code"},
      {command->add_option("--legacy-province", f->legacy_province,
                           "Province code, edition 2025-06"),
       "legacy_province_code"},
      {command->add_option("--legacy-district", f->legacy_district,
                           "District code, edition 2025-06"),
       "legacy_district_code"},
      {command->add_option("--legacy-commune", f->legacy_commune,
                           "Commune code, edition 2025-06"),
       "legacy_commune_code"},
      {command->add_option("--managing-level", f->managing_level,
                           "province | commune | district"),
       "managing_level"},
      {command->add_option("--external-id", f->external_id,
                           "The province's own identifier"),
       "external_id"},
      {command->add_option("--established", f->established, "YYYY-MM-DD"),
       "established_date"},
      {command->add_option("--managing-body", f->managing_body),
       "managing_body"},
      {command->add_option("--address", f->address), "address"},
      {command->add_option("--headcount", f->headcount), "headcount"},
      {command->add_flag("--armed-forces", f->armed_forces,
                         "An armed-forces unit (--armed-forces=false: not)"),
       "armed_forces"},
      {command->add_flag("--party-organization", f->has_party_organization,
                         "Has a Party organisation (=false: has not)"),
       "has_party_organization"},
      {command->add_option("--security-force-size", f->security_force_size),
       "security_force_size"},
      {command->add_option("--model", f->models,
                           "A \"tự phòng, tự quản\" model; repeat for more "
                           "(update: --model \"\" clears them)"),
       "models"},
  };
}

// The zero value for an empty flag, else the named value.
template <typename Enum>
Enum FlagEnum(const google::protobuf::EnumDescriptor* descriptor,
              const std::string& prefix, const std::string& text,
              const std::string& flag) {
  if (text.empty()) return static_cast<Enum>(0);
  return RequireEnum<Enum>(descriptor, prefix, text, flag);
}

// The unit the flags describe; throws CLI::ValidationError for a bad value.
v1::Unit UnitFromFlags(const UnitFlags& f) {
  v1::Unit unit;
  unit.set_name(f.name);
  unit.set_kind(FlagEnum<v1::UnitKind>(v1::UnitKind_descriptor(), "UNIT_KIND_",
                                       f.kind, "--kind"));
  unit.set_enterprise_size(FlagEnum<v1::EnterpriseSize>(
      v1::EnterpriseSize_descriptor(), "ENTERPRISE_SIZE_", f.enterprise_size,
      "--enterprise-size"));
  unit.set_education_level(FlagEnum<v1::EducationLevel>(
      v1::EducationLevel_descriptor(), "EDUCATION_LEVEL_", f.education_level,
      "--education-level"));
  unit.set_managing_level(FlagEnum<v1::ManagingLevel>(
      v1::ManagingLevel_descriptor(), "MANAGING_LEVEL_", f.managing_level,
      "--managing-level"));
  if (!f.established.empty()) {
    *unit.mutable_established_date() =
        RequireDate(f.established, "--established");
  }
  unit.set_tax_code(f.tax_code);
  unit.set_province_code(f.province);
  unit.set_commune_code(f.commune);
  unit.set_legacy_province_code(f.legacy_province);
  unit.set_legacy_district_code(f.legacy_district);
  unit.set_legacy_commune_code(f.legacy_commune);
  unit.set_external_id(f.external_id);
  unit.set_managing_body(f.managing_body);
  unit.set_address(f.address);
  unit.set_headcount(f.headcount);
  unit.set_security_force_size(f.security_force_size);
  unit.set_armed_forces(f.armed_forces);
  unit.set_has_party_organization(f.has_party_organization);
  for (const std::string& model : f.models) {
    if (!model.empty()) unit.add_models(model);
  }
  return unit;
}

void AddCreateUnit(CLI::App* units, Globals& globals, Clients& clients) {
  struct Flags {
    UnitFlags unit;
    std::string request_id;
  };
  auto f = std::make_shared<Flags>();
  f->unit.managing_level = "province";
  CLI::App* create = units->add_subcommand("create", "Create a unit");
  (void)AddUnitFlags(create, &f->unit);
  create->get_option("--name")->required();
  create->get_option("--kind")->required();
  create->get_option("--managing-level")->capture_default_str();
  create->add_option(
      "--request-id", f->request_id,
      "Idempotency key: a retry with the same key creates nothing");
  create->callback([&globals, &clients, f] {
    v1::CreateUnitRequest request;
    *request.mutable_unit() = UnitFromFlags(f->unit);
    request.set_request_id(f->request_id);
    v1::Unit created;
    if (Run(globals, [&] {
          return clients.registry().CreateUnit(clients.Context().get(), request,
                                               &created);
        })) {
      PrintUnits(globals, {created}, created);
    }
  });
}

void AddUpdateUnit(CLI::App* units, Globals& globals, Clients& clients) {
  struct Flags {
    UnitFlags unit;
    std::string id, etag;
    std::vector<UnitFlag> flags;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* update = units->add_subcommand(
      "update", "Change the fields given by flags, and only those");
  update->add_option("id", f->id, "Unit id")->required();
  f->flags = AddUnitFlags(update, &f->unit);
  update->add_option("--etag", f->etag,
                     "Fail if the unit changed since this version");
  update->callback([&globals, &clients, f] {
    v1::UpdateUnitRequest request;
    *request.mutable_unit() = UnitFromFlags(f->unit);
    request.mutable_unit()->set_id(f->id);
    request.mutable_unit()->set_etag(f->etag);
    for (const UnitFlag& flag : f->flags) {
      if (flag.option->count() > 0) {
        request.mutable_update_mask()->add_paths(flag.path);
      }
    }
    if (request.update_mask().paths().empty()) {
      throw CLI::ValidationError(
          "update", "nothing to change: give the flags of the fields to set");
    }
    v1::Unit unit;
    if (Run(globals, [&] {
          return clients.registry().UpdateUnit(clients.Context().get(), request,
                                               &unit);
        })) {
      PrintUnits(globals, {unit}, unit);
    }
  });
}

// ---- units as CSV (export and import)

// The columns of `units export` and `units import`, in order; text are the
// strings, values the enums, booleans, numbers and dates.
const std::vector<CsvColumn>& UnitColumns() {
  static const auto* columns =
      new std::vector<CsvColumn>{"id",
                                 "external_id",
                                 "name",
                                 ValueColumn("kind"),
                                 ValueColumn("enterprise_size"),
                                 ValueColumn("education_level"),
                                 ValueColumn("armed_forces"),
                                 "tax_code",
                                 "province_code",
                                 "commune_code",
                                 "legacy_province_code",
                                 "legacy_district_code",
                                 "legacy_commune_code",
                                 ValueColumn("managing_level"),
                                 ValueColumn("established_date"),
                                 "managing_body",
                                 "address",
                                 ValueColumn("headcount"),
                                 ValueColumn("has_party_organization"),
                                 ValueColumn("security_force_size"),
                                 "models",
                                 ValueColumn("status"),
                                 ValueColumn("in_scope"),
                                 ValueColumn("dissolve_date")};
  return *columns;
}

// The models joined by ';', each escaped (EscapeListValue): a model holding a
// ';' stays one model when imported again.
std::string ModelsCell(const v1::Unit& u) {
  return absl::StrJoin(u.models(), ";",
                       [](std::string* out, const std::string& model) {
                         out->append(EscapeListValue(model));
                       });
}

std::vector<std::string> UnitCsvRow(const v1::Unit& u) {
  return {u.id(),
          u.external_id(),
          u.name(),
          EnumName(v1::UnitKind_descriptor(), "UNIT_KIND_", u.kind()),
          EnumName(v1::EnterpriseSize_descriptor(), "ENTERPRISE_SIZE_",
                   u.enterprise_size()),
          EnumName(v1::EducationLevel_descriptor(), "EDUCATION_LEVEL_",
                   u.education_level()),
          BoolName(u.armed_forces()),
          u.tax_code(),
          u.province_code(),
          u.commune_code(),
          u.legacy_province_code(),
          u.legacy_district_code(),
          u.legacy_commune_code(),
          EnumName(v1::ManagingLevel_descriptor(), "MANAGING_LEVEL_",
                   u.managing_level()),
          FormatDate(u.established_date()),
          u.managing_body(),
          u.address(),
          absl::StrCat(u.headcount()),
          BoolName(u.has_party_organization()),
          absl::StrCat(u.security_force_size()),
          ModelsCell(u),
          EnumName(v1::UnitStatus_descriptor(), "UNIT_STATUS_", u.status()),
          BoolName(u.in_scope()),
          FormatDate(u.dissolve_date())};
}

// The unit a CSV row describes (the output-only columns id, status, in_scope
// and dissolve_date are ignored); bad cells are in row.errors().
v1::Unit UnitFromCsv(CsvRow& row) {
  v1::Unit unit;
  unit.set_external_id(row.Text("external_id"));
  unit.set_name(row.Text("name"));
  unit.set_kind(row.EnumCell<v1::UnitKind>("kind", v1::UnitKind_descriptor(),
                                           "UNIT_KIND_"));
  unit.set_enterprise_size(row.EnumCell<v1::EnterpriseSize>(
      "enterprise_size", v1::EnterpriseSize_descriptor(), "ENTERPRISE_SIZE_"));
  unit.set_education_level(row.EnumCell<v1::EducationLevel>(
      "education_level", v1::EducationLevel_descriptor(), "EDUCATION_LEVEL_"));
  unit.set_armed_forces(row.BoolCell("armed_forces"));
  unit.set_tax_code(row.Text("tax_code"));
  unit.set_province_code(row.Text("province_code"));
  unit.set_commune_code(row.Text("commune_code"));
  unit.set_legacy_province_code(row.Text("legacy_province_code"));
  unit.set_legacy_district_code(row.Text("legacy_district_code"));
  unit.set_legacy_commune_code(row.Text("legacy_commune_code"));
  unit.set_managing_level(
      row.Text("managing_level").empty()
          ? v1::MANAGING_LEVEL_PROVINCE
          : row.EnumCell<v1::ManagingLevel>("managing_level",
                                            v1::ManagingLevel_descriptor(),
                                            "MANAGING_LEVEL_"));
  if (auto date = row.DateCell("established_date")) {
    *unit.mutable_established_date() = *date;
  }
  unit.set_managing_body(row.Text("managing_body"));
  unit.set_address(row.Text("address"));
  unit.set_headcount(row.IntCell("headcount"));
  unit.set_has_party_organization(row.BoolCell("has_party_organization"));
  unit.set_security_force_size(row.IntCell("security_force_size"));
  for (const std::string& escaped : SplitEscaped(row.Text("models"), ';')) {
    const std::string model = UnescapeListValue(escaped);
    const absl::string_view trimmed = absl::StripAsciiWhitespace(model);
    if (!trimmed.empty()) unit.add_models(std::string(trimmed));
  }
  return unit;
}

void PrintImportSummary(const Globals& globals,
                        const v1::ImportUnitsResponse& summary,
                        const std::string& report_path, bool report_saved) {
  if (globals.output == "json") {
    std::cout << ToJson(summary, /*with_defaults=*/true) << "\n";
    return;
  }
  if (globals.output == "csv") {
    CsvWriter writer(std::cout, {ValueColumn("created"), ValueColumn("updated"),
                                 ValueColumn("rejected"), "errors"});
    writer.WriteHeader();
    writer.Write(
        {absl::StrCat(summary.created()), absl::StrCat(summary.updated()),
         absl::StrCat(summary.rejected()), report_saved ? report_path : ""});
    return;
  }
  std::cout << "created " << summary.created() << ", updated "
            << summary.updated() << ", rejected " << summary.rejected();
  if (report_saved) std::cout << "; errors in " << report_path;
  std::cout << "\n";
}

struct ImportFlags {
  std::string file, errors;
  int parallel = 4;
};

// What streaming a file's units to ImportUnits left behind.
struct UnitStream {
  grpc::Status status;
  v1::ImportUnitsResponse response;
  std::vector<int> sent_rows;  // the file row of each unit sent, in order
  int read = 0;                // rows taken from the file
  int refused_here = 0;        // rows that could not become a Unit
};

// Streams the rows of `reader` to ImportUnits one at a time, never holding
// the file: rows that cannot become a Unit go to `report` and are not sent.
UnitStream StreamUnits(Clients& clients, CsvReader& reader, int64_t total,
                       ErrorReport& report) {
  UnitStream stream;
  auto& stub = clients.registry();
  auto context = clients.StreamContext(total);
  Progress progress("units import", total);
  auto writer = stub.ImportUnits(context.get(), &stream.response);
  int row = 0;
  std::optional<v1::Unit> unit;
  while (NextCsvRow(reader, report, UnitFromCsv, &row, &unit)) {
    ++stream.read;
    if (!unit) {
      ++stream.refused_here;
      progress.Add(0, 1);
      continue;
    }
    v1::ImportUnitsRequest request;
    *request.mutable_unit() = std::move(*unit);
    if (!writer->Write(request)) break;  // the call ended: Finish says why
    stream.sent_rows.push_back(row);
    progress.Add(1);
  }
  writer->WritesDone();
  stream.status = writer->Finish();
  return stream;
}

// The server's errors, whose rows count the units sent, as file rows.
void AddServerErrors(const UnitStream& stream, ErrorReport& report) {
  const std::vector<int>& rows = stream.sent_rows;
  for (const v1::ImportError& e : stream.response.errors()) {
    const bool known = e.row() >= 1 && e.row() <= static_cast<int>(rows.size());
    report.Add(known ? rows[e.row() - 1] : 0, e.field(), e.message());
  }
  if (stream.response.errors_omitted() > 0) {
    report.Add(0, "",
               absl::StrCat(stream.response.errors_omitted(),
                            " more rows were rejected; the server reports the "
                            "first ",
                            stream.response.errors_size(), " only"));
  }
}

// The counts of the whole file, with every error by file row.
v1::ImportUnitsResponse ImportSummary(const UnitStream& stream,
                                      const ErrorReport& report) {
  v1::ImportUnitsResponse summary;
  summary.set_created(stream.response.created());
  summary.set_updated(stream.response.updated());
  summary.set_rejected(stream.response.rejected() + stream.refused_here);
  for (const ErrorReport::Entry& e : report.entries()) {
    v1::ImportError* error = summary.add_errors();
    error->set_row(e.row);
    error->set_field(e.field);
    error->set_message(e.message);
  }
  return summary;
}

void ImportUnits(Globals& globals, Clients& clients, const ImportFlags& flags) {
  const auto input = OpenBulkInput(globals, flags.file, "FILE", flags.errors,
                                   {"name", "kind"}, UnitColumns());
  if (input == nullptr) return;
  const std::string& report_path = input->report_path;
  ErrorReport report;
  const UnitStream stream =
      StreamUnits(clients, input->reader, input->rows, report);
  if (!stream.status.ok()) {
    globals.exit_code = ReportError(stream.status);
    std::cerr << "the import stopped; rows sent before the failure may be "
                 "written: running it again updates them\n";
    SaveErrorReport(globals, report, report_path);
    return;
  }
  AddServerErrors(stream, report);
  RowTally tally;
  tally.in_file = input->rows;
  tally.read = stream.read;
  tally.accepted = static_cast<int64_t>(stream.response.created()) +
                   stream.response.updated();
  tally.rejected =
      static_cast<int64_t>(stream.response.rejected()) + stream.refused_here;
  if (tally.rejected > 0 && globals.exit_code == kOk) {
    globals.exit_code = kRejected;
  }
  ReconcileRows(globals, "units import", tally, report);
  const v1::ImportUnitsResponse summary = ImportSummary(stream, report);
  const bool saved = SaveErrorReport(globals, report, report_path);
  PrintImportSummary(globals, summary, report_path, saved);
}

struct ExportFlags {
  std::string area, edition, kind, status, file;
};

// Where an export writes: stdout, or a file that appears whole or not at all.
class ExportOutput final {
 public:
  explicit ExportOutput(const std::string& path) {
    if (!path.empty()) file_.emplace(path);
  }
  [[nodiscard]] absl::Status Open() {
    return file_ ? file_->Open() : absl::OkStatus();
  }
  std::ostream& stream() { return file_ ? file_->stream() : std::cout; }
  [[nodiscard]] absl::Status Commit() {
    return file_ ? file_->Commit() : absl::OkStatus();
  }

 private:
  std::optional<AtomicOutputFile> file_;
};

// Writes every page `list(request, &page)` returns as CSV to `file` (or
// stdout): the header `columns` once the first page has arrived, then
// `row(item)` for each of `items(page)`. A failed call writes nothing: a file
// export leaves nothing behind.
template <typename Response, typename Request, typename List, typename Items,
          typename Row>
void ExportPages(Globals& globals, const std::string& file, const char* label,
                 Request request, const std::vector<CsvColumn>& columns,
                 List&& list, Items&& items, Row&& row) {
  request.set_page_size(1000);
  ExportOutput out(file);
  if (absl::Status s = out.Open(); !s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    globals.exit_code = kServerError;
    return;
  }
  CsvWriter writer(out.stream(), columns);
  std::unique_ptr<Progress> progress;
  while (true) {
    Response page;
    if (!Run(globals, [&] { return list(request, &page); })) return;
    if (progress == nullptr) {  // the first page: nothing written before it
      progress = std::make_unique<Progress>(label, page.total_size());
      writer.WriteHeader();
    }
    for (const auto& item : items(page)) writer.Write(row(item));
    progress->Add(items(page).size());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  progress->Finish();
  if (absl::Status s = out.Commit(); !s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    globals.exit_code = kServerError;
  }
}

void ExportUnits(Globals& globals, Clients& clients, const ExportFlags& flags) {
  v1::ListUnitsRequest request;
  request.set_area_code(flags.area);
  request.set_edition(flags.edition);
  request.set_kind(FlagEnum<v1::UnitKind>(v1::UnitKind_descriptor(),
                                          "UNIT_KIND_", flags.kind, "--kind"));
  request.set_status(FlagEnum<v1::UnitStatus>(
      v1::UnitStatus_descriptor(), "UNIT_STATUS_", flags.status, "--status"));
  ExportPages<v1::ListUnitsResponse>(
      globals, flags.file, "units export", request, UnitColumns(),
      [&](const v1::ListUnitsRequest& r, v1::ListUnitsResponse* page) {
        return clients.registry().ListUnits(clients.Context().get(), r, page);
      },
      [](const v1::ListUnitsResponse& page) -> const auto& {
        return page.units();
      },
      UnitCsvRow);
}

void AddUnitBulkCommands(CLI::App* units, Globals& globals, Clients& clients) {
  auto export_flags = std::make_shared<ExportFlags>();
  CLI::App* exporter = units->add_subcommand(
      "export", "Every matching unit as CSV (the columns units import reads)");
  exporter->add_option("--area", export_flags->area, "Area code at any level");
  exporter->add_option("--edition", export_flags->edition,
                       "2026-07 (default) or 2025-06");
  exporter->add_option("--kind", export_flags->kind,
                       "agency | enterprise | education");
  exporter->add_option("--status", export_flags->status, "active | dissolved");
  exporter->add_option("--file", export_flags->file,
                       "Write here instead of stdout");
  exporter->callback([&globals, &clients, export_flags] {
    ExportUnits(globals, clients, *export_flags);
  });

  auto import_flags = std::make_shared<ImportFlags>();
  CLI::App* importer = units->add_subcommand(
      "import",
      "Create or update units from CSV (the columns of units export; name "
      "and kind required; enterprises match on tax_code, others on "
      "external_id; managing_level defaults to province)");
  importer->add_option("file", import_flags->file, "CSV file")->required();
  importer->add_option("--errors", import_flags->errors,
                       "Error report CSV (default FILE.errors.csv)");
  importer->callback([&globals, &clients, import_flags] {
    ImportUnits(globals, clients, *import_flags);
  });
}

void AddGetUnit(CLI::App* units, Globals& globals, Clients& client) {
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
}

void AddListUnits(CLI::App* units, Globals& globals, Clients& client) {
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
}

void AddDissolveUnit(CLI::App* units, Globals& globals, Clients& client) {
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

void AddUnitCommands(CLI::App& app, Globals& globals, Clients& client) {
  CLI::App* units =
      app.add_subcommand("units", "Units: agencies, enterprises, schools");
  units->require_subcommand(1);
  AddCreateUnit(units, globals, client);
  AddUpdateUnit(units, globals, client);
  AddUnitBulkCommands(units, globals, client);
  AddGetUnit(units, globals, client);
  AddListUnits(units, globals, client);
  AddDissolveUnit(units, globals, client);
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
    Table table({"EDITION", "CODE", "NAME", ValueColumn("LEVEL"), "PARENT"});
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
  Table table({"ID", "NAME", ValueColumn("GENDER"), ValueColumn("BORN"), "UNIT",
               "POSITIONS", ValueColumn("STATUS")});
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

// The title a position gets when none is given.
std::string DefaultTitle(v1::PositionRole role) {
  switch (role) {
    case v1::POSITION_ROLE_LEADER:
      return "Thủ trưởng đơn vị";
    case v1::POSITION_ROLE_PROTECTION_TEAM:
      return "Thành viên tổ bảo vệ";
    default:
      return "Cán bộ";
  }
}

// ---- persons as CSV

const std::vector<CsvColumn>& PersonImportColumns() {
  static const auto* columns =
      new std::vector<CsvColumn>{"full_name",
                                 ValueColumn("gender"),
                                 ValueColumn("birth_year"),
                                 "unit_id",
                                 ValueColumn("role"),
                                 "title",
                                 ValueColumn("since"),
                                 ValueColumn("until"),
                                 ValueColumn("hardship"),
                                 ValueColumn("police_medal")};
  return *columns;
}

const std::vector<CsvColumn>& PersonExportColumns() {
  static const auto* columns =
      new std::vector<CsvColumn>{"id",
                                 "full_name",
                                 ValueColumn("gender"),
                                 ValueColumn("birth_year"),
                                 "unit_id",
                                 ValueColumn("status"),
                                 ValueColumn("holds_police_service_medal"),
                                 "positions"};
  return *columns;
}

// role|title|unit_id|start|end|hardship, each field escaped
// (EscapeListValue): a title holding '|' or ';' would otherwise read back as
// more fields or another position. The positions of a person are joined by
// ';'.
std::string PositionCell(const v1::Position& pos) {
  return absl::StrJoin(
      {EnumName(v1::PositionRole_descriptor(), "POSITION_ROLE_", pos.role()),
       pos.title(), pos.unit_id(), FormatDate(pos.start_date()),
       FormatDate(pos.end_date()), std::string(BoolName(pos.hardship_area()))},
      "|", [](std::string* out, const std::string& field) {
        out->append(EscapeListValue(field));
      });
}

std::vector<std::string> PersonCsvRow(const v1::Person& p) {
  std::vector<std::string> positions;
  for (const v1::Position& pos : p.positions()) {
    positions.push_back(PositionCell(pos));
  }
  return {p.id(),
          p.full_name(),
          EnumName(v1::Gender_descriptor(), "GENDER_", p.gender()),
          absl::StrCat(p.birth_year()),
          p.unit_id(),
          EnumName(v1::PersonStatus_descriptor(), "PERSON_STATUS_", p.status()),
          BoolName(p.holds_police_service_medal()),
          absl::StrJoin(positions, ";")};
}

// The CreatePersonRequest a CSV row describes; bad cells in row.errors().
// role, title, since, until and hardship describe one position at unit_id.
v1::CreatePersonRequest PersonFromCsv(CsvRow& row, RowKeys& keys) {
  v1::CreatePersonRequest request;
  request.set_request_id(keys.KeyOf(RowCells(row, PersonImportColumns())));
  v1::Person* p = request.mutable_person();
  p->set_full_name(row.Text("full_name"));
  p->set_gender(
      row.EnumCell<v1::Gender>("gender", v1::Gender_descriptor(), "GENDER_"));
  p->set_birth_year(row.IntCell("birth_year"));
  p->set_unit_id(row.Text("unit_id"));
  p->set_holds_police_service_medal(row.BoolCell("police_medal"));
  bool has_position = false;
  for (absl::string_view column :
       {"role", "title", "since", "until", "hardship"}) {
    has_position = has_position || !row.Text(column).empty();
  }
  if (!has_position) return request;
  v1::Position* pos = p->add_positions();
  pos->set_role(
      row.Text("role").empty()
          ? v1::POSITION_ROLE_LEADER
          : row.EnumCell<v1::PositionRole>(
                "role", v1::PositionRole_descriptor(), "POSITION_ROLE_"));
  const std::string title = row.Text("title");
  pos->set_title(title.empty() ? DefaultTitle(pos->role()) : title);
  pos->set_unit_id(p->unit_id());
  if (row.Text("since").empty()) {
    row.Fail("since", "is required for the position this row describes");
  } else if (auto since = row.DateCell("since")) {
    *pos->mutable_start_date() = *since;
  }
  if (auto until = row.DateCell("until")) *pos->mutable_end_date() = *until;
  pos->set_hardship_area(row.BoolCell("hardship"));
  return request;
}

struct CreatedPerson {
  int row = 0;
  std::string id;
  std::string full_name;
};

// One line per person: row,id,full_name (table or CSV), or a JSON array.
void PrintCreatedPersons(const Globals& globals,
                         const std::vector<CreatedPerson>& created) {
  if (globals.output == "json") {
    google::protobuf::ListValue list;
    for (const CreatedPerson& c : created) {
      auto& fields =
          *list.add_values()->mutable_struct_value()->mutable_fields();
      fields["row"].set_number_value(c.row);
      fields["id"].set_string_value(c.id);
      fields["full_name"].set_string_value(c.full_name);
    }
    std::cout << ToJson(list) << "\n";
    return;
  }
  Table table({ValueColumn("row"), "id", "full_name"});
  for (const CreatedPerson& c : created) {
    table.AddRow({absl::StrCat(c.row), c.id, c.full_name});
  }
  if (globals.output == "csv") {
    table.PrintCsv(std::cout);
  } else {
    table.PrintAligned(std::cout);
  }
}

void ImportPersons(Globals& globals, Clients& clients,
                   const ImportFlags& flags) {
  const auto input = OpenBulkInput(
      globals, flags.file, "FILE", flags.errors,
      {"full_name", "gender", "birth_year", "unit_id"}, PersonImportColumns());
  if (input == nullptr) return;
  const std::string& report_path = input->report_path;
  v1::RegistryService::Stub& stub = clients.registry();  // made once, shared
  RowKeys keys("import");
  ErrorReport report;
  std::mutex mu;  // guards created
  std::vector<CreatedPerson> created;
  Progress progress("persons import", input->rows);
  const BulkOutcome outcome = RunRows<v1::CreatePersonRequest>(
      input->reader, report, progress, flags.parallel,
      [&keys](CsvRow& row) { return PersonFromCsv(row, keys); },
      [&](int row, const v1::CreatePersonRequest& request) {
        v1::Person person;
        grpc::Status status =
            stub.CreatePerson(clients.Context().get(), request, &person);
        if (status.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          created.push_back({row, person.id(), person.full_name()});
        }
        return status;
      });
  std::sort(created.begin(), created.end(),
            [](const CreatedPerson& a, const CreatedPerson& b) {
              return a.row < b.row;
            });
  if (!outcome.fatal.ok()) {
    globals.exit_code = ReportError(outcome.fatal);
    std::cerr << "the import stopped; running it again creates only the "
                 "persons not created yet\n";
  }
  if (globals.exit_code == kOk) globals.exit_code = outcome.RowsExitCode();
  if (outcome.fatal.ok()) {
    RowTally tally;
    tally.in_file = input->rows;
    tally.read = outcome.read;
    tally.accepted = static_cast<int64_t>(created.size());
    tally.rejected = outcome.rejected;
    ReconcileRows(globals, "persons import", tally, report);
  }
  const bool saved = SaveErrorReport(globals, report, report_path);
  PrintCreatedPersons(globals, created);
  std::cerr << "persons import: " << created.size()
            << " created (or found, created by an earlier run of the same "
               "rows), "
            << outcome.rejected << " rejected";
  if (saved) std::cerr << "; errors in " << report_path;
  std::cerr << "\n";
}

void ExportPersons(Globals& globals, Clients& clients, const std::string& unit,
                   const std::string& file) {
  v1::ListPersonsRequest request;
  request.set_unit_id(unit);
  ExportPages<v1::ListPersonsResponse>(
      globals, file, "persons export", request, PersonExportColumns(),
      [&](const v1::ListPersonsRequest& r, v1::ListPersonsResponse* page) {
        return clients.registry().ListPersons(clients.Context().get(), r, page);
      },
      [](const v1::ListPersonsResponse& page) -> const auto& {
        return page.persons();
      },
      PersonCsvRow);
}

void AddPersonBulkCommands(CLI::App* persons, Globals& globals,
                           Clients& clients) {
  auto import_flags = std::make_shared<ImportFlags>();
  CLI::App* importer = persons->add_subcommand(
      "import",
      "Create persons from CSV: full_name,gender,birth_year,unit_id,role,"
      "title,since,until,hardship,police_medal (role..hardship: one position "
      "at unit_id). Running the same file again creates nobody twice.");
  importer->add_option("file", import_flags->file, "CSV file")->required();
  importer->add_option("--errors", import_flags->errors,
                       "Error report CSV (default FILE.errors.csv)");
  importer->add_option("--parallel", import_flags->parallel, "Calls at a time")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  importer->callback([&globals, &clients, import_flags] {
    ImportPersons(globals, clients, *import_flags);
  });

  struct ExportFlags {
    std::string unit, file;
  };
  auto export_flags = std::make_shared<ExportFlags>();
  CLI::App* exporter = persons->add_subcommand(
      "export",
      "Persons as CSV: id,full_name,gender,birth_year,unit_id,status,"
      "holds_police_service_medal,positions (role|title|unit_id|start|end|"
      "hardship, joined by ;, with \\, | and ; in a field written \\\\, \\| "
      "and \\;)");
  exporter->add_option("--unit", export_flags->unit,
                       "Only persons working at this unit");
  exporter->add_option("--file", export_flags->file,
                       "Write here instead of stdout");
  exporter->callback([&globals, &clients, export_flags] {
    ExportPersons(globals, clients, export_flags->unit, export_flags->file);
  });
}

void AddGetPerson(CLI::App* persons, Globals& globals, Clients& clients) {
  auto id = std::make_shared<std::string>();
  CLI::App* get = persons->add_subcommand("get", "Show one person");
  get->add_option("id", *id, "Person id")->required();
  get->callback([&globals, &clients, id] {
    v1::GetPersonRequest request;
    request.set_id(*id);
    v1::Person person;
    if (Run(globals, [&] {
          return clients.registry().GetPerson(clients.Context().get(), request,
                                              &person);
        })) {
      PrintPersons(globals, {person}, person);
    }
  });
}

void AddUpdatePerson(CLI::App* persons, Globals& globals, Clients& clients) {
  struct Flags {
    std::string id, name, gender, unit, etag;
    int birth_year = 0;
    bool police_medal = false;
    std::vector<std::pair<CLI::Option*, std::string>> paths;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* update = persons->add_subcommand(
      "update", "Change the fields given by flags, and only those");
  update->add_option("id", f->id, "Person id")->required();
  f->paths = {
      {update->add_option("--name", f->name), "full_name"},
      {update->add_option("--gender", f->gender, "male | female"), "gender"},
      {update->add_option("--birth-year", f->birth_year), "birth_year"},
      {update->add_option("--unit", f->unit, "Current workplace"), "unit_id"},
      {update->add_flag("--police-medal", f->police_medal,
                        "Holds a police long-service medal (=false: not)"),
       "holds_police_service_medal"},
  };
  update->add_option("--etag", f->etag,
                     "Fail if the person changed since this version");
  update->callback([&globals, &clients, f] {
    v1::UpdatePersonRequest request;
    v1::Person* p = request.mutable_person();
    p->set_id(f->id);
    p->set_etag(f->etag);
    p->set_full_name(f->name);
    p->set_gender(FlagEnum<v1::Gender>(v1::Gender_descriptor(), "GENDER_",
                                       f->gender, "--gender"));
    p->set_birth_year(f->birth_year);
    p->set_unit_id(f->unit);
    p->set_holds_police_service_medal(f->police_medal);
    for (const auto& [option, path] : f->paths) {
      if (option->count() > 0) request.mutable_update_mask()->add_paths(path);
    }
    if (request.update_mask().paths().empty()) {
      throw CLI::ValidationError(
          "update", "nothing to change: give the flags of the fields to set");
    }
    v1::Person person;
    if (Run(globals, [&] {
          return clients.registry().UpdatePerson(clients.Context().get(),
                                                 request, &person);
        })) {
      PrintPersons(globals, {person}, person);
    }
  });
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
    pos->set_title(!f->title.empty() ? f->title : DefaultTitle(pos->role()));
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
  AddGetPerson(persons, globals, client);
  AddUpdatePerson(persons, globals, client);
  AddPersonBulkCommands(persons, globals, client);
}

}  // namespace

void AddRegistryCommands(CLI::App& app, Globals& globals, Clients& clients) {
  AddUnitCommands(app, globals, clients);
  AddAreaCommands(app, globals, clients);
  AddPersonCommands(app, globals, clients);
}

}  // namespace antt::cli
