#include "services/scoring/rocksdb_scoring_store.h"

#include <gtest/gtest.h>

#include "common/date.h"
#include "tests/testing/test_util.h"

namespace antt::scoring {
namespace {

namespace rv1 = ::antt::registry::v1;

rv1::Unit MirrorUnit(const std::string& id, int established_year = 0) {
  rv1::Unit unit;
  unit.set_id(id);
  unit.set_kind(rv1::UNIT_KIND_AGENCY);
  unit.set_status(rv1::UNIT_STATUS_ACTIVE);
  unit.set_in_scope(true);
  unit.set_province_code("44");
  unit.set_legacy_province_code("45");
  unit.set_legacy_district_code("461");
  if (established_year != 0) {
    unit.mutable_established_date()->set_year(established_year);
    unit.mutable_established_date()->set_month(1);
    unit.mutable_established_date()->set_day(1);
  }
  return unit;
}

v1::Assessment Result(v1::Classification c, bool safe = true) {
  v1::Assessment a;
  a.set_stage(v1::STAGE_SUBMITTED);
  a.mutable_result()->set_meets_standard(safe);
  a.mutable_result()->set_classification(c);
  a.mutable_unit()->set_kind(rv1::UNIT_KIND_AGENCY);
  a.mutable_unit()->set_province_code("44");
  a.mutable_unit()->set_legacy_province_code("45");
  a.mutable_unit()->set_legacy_district_code("461");
  return a;
}

class RocksDbScoringStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = antt::testing::FreshTestDir();
    Reopen();
  }
  void Reopen(const ScoringSettings& settings = ScoringSettings()) {
    store_.reset();
    auto store = RocksDbScoringStore::Open(dir_, {}, settings);
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  v1::Assessment MustSubmit(const std::string& unit, int year,
                            const v1::Assessment& as) {
    auto a = store_->SubmitAssessment(
        unit, year, "", [&](const v1::Assessment*, v1::Assessment* out) {
          *out = as;
          return absl::OkStatus();
        });
    EXPECT_OK(a);
    return a.ok() ? *a : v1::Assessment();
  }

  YearCounts Cell(const std::string& edition, const std::string& area,
                  int year) {
    auto counts =
        store_->ReadCounts(edition, area, rv1::UNIT_KIND_AGENCY, year, year);
    EXPECT_OK(counts);
    return counts.ok() && !counts->empty() ? counts->front() : YearCounts();
  }

  std::string dir_;
  std::unique_ptr<RocksDbScoringStore> store_;
};

TEST_F(RocksDbScoringStoreTest, CountersFollowEveryWriteInEveryCell) {
  const v1::Assessment a =
      MustSubmit("U1", 2019, Result(v1::CLASSIFICATION_EXCELLENT));
  for (const auto& [edition, area] :
       std::vector<std::pair<std::string, std::string>>{{"", ""},
                                                        {"2026-07", "44"},
                                                        {"2025-06", "45"},
                                                        {"2025-06", "461"}}) {
    SCOPED_TRACE(edition + "/" + area);
    const YearCounts cell = Cell(edition, area, 2019);
    EXPECT_EQ(cell.counts.assessed, 1);
    EXPECT_EQ(cell.counts.excellent, 1);
    EXPECT_EQ(cell.counts.recognized, 0);
  }
  EXPECT_EQ(Cell("2025-06", "462", 2019).counts.assessed, 0);

  ASSERT_OK(store_->UpdateAssessment(a.id(), [](v1::Assessment* x) {
    x->set_stage(v1::STAGE_RECOGNIZED);
    x->mutable_result()->set_classification(v1::CLASSIFICATION_GOOD);
    return absl::OkStatus();
  }));
  const YearCounts after = Cell("2025-06", "45", 2019);
  EXPECT_EQ(after.counts.assessed, 1);
  EXPECT_EQ(after.counts.recognized, 1);
  EXPECT_EQ(after.counts.excellent, 0);
  EXPECT_EQ(after.counts.good, 1);
}

TEST_F(RocksDbScoringStoreTest, BatchUpdateIsAllOrNothing) {
  const v1::Assessment a =
      MustSubmit("U1", 2019, Result(v1::CLASSIFICATION_GOOD));
  const v1::Assessment b =
      MustSubmit("U2", 2019, Result(v1::CLASSIFICATION_GOOD));
  int calls = 0;
  EXPECT_CODE(
      store_->UpdateAssessments({a.id(), b.id()},
                                [&](v1::Assessment* x) {
                                  if (++calls == 2)
                                    return absl::FailedPreconditionError("no");
                                  x->set_stage(v1::STAGE_RECOGNIZED);
                                  return absl::OkStatus();
                                }),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetAssessment(a.id())->stage(), v1::STAGE_SUBMITTED);
  EXPECT_EQ(Cell("", "", 2019).counts.recognized, 0);
  EXPECT_CODE(store_->UpdateAssessments({a.id(), "A0000000404"},
                                        [](v1::Assessment* x) {
                                          x->set_stage(v1::STAGE_RECOGNIZED);
                                          return absl::OkStatus();
                                        }),
              absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetAssessment(a.id())->stage(), v1::STAGE_SUBMITTED);
}

TEST_F(RocksDbScoringStoreTest, InScopeIsARunningSumOfRegistryChanges) {
  ASSERT_OK(store_->ApplyRegistryUnit(MirrorUnit("U1"), 1));
  ASSERT_OK(store_->ApplyRegistryUnit(MirrorUnit("U2", 2018), 2));
  // Applying the same state again changes nothing.
  ASSERT_OK(store_->ApplyRegistryUnit(MirrorUnit("U2", 2018), 2));
  auto counts =
      store_->ReadCounts("2025-06", "45", rv1::UNIT_KIND_AGENCY, 2016, 2020);
  ASSERT_OK(counts);
  ASSERT_EQ(counts->size(), 5u);
  EXPECT_EQ((*counts)[0].in_scope, 1);  // 2016: U1 only
  EXPECT_EQ((*counts)[2].in_scope, 2);  // 2018: U2 established
  EXPECT_EQ((*counts)[4].in_scope, 2);

  rv1::Unit dissolved = MirrorUnit("U1");
  dissolved.set_status(rv1::UNIT_STATUS_DISSOLVED);
  dissolved.mutable_dissolve_date()->set_year(2019);
  dissolved.mutable_dissolve_date()->set_month(6);
  dissolved.mutable_dissolve_date()->set_day(30);
  ASSERT_OK(store_->ApplyRegistryUnit(dissolved, 3));
  rv1::Unit out_of_scope = MirrorUnit("U2", 2018);
  out_of_scope.set_in_scope(false);
  ASSERT_OK(store_->ApplyRegistryUnit(out_of_scope, 4));
  counts =
      store_->ReadCounts("2025-06", "45", rv1::UNIT_KIND_AGENCY, 2016, 2020);
  ASSERT_OK(counts);
  EXPECT_EQ((*counts)[2].in_scope, 1);  // 2018: U1 (U2 now out of scope)
  EXPECT_EQ((*counts)[3].in_scope, 1);  // 2019: U1 still existed
  EXPECT_EQ((*counts)[4].in_scope, 0);  // 2020: dissolved
  EXPECT_EQ(store_->RegistrySequence(), 4u);
}

// The assessment year of a unit established on 1 December 2018 is 2019:
// it is counted in scope from 2019, not 2018.
TEST_F(RocksDbScoringStoreTest, InScopeCountsByAssessmentYear) {
  rv1::Unit unit = MirrorUnit("U1");
  *unit.mutable_established_date() = MakeDate(2018, 12, 1);
  ASSERT_OK(store_->ApplyRegistryUnit(unit, 1));
  EXPECT_EQ(Cell("2025-06", "45", 2018).in_scope, 0);
  EXPECT_EQ(Cell("2025-06", "45", 2019).in_scope, 1);
  *unit.mutable_established_date() = MakeDate(2018, 11, 15);
  ASSERT_OK(store_->ApplyRegistryUnit(unit, 2));
  EXPECT_EQ(Cell("2025-06", "45", 2018).in_scope, 1);
}

// What was counted for a unit is undone as it was counted, whatever the
// calendar says by then: a province changing settings.json, or a mirror
// counted by calendar years before the years were kept with it.
TEST_F(RocksDbScoringStoreTest, AReplacedUnitIsUndoneAsItWasCounted) {
  ScoringSettings calendar;  // assessment years = calendar years
  calendar.year_start = {1, 1};
  calendar.year_end = {12, 31};
  rv1::Unit unit = MirrorUnit("U1");
  *unit.mutable_established_date() = MakeDate(2018, 12, 1);
  ASSERT_OK(store_->ApplyRegistryUnit(unit, 1));  // counted from 2019
  Reopen(calendar);
  unit.set_in_scope(false);
  ASSERT_OK(store_->ApplyRegistryUnit(unit, 2));
  for (int year : {2018, 2019, 2020}) {
    EXPECT_EQ(Cell("2025-06", "45", year).in_scope, 0) << year;
  }

  // Counted by calendar years (from 2018), with no years kept: a mirror
  // from before they were.
  unit.set_in_scope(true);
  ASSERT_OK(store_->ApplyRegistryUnit(unit, 3));
  EXPECT_EQ(Cell("2025-06", "45", 2018).in_scope, 1);
  rocksdb::WriteBatch forget;
  forget.Delete(store_->rocksdb()->cf(0), "mirror_years/U1");
  ASSERT_OK(store_->rocksdb()->Write(&forget));
  Reopen();
  unit.set_in_scope(false);
  ASSERT_OK(store_->ApplyRegistryUnit(unit, 4));
  for (int year : {2018, 2019, 2020}) {
    EXPECT_EQ(Cell("2025-06", "45", year).in_scope, 0) << year;
  }
}

TEST_F(RocksDbScoringStoreTest, EverythingSurvivesReopening) {
  ASSERT_OK(store_->ApplyRegistryUnit(MirrorUnit("U1"), 7));
  const v1::Assessment a =
      MustSubmit("U1", 2019, Result(v1::CLASSIFICATION_WEAK));
  ASSERT_OK(store_->AdvanceRegistrySequence(9));
  Reopen();
  ASSERT_NE(store_, nullptr);
  auto read = store_->GetAssessment(a.id());
  ASSERT_OK(read);
  EXPECT_EQ(read->SerializeAsString(), a.SerializeAsString());
  EXPECT_EQ(store_->RegistrySequence(), 9u);
  const YearCounts cell = Cell("2025-06", "461", 2019);
  EXPECT_EQ(cell.in_scope, 1);
  EXPECT_EQ(cell.counts.weak, 1);
  // Ids continue; the unit-and-year slot is still taken.
  EXPECT_EQ(MustSubmit("U2", 2019, Result(v1::CLASSIFICATION_GOOD)).id(),
            "A0000000002");
  auto units = store_->UnitAssessments("U1");
  ASSERT_OK(units);
  ASSERT_EQ(units->size(), 1u);
}

TEST_F(RocksDbScoringStoreTest, CallsWriteOneAuditRecordWithTheirChange) {
  // The follower's mirror writes serve no call: no record.
  ASSERT_OK(store_->ApplyRegistryUnit(MirrorUnit("U1"), 1));
  ASSERT_OK(store_->AdvanceRegistrySequence(2));
  bool more = true;
  auto records = store_->audit_log()->List(0, 100, &more);
  ASSERT_OK(records);
  EXPECT_TRUE(records->empty());

  const ScopedAuditCall call(
      AuditCall{"officer", "antt.scoring.v1.ScoringService/SubmitAssessment",
                std::string(64, 'e')});
  const v1::Assessment a1 =
      MustSubmit("U1", 2019, Result(v1::CLASSIFICATION_GOOD));
  const v1::Assessment a2 =
      MustSubmit("U2", 2019, Result(v1::CLASSIFICATION_GOOD));
  const auto review = [](v1::Assessment* a) {
    a->set_stage(v1::STAGE_REVIEWED);
    return absl::OkStatus();
  };
  ASSERT_OK(store_->UpdateAssessments({a2.id(), a1.id()}, review));
  // A refused change writes neither itself nor a record.
  EXPECT_CODE(
      store_->UpdateAssessment(
          a1.id(), [](v1::Assessment*) { return absl::AbortedError("stale"); }),
      absl::StatusCode::kAborted);
  EXPECT_CODE(store_->UpdateAssessment("A0000000099", review),
              absl::StatusCode::kNotFound);

  records = store_->audit_log()->List(0, 100, &more);
  ASSERT_OK(records);
  ASSERT_EQ(records->size(), 3u);
  const std::vector<std::vector<std::string>> targets = {
      {a1.id()}, {a2.id()}, {a2.id(), a1.id()}};
  for (size_t i = 0; i < records->size(); ++i) {
    const audit::v1::AuditRecord& record = (*records)[i];
    EXPECT_EQ(record.sequence(), i + 1);
    EXPECT_EQ(record.caller(), "officer");
    EXPECT_EQ(std::vector<std::string>(record.target_ids().begin(),
                                       record.target_ids().end()),
              targets[i]);
  }
  // The chain survives reopening and goes on from where it was.
  Reopen();
  ASSERT_OK(store_->UpdateAssessment(a1.id(), [](v1::Assessment* a) {
    a->set_stage(v1::STAGE_RETURNED);
    return absl::OkStatus();
  }));
  auto verified = store_->audit_log()->Verify();
  ASSERT_OK(verified);
  EXPECT_TRUE(verified->intact()) << verified->problem();
  EXPECT_EQ(verified->records_checked(), 4u);
}

}  // namespace
}  // namespace antt::scoring
