#include "cli/awards_commands.h"

#include <atomic>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/bulk.h"
#include "cli/csv.h"
#include "cli/progress.h"
#include "cli/table.h"

namespace antt::cli {
namespace {

namespace av1 = ::antt::awards::v1;

std::string StageName(int stage) {
  return EnumName(av1::NominationStage_descriptor(), "NOMINATION_STAGE_",
                  stage);
}

std::string FailedRules(const av1::Nomination& n) {
  std::vector<std::string> failed;
  for (const auto& r : n.eligibility()) {
    if (!r.passed()) failed.push_back(absl::StrCat(r.rule(), ": ", r.detail()));
  }
  return absl::StrJoin(failed, "; ");
}

void PrintNominations(const Globals& globals,
                      const std::vector<av1::Nomination>& list,
                      const google::protobuf::Message& whole) {
  Table table({"ID", "TYPE", "RECIPIENT", "NAME", ValueColumn("STAGE"),
               ValueColumn("ELIGIBLE"), "WHY NOT"});
  for (const auto& n : list) {
    table.AddRow({n.id(), n.award_type(),
                  n.person_id().empty() ? n.unit_id() : n.person_id(),
                  n.recipient_name(), StageName(n.stage()),
                  n.eligible() ? "yes" : "no", FailedRules(n)});
  }
  Print(globals, table, whole);
}

template <typename Call>
void ShowNomination(Globals& globals, Call&& call) {
  av1::Nomination n;
  if (Run(globals, [&] { return call(&n); })) PrintNominations(globals, {n}, n);
}

// Every nomination `request` matches, all pages; false after reporting a
// failure.
bool ListAllNominations(Globals& globals, Clients& clients,
                        av1::ListNominationsRequest request,
                        av1::ListNominationsResponse* all) {
  request.set_page_size(1000);
  while (true) {
    av1::ListNominationsResponse page;
    if (!Run(globals, [&] {
          return clients.awards().ListNominations(clients.Context().get(),
                                                  request, &page);
        })) {
      return false;
    }
    for (auto& n : *page.mutable_nominations())
      *all->add_nominations() = std::move(n);
    all->set_total_size(page.total_size());
    if (page.next_page_token().empty()) return true;
    request.set_page_token(page.next_page_token());
  }
}

// approve --eligible / reject --ineligible: every PROPOSED nomination of a
// campaign (of one type, when given) whose eligibility is `eligible`, moved
// by `move` on a few threads; a line per failure, a summary.
void MoveProposed(
    Globals& globals, Clients& clients, const std::string& campaign,
    const std::string& type, bool eligible, const char* verb, const char* done,
    const std::function<grpc::Status(const av1::Nomination&)>& move) {
  av1::ListNominationsRequest list;
  list.set_campaign_id(campaign);
  list.set_award_type(type);
  list.set_stage(av1::NOMINATION_STAGE_PROPOSED);
  av1::ListNominationsResponse proposed;
  if (!ListAllNominations(globals, clients, list, &proposed)) return;
  std::vector<const av1::Nomination*> chosen;
  for (const auto& n : proposed.nominations()) {
    if (n.eligible() == eligible) chosen.push_back(&n);
  }
  Progress progress(absl::StrCat("awards ", verb),
                    static_cast<int64_t>(chosen.size()));
  // Counted as they end: a run stopped by an error leaves some never tried.
  std::atomic<int> moved{0};
  std::atomic<int> failed{0};
  const int code = RunEach(
      chosen.size(), 4, progress, [&](size_t i) { return chosen[i]->id(); },
      [&](size_t i) {
        grpc::Status status = move(*chosen[i]);
        if (status.ok()) {
          ++moved;
        } else {
          ++failed;
        }
        return status;
      });
  std::cout << moved << " " << (eligible ? "eligible" : "ineligible")
            << " nominations " << done << ", " << failed << " failed";
  const size_t untried = chosen.size() - static_cast<size_t>(moved + failed);
  if (untried > 0) std::cout << ", " << untried << " not tried";
  std::cout << "\n";
  if (code != kOk) globals.exit_code = code;
}

void AddCampaignCommands(CLI::App* awards, Globals& globals, Clients& clients) {
  CLI::App* campaign = awards->add_subcommand("campaign", "Award campaigns");
  campaign->require_subcommand(1);
  struct Flags {
    std::string title, deadline, request_id, id;
    int from = 0, to = 0;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* create = campaign->add_subcommand("create", "Open a campaign");
  create->add_option("--title", f->title)->required();
  create->add_option("--from", f->from, "First year of the period")->required();
  create->add_option("--to", f->to, "Last year of the period")->required();
  create->add_option("--deadline", f->deadline, "Nominations due, YYYY-MM-DD")
      ->required();
  create->add_option("--request-id", f->request_id);
  create->callback([&globals, &clients, f] {
    av1::CreateCampaignRequest request;
    av1::Campaign* c = request.mutable_campaign();
    c->set_title(f->title);
    c->set_first_year(f->from);
    c->set_last_year(f->to);
    *c->mutable_nomination_deadline() = RequireDate(f->deadline, "--deadline");
    request.set_request_id(f->request_id);
    av1::Campaign created;
    if (Run(globals, [&] {
          return clients.awards().CreateCampaign(clients.Context().get(),
                                                 request, &created);
        })) {
      Table table({"ID", "TITLE", ValueColumn("PERIOD"),
                   ValueColumn("DEADLINE"), ValueColumn("STATUS")});
      table.AddRow(
          {created.id(), created.title(),
           absl::StrCat(created.first_year(), "–", created.last_year()),
           FormatDate(created.nomination_deadline()), "open"});
      Print(globals, table, created);
    }
  });
  CLI::App* list = campaign->add_subcommand("list", "List campaigns");
  list->callback([&globals, &clients] {
    av1::ListCampaignsRequest request;
    request.set_page_size(1000);
    av1::ListCampaignsResponse response;
    if (!Run(globals, [&] {
          return clients.awards().ListCampaigns(clients.Context().get(),
                                                request, &response);
        })) {
      return;
    }
    Table table({"ID", "TITLE", ValueColumn("PERIOD"), ValueColumn("DEADLINE"),
                 ValueColumn("STATUS")});
    for (const auto& c : response.campaigns()) {
      table.AddRow({c.id(), c.title(),
                    absl::StrCat(c.first_year(), "–", c.last_year()),
                    FormatDate(c.nomination_deadline()),
                    EnumName(av1::CampaignStatus_descriptor(),
                             "CAMPAIGN_STATUS_", c.status())});
    }
    Print(globals, table, response);
  });
  CLI::App* close = campaign->add_subcommand("close", "Close a campaign");
  close->add_option("id", f->id)->required();
  close->callback([&globals, &clients, f] {
    av1::CloseCampaignRequest request;
    request.set_id(f->id);
    av1::Campaign closed;
    if (Run(globals, [&] {
          return clients.awards().CloseCampaign(clients.Context().get(),
                                                request, &closed);
        })) {
      std::cout << closed.id() << " closed\n";
    }
  });
}

// ---- nominations from CSV

const std::vector<CsvColumn>& NominationColumns() {
  static const auto* columns = new std::vector<CsvColumn>{
      "award_type", "unit_id", "person_id", "achievements"};
  return *columns;
}

// The nomination a CSV row proposes in `campaign`; bad cells in row.errors().
av1::Nomination NominationFromCsv(const std::string& campaign, CsvRow& row) {
  av1::Nomination n;
  n.set_campaign_id(campaign);
  n.set_award_type(
      std::string(absl::StripAsciiWhitespace(row.Text("award_type"))));
  if (n.award_type().empty()) row.Fail("award_type", "is required");
  const std::string unit(absl::StripAsciiWhitespace(row.Text("unit_id")));
  const std::string person(absl::StripAsciiWhitespace(row.Text("person_id")));
  if (!unit.empty() && !person.empty()) {
    row.Fail("person_id", "give unit_id or person_id, not both");
  } else if (!person.empty()) {
    n.set_person_id(person);
  } else if (!unit.empty()) {
    n.set_unit_id(unit);
  } else {
    row.Fail("unit_id", "give unit_id (a collective) or person_id");
  }
  n.set_achievements(row.Text("achievements"));
  return n;
}

struct NominatedRow {
  int row = 0;
  av1::Nomination nomination;
};

// Rows on their way to one BatchNominate call, and what came back.
struct NominationBatches {
  static constexpr int kSize = 500;  // BatchNominate takes at most 500

  std::vector<int> rows;  // file row of each nomination in `request`
  av1::BatchNominateRequest request;
  std::vector<NominatedRow> created;
  ErrorReport report;
  int read = 0;  // rows taken from the file
  int rejected = 0;
};

// Sends the pending batch and records its outcome: the created nominations
// come back in request order, skipping the indexes of `errors`.
grpc::Status SendBatch(Clients& clients, NominationBatches& b,
                       Progress& progress) {
  if (b.rows.empty()) return grpc::Status::OK;
  av1::BatchNominateResponse response;
  const grpc::Status status = clients.awards().BatchNominate(
      clients.StreamContext(b.rows.size()).get(), b.request, &response);
  if (!status.ok()) return status;
  std::vector<bool> failed(b.rows.size(), false);
  for (const av1::BatchError& e : response.errors()) {
    const bool known =
        e.index() >= 0 && e.index() < static_cast<int>(b.rows.size());
    if (known) failed[e.index()] = true;
    b.report.Add(known ? b.rows[e.index()] : 0, "", e.message());
    ++b.rejected;
  }
  size_t next = 0;
  for (const av1::Nomination& n : response.nominations()) {
    while (next < failed.size() && failed[next]) ++next;
    b.created.push_back({next < b.rows.size() ? b.rows[next] : 0, n});
    ++next;
  }
  progress.Add(response.nominations_size(), response.errors_size());
  b.rows.clear();
  b.request.Clear();
  return grpc::Status::OK;
}

// Reads the rows of `reader` and sends them in batches; stops at a call that
// fails and returns its status (its batch is left in `b`).
grpc::Status SendNominations(Clients& clients, const std::string& campaign,
                             CsvReader& reader, int64_t total,
                             NominationBatches& b) {
  Progress progress("awards nominate", total);
  const auto convert = [&campaign](CsvRow& row) {
    return NominationFromCsv(campaign, row);
  };
  int row = 0;
  std::optional<av1::Nomination> nomination;
  while (NextCsvRow(reader, b.report, convert, &row, &nomination)) {
    ++b.read;
    if (!nomination) {
      ++b.rejected;
      progress.Add(0, 1);
      continue;
    }
    b.rows.push_back(row);
    *b.request.add_nominations() = std::move(*nomination);
    if (b.rows.size() == NominationBatches::kSize) {
      if (grpc::Status s = SendBatch(clients, b, progress); !s.ok()) return s;
    }
  }
  return SendBatch(clients, b, progress);
}

// One line per created nomination, row,id,award_type,recipient,eligible, so
// a script can approve the eligible ones; or a JSON array.
void PrintNominatedRows(const Globals& globals,
                        const std::vector<NominatedRow>& created) {
  if (globals.output == "json") {
    std::vector<std::string> items;
    for (const NominatedRow& c : created) {
      items.push_back(absl::StrCat("{\"row\": ", c.row, ", \"nomination\": ",
                                   ToJson(c.nomination), "}"));
    }
    std::cout << "[" << absl::StrJoin(items, ",\n") << "]\n";
    return;
  }
  Table table({ValueColumn("row"), "id", "award_type", "recipient",
               ValueColumn("eligible")});
  for (const NominatedRow& c : created) {
    const av1::Nomination& n = c.nomination;
    table.AddRow({absl::StrCat(c.row), n.id(), n.award_type(),
                  n.person_id().empty() ? n.unit_id() : n.person_id(),
                  BoolName(n.eligible())});
  }
  if (globals.output == "csv") {
    table.PrintCsv(std::cout);
  } else {
    table.PrintAligned(std::cout);
  }
}

// A CSV of nominations (award_type,unit_id,person_id,achievements), read as
// it goes and sent in batches of 500. A bad row is reported with its row and
// column and the rest go on.
void NominateFromFile(Globals& globals, Clients& clients,
                      const std::string& campaign, const std::string& path,
                      const std::string& errors_flag) {
  const auto input = OpenBulkInput(globals, path, "--file", errors_flag,
                                   {"award_type"}, NominationColumns());
  if (input == nullptr) return;
  CsvReader& reader = input->reader;
  const std::string& report_path = input->report_path;
  if (reader.Column("unit_id") < 0 && reader.Column("person_id") < 0) {
    RefuseInputFile(
        globals, path, report_path,
        absl::InvalidArgumentError(
            "header: missing column unit_id or person_id (one is needed)"));
    return;
  }
  const int64_t total = input->rows;
  NominationBatches b;
  const grpc::Status status =
      SendNominations(clients, campaign, reader, total, b);
  if (!status.ok()) {
    globals.exit_code = ReportError(status);
    b.report.Add(0, "",
                 absl::StrCat("stopped before row ", b.rows.front(), ": ",
                              status.error_message()));
  }
  if (b.rejected > 0 && globals.exit_code == kOk) globals.exit_code = kRejected;
  if (status.ok()) {
    RowTally tally;
    tally.in_file = total;
    tally.read = b.read;
    tally.accepted = static_cast<int64_t>(b.created.size());
    tally.rejected = b.rejected;
    ReconcileRows(globals, "awards nominate", tally, b.report);
  }
  const bool saved = SaveErrorReport(globals, b.report, report_path);
  PrintNominatedRows(globals, b.created);
  int eligible = 0;
  for (const NominatedRow& c : b.created) eligible += c.nomination.eligible();
  std::cerr << "awards nominate: " << b.created.size() << " nominated ("
            << eligible << " eligible), " << b.rejected << " rejected";
  if (saved) std::cerr << "; errors in " << report_path;
  std::cerr << "\n";
}

void AddNominationCommands(CLI::App* awards, Globals& globals,
                           Clients& clients) {
  struct Flags {
    std::string campaign, type, unit, person, achievements, file, errors, id,
        reason, justification, etag;
    bool all = false;  // approve --eligible, reject --ineligible
  };
  auto f = std::make_shared<Flags>();
  CLI::App* nominate =
      awards->add_subcommand("nominate", "Propose a unit or person");
  nominate->add_option("--campaign", f->campaign)->required();
  nominate->add_option("--type", f->type,
                       "KNC_ANTQ | BK_BCA | BK_UBND_TINH | GK_CAT");
  nominate->add_option("--unit", f->unit);
  nominate->add_option("--person", f->person);
  nominate->add_option("--achievements", f->achievements);
  nominate->add_option("--file", f->file,
                       "CSV: award_type,unit_id,person_id,achievements; "
                       "prints row,id,award_type,recipient,eligible per "
                       "nomination");
  nominate->add_option("--errors", f->errors,
                       "With --file: error report CSV (default "
                       "FILE.errors.csv)");
  nominate->callback([&globals, &clients, f] {
    if (!f->file.empty()) {
      NominateFromFile(globals, clients, f->campaign, f->file, f->errors);
      return;
    }
    av1::NominateRequest request;
    av1::Nomination* n = request.mutable_nomination();
    n->set_campaign_id(f->campaign);
    n->set_award_type(f->type);
    if (!f->person.empty()) {
      n->set_person_id(f->person);
    } else if (!f->unit.empty()) {
      n->set_unit_id(f->unit);
    }
    n->set_achievements(f->achievements);
    ShowNomination(globals, [&](av1::Nomination* out) {
      return clients.awards().Nominate(clients.Context().get(), request, out);
    });
  });

  CLI::App* check =
      awards->add_subcommand("check", "Eligibility, rule by rule");
  check->add_option("id", f->id)->required();
  check->callback([&globals, &clients, f] {
    av1::CheckEligibilityRequest request;
    request.set_nomination_id(f->id);
    av1::CheckEligibilityResponse response;
    if (!Run(globals, [&] {
          return clients.awards().CheckEligibility(clients.Context().get(),
                                                   request, &response);
        })) {
      return;
    }
    Table table({"RULE", ValueColumn("PASSED"), "DETAIL"});
    for (const auto& r : response.eligibility()) {
      table.AddRow({r.rule(), r.passed() ? "yes" : "NO", r.detail()});
    }
    Print(globals, table, response);
  });

  CLI::App* approve = awards->add_subcommand(
      "approve", "Approve a nomination, or every eligible one of a campaign");
  approve->add_option("id", f->id);
  approve->add_option("--justification", f->justification,
                      "Required to approve an ineligible nomination");
  approve->add_option("--etag", f->etag);
  approve->add_option("--campaign", f->campaign,
                      "With --eligible: the campaign");
  approve->add_option("--type", f->type, "With --eligible: one award type");
  approve->add_flag("--eligible", f->all,
                    "Every proposed nomination of --campaign found eligible");
  approve->callback([&globals, &clients, f] {
    if (f->all) {
      if (f->campaign.empty() || !f->id.empty()) {
        throw CLI::ValidationError("--eligible", "needs --campaign and no id");
      }
      MoveProposed(globals, clients, f->campaign, f->type, true, "approve",
                   "approved", [&](const av1::Nomination& n) {
                     av1::ApproveNominationRequest request;
                     request.set_id(n.id());
                     request.set_etag(n.etag());
                     av1::Nomination out;
                     return clients.awards().ApproveNomination(
                         clients.Context().get(), request, &out);
                   });
      return;
    }
    if (f->id.empty()) {
      throw CLI::ValidationError("id", "give a nomination id or --eligible");
    }
    av1::ApproveNominationRequest request;
    request.set_id(f->id);
    request.set_override_justification(f->justification);
    request.set_etag(f->etag);
    ShowNomination(globals, [&](av1::Nomination* out) {
      return clients.awards().ApproveNomination(clients.Context().get(),
                                                request, out);
    });
  });
  for (const char* verb : {"reject", "defer"}) {
    const bool reject = std::string(verb) == "reject";
    CLI::App* move = awards->add_subcommand(
        verb, reject ? "Reject a nomination, or every ineligible one"
                     : "Defer (discipline, complaint, inspection)");
    move->add_option("id", f->id, "Nomination id")->required(!reject);
    move->add_option("--reason", f->reason,
                     reject ? "Required, but for --ineligible (default: the "
                              "rules that failed)"
                            : "Required")
        ->required(!reject);
    move->add_option("--etag", f->etag);
    if (reject) {
      move->add_option("--campaign", f->campaign,
                       "With --ineligible: the campaign");
      move->add_option("--type", f->type, "With --ineligible: one award type");
      move->add_flag(
          "--ineligible", f->all,
          "Every proposed nomination of --campaign found ineligible");
    }
    move->callback([&globals, &clients, f, reject] {
      if (reject && f->all) {
        if (f->campaign.empty() || !f->id.empty()) {
          throw CLI::ValidationError("--ineligible",
                                     "needs --campaign and no id");
        }
        MoveProposed(
            globals, clients, f->campaign, f->type, false, "reject", "rejected",
            [&](const av1::Nomination& n) {
              av1::RejectNominationRequest request;
              request.set_id(n.id());
              request.set_etag(n.etag());
              request.set_reason(
                  !f->reason.empty()
                      ? f->reason
                      : TruncateToWidth(absl::StrCat("Không đủ điều kiện: ",
                                                     FailedRules(n)),
                                        500));
              av1::Nomination out;
              return clients.awards().RejectNomination(clients.Context().get(),
                                                       request, &out);
            });
        return;
      }
      if (f->id.empty() || f->reason.empty()) {
        throw CLI::ValidationError("--reason",
                                   "give a nomination id and --reason");
      }
      ShowNomination(globals, [&](av1::Nomination* out) {
        if (reject) {
          av1::RejectNominationRequest request;
          request.set_id(f->id);
          request.set_reason(f->reason);
          request.set_etag(f->etag);
          return clients.awards().RejectNomination(clients.Context().get(),
                                                   request, out);
        }
        av1::DeferNominationRequest request;
        request.set_id(f->id);
        request.set_reason(f->reason);
        request.set_etag(f->etag);
        return clients.awards().DeferNomination(clients.Context().get(),
                                                request, out);
      });
    });
  }
  CLI::App* revoke = awards->add_subcommand("revoke", "Revoke an issued award");
  revoke->add_option("id", f->id)->required();
  revoke->add_option("--reason", f->reason)->required();
  revoke->callback([&globals, &clients, f] {
    av1::RevokeAwardRequest request;
    request.set_nomination_id(f->id);
    request.set_reason(f->reason);
    ShowNomination(globals, [&](av1::Nomination* out) {
      return clients.awards().RevokeAward(clients.Context().get(), request,
                                          out);
    });
  });
}

void AddDecisionCommands(CLI::App* awards, Globals& globals, Clients& clients) {
  struct Flags {
    std::vector<std::string> ids;
    std::string number, date, authority, signer, campaign, type;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* issue = awards->add_subcommand(
      "issue", "One decision issuing APPROVED nominations, all or none");
  issue->add_option("ids", f->ids, "Nomination ids");
  issue->add_option(
      "--campaign", f->campaign,
      "Issue every APPROVED nomination of this campaign (with --type)");
  issue->add_option("--type", f->type);
  issue->add_option("--number", f->number, "e.g. 1234/QĐ-CAT")->required();
  issue->add_option("--date", f->date, "YYYY-MM-DD")->required();
  issue->add_option("--authority", f->authority)->required();
  issue->add_option("--signer", f->signer)->required();
  issue->callback([&globals, &clients, f] {
    av1::IssueDecisionRequest request;
    for (const auto& id : f->ids) request.add_nomination_ids(id);
    if (!f->campaign.empty()) {
      av1::ListNominationsRequest list;
      list.set_campaign_id(f->campaign);
      list.set_award_type(f->type);
      list.set_stage(av1::NOMINATION_STAGE_APPROVED);
      av1::ListNominationsResponse approved;
      if (!ListAllNominations(globals, clients, list, &approved)) return;
      for (const auto& n : approved.nominations())
        request.add_nomination_ids(n.id());
    }
    if (request.nomination_ids().empty()) {
      throw CLI::ValidationError("ids", "no nominations to issue");
    }
    av1::Decision* d = request.mutable_decision();
    d->set_number(f->number);
    *d->mutable_date() = RequireDate(f->date, "--date");
    d->set_authority(f->authority);
    d->set_signer(f->signer);
    av1::Decision decision;
    if (Run(globals, [&] {
          return clients.awards().IssueDecision(clients.Context().get(),
                                                request, &decision);
        })) {
      std::cout << "decision " << decision.number() << " issued "
                << decision.nomination_ids_size() << " awards\n";
    }
  });
}

void AddReportingCommands(CLI::App* awards, Globals& globals,
                          Clients& clients) {
  struct Flags {
    std::string campaign, type, stage, unit, person;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* types = awards->add_subcommand("types", "The award catalogue");
  types->callback([&globals, &clients] {
    av1::ListAwardTypesResponse response;
    if (!Run(globals, [&] {
          return clients.awards().ListAwardTypes(clients.Context().get(), {},
                                                 &response);
        })) {
      return;
    }
    Table table({"CODE", "NAME", ValueColumn("RECIPIENTS"), "DECIDED BY"});
    for (const auto& t : response.award_types()) {
      std::vector<std::string> kinds;
      for (int k : t.recipient_kinds()) {
        kinds.push_back(
            EnumName(av1::RecipientKind_descriptor(), "RECIPIENT_KIND_", k));
      }
      table.AddRow(
          {t.code(), t.name(), absl::StrJoin(kinds, ", "), t.authority()});
    }
    Print(globals, table, response);
  });
  CLI::App* list = awards->add_subcommand("list", "List nominations");
  list->add_option("--campaign", f->campaign);
  list->add_option("--type", f->type);
  list->add_option(
      "--stage", f->stage,
      "proposed | approved | rejected | deferred | issued | revoked");
  list->add_option("--unit", f->unit);
  list->add_option("--person", f->person);
  list->callback([&globals, &clients, f] {
    av1::ListNominationsRequest request;
    request.set_campaign_id(f->campaign);
    request.set_award_type(f->type);
    request.set_unit_id(f->unit);
    request.set_person_id(f->person);
    if (!f->stage.empty()) {
      request.set_stage(RequireEnum<av1::NominationStage>(
          av1::NominationStage_descriptor(), "NOMINATION_STAGE_", f->stage,
          "--stage"));
    }
    av1::ListNominationsResponse all;
    if (!ListAllNominations(globals, clients, request, &all)) return;
    PrintNominations(globals,
                     std::vector<av1::Nomination>(all.nominations().begin(),
                                                  all.nominations().end()),
                     all);
  });
  CLI::App* summary =
      awards->add_subcommand("summary", "Counts by type, recipient, stage");
  summary->add_option("campaign", f->campaign)->required();
  summary->callback([&globals, &clients, f] {
    av1::GetCampaignSummaryRequest request;
    request.set_campaign_id(f->campaign);
    av1::GetCampaignSummaryResponse response;
    if (!Run(globals, [&] {
          return clients.awards().GetCampaignSummary(clients.Context().get(),
                                                     request, &response);
        })) {
      return;
    }
    Table table({"TYPE", ValueColumn("RECIPIENT"), ValueColumn("STAGE"),
                 ValueColumn("COUNT")});
    for (const auto& row : response.rows()) {
      table.AddRow({row.award_type(),
                    EnumName(av1::RecipientKind_descriptor(), "RECIPIENT_KIND_",
                             row.recipient_kind()),
                    StageName(row.stage()), absl::StrCat(row.count())});
    }
    Print(globals, table, response);
  });
  CLI::App* history =
      awards->add_subcommand("history", "Every award of a unit or person");
  history->add_option("--unit", f->unit);
  history->add_option("--person", f->person);
  history->callback([&globals, &clients, f] {
    av1::ListRecipientAwardsRequest request;
    if (!f->person.empty()) {
      request.set_person_id(f->person);
    } else if (!f->unit.empty()) {
      request.set_unit_id(f->unit);
    }
    av1::ListRecipientAwardsResponse response;
    if (Run(globals, [&] {
          return clients.awards().ListRecipientAwards(clients.Context().get(),
                                                      request, &response);
        })) {
      PrintNominations(
          globals,
          std::vector<av1::Nomination>(response.nominations().begin(),
                                       response.nominations().end()),
          response);
    }
  });
}

}  // namespace

void AddAwardsCommands(CLI::App& app, Globals& globals, Clients& clients) {
  CLI::App* awards =
      app.add_subcommand("awards", "Commendations: campaigns, nominations");
  awards->require_subcommand(1);
  AddCampaignCommands(awards, globals, clients);
  AddNominationCommands(awards, globals, clients);
  AddDecisionCommands(awards, globals, clients);
  AddReportingCommands(awards, globals, clients);
}

}  // namespace antt::cli
