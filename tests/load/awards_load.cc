// antt-awards-load: one award campaign of N collective nominations driven
// end to end through running antt-registry, antt-scoring and antt-awards on
// the loopback interface.
//
//   antt-awards-load --registry=127.0.0.1:P1 --scoring=127.0.0.1:P2
//                    --awards=127.0.0.1:P3 [--units=5000 --concurrency=4]
//
// Setup (timed, but not the figures this tool is for):
//   1. ImportUnits: one stream of N agencies (legacy province 45 and one of
//      its districts, current province 44, managed at province level), each
//      with an external id "<--tag>-NNNNNNN"; ListUnits (area 44, agencies)
//      then maps the external ids to the registry's unit ids.
//   2. For 2019, and 2018 too unless --with_2018=false: SubmitAssessment of
//      every unit under TT23-2012/CQDN (read with GetCriteriaSet: every
//      condition not decided_by_events answered met, every points item at its
//      maximum, so EXCELLENT), ReviewAssessment (approve), and
//      RecognizeAssessments in decisions of at most --recognize_batch.
// Measured phases, each timed on its own:
//   nominate  CreateCampaign 2018-2019 (nomination deadline 30 days after
//             today, Vietnam time), then BatchNominate of every unit in
//             batches of --batch with --concurrency batches in flight; a
//             --bk_percent share for BK_UBND_TINH, the rest for GK_CAT.
//   approve   ApproveNomination of every nomination, --concurrency calls
//             outstanding. An ineligible nomination is approved with an
//             override_justification and counted; with 2018 recognised none
//             is expected (BK_UBND_TINH needs 2018 and 2019, GK_CAT 2019).
//   issue     IssueDecision per award type, in decisions of at most
//             --decision_size nominations, one at a time.
// Then GetCampaignSummary must show exactly N ISSUED nominations (by type as
// planned) and nothing in another stage.
//
// Prints per-phase wall time, rate, call latency, client CPU and, with
// --registry_pid/--scoring_pid/--awards_pid, each server's CPU in the phase
// (from /proc), then one JSON line. Every loop is bounded in count, every call
// has a deadline, and the whole run gives up after --timeout_s.
//
// Client model: the async CompletionQueue API on one thread and one channel
// per service, as antt-registry-load and antt-scoring-load: the client shares
// the machine with three servers.
//
// Exit status: 0 when every call succeeded and the summary shows N issued;
// 1 otherwise; 2 for bad flags. Expects databases that hold none of the
// --tag units (a fresh run_awards_bench.sh start).

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "antt/awards/v1/awards.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(std::string, registry, "",
          "antt-registry address; must be 127.0.0.1:PORT (loopback only)");
ABSL_FLAG(std::string, scoring, "",
          "antt-scoring address; must be 127.0.0.1:PORT (loopback only)");
ABSL_FLAG(std::string, awards, "",
          "antt-awards address; must be 127.0.0.1:PORT (loopback only)");
ABSL_FLAG(int, units, 5000, "units, assessments per year and nominations");
ABSL_FLAG(int, concurrency, 4,
          "BatchNominate batches in flight and ApproveNomination calls "
          "outstanding (1..64)");
ABSL_FLAG(int, batch, 500, "nominations per BatchNominate call (1..500)");
ABSL_FLAG(int, decision_size, 10000,
          "nominations per IssueDecision call (1..10000)");
ABSL_FLAG(int, bk_percent, 50,
          "share of nominations for BK_UBND_TINH, in per cent; the rest are "
          "GK_CAT (0..100)");
ABSL_FLAG(bool, with_2018, true,
          "recognise 2018 as well as 2019 (without it BK_UBND_TINH "
          "nominations are ineligible and approved with an override)");
ABSL_FLAG(int, setup_concurrency, 16,
          "SubmitAssessment and ReviewAssessment calls outstanding (1..256)");
ABSL_FLAG(int, recognize_batch, 1000,
          "assessments per RecognizeAssessments decision (1..1000)");
ABSL_FLAG(std::string, tag, "AWL",
          "external-id prefix of the generated units (letters, digits, '-')");
ABSL_FLAG(int, deadline_ms, 60000, "deadline of each call (1..120000)");
ABSL_FLAG(int, timeout_s, 420,
          "the whole run gives up after this many seconds (10..1800)");
ABSL_FLAG(int, registry_pid, 0, "when set: antt-registry's pid, for its CPU");
ABSL_FLAG(int, scoring_pid, 0, "when set: antt-scoring's pid, for its CPU");
ABSL_FLAG(int, awards_pid, 0, "when set: antt-awards's pid, for its CPU");

namespace antt::awards::load {
namespace {

namespace v1 = ::antt::awards::v1;
namespace rv1 = ::antt::registry::v1;
namespace sv1 = ::antt::scoring::v1;
using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

constexpr int kMaxUnits = 100'000;
constexpr char kCriteriaSet[] = "TT23-2012/CQDN";
constexpr char kGk[] = "GK_CAT";
constexpr char kBk[] = "BK_UBND_TINH";
constexpr int kFirstYear = 2018;
constexpr int kLastYear = 2019;

std::chrono::system_clock::time_point ToSystem(Clock::time_point t) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             t - Clock::now());
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto tv = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return tv(usage.ru_utime) + tv(usage.ru_stime);
}

