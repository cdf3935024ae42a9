#include "cli/cli.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/field_violations.h"
#include "common/grpc_status.h"
#include "google/protobuf/util/json_util.h"

namespace antt::cli {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string EnumName(const google::protobuf::EnumDescriptor* descriptor,
                     const std::string& prefix, int number) {
  const auto* value = descriptor->FindValueByNumber(number);
  if (value == nullptr || number == 0) return "";
  std::string name = value->name();
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

google::type::Date RequireDate(const std::string& text,
                               const std::string& flag) {
  std::vector<std::string> parts = absl::StrSplit(text, '-');
  int y = 0, m = 0, d = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &y) ||
      !absl::SimpleAtoi(parts[1], &m) || !absl::SimpleAtoi(parts[2], &d)) {
    throw CLI::ValidationError(
        flag, "want a date as YYYY-MM-DD, got \"" + text + "\"");
  }
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::string FormatDate(const google::type::Date& date) {
  if (date.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

int ReportError(const grpc::Status& status) {
  const std::string code = absl::StatusCodeToString(
      static_cast<absl::StatusCode>(status.error_code()));
  const auto violations = FieldViolationsOf(FromGrpcStatus(status));
  if (violations.empty()) {
    std::cerr << "error: " << status.error_message() << " (" << code << ")\n";
  } else {
    std::cerr << "error: the server rejected these fields (" << code << "):\n";
    for (const auto& [field, description] : violations) {
      std::cerr << "  " << field << ": " << description << "\n";
    }
  }
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return kNotFound;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
      return kRejected;
    default:
      return kServerError;
  }
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
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

std::shared_ptr<grpc::Channel> Clients::Channel(
    const std::string& address) const {
  if (!globals_.insecure) {
    throw CLI::ValidationError(
        "--insecure",
        "this build speaks plaintext only: pass --insecure (local use)");
  }
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

registry::v1::RegistryService::Stub& Clients::registry() {
  if (registry_ == nullptr) {
    registry_ =
        registry::v1::RegistryService::NewStub(Channel(globals_.registry));
  }
  return *registry_;
}

scoring::v1::ScoringService::Stub& Clients::scoring() {
  if (scoring_ == nullptr) {
    scoring_ = scoring::v1::ScoringService::NewStub(Channel(globals_.scoring));
  }
  return *scoring_;
}

awards::v1::AwardsService::Stub& Clients::awards() {
  if (awards_ == nullptr) {
    awards_ = awards::v1::AwardsService::NewStub(Channel(globals_.awards));
  }
  return *awards_;
}

std::unique_ptr<grpc::ClientContext> Clients::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(globals_.timeout_seconds));
  return context;
}

}  // namespace antt::cli
