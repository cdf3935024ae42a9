#ifndef ANTT_CLI_CLI_H_
#define ANTT_CLI_CLI_H_

// What every anttctl command shares: global flags, connections to the
// services, error reporting with exit codes, enum and date parsing, output.

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "antt/awards/v1/awards.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
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
};

struct Globals {
  std::string registry;
  std::string scoring;
  std::string awards;
  bool insecure = false;
  std::string output = "table";
  int timeout_seconds = 30;
  int exit_code = kOk;  // set by a command that failed
};

// The value of environment variable `name`, or `fallback` when unset/empty.
[[nodiscard]] std::string EnvOr(const char* name, const char* fallback);

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
  if (!value)
    throw CLI::ValidationError(flag, "unknown value \"" + text + "\"");
  return *value;
}

// UNIT_KIND_AGENCY → "agency".
[[nodiscard]] std::string EnumName(
    const google::protobuf::EnumDescriptor* descriptor,
    const std::string& prefix, int number);

// "2019-11-28" → a Date; throws CLI::ValidationError naming `flag`.
[[nodiscard]] google::type::Date RequireDate(const std::string& text,
                                             const std::string& flag);
[[nodiscard]] std::string FormatDate(const google::type::Date& date);

// Prints a failed call on stderr, with every field the server rejected, and
// returns the exit code for it.
int ReportError(const grpc::Status& status);

[[nodiscard]] std::string ToJson(const google::protobuf::Message& message);

// Prints `table` as the output format asks, or `whole` as JSON.
void Print(const Globals& globals, const Table& table,
           const google::protobuf::Message& whole);

// Stubs of the services, made on first use, and per-call contexts.
class Clients final {
 public:
  explicit Clients(const Globals& globals) : globals_(globals) {}

  registry::v1::RegistryService::Stub& registry();
  scoring::v1::ScoringService::Stub& scoring();
  awards::v1::AwardsService::Stub& awards();
  [[nodiscard]] std::unique_ptr<grpc::ClientContext> Context() const;

 private:
  std::shared_ptr<grpc::Channel> Channel(const std::string& address) const;

  const Globals& globals_;
  std::unique_ptr<registry::v1::RegistryService::Stub> registry_;
  std::unique_ptr<scoring::v1::ScoringService::Stub> scoring_;
  std::unique_ptr<awards::v1::AwardsService::Stub> awards_;
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
