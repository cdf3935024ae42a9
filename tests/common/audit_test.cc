// The audit chain on a real RocksDB: records in the same write as the
// change, nothing on a failed write, verification down to the first broken
// record, a chain that continues across a restart, and the digests of the
// stored records checked against the records themselves.

#include "common/audit.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/digest.h"
#include "common/paging.h"
#include "rocksdb/write_batch.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

constexpr int kData = 1;
constexpr int kAudit = 2;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    log_.reset();
    db_.reset();
    absl::StatusOr<std::unique_ptr<RocksDb>> db =
        RocksDb::Open(dir_, {"default", "data", "audit"});
    ASSERT_OK(db);
    db_ = *std::move(db);
    absl::StatusOr<std::unique_ptr<AuditLog>> log =
        AuditLog::Open(db_.get(), kAudit, {kData});
    ASSERT_OK(log);
    log_ = *std::move(log);
  }

  // Writes key → value in a call by `caller`.
  absl::Status Change(const std::string& key, const std::string& caller) {
    const ScopedAuditCall call(
        {caller, "antt.test.v1.Test/Change", Sha256Hex(key)});
    rocksdb::WriteBatch batch;
    batch.Put(db_->cf(kData), key, "value");
    return log_->Write(&batch, {key});
  }

  // Deletes `key` in a call.
  absl::Status Remove(const std::string& key) {
    const ScopedAuditCall call({"a", "antt.test.v1.Test/Remove", "x"});
    rocksdb::WriteBatch batch;
    batch.Delete(db_->cf(kData), key);
    return log_->Write(&batch, {key});
  }

  // Writes straight into the store, as someone with the files would.
  void Tamper(const std::string& key, const std::string* value) {
    const rocksdb::Status s =
        value == nullptr
            ? db_->db()->Delete(rocksdb::WriteOptions(), db_->cf(kData), key)
            : db_->db()->Put(rocksdb::WriteOptions(), db_->cf(kData), key,
                             *value);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  audit::v1::VerifyRecordsResponse MustVerifyRecords() {
    absl::StatusOr<audit::v1::VerifyRecordsResponse> verdict =
        log_->VerifyRecords();
    EXPECT_OK(verdict);
    return verdict.ok() ? *verdict : audit::v1::VerifyRecordsResponse();
  }

  std::vector<audit::v1::AuditRecord> All() {
    bool more = false;
    absl::StatusOr<std::vector<audit::v1::AuditRecord>> records =
        log_->List(0, 1000, &more);
    EXPECT_OK(records);
    return records.ok() ? *records : std::vector<audit::v1::AuditRecord>{};
  }

  void Overwrite(const audit::v1::AuditRecord& record) {
    ASSERT_TRUE(db_->db()
                    ->Put(rocksdb::WriteOptions(), db_->cf(kAudit),
                          AuditLog::KeyOf(record.sequence()),
                          record.SerializeAsString())
                    .ok());
  }

  std::string dir_ = antt::testing::FreshTestDir();
  std::unique_ptr<RocksDb> db_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, EachCallAppendsALinkedRecordWithItsChange) {
  ASSERT_OK(Change("U1", "officer-a"));
  ASSERT_OK(Change("U2", "officer-b"));
  const std::vector<audit::v1::AuditRecord> records = All();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].sequence(), 1u);
  EXPECT_EQ(records[0].caller(), "officer-a");
  EXPECT_EQ(records[0].method(), "antt.test.v1.Test/Change");
  ASSERT_EQ(records[0].target_ids_size(), 1);
  EXPECT_EQ(records[0].target_ids(0), "U1");
  EXPECT_EQ(records[0].request_sha256(), Sha256Hex("U1"));
  EXPECT_EQ(records[0].previous_hash(), std::string(64, '0'));
  EXPECT_EQ(records[0].hash(), AuditLog::HashOf(records[0]));
  EXPECT_EQ(records[1].previous_hash(), records[0].hash());
  EXPECT_TRUE(records[1].has_time());
  EXPECT_OK(db_->Get(kData, "U2"));
}

