// The awards use cases on a real RocksDB store and the shipped award
// catalogue, with fake registry and scoring clients at the seams.

#include "services/awards/awards.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/date.h"
#include "common/field_violations.h"
#include "services/awards/rocksdb_awards_store.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::awards {
namespace {

namespace rv1 = ::antt::registry::v1;
namespace sv1 = ::antt::scoring::v1;

class FakeRegistry final : public RegistryClient {
 public:
  void Put(const rv1::Unit& unit) {
    absl::MutexLock lock(&mu_);
    units_[unit.id()] = unit;
  }
  void Put(const rv1::Person& person) {
    absl::MutexLock lock(&mu_);
    persons_[person.id()] = person;
  }
  void SetReachable(bool reachable) {
    absl::MutexLock lock(&mu_);
    reachable_ = reachable;
  }
  absl::StatusOr<rv1::Unit> GetUnit(absl::string_view id) override {
    absl::MutexLock lock(&mu_);
    if (!reachable_) return absl::UnavailableError("registry down (fake)");
    auto it = units_.find(std::string(id));
    if (it == units_.end())
      return absl::NotFoundError(absl::StrCat("unit ", id));
    return it->second;
  }
  absl::StatusOr<rv1::Person> GetPerson(absl::string_view id) override {
    absl::MutexLock lock(&mu_);
    if (!reachable_) return absl::UnavailableError("registry down (fake)");
    auto it = persons_.find(std::string(id));
    if (it == persons_.end())
      return absl::NotFoundError(absl::StrCat("person ", id));
    return it->second;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, rv1::Unit> units_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, rv1::Person> persons_ ABSL_GUARDED_BY(mu_);
  bool reachable_ ABSL_GUARDED_BY(mu_) = true;
};

class FakeScoring final : public ScoringClient {
 public:
  // Recognised years of a unit, with EXCELLENT in `excellent_year`.
  void Recognized(const std::string& unit_id, std::vector<int> years,
                  int excellent_year = 0, int event_year = 0) {
    absl::MutexLock lock(&mu_);
    std::vector<sv1::HistoryYear>& history = histories_[unit_id];
    for (int year : years) {
      sv1::HistoryYear y;
      y.set_year(year);
      y.set_stage(sv1::STAGE_RECOGNIZED);
      y.set_meets_standard(true);
      y.set_classification(year == excellent_year
                               ? sv1::CLASSIFICATION_EXCELLENT
                               : sv1::CLASSIFICATION_GOOD);
      if (year == event_year) {
        y.set_events(1);
        y.add_event_types("6.3.g");
      }
      history.push_back(y);
    }
  }
  void SetReachable(bool reachable) {
    absl::MutexLock lock(&mu_);
    reachable_ = reachable;
  }
  absl::StatusOr<sv1::GetUnitHistoryResponse> GetUnitHistory(
      absl::string_view unit_id, int up_to_year) override {
    absl::MutexLock lock(&mu_);
    if (!reachable_) return absl::UnavailableError("scoring down (fake)");
    sv1::GetUnitHistoryResponse response;
    for (const auto& y : histories_[std::string(unit_id)]) {
      if (y.year() <= up_to_year) *response.add_years() = y;
    }
    return response;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::vector<sv1::HistoryYear>> histories_
      ABSL_GUARDED_BY(mu_);
  bool reachable_ ABSL_GUARDED_BY(mu_) = true;
};

const AwardCatalog& Catalog() {
  return antt::testing::LoadOnce<AwardCatalog>([] {
    return AwardCatalog::Load(antt::testing::SourceDataDir() +
                              "/awards/award_types.json");
  });
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& [field, unused] : FieldViolationsOf(status)) {
    fields.push_back(field);
  }
  return fields;
}

rv1::Unit Unit(const std::string& id) {
  rv1::Unit unit;
  unit.set_id(id);
  unit.set_name("Đơn vị " + id);
  unit.set_kind(rv1::UNIT_KIND_AGENCY);
  unit.set_status(rv1::UNIT_STATUS_ACTIVE);
  unit.set_in_scope(true);
  return unit;
}

// A man leading `unit_id` since `since`.
rv1::Person Leader(const std::string& id, const std::string& unit_id,
                   int since) {
  rv1::Person person;
  person.set_id(id);
  person.set_full_name("Nguyễn Văn " + id);
  person.set_gender(rv1::GENDER_MALE);
  person.set_birth_year(1965);
  person.set_unit_id(unit_id);
  person.set_status(rv1::PERSON_STATUS_ACTIVE);
  rv1::Position* p = person.add_positions();
  p->set_title("Giám đốc");
  p->set_role(rv1::POSITION_ROLE_LEADER);
  p->set_unit_id(unit_id);
  p->mutable_start_date()->set_year(since);
  p->mutable_start_date()->set_month(1);
  p->mutable_start_date()->set_day(1);
  return person;
}

class AwardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = RocksDbAwardsStore::Open(antt::testing::FreshTestDir());
    ASSERT_OK(store);
    store_ = *std::move(store);
    Awards::Dependencies deps;
    deps.catalog = &Catalog();
    deps.store = store_.get();
    deps.registry = &registry_;
    deps.scoring = &scoring_;
    deps.today = [this] { return today_; };
    awards_ = std::make_unique<Awards>(deps);

    registry_.Put(Unit("U1"));  // recognised 2014–2019, excellent in 2019
    registry_.Put(Unit("U2"));  // 2016 missing
    scoring_.Recognized("U1", {2014, 2015, 2016, 2017, 2018, 2019}, 2019);
    scoring_.Recognized("U2", {2014, 2015, 2017, 2018, 2019}, 2019);
    registry_.Put(Leader("P1", "U1", 2005));
    five_years_ = MustCampaign("Sơ kết 5 năm thực hiện Chỉ thị 07 (2014–2019)",
                               2014, 2019);
  }

  std::string MustCampaign(const std::string& title, int first, int last) {
    v1::CreateCampaignRequest request;
    request.mutable_campaign()->set_title(title);
    request.mutable_campaign()->set_first_year(first);
    request.mutable_campaign()->set_last_year(last);
    request.mutable_campaign()->mutable_nomination_deadline()->set_year(2020);
    request.mutable_campaign()->mutable_nomination_deadline()->set_month(3);
    request.mutable_campaign()->mutable_nomination_deadline()->set_day(31);
    auto campaign = awards_->CreateCampaign(admin_, request);
    EXPECT_OK(campaign);
    return campaign.ok() ? campaign->id() : "";
  }

