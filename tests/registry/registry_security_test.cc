// The registry behind real TLS on a loopback port, with a principals file:
// transport security (plaintext, no client certificate, a foreign CA), bearer
// tokens, each role against each kind of RPC, an officer inside and outside
// its area, and the audit chain every mutation appends to.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "antt/audit/v1/audit.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/audit_service.h"
#include "common/digest.h"
#include "common/server_runner.h"
#include "google/protobuf/unknown_field_set.h"
#include "services/registry/registry_service.h"
#include "services/registry/rocksdb_registry_store.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/credentials.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::antt::registry::testing::Agency;
using ::antt::registry::testing::Leader;
using ::antt::testing::TestPki;
using ::grpc::StatusCode;

const AreaCatalog& Areas() { return antt::testing::SourceAreas(); }

// An agency in Hà Nội: outside Quảng Trị (legacy 45), where the fixtures are.
v1::Unit HanoiAgency(const std::string& name) {
  v1::Unit unit = Agency(name);
  unit.set_province_code("01");
  unit.set_commune_code("00004");
  unit.set_legacy_province_code("01");
  unit.set_legacy_district_code("001");
  unit.set_legacy_commune_code("00001");
  return unit;
}

class RegistrySecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = antt::testing::FreshTestDir();
    pki_ = std::make_unique<TestPki>(dir + "/pki");
    pki_->IssueCert("registry");
    pki_->IssueCert("client");
    admin_ = pki_->IssueToken("admin", "ADMIN");
    officer_ = pki_->IssueToken("officer-qt", "OFFICER", "45", "2025-06");
    national_officer_ = pki_->IssueToken("officer-hq", "OFFICER");
    viewer_ = pki_->IssueToken("viewer", "VIEWER");
    service_ = pki_->IssueToken("scoring", "SERVICE");

    auto store = RocksDbRegistryStore::Open(dir + "/db");
    ASSERT_OK(store);
    store_ = *std::move(store);
    auto authenticator = Authenticator::FromFile(pki_->principals());
    ASSERT_OK(authenticator);
    authenticator_ = *std::move(authenticator);
    registry_ = std::make_unique<Registry>(
        &Areas(), store_.get(), [] { return absl::CivilDay(2026, 11, 28); });
    service_impl_ = std::make_unique<RegistryServiceImpl>(registry_.get(),
                                                          authenticator_.get());
    audit_impl_ = std::make_unique<AuditServiceImpl>(store_->audit_log(),
                                                     authenticator_.get());
    ServerOptions options;
    options.service_name = "antt.registry.v1.RegistryService";
    options.listen = "127.0.0.1:0";
    options.tls = {pki_->cert("registry"), pki_->key("registry"), pki_->ca()};
    options.authenticator = authenticator_.get();
    auto server =
        GrpcServer::Start(options, {service_impl_.get(), audit_impl_.get()});
    ASSERT_OK(server);
    server_ = *std::move(server);
    // An IP, not "localhost": the certificate carries both, and resolving a
    // name makes c-ares allocate memory that LeakSanitizer reports.
    address_ = absl::StrCat("127.0.0.1:", server_->port());
  }

  void TearDown() override {
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
  }

  std::unique_ptr<v1::RegistryService::Stub> Stub(
      std::shared_ptr<grpc::ChannelCredentials> credentials) {
    return v1::RegistryService::NewStub(
        grpc::CreateChannel(address_, std::move(credentials)));
  }
  // Mutual TLS with the test client certificate, and `token`.
  std::unique_ptr<v1::RegistryService::Stub> As(const std::string& token) {
    return Stub(pki_->Credentials("client", token));
  }
  std::unique_ptr<audit::v1::AuditService::Stub> AuditAs(
      const std::string& token) {
    return audit::v1::AuditService::NewStub(
        grpc::CreateChannel(address_, pki_->Credentials("client", token)));
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  grpc::Status Create(const std::string& token, const v1::Unit& unit,
                      v1::Unit* out) {
    v1::CreateUnitRequest request;
    *request.mutable_unit() = unit;
    return As(token)->CreateUnit(Context().get(), request, out);
  }
  v1::Unit MustCreate(const v1::Unit& unit) {
    v1::Unit out;
    grpc::Status status = Create(admin_, unit, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  grpc::Status GetArea(const std::string& token) {
    v1::GetAreaRequest request;
    request.set_edition("2025-06");
    request.set_code("45");
    v1::Area area;
    return As(token)->GetArea(Context().get(), request, &area);
  }

  std::vector<audit::v1::AuditRecord> AuditRecords() {
    audit::v1::ListAuditRecordsRequest request;
    request.set_page_size(1000);
    audit::v1::ListAuditRecordsResponse response;
    grpc::Status status =
        AuditAs(admin_)->ListAuditRecords(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.records().begin(), response.records().end()};
  }

  std::unique_ptr<TestPki> pki_;
  std::string admin_, officer_, national_officer_, viewer_, service_;
  std::unique_ptr<RocksDbRegistryStore> store_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<RegistryServiceImpl> service_impl_;
  std::unique_ptr<AuditServiceImpl> audit_impl_;
  std::unique_ptr<GrpcServer> server_;
  std::string address_;
};

TEST_F(RegistrySecurityTest, PlaintextOnTheTlsPortIsRefused) {
  EXPECT_EQ(GetArea(admin_).error_code(), StatusCode::OK);
  v1::Area area;
  v1::GetAreaRequest request;
  request.set_edition("2025-06");
  request.set_code("45");
  grpc::Status status = Stub(grpc::InsecureChannelCredentials())
                            ->GetArea(Context().get(), request, &area);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE);
}

TEST_F(RegistrySecurityTest, AClientWithoutACertificateIsRefused) {
  v1::GetAreaRequest request;
  request.set_edition("2025-06");
  request.set_code("45");
  v1::Area area;
  grpc::Status status = Stub(pki_->Credentials("", admin_))
                            ->GetArea(Context().get(), request, &area);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE);
}

