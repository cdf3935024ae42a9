#include "common/server_runner.h"

#include <grpc/support/log.h>
#include <grpcpp/ext/health_check_service_server_builder_option.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/support/server_interceptor.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/metrics.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/health/v1/health.grpc.pb.h"

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

// Writes one JSON line per call (method, code, latency, caller, peer,
// request id) and counts it in the server's metrics: the one place calls are
// observed.
class CallLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallLogInterceptor(grpc::experimental::ServerRpcInfo* info,
                     const ServerOptions* options, CallMetrics* metrics)
      : info_(info),
        method_(info->method()),
        options_(options),
        metrics_(metrics),
        start_(absl::Now()) {
    metrics_->CallStarted();
  }

  // gRPC destroys the interceptors with the call, however it ended; a call
  // that never sent a status is logged and counted here, so that every call
  // leaves the in-flight gauge.
  ~CallLogInterceptor() override {
    if (!reported_) {
      Report(grpc::Status(grpc::StatusCode::CANCELLED,
                          "ended without sending a status"));
    }
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find("x-request-id");
      if (it != metadata->end()) {
        request_id_.assign(it->second.data(), it->second.size());
      }
      caller_ = CallerName(*metadata);
      peer_ = info_->server_context()->peer();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        absl::StartsWith(method_, "/antt.")) {
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
      // A call cancelled before its status went out — by the caller, its
      // deadline, or shutdown past the drain time — ended for its caller
      // without that status, whatever the handler returned.
      if (info_->server_context()->IsCancelled()) {
        Report(grpc::Status(
            grpc::StatusCode::CANCELLED,
            absl::StrCat("cancelled before its status (",
                         StatusCodeName(status.error_code()), ") was sent")));
      } else {
        Report(status);
      }
    }
    methods->Proceed();
  }

 private:
  // Once per call: at its status, which is when its caller sees it end.
  void Report(const grpc::Status& status) {
    reported_ = true;
    const absl::Duration latency = absl::Now() - start_;
    metrics_->Record(method_, status.error_code(), latency);
    metrics_->CallEnded();
    nlohmann::json fields = {
        {"method", method_},
        {"code", static_cast<int>(status.error_code())},
        {"latency_ms", absl::ToDoubleMilliseconds(latency)},
        {"caller", caller_},
        {"peer", peer_},
    };
    if (!request_id_.empty()) fields["request_id"] = request_id_;
    if (!status.ok()) fields["error"] = status.error_message();
    // Whoever watches health checks must see that this port is open.
    if (options_->insecure && absl::StartsWith(method_, "/grpc.health.")) {
      fields["warning"] = kInsecureWarning;
      LogWarning("call", std::move(fields));
    } else {
      LogInfo("call", std::move(fields));
    }
  }

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
  // The method's registered name: it outlives every call of the server.
  const char* method_;
  const ServerOptions* options_;
  CallMetrics* metrics_;
  absl::Time start_;
  std::string caller_;
  std::string peer_;
  std::string request_id_;
  bool unparsable_ = false;
  bool reported_ = false;
};

class CallLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `options` and `metrics` outlive the server (GrpcServer holds them).
  CallLogInterceptorFactory(const ServerOptions* options, CallMetrics* metrics)
      : options_(options), metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallLogInterceptor(info, options_, metrics_);
  }

 private:
  const ServerOptions* options_;
  CallMetrics* metrics_;
};

// Removes the plugins every ServerBuilder inherits from process-wide
// registration (reflection), so the plaintext health port serves health
// and nothing else.
class WithoutPlugins final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    plugins->clear();
  }
};

}  // namespace

// grpc.health.v1.Health on the plaintext health port, answering with the
// main server's status, which GrpcServer sets. gRPC's default health service
// cannot serve there: it is registered only when the server starts, and a
// server with no method of its own does not start. A sync service can.
// Thread-safe.
class HealthMirror final : public grpc::health::v1::Health::Service {
 public:
  using HealthCheckRequest = grpc::health::v1::HealthCheckRequest;
  using HealthCheckResponse = grpc::health::v1::HealthCheckResponse;

  explicit HealthMirror(std::string service_name)
      : service_name_(std::move(service_name)) {}

  void SetServing(bool serving) {
    absl::MutexLock lock(&mu_);
    serving_ = serving;
  }
  // Ends every Watch, so the health port can close at once.
  void EndWatches() {
    absl::MutexLock lock(&mu_);
    ended_ = true;
  }

