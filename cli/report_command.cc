#include "cli/report_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/csv.h"
#include "cli/report.h"

namespace antt::cli {
namespace {

namespace av1 = ::antt::awards::v1;
namespace rv1 = ::antt::registry::v1;
namespace sv1 = ::antt::scoring::v1;

struct Flags {
  std::string area;
  std::string edition = "2026-07";
  int from = 0, to = 0;
  std::string campaign, title, out;
};

std::string PeriodText(int from, int to) {
  return from == to ? absl::StrCat("năm ", from)
                    : absl::StrCat("giai đoạn ", from, "–", to);
}

ReportYear YearOf(const sv1::StatsRow& row) {
  ReportYear y;
  y.year = row.year();
  y.in_scope = row.in_scope();
  y.assessed = row.assessed();
  y.recognized = row.recognized();
  y.excellent = row.excellent();
  y.good = row.good();
  y.average = row.average();
  y.weak = row.weak();
  y.rate = row.rate();
  y.meets_target = row.meets_target();
  return y;
}

ReportArea AreaOf(const sv1::StatsRow& row) {
  ReportArea a;
  a.code = row.group_key();
  a.name = row.group_name();
  a.in_scope = row.in_scope();
  a.recognized = row.recognized();
  a.rate = row.rate();
  a.meets_target = row.meets_target();
  return a;
}

std::string RecipientKindText(av1::RecipientKind kind) {
  switch (kind) {
    case av1::RECIPIENT_KIND_COLLECTIVE:
      return "Tập thể";
    case av1::RECIPIENT_KIND_INDIVIDUAL:
      return "Cá nhân";
    default:
      return EnumName(av1::RecipientKind_descriptor(), "RECIPIENT_KIND_", kind);
  }
}

void AddCount(av1::NominationStage stage, int64_t count, ReportAward* a) {
  switch (stage) {
    case av1::NOMINATION_STAGE_PROPOSED:
      a->proposed += count;
      break;
    case av1::NOMINATION_STAGE_APPROVED:
      a->approved += count;
      break;
    case av1::NOMINATION_STAGE_ISSUED:
      a->issued += count;
      break;
    case av1::NOMINATION_STAGE_REJECTED:
      a->rejected += count;
      break;
    case av1::NOMINATION_STAGE_DEFERRED:
      a->deferred += count;
      break;
    case av1::NOMINATION_STAGE_REVOKED:
      a->revoked += count;
      break;
    default:
      break;
  }
}

// One row per award type of the catalogue and recipient kind it admits, in
// catalogue order, with the summary's counts summed by stage; a summary row
// outside the catalogue still gets a row of its own.
std::vector<ReportAward> AwardsOf(const av1::ListAwardTypesResponse& types,
                                  const av1::GetCampaignSummaryResponse& sum) {
  std::vector<ReportAward> awards;
  std::map<std::pair<std::string, int>, size_t> index;
  const auto row_for = [&](const std::string& code, const std::string& name,
                           av1::RecipientKind kind) -> ReportAward& {
    auto [it, added] = index.try_emplace({code, kind}, awards.size());
    if (added) {
      ReportAward a;
      a.code = code;
      a.name = name;
      a.recipient_kind = RecipientKindText(kind);
      awards.push_back(std::move(a));
    }
    return awards[it->second];
  };
  for (const av1::AwardType& type : types.award_types()) {
    std::vector<av1::RecipientKind> kinds;
    for (int k : type.recipient_kinds()) {
      kinds.push_back(static_cast<av1::RecipientKind>(k));
    }
    std::sort(kinds.begin(), kinds.end());  // collectives first
    for (av1::RecipientKind kind : kinds)
      row_for(type.code(), type.name(), kind);
  }
  for (const av1::SummaryRow& row : sum.rows()) {
    AddCount(
        row.stage(), row.count(),
        &row_for(row.award_type(), row.award_type(), row.recipient_kind()));
  }
  return awards;
}

// A note in Vietnamese for each criteria set in force during the period that
// rests on provisional data, saying which parts.
std::vector<std::string> ProvisionalNotes(
    const sv1::ListCriteriaSetsResponse& sets, int from, int to) {
  std::vector<std::string> notes;
  for (const sv1::CriteriaSet& set : sets.criteria_sets()) {
    const int last = set.last_year() == 0 ? to : set.last_year();
    const int first_used = std::max(from, set.first_year());
    const int last_used = std::min(to, last);
    if (!set.provisional() || first_used > last_used) continue;
    std::vector<std::string> conditions, events, parts;
    int provisional_points = 0;
    for (const auto& c : set.conditions()) {
      if (c.provisional()) conditions.push_back(c.id());
    }
    for (const auto& e : set.disqualifying_events()) {
      if (e.provisional()) events.push_back(e.id());
    }
    for (const auto& p : set.points_items()) {
      if (p.provisional()) provisional_points += p.max_points();
    }
    if (!conditions.empty()) {
      parts.push_back(absl::StrCat("điều kiện ",
                                   absl::StrJoin(conditions, ", "),
                                   " chưa đủ nguyên văn hoặc chưa được kiểm "
                                   "chứng"));
    }
    if (!events.empty()) {
      parts.push_back(absl::StrCat("sự việc ", absl::StrJoin(events, ", "),
                                   " chưa được kiểm chứng"));
    }
    if (provisional_points > 0) {
      parts.push_back(absl::StrCat(provisional_points,
                                   "/100 điểm của bảng điểm là mục tạm thời, "
                                   "tỉnh cần thay thế"));
    }
    if (set.thresholds().provisional()) {
      parts.push_back(absl::StrCat("ngưỡng xếp loại là tạm thời (Xuất sắc từ ",
                                   set.thresholds().excellent(), ", Khá từ ",
                                   set.thresholds().good(), ", Trung bình từ ",
                                   set.thresholds().average(), " điểm)"));
    }
    if (parts.empty()) parts.push_back("có phần dữ liệu tạm thời");
    notes.push_back(absl::StrCat("Bộ tiêu chí ", set.id(), " (", set.title(),
                                 "): ", absl::StrJoin(parts, "; "),
                                 ". Kết quả ",
                                 PeriodText(first_used, last_used),
                                 " tính theo bộ tiêu chí này là tạm thời."));
  }
  return notes;
}

// Campaign, catalogue and summary into `data`; false when a call failed
// (reported already).
bool FetchAwards(Globals& globals, Clients& clients, const std::string& id,
                 ReportData* data) {
  av1::GetCampaignRequest get;
  get.set_id(id);
  av1::Campaign campaign;
  if (!Run(globals, [&] {
        return clients.awards().GetCampaign(clients.Context().get(), get,
                                            &campaign);
      })) {
    return false;
  }
  av1::ListAwardTypesResponse types;
  if (!Run(globals, [&] {
        return clients.awards().ListAwardTypes(clients.Context().get(), {},
                                               &types);
      })) {
    return false;
  }
  av1::GetCampaignSummaryRequest request;
  request.set_campaign_id(id);
  av1::GetCampaignSummaryResponse summary;
  if (!Run(globals, [&] {
        return clients.awards().GetCampaignSummary(clients.Context().get(),
                                                   request, &summary);
      })) {
    return false;
  }
  data->campaign_title = campaign.title().empty() ? id : campaign.title();
  data->campaign_first_year = campaign.first_year();
  data->campaign_last_year = campaign.last_year();
  data->awards = AwardsOf(types, summary);
  if (campaign.first_year() != data->first_year ||
      campaign.last_year() != data->last_year) {
    data->notes.push_back(absl::StrCat(
        "Đợt khen thưởng “", data->campaign_title, "” xét ",
        PeriodText(campaign.first_year(), campaign.last_year()), ", khác với ",
        PeriodText(data->first_year, data->last_year), " của báo cáo."));
  }
  return true;
}

// Everything the report shows, from the services; false when a call failed.
bool Fetch(Globals& globals, Clients& clients, const Flags& f, ReportData* data,
           sv1::GetSafetyStatsResponse* by_year) {
  rv1::GetAreaRequest get_area;
  get_area.set_edition(f.edition);
  get_area.set_code(f.area);
  rv1::Area area;
  if (!Run(globals, [&] {
        return clients.registry().GetArea(clients.Context().get(), get_area,
                                          &area);
      })) {
    return false;
  }
  sv1::GetSafetyStatsRequest stats;
  stats.set_first_year(f.from);
  stats.set_last_year(f.to);
  stats.set_area_code(f.area);
  stats.set_edition(f.edition);
  stats.set_group_by(sv1::GROUP_BY_YEAR);
  if (!Run(globals, [&] {
        return clients.scoring().GetSafetyStats(clients.Context().get(), stats,
                                                by_year);
      })) {
    return false;
  }
  stats.set_first_year(f.to);
  stats.set_group_by(sv1::GROUP_BY_CHILD_AREA);
  sv1::GetSafetyStatsResponse by_area;
  if (!Run(globals, [&] {
        return clients.scoring().GetSafetyStats(clients.Context().get(), stats,
                                                &by_area);
      })) {
    return false;
  }
  sv1::ListCriteriaSetsResponse sets;
  if (!Run(globals, [&] {
        return clients.scoring().ListCriteriaSets(clients.Context().get(), {},
                                                  &sets);
      })) {
    return false;
  }

  data->title = f.title.empty() ? absl::StrCat(
                                      "Báo cáo kết quả phong trào Toàn dân bảo "
                                      "vệ an ninh Tổ quốc ",
                                      PeriodText(f.from, f.to))
                                : f.title;
  data->area_name = area.name().empty() ? f.area : area.name();
  data->first_year = f.from;
  data->last_year = f.to;
  data->target_rate = by_year->target_rate();
  for (const sv1::StatsRow& row : by_year->rows()) {
    data->years.push_back(YearOf(row));
  }
  std::sort(
      data->years.begin(), data->years.end(),
      [](const ReportYear& a, const ReportYear& b) { return a.year < b.year; });
  for (const sv1::StatsRow& row : by_area.rows()) {
    if (row.year() == f.to) data->areas.push_back(AreaOf(row));
  }
  data->notes = ProvisionalNotes(sets, f.from, f.to);
  if (!f.campaign.empty() && !FetchAwards(globals, clients, f.campaign, data)) {
    return false;
  }
  data->generated_at =
      absl::FormatTime("%Y-%m-%d %H:%M", absl::Now(), absl::LocalTimeZone());
  return true;
}

void PrintSummary(const Globals& globals, const ReportData& data,
                  const sv1::GetSafetyStatsResponse& by_year,
                  const std::string& path) {
  Table table({ValueColumn("YEAR"), ValueColumn("IN SCOPE"),
               ValueColumn("ASSESSED"), ValueColumn("RECOGNISED"),
               ValueColumn("RATE"), ValueColumn("> TARGET")});
  for (const ReportYear& y : data.years) {
    table.AddRow(
        {absl::StrCat(y.year), absl::StrCat(y.in_scope),
         absl::StrCat(y.assessed), absl::StrCat(y.recognized),
         y.in_scope > 0 ? absl::StrFormat("%.1f %%", y.rate * 100) : "-",
         y.meets_target ? "yes" : "no"});
  }
  Print(globals, table, by_year);
  // The path goes where it does not spoil JSON or CSV on stdout.
  std::ostream& out = globals.output == "table" ? std::cout : std::cerr;
  out << "report written to " << path << "\n";
}

}  // namespace

void AddReportCommand(CLI::App& app, Globals& globals, Clients& clients) {
  auto f = std::make_shared<Flags>();
  CLI::App* report = app.add_subcommand(
      "report",
      "The review report of an area over a period: one HTML file to show "
      "and print");
  report->add_option("--area", f->area, "Area code, e.g. 45")->required();
  report->add_option("--edition", f->edition, "2026-07 or 2025-06")
      ->capture_default_str();
  report->add_option("--from", f->from, "First year")->required();
  report->add_option("--to", f->to, "Last year")->required();
  report->add_option("--campaign", f->campaign,
                     "Award campaign id: adds its awards");
  report->add_option("--title", f->title,
                     "Title (default: the movement and the period)");
  report->add_option("--out", f->out,
                     "HTML file (default: antt-report-AREA-FROM-TO.html)");
  report->callback([&globals, &clients, f] {
    if (f->to < f->from) {
      throw CLI::ValidationError("--to", "is before --from");
    }
    const std::string path = f->out.empty()
                                 ? absl::StrCat("antt-report-", f->area, "-",
                                                f->from, "-", f->to, ".html")
                                 : f->out;
    // Opened first, so a bad --out fails before any call is made.
    AtomicOutputFile file(path);
    if (absl::Status s = file.Open(); !s.ok()) {
      throw CLI::ValidationError("--out", std::string(s.message()));
    }
    ReportData data;
    sv1::GetSafetyStatsResponse by_year;
    if (!Fetch(globals, clients, *f, &data, &by_year)) return;
    file.stream() << RenderReportHtml(data);
    if (absl::Status s = file.Commit(); !s.ok()) {
      std::cerr << "error: " << s.message() << "\n";
      globals.exit_code = kServerError;
      return;
    }
    PrintSummary(globals, data, by_year, path);
  });
}

}  // namespace antt::cli
