#include "cli/cli.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/field_violations.h"
#include "common/grpc_status.h"
#include "google/protobuf/util/json_util.h"

namespace antt::cli {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* descriptor,
                        const std::string& prefix) {
  std::vector<std::string> names;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int number = descriptor->value(i)->number();
    if (number != 0) names.push_back(EnumName(descriptor, prefix, number));
  }
  return absl::StrJoin(names, " | ");
}

std::optional<google::type::Date> ParseDate(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  int y = 0, m = 0, d = 0;
  if (parts.size() != 3 || parts[0].size() != 4 || parts[1].size() != 2 ||
      parts[2].size() != 2 || !absl::SimpleAtoi(parts[0], &y) ||
      !absl::SimpleAtoi(parts[1], &m) || !absl::SimpleAtoi(parts[2], &d) ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

google::type::Date RequireDate(const std::string& text,
                               const std::string& flag) {
  std::optional<google::type::Date> date = ParseDate(text);
  if (!date) {
    throw CLI::ValidationError(
        flag, "want a date as YYYY-MM-DD, got \"" + text + "\"");
  }
  return *date;
}

std::optional<bool> ParseBool(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "0") return false;
  return std::nullopt;
}

std::string FormatDate(const google::type::Date& date) {
  if (date.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

int ExitCodeOf(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return kOk;
    case grpc::StatusCode::NOT_FOUND:
      return kNotFound;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
      return kRejected;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kNotAllowed;
    default:
      return kServerError;
  }
}

bool IsAboutTheItem(const grpc::Status& status) {
  const int code = ExitCodeOf(status);
  return code == kNotFound || code == kRejected ||
         status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
}

int ReportError(const grpc::Status& status) {
  const std::string code = absl::StatusCodeToString(
      static_cast<absl::StatusCode>(status.error_code()));
  const auto violations = FieldViolationsOf(FromGrpcStatus(status));
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      absl::StrContains(absl::AsciiStrToLower(status.error_message()),
                        "handshake")) {
    std::cerr << "error: the TLS handshake with the service failed (does it "
                 "want a client certificate, --cert and --key? does --ca "
                 "hold the CA that signed its certificate?): "
              << status.error_message() << " (" << code << ")\n";
  } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "error: cannot reach the service (is it running, and is the "
                 "address right? does it want TLS, or a client certificate: "
                 "--cert and --key?): "
              << status.error_message() << " (" << code << ")\n";
  } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    std::cerr << "error: the service does not know who you are (check "
                 "--token or ANTT_TOKEN): "
              << status.error_message() << " (" << code << ")\n";
  } else if (violations.empty()) {
    std::cerr << "error: " << status.error_message() << " (" << code << ")\n";
  } else {
    std::cerr << "error: the server rejected these fields (" << code << "):\n";
    for (const auto& [field, description] : violations) {
      std::cerr << "  " << field << ": " << description << "\n";
    }
  }
  return ExitCodeOf(status);
}

bool CsvRow::BoolCell(absl::string_view column) {
  const std::string text = Text(column);
  if (text.empty()) return false;
  std::optional<bool> value = ParseBool(text);
  if (!value) Fail(column, "want true or false, got \"" + text + "\"");
  return value.value_or(false);
}

std::optional<google::type::Date> CsvRow::DateCell(absl::string_view column) {
  const std::string text = Text(column);
  if (text.empty()) return std::nullopt;
  std::optional<google::type::Date> date = ParseDate(text);
  if (!date) Fail(column, "want a date as YYYY-MM-DD, got \"" + text + "\"");
  return date;
}

int32_t CsvRow::IntCell(absl::string_view column) {
  const std::string text = Text(column);
  int32_t value = 0;
  if (!text.empty() && !absl::SimpleAtoi(text, &value)) {
    Fail(column, "want a whole number, got \"" + text + "\"");
  }
  return value;
}

void CsvRow::Fail(absl::string_view column, std::string message) {
  errors_.push_back({std::string(column), std::move(message)});
}