  absl::StatusOr<v1::Nomination> Nominate(const std::string& campaign,
                                          const std::string& type,
                                          const std::string& unit_id,
                                          const std::string& person_id = "") {
    v1::NominateRequest request;
    v1::Nomination* n = request.mutable_nomination();
    n->set_campaign_id(campaign);
    n->set_award_type(type);
    if (!person_id.empty()) {
      n->set_person_id(person_id);
    } else {
      n->set_unit_id(unit_id);
    }
    n->set_achievements("Nhiều năm liền đạt chuẩn An toàn về an ninh, trật tự");
    return awards_->Nominate(admin_, request);
  }

  absl::StatusOr<v1::Nomination> Approve(
      const v1::Nomination& n, const std::string& justification = "") {
    v1::ApproveNominationRequest request;
    request.set_id(n.id());
    request.set_override_justification(justification);
    return awards_->ApproveNomination(admin_, request);
  }

  // Issues a decision dated `date` (15 May 2020 unless given).
  absl::StatusOr<v1::Decision> Issue(
      const std::vector<std::string>& ids, const std::string& number,
      const google::type::Date& date = MakeDate(2020, 5, 15)) {
    v1::IssueDecisionRequest request;
    v1::Decision* d = request.mutable_decision();
    d->set_number(number);
    *d->mutable_date() = date;
    d->set_authority("Giám đốc Công an tỉnh Quảng Trị");
    d->set_signer("Đại tá Nguyễn Văn Hùng");
    for (const auto& id : ids) request.add_nomination_ids(id);
    return awards_->IssueDecision(admin_, request);
  }

  v1::Nomination Get(const std::string& id) {
    auto page = store_->GetNomination(id);
    EXPECT_OK(page);
    return page.ok() ? *page : v1::Nomination();
  }

  static const v1::RuleResult* Rule(const v1::Nomination& n,
                                    absl::string_view suffix) {
    for (const auto& r : n.eligibility()) {
      if (absl::EndsWith(r.rule(), suffix)) return &r;
    }
    return nullptr;
  }

  // Unlimited: the role and area rules have tests of their own below.
  const Principal admin_{"admin", Role::kAdmin, "", ""};
  absl::CivilDay today_{2020, 3, 1};
  std::unique_ptr<RocksDbAwardsStore> store_;
  FakeRegistry registry_;
  FakeScoring scoring_;
  std::unique_ptr<Awards> awards_;
  std::string five_years_;
};

TEST_F(AwardsTest, CatalogueListsTheFourTypes) {
  auto types = awards_->ListAwardTypes({});
  ASSERT_OK(types);
  std::vector<std::string> codes;
  for (const auto& t : types->award_types()) codes.push_back(t.code());
  EXPECT_EQ(codes, (std::vector<std::string>{"KNC_ANTQ", "BK_BCA",
                                             "BK_UBND_TINH", "GK_CAT"}));
}

TEST_F(AwardsTest, CampaignsAreValidatedListedAndClosedOnce) {
  v1::CreateCampaignRequest bad;
  bad.mutable_campaign()->set_first_year(2019);
  bad.mutable_campaign()->set_last_year(2014);
  EXPECT_EQ(Fields(awards_->CreateCampaign(admin_, bad).status()),
            (std::vector<std::string>{"campaign.title", "campaign.last_year",
                                      "campaign.nomination_deadline"}));
  v1::GetCampaignRequest get;
  get.set_id(five_years_);
  auto campaign = awards_->GetCampaign(get);
  ASSERT_OK(campaign);
  EXPECT_EQ(campaign->status(), v1::CAMPAIGN_STATUS_OPEN);
  get.set_id("C0000000404");
  EXPECT_CODE(awards_->GetCampaign(get), absl::StatusCode::kNotFound);
  auto list = awards_->ListCampaigns({});
  ASSERT_OK(list);
  EXPECT_EQ(list->campaigns_size(), 1);

  v1::CloseCampaignRequest close;
  close.set_id(five_years_);
  ASSERT_OK(awards_->CloseCampaign(admin_, close));
  EXPECT_CODE(awards_->CloseCampaign(admin_, close),
              absl::StatusCode::kFailedPrecondition);
  EXPECT_CODE(Nominate(five_years_, "GK_CAT", "U1"),
              absl::StatusCode::kFailedPrecondition);
}

TEST_F(AwardsTest, NominationRecordsEachRuleWithItsReason) {
  auto good = Nominate(five_years_, "BK_BCA", "U1");
  ASSERT_OK(good);
  EXPECT_EQ(good->stage(), v1::NOMINATION_STAGE_PROPOSED);
  EXPECT_TRUE(good->eligible());
  EXPECT_EQ(good->recipient_name(), "Đơn vị U1");

  auto gap = Nominate(five_years_, "BK_BCA", "U2");
  ASSERT_OK(gap);
  EXPECT_FALSE(gap->eligible());
  const v1::RuleResult* every_year = Rule(*gap, "recognized_every_year");
  ASSERT_NE(every_year, nullptr);
  EXPECT_FALSE(every_year->passed());
  EXPECT_TRUE(absl::StrContains(every_year->detail(), "2016"))
      << every_year->detail();
  // GK_CAT needs the last year only: U2 qualifies.
  auto gk = Nominate(five_years_, "GK_CAT", "U2");
  ASSERT_OK(gk);
  EXPECT_TRUE(gk->eligible());
}

TEST_F(AwardsTest, ACampaignHoldsABoundedNumberOfNominations) {
  store_->set_max_campaign_nominations_for_testing(2);
  ASSERT_OK(Nominate(five_years_, "GK_CAT", "U1"));
  ASSERT_OK(Nominate(five_years_, "GK_CAT", "U2"));
  const auto third = Nominate(five_years_, "BK_BCA", "U1");
  EXPECT_CODE(third, absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(third.status().message(), "already holds 2"))
      << third.status();
  // Another campaign is not affected.
  const std::string other = MustCampaign("Năm 2019", 2019, 2019);
  EXPECT_OK(Nominate(other, "GK_CAT", "U1"));
}

