#ifndef ANTT_CLI_CLI_H_
#define ANTT_CLI_CLI_H_

// What every anttctl command shares: global flags, connections to the
// services, error reporting with exit codes, enum and date parsing, output.

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "antt/admin/v1/admin.grpc.pb.h"
#include "antt/audit/v1/audit.grpc.pb.h"
#include "antt/awards/v1/awards.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "cli/csv.h"
#include "cli/enum_name.h"  // EnumName, the form ParseEnum reads
#include "cli/table.h"
#include "google/protobuf/message.h"
#include "google/type/date.pb.h"

namespace antt::cli {

enum ExitCode {
  kOk = 0,
  kServerError = 1,
  kUsage = 2,
  kNotFound = 3,
  kRejected = 4,
  kNotAllowed = 5,  // UNAUTHENTICATED or PERMISSION_DENIED
};

struct Globals {
  std::string registry;
  std::string scoring;
  std::string awards;
  bool insecure = false;
  std::string token;    // sent as "authorization: Bearer <token>" when set
  std::string ca_file;  // PEM roots for TLS; empty: the system's
  // The client certificate (PEM) and its private key for mutual TLS; both or
  // neither.
  std::string cert_file;
  std::string key_file;
  std::string output = "table";
  int timeout_seconds = 30;
  int exit_code = kOk;  // set by a command that failed
};

// The value of environment variable `name`, or `fallback` when unset/empty.
[[nodiscard]] std::string EnvOr(const char* name, const char* fallback);

// "agency | enterprise | education": the names EnumName gives, for messages.
[[nodiscard]] std::string EnumChoices(
    const google::protobuf::EnumDescriptor* descriptor,
    const std::string& prefix);

// "agency" or "UNIT_KIND_AGENCY" → UNIT_KIND_AGENCY, for an enum whose values
// carry `prefix`; dashes count as underscores. nullopt for an unknown name or
// the zero value.
template <typename Enum>
std::optional<Enum> ParseEnum(
    const google::protobuf::EnumDescriptor* descriptor,
    const std::string& prefix, const std::string& text) {
  std::string name = absl::AsciiStrToUpper(text);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  const auto* value = descriptor->FindValueByName(prefix + name);
  if (value == nullptr) value = descriptor->FindValueByName(name);
  if (value == nullptr || value->number() == 0) return std::nullopt;
  return static_cast<Enum>(value->number());
}

// The same, throwing CLI::ValidationError naming `flag` when unknown.
template <typename Enum>
Enum RequireEnum(const google::protobuf::EnumDescriptor* descriptor,
                 const std::string& prefix, const std::string& text,
                 const std::string& flag) {
  std::optional<Enum> value = ParseEnum<Enum>(descriptor, prefix, text);
  if (!value) {
    throw CLI::ValidationError(flag, "unknown value \"" + text + "\" (want " +
                                         EnumChoices(descriptor, prefix) + ")");
  }
  return *value;
}

// "2019-11-28" → a Date; nullopt unless YYYY-MM-DD with a month of 1–12 and a
// day of 1–31 (the server checks the calendar).
[[nodiscard]] std::optional<google::type::Date> ParseDate(
    absl::string_view text);
// The same, throwing CLI::ValidationError naming `flag`.
[[nodiscard]] google::type::Date RequireDate(const std::string& text,
                                             const std::string& flag);
[[nodiscard]] std::string FormatDate(const google::type::Date& date);

// "true"/"false", also "yes"/"no" and "1"/"0", in any case; nullopt otherwise.
[[nodiscard]] std::optional<bool> ParseBool(absl::string_view text);
[[nodiscard]] inline const char* BoolName(bool value) {
  return value ? "true" : "false";
}

// The exit code for a failed call: kNotFound, kRejected (the server refused
// the input), kNotAllowed (no valid token, or the caller's role or area does
// not allow it) or kServerError.
[[nodiscard]] int ExitCodeOf(const grpc::Status& status);

// Whether a bulk command's failed call is about its own item (a row), so the
// run goes on with the next: not found, rejected, or not allowed for this
// item (an officer's area). Any other failure, an unknown token included,
// would fail every item alike and stops the run.
[[nodiscard]] bool IsAboutTheItem(const grpc::Status& status);

// Prints a failed call on stderr, with every field the server rejected, and
// returns the exit code for it.
int ReportError(const grpc::Status& status);

// ---- bulk commands (CSV in, one call per row or a stream)

// A cell of a CSV row that cannot become part of a request.
struct CellError {
  std::string column;
  std::string message;
};

// Reads typed cells of one CSV record, collecting an error per bad cell so a
// row reports all of them at once. An empty cell is "not given".
class CsvRow final {
 public:
  CsvRow(const CsvReader& reader, const CsvRecord& record)
      : reader_(reader), record_(record) {}