TEST_F(RegistrySecurityTest, ACertificateFromAnotherCaIsRefused) {
  TestPki other(pki_->dir() + "-other");
  other.IssueCert("client");
  // Trusts our server's CA but presents a certificate the other CA signed.
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = antt::testing::Slurp(pki_->ca());
  ssl.pem_cert_chain = antt::testing::Slurp(other.cert("client"));
  ssl.pem_private_key = antt::testing::Slurp(other.key("client"));
  v1::GetAreaRequest request;
  request.set_edition("2025-06");
  request.set_code("45");
  v1::Area area;
  grpc::Status status =
      Stub(grpc::CompositeChannelCredentials(
               grpc::SslCredentials(ssl), grpc::AccessTokenCredentials(admin_)))
          ->GetArea(Context().get(), request, &area);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE);
}

TEST_F(RegistrySecurityTest, NoTokenOrABadTokenIsUnauthenticated) {
  EXPECT_EQ(GetArea("").error_code(), StatusCode::UNAUTHENTICATED);
  grpc::Status bad = GetArea("not-a-token-anyone-holds");
  EXPECT_EQ(bad.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(bad.error_message().find("not-a-token"), std::string::npos);
  // A malformed header (not "Bearer …").
  v1::GetAreaRequest request;
  request.set_edition("2025-06");
  request.set_code("45");
  v1::Area area;
  auto context = Context();
  context->AddMetadata("authorization", "Basic " + admin_);
  EXPECT_EQ(As("")->GetArea(context.get(), request, &area).error_code(),
            StatusCode::UNAUTHENTICATED);
}

// On a TLS port every call needs a valid token before any service sees it:
// ANTT's own methods, health, server reflection, and paths nothing serves.
TEST_F(RegistrySecurityTest, EveryCallOnTheTlsPortNeedsAToken) {
  const auto call = [&](const std::string& token, const std::string& method) {
    grpc::GenericStub stub(
        grpc::CreateChannel(address_, pki_->Credentials("client", token)));
    auto context = Context();
    grpc::CompletionQueue queue;
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    auto rpc = stub.PrepareUnaryCall(context.get(), method, request, &queue);
    rpc->StartCall();
    grpc::Status status;
    rpc->Finish(&response, &status, nullptr);
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    return status;
  };
  const std::string reflection =
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
  const std::string health = "/grpc.health.v1.Health/Check";
  const std::string nothing = "/no.such.Service/Method";
  for (const std::string& token : {std::string(), std::string("forged")}) {
    for (const std::string& method : {reflection, health, nothing}) {
      const grpc::Status status = call(token, method);
      EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED)
          << method << ": " << status.error_message();
    }
  }
  // With a token, each is served as it would be.
  EXPECT_EQ(call(viewer_, reflection).error_code(), StatusCode::OK);
  EXPECT_EQ(call(viewer_, health).error_code(), StatusCode::OK);
  EXPECT_EQ(call(viewer_, nothing).error_code(), StatusCode::UNIMPLEMENTED);
}

