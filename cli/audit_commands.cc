#include "cli/audit_commands.h"

#include <algorithm>
#include <iostream>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace antt::cli {
namespace {

namespace av1 = ::antt::audit::v1;

// How much of a hex digest the table shows: enough to tell records apart
// and to compare with a hash written down elsewhere.
constexpr size_t kShortDigest = 12;

std::vector<std::string> ServiceNames() {
  return {"registry", "scoring", "awards"};
}

absl::Time TimeOf(const av1::AuditRecord& record) {
  return absl::FromUnixSeconds(record.time().seconds()) +
         absl::Nanoseconds(record.time().nanos());
}

void PrintRecords(const Globals& globals,
                  const av1::ListAuditRecordsResponse& all) {
  if (globals.output == "json") {
    std::cout << ToJson(all) << "\n";
    return;
  }
  if (globals.output == "csv") {
    Table table({ValueColumn("sequence"), ValueColumn("time"), "caller",
                 "method", "target_ids", "request_sha256", "previous_hash",
                 "hash"});
    for (const av1::AuditRecord& r : all.records()) {
      table.AddRow({absl::StrCat(r.sequence()),
                    absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", TimeOf(r),
                                     absl::UTCTimeZone()),
                    r.caller(), r.method(), absl::StrJoin(r.target_ids(), ";"),
                    r.request_sha256(), r.previous_hash(), r.hash()});
    }
    table.PrintCsv(std::cout);
    return;
  }
  Table table({ValueColumn("SEQ"), ValueColumn("TIME (UTC)"), "CALLER",
               "METHOD", "TARGETS", "REQUEST", "HASH"});
  for (const av1::AuditRecord& r : all.records()) {
    // "antt.registry.v1.RegistryService/CreateUnit" → "CreateUnit": the
    // service is the one --service named.
    const size_t slash = r.method().rfind('/');
    table.AddRow(
        {absl::StrCat(r.sequence()),
         absl::FormatTime("%Y-%m-%d %H:%M:%S", TimeOf(r), absl::UTCTimeZone()),
         r.caller(),
         slash == std::string::npos ? r.method() : r.method().substr(slash + 1),
         absl::StrJoin(r.target_ids(), " "),
         r.request_sha256().substr(0, kShortDigest),
         r.hash().substr(0, kShortDigest)});
  }
  table.PrintAligned(std::cout);
}

void AddAuditList(CLI::App* audit, Globals& globals, Clients& clients) {
  struct ListFlags {
    std::string service;
    uint64_t after = 0;
    int limit = 100;
    int page_size = 1000;
  };
  auto f = std::make_shared<ListFlags>();
  CLI::App* list = audit->add_subcommand(
      "list", "The audit records of a service, oldest first (ADMIN only)");
  list->add_option("--service", f->service, "registry | scoring | awards")
      ->required()
      ->check(CLI::IsMember(ServiceNames()));
  list->add_option("--after", f->after,
                   "Start after this sequence number (0: the first record)")
      ->capture_default_str();
  list->add_option("--limit", f->limit, "At most this many records (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  list->add_option("--page-size", f->page_size, "Records per call")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  list->callback([&globals, &clients, f] {
    av1::ListAuditRecordsRequest request;
    request.set_after_sequence(f->after);
    av1::ListAuditRecordsResponse all;
    bool more = false;
    while (true) {
      const int wanted =
          f->limit == 0 ? f->page_size : f->limit - all.records_size();
      request.set_page_size(std::min(wanted, f->page_size));
      av1::ListAuditRecordsResponse page;
      if (!Run(globals, [&] {
            return clients.audit(f->service)
                .ListAuditRecords(clients.Context().get(), request, &page);
          })) {
        return;
      }
      for (auto& r : *page.mutable_records()) *all.add_records() = std::move(r);
      more = !page.next_page_token().empty();
      if (!more || (f->limit != 0 && all.records_size() >= f->limit)) break;
      request.set_page_token(page.next_page_token());
    }
    PrintRecords(globals, all);
    if (globals.output == "table") {
      std::cout << all.records_size() << " records";
      if (more) {
        std::cout << " (more: --after "
                  << all.records(all.records_size() - 1).sequence() << ")";
      }
      std::cout << "\n";
    }
  });
}

void PrintVerification(const Globals& globals, const std::string& service,
                       const av1::VerifyAuditChainResponse& v) {
  if (globals.output == "json") {
    std::cout << ToJson(v, /*with_defaults=*/true) << "\n";
    return;
  }
  if (globals.output == "csv") {
    Table table({"service", ValueColumn("intact"),
                 ValueColumn("records_checked"), ValueColumn("last_sequence"),
                 "last_hash", ValueColumn("first_broken_sequence"), "problem"});
    table.AddRow({service, BoolName(v.intact()),
                  absl::StrCat(v.records_checked()),
                  absl::StrCat(v.last_sequence()), v.last_hash(),
                  v.intact() ? "" : absl::StrCat(v.first_broken_sequence()),
                  v.problem()});
    table.PrintCsv(std::cout);
    return;
  }
  if (v.intact()) {
    std::cout << service << " audit chain: intact\n";
  } else {
    std::cout << service << " audit chain: BROKEN at record "
              << v.first_broken_sequence() << ": " << v.problem() << "\n";
  }
  std::cout << "records checked: " << v.records_checked()
            << (v.intact() ? "" : " (intact before the broken record)") << "\n"
            << "last sequence:   " << v.last_sequence() << "\n"
            << "last hash:       "
            << (v.last_hash().empty() ? "(none: no records yet)"
                                      : v.last_hash())
            << "\n";
}

