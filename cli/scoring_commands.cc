#include "cli/scoring_commands.h"

#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "cli/bulk.h"
#include "cli/csv.h"
#include "cli/progress.h"

namespace antt::cli {
namespace {

namespace sv1 = ::antt::scoring::v1;
namespace rv1 = ::antt::registry::v1;

// The answers an officer gives on the command line: every condition is met
// except those named by --not-met; points spread over the items in order
// (--points-total) or given per item (--points ITEM=N).
struct AnswerFlags {
  std::string kind, unit, set;
  int year = 0;
  std::vector<std::string> not_met;  // ID or ID=note
  std::vector<std::string> events;   // TYPE, TYPE@YYYY-MM-DD, ...=description
  std::vector<std::string> points;   // ITEM=N
  int points_total = -1;
};

void AddAnswerFlags(CLI::App* command, AnswerFlags* f) {
  command->add_option("--year", f->year, "Assessment year (required)");
  command->add_option("--set", f->set,
                      "Criteria set id (default: by kind and year)");
  command->add_option("--not-met", f->not_met,
                      "A condition not met, as ID or ID=note (repeatable)");
  command->add_option(
      "--event", f->events,
      "A disqualifying event, as TYPE[@YYYY-MM-DD][=description]");
  command->add_option("--points", f->points, "Points of an item, as ITEM=N");
  command->add_option("--points-total", f->points_total,
                      "Points spread over the items in order");
}

constexpr absl::string_view kEventForm = "TYPE[@YYYY-MM-DD][=description]";

// "6.3.g@2024-03-10=Cháy kho" → an Event; nullopt for a bad date.
std::optional<sv1::Event> ParseEvent(absl::string_view entry) {
  std::pair<std::string, std::string> kv =
      absl::StrSplit(entry, absl::MaxSplits('=', 1));
  std::pair<std::string, std::string> type_date =
      absl::StrSplit(kv.first, absl::MaxSplits('@', 1));
  sv1::Event event;
  event.set_type(type_date.first);
  if (!type_date.second.empty()) {
    std::optional<google::type::Date> date = ParseDate(type_date.second);
    if (!date) return std::nullopt;
    *event.mutable_date() = *date;
  }
  event.set_description(kv.second);
  return event;
}

// "510.1=3" → (item, points); nullopt unless N is a whole number.
std::optional<std::pair<std::string, int>> ParsePoints(
    absl::string_view entry) {
  std::pair<std::string, std::string> kv =
      absl::StrSplit(entry, absl::MaxSplits('=', 1));
  int n = 0;
  if (!absl::SimpleAtoi(kv.second, &n)) return std::nullopt;
  return std::make_pair(kv.first, n);
}

// Fills conditions, events and points of `a` against `set`; throws
// CLI::ValidationError for an event or points entry it cannot read.
void FillAnswers(const AnswerFlags& f, const sv1::CriteriaSet& set,
                 sv1::Assessment* a) {
  std::map<std::string, std::string> not_met;
  for (const std::string& entry : f.not_met) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(entry, absl::MaxSplits('=', 1));
    not_met[kv.first] = kv.second;
  }
  for (const sv1::Condition& condition : set.conditions()) {
    if (condition.decided_by_events()) continue;
    sv1::ConditionAnswer* answer = a->add_conditions();
    answer->set_condition_id(condition.id());
    auto it = not_met.find(condition.id());
    answer->set_met(it == not_met.end());
    if (it != not_met.end()) answer->set_note(it->second);
  }
  for (const std::string& entry : f.events) {
    std::optional<sv1::Event> event = ParseEvent(entry);
    if (!event) {
      throw CLI::ValidationError(
          "--event",
          absl::StrCat("want ", kEventForm, ", got \"", entry, "\""));
    }
    *a->add_events() = *std::move(event);
  }
  std::map<std::string, int> given;
  int left = f.points_total;
  for (const sv1::PointsItem& item : set.points_items()) {
    if (left <= 0) break;
    given[item.id()] = std::min(left, item.max_points());
    left -= given[item.id()];
  }
  for (const std::string& entry : f.points) {
    std::optional<std::pair<std::string, int>> item = ParsePoints(entry);
    if (!item) {
      throw CLI::ValidationError("--points",
                                 "want ITEM=N, got \"" + entry + "\"");
    }
    given[item->first] = item->second;
  }
  for (const auto& [item, n] : given) {
    sv1::ItemPoints* p = a->add_points();
    p->set_item_id(item);
    p->set_points(n);
  }
}

// The criteria set `set_id`, or the one for `kind` in `year` when `set_id`
// is empty (NOT_FOUND when none applies), read from scoring.
grpc::Status GetSet(Clients& clients, rv1::UnitKind kind, int year,
                    const std::string& set_id, sv1::CriteriaSet* set) {
  if (!set_id.empty()) {
    sv1::GetCriteriaSetRequest request;
    request.set_id(set_id);
    return clients.scoring().GetCriteriaSet(clients.Context().get(), request,
                                            set);
  }
  sv1::ListCriteriaSetsRequest request;
  request.set_kind(kind);
  request.set_year(year);
  sv1::ListCriteriaSetsResponse response;
  grpc::Status status = clients.scoring().ListCriteriaSets(
      clients.Context().get(), request, &response);
  if (!status.ok()) return status;
  if (response.criteria_sets().empty()) {
    return grpc::Status(
        grpc::StatusCode::NOT_FOUND,
        absl::StrCat("no criteria set applies to ",
                     EnumName(rv1::UnitKind_descriptor(), "UNIT_KIND_", kind),
                     " in ", year));
  }
  *set = response.criteria_sets(0);
  return grpc::Status::OK;
}

// As GetSet, reporting a failure; false after one.
bool FetchSet(Globals& globals, Clients& clients, rv1::UnitKind kind, int year,
              const std::string& set_id, sv1::CriteriaSet* set) {
  return Run(globals, [&] { return GetSet(clients, kind, year, set_id, set); });
}

// GetSet's answers kept for the rest of a bulk command. Thread-safe.
class SetCache final {
 public:
  grpc::Status Get(Clients& clients, rv1::UnitKind kind, int year,
                   const std::string& set_id, sv1::CriteriaSet* set) {
    const std::string key =
        set_id.empty() ? absl::StrCat(static_cast<int>(kind), "/", year)
                       : set_id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = sets_.find(key);
      if (it != sets_.end()) {
        *set = it->second;
        return grpc::Status::OK;
      }
    }
    grpc::Status status = GetSet(clients, kind, year, set_id, set);
    if (status.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      sets_.emplace(key, *set);
    }
    return status;
  }