// An award stored before nominations kept their decision's date is dated by
// its decision record.
TEST_F(AwardsTest, AnAwardWithoutItsDecisionDateIsDatedByItsDecision) {
  const std::string y2018 = MustCampaign("Tổng kết năm 2018", 2018, 2018);
  auto certificate = Nominate(y2018, "GK_CAT", "", "P1");
  ASSERT_OK(certificate);
  ASSERT_OK(Approve(*certificate));
  ASSERT_OK(Issue({certificate->id()}, "5/QĐ-CAT", MakeDate(2018, 12, 20)));
  ASSERT_OK(store_->UpdateNomination(certificate->id(), [](v1::Nomination* n) {
    n->clear_decision_date();  // as stored before the field existed
    return absl::OkStatus();
  }));
  auto medal = Nominate(five_years_, "KNC_ANTQ", "", "P1");
  ASSERT_OK(medal);
  const v1::RuleResult* prior = Rule(*medal, "prior_commendation");
  ASSERT_NE(prior, nullptr);
  EXPECT_TRUE(prior->passed()) << prior->detail();
}

TEST_F(AwardsTest, NominateErrors) {
  EXPECT_CODE(Nominate("C0000000404", "GK_CAT", "U1"),
              absl::StatusCode::kNotFound);
  EXPECT_CODE(Nominate(five_years_, "GK_CAT", "U404"),
              absl::StatusCode::kNotFound);
  EXPECT_EQ(Fields(Nominate(five_years_, "NO_SUCH", "U1").status()),
            std::vector<std::string>{"nomination.award_type"});
  // The medal is for individuals only.
  EXPECT_EQ(Fields(Nominate(five_years_, "KNC_ANTQ", "U1").status()),
            std::vector<std::string>{"nomination.award_type"});
  v1::NominateRequest empty;
  EXPECT_EQ(Fields(awards_->Nominate(admin_, empty).status()),
            (std::vector<std::string>{"nomination.campaign_id",
                                      "nomination.award_type",
                                      "nomination.recipient"}));

  ASSERT_OK(Nominate(five_years_, "GK_CAT", "U1"));
  EXPECT_CODE(Nominate(five_years_, "GK_CAT", "U1"),
              absl::StatusCode::kAlreadyExists);

  today_ = absl::CivilDay(2020, 4, 1);  // after the nomination deadline
  EXPECT_CODE(Nominate(five_years_, "BK_BCA", "U1"),
              absl::StatusCode::kFailedPrecondition);
}

TEST_F(AwardsTest, ARetryGetsTheFirstAnswerWhateverChangedSince) {
  v1::NominateRequest request;
  request.mutable_nomination()->set_campaign_id(five_years_);
  request.mutable_nomination()->set_award_type("GK_CAT");
  request.mutable_nomination()->set_unit_id("U1");
  request.set_request_id("nominate-1");
  auto first = awards_->Nominate(admin_, request);
  ASSERT_OK(first);
  registry_.SetReachable(false);
  v1::CloseCampaignRequest close;
  close.set_id(five_years_);
  ASSERT_OK(awards_->CloseCampaign(admin_, close));
  auto retry = awards_->Nominate(admin_, request);
  ASSERT_OK(retry);
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
}

TEST_F(AwardsTest, DependenciesDownAreUnavailableAndNothingIsStored) {
  registry_.SetReachable(false);
  EXPECT_CODE(Nominate(five_years_, "GK_CAT", "U1"),
              absl::StatusCode::kUnavailable);
  registry_.SetReachable(true);
  scoring_.SetReachable(false);
  EXPECT_CODE(Nominate(five_years_, "GK_CAT", "U1"),
              absl::StatusCode::kUnavailable);
  scoring_.SetReachable(true);
  v1::ListNominationsRequest list;
  list.set_campaign_id(five_years_);
  EXPECT_EQ(awards_->ListNominations(admin_, list)->total_size(), 0);
  // Both back: works without anything else.
  EXPECT_OK(Nominate(five_years_, "GK_CAT", "U1"));
}

TEST_F(AwardsTest, BatchStopsAtAnUnreachableDependencyAndKeepsWhatItMade) {
  v1::BatchNominateRequest batch;
  for (const char* unit : {"U1", "U2"}) {
    v1::Nomination* n = batch.add_nominations();
    n->set_campaign_id(five_years_);
    n->set_award_type("GK_CAT");
    n->set_unit_id(unit);
  }
  auto first = awards_->BatchNominate(admin_, batch);
  ASSERT_OK(first);
  EXPECT_EQ(first->nominations_size(), 2);
  // Two more, with the registry gone: both reported, none created.
  for (auto& n : *batch.mutable_nominations()) n.set_award_type("BK_UBND_TINH");
  registry_.SetReachable(false);
  auto second = awards_->BatchNominate(admin_, batch);
  ASSERT_OK(second);
  EXPECT_EQ(second->nominations_size(), 0);
  ASSERT_EQ(second->errors_size(), 2);
  EXPECT_EQ(second->errors(1).index(), 1);
  EXPECT_TRUE(absl::StartsWith(second->errors(1).message(), "not attempted"));
}