std::string KindName(av1::RecordProblem::Kind kind) {
  return av1::RecordProblem::Kind_Name(kind);
}

void PrintRecordVerification(const Globals& globals, const std::string& service,
                             const av1::VerifyRecordsResponse& v) {
  if (globals.output == "json") {
    std::cout << ToJson(v, /*with_defaults=*/true) << "\n";
    return;
  }
  if (globals.output == "csv") {
    Table table(
        {"service", "table", "key", "kind", ValueColumn("last_sequence")});
    for (const av1::RecordProblem& p : v.problems()) {
      table.AddRow({service, p.table(), absl::CHexEscape(p.key()),
                    KindName(p.kind()), absl::StrCat(p.last_sequence())});
    }
    table.PrintCsv(std::cout);
    return;
  }
  if (!v.chain_problem().empty()) {
    std::cout << service << " audit chain: BROKEN at record "
              << v.chain_broken_sequence() << ": " << v.chain_problem()
              << "\nrecords not checked: the chain they are checked against "
                 "is broken\n";
    return;
  }
  std::cout << service << " records: "
            << (v.intact() ? "intact" : "DIFFER FROM THE AUDIT LOG") << "\n"
            << "records checked:    " << v.records_checked() << "\n"
            << "audit records read: " << v.audit_records_read() << "\n";
  if (v.problems().empty()) return;
  Table table({"table", "key", "kind", ValueColumn("last written by record")});
  for (const av1::RecordProblem& p : v.problems()) {
    table.AddRow(
        {p.table(), absl::CHexEscape(p.key()), KindName(p.kind()),
         p.last_sequence() == 0 ? "-" : absl::StrCat(p.last_sequence())});
  }
  table.PrintAligned(std::cout);
  if (v.problems_omitted() > 0) {
    std::cout << "… and " << v.problems_omitted() << " more\n";
  }
}

void AddAuditVerify(CLI::App* audit, Globals& globals, Clients& clients) {
  auto service = std::make_shared<std::string>();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check a service's audit chain end to end (ADMIN only): every record "
      "present, in order, and hashing as stored");
  verify->footer(
      "Exit code 4 when the chain is broken: the output names the first "
      "broken record and what is wrong with it. 0 when intact. Write down the "
      "last sequence and hash and pass them later as --anchor SEQ:HASH: the "
      "chain must still reach that record with that hash, which proves "
      "nothing up to it was rewritten or removed. With --records, the "
      "stored records are also re-hashed against the audit record that last "
      "wrote each: exit code 4 names every record CHANGED, MISSING or "
      "UNAUDITED (written by no audited call).");
  auto records = std::make_shared<bool>(false);
  verify->add_flag("--records", *records,
                   "Also check every stored record against the audit log");
  auto anchor = std::make_shared<std::string>();
  verify->add_option("--anchor", *anchor,
                     "SEQ:HASH from an earlier verification, kept elsewhere");
  verify->add_option("--service", *service, "registry | scoring | awards")
      ->required()
      ->check(CLI::IsMember(ServiceNames()));
  verify->callback([&globals, &clients, service, anchor, records] {
    if (*records) {
      if (!anchor->empty()) {
        throw CLI::ValidationError("--anchor",
                                   "verify either the chain against an "
                                   "anchor or the records, not both at once");
      }
      av1::VerifyRecordsResponse response;
      if (!Run(globals, [&] {
            return clients.audit(*service).VerifyRecords(
                clients.Context().get(), av1::VerifyRecordsRequest(),
                &response);
          })) {
        return;
      }
      PrintRecordVerification(globals, *service, response);
      if (!response.intact()) globals.exit_code = kRejected;
      return;
    }
    av1::VerifyAuditChainRequest request;
    if (!anchor->empty()) {
      const std::vector<std::string> parts = absl::StrSplit(*anchor, ':');
      uint64_t sequence = 0;
      if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &sequence) ||
          sequence == 0 || parts[1].size() != 64) {
        throw CLI::ValidationError(
            "--anchor", "expected SEQ:HASH, e.g. 1118:6f3c…(64 hex digits)");
      }
      request.set_anchor_sequence(sequence);
      request.set_anchor_hash(parts[1]);
    }
    av1::VerifyAuditChainResponse response;
    if (!Run(globals, [&] {
          return clients.audit(*service).VerifyAuditChain(
              clients.Context().get(), request, &response);
        })) {
      return;
    }
    PrintVerification(globals, *service, response);
    if (!response.intact()) globals.exit_code = kRejected;
  });
}

}  // namespace

void AddAuditCommands(CLI::App& app, Globals& globals, Clients& clients) {
  CLI::App* audit = app.add_subcommand(
      "audit", "The tamper-evident audit log of a service (ADMIN only)");
  audit->require_subcommand(1);
  AddAuditList(audit, globals, clients);
  AddAuditVerify(audit, globals, clients);
}

}  // namespace antt::cli
