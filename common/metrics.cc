#include "common/metrics.h"

#include <httplib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/log.h"
#include "common/rocksdb_db.h"
#include "google/protobuf/descriptor.h"

#ifndef ANTT_VERSION
#error "ANTT_VERSION must be defined (common/CMakeLists.txt)"
#endif
#ifndef ANTT_REVISION
#error "ANTT_REVISION must be defined (common/CMakeLists.txt)"
#endif

namespace antt {
namespace {

// The text format's number: integers as integers, the rest with enough
// digits, and the spellings Prometheus reads for the special values.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return absl::StrFormat("%.17g", value);
}

// HELP text: backslash and newline escaped (quotes are allowed).
std::string EscapeHelp(absl::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void AppendHeader(std::string* out, absl::string_view name,
                  absl::string_view help, absl::string_view type) {
  absl::StrAppend(out, "# HELP ", name, " ", EscapeHelp(help), "\n", "# TYPE ",
                  name, " ", type, "\n");
}

// `{a="x",b="y"}`, or nothing without labels.
std::string Labels(
    const std::vector<std::pair<std::string, std::string>>& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", labels[i].first, "=\"",
                    EscapeLabelValue(labels[i].second), "\"");
  }
  out += "}";
  return out;
}

// host:port or [v6]:port → host (without brackets) and port.
absl::StatusOr<std::pair<std::string, int>> SplitHostPort(
    absl::string_view listen, absl::string_view flag) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": \"", listen,
                     "\" is not host:port (e.g. 0.0.0.0:9101, [::]:9101)"));
  }
  absl::string_view host = listen.substr(0, colon);
  if (absl::ConsumePrefix(&host, "[") && !absl::ConsumeSuffix(&host, "]")) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": \"", listen, "\" has an unclosed ["));
  }
  return std::make_pair(std::string(host), port);
}

}  // namespace

GaugeCollector RocksDbGauges(RocksDb* db) {
  return [db](std::vector<GaugeSample>* out) {
    out->push_back({"antt_rocksdb_live_data_bytes",
                    "Bytes of the store's live SST files on disk "
                    "(rocksdb.live-sst-files-size over every column family; "
                    "memtables not yet flushed are not included).",
                    {},
                    static_cast<double>(db->ApproximateSizeBytes())});
    for (const auto& [column_family, keys] : db->EstimatedKeys()) {
      out->push_back({"antt_rocksdb_estimated_keys",
                      "RocksDB's estimate of the keys in a column family "
                      "(rocksdb.estimate-num-keys).",
                      {{"column_family", column_family}},
                      static_cast<double>(keys)});
    }
    const RocksDb::WriteHealth health = db->write_health();
    out->push_back({"antt_rocksdb_pending_compaction_bytes",
                    "Bytes compaction has yet to rewrite to bring every level "
                    "within its target (rocksdb.estimate-pending-compaction-"
                    "bytes, over every column family); writes slow down, then "
                    "stop, as it grows.",
                    {},
                    static_cast<double>(health.pending_compaction_bytes)});
    out->push_back({"antt_rocksdb_write_stopped",
                    "1 while RocksDB stops writes (rocksdb.is-write-stopped).",
                    {},
                    health.write_stopped ? 1.0 : 0.0});
    for (const auto& [condition, count] :
         {std::pair<const char*, uint64_t>{"delayed", health.stalls_delayed},
          {"stopped", health.stalls_stopped}}) {
      out->push_back({"antt_rocksdb_write_stalls_total",
                      "Times a column family entered a write stall "
                      "(condition delayed: writes slowed down; stopped: "
                      "writes wait) since the store was opened.",
                      {{"condition", condition}},
                      static_cast<double>(count),
                      "counter"});
    }
  };
}

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string StatusCodeName(grpc::StatusCode code) {
  // The numeric codes of gRPC and Abseil are the same.
  std::string name = absl::StatusCodeToString(
      static_cast<absl::StatusCode>(static_cast<int>(code)));
  return name.empty() ? "UNKNOWN" : name;
}