  // The record's 1-based data row number.
  [[nodiscard]] int row() const { return record_.row; }
  [[nodiscard]] std::string Text(absl::string_view column) const {
    return std::string(reader_.Get(record_, column));
  }
  // The enum value; the zero value when empty; an error when unknown.
  template <typename Enum>
  Enum EnumCell(absl::string_view column,
                const google::protobuf::EnumDescriptor* descriptor,
                const std::string& prefix) {
    const std::string text = Text(column);
    if (text.empty()) return static_cast<Enum>(0);
    std::optional<Enum> value = ParseEnum<Enum>(descriptor, prefix, text);
    if (!value) {
      Fail(column, "unknown value \"" + text + "\" (want " +
                       EnumChoices(descriptor, prefix) + ")");
      return static_cast<Enum>(0);
    }
    return *value;
  }
  bool BoolCell(absl::string_view column);
  std::optional<google::type::Date> DateCell(absl::string_view column);
  int32_t IntCell(absl::string_view column);
  void Fail(absl::string_view column, std::string message);

  [[nodiscard]] const std::vector<CellError>& errors() const { return errors_; }

 private:
  const CsvReader& reader_;
  const CsvRecord& record_;
  std::vector<CellError> errors_;
};

// Where a bulk command reading `input` writes its error report: `flag` when
// given, else `input` + ".errors.csv".
[[nodiscard]] std::string ErrorReportPath(const std::string& input,
                                          const std::string& flag);

// Writes `report` to `path` when it has entries, or when a report from an
// earlier run is there to replace; on failure says so on stderr and records
// exit code kServerError. Returns whether `path` now holds this report.
bool SaveErrorReport(Globals& globals, const ErrorReport& report,
                     const std::string& path);

// Reads and checks the header of a bulk command's CSV: InvalidArgument when it
// lacks a `required` column or has one not in `known`; otherwise the reader
// reads each column as `known` types it (CsvReader::UseColumns).
[[nodiscard]] absl::Status CheckCsvHeader(
    CsvReader& reader, std::initializer_list<absl::string_view> required,
    const std::vector<CsvColumn>& known);

// Ends a bulk command whose input was refused as a whole: says why on stderr
// and in the error report (row 0), and records exit code kRejected.
void RefuseInputFile(Globals& globals, const std::string& path,
                     const std::string& report_path,
                     const absl::Status& status);

// Adds an entry to `report` for each cell of `record` that is not UTF-8,
// naming its column (NotUtf8Message); returns whether there was one.
bool ReportNonUtf8Cells(const CsvReader& reader, const CsvRecord& record,
                        ErrorReport& report);

// Reads the next record and converts it with `convert(CsvRow&)`; false at the
// end of the input. *row is the record's data row. A malformed record, one
// with a cell that is not UTF-8 (never sent: protobuf would refuse it) or one
// with bad cells goes to `report` and leaves `*out` empty.
template <typename T, typename Convert>
bool NextCsvRow(CsvReader& reader, ErrorReport& report, Convert&& convert,
                int* row, std::optional<T>* out) {
  CsvRecord record;
  absl::Status error;
  out->reset();
  if (!reader.Next(&record, &error)) return false;
  *row = record.row;
  if (!error.ok()) {
    report.Add(record.row, "", std::string(error.message()));
    return true;
  }
  // Before converting: its other errors would quote the bytes that are not
  // UTF-8, and the one thing to do about them is to save the file again.
  if (ReportNonUtf8Cells(reader, record, report)) return true;
  CsvRow cells(reader, record);
  T value = convert(cells);
  for (const CellError& e : cells.errors()) {
    report.Add(record.row, e.column, e.message);
  }
  if (cells.errors().empty()) *out = std::move(value);
  return true;
}

// Opens `path` for a bulk command; throws CLI::ValidationError naming `flag`
// when it cannot.
[[nodiscard]] std::ifstream OpenInput(const std::string& path,
                                      const std::string& flag);

// The CSV file a bulk command reads, with its header read and checked, its
// data rows counted (for the progress bar) and where its error report goes.
struct BulkInput {
  BulkInput(const std::string& path, const std::string& flag,
            const std::string& errors_flag)
      : path(path),
        report_path(ErrorReportPath(path, errors_flag)),
        in(OpenInput(path, flag)),
        reader(in) {}
  BulkInput(const BulkInput&) = delete;
  BulkInput& operator=(const BulkInput&) = delete;