TEST_F(RegistrySecurityTest, EachRoleAgainstEachKindOfRpc) {
  const v1::Unit unit = MustCreate(Agency("Sở Tư pháp"));
  struct Role {
    std::string name;
    const std::string* token;
    bool may_write;
    bool may_follow_changes;
    bool may_audit;
  };
  const Role roles[] = {
      {"ADMIN", &admin_, true, true, true},
      {"OFFICER", &national_officer_, true, false, false},
      {"VIEWER", &viewer_, false, false, false},
      {"SERVICE", &service_, false, true, false},
  };
  for (const Role& role : roles) {
    SCOPED_TRACE(role.name);
    const auto expect = [&](const grpc::Status& status, bool allowed) {
      if (allowed) {
        EXPECT_NE(status.error_code(), StatusCode::PERMISSION_DENIED)
            << status.error_message();
        EXPECT_NE(status.error_code(), StatusCode::UNAUTHENTICATED);
      } else {
        EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED);
      }
    };
    // Reads of reference data and of records: every role.
    EXPECT_TRUE(GetArea(*role.token).ok());
    v1::GetUnitRequest get;
    get.set_id(unit.id());
    v1::Unit got;
    expect(As(*role.token)->GetUnit(Context().get(), get, &got), true);
    // Writes.
    v1::Unit created;
    expect(Create(*role.token, Agency("Sở Y tế " + role.name), &created),
           role.may_write);
    v1::CreatePersonRequest person;
    *person.mutable_person() =
        Leader("Nguyễn Văn " + role.name, unit.id(), 2020);
    v1::Person person_out;
    expect(As(*role.token)->CreatePerson(Context().get(), person, &person_out),
           role.may_write);
    // The change feed.
    v1::ListChangesRequest changes;
    v1::ListChangesResponse changes_out;
    expect(As(*role.token)->ListChanges(Context().get(), changes, &changes_out),
           role.may_follow_changes);
    // The audit log.
    audit::v1::VerifyAuditChainRequest verify;
    audit::v1::VerifyAuditChainResponse verdict;
    expect(AuditAs(*role.token)
               ->VerifyAuditChain(Context().get(), verify, &verdict),
           role.may_audit);
  }
}

// Every RegistryService method, called with an empty request by each role:
// refused exactly where the README's roles table says, otherwise answered
// (or refused as invalid, or not found: the request is empty).
TEST_F(RegistrySecurityTest, EachRoleCallsExactlyTheMethodsItsRoleAdmits) {
  using Stub = v1::RegistryService::Stub;
  using Call = std::function<grpc::Status(Stub*)>;
  const auto call = [](auto rpc) -> Call {
    return [rpc](Stub* stub) { return rpc(stub, Context().get()); };
  };
  const Roles feed = RolesOf({Role::kAdmin, Role::kService});
  const std::vector<std::tuple<std::string, Call, Roles>> methods = {
      {"CreateUnit", call([](Stub* s, grpc::ClientContext* c) {
         v1::Unit out;
         return s->CreateUnit(c, v1::CreateUnitRequest(), &out);
       }),
       kWriters},
      {"GetUnit", call([](Stub* s, grpc::ClientContext* c) {
         v1::Unit out;
         return s->GetUnit(c, v1::GetUnitRequest(), &out);
       }),
       kReaders},
      {"UpdateUnit", call([](Stub* s, grpc::ClientContext* c) {
         v1::Unit out;
         return s->UpdateUnit(c, v1::UpdateUnitRequest(), &out);
       }),
       kWriters},
      {"DissolveUnit", call([](Stub* s, grpc::ClientContext* c) {
         v1::Unit out;
         return s->DissolveUnit(c, v1::DissolveUnitRequest(), &out);
       }),
       kWriters},
      {"ListUnits", call([](Stub* s, grpc::ClientContext* c) {
         v1::ListUnitsResponse out;
         return s->ListUnits(c, v1::ListUnitsRequest(), &out);
       }),
       kReaders},
      {"ImportUnits", call([](Stub* s, grpc::ClientContext* c) {
         v1::ImportUnitsResponse out;
         auto writer = s->ImportUnits(c, &out);
         writer->WritesDone();
         return writer->Finish();
       }),
       kWriters},
      {"ListChanges", call([](Stub* s, grpc::ClientContext* c) {
         v1::ListChangesResponse out;
         return s->ListChanges(c, v1::ListChangesRequest(), &out);
       }),
       feed},
      {"GetArea", call([](Stub* s, grpc::ClientContext* c) {
         v1::Area out;
         return s->GetArea(c, v1::GetAreaRequest(), &out);
       }),
       kReaders},
      {"ListAreas", call([](Stub* s, grpc::ClientContext* c) {
         v1::ListAreasResponse out;
         return s->ListAreas(c, v1::ListAreasRequest(), &out);
       }),
       kReaders},
      {"CreatePerson", call([](Stub* s, grpc::ClientContext* c) {
         v1::Person out;
         return s->CreatePerson(c, v1::CreatePersonRequest(), &out);
       }),
       kWriters},
      {"GetPerson", call([](Stub* s, grpc::ClientContext* c) {
         v1::Person out;
         return s->GetPerson(c, v1::GetPersonRequest(), &out);
       }),
       kReaders},
      {"UpdatePerson", call([](Stub* s, grpc::ClientContext* c) {
         v1::Person out;
         return s->UpdatePerson(c, v1::UpdatePersonRequest(), &out);
       }),
       kWriters},
      {"ListPersons", call([](Stub* s, grpc::ClientContext* c) {
         v1::ListPersonsResponse out;
         return s->ListPersons(c, v1::ListPersonsRequest(), &out);
       }),
       kReaders},
  };
  // Every method of the service is in the table.
  const google::protobuf::ServiceDescriptor* service =
      v1::Unit::descriptor()->file()->FindServiceByName("RegistryService");
  ASSERT_NE(service, nullptr);
  ASSERT_EQ(methods.size(), static_cast<size_t>(service->method_count()));
  const std::vector<std::pair<const std::string*, Role>> callers = {
      {&admin_, Role::kAdmin},
      {&national_officer_, Role::kOfficer},
      {&viewer_, Role::kViewer},
      {&service_, Role::kService}};
  for (const auto& [method, rpc, roles] : methods) {
    for (const auto& [token, role] : callers) {
      SCOPED_TRACE(absl::StrCat(method, " by ", RoleName(role)));
      auto stub = As(*token);
      const grpc::Status status = rpc(stub.get());
      if ((roles & static_cast<Roles>(role)) == 0) {
        EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
            << status.error_message();
        EXPECT_NE(status.error_message().find(method), std::string::npos)
            << status.error_message();
      } else {
        EXPECT_TRUE(status.ok() ||
                    status.error_code() == StatusCode::INVALID_ARGUMENT ||
                    status.error_code() == StatusCode::NOT_FOUND)
            << status.error_code() << " " << status.error_message();
      }
    }
  }
}