TEST_F(AwardsTest, ApprovalNeedsEligibilityOrAWrittenJustification) {
  auto gap = Nominate(five_years_, "BK_BCA", "U2");
  ASSERT_OK(gap);
  EXPECT_CODE(Approve(*gap), absl::StatusCode::kFailedPrecondition);
  v1::ApproveNominationRequest stale;
  stale.set_id(gap->id());
  stale.set_etag("0");
  stale.set_override_justification("x");
  EXPECT_CODE(awards_->ApproveNomination(admin_, stale),
              absl::StatusCode::kAborted);
  auto approved =
      Approve(*gap, "Năm 2016 đơn vị sáp nhập, hồ sơ đã được xác minh");
  ASSERT_OK(approved);
  EXPECT_EQ(approved->stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_FALSE(approved->eligible());
  EXPECT_FALSE(approved->override_justification().empty());
  EXPECT_CODE(Approve(*gap), absl::StatusCode::kFailedPrecondition);  // twice
  v1::ApproveNominationRequest missing;
  missing.set_id("N0000000404");
  EXPECT_CODE(awards_->ApproveNomination(admin_, missing),
              absl::StatusCode::kNotFound);
}

TEST_F(AwardsTest, RejectDeferAndTheirErrors) {
  auto n = Nominate(five_years_, "GK_CAT", "U1");
  ASSERT_OK(n);
  v1::DeferNominationRequest defer;
  defer.set_id(n->id());
  EXPECT_EQ(Fields(awards_->DeferNomination(admin_, defer).status()),
            std::vector<std::string>{"reason"});
  defer.set_reason("Đang thanh tra");
  auto deferred = awards_->DeferNomination(admin_, defer);
  ASSERT_OK(deferred);
  EXPECT_EQ(deferred->stage(), v1::NOMINATION_STAGE_DEFERRED);
  EXPECT_EQ(deferred->stage_reason(), "Đang thanh tra");
  EXPECT_CODE(awards_->DeferNomination(admin_, defer),
              absl::StatusCode::kFailedPrecondition);
  ASSERT_OK(Approve(*n));  // a deferred nomination can still be approved

  v1::RejectNominationRequest reject;
  reject.set_id(n->id());
  reject.set_reason("Có khiếu nại");
  auto rejected = awards_->RejectNomination(admin_, reject);
  ASSERT_OK(rejected);
  EXPECT_EQ(rejected->stage(), v1::NOMINATION_STAGE_REJECTED);
  EXPECT_CODE(awards_->RejectNomination(admin_, reject),
              absl::StatusCode::kFailedPrecondition);
  // A rejected nomination frees the slot for the same award type.
  EXPECT_OK(Nominate(five_years_, "GK_CAT", "U1"));
}

TEST_F(AwardsTest, DecisionIsAllOrNothingAndItsNumberUnique) {
  auto a = Nominate(five_years_, "BK_BCA", "U1");
  auto b = Nominate(five_years_, "GK_CAT", "U2");
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_OK(Approve(*a));
  // b is still PROPOSED: nothing is issued.
  EXPECT_CODE(Issue({a->id(), b->id()}, "12/QĐ-BCA"),
              absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Get(a->id()).stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_CODE(Issue({a->id(), "N0000000404"}, "12/QĐ-BCA"),
              absl::StatusCode::kNotFound);
  ASSERT_OK(Approve(*b));
  auto decision = Issue({a->id(), b->id()}, "12/QĐ-BCA");
  ASSERT_OK(decision);
  EXPECT_EQ(decision->nomination_ids_size(), 2);
  EXPECT_EQ(Get(a->id()).stage(), v1::NOMINATION_STAGE_ISSUED);
  EXPECT_EQ(Get(a->id()).decision_number(), "12/QĐ-BCA");

  auto c = Nominate(five_years_, "BK_UBND_TINH", "U1");
  ASSERT_OK(c);
  ASSERT_OK(Approve(*c));
  EXPECT_CODE(Issue({c->id()}, "12/QĐ-BCA"), absl::StatusCode::kAlreadyExists);
  v1::IssueDecisionRequest bad;
  bad.add_nomination_ids(c->id());
  bad.add_nomination_ids(c->id());
  EXPECT_EQ(Fields(awards_->IssueDecision(admin_, bad).status()),
            (std::vector<std::string>{"decision.number", "decision.authority",
                                      "decision.signer", "decision.date",
                                      "nomination_ids[1]"}));
}

TEST_F(AwardsTest, MedalOncePerPersonAfterAnEarlierCommendation) {
  // Without an earlier commendation the medal is not due.
  auto early = Nominate(five_years_, "KNC_ANTQ", "", "P1");
  ASSERT_OK(early);
  EXPECT_FALSE(early->eligible());
  EXPECT_FALSE(Rule(*early, "prior_commendation")->passed());
  EXPECT_TRUE(Rule(*early, "service_years")->passed());

  // A certificate decided after the period (15 May 2020) is not an earlier
  // commendation for 2014-2019; one decided within it is, and the medal is
  // due.
  const std::string y2020 = MustCampaign("Tổng kết năm 2020", 2020, 2020);
  auto late_certificate = Nominate(y2020, "GK_CAT", "", "P1");
  ASSERT_OK(late_certificate);
  ASSERT_OK(Approve(*late_certificate, "Khen thưởng đột xuất"));
  ASSERT_OK(Issue({late_certificate->id()}, "4/QĐ-CAT"));
  EXPECT_EQ(Get(late_certificate->id()).decision_date().year(), 2020);
  v1::CheckEligibilityRequest check;
  check.set_nomination_id(early->id());
  auto still_not = awards_->CheckEligibility(admin_, check);
  ASSERT_OK(still_not);
  EXPECT_FALSE(still_not->eligible());

  const std::string y2018 = MustCampaign("Tổng kết năm 2018", 2018, 2018);
  auto certificate = Nominate(y2018, "GK_CAT", "", "P1");
  ASSERT_OK(certificate);
  ASSERT_OK(Approve(*certificate));
  ASSERT_OK(Issue({certificate->id()}, "5/QĐ-CAT", MakeDate(2018, 12, 20)));
  auto now_eligible = awards_->CheckEligibility(admin_, check);
  ASSERT_OK(now_eligible);
  EXPECT_TRUE(now_eligible->eligible());
  ASSERT_OK(Approve(*early));
  ASSERT_OK(Issue({early->id()}, "99/QĐ-BCA"));

  // A second medal, in another campaign: ineligible, and refused at issue
  // even when approved with a justification.
  const std::string later = MustCampaign("Sơ kết 2020", 2020, 2020);
  scoring_.Recognized("U1", {2020}, 2020);
  auto second = Nominate(later, "KNC_ANTQ", "", "P1");
  ASSERT_OK(second);
  EXPECT_FALSE(Rule(*second, "once_per_person")->passed());
  ASSERT_OK(Approve(*second, "Thử cấp lần hai"));
  EXPECT_CODE(Issue({second->id()}, "100/QĐ-BCA"),
              absl::StatusCode::kFailedPrecondition);

  // Revoked, the first medal no longer counts.
  v1::RevokeAwardRequest revoke;
  revoke.set_nomination_id(early->id());
  EXPECT_EQ(Fields(awards_->RevokeAward(admin_, revoke).status()),
            std::vector<std::string>{"reason"});
  revoke.set_reason("Hồ sơ khai không đúng");
  auto revoked = awards_->RevokeAward(admin_, revoke);
  ASSERT_OK(revoked);
  EXPECT_EQ(revoked->stage(), v1::NOMINATION_STAGE_REVOKED);
  EXPECT_CODE(awards_->RevokeAward(admin_, revoke),
              absl::StatusCode::kFailedPrecondition);
  check.set_nomination_id(second->id());
  auto after_revoke = awards_->CheckEligibility(admin_, check);
  ASSERT_OK(after_revoke);
  bool checked_once = false;
  for (const auto& r : after_revoke->eligibility()) {
    if (absl::EndsWith(r.rule(), "once_per_person")) {
      EXPECT_TRUE(r.passed()) << r.detail();
      checked_once = true;
    }
  }
  EXPECT_TRUE(checked_once);

  v1::ListRecipientAwardsRequest mine;
  mine.set_person_id("P1");
  auto awards = awards_->ListRecipientAwards(admin_, mine);
  ASSERT_OK(awards);
  EXPECT_EQ(awards->nominations_size(),
            3);  // the two certificates and the revoked medal
}

TEST_F(AwardsTest, SummaryListsAndBatches) {
  v1::BatchNominateRequest batch;
  for (const char* unit : {"U1", "U2", "U404"}) {
    v1::Nomination* n = batch.add_nominations();
    n->set_campaign_id(five_years_);
    n->set_award_type("GK_CAT");
    n->set_unit_id(unit);
  }
  v1::Nomination* person = batch.add_nominations();
  person->set_campaign_id(five_years_);
  person->set_award_type("GK_CAT");
  person->set_person_id("P1");
  auto created = awards_->BatchNominate(admin_, batch);
  ASSERT_OK(created);
  EXPECT_EQ(created->nominations_size(), 3);
  ASSERT_EQ(created->errors_size(), 1);
  EXPECT_EQ(created->errors(0).index(), 2);
  ASSERT_OK(Approve(created->nominations(0)));
  ASSERT_OK(Issue({created->nominations(0).id()}, "7/QĐ-CAT"));

  v1::GetCampaignSummaryRequest summary_request;
  summary_request.set_campaign_id(five_years_);
  auto summary = awards_->GetCampaignSummary(admin_, summary_request);
  ASSERT_OK(summary);
  std::map<std::tuple<int, int>, int64_t> counts;
  for (const auto& row : summary->rows()) {
    EXPECT_EQ(row.award_type(), "GK_CAT");
    counts[{row.recipient_kind(), row.stage()}] = row.count();
  }
  EXPECT_EQ(
      (counts[{v1::RECIPIENT_KIND_COLLECTIVE, v1::NOMINATION_STAGE_ISSUED}]),
      1);
  EXPECT_EQ(
      (counts[{v1::RECIPIENT_KIND_COLLECTIVE, v1::NOMINATION_STAGE_PROPOSED}]),
      1);
  EXPECT_EQ(
      (counts[{v1::RECIPIENT_KIND_INDIVIDUAL, v1::NOMINATION_STAGE_PROPOSED}]),
      1);
  summary_request.set_campaign_id("C0000000404");
  EXPECT_CODE(awards_->GetCampaignSummary(admin_, summary_request),
              absl::StatusCode::kNotFound);

  v1::ListNominationsRequest list;
  list.set_campaign_id(five_years_);
  list.set_stage(v1::NOMINATION_STAGE_PROPOSED);
  EXPECT_EQ(awards_->ListNominations(admin_, list)->total_size(), 2);
  list.Clear();
  list.set_unit_id("U1");
  EXPECT_EQ(awards_->ListNominations(admin_, list)->total_size(), 1);
  list.Clear();
  EXPECT_EQ(Fields(awards_->ListNominations(admin_, list).status()),
            std::vector<std::string>{"campaign_id"});
  v1::ListRecipientAwardsRequest none;
  EXPECT_EQ(Fields(awards_->ListRecipientAwards(admin_, none).status()),
            std::vector<std::string>{"recipient"});
}

// ------------------------------------------------ roles and area scope

// A unit of Quảng Trị (current province 44, legacy province 45, district 461)
// or, with `hanoi`, of Hà Nội (01; legacy 01, district 001).
rv1::Unit UnitIn(const std::string& id, bool hanoi) {
  rv1::Unit unit = Unit(id);
  unit.set_province_code(hanoi ? "01" : "44");
  unit.set_commune_code(hanoi ? "00004" : "18859");
  unit.set_legacy_province_code(hanoi ? "01" : "45");
  unit.set_legacy_district_code(hanoi ? "001" : "461");
  unit.set_legacy_commune_code(hanoi ? "00001" : "19330");
  return unit;
}

// Quảng Trị's unit QT and its leader P_QT, Hà Nội's unit HN and its leader
// P_HN, and P_NONE, who has no current unit; an officer of Quảng Trị, one of
// the legacy district 461, and an officer of the whole country.
class AwardsScopeTest : public AwardsTest {
 protected:
  void SetUp() override {
    AwardsTest::SetUp();
    registry_.Put(UnitIn("QT", /*hanoi=*/false));
    registry_.Put(UnitIn("HN", /*hanoi=*/true));
    for (const char* unit : {"QT", "HN"}) {
      scoring_.Recognized(unit, {2014, 2015, 2016, 2017, 2018, 2019}, 2019);
    }
    registry_.Put(Leader("P_QT", "QT", 2005));
    registry_.Put(Leader("P_HN", "HN", 2005));
    rv1::Person retired = Leader("P_NONE", "QT", 2005);
    retired.clear_unit_id();
    registry_.Put(retired);
  }

  // Nominates as `caller` for GK_CAT in the five-year campaign.
  absl::StatusOr<v1::Nomination> NominateAs(
      const Principal& caller, const std::string& unit_id,
      const std::string& person_id = "", const std::string& request_id = "") {
    v1::NominateRequest request;
    v1::Nomination* n = request.mutable_nomination();
    n->set_campaign_id(five_years_);
    n->set_award_type("GK_CAT");
    if (person_id.empty()) {
      n->set_unit_id(unit_id);
    } else {
      n->set_person_id(person_id);
    }
    request.set_request_id(request_id);
    return awards_->Nominate(caller, request);
  }

  int NominationCount() {
    v1::ListNominationsRequest list;
    list.set_campaign_id(five_years_);
    auto page = awards_->ListNominations(admin_, list);
    EXPECT_OK(page);
    return page.ok() ? page->total_size() : -1;
  }

  // PERMISSION_DENIED naming the caller and `what`, and not `hidden` (a
  // unit or person outside the caller's area it did not name itself).
  static void ExpectDenied(const absl::Status& status,
                           const std::string& caller, const std::string& what,
                           const std::string& hidden = "") {
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
    EXPECT_TRUE(absl::StrContains(status.message(), caller)) << status;
    EXPECT_TRUE(absl::StrContains(status.message(), what)) << status;
    if (!hidden.empty()) {
      EXPECT_FALSE(absl::StrContains(status.message(), hidden)) << status;
    }
  }

  const Principal quang_tri_{"officer-qt", Role::kOfficer, "44", "2026-07"};
  const Principal dong_ha_{"officer-dh", Role::kOfficer, "461", "2025-06"};
  const Principal national_{"officer", Role::kOfficer, "", ""};
};

TEST_F(AwardsScopeTest, AreaOfficerNominatesOnlyRecipientsInItsArea) {
  EXPECT_OK(NominateAs(quang_tri_, "QT"));
  EXPECT_OK(NominateAs(dong_ha_, "", "P_QT"));  // legacy edition, by unit QT
  ExpectDenied(NominateAs(quang_tri_, "HN").status(), "officer-qt", "unit HN");
  ExpectDenied(NominateAs(dong_ha_, "HN").status(), "officer-dh", "unit HN");
  ExpectDenied(NominateAs(quang_tri_, "", "P_HN").status(), "officer-qt",
               "person P_HN");
  // No current unit: outside every area.
  ExpectDenied(NominateAs(quang_tri_, "", "P_NONE").status(), "officer-qt",
               "person P_NONE");
  EXPECT_EQ(NominationCount(), 2);
  // An officer without an area limit, and an admin, nominate anywhere.
  EXPECT_OK(NominateAs(national_, "HN"));
  EXPECT_OK(NominateAs(admin_, "", "P_NONE"));
  // An unknown recipient is still NotFound.
  EXPECT_CODE(NominateAs(quang_tri_, "U404"), absl::StatusCode::kNotFound);
}

// Request ids are kept per caller: another caller's identical id is a
// request of its own. A retry answers with the first nomination only while
// it is in the caller's area: a principal whose area was narrowed since (the
// same name, reloaded with an area) is refused, not shown Hà Nội's.
TEST_F(AwardsScopeTest, ARetryShowsTheFirstAnswerOnlyWithinTheArea) {
  const Principal before{"officer-qt", Role::kOfficer, "", ""};
  auto first = NominateAs(before, "HN", "", "nominate-hn");
  ASSERT_OK(first);
  ExpectDenied(NominateAs(quang_tri_, "QT", "", "nominate-hn").status(),
               "officer-qt", "nomination " + first->id(), "HN");
  auto retry = NominateAs(before, "HN", "", "nominate-hn");
  ASSERT_OK(retry);
  EXPECT_EQ(retry->id(), first->id());

  auto own = NominateAs(national_, "QT", "", "nominate-hn");
  ASSERT_OK(own);
  EXPECT_NE(own->id(), first->id());
  EXPECT_EQ(own->unit_id(), "QT");
}

TEST_F(AwardsScopeTest, BatchRefusesEachItemOutsideTheAreaAndMakesTheRest) {
  v1::BatchNominateRequest batch;
  for (const char* unit : {"HN", "QT"}) {
    v1::Nomination* n = batch.add_nominations();
    n->set_campaign_id(five_years_);
    n->set_award_type("GK_CAT");
    n->set_unit_id(unit);
  }
  v1::Nomination* person = batch.add_nominations();
  person->set_campaign_id(five_years_);
  person->set_award_type("GK_CAT");
  person->set_person_id("P_NONE");
  auto result = awards_->BatchNominate(quang_tri_, batch);
  ASSERT_OK(result);
  ASSERT_EQ(result->nominations_size(), 1);
  EXPECT_EQ(result->nominations(0).unit_id(), "QT");
  ASSERT_EQ(result->errors_size(), 2);
  EXPECT_EQ(result->errors(0).index(), 0);
  EXPECT_TRUE(absl::StrContains(result->errors(0).message(), "unit HN"))
      << result->errors(0).message();
  EXPECT_TRUE(absl::StrContains(result->errors(0).message(), "outside"))
      << result->errors(0).message();
  EXPECT_EQ(result->errors(1).index(), 2);
  EXPECT_EQ(NominationCount(), 1);
}

// P_MIX works in Quảng Trị and led Hà Nội's unit HN2 in 2015–2016, with a
// disqualifying event there in 2015: the medal's rule "no disqualifying
// event in the units the person led" depends on a unit outside Quảng Trị.
TEST_F(AwardsScopeTest, EligibilityShowsNoFactsOfUnitsOutsideTheArea) {
  registry_.Put(UnitIn("HN2", /*hanoi=*/true));
  scoring_.Recognized("HN2", {2014, 2015, 2016, 2017, 2018, 2019}, 0, 2015);
  rv1::Person mixed = Leader("P_MIX", "QT", 2005);
  rv1::Position* led = mixed.add_positions();
  led->set_title("Giám đốc");
  led->set_role(rv1::POSITION_ROLE_LEADER);
  led->set_unit_id("HN2");
  led->mutable_start_date()->set_year(2015);
  led->mutable_start_date()->set_month(1);
  led->mutable_start_date()->set_day(1);
  led->mutable_end_date()->set_year(2016);
  led->mutable_end_date()->set_month(12);
  led->mutable_end_date()->set_day(31);
  registry_.Put(mixed);

  // Nothing shown to the officer may name HN2 or its event.
  const auto expect_hidden = [](const auto& results) {
    bool found = false;
    for (const v1::RuleResult& r : results) {
      EXPECT_FALSE(absl::StrContains(r.detail(), "HN2")) << r.detail();
      EXPECT_FALSE(absl::StrContains(r.detail(), "6.3.g")) << r.detail();
      EXPECT_TRUE(r.unit_ids().empty()) << r.rule();
      if (absl::EndsWith(r.rule(), "no_event_in_period")) {
        found = true;
        EXPECT_FALSE(r.passed());
        EXPECT_EQ(r.detail(), "depends on units outside the caller's area");
      }
    }
    EXPECT_TRUE(found);
  };

  v1::NominateRequest request;
  request.mutable_nomination()->set_campaign_id(five_years_);
  request.mutable_nomination()->set_award_type("KNC_ANTQ");
  request.mutable_nomination()->set_person_id("P_MIX");
  auto nominated = awards_->Nominate(quang_tri_, request);
  ASSERT_OK(nominated);
  expect_hidden(nominated->eligibility());

  // The record keeps the facts; a caller without an area limit sees them.
  const v1::Nomination stored = Get(nominated->id());
  const v1::RuleResult* rule = Rule(stored, "no_event_in_period");
  ASSERT_NE(rule, nullptr);
  EXPECT_TRUE(absl::StrContains(rule->detail(), "HN2")) << rule->detail();
  EXPECT_THAT(rule->unit_ids(), ::testing::ElementsAre("HN2", "QT"));

  v1::CheckEligibilityRequest check;
  check.set_nomination_id(nominated->id());
  auto checked = awards_->CheckEligibility(quang_tri_, check);
  ASSERT_OK(checked);
  expect_hidden(checked->eligibility());
  auto national = awards_->CheckEligibility(national_, check);
  ASSERT_OK(national);
  EXPECT_TRUE(absl::StrContains(national->DebugString(), "HN2"));

  v1::ListNominationsRequest list;
  list.set_person_id("P_MIX");
  auto page = awards_->ListNominations(quang_tri_, list);
  ASSERT_OK(page);
  ASSERT_EQ(page->nominations_size(), 1);
  expect_hidden(page->nominations(0).eligibility());

  // Approving it fails on that rule, and says so without the facts.
  v1::ApproveNominationRequest approve;
  approve.set_id(nominated->id());
  const absl::Status refused =
      awards_->ApproveNomination(quang_tri_, approve).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "outside the caller's area"))
      << refused;
  EXPECT_FALSE(absl::StrContains(refused.message(), "HN2")) << refused;

  v1::DeferNominationRequest defer;
  defer.set_id(nominated->id());
  defer.set_reason("Chờ xác minh");
  auto deferred = awards_->DeferNomination(quang_tri_, defer);
  ASSERT_OK(deferred);
  expect_hidden(deferred->eligibility());
}

