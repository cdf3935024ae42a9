#include "common/server_runner.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/support/server_interceptor.h>
#include <pthread.h>
#include <signal.h>

#include <cstring>

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
  explicit CallLogInterceptor(grpc::experimental::ServerRpcInfo* info)
      : info_(info), start_(absl::Now()) {}

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
          {"caller", info_->server_context()->peer()},
      };
      if (!request_id_.empty()) fields["request_id"] = request_id_;
      if (!status.ok()) fields["error"] = status.error_message();
      LogInfo("call", std::move(fields));
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  absl::Time start_;
  std::string request_id_;
  bool unparsable_ = false;
};

class CallLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallLogInterceptor(info);
  }
};

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

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerOptions& options, const std::vector<grpc::Service*>& services) {
  if (!options.insecure) {
    return absl::FailedPreconditionError(
        "no transport security configured: pass --insecure for a local "
        "plaintext server");
  }
  google::protobuf::SetLogHandler(&ProtobufLogToJson);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &port);
  grpc::ResourceQuota quota(options.service_name);
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  for (grpc::Service* service : services) builder.RegisterService(service);

  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<CallLogInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  auto* health = server->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(options.service_name, true);
  LogInfo("listening", {{"service", options.service_name},
                        {"listen", options.listen},
                        {"port", port}});
  if (options.insecure) {
    LogWarning(
        "INSECURE MODE: plaintext gRPC, no authentication. Local demo only; "
        "never expose this port.",
        {{"service", options.service_name}});
  }
  return std::unique_ptr<GrpcServer>(
      new GrpcServer(options, std::move(server), port));
}

GrpcServer::GrpcServer(ServerOptions options,
                       std::unique_ptr<grpc::Server> server, int port)
    : options_(std::move(options)), server_(std::move(server)), port_(port) {}

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

std::string WaitForTerminationSignal() {
  sigset_t set = TerminationSignals();
  while (true) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0) continue;
    if (signal_number == SIGHUP) continue;  // reload hooks arrive later
    return signal_number == SIGTERM ? "SIGTERM" : "SIGINT";
  }
}

}  // namespace antt