namespace {

// The descriptor of `path`'s method, or null when no compiled-in service
// has it.
const google::protobuf::MethodDescriptor* FindMethod(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/")) return nullptr;
  const size_t slash = path.find('/');
  if (slash == absl::string_view::npos) return nullptr;
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(path.substr(0, slash)));
  return service == nullptr
             ? nullptr
             : service->FindMethodByName(std::string(path.substr(slash + 1)));
}

// go-grpc-prometheus' names of the codes, by number.
constexpr std::array<absl::string_view, CallCounters::kCodes> kGoCodeNames = {
    "OK",
    "Canceled",
    "Unknown",
    "InvalidArgument",
    "DeadlineExceeded",
    "NotFound",
    "AlreadyExists",
    "PermissionDenied",
    "ResourceExhausted",
    "FailedPrecondition",
    "Aborted",
    "OutOfRange",
    "Unimplemented",
    "Internal",
    "Unavailable",
    "DataLoss",
    "Unauthenticated"};

}  // namespace

absl::string_view GrpcCodeLabel(grpc::StatusCode code) {
  const int index = static_cast<int>(code);
  return index >= 0 && index < CallCounters::kCodes ? kGoCodeNames[index]
                                                    : "Unknown";
}

bool IsCompiledInMethod(absl::string_view method) {
  return FindMethod(method) != nullptr;
}

MethodLabels MethodLabelsOf(absl::string_view path) {
  if (path == "unknown") return {"unknown", "unknown", "unknown"};
  absl::string_view rest = path;
  (void)absl::ConsumePrefix(&rest, "/");
  const size_t slash = rest.find('/');
  MethodLabels labels;
  labels.service = std::string(rest.substr(0, slash));
  labels.method = slash == absl::string_view::npos
                      ? ""
                      : std::string(rest.substr(slash + 1));
  const google::protobuf::MethodDescriptor* method = FindMethod(path);
  const bool client = method != nullptr && method->client_streaming();
  const bool server = method != nullptr && method->server_streaming();
  labels.type = client && server ? "bidi_stream"
                : client         ? "client_stream"
                : server         ? "server_stream"
                                 : "unary";
  return labels;
}

CallCounters::MethodStats* CallCounters::ForMethod(absl::string_view method) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = methods_.find(method);
    if (it != methods_.end()) return it->second.get();
  }
  // Unknown paths are not remembered one by one (that would grow the table
  // instead of the series); each looks its method up again.
  if (!known_(method)) method = "unknown";
  absl::MutexLock lock(&mu_);
  std::unique_ptr<MethodStats>& stats = methods_[method];
  if (stats == nullptr) {
    stats = std::make_unique<MethodStats>(MethodLabelsOf(method));
  }
  return stats.get();
}

void CallCounters::MethodStats::Record(grpc::StatusCode code,
                                       absl::Duration latency) {
  int code_index = static_cast<int>(code);
  if (code_index < 0 || code_index >= kCodes) {
    code_index = static_cast<int>(grpc::StatusCode::UNKNOWN);
  }
  calls_[code_index].fetch_add(1, std::memory_order_relaxed);
  const double seconds = absl::ToDoubleSeconds(latency);
  const size_t bucket = std::lower_bound(kCallDurationBuckets.begin(),
                                         kCallDurationBuckets.end(), seconds) -
                        kCallDurationBuckets.begin();
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(
                           0, absl::ToInt64Nanoseconds(latency))),
                       std::memory_order_relaxed);
}

