// Principals files, token lookup, reload, access policies and area scope.

#include "common/auth.h"

#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "antt/audit/v1/audit.grpc.pb.h"
#include "common/digest.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

std::string Entry(const std::string& name, const std::string& token,
                  const std::string& role, const std::string& extra = "") {
  return absl::StrCat(R"({"name": ")", name, R"(", "token_sha256": ")",
                      Sha256Hex(token), R"(", "role": ")", role, "\"", extra,
                      "}");
}

std::string File(const std::vector<std::string>& entries) {
  std::string text = R"({"principals": [)";
  for (size_t i = 0; i < entries.size(); ++i) {
    absl::StrAppend(&text, i ? ", " : "", entries[i]);
  }
  return text + "]}";
}

TEST(PrincipalSetTest, FindsEachPrincipalByItsTokenAndNoOtherToken) {
  absl::StatusOr<PrincipalSet> set = PrincipalSet::Parse(
      File({Entry("admin", "token-a", "ADMIN"),
            Entry("qt", "token-q", "OFFICER",
                  R"(, "area_code": "45", "edition": "2025-06")"),
            Entry("stats", "token-v", "VIEWER"),
            Entry("scoring", "token-s", "SERVICE")}),
      "test");
  ASSERT_OK(set);
  ASSERT_EQ(set->size(), 4u);
  const Principal* qt = set->FindByToken("token-q");
  ASSERT_NE(qt, nullptr);
  EXPECT_EQ(qt->name, "qt");
  EXPECT_EQ(qt->role, Role::kOfficer);
  EXPECT_EQ(qt->area_code, "45");
  EXPECT_EQ(qt->edition, "2025-06");
  EXPECT_EQ(set->FindByToken("token-s")->role, Role::kService);
  EXPECT_EQ(set->FindByToken("token-a")->role, Role::kAdmin);
  EXPECT_EQ(set->FindByToken("token-v")->role, Role::kViewer);
  EXPECT_EQ(set->FindByToken("token-x"), nullptr);
  EXPECT_EQ(set->FindByToken(""), nullptr);
  // The hash itself is not a token.
  EXPECT_EQ(set->FindByToken(Sha256Hex("token-a")), nullptr);
}

TEST(PrincipalSetTest, RejectsBadFilesNamingTheEntry) {
  const struct {
    std::string text;
    std::string expected;
  } cases[] = {
      {"not json", "not valid JSON"},
      {R"({"people": []})", "expected {\"principals\""},
      {File({R"({"token_sha256": ")" + Sha256Hex("t") +
             R"(", "role": "ADMIN"})"}),
       "principals[0]: \"name\" is required"},
      {File({R"({"name": "a", "token_sha256": "abc", "role": "ADMIN"})"}),
       "64 lower-case hex digits"},
      {File({R"({"name": "a", "token": "secret", "role": "ADMIN"})"}),
       "unknown key \"token\""},
      {File({Entry("a", "t1", "ROOT")}), "unknown role \"ROOT\""},
      {File({Entry("a", "t1", "ADMIN"), Entry("a", "t2", "VIEWER")}),
       "principals[1]: name \"a\" is used twice"},
      {File({Entry("a", "t1", "ADMIN"), Entry("b", "t1", "VIEWER")}),
       "two principals share one token"},
      {File({Entry("a", "t1", "OFFICER", R"(, "area_code": "45")")}),
       "go together"},
      {File({Entry("a", "t1", "VIEWER",
                   R"(, "area_code": "45", "edition": "2025-06")")}),
       "only an OFFICER"},
      {File({Entry("a", "t1", "ADMIN", R"(, "area_code": 45)")}),
       "must be a string"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<PrincipalSet> set = PrincipalSet::Parse(c.text, "p.json");
    ASSERT_FALSE(set.ok()) << c.text;
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(set.status().message().find(c.expected), std::string::npos)
        << set.status();
    EXPECT_NE(set.status().message().find("p.json"), std::string::npos);
  }
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  void Write(const std::string& text) { std::ofstream(path_) << text; }
  std::string path_ = antt::testing::FreshTestDir() + "/principals.json";
};