TEST_F(AuditLogTest, AWriteOutsideACallHasNoRecord) {
  rocksdb::WriteBatch batch;
  batch.Put(db_->cf(kData), "mirror", "value");
  ASSERT_OK(log_->Write(&batch, {"mirror"}));
  EXPECT_TRUE(All().empty());
  absl::StatusOr<std::optional<std::string>> value = db_->Get(kData, "mirror");
  ASSERT_OK(value);
  EXPECT_TRUE(value->has_value());
}

TEST_F(AuditLogTest, AFailedWriteLeavesNeitherChangeNorRecord) {
  ASSERT_OK(Change("U1", "a"));
  {
    const ScopedAuditCall call({"b", "antt.test.v1.Test/Change", "x"});
    // A batch with a size limit that the change fits but the change and its
    // audit record do not: appending the record fails, so nothing is written.
    rocksdb::WriteBatch sized;
    sized.Put(db_->cf(kData), "U2", "value");
    rocksdb::WriteBatch batch(0, sized.GetDataSize() + 16);
    ASSERT_TRUE(batch.Put(db_->cf(kData), "U2", "value").ok());
    EXPECT_FALSE(log_->Write(&batch, {"U2"}).ok());
  }
  absl::StatusOr<std::optional<std::string>> value = db_->Get(kData, "U2");
  ASSERT_OK(value);
  EXPECT_FALSE(value->has_value());
  ASSERT_OK(Change("U4", "c"));
  const std::vector<audit::v1::AuditRecord> records = All();
  ASSERT_EQ(records.size(), 2u);
  // The failed write took no sequence number and left the chain unbroken.
  EXPECT_EQ(records[1].sequence(), 2u);
  EXPECT_EQ(records[1].target_ids(0), "U4");
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> verdict = log_->Verify();
  ASSERT_OK(verdict);
  EXPECT_TRUE(verdict->intact()) << verdict->problem();
}

TEST_F(AuditLogTest, ListPagesAfterASequence) {
  for (int i = 1; i <= 5; ++i) ASSERT_OK(Change(absl::StrCat("U", i), "a"));
  bool more = false;
  absl::StatusOr<std::vector<audit::v1::AuditRecord>> page =
      log_->List(1, 2, &more);
  ASSERT_OK(page);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].sequence(), 2u);
  EXPECT_TRUE(more);
  page = log_->List(3, 2, &more);
  ASSERT_OK(page);
  EXPECT_EQ(page->size(), 2u);
  EXPECT_FALSE(more);
}

// Records of large writes (each naming 20,000 records) end a page before it
// passes the byte budget every answer keeps under the 4 MiB message limit.
TEST_F(AuditLogTest, ListEndsAPageAtItsByteBudget) {
  for (int write = 0; write < 3; ++write) {
    const ScopedAuditCall call({"a", "antt.test.v1.Test/Issue", "x"});
    rocksdb::WriteBatch batch;
    std::vector<std::string> ids;
    for (int i = 0; i < 20000; ++i) {
      ids.push_back(absl::StrCat("N", write, "-", i));
      batch.Put(db_->cf(kData), ids.back(), "issued");
    }
    ASSERT_OK(log_->Write(&batch, ids));
  }
  bool more = false;
  absl::StatusOr<std::vector<audit::v1::AuditRecord>> page =
      log_->List(0, 1000, &more);
  ASSERT_OK(page);
  ASSERT_GT((*page)[0].ByteSizeLong(), kMaxPageBytes / 2);
  EXPECT_EQ(page->size(), 1u);
  EXPECT_TRUE(more);
  page = log_->List(1, 1000, &more);
  ASSERT_OK(page);
  EXPECT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].sequence(), 2u);
}