 private:
  std::mutex mu_;
  std::map<std::string, sv1::CriteriaSet> sets_;
};

// Every assessment `request` matches, all pages; false after reporting a
// failure.
bool ListAllAssessments(Globals& globals, Clients& clients,
                        sv1::ListAssessmentsRequest request,
                        std::vector<sv1::Assessment>* out) {
  request.set_page_size(1000);
  while (true) {
    sv1::ListAssessmentsResponse page;
    if (!Run(globals, [&] {
          return clients.scoring().ListAssessments(clients.Context().get(),
                                                   request, &page);
        })) {
      return false;
    }
    for (auto& a : *page.mutable_assessments()) out->push_back(std::move(a));
    if (page.next_page_token().empty()) return true;
    request.set_page_token(page.next_page_token());
  }
}

// The columns `assess submit --file` reads: one self-assessment per row.
// Lists hold entries separated by ';' in the flags' forms: not_met
// "ID[=note]", events "TYPE[@YYYY-MM-DD][=description]", points "ITEM=N".
const std::vector<CsvColumn> kSubmitColumns = {
    "unit_id",         ValueColumn("year"),
    "criteria_set_id", ValueColumn("points_total"),
    "points",          "not_met",
    "events",          "request_id"};

std::vector<std::string> SplitList(absl::string_view cell) {
  return absl::StrSplit(cell, ';', absl::SkipWhitespace());
}

// One row of `assess submit --file`, before its unit and set are looked up.
struct SubmitRow {
  AnswerFlags answers;
  std::string request_id;
};

// The answers of one CSV row; every bad cell is reported with its column.
SubmitRow SubmitRowFromCsv(CsvRow& row, RowKeys& keys) {
  SubmitRow r;
  AnswerFlags& f = r.answers;
  f.unit = row.Text("unit_id");
  if (f.unit.empty()) row.Fail("unit_id", "is required");
  if (row.Text("year").empty()) row.Fail("year", "is required");
  f.year = row.IntCell("year");
  f.set = row.Text("criteria_set_id");
  if (!row.Text("points_total").empty()) {
    f.points_total = row.IntCell("points_total");
  }
  f.not_met = SplitList(row.Text("not_met"));
  // Checked here, so FillAnswers cannot throw for this row later.
  f.events = SplitList(row.Text("events"));
  for (const std::string& event : f.events) {
    if (!ParseEvent(event)) {
      row.Fail("events",
               absl::StrCat("want ", kEventForm, ", got \"", event, "\""));
    }
  }
  f.points = SplitList(row.Text("points"));
  for (const std::string& entry : f.points) {
    if (!ParsePoints(entry)) {
      row.Fail("points", "want ITEM=N, got \"" + entry + "\"");
    }
  }
  r.request_id = row.Text("request_id");
  if (r.request_id.empty()) {
    r.request_id = keys.KeyOf(RowCells(row, kSubmitColumns));
  }
  return r;
}