bool ReportNonUtf8Cells(const CsvReader& reader, const CsvRecord& record,
                        ErrorReport& report) {
  bool found = false;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    const std::string& cell = record.fields[i];
    const size_t offset = InvalidUtf8Offset(cell);
    if (offset == absl::string_view::npos) continue;
    report.Add(record.row,
               i < reader.header().size() ? reader.header()[i]
                                          : absl::StrCat("column ", i + 1),
               NotUtf8Message(cell, offset));
    found = true;
  }
  return found;
}

std::string ErrorReportPath(const std::string& input, const std::string& flag) {
  return flag.empty() ? input + ".errors.csv" : flag;
}

bool SaveErrorReport(Globals& globals, const ErrorReport& report,
                     const std::string& path) {
  if (report.size() == 0 && !std::filesystem::exists(path)) return false;
  if (absl::Status s = report.WriteTo(path); !s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    if (globals.exit_code == kOk) globals.exit_code = kServerError;
    return false;
  }
  return true;
}

absl::Status CheckCsvHeader(CsvReader& reader,
                            std::initializer_list<absl::string_view> required,
                            const std::vector<CsvColumn>& known) {
  if (absl::Status s = reader.ReadHeader(); !s.ok()) return s;
  if (absl::Status s = reader.Require(required); !s.ok()) return s;
  return reader.UseColumns(known);
}

void RefuseInputFile(Globals& globals, const std::string& path,
                     const std::string& report_path,
                     const absl::Status& status) {
  std::cerr << "error: " << path << ": " << status.message() << "\n";
  ErrorReport report;
  report.Add(0, "", std::string(status.message()));
  SaveErrorReport(globals, report, report_path);
  globals.exit_code = kRejected;
}

std::ifstream OpenInput(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CLI::ValidationError(
        flag, "cannot open " + path + ": " + std::strerror(errno));
  }
  return in;
}

std::unique_ptr<BulkInput> OpenBulkInput(
    Globals& globals, const std::string& path, const std::string& flag,
    const std::string& errors_flag,
    std::initializer_list<absl::string_view> required,
    const std::vector<CsvColumn>& known) {
  auto input = std::make_unique<BulkInput>(path, flag, errors_flag);
  if (absl::Status s = CheckCsvHeader(input->reader, required, known);
      !s.ok()) {
    RefuseInputFile(globals, path, input->report_path, s);
    return nullptr;
  }
  std::ifstream counting = OpenInput(path, flag);
  input->rows = CountCsvRecords(counting);
  return input;
}

std::string ToJson(const google::protobuf::Message& message,
                   bool with_defaults) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = with_defaults;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

void Print(const Globals& globals, const Table& table,
           const google::protobuf::Message& whole) {
  if (globals.output == "json") {
    std::cout << ToJson(whole) << "\n";
  } else if (globals.output == "csv") {
    table.PrintCsv(std::cout);
  } else {
    table.PrintAligned(std::cout);
  }
}