// Two callers choosing the same request id get records of their own; the
// same caller retrying gets its first answer.
TEST_F(RegistrySecurityTest, RequestIdsBelongToTheirCaller) {
  v1::CreateUnitRequest hanoi;
  *hanoi.mutable_unit() = HanoiAgency("Sở Tài chính Hà Nội");
  hanoi.set_request_id("req-1");
  v1::Unit first;
  ASSERT_TRUE(
      As(national_officer_)->CreateUnit(Context().get(), hanoi, &first).ok());

  // The Quảng Trị officer reuses the id with a unit of its own: it gets its
  // own new unit, not Hà Nội's.
  v1::CreateUnitRequest mine;
  *mine.mutable_unit() = Agency("Sở Tài chính Quảng Trị");
  mine.set_request_id("req-1");
  v1::Unit own;
  ASSERT_TRUE(As(officer_)->CreateUnit(Context().get(), mine, &own).ok());
  EXPECT_NE(own.id(), first.id());
  EXPECT_EQ(own.name(), "Sở Tài chính Quảng Trị");

  // The same caller retrying gets its first answer back.
  v1::Unit again;
  ASSERT_TRUE(As(officer_)->CreateUnit(Context().get(), mine, &again).ok());
  EXPECT_EQ(again.id(), own.id());
}

