#include "services/registry/rocksdb_registry_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "common/field_violations.h"
#include "common/paging.h"
#include "common/text.h"
#include "services/registry/unit_rules.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::antt::registry::testing::Agency;
using ::antt::registry::testing::Enterprise;
using ::antt::registry::testing::Leader;
using ::antt::registry::testing::School;
using ::antt::registry::testing::ValidTaxCode;

// Fluent UnitQuery / PersonQuery builders.
struct Q {
  UnitQuery q;
  Q& Area(std::string edition, std::string code) {
    q.edition = std::move(edition);
    q.area_code = std::move(code);
    return *this;
  }
  Q& Kind(v1::UnitKind kind) {
    q.kind = kind;
    return *this;
  }
  Q& Level(v1::ManagingLevel level) {
    q.managing_level = level;
    return *this;
  }
  Q& Status(v1::UnitStatus status) {
    q.status = status;
    return *this;
  }
  Q& InScope(bool in_scope) {
    q.in_scope = in_scope;
    return *this;
  }
  Q& Folded(std::string folded) {
    q.folded_query = std::move(folded);
    return *this;
  }
  Q& PageSize(int size) {
    q.page_size = size;
    return *this;
  }
  operator UnitQuery() const { return q; }  // NOLINT: a builder
};

struct PQ {
  PersonQuery q;
  PQ& Unit(std::string id) {
    q.unit_id = std::move(id);
    return *this;
  }
  PQ& Folded(std::string folded) {
    q.folded_query = std::move(folded);
    return *this;
  }
  PQ& PageSize(int size) {
    q.page_size = size;
    return *this;
  }
  operator PersonQuery() const { return q; }  // NOLINT: a builder
};

v1::Unit Scoped(v1::Unit unit) {
  ComputeScope(&unit);
  return unit;
}

class RocksDbRegistryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = antt::testing::FreshTestDir();
    Reopen();
  }

  void Reopen() {
    store_.reset();
    auto store = RocksDbRegistryStore::Open(dir_);
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  v1::Unit MustCreate(const v1::Unit& unit,
                      const std::string& request_id = "") {
    absl::StatusOr<v1::Unit> created =
        store_->CreateUnit(Scoped(unit), request_id);
    EXPECT_OK(created);
    return created.ok() ? *created : v1::Unit();
  }

  UnitPage MustList(UnitQuery query) {
    absl::StatusOr<UnitPage> page = store_->ListUnits(query);
    EXPECT_OK(page);
    return page.ok() ? *page : UnitPage();
  }

  static std::vector<std::string> Ids(const UnitPage& page) {
    std::vector<std::string> ids;
    for (const auto& unit : page.units) ids.push_back(unit.id());
    return ids;
  }

  uint64_t ChangeCount() {
    auto changes = store_->ListChanges(0, 1000);
    EXPECT_OK(changes);
    return changes.ok() ? changes->size() : 0;
  }

  std::string dir_;
  std::unique_ptr<RocksDbRegistryStore> store_;
};