namespace {

// A connection flag, with the environment variable that can stand for it.
struct ConnectionFlag {
  const char* flag;
  const char* env;
};
constexpr ConnectionFlag kCaFlag = {"--ca", "ANTT_CA"};
constexpr ConnectionFlag kCertFlag = {"--cert", "ANTT_CERT"};
constexpr ConnectionFlag kKeyFlag = {"--key", "ANTT_KEY"};
constexpr ConnectionFlag kTokenFlag = {"--token", "ANTT_TOKEN"};

std::string NameOf(const ConnectionFlag& f) {
  return absl::StrCat(f.flag, " (or ", f.env, ")");
}

// The PEM file `path` given by `flag`, which must hold `marker` ("-----BEGIN
// CERTIFICATE-----", "PRIVATE KEY-----"); throws CLI::ValidationError naming
// the flag and the file. Never quotes the file: it may be a private key.
std::string ReadPem(const std::string& path, const ConnectionFlag& flag,
                    absl::string_view marker, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CLI::ValidationError(
        NameOf(flag),
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  std::stringstream pem;
  pem << in.rdbuf();
  if (in.bad()) {
    throw CLI::ValidationError(NameOf(flag),
                               absl::StrCat("cannot read ", path));
  }
  if (!absl::StrContains(pem.str(), marker)) {
    throw CLI::ValidationError(NameOf(flag),
                               absl::StrCat(path, " holds no PEM ", what));
  }
  return pem.str();
}

std::string ReadCa(const Globals& globals) {
  return ReadPem(globals.ca_file, kCaFlag, "-----BEGIN CERTIFICATE-----",
                 "certificate");
}
std::string ReadCert(const Globals& globals) {
  return ReadPem(globals.cert_file, kCertFlag, "-----BEGIN CERTIFICATE-----",
                 "certificate");
}
std::string ReadKey(const Globals& globals) {
  return ReadPem(globals.key_file, kKeyFlag, "PRIVATE KEY-----", "private key");
}

// Whether `key_pem` holds the private key of the first certificate in
// `cert_pem`; nullopt when either cannot be parsed (an encrypted key
// included: gRPC cannot use one, and no passphrase is asked for).
std::optional<bool> KeyMatchesCert(const std::string& cert_pem,
                                   const std::string& key_pem) {
  const auto no_passphrase = [](char*, int, int, void*) { return 0; };
  std::unique_ptr<BIO, decltype(&BIO_free)> cert_in(
      BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())),
      BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> key_in(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())),
      BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(cert_in.get(), nullptr, no_passphrase, nullptr),
      X509_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_in.get(), nullptr, no_passphrase, nullptr),
      EVP_PKEY_free);
  std::optional<bool> matches;
  if (cert != nullptr && key != nullptr) {
    matches = X509_check_private_key(cert.get(), key.get()) == 1;
  }
  ERR_clear_error();
  return matches;
}

}  // namespace

namespace {

// The Levenshtein distance of `a` and `b`.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

bool ExplainUnknownCommand(const CLI::App& app, std::ostream& err) {
  // The deepest command parsed: `units` of `anttctl units lst`.
  const CLI::App* at = &app;
  std::string path = "anttctl";  // not argv[0]'s path
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
    path = absl::StrCat(path, " ", at->get_name());
  }
  std::vector<std::string> commands;
  for (const CLI::App* sub : at->get_subcommands({})) {
    commands.push_back(sub->get_name());
  }
  if (commands.empty()) return false;
  // The first word left over where a command was expected (a word no
  // command takes falls through to the commands above it).
  std::string word;
  for (const std::string& arg : app.remaining(/*recurse=*/true)) {
    if (!absl::StartsWith(arg, "-")) {
      word = arg;
      break;
    }
  }
  if (word.empty()) {
    err << "error: \"" << path
        << "\" needs a command: " << absl::StrJoin(commands, ", ") << "\n";
    return true;
  }
  // The closest command, when it is close: at most a third of its letters
  // wrong (one for short names), or one name the beginning of the other.
  std::string best;
  size_t best_distance = std::string::npos;
  for (const std::string& command : commands) {
    const size_t distance = EditDistance(word, command);
    const bool close = distance <= std::max<size_t>(1, command.size() / 3) ||
                       absl::StartsWith(command, word) ||
                       absl::StartsWith(word, command);
    if (close && distance < best_distance) {
      best = command;
      best_distance = distance;
    }
  }
  err << "error: unknown command \"" << word << "\" for \"" << path << "\"";
  if (!best.empty()) err << "; did you mean \"" << best << "\"?";
  err << "\nvalid commands: " << absl::StrJoin(commands, ", ") << "\n";
  return true;
}