// user + system CPU seconds of another process; -1 when unreadable.
double ServerCpuSeconds(int pid) {
  if (pid <= 0) return -1;
  std::FILE* f = std::fopen(absl::StrCat("/proc/", pid, "/stat").c_str(), "r");
  if (f == nullptr) return -1;
  char buffer[1024];
  const size_t n = std::fread(buffer, 1, sizeof(buffer) - 1, f);
  std::fclose(f);
  buffer[n] = '\0';
  // Fields after the last ')': state is field 3, utime 14, stime 15.
  const char* rest = std::strrchr(buffer, ')');
  unsigned long long utime = 0, stime = 0;
  if (rest == nullptr ||
      std::sscanf(rest + 1,
                  " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                  &utime, &stime) != 2) {
    return -1;
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

bool IsLoopbackTarget(absl::string_view target) {
  constexpr absl::string_view kHost = "127.0.0.1:";
  if (!absl::StartsWith(target, kHost)) return false;
  const absl::string_view port = target.substr(kHost.size());
  int number = 0;
  return !port.empty() && port.size() <= 5 &&
         std::all_of(port.begin(), port.end(),
                     [](char c) { return c >= '0' && c <= '9'; }) &&
         absl::SimpleAtoi(port, &number) && number > 0 && number < 65536;
}

google::type::Date DateOf(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::CivilDay VietnamToday() {
  return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(7 * 3600));
}

// ------------------------------------------------------------ the run loop

// What one run of calls adds up to.
struct Tally {
  int64_t calls = 0;   // completed
  int64_t errors = 0;  // completed and not OK, or OK with a wrong answer
  int64_t not_started = 0;
  std::vector<int64_t> latencies_ns;  // OK calls
  std::map<int, int64_t> error_codes;
  std::string first_error;

  void Add(const grpc::Status& status, Clock::duration latency) {
    ++calls;
    if (status.ok()) {
      latencies_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(latency)
              .count());
      return;
    }
    ++errors;
    error_codes[status.error_code()] += 1;
    if (first_error.empty()) {
      first_error = absl::StrCat("code ", status.error_code(), ": ",
                                 status.error_message());
    }
  }
  bool ok() const { return errors == 0 && not_started == 0; }
};

template <typename Response>
struct Pending {
  size_t index = 0;
  grpc::ClientContext context;
  Response response;
  grpc::Status status;
  Clock::time_point start;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
};

// Makes calls 0..count-1, at most `concurrency` outstanding, on one
// CompletionQueue. `start(i, context, cq)` begins call i and returns its
// reader; `check(i, status, response)` turns an OK reply into an error when
// its content is wrong (and keeps what later phases need). No call starts
// after `give_up`; every call's deadline is at most `call_timeout` and never
// past `give_up`, so the drain is bounded too.
template <typename Response, typename Start, typename Check>
Tally RunCalls(size_t count, int concurrency, Clock::duration call_timeout,
               Clock::time_point give_up, Start start, Check check) {
  Tally tally;
  grpc::CompletionQueue cq;
  size_t next = 0;
  int outstanding = 0;
  const auto launch = [&](Clock::time_point now) {
    auto call = std::make_unique<Pending<Response>>();
    call->index = next++;
    call->context.set_deadline(ToSystem(std::min(now + call_timeout, give_up)));
    call->start = now;
    call->reader = start(call->index, &call->context, &cq);
    call->reader->Finish(&call->response, &call->status, call.get());
    call.release();  // owned by the queue until its tag comes back
    ++outstanding;
  };
  for (Clock::time_point now = Clock::now();
       outstanding < concurrency && next < count && now < give_up;
       now = Clock::now()) {
    launch(now);
  }
  const Clock::time_point drain_limit = give_up + std::chrono::seconds(10);
  while (outstanding > 0) {
    void* tag = nullptr;
    bool ok = false;
    const auto event = cq.AsyncNext(
        &tag, &ok, std::chrono::system_clock::now() + std::chrono::seconds(1));
    if (event == grpc::CompletionQueue::SHUTDOWN) break;
    if (event == grpc::CompletionQueue::TIMEOUT) {
      if (Clock::now() > drain_limit) break;
      continue;
    }
    std::unique_ptr<Pending<Response>> call(
        static_cast<Pending<Response>*>(tag));
    --outstanding;
    const Clock::time_point now = Clock::now();
    grpc::Status result = call->status;
    if (result.ok()) result = check(call->index, call->response);
    tally.Add(result, now - call->start);
    if (next < count && now < give_up) launch(now);
  }
  tally.not_started = static_cast<int64_t>(count - next) + outstanding;
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) delete static_cast<Pending<Response>*>(tag);
  return tally;
}

json LatencyJson(std::vector<int64_t> ns) {
  json out = json::object();
  if (ns.empty()) return out;
  std::sort(ns.begin(), ns.end());
  const auto at = [&](double q) {
    return ns[std::min(ns.size() - 1,
                       static_cast<size_t>(q * (ns.size() - 1) + 0.5))] /
           1e6;
  };
  double sum = 0;
  for (int64_t v : ns) sum += static_cast<double>(v);
  out["mean_ms"] = sum / ns.size() / 1e6;
  out["p50_ms"] = at(0.5);
  out["p90_ms"] = at(0.9);
  out["p99_ms"] = at(0.99);
  out["max_ms"] = ns.back() / 1e6;
  return out;
}

// CPU of this process and of each server across one phase.
class PhaseClock {
 public:
  explicit PhaseClock(const std::vector<std::pair<std::string, int>>* servers)
      : servers_(servers),
        begin_(Clock::now()),
        client_cpu_(ProcessCpuSeconds()) {
    for (const auto& [name, pid] : *servers_) {
      server_cpu_.push_back(ServerCpuSeconds(pid));
    }
  }

  // Wall time, client and server CPU since construction, into `out`; prints
  // the CPU part of the line.
  double Stop(json* out) {
    const double wall = Seconds(Clock::now() - begin_);
    const double client = ProcessCpuSeconds() - client_cpu_;
    (*out)["wall_s"] = wall;
    (*out)["client_cpu_s"] = client;
    std::string line = absl::StrFormat("    CPU s: client %.2f", client);
    for (size_t i = 0; i < servers_->size(); ++i) {
      const double after = ServerCpuSeconds((*servers_)[i].second);
      if (server_cpu_[i] < 0 || after < 0) continue;
      const double cpu = after - server_cpu_[i];
      (*out)["server_cpu_s"][(*servers_)[i].first] = cpu;
      absl::StrAppendFormat(&line, ", %s %.2f", (*servers_)[i].first, cpu);
    }
    absl::StrAppendFormat(&line, " (over %.2f s wall)", wall);
    std::printf("%s\n", line.c_str());
    return wall;
  }

 private:
  const std::vector<std::pair<std::string, int>>* servers_;
  Clock::time_point begin_;
  double client_cpu_;
  std::vector<double> server_cpu_;
};

// Prints one phase and fills its JSON; false when a call failed.
bool Report(const std::string& name, int64_t items, const Tally& tally,
            double wall, json* out) {
  const json latency = LatencyJson(tally.latencies_ns);
  (*out)["items"] = items;
  (*out)["items_per_s"] = wall > 0 ? items / wall : 0;
  (*out)["calls"] = tally.calls;
  (*out)["call_latency"] = latency;
  (*out)["errors"] = tally.errors;
  (*out)["not_started"] = tally.not_started;
  if (!tally.error_codes.empty()) {
    json codes = json::object();
    for (const auto& [code, n] : tally.error_codes) {
      codes[absl::StrCat(code)] = n;
    }
    (*out)["error_codes"] = codes;
  }
  if (!tally.first_error.empty()) (*out)["first_error"] = tally.first_error;
  std::printf(
      "%-10s %6lld items in %7.2f s = %8.1f /s; %lld calls, p50 %.1f ms, "
      "p99 %.1f ms, max %.1f ms; errors %lld, not started %lld\n",
      name.c_str(), static_cast<long long>(items), wall,
      wall > 0 ? items / wall : 0.0, static_cast<long long>(tally.calls),
      latency.value("p50_ms", 0.0), latency.value("p99_ms", 0.0),
      latency.value("max_ms", 0.0), static_cast<long long>(tally.errors),
      static_cast<long long>(tally.not_started));
  if (!tally.first_error.empty()) {
    std::printf("    first error: %s\n", tally.first_error.c_str());
  }
  std::fflush(stdout);
  return tally.ok();
}

grpc::Status Wrong(std::string message) {
  return grpc::Status(grpc::StatusCode::UNKNOWN, std::move(message));
}

// ----------------------------------------------------------------- config

struct Config {
  std::string registry, scoring, awards;
  int units = 5000;
  int concurrency = 4;
  int batch = 500;
  int decision_size = 10000;
  int bk_percent = 50;
  bool with_2018 = true;
  int setup_concurrency = 16;
  int recognize_batch = 1000;
  std::string tag;
  Clock::duration call_timeout;
  Clock::time_point give_up;
  std::vector<std::pair<std::string, int>> servers;  // name, pid
};

bool ReadConfig(Config* c) {
  c->registry = absl::GetFlag(FLAGS_registry);
  c->scoring = absl::GetFlag(FLAGS_scoring);
  c->awards = absl::GetFlag(FLAGS_awards);
  c->units = absl::GetFlag(FLAGS_units);
  c->concurrency = absl::GetFlag(FLAGS_concurrency);
  c->batch = absl::GetFlag(FLAGS_batch);
  c->decision_size = absl::GetFlag(FLAGS_decision_size);
  c->bk_percent = absl::GetFlag(FLAGS_bk_percent);
  c->with_2018 = absl::GetFlag(FLAGS_with_2018);
  c->setup_concurrency = absl::GetFlag(FLAGS_setup_concurrency);
  c->recognize_batch = absl::GetFlag(FLAGS_recognize_batch);
  c->tag = absl::GetFlag(FLAGS_tag);
  const int deadline_ms = absl::GetFlag(FLAGS_deadline_ms);
  const int timeout_s = absl::GetFlag(FLAGS_timeout_s);
  std::string problem;
  if (!IsLoopbackTarget(c->registry) || !IsLoopbackTarget(c->scoring) ||
      !IsLoopbackTarget(c->awards)) {
    problem =
        "--registry, --scoring and --awards must be 127.0.0.1:PORT: this tool "
        "only loads loopback";
  } else if (c->units < 1 || c->units > kMaxUnits) {
    problem = absl::StrCat("--units must be in [1, ", kMaxUnits, "]");
  } else if (c->concurrency < 1 || c->concurrency > 64) {
    problem = "--concurrency must be in [1, 64]";
  } else if (c->batch < 1 || c->batch > 500) {
    problem = "--batch must be in [1, 500]";
  } else if (c->decision_size < 1 || c->decision_size > 10000) {
    problem = "--decision_size must be in [1, 10000]";
  } else if (c->bk_percent < 0 || c->bk_percent > 100) {
    problem = "--bk_percent must be in [0, 100]";
  } else if (c->setup_concurrency < 1 || c->setup_concurrency > 256) {
    problem = "--setup_concurrency must be in [1, 256]";
  } else if (c->recognize_batch < 1 || c->recognize_batch > 1000) {
    problem = "--recognize_batch must be in [1, 1000]";
  } else if (c->tag.empty() || c->tag.size() > 20 ||
             !std::all_of(c->tag.begin(), c->tag.end(), [](char ch) {
               return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                      (ch >= '0' && ch <= '9') || ch == '-';
             })) {
    problem = "--tag must be 1-20 letters, digits or '-'";
  } else if (deadline_ms < 1 || deadline_ms > 120'000) {
    problem = "--deadline_ms must be in [1, 120000]";
  } else if (timeout_s < 10 || timeout_s > 1800) {
    problem = "--timeout_s must be in [10, 1800]";
  }
  if (!problem.empty()) {
    std::fprintf(stderr, "antt-awards-load: %s\n", problem.c_str());
    return false;
  }
  c->call_timeout = std::chrono::milliseconds(deadline_ms);
  c->give_up = Clock::now() + std::chrono::seconds(timeout_s);
  c->servers = {{"registry", absl::GetFlag(FLAGS_registry_pid)},
                {"scoring", absl::GetFlag(FLAGS_scoring_pid)},
                {"awards", absl::GetFlag(FLAGS_awards_pid)}};
  c->servers.erase(std::remove_if(c->servers.begin(), c->servers.end(),
                                  [](const auto& s) { return s.second <= 0; }),
                   c->servers.end());
  return true;
}

// --------------------------------------------------------------- the units

// The ten district-level units of legacy province 45 (Quảng Trị), edition
// 2025-06, as in unit_generator.cc.
struct District {
  absl::string_view code;
  absl::string_view name;
};
constexpr District kDistricts[] = {
    {"461", "thành phố Đông Hà"}, {"462", "thị xã Quảng Trị"},
    {"464", "huyện Vĩnh Linh"},   {"465", "huyện Hướng Hóa"},
    {"466", "huyện Gio Linh"},    {"467", "huyện Đa Krông"},
    {"468", "huyện Cam Lộ"},      {"469", "huyện Triệu Phong"},
    {"470", "huyện Hải Lăng"},    {"471", "huyện Cồn Cỏ"},
};
constexpr absl::string_view kAgencies[] = {"Ủy ban nhân dân",
                                           "Phòng Tài chính - Kế hoạch",
                                           "Phòng Giáo dục và Đào tạo",
                                           "Trung tâm Y tế",
                                           "Chi cục Thuế khu vực",
                                           "Kho bạc Nhà nước",
                                           "Bảo hiểm xã hội",
                                           "Phòng Tài nguyên và Môi trường",
                                           "Ban Quản lý dự án đầu tư xây dựng",
                                           "Trung tâm Văn hóa - Thể thao"};

std::string ExternalId(const Config& c, int i) {
  return absl::StrFormat("%s-%07d", c.tag, i + 1);
}

rv1::Unit MakeUnit(const Config& c, int i) {
  const District& district = kDistricts[i % std::size(kDistricts)];
  rv1::Unit unit;
  unit.set_kind(rv1::UNIT_KIND_AGENCY);
  unit.set_name(absl::StrCat(
      kAgencies[(i / std::size(kDistricts)) % std::size(kAgencies)], " ",
      district.name, " (", i + 1, ")"));
  unit.set_province_code("44");
  unit.set_legacy_province_code("45");
  unit.set_legacy_district_code(std::string(district.code));
  unit.set_managing_level(rv1::MANAGING_LEVEL_PROVINCE);
  unit.set_external_id(ExternalId(c, i));
  unit.set_managing_body("Ủy ban nhân dân tỉnh Quảng Trị");
  unit.set_headcount(20 + i % 180);
  unit.set_has_party_organization(true);
  unit.set_security_force_size(1 + i % 5);
  return unit;
}

const char* AwardTypeOf(const Config& c, int i) {
  return (i % 100) < c.bk_percent ? kBk : kGk;
}

// What the run keeps per unit.
struct UnitState {
  std::string unit_id;
  std::string assessment_id[2];  // [0] 2018, [1] 2019
  std::string assessment_etag[2];
  std::string nomination_id;
  std::string nomination_etag;
  bool eligible = false;
  bool approved = false;
  bool issued = false;
};

struct Stubs {
  std::unique_ptr<rv1::RegistryService::Stub> registry;
  std::unique_ptr<sv1::ScoringService::Stub> scoring;
  std::unique_ptr<v1::AwardsService::Stub> awards;
};

std::unique_ptr<grpc::ClientContext> Context(const Config& c) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(
      ToSystem(std::min(Clock::now() + c.call_timeout, c.give_up)));
  return context;
}