void CallCounters::AppendTo(std::string* out) const {
  const bool server = side_ == Side::kServer;
  const std::string prefix = server ? "grpc_server_" : "grpc_client_";
  // A copy of the table, sorted by method, so the lock is not held while
  // formatting and the output is stable.
  std::map<std::string, const MethodStats*> methods;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [name, stats] : methods_) methods[name] = stats.get();
  }
  // `grpc_type="…",grpc_service="…",grpc_method="…"` of each method.
  std::map<std::string, std::string> labels;
  for (const auto& [name, stats] : methods) {
    const MethodLabels& l = stats->labels_;
    labels[name] =
        absl::StrCat("grpc_type=\"", EscapeLabelValue(l.type),
                     "\",grpc_service=\"", EscapeLabelValue(l.service),
                     "\",grpc_method=\"", EscapeLabelValue(l.method), "\"");
  }

  const std::string started = prefix + "started_total";
  AppendHeader(out, started,
               server ? "RPCs started on the server."
                      : "RPCs started by this process to other services.",
               "counter");
  for (const auto& [name, stats] : methods) {
    absl::StrAppend(out, started, "{", labels[name], "} ",
                    stats->started_.load(std::memory_order_relaxed), "\n");
  }

  const std::string handled = prefix + "handled_total";
  AppendHeader(out, handled,
               server ? "RPCs completed on the server, by status code."
                      : "RPCs to other services completed, by status code.",
               "counter");
  for (const auto& [name, stats] : methods) {
    for (int code = 0; code < kCodes; ++code) {
      const uint64_t count =
          stats->calls_[code].load(std::memory_order_relaxed);
      if (count == 0) continue;
      absl::StrAppend(out, handled, "{", labels[name], ",grpc_code=\"",
                      kGoCodeNames[code], "\"} ", count, "\n");
    }
  }

  const std::string seconds = prefix + "handling_seconds";
  AppendHeader(out, seconds,
               server ? "Time from an RPC's arrival to its status, on the "
                        "server."
                      : "Time from an RPC's start to its status, as this "
                        "process saw it.",
               "histogram");
  for (const auto& [name, stats] : methods) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kCallDurationBuckets.size(); ++i) {
      cumulative += stats->buckets_[i].load(std::memory_order_relaxed);
      const std::string le =
          i < kCallDurationBuckets.size()
              ? absl::StrFormat("%g", kCallDurationBuckets[i])
              : "+Inf";
      absl::StrAppend(out, seconds, "_bucket{", labels[name], ",le=\"", le,
                      "\"} ", cumulative, "\n");
    }
    const double sum =
        static_cast<double>(stats->sum_nanos_.load(std::memory_order_relaxed)) /
        1e9;
    absl::StrAppend(out, seconds, "_sum{", labels[name], "} ", FormatValue(sum),
                    "\n", seconds, "_count{", labels[name], "} ", cumulative,
                    "\n");
  }
}

CallCounters& ClientCalls() {
  static CallCounters* const calls =
      new CallCounters(CallCounters::Side::kClient);
  return *calls;
}

void AppendProcessGauges(std::vector<GaugeSample>* out) {
  // /proc/self/stat: fields after the command (which is in parentheses and
  // may hold spaces) are space-separated; utime is field 14, stime 15,
  // starttime 22 (clock ticks after boot), vsize 23 (bytes), rss 24 (pages).
  std::string stat;
  {
    std::ifstream file("/proc/self/stat");
    stat.assign(std::istreambuf_iterator<char>(file),
                std::istreambuf_iterator<char>());
  }  // closed before the descriptors are counted
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 > stat.size()) return;
  const std::vector<absl::string_view> fields = absl::StrSplit(
      absl::string_view(stat).substr(paren + 2), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state).
  auto field = [&](int number) -> double {
    double value = 0;
    const size_t index = static_cast<size_t>(number - 3);
    if (index < fields.size()) (void)absl::SimpleAtod(fields[index], &value);
    return value;
  };
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  out->push_back({"process_cpu_seconds_total",
                  "Total user and system CPU time spent in seconds.",
                  {},
                  (field(14) + field(15)) / ticks,
                  "counter"});
  out->push_back({"process_resident_memory_bytes",
                  "Resident memory size in bytes.",
                  {},
                  field(24) * page});
  out->push_back({"process_virtual_memory_bytes",
                  "Virtual memory size in bytes.",
                  {},
                  field(23)});
  // The boot time, from /proc/stat's btime line.
  double boot = -1;
  {
    std::ifstream file("/proc/stat");
    std::string line;
    while (std::getline(file, line)) {
      absl::string_view rest = line;
      if (absl::ConsumePrefix(&rest, "btime ")) {
        (void)absl::SimpleAtod(rest, &boot);
        break;
      }
    }
  }
  if (boot >= 0) {
    out->push_back({"process_start_time_seconds",
                    "Start time of the process since unix epoch in seconds.",
                    {},
                    boot + field(22) / ticks});
  }
  std::error_code error;
  double fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end;
       !error && it != end; it.increment(error)) {
    ++fds;
  }
  if (!error) {
    // The directory iterator's own descriptor is among those counted.
    out->push_back({"process_open_fds",
                    "Number of open file descriptors.",
                    {},
                    std::max(0.0, fds - 1)});
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out->push_back({"process_max_fds",
                    "Maximum number of open file descriptors.",
                    {},
                    limit.rlim_cur == RLIM_INFINITY
                        ? std::numeric_limits<double>::infinity()
                        : static_cast<double>(limit.rlim_cur)});
  }
}