TEST_F(AwardsScopeTest, AreaOfficerActsOnlyOnNominationsInItsArea) {
  auto qt = NominateAs(admin_, "QT");
  auto hn = NominateAs(admin_, "HN");
  auto hn_person = NominateAs(admin_, "", "P_HN");
  ASSERT_OK(qt);
  ASSERT_OK(hn);
  ASSERT_OK(hn_person);

  v1::CheckEligibilityRequest check;
  check.set_nomination_id(hn->id());
  // A stored nomination is named by its id, never by its recipient.
  ExpectDenied(awards_->CheckEligibility(quang_tri_, check).status(),
               "officer-qt", "nomination " + hn->id(), "HN");
  *check.mutable_nomination() = *hn_person;
  ExpectDenied(awards_->CheckEligibility(quang_tri_, check).status(),
               "officer-qt", "nomination " + hn_person->id(), "HN");
  check.set_nomination_id(qt->id());
  EXPECT_OK(awards_->CheckEligibility(quang_tri_, check));
  check.set_nomination_id("N0000000404");
  EXPECT_CODE(awards_->CheckEligibility(quang_tri_, check),
              absl::StatusCode::kNotFound);

  v1::ApproveNominationRequest approve;
  approve.set_id(hn->id());
  ExpectDenied(awards_->ApproveNomination(quang_tri_, approve).status(),
               "officer-qt", "nomination " + hn->id(), "HN");
  v1::DeferNominationRequest defer;
  defer.set_id(hn->id());
  defer.set_reason("Đang thanh tra");
  ExpectDenied(awards_->DeferNomination(quang_tri_, defer).status(),
               "officer-qt", "nomination " + hn->id(), "HN");
  v1::RejectNominationRequest reject;
  reject.set_id(hn_person->id());
  reject.set_reason("Có khiếu nại");
  ExpectDenied(awards_->RejectNomination(quang_tri_, reject).status(),
               "officer-qt", "nomination " + hn_person->id(), "HN");
  EXPECT_EQ(Get(hn->id()).stage(), v1::NOMINATION_STAGE_PROPOSED);
  EXPECT_EQ(Get(hn_person->id()).stage(), v1::NOMINATION_STAGE_PROPOSED);

  // Within the area each of them works.
  approve.set_id(qt->id());
  auto approved = awards_->ApproveNomination(quang_tri_, approve);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->stage(), v1::NOMINATION_STAGE_APPROVED);
  defer.set_id(qt->id());
  EXPECT_OK(awards_->DeferNomination(quang_tri_, defer));
  approve.set_id(qt->id());
  ASSERT_OK(awards_->ApproveNomination(quang_tri_, approve));
  ASSERT_OK(Approve(*hn));

  // A decision naming one nomination outside the area issues nothing.
  v1::IssueDecisionRequest issue;
  v1::Decision* d = issue.mutable_decision();
  d->set_number("3/QĐ-CAT");
  d->mutable_date()->set_year(2020);
  d->mutable_date()->set_month(5);
  d->mutable_date()->set_day(15);
  d->set_authority("Giám đốc Công an tỉnh Quảng Trị");
  d->set_signer("Đại tá Nguyễn Văn Hùng");
  issue.add_nomination_ids(qt->id());
  issue.add_nomination_ids(hn->id());
  ExpectDenied(awards_->IssueDecision(quang_tri_, issue).status(), "officer-qt",
               "nomination " + hn->id(), "HN");
  EXPECT_EQ(Get(qt->id()).stage(), v1::NOMINATION_STAGE_APPROVED);
  issue.clear_nomination_ids();
  issue.add_nomination_ids(qt->id());
  issue.add_nomination_ids("N0000000404");
  EXPECT_CODE(awards_->IssueDecision(quang_tri_, issue),
              absl::StatusCode::kNotFound);
  issue.clear_nomination_ids();
  issue.add_nomination_ids(qt->id());
  ASSERT_OK(awards_->IssueDecision(quang_tri_, issue));
  ASSERT_OK(Issue({hn->id()}, "4/QĐ-CAT"));

  v1::RevokeAwardRequest revoke;
  revoke.set_nomination_id(hn->id());
  revoke.set_reason("Hồ sơ khai không đúng");
  ExpectDenied(awards_->RevokeAward(quang_tri_, revoke).status(), "officer-qt",
               "nomination " + hn->id(), "HN");
  EXPECT_EQ(Get(hn->id()).stage(), v1::NOMINATION_STAGE_ISSUED);
  revoke.set_nomination_id(qt->id());
  EXPECT_OK(awards_->RevokeAward(quang_tri_, revoke));
}