TEST_F(AuthenticatorTest, SaysWhatIsWrongWithTheHeaderWithoutEchoingIt) {
  Write(File({Entry("admin", "s3cret-token", "ADMIN")}));
  absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::FromFile(path_);
  ASSERT_OK(auth);
  const auto check = [&](const std::string* header) {
    return (*auth)->AuthenticateHeader(header);
  };
  EXPECT_CODE(check(nullptr), absl::StatusCode::kUnauthenticated);
  const std::string cases[] = {"",
                               "Bearer",
                               "Bearer ",
                               "Basic s3cret-token",
                               "s3cret-token",
                               "Bearer s3cret-tokem"};
  for (const std::string& header : cases) {
    absl::StatusOr<Principal> p = check(&header);
    EXPECT_CODE(p, absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(p.status().message().find("s3cret"), std::string::npos);
  }
  const std::string good = "Bearer s3cret-token";
  ASSERT_OK(check(&good));
  EXPECT_EQ(check(&good)->name, "admin");
  const std::string lower = "bearer s3cret-token";
  EXPECT_OK(check(&lower));
}

TEST_F(AuthenticatorTest, ReloadSwapsPrincipalsAndKeepsTheOldOnesOnError) {
  Write(File({Entry("first", "token-1", "ADMIN")}));
  absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::FromFile(path_);
  ASSERT_OK(auth);
  const std::string one = "Bearer token-1";
  const std::string two = "Bearer token-2";
  ASSERT_OK((*auth)->AuthenticateHeader(&one));

  Write(File({Entry("second", "token-2", "VIEWER")}));
  ASSERT_OK((*auth)->Reload());
  EXPECT_CODE((*auth)->AuthenticateHeader(&one),
              absl::StatusCode::kUnauthenticated);
  ASSERT_OK((*auth)->AuthenticateHeader(&two));

  Write("{broken");
  EXPECT_CODE((*auth)->Reload(), absl::StatusCode::kInvalidArgument);
  EXPECT_OK((*auth)->AuthenticateHeader(&two));  // still in force
}

TEST_F(AuthenticatorTest, AMissingFileFailsAtStart) {
  EXPECT_CODE(Authenticator::FromFile(path_ + ".missing"),
              absl::StatusCode::kNotFound);
  EXPECT_CODE(Authenticator::FromFile(""), absl::StatusCode::kInvalidArgument);
}

TEST(AuthenticatorInsecureTest, EveryoneIsAnAdminNamedInsecure) {
  std::unique_ptr<Authenticator> auth = Authenticator::Insecure();
  absl::StatusOr<Principal> p = auth->AuthenticateHeader(nullptr);
  ASSERT_OK(p);
  EXPECT_EQ(p->name, "insecure");
  EXPECT_EQ(p->role, Role::kAdmin);
  EXPECT_TRUE(auth->insecure());
}

TEST(AccessPolicyTest, ValidateNamesMissingAndUnknownMethods) {
  // Through a message of the file, so its descriptors are linked in.
  const google::protobuf::ServiceDescriptor* service =
      audit::v1::AuditRecord::descriptor()->file()->FindServiceByName(
          "AuditService");
  ASSERT_NE(service, nullptr);
  EXPECT_OK(AccessPolicy(service, {{"ListAuditRecords", kAdminOnly},
                                   {"VerifyAuditChain", kAdminOnly},
                                   {"VerifyRecords", kAdminOnly}})
                .Validate());
  absl::Status missing =
      AccessPolicy(service, {{"ListAuditRecords", kAdminOnly},
                             {"VerifyRecords", kAdminOnly}})
          .Validate();
  EXPECT_CODE(missing, absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.message().find("no rule for VerifyAuditChain"),
            std::string::npos)
      << missing;
  absl::Status unknown =
      AccessPolicy(service, {{"ListAuditRecords", kAdminOnly},
                             {"VerifyAuditChain", kAdminOnly},
                             {"VerifyRecords", kAdminOnly},
                             {"DeleteAuditRecords", kAdminOnly}})
          .Validate();
  EXPECT_NE(unknown.message().find("DeleteAuditRecords"), std::string::npos);
  AccessPolicy policy(service, {{"ListAuditRecords", kReaders}});
  EXPECT_EQ(policy.RolesFor("ListAuditRecords"), kReaders);
  EXPECT_EQ(policy.RolesFor("VerifyAuditChain"), 0);  // refused to all
}

TEST(PrincipalTest, InAreaMatchesTheOfficersAreaInItsEditionOnly) {
  Principal officer{"qt", Role::kOfficer, "45", "2025-06"};
  EXPECT_TRUE(officer.InArea("2025-06", {"45", "461"}));
  EXPECT_TRUE(officer.InArea("2025-06", {"", "45"}));
  EXPECT_FALSE(officer.InArea("2025-06", {"46", "474"}));
  EXPECT_FALSE(officer.InArea("2026-07", {"45"}));  // another edition's 45
  Principal everywhere{"hq", Role::kOfficer, "", ""};
  EXPECT_TRUE(everywhere.InArea("2026-07", {"01"}));
  EXPECT_EQ(officer.Describe(), "qt (OFFICER, area 45 of 2025-06)");
  absl::Status denied = OutsideArea(officer, "unit U1");
  EXPECT_CODE(denied, absl::StatusCode::kPermissionDenied);
  EXPECT_NE(denied.message().find("unit U1"), std::string::npos);
}

TEST(DigestTest, Sha256MatchesTheKnownVectorAndComparesInConstantTime) {
  // FIPS 180-2 test vector.
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("same", "same"));
  EXPECT_FALSE(ConstantTimeEquals("same", "sane"));
  EXPECT_FALSE(ConstantTimeEquals("same", "same!"));
}

}  // namespace
}  // namespace antt