BuildInfo BuildInfo::Current(std::string service) {
  return BuildInfo{ANTT_VERSION, ANTT_REVISION, std::move(service)};
}

std::string CallMetrics::Render(const GaugeCollector& gauges) const {
  std::string out;
  AppendHeader(&out, "antt_build_info",
               "The build of this server: version, git revision and service; "
               "always 1.",
               "gauge");
  absl::StrAppend(&out, "antt_build_info",
                  Labels({{"version", build_.version},
                          {"revision", build_.revision},
                          {"service", build_.service}}),
                  " 1\n");
  calls_.AppendTo(&out);
  AppendHeader(&out, "antt_grpc_server_calls_in_flight",
               "RPCs started on the server and not yet ended.", "gauge");
  absl::StrAppend(&out, "antt_grpc_server_calls_in_flight ",
                  in_flight_.load(std::memory_order_relaxed), "\n");
  ClientCalls().AppendTo(&out);

  std::vector<GaugeSample> samples;
  AppendProcessGauges(&samples);
  if (gauges) gauges(&samples);
  // The samples of one name together, under one HELP and TYPE, in the
  // order the collectors gave them.
  std::stable_sort(samples.begin(), samples.end(),
                   [](const GaugeSample& a, const GaugeSample& b) {
                     return a.name < b.name;
                   });
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i == 0 || samples[i].name != samples[i - 1].name) {
      AppendHeader(&out, samples[i].name, samples[i].help, samples[i].type);
    }
    absl::StrAppend(&out, samples[i].name, Labels(samples[i].labels), " ",
                    FormatValue(samples[i].value), "\n");
  }
  return out;
}

MetricsServer::MetricsServer() = default;

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& listen, std::function<std::string()> render,
    absl::string_view flag) {
  absl::StatusOr<std::pair<std::string, int>> address =
      SplitHostPort(listen, flag);
  if (!address.ok()) return address.status();
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  server->http_ = std::make_unique<httplib::Server>();
  httplib::Server& http = *server->http_;
  // Scrapes are rare and cheap: two threads, never gRPC's.
  http.new_task_queue = [] { return new httplib::ThreadPool(2); };
  // SO_REUSEADDR, so a restart binds at once, but not SO_REUSEPORT (which
  // httplib sets by default): a second server on a port in use must fail to
  // start, not share the port and answer half the scrapes.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_read_timeout(std::chrono::seconds(5));
  http.set_write_timeout(std::chrono::seconds(5));
  http.Get("/metrics", [render = std::move(render)](const httplib::Request&,
                                                    httplib::Response& res) {
    res.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  const auto& [host, port] = *address;
  server->port_ = port == 0 ? http.bind_to_any_port(host)
                            : (http.bind_to_port(host, port) ? port : -1);
  if (server->port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat(flag, ": cannot listen on ", listen));
  }
  auto ended = std::make_shared<std::atomic<bool>>(false);
  server->thread_ = std::thread([&http, ended, listen] {
    if (!http.listen_after_bind()) {
      LogError("metrics server stopped: accept failed", {{"listen", listen}});
    }
    ended->store(true);
  });
  // httplib's stop() does nothing until the accept loop runs, so a Stop()
  // right after Start() must not overtake it.
  while (!http.is_running() && !ended->load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return server;
}

MetricsServer::~MetricsServer() { Stop(); }

void MetricsServer::Stop() {
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
}

}  // namespace antt