TEST_F(AwardsScopeTest, AreaOfficerReadsOnlyTheRecordsOfItsArea) {
  v1::ListRecipientAwardsRequest awards;
  awards.set_unit_id("HN");
  ExpectDenied(awards_->ListRecipientAwards(quang_tri_, awards).status(),
               "officer-qt", "unit HN");
  awards.set_person_id("P_NONE");
  ExpectDenied(awards_->ListRecipientAwards(quang_tri_, awards).status(),
               "officer-qt", "person P_NONE");
  awards.set_unit_id("QT");
  EXPECT_OK(awards_->ListRecipientAwards(quang_tri_, awards));
  awards.set_person_id("P_QT");
  EXPECT_OK(awards_->ListRecipientAwards(dong_ha_, awards));
  awards.set_unit_id("U404");
  EXPECT_CODE(awards_->ListRecipientAwards(quang_tri_, awards),
              absl::StatusCode::kNotFound);

  ASSERT_OK(NominateAs(admin_, "QT"));
  ASSERT_OK(NominateAs(admin_, "HN"));
  v1::ListNominationsRequest list;
  list.set_campaign_id(five_years_);
  ExpectDenied(awards_->ListNominations(quang_tri_, list).status(),
               "officer-qt", "unit_id or person_id");
  list.set_unit_id("HN");
  ExpectDenied(awards_->ListNominations(quang_tri_, list).status(),
               "officer-qt", "unit HN");
  list.set_unit_id("QT");
  auto mine = awards_->ListNominations(quang_tri_, list);
  ASSERT_OK(mine);
  EXPECT_EQ(mine->total_size(), 1);
  list.set_person_id("P_HN");  // both filters must be in the area
  ExpectDenied(awards_->ListNominations(quang_tri_, list).status(),
               "officer-qt", "person P_HN");
  list.clear_unit_id();
  list.set_person_id("P_QT");
  EXPECT_OK(awards_->ListNominations(quang_tri_, list));
  // Without an area limit, the whole campaign.
  list.clear_person_id();
  auto all = awards_->ListNominations(national_, list);
  ASSERT_OK(all);
  EXPECT_EQ(all->total_size(), 2);
}