TEST_F(RocksDbRegistryStoreTest, CreateAssignsIdentityAndGetReturnsIt) {
  const v1::Unit created = MustCreate(Agency("Sở Tư pháp tỉnh Quảng Trị"));
  EXPECT_EQ(created.id(), "U0000000001");
  EXPECT_EQ(created.status(), v1::UNIT_STATUS_ACTIVE);
  EXPECT_EQ(created.etag(), "1");
  EXPECT_GT(created.create_time().seconds(), 0);
  EXPECT_EQ(created.create_time().seconds(), created.update_time().seconds());

  absl::StatusOr<v1::Unit> read = store_->GetUnit(created.id());
  ASSERT_OK(read);
  EXPECT_EQ(read->SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(MustCreate(Agency("Sở Y tế")).id(), "U0000000002");
}

TEST_F(RocksDbRegistryStoreTest, GetUnknownUnitIsNotFound) {
  EXPECT_CODE(store_->GetUnit("U0000000042"), absl::StatusCode::kNotFound);
  EXPECT_CODE(store_->GetPerson("P0000000042"), absl::StatusCode::kNotFound);
}

TEST_F(RocksDbRegistryStoreTest, RequestIdReturnsFirstResultAndWritesNothing) {
  const v1::Unit first = MustCreate(Agency("Sở Tư pháp"), "req-1");
  const v1::Unit retry = MustCreate(Agency("Sở Tư pháp (lần 2)"), "req-1");
  EXPECT_EQ(retry.id(), first.id());
  EXPECT_EQ(retry.name(), "Sở Tư pháp");
  EXPECT_EQ(MustList(Q()).total_size, 1);
  EXPECT_EQ(ChangeCount(), 1u);
  // Another id creates another unit.
  EXPECT_NE(MustCreate(Agency("Sở Tư pháp"), "req-2").id(), first.id());
}

TEST_F(RocksDbRegistryStoreTest, TaxCodeIsUniqueAmongActiveUnitsOnly) {
  const std::string tax = ValidTaxCode(1);
  const v1::Unit first = MustCreate(Enterprise("Công ty A", tax));
  absl::StatusOr<v1::Unit> duplicate =
      store_->CreateUnit(Scoped(Enterprise("Công ty B", tax)), "");
  EXPECT_CODE(duplicate, absl::StatusCode::kAlreadyExists);
  ASSERT_EQ(FieldViolationsOf(duplicate.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(duplicate.status())[0].first, "unit.tax_code");
  EXPECT_EQ(MustList(Q()).total_size, 1);  // nothing half-written
  EXPECT_EQ(ChangeCount(), 1u);

  ASSERT_OK(store_->UpdateUnit(first.id(), [](v1::Unit* unit) {
    unit->set_status(v1::UNIT_STATUS_DISSOLVED);
    return absl::OkStatus();
  }));
  const v1::Unit successor = MustCreate(Enterprise("Công ty B", tax));
  EXPECT_NE(successor.id(), first.id());
  // The dissolved holder cannot come back to life with the same tax code, as
  // it would make two active holders.
  EXPECT_CODE(store_->UpdateUnit(first.id(),
                                 [](v1::Unit* unit) {
                                   unit->set_status(v1::UNIT_STATUS_ACTIVE);
                                   return absl::OkStatus();
                                 }),
              absl::StatusCode::kAlreadyExists);
}

TEST_F(RocksDbRegistryStoreTest, ExternalIdIsUnique) {
  MustCreate(Agency("Sở Tư pháp", "QT-001"));
  absl::StatusOr<v1::Unit> duplicate =
      store_->CreateUnit(Scoped(Agency("Sở Y tế", "QT-001")), "");
  EXPECT_CODE(duplicate, absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(FieldViolationsOf(duplicate.status())[0].first, "unit.external_id");
}

TEST_F(RocksDbRegistryStoreTest, FailedMutationWritesNothing) {
  const v1::Unit unit = MustCreate(Agency("Sở Tư pháp"));
  EXPECT_CODE(store_->UpdateUnit(unit.id(),
                                 [](v1::Unit* u) {
                                   u->set_name("Đổi tên");
                                   return absl::AbortedError("stale");
                                 }),
              absl::StatusCode::kAborted);
  absl::StatusOr<v1::Unit> read = store_->GetUnit(unit.id());
  ASSERT_OK(read);
  EXPECT_EQ(read->name(), "Sở Tư pháp");
  EXPECT_EQ(read->etag(), "1");
  EXPECT_EQ(ChangeCount(), 1u);
}

TEST_F(RocksDbRegistryStoreTest, UpdateBumpsEtagKeepsIdentityAndMovesIndexes) {
  const v1::Unit unit = MustCreate(Agency("Sở Tư pháp"));
  absl::StatusOr<v1::Unit> updated =
      store_->UpdateUnit(unit.id(), [](v1::Unit* u) {
        u->set_id("U9999999999");  // ignored: identity is the store's
        u->set_name("Sở Nội vụ");
        u->set_legacy_district_code("462");
        u->clear_legacy_commune_code();
        return absl::OkStatus();
      });
  ASSERT_OK(updated);
  EXPECT_EQ(updated->id(), unit.id());
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(updated->create_time().seconds(), unit.create_time().seconds());

  UnitQuery old_district = Q().Area("2025-06", "461");
  UnitQuery new_district = Q().Area("2025-06", "462");
  EXPECT_EQ(MustList(old_district).total_size, 0);
  EXPECT_EQ(Ids(MustList(new_district)), std::vector<std::string>{unit.id()});
  EXPECT_EQ(MustList(Q().Folded("tu phap")).total_size, 0);
  EXPECT_EQ(MustList(Q().Folded("noi vu")).total_size, 1);

  auto changes = store_->ListChanges(0, 10);
  ASSERT_OK(changes);
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[1].type(), v1::CHANGE_TYPE_UPDATED);
  EXPECT_EQ((*changes)[1].id(), unit.id());
}

TEST_F(RocksDbRegistryStoreTest, ListFiltersByAreaAtEveryLevelOfBothEditions) {
  const v1::Unit here = MustCreate(Agency("Sở Tư pháp"));
  v1::Unit elsewhere = Agency("Sở Tư pháp Hà Nội");
  elsewhere.set_province_code("01");
  elsewhere.set_commune_code("00004");
  elsewhere.set_legacy_province_code("01");
  elsewhere.set_legacy_district_code("001");
  elsewhere.set_legacy_commune_code("00001");
  const v1::Unit there = MustCreate(elsewhere);

  const std::vector<std::string> only_here{here.id()};
  for (const auto& [edition, code] :
       std::vector<std::pair<std::string, std::string>>{{"2026-07", "44"},
                                                        {"2026-07", "18859"},
                                                        {"2025-06", "45"},
                                                        {"2025-06", "461"},
                                                        {"2025-06", "19330"}}) {
    SCOPED_TRACE(edition + "/" + code);
    EXPECT_EQ(Ids(MustList(Q().Area(edition, code))), only_here);
  }
  EXPECT_EQ(Ids(MustList(Q().Area("2026-07", "01"))),
            std::vector<std::string>{there.id()});
  EXPECT_EQ(MustList(Q()).total_size, 2);
}

TEST_F(RocksDbRegistryStoreTest, ListFiltersByAttributes) {
  const v1::Unit agency = MustCreate(Agency("Sở Tư pháp"));
  const v1::Unit medium =
      MustCreate(Enterprise("Công ty Vừa", ValidTaxCode(1)));
  const v1::Unit micro = MustCreate(
      Enterprise("Công ty Nhỏ", ValidTaxCode(2), v1::ENTERPRISE_SIZE_MICRO));
  const v1::Unit primary = MustCreate(
      School("Trường Tiểu học Kim Đồng", v1::EDUCATION_LEVEL_PRIMARY));
  const v1::Unit high = MustCreate(
      School("Trường THPT Nguyễn Du", v1::EDUCATION_LEVEL_UPPER_SECONDARY));

  EXPECT_EQ(Ids(MustList(Q().Kind(v1::UNIT_KIND_ENTERPRISE))),
            (std::vector<std::string>{medium.id(), micro.id()}));
  EXPECT_EQ(Ids(MustList(Q().InScope(false))),
            (std::vector<std::string>{micro.id(), primary.id()}));
  EXPECT_EQ(Ids(MustList(Q().Kind(v1::UNIT_KIND_EDUCATION).InScope(true))),
            std::vector<std::string>{high.id()});
  EXPECT_EQ(MustList(Q().Level(v1::MANAGING_LEVEL_COMMUNE)).total_size, 0);

  ASSERT_OK(store_->UpdateUnit(agency.id(), [](v1::Unit* u) {
    u->set_status(v1::UNIT_STATUS_DISSOLVED);
    return absl::OkStatus();
  }));
  EXPECT_EQ(Ids(MustList(Q().Status(v1::UNIT_STATUS_DISSOLVED))),
            std::vector<std::string>{agency.id()});
  EXPECT_EQ(MustList(Q().Status(v1::UNIT_STATUS_ACTIVE)).total_size, 4);
}

TEST_F(RocksDbRegistryStoreTest, QueryIsCaseAndDiacriticInsensitive) {
  const v1::Unit du = MustCreate(
      School("Trường THPT Nguyễn Du", v1::EDUCATION_LEVEL_UPPER_SECONDARY));
  const v1::Unit dong = MustCreate(Agency("Đài Phát thanh Đông Hà"));
  MustCreate(School("Trường THCS Lê Lợi", v1::EDUCATION_LEVEL_LOWER_SECONDARY));

  EXPECT_EQ(Ids(MustList(Q().Folded(FoldForSearch("truong thpt nguyen du")))),
            std::vector<std::string>{du.id()});
  EXPECT_EQ(Ids(MustList(Q().Folded(FoldForSearch("TRƯỜNG thpt NGUYEN")))),
            std::vector<std::string>{du.id()});
  // "đ" matches "d", and words match by prefix.
  EXPECT_EQ(Ids(MustList(Q().Folded(FoldForSearch("dai dong")))),
            std::vector<std::string>{dong.id()});
  EXPECT_EQ(MustList(Q().Folded(FoldForSearch("truong"))).total_size, 2);
  EXPECT_EQ(MustList(Q().Folded(FoldForSearch("nguyen trai"))).total_size, 0);
  // A query combines with the area and attribute filters.
  EXPECT_EQ(MustList(Q().Area("2026-07", "01").Folded(FoldForSearch("truong")))
                .total_size,
            0);
  EXPECT_EQ(
      MustList(
          Q().Kind(v1::UNIT_KIND_EDUCATION).Folded(FoldForSearch("truong le")))
          .total_size,
      1);
}

TEST_F(RocksDbRegistryStoreTest, PagesCoverEveryMatchOnceInIdOrder) {
  std::vector<std::string> created;
  for (int i = 0; i < 25; ++i) {
    created.push_back(MustCreate(School("Trường THPT số " + std::to_string(i),
                                        v1::EDUCATION_LEVEL_UPPER_SECONDARY))
                          .id());
  }
  for (const std::string& query : {std::string(), std::string("truong thpt")}) {
    SCOPED_TRACE(query);
    std::vector<std::string> seen;
    UnitQuery q = Q().Folded(query).PageSize(10);
    for (int pages = 0; pages < 10; ++pages) {
      UnitPage page = MustList(q);
      EXPECT_EQ(page.total_size, 25);
      for (const auto& unit : page.units) seen.push_back(unit.id());
      if (!page.more) break;
      q.after_id = page.units.back().id();
    }
    EXPECT_EQ(seen, created);
  }
}

TEST_F(RocksDbRegistryStoreTest, APageEndsBeforeItsUnitsPassTheByteBudget) {
  // Units as large as the rules let them be (50 models of 200 characters,
  // each 3 bytes in UTF-8: ~30 KB): 1,000 of them would be a 30 MB answer.
  std::vector<std::string> created;
  v1::Unit large = School("Trường lớn", v1::EDUCATION_LEVEL_UPPER_SECONDARY);
  std::string model;
  for (int i = 0; i < 200; ++i) model += "ộ";
  for (int i = 0; i < 50; ++i) large.add_models(model);
  const size_t unit_bytes = large.ByteSizeLong();
  ASSERT_GT(unit_bytes, 30000u);
  const int count = static_cast<int>(kMaxPageBytes / unit_bytes) + 10;
  for (int i = 0; i < count; ++i) created.push_back(MustCreate(large).id());

  for (const std::string& query : {std::string(), std::string("truong lon")}) {
    SCOPED_TRACE(query);
    UnitQuery q = Q().Folded(query).PageSize(kMaxPageSize);
    UnitPage first = MustList(q);
    EXPECT_TRUE(first.more);
    EXPECT_LT(first.units.size(), static_cast<size_t>(count));
    size_t bytes = 0;
    for (const auto& unit : first.units) bytes += unit.ByteSizeLong();
    EXPECT_LE(bytes, kMaxPageBytes);
    // The next page starts right after: nothing skipped, nothing twice.
    q.after_id = first.units.back().id();
    UnitPage second = MustList(q);
    EXPECT_FALSE(second.more);
    std::vector<std::string> seen = Ids(first);
    for (const std::string& id : Ids(second)) seen.push_back(id);
    EXPECT_EQ(seen, created);
  }
}

TEST_F(RocksDbRegistryStoreTest,
       UpsertMatchesEnterprisesOnTaxCodeOthersOnExternalId) {
  const auto keep_incoming = [](const v1::Unit& incoming) {
    return [incoming](const v1::Unit* existing, v1::Unit* result) {
      *result = incoming;
      if (existing != nullptr) result->set_status(existing->status());
      return absl::OkStatus();
    };
  };
  v1::Unit company = Scoped(Enterprise("Công ty A", ValidTaxCode(3)));
  auto first = store_->UpsertUnit(company, keep_incoming(company));
  ASSERT_OK(first);
  EXPECT_EQ(first->second, UpsertOutcome::kCreated);
  company.set_name("Công ty A (đổi tên)");
  auto second = store_->UpsertUnit(company, keep_incoming(company));
  ASSERT_OK(second);
  EXPECT_EQ(second->second, UpsertOutcome::kUpdated);
  EXPECT_EQ(second->first.id(), first->first.id());
  EXPECT_EQ(second->first.name(), "Công ty A (đổi tên)");
  EXPECT_EQ(second->first.etag(), "2");

  v1::Unit school = Scoped(School(
      "Trường THPT Đông Hà", v1::EDUCATION_LEVEL_UPPER_SECONDARY, "QT-SCH-1"));
  auto created = store_->UpsertUnit(school, keep_incoming(school));
  ASSERT_OK(created);
  EXPECT_EQ(created->second, UpsertOutcome::kCreated);
  auto updated = store_->UpsertUnit(school, keep_incoming(school));
  ASSERT_OK(updated);
  EXPECT_EQ(updated->second, UpsertOutcome::kUpdated);
  EXPECT_EQ(MustList(Q()).total_size, 2);

  // The upserter's refusal writes nothing.
  EXPECT_CODE(store_->UpsertUnit(school,
                                 [](const v1::Unit*, v1::Unit*) {
                                   return absl::FailedPreconditionError("no");
                                 }),
              absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ChangeCount(), 4u);
}

TEST_F(RocksDbRegistryStoreTest, ChangeFeedIsOrderedAndResumable) {
  const v1::Unit a = MustCreate(Agency("Sở A"));
  const v1::Unit b = MustCreate(Agency("Sở B"));
  ASSERT_OK(store_->UpdateUnit(a.id(), [](v1::Unit* u) {
    u->set_status(v1::UNIT_STATUS_DISSOLVED);
    return absl::OkStatus();
  }));
  auto person = store_->CreatePerson(Leader("Nguyễn Văn An", b.id(), 2010), "");
  ASSERT_OK(person);

  auto all = store_->ListChanges(0, 100);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 4u);
  for (size_t i = 0; i < all->size(); ++i)
    EXPECT_EQ((*all)[i].sequence(), i + 1);
  EXPECT_EQ((*all)[2].type(), v1::CHANGE_TYPE_DISSOLVED);
  EXPECT_EQ((*all)[3].entity(), v1::CHANGE_ENTITY_PERSON);
  EXPECT_EQ((*all)[3].id(), person->id());

  auto tail = store_->ListChanges(2, 1);
  ASSERT_OK(tail);
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].sequence(), 3u);
  auto none = store_->ListChanges(4, 100);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(RocksDbRegistryStoreTest, PersonsAreIndexedByUnitAndName) {
  const v1::Unit a = MustCreate(Agency("Sở A"));
  const v1::Unit b = MustCreate(Agency("Sở B"));
  auto an = store_->CreatePerson(Leader("Nguyễn Văn An", a.id(), 2010), "p-1");
  ASSERT_OK(an);
  EXPECT_EQ(an->id(), "P0000000001");
  EXPECT_EQ(an->status(), v1::PERSON_STATUS_ACTIVE);
  auto retry = store_->CreatePerson(Leader("Ai đó", a.id(), 2010), "p-1");
  ASSERT_OK(retry);
  EXPECT_EQ(retry->id(), an->id());
  auto binh = store_->CreatePerson(Leader("Trần Thị Bình", b.id(), 2012), "");
  ASSERT_OK(binh);

  auto by_unit = store_->ListPersons(PQ().Unit(a.id()));
  ASSERT_OK(by_unit);
  ASSERT_EQ(by_unit->persons.size(), 1u);
  EXPECT_EQ(by_unit->persons[0].id(), an->id());
  auto by_name =
      store_->ListPersons(PQ().Folded(FoldForSearch("tran thi binh")));
  ASSERT_OK(by_name);
  ASSERT_EQ(by_name->total_size, 1);
  EXPECT_EQ(by_name->persons[0].id(), binh->id());
  // A name query combines with the workplace filter.
  auto at_wrong_unit =
      store_->ListPersons(PQ().Unit(a.id()).Folded(FoldForSearch("binh")));
  ASSERT_OK(at_wrong_unit);
  EXPECT_EQ(at_wrong_unit->total_size, 0);
  auto at_right_unit =
      store_->ListPersons(PQ().Unit(b.id()).Folded(FoldForSearch("tran b")));
  ASSERT_OK(at_right_unit);
  EXPECT_EQ(at_right_unit->total_size, 1);
  auto everyone = store_->ListPersons(PQ().PageSize(1));
  ASSERT_OK(everyone);
  EXPECT_EQ(everyone->total_size, 2);
  EXPECT_TRUE(everyone->more);

  // Moving a person moves the unit index.
  auto moved = store_->UpdatePerson(an->id(), [&](v1::Person* p) {
    p->set_unit_id(b.id());
    return absl::OkStatus();
  });
  ASSERT_OK(moved);
  EXPECT_EQ(moved->etag(), "2");
  auto at_a = store_->ListPersons(PQ().Unit(a.id()));
  ASSERT_OK(at_a);
  EXPECT_EQ(at_a->total_size, 0);
  auto at_b = store_->ListPersons(PQ().Unit(b.id()));
  ASSERT_OK(at_b);
  EXPECT_EQ(at_b->total_size, 2);
  EXPECT_CODE(store_->UpdatePerson(
                  "P0000000099", [](v1::Person*) { return absl::OkStatus(); }),
              absl::StatusCode::kNotFound);
}

