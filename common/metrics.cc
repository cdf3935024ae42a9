#include "common/metrics.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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

BuildInfo BuildInfo::Current(std::string service) {
  return BuildInfo{ANTT_VERSION, ANTT_REVISION, std::move(service)};
}

bool IsCompiledInMethod(absl::string_view method) {
  if (!absl::ConsumePrefix(&method, "/")) return false;
  const size_t slash = method.find('/');
  if (slash == absl::string_view::npos) return false;
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(method.substr(0, slash)));
  return service != nullptr &&
         service->FindMethodByName(std::string(method.substr(slash + 1))) !=
             nullptr;
}

CallMetrics::MethodStats* CallMetrics::ForMethod(absl::string_view method) {
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
  if (stats == nullptr) stats = std::make_unique<MethodStats>();
  return stats.get();
}

void CallMetrics::MethodStats::Record(grpc::StatusCode code,
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

  // A copy of the table, sorted by method, so the lock is not held while
  // formatting and the output is stable.
  std::map<std::string, const MethodStats*> methods;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [name, stats] : methods_) methods[name] = stats.get();
  }
  AppendHeader(&out, "antt_grpc_calls_total",
               "gRPC calls finished, by full method name and status code.",
               "counter");
  for (const auto& [method, stats] : methods) {
    for (int code = 0; code < kCodes; ++code) {
      const uint64_t count =
          stats->calls_[code].load(std::memory_order_relaxed);
      if (count == 0) continue;
      absl::StrAppend(
          &out, "antt_grpc_calls_total",
          Labels(
              {{"method", method},
               {"code", StatusCodeName(static_cast<grpc::StatusCode>(code))}}),
          " ", count, "\n");
    }
  }
  AppendHeader(&out, "antt_grpc_call_duration_seconds",
               "Time from a call's arrival to its status, by full method name.",
               "histogram");
  for (const auto& [method, stats] : methods) {
    const std::string escaped = EscapeLabelValue(method);
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kCallDurationBuckets.size(); ++i) {
      cumulative += stats->buckets_[i].load(std::memory_order_relaxed);
      const std::string le =
          i < kCallDurationBuckets.size()
              ? absl::StrFormat("%g", kCallDurationBuckets[i])
              : "+Inf";
      absl::StrAppend(&out, "antt_grpc_call_duration_seconds_bucket{method=\"",
                      escaped, "\",le=\"", le, "\"} ", cumulative, "\n");
    }
    const double sum =
        static_cast<double>(stats->sum_nanos_.load(std::memory_order_relaxed)) /
        1e9;
    absl::StrAppend(&out, "antt_grpc_call_duration_seconds_sum{method=\"",
                    escaped, "\"} ", FormatValue(sum), "\n",
                    "antt_grpc_call_duration_seconds_count{method=\"", escaped,
                    "\"} ", cumulative, "\n");
  }
  AppendHeader(&out, "antt_grpc_calls_in_flight",
               "gRPC calls started and not yet ended.", "gauge");
  absl::StrAppend(&out, "antt_grpc_calls_in_flight ",
                  in_flight_.load(std::memory_order_relaxed), "\n");

  if (gauges) {
    std::vector<GaugeSample> samples;
    gauges(&samples);
    // The samples of one name together, under one HELP and TYPE, in the
    // order the collector gave them.
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