// ------------------------------------------------------------------ setup

bool ImportUnits(const Config& c, Stubs* s, std::vector<UnitState>* units,
                 json* out) {
  PhaseClock clock(&c.servers);
  auto context = Context(c);
  const Clock::time_point start = Clock::now();
  rv1::ImportUnitsResponse response;
  auto writer = s->registry->ImportUnits(context.get(), &response);
  rv1::ImportUnitsRequest request;
  int sent = 0;
  for (; sent < c.units; ++sent) {
    *request.mutable_unit() = MakeUnit(c, sent);
    if (!writer->Write(request)) break;
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  Tally tally;
  tally.Add(status, Clock::now() - start);
  if (status.ok() && (response.created() != c.units || sent != c.units)) {
    tally = Tally();
    tally.Add(Wrong(absl::StrCat(
                  "ImportUnits: sent ", sent, ", created ", response.created(),
                  ", updated ", response.updated(), ", rejected ",
                  response.rejected(),
                  response.errors_size() > 0
                      ? absl::StrCat(" (row ", response.errors(0).row(), " ",
                                     response.errors(0).field(), ": ",
                                     response.errors(0).message(), ")")
                      : "",
                  "; is the registry empty of ", c.tag, " units?")),
              {});
  }
  const double wall = clock.Stop(out);
  if (!Report("import", sent, tally, wall, out)) return false;

  // ImportUnits returns counts only: read the ids back by external id.
  PhaseClock list_clock(&c.servers);
  std::unordered_map<std::string, int> by_external;
  for (int i = 0; i < c.units; ++i) by_external[ExternalId(c, i)] = i;
  Tally list;
  int found = 0;
  std::string token;
  const int max_pages = kMaxUnits / 1000 + 1000;  // other units may be there
  for (int page = 0; page < max_pages && Clock::now() < c.give_up; ++page) {
    rv1::ListUnitsRequest request;
    request.set_area_code("44");
    request.set_kind(rv1::UNIT_KIND_AGENCY);
    request.set_page_size(1000);
    request.set_page_token(token);
    rv1::ListUnitsResponse response;
    const Clock::time_point start = Clock::now();
    const grpc::Status status =
        s->registry->ListUnits(Context(c).get(), request, &response);
    list.Add(status, Clock::now() - start);
    if (!status.ok()) break;
    for (const rv1::Unit& unit : response.units()) {
      auto it = by_external.find(unit.external_id());
      if (it == by_external.end()) continue;
      UnitState& u = (*units)[it->second];
      if (u.unit_id.empty()) ++found;
      u.unit_id = unit.id();
    }
    token = response.next_page_token();
    if (token.empty()) break;
  }
  if (list.ok() && found != c.units) {
    list.Add(Wrong(absl::StrCat("ListUnits found ", found, " of ", c.units,
                                " imported units")),
             {});
  }
  json list_json;
  const double list_wall = list_clock.Stop(&list_json);
  (*out)["list_units"] = list_json;
  return Report("list-units", found, list, list_wall, &(*out)["list_units"]);
}

// Full answers under the criteria set: every answered condition met, every
// points item at its maximum.
bool ReadCriteria(const Config& c, Stubs* s, sv1::Assessment* answers) {
  sv1::GetCriteriaSetRequest request;
  request.set_id(kCriteriaSet);
  sv1::CriteriaSet set;
  const grpc::Status status =
      s->scoring->GetCriteriaSet(Context(c).get(), request, &set);
  if (!status.ok()) {
    std::printf("GetCriteriaSet(%s): code %d: %s\n", kCriteriaSet,
                status.error_code(), status.error_message().c_str());
    return false;
  }
  const bool agencies = std::find(set.kinds().begin(), set.kinds().end(),
                                  rv1::UNIT_KIND_AGENCY) != set.kinds().end();
  if (!agencies || set.first_year() > kFirstYear ||
      (set.last_year() != 0 && set.last_year() < kLastYear)) {
    std::printf("criteria set %s does not cover agencies in %d-%d\n",
                kCriteriaSet, kFirstYear, kLastYear);
    return false;
  }
  answers->set_criteria_set_id(set.id());
  for (const sv1::Condition& condition : set.conditions()) {
    if (condition.decided_by_events()) continue;
    sv1::ConditionAnswer* answer = answers->add_conditions();
    answer->set_condition_id(condition.id());
    answer->set_met(true);
  }
  for (const sv1::PointsItem& item : set.points_items()) {
    sv1::ItemPoints* points = answers->add_points();
    points->set_item_id(item.id());
    points->set_points(item.max_points());
  }
  std::printf("criteria %s: %d conditions answered, %d points items\n",
              kCriteriaSet, answers->conditions_size(), answers->points_size());
  return true;
}

// Submit, review and recognise one year's assessment of every unit.
bool AssessYear(const Config& c, Stubs* s, const sv1::Assessment& answers,
                int year, std::vector<UnitState>* units, json* out) {
  const int y = year - kFirstYear;
  const size_t n = units->size();
  bool ok = true;
  {
    PhaseClock clock(&c.servers);
    json phase;
    Tally tally = RunCalls<sv1::Assessment>(
        n, c.setup_concurrency, c.call_timeout, c.give_up,
        [&](size_t i, grpc::ClientContext* context, grpc::CompletionQueue* cq) {
          sv1::SubmitAssessmentRequest request;
          *request.mutable_assessment() = answers;
          request.mutable_assessment()->set_unit_id((*units)[i].unit_id);
          request.mutable_assessment()->set_year(year);
          return s->scoring->AsyncSubmitAssessment(context, request, cq);
        },
        [&](size_t i, const sv1::Assessment& a) {
          if (a.stage() != sv1::STAGE_SUBMITTED ||
              !a.result().meets_standard() ||
              a.result().classification() != sv1::CLASSIFICATION_EXCELLENT) {
            return Wrong(absl::StrCat("SubmitAssessment: ", a.id(), " stage ",
                                      a.stage(), ", class ",
                                      a.result().classification()));
          }
          (*units)[i].assessment_id[y] = a.id();
          (*units)[i].assessment_etag[y] = a.etag();
          return grpc::Status::OK;
        });
    const double wall = clock.Stop(&phase);
    ok = Report(absl::StrCat("submit ", year), n, tally, wall, &phase) && ok;
    (*out)[absl::StrCat("submit_", year)] = phase;
    if (!ok) return false;
  }
  {
    PhaseClock clock(&c.servers);
    json phase;
    Tally tally = RunCalls<sv1::Assessment>(
        n, c.setup_concurrency, c.call_timeout, c.give_up,
        [&](size_t i, grpc::ClientContext* context, grpc::CompletionQueue* cq) {
          sv1::ReviewAssessmentRequest request;
          request.set_id((*units)[i].assessment_id[y]);
          request.set_etag((*units)[i].assessment_etag[y]);
          request.set_approve(true);
          return s->scoring->AsyncReviewAssessment(context, request, cq);
        },
        [&](size_t, const sv1::Assessment& a) {
          if (a.stage() != sv1::STAGE_REVIEWED) {
            return Wrong(absl::StrCat("ReviewAssessment: ", a.id(), " stage ",
                                      a.stage()));
          }
          return grpc::Status::OK;
        });
    const double wall = clock.Stop(&phase);
    ok = Report(absl::StrCat("review ", year), n, tally, wall, &phase) && ok;
    (*out)[absl::StrCat("review_", year)] = phase;
    if (!ok) return false;
  }
  {
    PhaseClock clock(&c.servers);
    json phase;
    const size_t decisions = (n + c.recognize_batch - 1) / c.recognize_batch;
    const absl::CivilDay decided(year, 12, 15);
    Tally tally = RunCalls<sv1::RecognizeAssessmentsResponse>(
        decisions, 1, c.call_timeout, c.give_up,
        [&](size_t d, grpc::ClientContext* context, grpc::CompletionQueue* cq) {
          sv1::RecognizeAssessmentsRequest request;
          const size_t end = std::min(n, (d + 1) * c.recognize_batch);
          for (size_t i = d * c.recognize_batch; i < end; ++i) {
            request.add_assessment_ids((*units)[i].assessment_id[y]);
          }
          request.set_recognized(true);
          request.set_decision_number(
              absl::StrCat(d + 1, "/QĐ-UBND-", c.tag, "-", year));
          *request.mutable_decision_date() = DateOf(decided);
          request.set_authority("Chủ tịch UBND tỉnh Quảng Trị");
          return s->scoring->AsyncRecognizeAssessments(context, request, cq);
        },
        [&](size_t d, const sv1::RecognizeAssessmentsResponse& response) {
          const size_t expected =
              std::min(n, (d + 1) * c.recognize_batch) - d * c.recognize_batch;
          if (static_cast<size_t>(response.assessments_size()) != expected) {
            return Wrong(absl::StrCat(
                "RecognizeAssessments: ", response.assessments_size(), " of ",
                expected));
          }
          for (const sv1::Assessment& a : response.assessments()) {
            if (a.stage() != sv1::STAGE_RECOGNIZED) {
              return Wrong(absl::StrCat("RecognizeAssessments: ", a.id(),
                                        " stage ", a.stage()));
            }
          }
          return grpc::Status::OK;
        });
    const double wall = clock.Stop(&phase);
    ok = Report(absl::StrCat("recog ", year), n, tally, wall, &phase) && ok;
    (*out)[absl::StrCat("recognize_", year)] = phase;
  }
  return ok;
}

// --------------------------------------------------------- measured phases

bool Nominate(const Config& c, Stubs* s, const std::string& campaign_id,
              std::vector<UnitState>* units, json* out) {
  const size_t n = units->size();
  std::unordered_map<std::string, size_t> by_unit;
  for (size_t i = 0; i < n; ++i) by_unit[(*units)[i].unit_id] = i;
  const size_t batches = (n + c.batch - 1) / c.batch;
  int64_t created = 0;
  PhaseClock clock(&c.servers);
  Tally tally = RunCalls<v1::BatchNominateResponse>(
      batches, c.concurrency, c.call_timeout, c.give_up,
      [&](size_t b, grpc::ClientContext* context, grpc::CompletionQueue* cq) {
        v1::BatchNominateRequest request;
        const size_t end = std::min(n, (b + 1) * c.batch);
        for (size_t i = b * c.batch; i < end; ++i) {
          v1::Nomination* nomination = request.add_nominations();
          nomination->set_campaign_id(campaign_id);
          nomination->set_award_type(AwardTypeOf(c, static_cast<int>(i)));
          nomination->set_unit_id((*units)[i].unit_id);
          nomination->set_achievements(
              "Đạt chuẩn \"An toàn về an ninh, trật tự\" năm 2018 và 2019.");
        }
        return s->awards->AsyncBatchNominate(context, request, cq);
      },
      [&](size_t b, const v1::BatchNominateResponse& response) {
        const size_t expected = std::min(n, (b + 1) * c.batch) - b * c.batch;
        for (const v1::Nomination& nomination : response.nominations()) {
          auto it = by_unit.find(nomination.unit_id());
          if (it == by_unit.end()) continue;
          UnitState& u = (*units)[it->second];
          u.nomination_id = nomination.id();
          u.nomination_etag = nomination.etag();
          u.eligible = nomination.eligible();
          ++created;
        }
        if (response.errors_size() > 0 ||
            static_cast<size_t>(response.nominations_size()) != expected) {
          return Wrong(
              absl::StrCat("BatchNominate: ", response.nominations_size(),
                           " created of ", expected,
                           response.errors_size() > 0
                               ? absl::StrCat("; first error at ",
                                              response.errors(0).index(), ": ",
                                              response.errors(0).message())
                               : ""));
        }
        return grpc::Status::OK;
      });
  const double wall = clock.Stop(out);
  int64_t ineligible = 0;
  for (const UnitState& u : *units) {
    if (!u.nomination_id.empty() && !u.eligible) ++ineligible;
  }
  (*out)["batch"] = c.batch;
  (*out)["concurrency"] = c.concurrency;
  (*out)["created"] = created;
  (*out)["ineligible"] = ineligible;
  if (tally.calls > 0 && !tally.latencies_ns.empty()) {
    // A batch is nominated one by one on the server: its latency divided by
    // its size is the time one nomination takes there, with the other
    // batches in flight sharing the machine.
    (*out)["batch_p50_ms_per_nomination"] =
        LatencyJson(tally.latencies_ns).value("p50_ms", 0.0) /
        std::min<size_t>(n, c.batch);
  }
  bool ok = Report("nominate", created, tally, wall, out);
  std::printf("    %lld created, %lld not eligible\n",
              static_cast<long long>(created),
              static_cast<long long>(ineligible));
  return ok;
}

bool Approve(const Config& c, Stubs* s, std::vector<UnitState>* units,
             json* out) {
  std::vector<size_t> todo;
  for (size_t i = 0; i < units->size(); ++i) {
    if (!(*units)[i].nomination_id.empty()) todo.push_back(i);
  }
  int64_t overrides = 0;
  PhaseClock clock(&c.servers);
  Tally tally = RunCalls<v1::Nomination>(
      todo.size(), c.concurrency, c.call_timeout, c.give_up,
      [&](size_t k, grpc::ClientContext* context, grpc::CompletionQueue* cq) {
        const UnitState& u = (*units)[todo[k]];
        v1::ApproveNominationRequest request;
        request.set_id(u.nomination_id);
        request.set_etag(u.nomination_etag);
        if (!u.eligible) {
          request.set_override_justification(
              "Benchmark run: approved without the missing year's "
              "recognition.");
        }
        return s->awards->AsyncApproveNomination(context, request, cq);
      },
      [&](size_t k, const v1::Nomination& nomination) {
        UnitState& u = (*units)[todo[k]];
        if (nomination.stage() != v1::NOMINATION_STAGE_APPROVED) {
          return Wrong(absl::StrCat("ApproveNomination: ", nomination.id(),
                                    " stage ", nomination.stage()));
        }
        if (!nomination.override_justification().empty()) ++overrides;
        u.approved = true;
        return grpc::Status::OK;
      });
  const double wall = clock.Stop(out);
  (*out)["concurrency"] = c.concurrency;
  (*out)["overrides"] = overrides;
  return Report("approve", tally.calls - tally.errors, tally, wall, out);
}

bool Issue(const Config& c, Stubs* s, const std::string& campaign_id,
           std::vector<UnitState>* units, json* out) {
  // One list per award type, cut into decisions of at most decision_size.
  struct Decision {
    std::string award_type;
    std::vector<size_t> indices;
  };
  std::vector<Decision> decisions;
  for (const char* type : {kGk, kBk}) {
    Decision* open = nullptr;
    for (size_t i = 0; i < units->size(); ++i) {
      if (!(*units)[i].approved ||
          AwardTypeOf(c, static_cast<int>(i)) != std::string(type)) {
        continue;
      }
      if (open == nullptr ||
          open->indices.size() == static_cast<size_t>(c.decision_size)) {
        decisions.push_back({type, {}});
        open = &decisions.back();
      }
      open->indices.push_back(i);
    }
  }
  const google::type::Date today = DateOf(VietnamToday());
  int64_t issued = 0;
  PhaseClock clock(&c.servers);
  Tally tally = RunCalls<v1::Decision>(
      decisions.size(), 1, c.call_timeout, c.give_up,
      [&](size_t d, grpc::ClientContext* context, grpc::CompletionQueue* cq) {
        const Decision& decision = decisions[d];
        const bool gk = decision.award_type == kGk;
        v1::IssueDecisionRequest request;
        v1::Decision* body = request.mutable_decision();
        body->set_number(absl::StrCat(d + 1, gk ? "/QĐ-CAT-" : "/QĐ-UBND-",
                                      c.tag, "-", campaign_id));
        *body->mutable_date() = today;
        body->set_authority(gk ? "Giám đốc Công an tỉnh Quảng Trị"
                               : "Chủ tịch UBND tỉnh Quảng Trị");
        body->set_signer("Nguyễn Văn A");
        for (size_t i : decision.indices) {
          request.add_nomination_ids((*units)[i].nomination_id);
        }
        return s->awards->AsyncIssueDecision(context, request, cq);
      },
      [&](size_t d, const v1::Decision& decision) {
        if (static_cast<size_t>(decision.nomination_ids_size()) !=
            decisions[d].indices.size()) {
          return Wrong(absl::StrCat("IssueDecision ", decision.number(), ": ",
                                    decision.nomination_ids_size(), " of ",
                                    decisions[d].indices.size()));
        }
        for (size_t i : decisions[d].indices) (*units)[i].issued = true;
        issued += decision.nomination_ids_size();
        return grpc::Status::OK;
      });
  const double wall = clock.Stop(out);
  (*out)["decisions"] = decisions.size();
  (*out)["decision_size"] = c.decision_size;
  return Report("issue", issued, tally, wall, out);
}

// GetCampaignSummary must show every nomination ISSUED, by type as planned.
bool CheckSummary(const Config& c, Stubs* s, const std::string& campaign_id,
                  json* out) {
  v1::GetCampaignSummaryRequest request;
  request.set_campaign_id(campaign_id);
  v1::GetCampaignSummaryResponse response;
  const Clock::time_point start = Clock::now();
  const grpc::Status status =
      s->awards->GetCampaignSummary(Context(c).get(), request, &response);
  (*out)["call_ms"] = Seconds(Clock::now() - start) * 1e3;
  if (!status.ok()) {
    std::printf("GetCampaignSummary: code %d: %s\n", status.error_code(),
                status.error_message().c_str());
    (*out)["error"] = status.error_message();
    return false;
  }
  std::map<std::string, int64_t> expected;
  for (int i = 0; i < c.units; ++i) expected[AwardTypeOf(c, i)] += 1;
  std::map<std::string, int64_t> issued;
  int64_t issued_total = 0;
  int64_t other = 0;
  json rows = json::array();
  for (const v1::SummaryRow& row : response.rows()) {
    rows.push_back(
        {{"award_type", row.award_type()},
         {"recipient_kind", v1::RecipientKind_Name(row.recipient_kind())},
         {"stage", v1::NominationStage_Name(row.stage())},
         {"count", row.count()}});
    if (row.stage() == v1::NOMINATION_STAGE_ISSUED &&
        row.recipient_kind() == v1::RECIPIENT_KIND_COLLECTIVE) {
      issued[row.award_type()] += row.count();
      issued_total += row.count();
    } else {
      other += row.count();
    }
  }
  (*out)["rows"] = rows;
  (*out)["issued"] = issued_total;
  const bool ok =
      issued_total == c.units && other == 0 &&
      issued.size() <= expected.size() &&
      std::all_of(expected.begin(), expected.end(), [&](const auto& e) {
        auto it = issued.find(e.first);
        return it != issued.end() && it->second == e.second;
      });
  std::printf("summary: %lld ISSUED (", static_cast<long long>(issued_total));
  bool first = true;
  for (const auto& [type, count] : issued) {
    std::printf("%s%s %lld", first ? "" : ", ", type.c_str(),
                static_cast<long long>(count));
    first = false;
  }
  std::printf("), %lld in other stages: %s\n", static_cast<long long>(other),
              ok ? "as expected" : "FAIL");
  return ok;
}

int Main() {
  Config c;
  if (!ReadConfig(&c)) return 2;
  const Clock::time_point begin = Clock::now();
  std::printf(
      "antt-awards-load: %d units, concurrency %d, batch %d, decisions of at "
      "most %d, %d%% BK_UBND_TINH, 2018 %s\n",
      c.units, c.concurrency, c.batch, c.decision_size, c.bk_percent,
      c.with_2018 ? "recognised" : "not assessed");
  Stubs s;
  for (const std::string* target : {&c.registry, &c.scoring, &c.awards}) {
    auto channel =
        grpc::CreateChannel(*target, grpc::InsecureChannelCredentials());
    if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                   std::chrono::seconds(10))) {
      std::printf("cannot connect to %s\n", target->c_str());
      return 1;
    }
    if (target == &c.registry) {
      s.registry = rv1::RegistryService::NewStub(channel);
    } else if (target == &c.scoring) {
      s.scoring = sv1::ScoringService::NewStub(channel);
    } else {
      s.awards = v1::AwardsService::NewStub(channel);
    }
  }

  json result;
  result["tool"] = "antt-awards-load";
  result["units"] = c.units;
  result["concurrency"] = c.concurrency;
  result["batch"] = c.batch;
  result["decision_size"] = c.decision_size;
  result["bk_percent"] = c.bk_percent;
  result["with_2018"] = c.with_2018;
  result["setup_concurrency"] = c.setup_concurrency;
  std::vector<UnitState> units(c.units);
  bool ok = true;

  // Setup.
  std::printf("-- setup\n");
  json setup;
  sv1::Assessment answers;
  ok = ImportUnits(c, &s, &units, &setup["import"]) &&
       ReadCriteria(c, &s, &answers);
  std::vector<int> years = {kLastYear};
  if (c.with_2018) years.insert(years.begin(), kFirstYear);
  for (int year : years) {
    ok = ok && AssessYear(c, &s, answers, year, &units, &setup);
  }
  setup["wall_s"] = Seconds(Clock::now() - begin);
  result["setup"] = setup;

  // The campaign.
  std::string campaign_id;
  json phases;
  if (ok) {
    std::printf("-- campaign %d-%d\n", kFirstYear, kLastYear);
    v1::CreateCampaignRequest request;
    v1::Campaign* campaign = request.mutable_campaign();
    campaign->set_title(
        absl::StrCat("Sơ kết phong trào Toàn dân bảo vệ an ninh Tổ quốc ",
                     kFirstYear, "–", kLastYear, " (", c.tag, ")"));
    campaign->set_first_year(kFirstYear);
    campaign->set_last_year(kLastYear);
    *campaign->mutable_nomination_deadline() = DateOf(VietnamToday() + 30);
    v1::Campaign created;
    const grpc::Status status =
        s.awards->CreateCampaign(Context(c).get(), request, &created);
    if (!status.ok()) {
      std::printf("CreateCampaign: code %d: %s\n", status.error_code(),
                  status.error_message().c_str());
      ok = false;
    } else {
      campaign_id = created.id();
      result["campaign"] = campaign_id;
      std::printf("campaign %s, nominations until %04d-%02d-%02d\n",
                  campaign_id.c_str(), created.nomination_deadline().year(),
                  created.nomination_deadline().month(),
                  created.nomination_deadline().day());
    }
  }
  int64_t expected_ineligible = 0;
  if (!c.with_2018) {
    for (int i = 0; i < c.units; ++i) {
      if (AwardTypeOf(c, i) == std::string(kBk)) ++expected_ineligible;
    }
  }
  if (ok) {
    ok = Nominate(c, &s, campaign_id, &units, &phases["nominate"]);
    const int64_t ineligible = phases["nominate"].value("ineligible", 0);
    if (ineligible != expected_ineligible) {
      std::printf("FAIL: %lld nominations not eligible, expected %lld\n",
                  static_cast<long long>(ineligible),
                  static_cast<long long>(expected_ineligible));
      ok = false;
    }
  }
  // Approve and issue what was nominated even after a failure above, so the
  // figures of the later phases exist; the exit status keeps the failure.
  if (!campaign_id.empty()) {
    ok = Approve(c, &s, &units, &phases["approve"]) && ok;
    ok = Issue(c, &s, campaign_id, &units, &phases["issue"]) && ok;
    json summary;
    ok = CheckSummary(c, &s, campaign_id, &summary) && ok;
    result["summary"] = summary;
  }
  result["phases"] = phases;
  double campaign_wall = 0;
  for (const char* phase : {"nominate", "approve", "issue"}) {
    if (phases.contains(phase)) {
      campaign_wall += phases[phase].value("wall_s", 0.0);
    }
  }
  result["campaign_wall_s"] = campaign_wall;
  if (campaign_wall > 0 && ok) {
    std::printf(
        "campaign: %d nominations nominated, approved and issued in %.2f s "
        "= %.1f /s end to end\n",
        c.units, campaign_wall, c.units / campaign_wall);
  } else if (!campaign_id.empty()) {
    std::printf("FAIL: campaign %s: %lld of %d nominations issued\n",
                campaign_id.c_str(),
                static_cast<long long>(
                    result.contains("summary")
                        ? result["summary"].value("issued", int64_t{0})
                        : 0),
                c.units);
  }
  result["total_wall_s"] = Seconds(Clock::now() - begin);
  result["ok"] = ok;
  std::printf("%s\n", result.dump().c_str());
  std::fflush(stdout);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace antt::awards::load

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "antt-awards-load --registry=127.0.0.1:P1 --scoring=127.0.0.1:P2 "
      "--awards=127.0.0.1:P3 [--units=5000 --concurrency=4 --batch=500 "
      "--decision_size=10000]");
  absl::ParseCommandLine(argc, argv);
  return antt::awards::load::Main();
}