// The kinds of units, asked of the registry once per unit. Thread-safe.
class UnitKinds final {
 public:
  grpc::Status Get(Clients& clients, const std::string& id,
                   rv1::UnitKind* kind) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = kinds_.find(id);
      if (it != kinds_.end()) {
        *kind = it->second;
        return grpc::Status::OK;
      }
    }
    rv1::GetUnitRequest request;
    request.set_id(id);
    rv1::Unit unit;
    grpc::Status status =
        clients.registry().GetUnit(clients.Context().get(), request, &unit);
    if (!status.ok()) return status;
    *kind = unit.kind();
    std::lock_guard<std::mutex> lock(mu_);
    kinds_.emplace(id, unit.kind());
    return grpc::Status::OK;
  }

 private:
  std::mutex mu_;
  std::map<std::string, rv1::UnitKind> kinds_;
};

struct SubmitFileFlags {
  std::string file, errors;
  int parallel = 4;
};

// assess submit --file: one SubmitAssessment per row, on a few threads.
void SubmitFromFile(Globals& globals, Clients& clients,
                    const SubmitFileFlags& flags) {
  const auto input = OpenBulkInput(globals, flags.file, "--file", flags.errors,
                                   {"unit_id", "year"}, kSubmitColumns);
  if (input == nullptr) return;
  Progress progress("submitting", input->rows);
  // Stubs are made on first use; make them before the threads share them.
  (void)clients.scoring();
  (void)clients.registry();
  RowKeys keys("csv");
  UnitKinds kinds;
  SetCache sets;
  ErrorReport report;
  std::mutex mu;  // guards the counts
  int submitted = 0, late = 0;
  const BulkOutcome outcome = RunRows<SubmitRow>(
      input->reader, report, progress, flags.parallel,
      [&keys](CsvRow& row) { return SubmitRowFromCsv(row, keys); },
      [&](int, const SubmitRow& row) {
        const AnswerFlags& f = row.answers;
        rv1::UnitKind kind = rv1::UNIT_KIND_UNSPECIFIED;
        if (grpc::Status s = kinds.Get(clients, f.unit, &kind); !s.ok()) {
          return s;
        }
        sv1::CriteriaSet set;
        if (grpc::Status s = sets.Get(clients, kind, f.year, f.set, &set);
            !s.ok()) {
          return s;
        }
        sv1::SubmitAssessmentRequest request;
        sv1::Assessment* a = request.mutable_assessment();
        a->set_unit_id(f.unit);
        a->set_year(f.year);
        a->set_criteria_set_id(f.set);
        FillAnswers(f, set, a);  // its input was checked by SubmitRowFromCsv
        request.set_request_id(row.request_id);
        sv1::Assessment done;
        grpc::Status status = clients.scoring().SubmitAssessment(
            clients.Context().get(), request, &done);
        if (status.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          ++submitted;
          if (done.late()) ++late;
        }
        return status;
      });
  if (!outcome.fatal.ok()) {
    globals.exit_code = ReportError(outcome.fatal);
    std::cerr << "the submission stopped; running it again submits only the "
                 "rows not submitted yet\n";
  }
  if (globals.exit_code == kOk) globals.exit_code = outcome.RowsExitCode();
  if (outcome.fatal.ok()) {
    RowTally tally;
    tally.in_file = input->rows;
    tally.read = outcome.read;
    tally.accepted = submitted;
    tally.rejected = outcome.rejected;
    ReconcileRows(globals, "assess submit", tally, report);
  }
  const bool saved = SaveErrorReport(globals, report, input->report_path);
  std::cout << submitted << " submitted (" << late
            << " after the deadline, flagged late), " << outcome.rejected
            << " rows rejected";
  if (saved) std::cout << "; errors in " << input->report_path;
  std::cout << "\n";
}

std::string ClassName(int c) {
  return EnumName(sv1::Classification_descriptor(), "CLASSIFICATION_", c);
}

void PrintResult(const Globals& globals, const sv1::ScoreResult& r) {
  Table table({"SET", ValueColumn("ANTT-SAFE"), ValueColumn("POINTS"),
               ValueColumn("CLASS"), ValueColumn("PROVISIONAL")});
  table.AddRow({r.criteria_set_id(), r.meets_standard() ? "đạt" : "chưa đạt",
                absl::StrCat(r.total_points()), ClassName(r.classification()),
                r.provisional() ? "yes" : "no"});
  Print(globals, table, r);
  if (globals.output != "table" || r.failures().empty()) return;
  std::cout << "\nFailures:\n";
  Table failures({"ID", "TEXT", "REASON"});
  for (const auto& f : r.failures()) {
    const std::string text = TruncateToWidth(f.text(), 120);
    failures.AddRow({f.id(), text, f.reason()});
  }
  failures.PrintAligned(std::cout);
}