TEST_F(RocksDbRegistryStoreTest, DataAndCountersSurviveReopening) {
  const v1::Unit unit =
      MustCreate(Enterprise("Công ty A", ValidTaxCode(4)), "r1");
  auto person =
      store_->CreatePerson(Leader("Nguyễn Văn An", unit.id(), 2010), "");
  ASSERT_OK(person);
  Reopen();
  ASSERT_NE(store_, nullptr);

  absl::StatusOr<v1::Unit> read = store_->GetUnit(unit.id());
  ASSERT_OK(read);
  EXPECT_EQ(read->SerializeAsString(), unit.SerializeAsString());
  ASSERT_OK(store_->GetPerson(person->id()));
  // Ids are never reused, the feed continues, request ids are remembered and
  // unique keys still hold.
  EXPECT_EQ(MustCreate(Agency("Sở B")).id(), "U0000000002");
  EXPECT_EQ(MustCreate(Agency("Sở C"), "r1").id(), unit.id());
  EXPECT_CODE(
      store_->CreateUnit(Scoped(Enterprise("Công ty B", ValidTaxCode(4))), ""),
      absl::StatusCode::kAlreadyExists);
  auto changes = store_->ListChanges(2, 10);
  ASSERT_OK(changes);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].sequence(), 3u);
}

TEST_F(RocksDbRegistryStoreTest,
       ConcurrentCreatesGetDistinctIdsAndOneTaxCodeWinner) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> tax_winners{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto created = store_->CreateUnit(
            Scoped(Agency("Sở " + std::to_string(t) + "-" + std::to_string(i))),
            "");
        EXPECT_OK(created);
      }
      // Every thread races for the same tax code: exactly one may win.
      auto contested = store_->CreateUnit(
          Scoped(Enterprise("Công ty tranh chấp", ValidTaxCode(9))), "");
      if (contested.ok()) {
        ++tax_winners;
      } else {
        EXPECT_EQ(contested.status().code(), absl::StatusCode::kAlreadyExists);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(tax_winners.load(), 1);

  UnitPage all = MustList(Q().PageSize(1000));
  EXPECT_EQ(all.total_size, kThreads * kPerThread + 1);
  const std::vector<std::string> listed = Ids(all);
  const std::set<std::string> ids(listed.begin(), listed.end());
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kPerThread + 1));
  EXPECT_EQ(ChangeCount(), static_cast<uint64_t>(kThreads * kPerThread + 1));
}

}  // namespace
}  // namespace antt::registry
