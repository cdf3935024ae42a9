#include "common/server_runner.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/support/server_interceptor.h>
#include <pthread.h>
#include <signal.h>

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"

namespace antt {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr char kInsecureWarning[] =
    "INSECURE MODE: plaintext gRPC, no authentication. Local demo only; "
    "never expose this port.";

// Reads a top-level string field `request_id` from a request message, when the
// method is one of ours (so the message is a generated protobuf message).
std::string RequestIdOf(const google::protobuf::Message& message) {
  const auto* field = message.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return "";
  }
  return message.GetReflection()->GetString(message, field);
}

// Writes one JSON line per call: method, code, latency, caller, request id.
class CallLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallLogInterceptor(grpc::experimental::ServerRpcInfo* info,
                     const ServerOptions* options)
      : info_(info), options_(options), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    const absl::string_view method = info_->method();
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find("x-request-id");
      if (it != metadata->end()) {
        request_id_.assign(it->second.data(), it->second.size());
      }
      caller_ = CallerName(*metadata);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        absl::StartsWith(method, "/antt.")) {
      const void* message = methods->GetRecvMessage();
      if (message == nullptr) {
        unparsable_ = true;
      } else if (request_id_.empty()) {
        request_id_ = RequestIdOf(
            *static_cast<const google::protobuf::Message*>(message));
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      // gRPC answers a request it cannot parse with a bare INTERNAL. It is
      // the caller's error (most often a string field that is not valid
      // UTF-8, which proto3 refuses): say so.
      if (unparsable_ && status.error_code() == grpc::StatusCode::INTERNAL) {
        status = grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            "the request could not be parsed: every string field must be "
            "valid UTF-8");
        methods->ModifySendStatus(status);
      }
      nlohmann::json fields = {
          {"method", std::string(method)},
          {"code", static_cast<int>(status.error_code())},
          {"latency_ms", absl::ToDoubleMilliseconds(absl::Now() - start_)},
          {"caller", caller_},
          {"peer", info_->server_context()->peer()},
      };
      if (!request_id_.empty()) fields["request_id"] = request_id_;
      if (!status.ok()) fields["error"] = status.error_message();
      // Whoever watches health checks must see that this port is open.
      if (options_->insecure && absl::StartsWith(method, "/grpc.health.")) {
        fields["warning"] = kInsecureWarning;
        LogWarning("call", std::move(fields));
      } else {
        LogInfo("call", std::move(fields));
      }
    }
    methods->Proceed();
  }

 private:
  // The principal's name for the log; never the token.
  std::string CallerName(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    if (options_->authenticator == nullptr) return "";
    auto it = metadata.find("authorization");
    std::string header;
    if (it != metadata.end())
      header.assign(it->second.data(), it->second.size());
    absl::StatusOr<Principal> principal =
        options_->authenticator->AuthenticateHeader(
            it == metadata.end() ? nullptr : &header);
    return principal.ok() ? principal->name : "unauthenticated";
  }

  grpc::experimental::ServerRpcInfo* info_;
  const ServerOptions* options_;
  absl::Time start_;
  std::string caller_;
  std::string request_id_;
  bool unparsable_ = false;
};

class CallLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `options` outlives the server (GrpcServer holds it).
  explicit CallLogInterceptorFactory(const ServerOptions* options)
      : options_(options) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallLogInterceptor(info, options_);
  }

 private:
  const ServerOptions* options_;
};

// TLS, mutual when a CA is given; plaintext only when asked for.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const ServerOptions& options) {
  if (options.insecure) {
    if (!options.tls.empty()) {
      return absl::InvalidArgumentError(
          "--insecure cannot be combined with --tls_cert, --tls_key or "
          "--tls_ca: choose TLS or the plaintext demo mode");
    }
    return grpc::InsecureServerCredentials();
  }
  if (options.tls.cert.empty() || options.tls.key.empty()) {
    return absl::FailedPreconditionError(
        "no transport security configured: pass --tls_cert and --tls_key "
        "(and --tls_ca for mutual TLS), or --insecure for a local plaintext "
        "demo server");
  }
  absl::StatusOr<std::string> cert =
      ReadPemFile(options.tls.cert, "--tls_cert");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPemFile(options.tls.key, "--tls_key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl(
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.tls.ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPemFile(options.tls.ca, "--tls_ca");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

// Protobuf writes its own warnings (e.g. a string field that is not UTF-8)
// to stderr; route them into the JSON log so every line stays parseable.
void ProtobufLogToJson(google::protobuf::LogLevel level, const char* filename,
                       int line, const std::string& message) {
  Log(level >= google::protobuf::LOGLEVEL_ERROR ? LogLevel::kWarning
                                                : LogLevel::kInfo,
      "protobuf",
      {{"detail", message}, {"source", absl::StrCat(filename, ":", line)}});
}

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        absl::string_view flag) {
  std::ifstream in(path);
  std::stringstream text;
  if (in) text << in.rdbuf();
  // Never the contents in a message: only the flag and the file.
  if (!in || text.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": cannot read ", path, " (or it is empty)"));
  }
  return text.str();
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerOptions& options, const std::vector<grpc::Service*>& services) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentials(options);
  if (!credentials.ok()) return credentials.status();
  google::protobuf::SetLogHandler(&ProtobufLogToJson);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *credentials, &port);
  grpc::ResourceQuota quota(options.service_name);
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  for (grpc::Service* service : services) builder.RegisterService(service);

  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  // The interceptors read the options the GrpcServer keeps, so it exists
  // before the server starts.
  std::unique_ptr<GrpcServer> running(new GrpcServer(options));
  interceptors.push_back(
      std::make_unique<CallLogInterceptorFactory>(&running->options_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  running->server_ = builder.BuildAndStart();
  if (running->server_ == nullptr || port == 0) {
    running->shut_down_ = true;
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  running->port_ = port;
  grpc::Server* server = running->server_.get();
  auto* health = server->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(options.service_name, true);
  LogInfo("listening",
          {{"service", options.service_name},
           {"listen", options.listen},
           {"port", port},
           {"transport", options.insecure         ? "plaintext"
                         : options.tls.ca.empty() ? "tls"
                                                  : "mutual tls"}});
  if (options.insecure) {
    LogWarning(kInsecureWarning, {{"service", options.service_name}});
  }
  return running;
}

GrpcServer::GrpcServer(ServerOptions options) : options_(std::move(options)) {}

GrpcServer::~GrpcServer() { Shutdown(absl::Now()); }

void GrpcServer::Shutdown(absl::Time deadline) {
  if (shut_down_) return;
  shut_down_ = true;
  // Tell load balancers and probes first, then drain.
  server_->GetHealthCheckService()->Shutdown();
  LogInfo("draining", {{"service", options_.service_name}});
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
  LogInfo("stopped", {{"service", options_.service_name}});
}

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string WaitForTerminationSignal(const std::function<void()>& on_hangup) {
  sigset_t set = TerminationSignals();
  while (true) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0) continue;
    if (signal_number == SIGHUP) {
      if (on_hangup) on_hangup();
      continue;
    }
    return signal_number == SIGTERM ? "SIGTERM" : "SIGINT";
  }
}

}  // namespace antt