TEST_F(AwardsScopeTest, CampaignsSpanEveryAreaSoAnAreaOfficerLeavesThemAlone) {
  v1::CreateCampaignRequest create;
  create.mutable_campaign()->set_title("Tổng kết năm 2019");
  create.mutable_campaign()->set_first_year(2019);
  create.mutable_campaign()->set_last_year(2019);
  create.mutable_campaign()->mutable_nomination_deadline()->set_year(2020);
  create.mutable_campaign()->mutable_nomination_deadline()->set_month(3);
  create.mutable_campaign()->mutable_nomination_deadline()->set_day(31);
  ExpectDenied(awards_->CreateCampaign(quang_tri_, create).status(),
               "officer-qt", "create a campaign");
  v1::CloseCampaignRequest close;
  close.set_id(five_years_);
  ExpectDenied(awards_->CloseCampaign(dong_ha_, close).status(), "officer-dh",
               five_years_);
  v1::GetCampaignSummaryRequest summary;
  summary.set_campaign_id(five_years_);
  ExpectDenied(awards_->GetCampaignSummary(quang_tri_, summary).status(),
               "officer-qt", five_years_);
  auto campaigns = awards_->ListCampaigns({});
  ASSERT_OK(campaigns);
  ASSERT_EQ(campaigns->campaigns_size(), 1);
  EXPECT_EQ(campaigns->campaigns(0).status(), v1::CAMPAIGN_STATUS_OPEN);

  // An officer of the whole country manages campaigns.
  EXPECT_OK(awards_->GetCampaignSummary(national_, summary));
  EXPECT_OK(awards_->CreateCampaign(national_, create));
  EXPECT_OK(awards_->CloseCampaign(national_, close));
}

