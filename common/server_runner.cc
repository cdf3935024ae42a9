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
    metrics_->ForMethod(method_)->Started();
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

// Logs the calls no ANTT service sees itself: server reflection, and paths
// nothing serves (UNIMPLEMENTED). ANTT's own calls get no interceptor; their
// CallRecord (common/callback_service.h) logs them.
class CallLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // All three outlive the server (GrpcServer holds them).
  CallLogInterceptorFactory(const ServerOptions* options, CallMetrics* metrics,
                            const absl::flat_hash_set<std::string>* routed)
      : options_(options), metrics_(metrics), routed_(routed) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (routed_->contains(info->method())) return nullptr;
    return new CallLogInterceptor(info, options_, metrics_);
  }

 private:
  const ServerOptions* options_;
  CallMetrics* metrics_;
  const absl::flat_hash_set<std::string>* routed_;
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

namespace {

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
  if (options.authenticator == nullptr) {
    return absl::InvalidArgumentError(
        "a TLS server needs an authenticator (--principals_file)");
  }
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::SslServerCredentials(ssl);
  credentials->SetAuthMetadataProcessor(
      std::make_shared<TokenAuthProcessor>(options.authenticator));
  return credentials;
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

// The bounds every port of a server shares: streams per connection,
// message sizes, and keepalive pings that find dead peers so their calls
// end.
void ApplyLimits(const ServerOptions& options, grpc::ServerBuilder* builder) {
  builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                              options.max_concurrent_streams);
  builder->SetMaxReceiveMessageSize(options.max_message_bytes);
  builder->SetMaxSendMessageSize(options.max_message_bytes);
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
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
  if (options.max_threads < 1 || options.max_concurrent_streams < 1 ||
      options.max_open_streams < 1 || options.max_message_bytes < 1024 ||
      options.blocking_threads < 1 || options.blocking_queue < 1 ||
      options.stream_idle_timeout < absl::Seconds(1)) {
    return absl::InvalidArgumentError(
        "--max_threads, --max_concurrent_streams, --max_open_streams, "
        "--blocking_threads and --blocking_queue must be at least 1, "
        "--max_message_bytes at least 1024 and "
        "--stream_idle_timeout_seconds at least 1");
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentials(options);
  if (!credentials.ok()) return credentials.status();
  google::protobuf::SetLogHandler(&ProtobufLogToJson);
  gpr_set_log_function(&GrpcLogToJson);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  // The services, interceptors and health read what the GrpcServer keeps,
  // so it exists before the server starts.
  std::unique_ptr<GrpcServer> running(new GrpcServer(options));
  GrpcServer& self = *running;
  self.health_ = std::make_unique<HealthService>(
      &self.health_state_, options.authenticator != nullptr
                               ? options.authenticator
                               : self.anyone_.get());

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *credentials, &port);
  // The health service is ours (on the callback API), not gRPC's default.
  builder.SetOption(
      std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
  grpc::ResourceQuota quota(options.service_name);
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  ApplyLimits(options, &builder);
  std::vector<grpc::Service*> all = services;
  all.push_back(self.health_.get());
  for (grpc::Service* service : all) {
    if (auto* core = dynamic_cast<ServiceCore*>(service); core != nullptr) {
      if (absl::Status s = core->CheckRouted(); !s.ok()) return s;
      core->Attach(&self.env_);
      for (std::string& path : core->RoutedPaths()) {
        self.routed_paths_.insert(std::move(path));
      }
    }
    builder.RegisterService(service);
  }
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<CallLogInterceptorFactory>(
      &self.options_, self.metrics_.get(), &self.routed_paths_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  self.server_ = builder.BuildAndStart();
  if (self.server_ == nullptr || port == 0) {
    self.shut_down_ = true;
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  self.port_ = port;
  // A failure past this point stops the main server without logging a drain.
  auto fail = [&self](absl::Status status) {
    self.shut_down_ = true;
    self.health_state_.EndWatches();
    self.server_->Shutdown(std::chrono::system_clock::now());
    self.server_->Wait();
    return status;
  };

  if (!options.health_listen.empty()) {
    // Plaintext on purpose: it tells only whether the server serves, and
    // Kubernetes' gRPC probes cannot present TLS. Nothing else is served
    // there — no reflection, no interceptors — and its calls, which only
    // probes make, are not logged.
    self.health_port_service_ = std::make_unique<HealthService>(
        &self.health_state_, self.anyone_.get());
    self.health_port_service_->Attach(&self.health_env_);
    grpc::ServerBuilder health_builder;
    int health_port = 0;
    health_builder.AddListeningPort(
        options.health_listen, grpc::InsecureServerCredentials(), &health_port);
    health_builder.RegisterService(self.health_port_service_.get());
    // A port in use is an error, not a port shared with another process
    // whose status the probes would see half the time.
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    health_builder.SetOption(std::make_unique<WithoutPlugins>());
    health_builder.SetOption(
        std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
    ApplyLimits(options, &health_builder);
    self.health_server_ = health_builder.BuildAndStart();
    if (self.health_server_ == nullptr || health_port == 0) {
      return fail(absl::UnavailableError(absl::StrCat(
          "--health_listen: cannot listen on ", options.health_listen)));
    }
    self.health_port_ = health_port;
  }
  if (!options.metrics_listen.empty()) {
    const CallMetrics* metrics = self.metrics_.get();
    absl::StatusOr<std::unique_ptr<MetricsServer>> metrics_server =
        MetricsServer::Start(options.metrics_listen,
                             [metrics, gauges = options.gauges] {
                               return metrics->Render(gauges);
                             });
    if (!metrics_server.ok()) {
      if (self.health_server_ != nullptr) {
        self.health_server_->Shutdown(std::chrono::system_clock::now());
        self.health_server_->Wait();
      }
      return fail(metrics_server.status());
    }
    self.metrics_server_ = *std::move(metrics_server);
  }

  self.health_state_.SetServing(true);
  if (self.health_server_ != nullptr) {
    LogInfo("health port listening: plaintext, grpc.health.v1.Health only",
            {{"service", options.service_name},
             {"health_listen", options.health_listen},
             {"health_port", self.health_port_}});
  }
  if (self.metrics_server_ != nullptr) {
    LogInfo("metrics port listening: plain HTTP, GET /metrics",
            {{"service", options.service_name},
             {"metrics_listen", options.metrics_listen},
             {"metrics_port", self.metrics_server_->port()}});
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
          BuildInfo::Current(options_.service_name))),
      health_state_(options_.service_name),
      blocking_(options_.service_name + " blocking work",
                options_.blocking_threads,
                static_cast<size_t>(options_.blocking_queue)),
      streams_(options_.max_open_streams, options_.stream_idle_timeout),
      anyone_(Authenticator::Insecure()) {
  env_.metrics = metrics_.get();
  env_.insecure = options_.insecure;
  env_.blocking = &blocking_;
  env_.streams = &streams_;
  health_env_ = env_;
  health_env_.metrics = nullptr;
}

GrpcServer::~GrpcServer() { Shutdown(absl::Now()); }

int GrpcServer::metrics_port() const {
  return metrics_server_ == nullptr ? 0 : metrics_server_->port();
}

void GrpcServer::ReportNotServing() { health_state_.SetServing(false); }

void GrpcServer::Drain() {
  if (shut_down_ || server_ == nullptr) return;
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
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  // Tell load balancers and probes first, then drain. Watch streams have
  // heard NOT_SERVING and end now, so they do not hold the drain.
  ReportNotServing();
  health_state_.EndWatches();
  LogInfo("draining", {{"service", options_.service_name}});
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
  // Probes see NOT_SERVING until the main port has closed; metrics are
  // scraped until then too.
  if (health_server_ != nullptr) {
    health_server_->Shutdown(std::chrono::system_clock::now());
    health_server_->Wait();
  }
  if (metrics_server_ != nullptr) metrics_server_->Stop();
  LogInfo("stopped", {{"service", options_.service_name}});
  FlushLog();
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