TEST_F(AuditLogTest, VerifyPassesThenNamesTheFirstAlteredRecord) {
  for (int i = 1; i <= 4; ++i) ASSERT_OK(Change(absl::StrCat("U", i), "a"));
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> verdict = log_->Verify();
  ASSERT_OK(verdict);
  EXPECT_TRUE(verdict->intact());
  EXPECT_EQ(verdict->records_checked(), 4u);
  EXPECT_EQ(verdict->last_sequence(), 4u);
  EXPECT_EQ(verdict->last_hash(), All().back().hash());

  audit::v1::AuditRecord second = All()[1];
  second.set_caller("someone-else");
  Overwrite(second);
  verdict = log_->Verify();
  ASSERT_OK(verdict);
  EXPECT_FALSE(verdict->intact());
  EXPECT_EQ(verdict->first_broken_sequence(), 2u);
  EXPECT_NE(verdict->problem().find("do not match its hash"),
            std::string::npos);

  // Re-hashing the forged record moves the break to the next link.
  second.set_hash(AuditLog::HashOf(second));
  Overwrite(second);
  verdict = log_->Verify();
  ASSERT_OK(verdict);
  EXPECT_FALSE(verdict->intact());
  EXPECT_EQ(verdict->first_broken_sequence(), 3u);
  EXPECT_NE(verdict->problem().find("previous_hash"), std::string::npos);
}

TEST_F(AuditLogTest, VerifyNamesARemovedRecord) {
  for (int i = 1; i <= 3; ++i) ASSERT_OK(Change(absl::StrCat("U", i), "a"));
  ASSERT_TRUE(
      db_->db()
          ->Delete(rocksdb::WriteOptions(), db_->cf(kAudit), AuditLog::KeyOf(2))
          .ok());
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> verdict = log_->Verify();
  ASSERT_OK(verdict);
  EXPECT_FALSE(verdict->intact());
  EXPECT_EQ(verdict->first_broken_sequence(), 2u);
  EXPECT_NE(verdict->problem().find("missing"), std::string::npos);
}

TEST_F(AuditLogTest, TheChainContinuesAfterARestart) {
  ASSERT_OK(Change("U1", "a"));
  const std::string first_hash = All()[0].hash();
  Open();
  ASSERT_OK(Change("U2", "a"));
  const std::vector<audit::v1::AuditRecord> records = All();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].sequence(), 2u);
  EXPECT_EQ(records[1].previous_hash(), first_hash);
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> verdict = log_->Verify();
  ASSERT_OK(verdict);
  EXPECT_TRUE(verdict->intact());
}

TEST_F(AuditLogTest, AnAnchorCatchesARewrittenOrShortenedChain) {
  for (int i = 1; i <= 4; ++i) ASSERT_OK(Change(absl::StrCat("U", i), "a"));
  const std::string third = All()[2].hash();
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> verdict =
      log_->Verify(3, third);
  ASSERT_OK(verdict);
  EXPECT_TRUE(verdict->intact()) << verdict->problem();

  verdict = log_->Verify(3, std::string(64, 'a'));
  ASSERT_OK(verdict);
  EXPECT_FALSE(verdict->intact());
  EXPECT_EQ(verdict->first_broken_sequence(), 3u);
  EXPECT_NE(verdict->problem().find("anchor"), std::string::npos);

  // Records 3 and 4 removed: without the anchor the shorter chain is
  // consistent; with it, the removal shows.
  for (uint64_t sequence : {3, 4}) {
    ASSERT_TRUE(db_->db()
                    ->Delete(rocksdb::WriteOptions(), db_->cf(kAudit),
                             AuditLog::KeyOf(sequence))
                    .ok());
  }
  verdict = log_->Verify();
  ASSERT_OK(verdict);
  EXPECT_TRUE(verdict->intact());
  verdict = log_->Verify(3, third);
  ASSERT_OK(verdict);
  EXPECT_FALSE(verdict->intact());
  EXPECT_EQ(verdict->first_broken_sequence(), 3u);
  EXPECT_NE(verdict->problem().find("ends at record 2"), std::string::npos)
      << verdict->problem();
}

TEST_F(AuditLogTest, ALongVerificationStopsWhenTheCallIsCancelled) {
  for (int i = 1; i <= 4100; ++i) ASSERT_OK(Change(absl::StrCat("U", i), "a"));
  int polls = 0;
  EXPECT_CODE(log_->Verify(0, "", [&] { return ++polls > 0; }),
              absl::StatusCode::kCancelled);
  EXPECT_EQ(polls, 1);
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> verdict =
      log_->Verify(0, "", [] { return false; });
  ASSERT_OK(verdict);
  EXPECT_EQ(verdict->records_checked(), 4100u);
}