  const std::string path;
  const std::string report_path;
  std::ifstream in;
  CsvReader reader;  // reads `in`
  int64_t rows = 0;
};

// Opens `path` (throws CLI::ValidationError naming `flag` when it cannot),
// checks its header as CheckCsvHeader does and counts its rows; nullptr
// after RefuseInputFile when the header is refused.
[[nodiscard]] std::unique_ptr<BulkInput> OpenBulkInput(
    Globals& globals, const std::string& path, const std::string& flag,
    const std::string& errors_flag,
    std::initializer_list<absl::string_view> required,
    const std::vector<CsvColumn>& known);

// `message` as JSON with proto field names; `with_defaults` prints fields at
// their zero value too (a summary's "created": 0).
[[nodiscard]] std::string ToJson(const google::protobuf::Message& message,
                                 bool with_defaults = false);

// Prints `table` as the output format asks, or `whole` as JSON.
void Print(const Globals& globals, const Table& table,
           const google::protobuf::Message& whole);

// After `app` failed to parse: when the command given names a command group
// (`anttctl units`) without one of its commands, or with a word none of them
// is (`anttctl units lst`, `anttctl unitz list`), writes to `err` what is
// wrong, the closest command ("did you mean \"list\"?") and the valid ones,
// and returns true; false for any other error (CLI11's own message fits).
bool ExplainUnknownCommand(const CLI::App& app, std::ostream& err);

// Checks the connection flags: --insecure excludes --ca, --cert and --key;
// --cert and --key go together; each file given can be read and holds what
// its flag needs (a certificate, a private key); the token can travel in a
// header. Throws CLI::ValidationError naming the flag and the file, never
// quoting a file's contents or the token.
void CheckConnectionFlags(const Globals& globals);

// Stubs of the services, made on first use (safe from any thread), and
// per-call contexts carrying the deadline and the bearer token.
class Clients final {
 public:
  explicit Clients(const Globals& globals) : globals_(globals) {}

  registry::v1::RegistryService::Stub& registry();
  scoring::v1::ScoringService::Stub& scoring();
  awards::v1::AwardsService::Stub& awards();
  // The audit log of `service` ("registry", "scoring" or "awards"), at that
  // service's address.
  audit::v1::AuditService::Stub& audit(const std::string& service);
  // The backups of `service`, at that service's address.
  admin::v1::AdminService::Stub& admin(const std::string& service);
  [[nodiscard]] std::unique_ptr<grpc::ClientContext> Context() const;
  // A context for a long call (a stream of `items`): the per-call timeout
  // plus a second for every 100 items.
  [[nodiscard]] std::unique_ptr<grpc::ClientContext> StreamContext(
      int64_t items) const;

 private:
  std::shared_ptr<grpc::Channel> Channel(const std::string& address) const;
  // The address of "registry", "scoring" or "awards".
  const std::string& AddressOf(const std::string& service) const;
  void Authorize(grpc::ClientContext* context) const;

  const Globals& globals_;
  std::mutex mu_;  // guards making the stubs
  std::unique_ptr<registry::v1::RegistryService::Stub> registry_;
  std::unique_ptr<scoring::v1::ScoringService::Stub> scoring_;
  std::unique_ptr<awards::v1::AwardsService::Stub> awards_;
  std::map<std::string, std::unique_ptr<audit::v1::AuditService::Stub>> audit_;
  std::map<std::string, std::unique_ptr<admin::v1::AdminService::Stub>> admin_;
};

// Runs one call: on failure reports it and records the exit code; returns
// whether it succeeded.
template <typename Call>
bool Run(Globals& globals, Call&& call) {
  grpc::Status status = std::forward<Call>(call)();
  if (status.ok()) return true;
  globals.exit_code = ReportError(status);
  return false;
}

}  // namespace antt::cli

#endif  // ANTT_CLI_CLI_H_