  // SERVING or NOT_SERVING for "" and the service's name, as the main port
  // answers; NOT_FOUND for any other name, as gRPC's own service does.
  grpc::Status Check(grpc::ServerContext*, const HealthCheckRequest* request,
                     HealthCheckResponse* response) override {
    if (!Known(request->service())) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
    }
    absl::MutexLock lock(&mu_);
    response->set_status(Status(serving_));
    return grpc::Status::OK;
  }

  // The status now and at every change, until the caller hangs up or the
  // port closes; SERVICE_UNKNOWN once for another name.
  grpc::Status Watch(grpc::ServerContext* context,
                     const HealthCheckRequest* request,
                     grpc::ServerWriter<HealthCheckResponse>* writer) override {
    HealthCheckResponse response;
    if (!Known(request->service())) {
      response.set_status(HealthCheckResponse::SERVICE_UNKNOWN);
      writer->Write(response);
      return grpc::Status::OK;
    }
    std::optional<bool> sent;
    while (!context->IsCancelled()) {
      bool serving = false;
      {
        absl::MutexLock lock(&mu_);
        auto changed = [this, &sent]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return ended_ || !sent.has_value() || *sent != serving_;
        };
        // Cancellation is not a condition the mutex sees: look again every
        // so often.
        mu_.AwaitWithTimeout(absl::Condition(&changed), absl::Seconds(1));
        if (ended_) return grpc::Status::OK;
        if (sent.has_value() && *sent == serving_) continue;
        serving = serving_;
      }
      response.set_status(Status(serving));
      if (!writer->Write(response)) break;
      sent = serving;
    }
    return grpc::Status(grpc::StatusCode::CANCELLED, "the caller hung up");
  }

 private:
  static HealthCheckResponse::ServingStatus Status(bool serving) {
    return serving ? HealthCheckResponse::SERVING
                   : HealthCheckResponse::NOT_SERVING;
  }
  bool Known(const std::string& service) const {
    return service.empty() || service == service_name_;
  }

  const std::string service_name_;
  absl::Mutex mu_;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
};