TEST_F(AuditLogTest, EachRecordCarriesTheDigestsOfTheRecordsItsWriteStored) {
  {
    const ScopedAuditCall call({"a", "antt.test.v1.Test/Change", "x"});
    rocksdb::WriteBatch batch;
    batch.Put(db_->cf(kData), "U1", "one");
    batch.Put(db_->cf(0), "counter", "1");  // not a record table
    batch.Delete(db_->cf(kData), "U0");
    ASSERT_OK(log_->Write(&batch, {"U1"}));
  }
  const audit::v1::AuditRecord record = All().at(0);
  ASSERT_EQ(record.records_size(), 2);
  EXPECT_EQ(record.records(0).table(), "data");
  EXPECT_EQ(record.records(0).key(), "U1");
  EXPECT_EQ(record.records(0).sha256(), Sha256Hex("one"));
  EXPECT_EQ(record.records(1).key(), "U0");
  EXPECT_EQ(record.records(1).sha256(), "");  // deleted
  EXPECT_EQ(record.hash(), AuditLog::HashOf(record));

  // The digests are part of the record's hash.
  audit::v1::AuditRecord forged = record;
  forged.mutable_records(0)->set_sha256(Sha256Hex("forged"));
  EXPECT_NE(AuditLog::HashOf(forged), record.hash());
  Overwrite(forged);
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> chain = log_->Verify();
  ASSERT_OK(chain);
  EXPECT_FALSE(chain->intact());
  EXPECT_EQ(chain->first_broken_sequence(), 1u);
}

// RocksDB names column families by ids that need not be their index in the
// store's list: one dropped before leaves the next with a higher id.
TEST(AuditLogIdsTest, ADigestNamesItsTableWhateverTheFamilysId) {
  const std::string dir = antt::testing::FreshTestDir();
  {
    absl::StatusOr<std::unique_ptr<RocksDb>> db =
        RocksDb::Open(dir, {"default", "old", "data", "audit"});
    ASSERT_OK(db);
    ASSERT_TRUE((*db)->db()->DropColumnFamily((*db)->cf(1)).ok());
  }
  absl::StatusOr<std::unique_ptr<RocksDb>> db =
      RocksDb::Open(dir, {"default", "data", "audit"});
  ASSERT_OK(db);
  ASSERT_NE((*db)->cf(1)->GetID(), 1u);  // "data" is index 1, not id 1
  absl::StatusOr<std::unique_ptr<AuditLog>> log =
      AuditLog::Open(db->get(), /*cf=*/2, {/*data=*/1});
  ASSERT_OK(log);
  {
    const ScopedAuditCall call({"a", "antt.test.v1.Test/Change", "x"});
    rocksdb::WriteBatch batch;
    batch.Put((*db)->cf(1), "U1", "one");
    ASSERT_OK((*log)->Write(&batch, {"U1"}));
  }
  bool more = false;
  absl::StatusOr<std::vector<audit::v1::AuditRecord>> records =
      (*log)->List(0, 10, &more);
  ASSERT_OK(records);
  ASSERT_EQ(records->size(), 1u);
  ASSERT_EQ((*records)[0].records_size(), 1);
  EXPECT_EQ((*records)[0].records(0).table(), "data");
  absl::StatusOr<audit::v1::VerifyRecordsResponse> verdict =
      (*log)->VerifyRecords();
  ASSERT_OK(verdict);
  EXPECT_TRUE(verdict->intact());
  EXPECT_EQ(verdict->records_checked(), 1u);
}