void PrintAssessments(const Globals& globals,
                      const std::vector<sv1::Assessment>& list,
                      const google::protobuf::Message& whole) {
  Table table({"ID", "UNIT", "NAME", ValueColumn("YEAR"), ValueColumn("STAGE"),
               ValueColumn("CLASS"), ValueColumn("POINTS"),
               ValueColumn("LATE")});
  for (const auto& a : list) {
    table.AddRow({a.id(), a.unit_id(), a.unit().name(), absl::StrCat(a.year()),
                  EnumName(sv1::Stage_descriptor(), "STAGE_", a.stage()),
                  ClassName(a.result().classification()),
                  absl::StrCat(a.result().total_points()),
                  a.late() ? "late" : ""});
  }
  Print(globals, table, whole);
}

void AddCriteriaCommands(CLI::App& app, Globals& globals, Clients& clients) {
  CLI::App* criteria =
      app.add_subcommand("criteria", "Criteria sets (rules as data)");
  criteria->require_subcommand(1);
  struct Flags {
    std::string kind, id;
    int year = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* list = criteria->add_subcommand("list", "List criteria sets");
  list->add_option("--kind", flags->kind, "agency | enterprise | education");
  list->add_option("--year", flags->year);
  list->callback([&globals, &clients, flags] {
    sv1::ListCriteriaSetsRequest request;
    if (!flags->kind.empty()) {
      request.set_kind(RequireEnum<rv1::UnitKind>(
          rv1::UnitKind_descriptor(), "UNIT_KIND_", flags->kind, "--kind"));
    }
    request.set_year(flags->year);
    sv1::ListCriteriaSetsResponse response;
    if (!Run(globals, [&] {
          return clients.scoring().ListCriteriaSets(clients.Context().get(),
                                                    request, &response);
        })) {
      return;
    }
    Table table({"ID", ValueColumn("YEARS"), ValueColumn("CONDITIONS"),
                 ValueColumn("EVENTS"), ValueColumn("ITEMS"),
                 ValueColumn("PROVISIONAL"), "TITLE"});
    for (const auto& s : response.criteria_sets()) {
      table.AddRow(
          {s.id(),
           absl::StrCat(s.first_year(), "–",
                        s.last_year() == 0 ? "" : absl::StrCat(s.last_year())),
           absl::StrCat(s.conditions_size()),
           absl::StrCat(s.disqualifying_events_size()),
           absl::StrCat(s.points_items_size()), s.provisional() ? "yes" : "no",
           s.title()});
    }
    Print(globals, table, response);
  });
  CLI::App* get = criteria->add_subcommand("get", "Show a criteria set (JSON)");
  get->add_option("id", flags->id)->required();
  get->callback([&globals, &clients, flags] {
    sv1::GetCriteriaSetRequest request;
    request.set_id(flags->id);
    sv1::CriteriaSet set;
    if (Run(globals, [&] {
          return clients.scoring().GetCriteriaSet(clients.Context().get(),
                                                  request, &set);
        })) {
      std::cout << ToJson(set) << "\n";
    }
  });
}

// assess score: a dry run, stores nothing.
void AddAssessScore(CLI::App* assess, Globals& globals, Clients& clients) {
  auto score_flags = std::make_shared<AnswerFlags>();
  CLI::App* score =
      assess->add_subcommand("score", "Score answers (a dry run)");
  score->add_option("--kind", score_flags->kind,
                    "agency | enterprise | education");
  score->add_option("--unit", score_flags->unit, "Unit id (its kind is used)");
  AddAnswerFlags(score, score_flags.get());
  score->callback([&globals, &clients, score_flags] {
    const AnswerFlags& f = *score_flags;
    if (f.year == 0) throw CLI::ValidationError("--year", "is required");
    sv1::ScoreRequest request;
    rv1::UnitKind kind = rv1::UNIT_KIND_UNSPECIFIED;
    if (!f.unit.empty()) {
      rv1::GetUnitRequest get;
      get.set_id(f.unit);
      rv1::Unit unit;
      if (!Run(globals, [&] {
            return clients.registry().GetUnit(clients.Context().get(), get,
                                              &unit);
          })) {
        return;
      }
      kind = unit.kind();
      request.set_unit_id(f.unit);
    } else if (!f.kind.empty()) {
      kind = RequireEnum<rv1::UnitKind>(rv1::UnitKind_descriptor(),
                                        "UNIT_KIND_", f.kind, "--kind");
      request.set_unit_kind(kind);
    } else {
      throw CLI::ValidationError("--kind", "give --kind or --unit");
    }
    sv1::CriteriaSet set;
    if (!FetchSet(globals, clients, kind, f.year, f.set, &set)) return;
    sv1::Assessment answers;
    FillAnswers(f, set, &answers);
    request.set_year(f.year);
    request.set_criteria_set_id(f.set);
    *request.mutable_conditions() = answers.conditions();
    *request.mutable_events() = answers.events();
    *request.mutable_points() = answers.points();
    sv1::ScoreResult result;
    if (Run(globals, [&] {
          return clients.scoring().Score(clients.Context().get(), request,
                                         &result);
        })) {
      PrintResult(globals, result);
    }
  });
}

// assess submit: one self-assessment from flags, or a CSV file of them.
void AddAssessSubmit(CLI::App* assess, Globals& globals, Clients& clients) {
  struct SubmitFlags {
    AnswerFlags answers;
    std::string request_id, etag;
    SubmitFileFlags bulk;
  };
  auto submit_flags = std::make_shared<SubmitFlags>();
  CLI::App* submit = assess->add_subcommand(
      "submit", "Submit a unit's self-assessment, or a CSV file of them");
  submit->add_option("--unit", submit_flags->answers.unit, "Unit id");
  AddAnswerFlags(submit, &submit_flags->answers);
  auto* file = submit->add_option(
      "--file", submit_flags->bulk.file,
      "CSV: unit_id,year[,criteria_set_id,points_total,points,not_met,"
      "events,request_id]; lists separated by ';'");
  submit->add_option("--errors", submit_flags->bulk.errors,
                     "Error report CSV (default FILE.errors.csv)");
  submit
      ->add_option("--parallel", submit_flags->bulk.parallel,
                   "Calls in flight with --file")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  file->excludes(submit->get_option("--unit"));
  submit->add_option(
      "--request-id", submit_flags->request_id,
      "Idempotency key: a retry with the same key submits nothing");
  submit->add_option(
      "--etag", submit_flags->etag,
      "For a resubmission: fail if it changed since this version");
  submit->callback([&globals, &clients, submit_flags] {
    if (!submit_flags->bulk.file.empty()) {
      SubmitFromFile(globals, clients, submit_flags->bulk);
      return;
    }
    const AnswerFlags& f = submit_flags->answers;
    if (f.unit.empty() || f.year == 0) {
      throw CLI::ValidationError("--unit", "give --unit and --year, or --file");
    }
    rv1::GetUnitRequest get;
    get.set_id(f.unit);
    rv1::Unit unit;
    if (!Run(globals, [&] {
          return clients.registry().GetUnit(clients.Context().get(), get,
                                            &unit);
        })) {
      return;
    }
    sv1::CriteriaSet set;
    if (!FetchSet(globals, clients, unit.kind(), f.year, f.set, &set)) return;
    sv1::SubmitAssessmentRequest request;
    sv1::Assessment* a = request.mutable_assessment();
    a->set_unit_id(f.unit);
    a->set_year(f.year);
    a->set_criteria_set_id(f.set);
    a->set_etag(submit_flags->etag);
    FillAnswers(f, set, a);
    request.set_request_id(submit_flags->request_id);
    sv1::Assessment submitted;
    if (Run(globals, [&] {
          return clients.scoring().SubmitAssessment(clients.Context().get(),
                                                    request, &submitted);
        })) {
      PrintAssessments(globals, {submitted}, submitted);
    }
  });
}

// assess review: one assessment, or every submitted one of a year.
void AddAssessReview(CLI::App* assess, Globals& globals, Clients& clients) {
  struct ReviewFlags {
    std::string id, note, etag, area, edition;
    int year = 0, parallel = 4;
    bool approve = false, send_back = false;
  };
  auto review_flags = std::make_shared<ReviewFlags>();
  CLI::App* review = assess->add_subcommand(
      "review", "Police review: approve or return (one, or every submitted)");
  review->add_option("id", review_flags->id, "Assessment id");
  auto* approve = review->add_flag("--approve", review_flags->approve);
  auto* send_back = review->add_flag("--return", review_flags->send_back,
                                     "Send back to the unit (needs --note)");
  approve->excludes(send_back);
  review->add_option("--note", review_flags->note);
  review->add_option("--etag", review_flags->etag);
  review->add_option(
      "--year", review_flags->year,
      "Instead of an id: every submitted assessment of the year");
  review->add_option("--area", review_flags->area, "With --year: area code");
  review->add_option("--edition", review_flags->edition,
                     "With --area: 2026-07 (default) or 2025-06");
  review->add_option("--parallel", review_flags->parallel)
      ->capture_default_str();
  review->callback([&globals, &clients, review_flags] {
    const ReviewFlags& f = *review_flags;
    if (f.approve == f.send_back) {
      throw CLI::ValidationError("--approve", "give --approve or --return");
    }
    if (f.id.empty() == (f.year == 0)) {
      throw CLI::ValidationError("id", "give an assessment id or --year");
    }
    sv1::ReviewAssessmentRequest request;
    request.set_approve(f.approve);
    request.set_note(f.note);
    if (!f.id.empty()) {
      request.set_id(f.id);
      request.set_etag(f.etag);
      sv1::Assessment reviewed;
      if (Run(globals, [&] {
            return clients.scoring().ReviewAssessment(clients.Context().get(),
                                                      request, &reviewed);
          })) {
        PrintAssessments(globals, {reviewed}, reviewed);
      }
      return;
    }
    sv1::ListAssessmentsRequest list;
    list.set_year(f.year);
    list.set_area_code(f.area);
    list.set_edition(f.edition);
    list.set_stage(sv1::STAGE_SUBMITTED);
    std::vector<sv1::Assessment> submitted;
    if (!ListAllAssessments(globals, clients, list, &submitted)) return;
    Progress progress("reviewing", static_cast<int64_t>(submitted.size()));
    // Counted as they end: a run stopped by an error leaves some never tried.
    std::atomic<int> reviewed_count{0};
    const int code = RunEach(
        submitted.size(), f.parallel, progress,
        [&](size_t i) { return submitted[i].id(); },
        [&](size_t i) {
          sv1::ReviewAssessmentRequest one = request;
          one.set_id(submitted[i].id());
          // The version listed: a change since then is refused (ABORTED).
          one.set_etag(submitted[i].etag());
          sv1::Assessment reviewed;
          grpc::Status status = clients.scoring().ReviewAssessment(
              clients.Context().get(), one, &reviewed);
          if (status.ok()) ++reviewed_count;
          return status;
        });
    std::cout << reviewed_count << " of " << submitted.size()
              << " submitted assessments "
              << (f.approve ? "approved" : "returned") << "\n";
    if (code != kOk) globals.exit_code = code;
  });
}

// assess recognize: listed ids, or every reviewed assessment of a year
// (and area) whose result the decision is about.
void AddAssessRecognize(CLI::App* assess, Globals& globals, Clients& clients) {
  struct RecognizeFlags {
    std::vector<std::string> ids;
    std::string decision, date, authority, area, edition;
    int year = 0;
    bool refuse = false;
  };
  auto recognize_flags = std::make_shared<RecognizeFlags>();
  CLI::App* recognize = assess->add_subcommand(
      "recognize", "One decision recognising many assessments (all or none)");
  recognize->add_option("ids", recognize_flags->ids, "Assessment ids");
  recognize
      ->add_option("--decision", recognize_flags->decision,
                   "Decision number, e.g. 123/QĐ-UBND")
      ->required();
  recognize
      ->add_option("--date", recognize_flags->date, "Decision date YYYY-MM-DD")
      ->required();
  recognize
      ->add_option("--authority", recognize_flags->authority,
                   "e.g. UBND tỉnh Quảng Trị")
      ->required();
  recognize->add_flag("--not-recognized", recognize_flags->refuse,
                      "The decision refuses recognition");
  recognize->add_option(
      "--year", recognize_flags->year,
      "Instead of ids: the year's reviewed assessments that meet the standard "
      "(with --not-recognized: those that do not)");
  recognize->add_option("--area", recognize_flags->area,
                        "With --year: area code");
  recognize->add_option("--edition", recognize_flags->edition,
                        "With --area: 2026-07 (default) or 2025-06");
  recognize->callback([&globals, &clients, recognize_flags] {
    const RecognizeFlags& f = *recognize_flags;
    if (f.ids.empty() == (f.year == 0)) {
      throw CLI::ValidationError("ids", "give assessment ids or --year");
    }
    sv1::RecognizeAssessmentsRequest request;
    for (const auto& id : f.ids) request.add_assessment_ids(id);
    request.set_recognized(!f.refuse);
    request.set_decision_number(f.decision);
    *request.mutable_decision_date() = RequireDate(f.date, "--date");
    request.set_authority(f.authority);
    if (f.year != 0) {
      sv1::ListAssessmentsRequest list;
      list.set_year(f.year);
      list.set_area_code(f.area);
      list.set_edition(f.edition);
      list.set_stage(sv1::STAGE_REVIEWED);
      std::vector<sv1::Assessment> reviewed;
      if (!ListAllAssessments(globals, clients, list, &reviewed)) return;
      for (const sv1::Assessment& a : reviewed) {
        if (a.result().meets_standard() != f.refuse) {
          request.add_assessment_ids(a.id());
        }
      }
      if (request.assessment_ids().empty()) {
        std::cout << "no reviewed assessment of " << f.year
                  << (f.area.empty() ? "" : " in area " + f.area) << " "
                  << (f.refuse ? "fails" : "meets") << " the standard\n";
        return;
      }
    }
    sv1::RecognizeAssessmentsResponse response;
    if (!Run(globals, [&] {
          return clients.scoring().RecognizeAssessments(clients.Context().get(),
                                                        request, &response);
        })) {
      return;
    }
    if (f.year != 0 && globals.output == "table") {
      std::cout << "decision " << f.decision << ": "
                << response.assessments_size()
                << (response.assessments_size() == 1 ? " assessment"
                                                     : " assessments")
                << " of " << f.year
                << (f.area.empty() ? "" : " in area " + f.area) << " "
                << (f.refuse ? "not recognised" : "recognised") << "\n";
      return;
    }
    PrintAssessments(
        globals,
        std::vector<sv1::Assessment>(response.assessments().begin(),
                                     response.assessments().end()),
        response);
  });
}

// assess list
void AddAssessList(CLI::App* assess, Globals& globals, Clients& clients) {
  struct ListFlags {
    std::string unit, area, edition, stage, classification;
    int year = 0, page_size = 100;
    bool all = false;
  };
  auto list_flags = std::make_shared<ListFlags>();
  CLI::App* list = assess->add_subcommand("list", "List assessments");
  list->add_option("--unit", list_flags->unit);
  list->add_option("--year", list_flags->year);
  list->add_option("--area", list_flags->area, "Area code at any level");
  list->add_option("--edition", list_flags->edition,
                   "2026-07 (default) or 2025-06");
  list->add_option(
      "--stage", list_flags->stage,
      "submitted | reviewed | returned | recognized | not-recognized");
  list->add_option("--class", list_flags->classification,
                   "excellent | good | average | weak");
  list->add_option("--page-size", list_flags->page_size)->capture_default_str();
  list->add_flag("--all", list_flags->all, "Fetch every page");
  list->callback([&globals, &clients, list_flags] {
    sv1::ListAssessmentsRequest request;
    request.set_unit_id(list_flags->unit);
    request.set_year(list_flags->year);
    request.set_area_code(list_flags->area);
    request.set_edition(list_flags->edition);
    request.set_page_size(list_flags->page_size);
    if (!list_flags->stage.empty()) {
      request.set_stage(RequireEnum<sv1::Stage>(
          sv1::Stage_descriptor(), "STAGE_", list_flags->stage, "--stage"));
    }
    if (!list_flags->classification.empty()) {
      request.set_classification(RequireEnum<sv1::Classification>(
          sv1::Classification_descriptor(), "CLASSIFICATION_",
          list_flags->classification, "--class"));
    }
    sv1::ListAssessmentsResponse all;
    while (true) {
      sv1::ListAssessmentsResponse page;
      if (!Run(globals, [&] {
            return clients.scoring().ListAssessments(clients.Context().get(),
                                                     request, &page);
          })) {
        return;
      }
      for (auto& a : *page.mutable_assessments())
        *all.add_assessments() = std::move(a);
      all.set_total_size(page.total_size());
      all.set_next_page_token(page.next_page_token());
      if (!list_flags->all || page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    PrintAssessments(globals,
                     std::vector<sv1::Assessment>(all.assessments().begin(),
                                                  all.assessments().end()),
                     all);
    if (globals.output == "table") {
      std::cout << all.assessments_size() << " of " << all.total_size()
                << " assessments\n";
    }
  });
}

// assess history
void AddAssessHistory(CLI::App* assess, Globals& globals, Clients& clients) {
  struct HistoryFlags {
    std::string unit;
    int up_to = 0;
  };
  auto history_flags = std::make_shared<HistoryFlags>();
  CLI::App* history =
      assess->add_subcommand("history", "Every year of one unit");
  history->add_option("unit", history_flags->unit)->required();
  history->add_option("--up-to", history_flags->up_to, "Last year counted");
  history->callback([&globals, &clients, history_flags] {
    sv1::GetUnitHistoryRequest request;
    request.set_unit_id(history_flags->unit);
    request.set_up_to_year(history_flags->up_to);
    sv1::GetUnitHistoryResponse response;
    if (!Run(globals, [&] {
          return clients.scoring().GetUnitHistory(clients.Context().get(),
                                                  request, &response);
        })) {
      return;
    }
    Table table({ValueColumn("YEAR"), ValueColumn("STAGE"),
                 ValueColumn("ANTT-SAFE"), ValueColumn("CLASS"),
                 ValueColumn("POINTS"), "ASSESSMENT"});
    for (const auto& y : response.years()) {
      table.AddRow({absl::StrCat(y.year()),
                    EnumName(sv1::Stage_descriptor(), "STAGE_", y.stage()),
                    y.meets_standard() ? "đạt" : "chưa đạt",
                    ClassName(y.classification()),
                    absl::StrCat(y.total_points()), y.assessment_id()});
    }
    Print(globals, table, response);
    if (globals.output == "table") {
      std::cout << "consecutive recognised years: "
                << response.consecutive_recognized_years() << "\n";
    }
  });
}

void AddAssessCommands(CLI::App& app, Globals& globals, Clients& clients) {
  CLI::App* assess = app.add_subcommand("assess", "Yearly ANTT assessments");
  assess->require_subcommand(1);
  AddAssessScore(assess, globals, clients);
  AddAssessSubmit(assess, globals, clients);
  AddAssessReview(assess, globals, clients);
  AddAssessRecognize(assess, globals, clients);
  AddAssessList(assess, globals, clients);
  AddAssessHistory(assess, globals, clients);
}

void AddStatsCommand(CLI::App& app, Globals& globals, Clients& clients) {
  struct Flags {
    int from = 0, to = 0;
    std::string area, edition, kind, by = "year";
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* stats = app.add_subcommand(
      "stats", "Units recognised ANTT-safe: rate against the target, classes");
  stats->add_option("--from", flags->from, "First year")->required();
  stats->add_option("--to", flags->to, "Last year")->required();
  stats->add_option("--area", flags->area, "Area code (default: the country)");
  stats->add_option("--edition", flags->edition,
                    "2026-07 (default) or 2025-06");
  stats->add_option("--kind", flags->kind, "agency | enterprise | education");
  stats->add_option("--by", flags->by, "year | kind | child-area")
      ->check(CLI::IsMember({"year", "kind", "child-area"}))
      ->capture_default_str();
  stats->callback([&globals, &clients, flags] {
    sv1::GetSafetyStatsRequest request;
    request.set_first_year(flags->from);
    request.set_last_year(flags->to);
    request.set_area_code(flags->area);
    request.set_edition(flags->edition);
    if (!flags->kind.empty()) {
      request.set_kind(RequireEnum<rv1::UnitKind>(
          rv1::UnitKind_descriptor(), "UNIT_KIND_", flags->kind, "--kind"));
    }
    request.set_group_by(RequireEnum<sv1::GroupBy>(
        sv1::GroupBy_descriptor(), "GROUP_BY_", flags->by, "--by"));
    sv1::GetSafetyStatsResponse response;
    if (!Run(globals, [&] {
          return clients.scoring().GetSafetyStats(clients.Context().get(),
                                                  request, &response);
        })) {
      return;
    }
    Table table({"GROUP", ValueColumn("YEAR"), ValueColumn("IN SCOPE"),
                 ValueColumn("ASSESSED"), ValueColumn("RECOGNISED"),
                 ValueColumn("RATE"), ValueColumn("XUẤT SẮC"),
                 ValueColumn("KHÁ"), ValueColumn("TRUNG BÌNH"),
                 ValueColumn("YẾU"), ValueColumn("> TARGET")});
    for (const auto& row : response.rows()) {
      table.AddRow({row.group_name(), absl::StrCat(row.year()),
                    absl::StrCat(row.in_scope()), absl::StrCat(row.assessed()),
                    absl::StrCat(row.recognized()),
                    absl::StrFormat("%.1f %%", row.rate() * 100),
                    absl::StrCat(row.excellent()), absl::StrCat(row.good()),
                    absl::StrCat(row.average()), absl::StrCat(row.weak()),
                    row.meets_target() ? "yes" : "no"});
    }
    Print(globals, table, response);
    if (globals.output == "table") {
      std::cout << absl::StrFormat("target: more than %.0f %% recognised\n",
                                   response.target_rate() * 100);
    }
  });
}

}  // namespace

void AddScoringCommands(CLI::App& app, Globals& globals, Clients& clients) {
  AddCriteriaCommands(app, globals, clients);
  AddAssessCommands(app, globals, clients);
  AddStatsCommand(app, globals, clients);
}

}  // namespace antt::cli