namespace {

// TLS, mutual when a CA is given; plaintext only when asked for.
// Whether `listen` (host:port) binds a loopback address only.
bool IsLoopback(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  absl::string_view host =
      colon == absl::string_view::npos ? listen : listen.substr(0, colon);
  host = absl::StripPrefix(absl::StripSuffix(host, "]"), "[");
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

// TLS, mutual when a CA is given; plaintext only when asked for, and then on
// loopback only: an unauthenticated port must never face a network.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const ServerOptions& options) {
  if (absl::Status s = CheckTransportChoice(options.insecure, options.tls);
      !s.ok()) {
    return s;
  }
  if (options.insecure) {
    if (!IsLoopback(options.listen)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--insecure serves without authentication, so it listens on "
          "loopback only (e.g. --listen=127.0.0.1:7001), not on ",
          options.listen));
    }
    return grpc::InsecureServerCredentials();
  }
  if (options.tls.ca.empty()) {
    LogWarning(
        "no --tls_ca: clients are not asked for a certificate (one-way TLS); "
        "bearer tokens still apply",
        {{"service", options.service_name}});
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

// gRPC writes its own lines (a failed TLS handshake, a port in use) to
// stderr in a format of its own; route them into the JSON log too.
void GrpcLogToJson(gpr_log_func_args* args) {
  Log(args->severity == GPR_LOG_SEVERITY_ERROR ? LogLevel::kWarning
                                               : LogLevel::kInfo,
      "grpc",
      {{"detail", args->message},
       {"source", absl::StrCat(args->file, ":", args->line)}});
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

absl::Status CheckTransportChoice(bool insecure, const TlsFiles& tls) {
  if (insecure) {
    if (!tls.empty()) {
      return absl::InvalidArgumentError(
          "--insecure cannot be combined with --tls_cert, --tls_key or "
          "--tls_ca: choose TLS or the plaintext demo mode");
    }
    return absl::OkStatus();
  }
  if (tls.cert.empty() || tls.key.empty()) {
    return absl::InvalidArgumentError(
        "no transport security configured: pass --tls_cert and --tls_key "
        "(and --tls_ca for mutual TLS), or --insecure for a local plaintext "
        "demo server");
  }
  return absl::OkStatus();
}

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
  if (options.drain_delay < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--drain_delay_seconds must not be negative");
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentials(options);
  if (!credentials.ok()) return credentials.status();
  google::protobuf::SetLogHandler(&ProtobufLogToJson);
  gpr_set_log_function(&GrpcLogToJson);
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
  // The interceptors read the options and metrics the GrpcServer keeps, so
  // it exists before the server starts.
  std::unique_ptr<GrpcServer> running(new GrpcServer(options));
  interceptors.push_back(std::make_unique<CallLogInterceptorFactory>(
      &running->options_, running->metrics_.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  running->server_ = builder.BuildAndStart();
  if (running->server_ == nullptr || port == 0) {
    running->shut_down_ = true;
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  running->port_ = port;
  // A failure past this point stops the main server without logging a drain.
  auto fail = [&running](absl::Status status) {
    running->shut_down_ = true;
    running->server_->Shutdown(std::chrono::system_clock::now());
    running->server_->Wait();
    return status;
  };

  if (!options.health_listen.empty()) {
    // Plaintext on purpose: it tells only whether the server serves, and
    // Kubernetes' gRPC probes cannot present TLS. Nothing else is served
    // there — no reflection, no interceptors.
    running->health_mirror_ =
        std::make_unique<HealthMirror>(options.service_name);
    grpc::ServerBuilder health_builder;
    int health_port = 0;
    health_builder.AddListeningPort(
        options.health_listen, grpc::InsecureServerCredentials(), &health_port);
    health_builder.RegisterService(running->health_mirror_.get());
    // A port in use is an error, not a port shared with another process
    // whose status the probes would see half the time.
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    health_builder.SetOption(std::make_unique<WithoutPlugins>());
    // No default health service next to the mirror.
    health_builder.SetOption(
        std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
    grpc::ResourceQuota health_quota(options.service_name + " health");
    health_quota.SetMaxThreads(8);
    health_builder.SetResourceQuota(health_quota);
    running->health_server_ = health_builder.BuildAndStart();
    if (running->health_server_ == nullptr || health_port == 0) {
      return fail(absl::UnavailableError(absl::StrCat(
          "--health_listen: cannot listen on ", options.health_listen)));
    }
    running->health_port_ = health_port;
  }
  if (!options.metrics_listen.empty()) {
    const CallMetrics* metrics = running->metrics_.get();
    absl::StatusOr<std::unique_ptr<MetricsServer>> metrics_server =
        MetricsServer::Start(options.metrics_listen,
                             [metrics, gauges = options.gauges] {
                               return metrics->Render(gauges);
                             });
    if (!metrics_server.ok()) {
      if (running->health_server_ != nullptr) {
        running->health_mirror_->EndWatches();
        running->health_server_->Shutdown(std::chrono::system_clock::now());
        running->health_server_->Wait();
      }
      return fail(metrics_server.status());
    }
    running->metrics_server_ = *std::move(metrics_server);
  }

  auto* health = running->server_->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(options.service_name, true);
  if (running->health_mirror_ != nullptr) {
    running->health_mirror_->SetServing(true);
  }
  if (running->health_server_ != nullptr) {
    LogInfo("health port listening: plaintext, grpc.health.v1.Health only",
            {{"service", options.service_name},
             {"health_listen", options.health_listen},
             {"health_port", running->health_port_}});
  }
  if (running->metrics_server_ != nullptr) {
    LogInfo("metrics port listening: plain HTTP, GET /metrics",
            {{"service", options.service_name},
             {"metrics_listen", options.metrics_listen},
             {"metrics_port", running->metrics_server_->port()}});
  }
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

GrpcServer::GrpcServer(ServerOptions options)
    : options_(std::move(options)),
      metrics_(std::make_unique<CallMetrics>(
          BuildInfo::Current(options_.service_name))) {}

GrpcServer::~GrpcServer() { Shutdown(absl::Now()); }

int GrpcServer::metrics_port() const {
  return metrics_server_ == nullptr ? 0 : metrics_server_->port();
}

void GrpcServer::ReportNotServing() {
  // Shutdown() turns every name NOT_SERVING and ignores later updates.
  server_->GetHealthCheckService()->Shutdown();
  if (health_mirror_ != nullptr) health_mirror_->SetServing(false);
}

void GrpcServer::Drain() {
  if (shut_down_) return;
  ReportNotServing();
  if (options_.drain_delay > absl::ZeroDuration()) {
    // Load balancers and endpoints controllers notice NOT_SERVING (or the
    // terminating pod) with some delay; calls they still send are served.
    LogInfo(
        "not serving; still accepting calls during the drain delay",
        {{"service", options_.service_name},
         {"drain_delay_seconds", absl::ToDoubleSeconds(options_.drain_delay)}});
    absl::SleepFor(options_.drain_delay);
  }
  Shutdown(absl::Now() + options_.drain_timeout);
}

void GrpcServer::Shutdown(absl::Time deadline) {
  if (shut_down_) return;
  shut_down_ = true;
  // Tell load balancers and probes first, then drain.
  ReportNotServing();
  LogInfo("draining", {{"service", options_.service_name}});
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
  // Probes see NOT_SERVING until the main port has closed; metrics are
  // scraped until then too.
  if (health_server_ != nullptr) {
    health_mirror_->EndWatches();
    health_server_->Shutdown(std::chrono::system_clock::now());
    health_server_->Wait();
  }
  if (metrics_server_ != nullptr) metrics_server_->Stop();
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