TEST_F(RegistrySecurityTest, AnOfficerActsOnlyInsideItsArea) {
  const v1::Unit inside = MustCreate(Agency("Sở Giáo dục Quảng Trị"));
  const v1::Unit outside = MustCreate(HanoiAgency("Sở Giáo dục Hà Nội"));
  auto officer = As(officer_);

  v1::GetUnitRequest get;
  v1::Unit got;
  get.set_id(inside.id());
  EXPECT_TRUE(officer->GetUnit(Context().get(), get, &got).ok());
  get.set_id(outside.id());
  grpc::Status denied = officer->GetUnit(Context().get(), get, &got);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("officer-qt"), std::string::npos);
  EXPECT_NE(denied.error_message().find(outside.id()), std::string::npos);

  v1::Unit created;
  EXPECT_TRUE(Create(officer_, Agency("Sở Xây dựng"), &created).ok());
  EXPECT_EQ(
      Create(officer_, HanoiAgency("Sở Xây dựng HN"), &created).error_code(),
      StatusCode::PERMISSION_DENIED);

  // Moving a unit of its area elsewhere is as forbidden as touching one
  // elsewhere.
  v1::UpdateUnitRequest move;
  *move.mutable_unit() = HanoiAgency("Sở Giáo dục Quảng Trị");
  move.mutable_unit()->set_id(inside.id());
  move.mutable_unit()->set_etag(inside.etag());
  move.mutable_update_mask()->add_paths("province_code");
  move.mutable_update_mask()->add_paths("commune_code");
  move.mutable_update_mask()->add_paths("legacy_province_code");
  move.mutable_update_mask()->add_paths("legacy_district_code");
  move.mutable_update_mask()->add_paths("legacy_commune_code");
  v1::Unit moved;
  EXPECT_EQ(officer->UpdateUnit(Context().get(), move, &moved).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::DissolveUnitRequest dissolve;
  dissolve.set_id(outside.id());
  dissolve.set_etag(outside.etag());
  dissolve.mutable_dissolve_date()->set_year(2026);
  dissolve.mutable_dissolve_date()->set_month(1);
  dissolve.mutable_dissolve_date()->set_day(1);
  dissolve.set_reason("sáp nhập");
  v1::Unit dissolved;
  EXPECT_EQ(
      officer->DissolveUnit(Context().get(), dissolve, &dissolved).error_code(),
      StatusCode::PERMISSION_DENIED);

  // Listing: its own area or one inside it; not the whole country, not
  // another province, not its province's code in the other edition.
  const auto list = [&](const std::string& edition, const std::string& code) {
    v1::ListUnitsRequest request;
    request.set_edition(edition);
    request.set_area_code(code);
    v1::ListUnitsResponse response;
    return officer->ListUnits(Context().get(), request, &response).error_code();
  };
  EXPECT_EQ(list("2025-06", "45"), StatusCode::OK);
  EXPECT_EQ(list("2025-06", "461"), StatusCode::OK);  // a district of 45
  EXPECT_EQ(list("2025-06", ""), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(list("2025-06", "01"), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(list("2026-07", "44"), StatusCode::PERMISSION_DENIED);

  // Persons follow their current unit.
  v1::CreatePersonRequest person;
  *person.mutable_person() = Leader("Trần Văn A", inside.id(), 2020);
  v1::Person person_in;
  EXPECT_TRUE(officer->CreatePerson(Context().get(), person, &person_in).ok());
  *person.mutable_person() = Leader("Trần Văn B", outside.id(), 2020);
  v1::Person person_out;
  EXPECT_EQ(
      officer->CreatePerson(Context().get(), person, &person_out).error_code(),
      StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      As(admin_)->CreatePerson(Context().get(), person, &person_out).ok());
  v1::GetPersonRequest get_person;
  get_person.set_id(person_out.id());
  v1::Person read;
  EXPECT_EQ(officer->GetPerson(Context().get(), get_person, &read).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::ListPersonsRequest persons;
  v1::ListPersonsResponse persons_out;
  EXPECT_EQ(
      officer->ListPersons(Context().get(), persons, &persons_out).error_code(),
      StatusCode::PERMISSION_DENIED);
  persons.set_unit_id(inside.id());
  EXPECT_TRUE(
      officer->ListPersons(Context().get(), persons, &persons_out).ok());
  EXPECT_EQ(persons_out.persons_size(), 1);

  // An import stops at the first row outside the area.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::ImportUnitsResponse imported;
  auto writer = officer->ImportUnits(&context, &imported);
  v1::ImportUnitsRequest row;
  *row.mutable_unit() = Agency("Trường A", "QT-A");
  ASSERT_TRUE(writer->Write(row));
  *row.mutable_unit() = HanoiAgency("Trường B");
  row.mutable_unit()->set_external_id("HN-B");
  writer->Write(row);
  writer->WritesDone();
  EXPECT_EQ(writer->Finish().error_code(), StatusCode::PERMISSION_DENIED);
  // The row before the refused one stays written, as the README says.
  v1::ListUnitsRequest quang_tri;
  quang_tri.set_edition("2025-06");
  quang_tri.set_area_code("45");
  quang_tri.set_query("Trường A");
  v1::ListUnitsResponse found;
  ASSERT_TRUE(officer->ListUnits(Context().get(), quang_tri, &found).ok());
  ASSERT_EQ(found.units_size(), 1);
  EXPECT_EQ(found.units(0).external_id(), "QT-A");
}

// Every unit a person record refers to opens that unit's facts (eligibility
// reads the history of the units a person led), so an area-limited officer
// may refer only to units of its area — on create and on update — and a
// refusal names the field, never where the unit lies.
TEST_F(RegistrySecurityTest, AnOfficersPersonRefersOnlyToUnitsOfItsArea) {
  const v1::Unit inside = MustCreate(Agency("Sở Giáo dục Quảng Trị"));
  const v1::Unit outside = MustCreate(HanoiAgency("Sở Giáo dục Hà Nội"));
  auto officer = As(officer_);

  v1::Person forged = Leader("Nguyễn Văn An", inside.id(), 2010);
  v1::Position* elsewhere = forged.add_positions();
  elsewhere->set_title("Giám đốc");
  elsewhere->set_role(v1::POSITION_ROLE_LEADER);
  elsewhere->set_unit_id(outside.id());
  elsewhere->mutable_start_date()->set_year(2000);
  elsewhere->mutable_start_date()->set_month(1);
  elsewhere->mutable_start_date()->set_day(1);
  elsewhere->mutable_end_date()->set_year(2009);
  elsewhere->mutable_end_date()->set_month(12);
  elsewhere->mutable_end_date()->set_day(31);
  v1::CreatePersonRequest create;
  *create.mutable_person() = forged;
  v1::Person person;
  grpc::Status refused =
      officer->CreatePerson(Context().get(), create, &person);
  EXPECT_EQ(refused.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(refused.error_message().find("person.positions[1].unit_id"),
            std::string::npos)
      << refused.error_message();

  // Created with its own unit only, then updated to add the other one.
  *create.mutable_person() = Leader("Nguyễn Văn An", inside.id(), 2010);
  ASSERT_TRUE(officer->CreatePerson(Context().get(), create, &person).ok());
  v1::UpdatePersonRequest update;
  *update.mutable_person() = forged;
  update.mutable_person()->set_id(person.id());
  update.mutable_person()->set_etag(person.etag());
  update.mutable_update_mask()->add_paths("positions");
  v1::Person updated;
  refused = officer->UpdatePerson(Context().get(), update, &updated);
  EXPECT_EQ(refused.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(refused.error_message().find("person.positions[1].unit_id"),
            std::string::npos)
      << refused.error_message();

  // An administrator records the earlier post; the officer may still
  // correct the person, keeping that position as it is.
  ASSERT_TRUE(As(admin_)->UpdatePerson(Context().get(), update, &updated).ok());
  v1::UpdatePersonRequest rename;
  *rename.mutable_person() = updated;
  rename.mutable_person()->set_full_name("Nguyễn Văn Ân");
  rename.mutable_update_mask()->add_paths("full_name");
  rename.mutable_update_mask()->add_paths("positions");
  v1::Person renamed;
  grpc::Status kept = officer->UpdatePerson(Context().get(), rename, &renamed);
  EXPECT_TRUE(kept.ok()) << kept.error_message();
  EXPECT_EQ(renamed.positions_size(), 2);
  // A newer client's unknown field on the kept position keeps it the same.
  rename.mutable_person()->set_etag(renamed.etag());
  v1::Position* echoed = rename.mutable_person()->mutable_positions(1);
  echoed->GetReflection()->MutableUnknownFields(echoed)->AddVarint(1000, 7);
  kept = officer->UpdatePerson(Context().get(), rename, &renamed);
  EXPECT_TRUE(kept.ok()) << kept.error_message();

  // Kept means unchanged: the same unit with other dates (a year the
  // officer would like to learn about) is a position of the officer's own.
  v1::UpdatePersonRequest redated;
  *redated.mutable_person() = renamed;
  redated.mutable_person()
      ->mutable_positions(1)
      ->mutable_start_date()
      ->set_year(2005);
  redated.mutable_update_mask()->add_paths("positions");
  refused = officer->UpdatePerson(Context().get(), redated, &updated);
  EXPECT_EQ(refused.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(refused.error_message().find("person.positions[1].unit_id"),
            std::string::npos)
      << refused.error_message();
  *redated.mutable_person() = renamed;
  *redated.mutable_person()->add_positions() = renamed.positions(1);
  redated.mutable_person()->mutable_positions(2)->set_role(
      v1::POSITION_ROLE_STAFF);
  refused = officer->UpdatePerson(Context().get(), redated, &updated);
  EXPECT_EQ(refused.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(refused.error_message().find("person.positions[2].unit_id"),
            std::string::npos)
      << refused.error_message();

  // A person whose current unit is elsewhere is refused without naming it.
  *create.mutable_person() = Leader("Trần Văn Bình", outside.id(), 2012);
  ASSERT_TRUE(As(admin_)->CreatePerson(Context().get(), create, &person).ok());
  v1::GetPersonRequest get;
  get.set_id(person.id());
  refused = officer->GetPerson(Context().get(), get, &person);
  EXPECT_EQ(refused.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_message().find(outside.id()), std::string::npos)
      << refused.error_message();
}

// A tax code already held elsewhere: the officer learns it is taken, not by
// which unit.
TEST_F(RegistrySecurityTest, ATakenTaxCodeDoesNotNameItsHolderToAnOfficer) {
  v1::Unit hanoi = HanoiAgency("Công ty Hà Nội");
  hanoi.set_kind(v1::UNIT_KIND_ENTERPRISE);
  hanoi.set_enterprise_size(v1::ENTERPRISE_SIZE_MEDIUM);
  hanoi.set_tax_code(testing::ValidTaxCode(7));
  const v1::Unit holder = MustCreate(hanoi);
  v1::Unit mine = Agency("Công ty Quảng Trị");
  mine.set_kind(v1::UNIT_KIND_ENTERPRISE);
  mine.set_enterprise_size(v1::ENTERPRISE_SIZE_MEDIUM);
  mine.set_tax_code(testing::ValidTaxCode(7));
  v1::Unit out;
  grpc::Status taken = Create(officer_, mine, &out);
  EXPECT_EQ(taken.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(taken.error_message().find(holder.id()), std::string::npos)
      << taken.error_message();
  EXPECT_EQ(antt::testing::BadFields(taken),
            std::set<std::string>{"unit.tax_code"});
  // An administrator is told which unit holds it.
  taken = Create(admin_, mine, &out);
  EXPECT_NE(taken.error_message().find(holder.id()), std::string::npos)
      << taken.error_message();

  // An import row is matched on its tax code: the row is refused, and the
  // refusal does not name the holder either.
  grpc::ClientContext context;
  v1::ImportUnitsResponse imported;
  auto writer = As(officer_)->ImportUnits(&context, &imported);
  v1::ImportUnitsRequest row;
  *row.mutable_unit() = mine;
  ASSERT_TRUE(writer->Write(row));
  writer->WritesDone();
  const grpc::Status import = writer->Finish();
  EXPECT_EQ(import.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(import.error_message().find(holder.id()), std::string::npos)
      << import.error_message();
  for (const v1::ImportError& error : imported.errors()) {
    EXPECT_EQ(error.message().find(holder.id()), std::string::npos)
        << error.message();
  }
}

TEST_F(RegistrySecurityTest, EveryMutationAppendsAnAuditRecordInOrder) {
  auto officer = As(national_officer_);
  v1::CreateUnitRequest create;
  *create.mutable_unit() = Agency("Sở Công Thương", "CT-1");
  v1::Unit unit;
  ASSERT_TRUE(officer->CreateUnit(Context().get(), create, &unit).ok());

  v1::UpdateUnitRequest update;
  update.mutable_unit()->set_id(unit.id());
  update.mutable_unit()->set_etag(unit.etag());
  update.mutable_unit()->set_headcount(55);
  update.mutable_update_mask()->add_paths("headcount");
  v1::Unit updated;
  ASSERT_TRUE(officer->UpdateUnit(Context().get(), update, &updated).ok());
  // A stale etag is refused and leaves no record.
  v1::Unit stale;
  EXPECT_EQ(officer->UpdateUnit(Context().get(), update, &stale).error_code(),
            StatusCode::ABORTED);
  // So is a refused role.
  v1::Unit refused;
  EXPECT_EQ(Create(viewer_, Agency("Sở Nội vụ"), &refused).error_code(),
            StatusCode::PERMISSION_DENIED);

  v1::CreatePersonRequest person;
  *person.mutable_person() = Leader("Lê Thị C", unit.id(), 2021);
  v1::Person created_person;
  ASSERT_TRUE(
      officer->CreatePerson(Context().get(), person, &created_person).ok());
  v1::UpdatePersonRequest update_person;
  update_person.mutable_person()->set_id(created_person.id());
  update_person.mutable_person()->set_etag(created_person.etag());
  update_person.mutable_person()->set_birth_year(1971);
  update_person.mutable_update_mask()->add_paths("birth_year");
  v1::Person updated_person;
  ASSERT_TRUE(
      officer->UpdatePerson(Context().get(), update_person, &updated_person)
          .ok());

  grpc::ClientContext context;
  v1::ImportUnitsResponse imported;
  auto writer = officer->ImportUnits(&context, &imported);
  v1::ImportUnitsRequest row;
  *row.mutable_unit() = Agency("Trường THPT Đông Hà", "QT-THPT-1");
  ASSERT_TRUE(writer->Write(row));
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  ASSERT_EQ(imported.created(), 1);

  v1::DissolveUnitRequest dissolve;
  dissolve.set_id(unit.id());
  dissolve.set_etag(updated.etag());
  dissolve.mutable_dissolve_date()->set_year(2026);
  dissolve.mutable_dissolve_date()->set_month(6);
  dissolve.mutable_dissolve_date()->set_day(30);
  dissolve.set_reason("hợp nhất");
  v1::Unit dissolved;
  ASSERT_TRUE(
      officer->DissolveUnit(Context().get(), dissolve, &dissolved).ok());

  const std::vector<audit::v1::AuditRecord> records = AuditRecords();
  const std::string service = "antt.registry.v1.RegistryService/";
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"CreateUnit", unit.id()},
      {"UpdateUnit", unit.id()},
      {"CreatePerson", created_person.id()},
      {"UpdatePerson", created_person.id()},
      {"ImportUnits", ""},
      {"DissolveUnit", unit.id()},
  };
  ASSERT_EQ(records.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].first);
    EXPECT_EQ(records[i].sequence(), i + 1);
    EXPECT_EQ(records[i].method(), service + expected[i].first);
    EXPECT_EQ(records[i].caller(), "officer-hq");
    ASSERT_EQ(records[i].target_ids_size(), 1);
    if (!expected[i].second.empty()) {
      EXPECT_EQ(records[i].target_ids(0), expected[i].second);
    }
    EXPECT_EQ(records[i].request_sha256().size(), 64u);
  }
  EXPECT_EQ(records[0].request_sha256(), Sha256Hex(create.SerializeAsString()));
  // Neither the token nor its hash is in any record.
  for (const auto& record : records) {
    const std::string bytes = record.SerializeAsString();
    EXPECT_EQ(bytes.find(national_officer_), std::string::npos);
    EXPECT_EQ(bytes.find(Sha256Hex(national_officer_)), std::string::npos);
  }

  audit::v1::VerifyAuditChainRequest verify;
  audit::v1::VerifyAuditChainResponse verdict;
  ASSERT_TRUE(AuditAs(admin_)
                  ->VerifyAuditChain(Context().get(), verify, &verdict)
                  .ok());
  EXPECT_TRUE(verdict.intact()) << verdict.problem();
  EXPECT_EQ(verdict.records_checked(), expected.size());
  EXPECT_EQ(verdict.last_hash(), records.back().hash());
}

TEST_F(RegistrySecurityTest, ListAuditRecordsPagesAndRejectsABadPageSize) {
  for (int i = 0; i < 3; ++i) MustCreate(Agency(absl::StrCat("Sở ", i)));
  auto audit = AuditAs(admin_);
  audit::v1::ListAuditRecordsRequest request;
  request.set_page_size(2);
  audit::v1::ListAuditRecordsResponse page;
  ASSERT_TRUE(audit->ListAuditRecords(Context().get(), request, &page).ok());
  ASSERT_EQ(page.records_size(), 2);
  ASSERT_FALSE(page.next_page_token().empty());
  request.set_page_token(page.next_page_token());
  audit::v1::ListAuditRecordsResponse rest;
  ASSERT_TRUE(audit->ListAuditRecords(Context().get(), request, &rest).ok());
  ASSERT_EQ(rest.records_size(), 1);
  EXPECT_EQ(rest.records(0).sequence(), 3u);
  EXPECT_TRUE(rest.next_page_token().empty());

  request.Clear();
  request.set_page_size(-1);
  grpc::Status bad = audit->ListAuditRecords(Context().get(), request, &page);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(antt::testing::BadFields(bad), std::set<std::string>{"page_size"});
  request.set_page_size(0);
  request.set_page_token("garbage");
  bad = audit->ListAuditRecords(Context().get(), request, &page);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(RegistrySecurityTest, VerifyChecksAnAnchorAndRejectsAHalfGivenOne) {
  MustCreate(Agency("Sở Nội vụ"));
  MustCreate(Agency("Sở Ngoại vụ"));
  auto audit = AuditAs(admin_);
  audit::v1::VerifyAuditChainRequest request;
  audit::v1::VerifyAuditChainResponse verdict;
  ASSERT_TRUE(audit->VerifyAuditChain(Context().get(), request, &verdict).ok());
  ASSERT_TRUE(verdict.intact());

  request.set_anchor_sequence(verdict.last_sequence());
  request.set_anchor_hash(verdict.last_hash());
  audit::v1::VerifyAuditChainResponse anchored;
  ASSERT_TRUE(
      audit->VerifyAuditChain(Context().get(), request, &anchored).ok());
  EXPECT_TRUE(anchored.intact()) << anchored.problem();
  request.set_anchor_hash(std::string(64, '0'));
  ASSERT_TRUE(
      audit->VerifyAuditChain(Context().get(), request, &anchored).ok());
  EXPECT_FALSE(anchored.intact());
  EXPECT_EQ(anchored.first_broken_sequence(), verdict.last_sequence());

  request.set_anchor_hash("abc");
  grpc::Status bad =
      audit->VerifyAuditChain(Context().get(), request, &anchored);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(antt::testing::BadFields(bad),
            std::set<std::string>{"anchor_hash"});
  request.set_anchor_sequence(0);
  request.set_anchor_hash(verdict.last_hash());
  bad = audit->VerifyAuditChain(Context().get(), request, &anchored);
  EXPECT_EQ(antt::testing::BadFields(bad),
            std::set<std::string>{"anchor_sequence"});
}

}  // namespace
}  // namespace antt::registry