TEST_F(AuditLogTest, VerifyRecordsNamesEachRecordChangedMissingOrUnaudited) {
  for (int i = 1; i <= 4; ++i) ASSERT_OK(Change(absl::StrCat("U", i), "a"));
  ASSERT_OK(Remove("U4"));  // deleted by a call: gone, as the audit says
  audit::v1::VerifyRecordsResponse verdict = MustVerifyRecords();
  EXPECT_TRUE(verdict.intact());
  EXPECT_EQ(verdict.records_checked(), 3u);
  EXPECT_EQ(verdict.audit_records_read(), 5u);
  EXPECT_TRUE(verdict.problems().empty());

  const std::string forged = "forged";
  Tamper("U1", &forged);
  Tamper("U2", nullptr);
  Tamper("U9", &forged);
  Tamper("U4", &forged);  // back, though its last audited write deleted it
  verdict = MustVerifyRecords();
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.records_checked(), 4u);
  ASSERT_EQ(verdict.problems_size(), 4);
  using Problem = audit::v1::RecordProblem;
  EXPECT_EQ(verdict.problems(0).key(), "U1");
  EXPECT_EQ(verdict.problems(0).kind(), Problem::CHANGED);
  EXPECT_EQ(verdict.problems(0).last_sequence(), 1u);
  EXPECT_EQ(verdict.problems(0).table(), "data");
  EXPECT_EQ(verdict.problems(1).key(), "U2");
  EXPECT_EQ(verdict.problems(1).kind(), Problem::MISSING);
  EXPECT_EQ(verdict.problems(1).last_sequence(), 2u);
  EXPECT_EQ(verdict.problems(2).key(), "U4");
  EXPECT_EQ(verdict.problems(2).kind(), Problem::CHANGED);
  EXPECT_EQ(verdict.problems(2).last_sequence(), 5u);
  EXPECT_EQ(verdict.problems(3).key(), "U9");
  EXPECT_EQ(verdict.problems(3).kind(), Problem::UNAUDITED);
  EXPECT_EQ(verdict.problems(3).last_sequence(), 0u);

  // Writing a record again through a call makes it sound again.
  ASSERT_OK(Change("U1", "a"));
  verdict = MustVerifyRecords();
  ASSERT_EQ(verdict.problems_size(), 3);
  EXPECT_EQ(verdict.problems(0).key(), "U2");
}

TEST_F(AuditLogTest, VerifyRecordsListsAHundredProblemsAndCountsTheRest) {
  const std::string forged = "forged";
  for (int i = 0; i < 105; ++i) Tamper(absl::StrCat("X", 1000 + i), &forged);
  const audit::v1::VerifyRecordsResponse verdict = MustVerifyRecords();
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.records_checked(), 105u);
  EXPECT_EQ(verdict.problems_size(), 100);
  EXPECT_EQ(verdict.problems_omitted(), 5u);
  EXPECT_EQ(verdict.problems(0).key(), "X1000");
}

TEST_F(AuditLogTest, VerifyRecordsChecksNothingAgainstABrokenChain) {
  for (int i = 1; i <= 3; ++i) ASSERT_OK(Change(absl::StrCat("U", i), "a"));
  audit::v1::AuditRecord second = All()[1];
  second.set_caller("someone-else");
  Overwrite(second);
  const audit::v1::VerifyRecordsResponse verdict = MustVerifyRecords();
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.chain_broken_sequence(), 2u);
  EXPECT_NE(verdict.chain_problem().find("do not match its hash"),
            std::string::npos);
  EXPECT_EQ(verdict.records_checked(), 0u);
}

TEST_F(AuditLogTest, ALongRecordsCheckStopsWhenTheCallIsCancelled) {
  for (int i = 1; i <= 4100; ++i) ASSERT_OK(Change(absl::StrCat("U", i), "a"));
  // Cancelled while walking the chain, and while re-hashing the records.
  int polls = 0;
  EXPECT_CODE(log_->VerifyRecords([&] { return ++polls > 0; }),
              absl::StatusCode::kCancelled);
  EXPECT_EQ(polls, 1);
  polls = 0;
  EXPECT_CODE(log_->VerifyRecords([&] { return ++polls > 1; }),
              absl::StatusCode::kCancelled);
  EXPECT_EQ(polls, 2);
  absl::StatusOr<audit::v1::VerifyRecordsResponse> verdict =
      log_->VerifyRecords([] { return false; });
  ASSERT_OK(verdict);
  EXPECT_TRUE(verdict->intact());
  EXPECT_EQ(verdict->records_checked(), 4100u);
}

TEST_F(AuditLogTest, AMergeIntoARecordTableIsRefusedNotLeftUnaudited) {
  const ScopedAuditCall call({"a", "antt.test.v1.Test/Change", "x"});
  rocksdb::WriteBatch batch;
  batch.Merge(db_->cf(kData), "U1", "x");
  EXPECT_CODE(log_->Write(&batch, {"U1"}), absl::StatusCode::kInternal);
  EXPECT_TRUE(All().empty());
}

}  // namespace
}  // namespace antt