TEST_F(AwardsScopeTest, OnlyAnAdminApprovesWithAnOverrideJustification) {
  scoring_.Recognized("U3", {2018});  // 2019 missing: not eligible for GK_CAT
  registry_.Put(UnitIn("U3", /*hanoi=*/false));
  auto ineligible = NominateAs(admin_, "U3");
  auto eligible = NominateAs(admin_, "QT");
  ASSERT_OK(ineligible);
  ASSERT_OK(eligible);
  ASSERT_FALSE(ineligible->eligible());
  ASSERT_TRUE(eligible->eligible());

  v1::ApproveNominationRequest approve;
  approve.set_override_justification("Hồ sơ năm 2019 đã được xác minh");
  for (const Principal* officer : {&national_, &quang_tri_}) {
    for (const v1::Nomination* n : {&*ineligible, &*eligible}) {
      approve.set_id(n->id());
      ExpectDenied(awards_->ApproveNomination(*officer, approve).status(),
                   officer->name, "override_justification");
      EXPECT_EQ(Get(n->id()).stage(), v1::NOMINATION_STAGE_PROPOSED);
    }
  }
  // Without one, the officer's approval of an ineligible nomination is a
  // failed precondition; with one, the admin's is an approval.
  approve.set_id(ineligible->id());
  approve.clear_override_justification();
  EXPECT_CODE(awards_->ApproveNomination(national_, approve),
              absl::StatusCode::kFailedPrecondition);
  approve.set_override_justification("Hồ sơ năm 2019 đã được xác minh");
  auto approved = awards_->ApproveNomination(admin_, approve);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->stage(), v1::NOMINATION_STAGE_APPROVED);
  EXPECT_EQ(approved->override_justification(),
            "Hồ sơ năm 2019 đã được xác minh");
}

}  // namespace
}  // namespace antt::awards