void CheckConnectionFlags(const Globals& globals) {
  if (globals.insecure) {
    for (const auto& [value, flag] : {std::pair(&globals.ca_file, kCaFlag),
                                      std::pair(&globals.cert_file, kCertFlag),
                                      std::pair(&globals.key_file, kKeyFlag)}) {
      if (!value->empty()) {
        throw CLI::ValidationError(
            "--insecure", absl::StrCat("plaintext cannot go with ",
                                       NameOf(flag), ", which is for TLS"));
      }
    }
    return;
  }
  if (globals.cert_file.empty() != globals.key_file.empty()) {
    const bool has_cert = !globals.cert_file.empty();
    throw CLI::ValidationError(
        NameOf(has_cert ? kCertFlag : kKeyFlag),
        absl::StrCat("needs ", NameOf(has_cert ? kKeyFlag : kCertFlag),
                     " too: a client certificate goes with its private key"));
  }
  if (!globals.ca_file.empty()) ReadCa(globals);
  if (!globals.cert_file.empty()) {
    const std::optional<bool> matches =
        KeyMatchesCert(ReadCert(globals), ReadKey(globals));
    if (!matches) {
      throw CLI::ValidationError(
          absl::StrCat(NameOf(kCertFlag), ", ", NameOf(kKeyFlag)),
          absl::StrCat("cannot parse ", globals.cert_file, " or ",
                       globals.key_file,
                       " (an encrypted private key is not supported)"));
    }
    if (!*matches) {
      throw CLI::ValidationError(NameOf(kKeyFlag),
                                 absl::StrCat(globals.key_file,
                                              " is not the private key of the "
                                              "certificate in ",
                                              globals.cert_file));
    }
  }
  // A header value is visible ASCII; never quote the token itself.
  for (const char c : globals.token) {
    if (c < 0x21 || c > 0x7e) {
      throw CLI::ValidationError(
          NameOf(kTokenFlag),
          "the token holds a space, a control or a non-ASCII character, "
          "which no bearer token has");
    }
  }
}

std::shared_ptr<grpc::Channel> Clients::Channel(
    const std::string& address) const {
  if (globals_.insecure) {
    return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }
  grpc::SslCredentialsOptions tls;
  if (!globals_.ca_file.empty()) tls.pem_root_certs = ReadCa(globals_);
  if (!globals_.cert_file.empty()) {
    tls.pem_cert_chain = ReadCert(globals_);
    tls.pem_private_key = ReadKey(globals_);
  }
  return grpc::CreateChannel(address, grpc::SslCredentials(tls));
}

registry::v1::RegistryService::Stub& Clients::registry() {
  std::lock_guard<std::mutex> lock(mu_);
  if (registry_ == nullptr) {
    registry_ =
        registry::v1::RegistryService::NewStub(Channel(globals_.registry));
  }
  return *registry_;
}

scoring::v1::ScoringService::Stub& Clients::scoring() {
  std::lock_guard<std::mutex> lock(mu_);
  if (scoring_ == nullptr) {
    scoring_ = scoring::v1::ScoringService::NewStub(Channel(globals_.scoring));
  }
  return *scoring_;
}

awards::v1::AwardsService::Stub& Clients::awards() {
  std::lock_guard<std::mutex> lock(mu_);
  if (awards_ == nullptr) {
    awards_ = awards::v1::AwardsService::NewStub(Channel(globals_.awards));
  }
  return *awards_;
}

const std::string& Clients::AddressOf(const std::string& service) const {
  return service == "registry"  ? globals_.registry
         : service == "scoring" ? globals_.scoring
                                : globals_.awards;
}

audit::v1::AuditService::Stub& Clients::audit(const std::string& service) {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<audit::v1::AuditService::Stub>& stub = audit_[service];
  if (stub == nullptr) {
    stub = audit::v1::AuditService::NewStub(Channel(AddressOf(service)));
  }
  return *stub;
}

admin::v1::AdminService::Stub& Clients::admin(const std::string& service) {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<admin::v1::AdminService::Stub>& stub = admin_[service];
  if (stub == nullptr) {
    stub = admin::v1::AdminService::NewStub(Channel(AddressOf(service)));
  }
  return *stub;
}

void Clients::Authorize(grpc::ClientContext* context) const {
  // Plaintext goes to a demo server that asks no token: never send one in
  // the clear.
  if (!globals_.insecure && !globals_.token.empty()) {
    context->AddMetadata("authorization", "Bearer " + globals_.token);
  }
}

std::unique_ptr<grpc::ClientContext> Clients::StreamContext(
    int64_t items) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(globals_.timeout_seconds) +
                        std::chrono::seconds(items / 100));
  Authorize(context.get());
  return context;
}

std::unique_ptr<grpc::ClientContext> Clients::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(globals_.timeout_seconds));
  Authorize(context.get());
  return context;
}

}  // namespace antt::cli
