// Every registry RPC through a real gRPC server on a loopback port, with a
// real RocksDB store: each success path and each error code the RPC returns.

#include "services/registry/registry_service.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/server_runner.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/registry/rocksdb_registry_store.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::antt::testing::BadFields;

using ::antt::registry::testing::Agency;
using ::antt::registry::testing::Enterprise;
using ::antt::registry::testing::Leader;
using ::antt::registry::testing::School;
using ::antt::registry::testing::ValidTaxCode;
using ::grpc::StatusCode;

const AreaCatalog& Areas() { return antt::testing::SourceAreas(); }

class RegistryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = RocksDbRegistryStore::Open(antt::testing::FreshTestDir());
    ASSERT_OK(store);
    store_ = *std::move(store);
    registry_ = std::make_unique<Registry>(
        &Areas(), store_.get(), [] { return absl::CivilDay(2026, 11, 28); });
    service_ = std::make_unique<RegistryServiceImpl>(registry_.get(),
                                                     authenticator_.get());
    ServerOptions options;
    options.service_name = "antt.registry.v1.RegistryService";
    options.listen = "127.0.0.1:0";
    options.insecure = true;
    auto server = GrpcServer::Start(options, {service_.get()});
    ASSERT_OK(server);
    server_ = *std::move(server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::RegistryService::NewStub(channel_);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
  }

  std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  grpc::Status Create(const v1::Unit& unit, v1::Unit* out,
                      const std::string& request_id = "") {
    v1::CreateUnitRequest request;
    *request.mutable_unit() = unit;
    request.set_request_id(request_id);
    return stub_->CreateUnit(Context().get(), request, out);
  }

  v1::Unit MustCreate(const v1::Unit& unit) {
    v1::Unit out;
    grpc::Status status = Create(unit, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  grpc::Status List(const v1::ListUnitsRequest& request,
                    v1::ListUnitsResponse* response) {
    return stub_->ListUnits(Context().get(), request, response);
  }

  grpc::Status Dissolve(const std::string& id, const std::string& etag,
                        google::type::Date date, const std::string& reason,
                        v1::Unit* out) {
    v1::DissolveUnitRequest request;
    request.set_id(id);
    request.set_etag(etag);
    *request.mutable_dissolve_date() = date;
    request.set_reason(reason);
    return stub_->DissolveUnit(Context().get(), request, out);
  }

  static google::type::Date Date(int y, int m, int d) {
    google::type::Date date;
    date.set_year(y);
    date.set_month(m);
    date.set_day(d);
    return date;
  }

  std::unique_ptr<Authenticator> authenticator_ = Authenticator::Insecure();
  std::unique_ptr<RocksDbRegistryStore> store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<RegistryServiceImpl> service_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
};

// ------------------------------------------------------------ CreateUnit

TEST_F(RegistryServiceTest, CreateUnitStoresNfcNameAndComputesScope) {
  // "Trường" written decomposed (NFD): stored composed.
  v1::Unit unit = School("Tru\xCC\x9Bo\xCC\x9B\xCC\x80ng Tiểu học Kim Đồng",
                         v1::EDUCATION_LEVEL_PRIMARY, "QT-1");
  unit.set_id("U7777777777");                  // output-only: ignored
  unit.set_in_scope(true);                     // output-only: ignored
  unit.set_status(v1::UNIT_STATUS_DISSOLVED);  // output-only: ignored
  v1::Unit created = MustCreate(unit);
  EXPECT_EQ(created.id(), "U0000000001");
  EXPECT_EQ(created.name(), "Trường Tiểu học Kim Đồng");
  EXPECT_FALSE(created.in_scope());
  EXPECT_NE(created.out_of_scope_reason().find("124/2021"), std::string::npos);
  EXPECT_EQ(created.status(), v1::UNIT_STATUS_ACTIVE);
  EXPECT_FALSE(created.etag().empty());
}

TEST_F(RegistryServiceTest, CreateUnitRejectsEveryBadFieldAtOnce) {
  v1::Unit unit = Enterprise("", "0100109107");  // empty name, bad check digit
  unit.set_education_level(v1::EDUCATION_LEVEL_PRIMARY);
  unit.set_commune_code("19330");  // a legacy code, not of the 2026-07 edition
  unit.set_headcount(-1);
  v1::Unit out;
  grpc::Status status = Create(unit, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"unit.name", "unit.tax_code",
                                   "unit.education_level", "unit.commune_code",
                                   "unit.headcount"}));
  v1::ListUnitsResponse listed;
  ASSERT_TRUE(List({}, &listed).ok());
  EXPECT_EQ(listed.total_size(), 0);
}

TEST_F(RegistryServiceTest,
       CreateUnitWithInvalidUtf8OnTheWireIsInvalidArgument) {
  // CreateUnitRequest{unit: Unit{name: "C\xF4ng"}} encoded by hand: protobuf
  // refuses the bytes before any handler runs.
  const std::string unit_bytes = std::string(
      "\x12\x04"
      "C\xF4ng",
      6);
  const std::string request_bytes =
      "\x0A" + std::string(1, '\x06') + unit_bytes;
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::GenericStub generic(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  auto call = generic.PrepareUnaryCall(
      &context, "/antt.registry.v1.RegistryService/CreateUnit", request, &cq);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  ASSERT_TRUE(cq.Next(&tag, &ok));
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_NE(status.error_message().find("UTF-8"), std::string::npos);
  v1::ListUnitsResponse listed;
  ASSERT_TRUE(List({}, &listed).ok());
  EXPECT_EQ(listed.total_size(), 0);
}

TEST_F(RegistryServiceTest, CreateUnitRejectsUnknownEnumValues) {
  v1::Unit unit = Agency("Sở Tư pháp");
  unit.set_kind(static_cast<v1::UnitKind>(42));
  unit.set_managing_level(static_cast<v1::ManagingLevel>(9));
  v1::Unit out;
  grpc::Status status = Create(unit, &out);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"unit.kind", "unit.managing_level"}));
}

TEST_F(RegistryServiceTest, CreateUnitRetryWithRequestIdCreatesNothing) {
  v1::Unit first, second;
  ASSERT_TRUE(Create(Agency("Sở Tư pháp"), &first, "4f1c-retry").ok());
  ASSERT_TRUE(Create(Agency("Sở Tư pháp"), &second, "4f1c-retry").ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  v1::ListUnitsResponse listed;
  ASSERT_TRUE(List({}, &listed).ok());
  EXPECT_EQ(listed.total_size(), 1);

  v1::Unit out;
  grpc::Status bad = Create(Agency("Sở Y tế"), &out, "has space");
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(bad), std::set<std::string>{"request_id"});
}

TEST_F(RegistryServiceTest, CreateUnitWithTakenTaxCodeIsAlreadyExists) {
  MustCreate(Enterprise("Công ty A", ValidTaxCode(1)));
  v1::Unit out;
  grpc::Status status = Create(Enterprise("Công ty B", ValidTaxCode(1)), &out);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(BadFields(status), std::set<std::string>{"unit.tax_code"});
  // A branch of the same enterprise has its own code.
  MustCreate(
      Enterprise("Công ty A - Chi nhánh Đông Hà", ValidTaxCode(1) + "-001"));
}

// ------------------------------------------------------------ GetUnit

TEST_F(RegistryServiceTest, GetUnit) {
  const v1::Unit created = MustCreate(Agency("Sở Tư pháp"));
  v1::GetUnitRequest request;
  request.set_id(created.id());
  v1::Unit got;
  ASSERT_TRUE(stub_->GetUnit(Context().get(), request, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());

  request.set_id("U0000000404");
  EXPECT_EQ(stub_->GetUnit(Context().get(), request, &got).error_code(),
            StatusCode::NOT_FOUND);
  request.clear_id();
  grpc::Status empty = stub_->GetUnit(Context().get(), request, &got);
  EXPECT_EQ(empty.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(empty), std::set<std::string>{"id"});
}

// ------------------------------------------------------------ UpdateUnit

TEST_F(RegistryServiceTest, UpdateUnitAppliesOnlyTheMaskedFields) {
  const v1::Unit created = MustCreate(Agency("Sở Tư pháp"));
  v1::UpdateUnitRequest request;
  request.mutable_unit()->set_id(created.id());
  request.mutable_unit()->set_etag(created.etag());
  request.mutable_unit()->set_name("Sở Tư pháp tỉnh Quảng Trị");
  request.mutable_unit()->set_headcount(99);  // not in the mask: ignored
  request.mutable_update_mask()->add_paths("name");
  v1::Unit updated;
  ASSERT_TRUE(stub_->UpdateUnit(Context().get(), request, &updated).ok());
  EXPECT_EQ(updated.name(), "Sở Tư pháp tỉnh Quảng Trị");
  EXPECT_EQ(updated.headcount(), created.headcount());
  EXPECT_NE(updated.etag(), created.etag());

  // Changing kind re-runs every rule on the merged record.
  v1::UpdateUnitRequest to_enterprise;
  to_enterprise.mutable_unit()->set_id(created.id());
  to_enterprise.mutable_unit()->set_kind(v1::UNIT_KIND_ENTERPRISE);
  to_enterprise.mutable_update_mask()->add_paths("kind");
  grpc::Status status =
      stub_->UpdateUnit(Context().get(), to_enterprise, &updated);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status),
            (std::set<std::string>{"unit.enterprise_size", "unit.tax_code"}));
}

TEST_F(RegistryServiceTest, UpdateUnitWithoutMaskChangesOnlyPopulatedFields) {
  v1::Unit unit = Agency("Sở Tư pháp", "QT-TP");
  unit.set_address("Số 1 Hùng Vương, Đông Hà");
  const v1::Unit created = MustCreate(unit);
  v1::UpdateUnitRequest request;
  request.mutable_unit()->set_id(created.id());
  request.mutable_unit()->set_headcount(55);
  v1::Unit updated;
  ASSERT_TRUE(stub_->UpdateUnit(Context().get(), request, &updated).ok());
  EXPECT_EQ(updated.headcount(), 55);
  EXPECT_EQ(updated.name(), "Sở Tư pháp");
  EXPECT_EQ(updated.external_id(), "QT-TP");
  EXPECT_EQ(updated.address(), "Số 1 Hùng Vương, Đông Hà");

  // Changing the size of an enterprise recomputes its scope and the index.
  const v1::Unit company = MustCreate(Enterprise("Công ty E", ValidTaxCode(8)));
  v1::UpdateUnitRequest shrink;
  shrink.mutable_unit()->set_id(company.id());
  shrink.mutable_unit()->set_enterprise_size(v1::ENTERPRISE_SIZE_SMALL);
  ASSERT_TRUE(stub_->UpdateUnit(Context().get(), shrink, &updated).ok());
  EXPECT_FALSE(updated.in_scope());
  v1::ListUnitsRequest out_of_scope;
  out_of_scope.set_in_scope(false);
  v1::ListUnitsResponse listed;
  ASSERT_TRUE(List(out_of_scope, &listed).ok());
  ASSERT_EQ(listed.total_size(), 1);
  EXPECT_EQ(listed.units(0).id(), company.id());
}

TEST_F(RegistryServiceTest, UpdateUnitErrors) {
  const v1::Unit created = MustCreate(Agency("Sở Tư pháp"));
  const v1::Unit other = MustCreate(Agency("Sở Y tế", "QT-YT"));
  v1::Unit out;

  v1::UpdateUnitRequest stale;
  stale.mutable_unit()->set_id(created.id());
  stale.mutable_unit()->set_etag("not-the-etag");
  stale.mutable_unit()->set_name("X");
  stale.mutable_update_mask()->add_paths("name");
  EXPECT_EQ(stub_->UpdateUnit(Context().get(), stale, &out).error_code(),
            StatusCode::ABORTED);

  v1::UpdateUnitRequest missing = stale;
  missing.mutable_unit()->set_id("U0000000404");
  EXPECT_EQ(stub_->UpdateUnit(Context().get(), missing, &out).error_code(),
            StatusCode::NOT_FOUND);

  v1::UpdateUnitRequest no_id = stale;
  no_id.mutable_unit()->clear_id();
  grpc::Status no_id_status = stub_->UpdateUnit(Context().get(), no_id, &out);
  EXPECT_EQ(no_id_status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(no_id_status), std::set<std::string>{"unit.id"});

  v1::UpdateUnitRequest bad_mask;
  bad_mask.mutable_unit()->set_id(created.id());
  bad_mask.mutable_update_mask()->add_paths("in_scope");
  grpc::Status mask_status = stub_->UpdateUnit(Context().get(), bad_mask, &out);
  EXPECT_EQ(mask_status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(mask_status), std::set<std::string>{"update_mask"});

  v1::UpdateUnitRequest taken;
  taken.mutable_unit()->set_id(created.id());
  taken.mutable_unit()->set_external_id(other.external_id());
  taken.mutable_update_mask()->add_paths("external_id");
  EXPECT_EQ(stub_->UpdateUnit(Context().get(), taken, &out).error_code(),
            StatusCode::ALREADY_EXISTS);

  ASSERT_TRUE(
      Dissolve(created.id(), "", Date(2024, 6, 30), "Sáp nhập", &out).ok());
  v1::UpdateUnitRequest dissolved;
  dissolved.mutable_unit()->set_id(created.id());
  dissolved.mutable_unit()->set_name("Hồi sinh");
  dissolved.mutable_update_mask()->add_paths("name");
  EXPECT_EQ(stub_->UpdateUnit(Context().get(), dissolved, &out).error_code(),
            StatusCode::FAILED_PRECONDITION);
}

// ------------------------------------------------------------ DissolveUnit

TEST_F(RegistryServiceTest, DissolveUnit) {
  v1::Unit unit = Enterprise("Công ty A", ValidTaxCode(2));
  *unit.mutable_established_date() = Date(2015, 3, 1);
  const v1::Unit created = MustCreate(unit);
  v1::Unit out;

  EXPECT_EQ(Dissolve(created.id(), "stale", Date(2024, 1, 1), "Giải thể", &out)
                .error_code(),
            StatusCode::ABORTED);
  grpc::Status early =
      Dissolve(created.id(), "", Date(2014, 1, 1), "Giải thể", &out);
  EXPECT_EQ(early.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(early), std::set<std::string>{"dissolve_date"});
  grpc::Status future =
      Dissolve(created.id(), "", Date(2027, 1, 1), "Giải thể", &out);
  EXPECT_EQ(BadFields(future), std::set<std::string>{"dissolve_date"});
  grpc::Status incomplete = Dissolve(created.id(), "", {}, "  ", &out);
  EXPECT_EQ(incomplete.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(incomplete),
            (std::set<std::string>{"dissolve_date", "reason"}));
  EXPECT_EQ(Dissolve("U0000000404", "", Date(2024, 1, 1), "Giải thể", &out)
                .error_code(),
            StatusCode::NOT_FOUND);

  ASSERT_TRUE(
      Dissolve(created.id(), created.etag(), Date(2024, 1, 1), "Giải thể", &out)
          .ok());
  EXPECT_EQ(out.status(), v1::UNIT_STATUS_DISSOLVED);
  EXPECT_EQ(out.dissolve_reason(), "Giải thể");
  EXPECT_EQ(Dissolve(created.id(), "", Date(2024, 1, 2), "Lần hai", &out)
                .error_code(),
            StatusCode::FAILED_PRECONDITION);
  // The tax code is free again for a new active unit.
  MustCreate(Enterprise("Công ty A mới", ValidTaxCode(2)));
}

// ------------------------------------------------------------ ListUnits

TEST_F(RegistryServiceTest, ListUnitsFiltersPagesAndCounts) {
  for (int i = 0; i < 7; ++i) {
    MustCreate(School(absl::StrCat("Trường THPT Nguyễn Du số ", i),
                      v1::EDUCATION_LEVEL_UPPER_SECONDARY));
  }
  MustCreate(
      Enterprise("Công ty Nhỏ", ValidTaxCode(3), v1::ENTERPRISE_SIZE_SMALL));
  v1::Unit hanoi = Agency("Sở Tư pháp Hà Nội");
  hanoi.set_province_code("01");
  hanoi.clear_commune_code();
  hanoi.clear_legacy_province_code();
  hanoi.clear_legacy_district_code();
  hanoi.clear_legacy_commune_code();
  MustCreate(hanoi);

  v1::ListUnitsRequest request;
  request.set_query("truong thpt nguyen du");
  request.set_page_size(3);
  std::vector<std::string> names;
  for (int pages = 0; pages < 5; ++pages) {
    v1::ListUnitsResponse response;
    ASSERT_TRUE(List(request, &response).ok());
    EXPECT_EQ(response.total_size(), 7);
    for (const auto& unit : response.units()) names.push_back(unit.name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  ASSERT_EQ(names.size(), 7u);
  EXPECT_EQ(names.front(), "Trường THPT Nguyễn Du số 0");

  v1::ListUnitsRequest by_area;
  by_area.set_edition("2025-06");
  by_area.set_area_code("461");
  v1::ListUnitsResponse in_district;
  ASSERT_TRUE(List(by_area, &in_district).ok());
  EXPECT_EQ(in_district.total_size(), 8);  // Hà Nội's agency is elsewhere

  v1::ListUnitsRequest out_of_scope;
  out_of_scope.set_in_scope(false);
  v1::ListUnitsResponse small;
  ASSERT_TRUE(List(out_of_scope, &small).ok());
  ASSERT_EQ(small.total_size(), 1);
  EXPECT_EQ(small.units(0).name(), "Công ty Nhỏ");

  v1::ListUnitsRequest current_edition;  // edition defaults to 2026-07
  current_edition.set_area_code("01");
  v1::ListUnitsResponse hanoi_units;
  ASSERT_TRUE(List(current_edition, &hanoi_units).ok());
  EXPECT_EQ(hanoi_units.total_size(), 1);
}

TEST_F(RegistryServiceTest, ListUnitsRejectsBadArguments) {
  v1::ListUnitsResponse response;
  v1::ListUnitsRequest big;
  big.set_page_size(1001);
  EXPECT_EQ(BadFields(List(big, &response)),
            std::set<std::string>{"page_size"});

  v1::ListUnitsRequest edition;
  edition.set_edition("1999-01");
  EXPECT_EQ(BadFields(List(edition, &response)),
            std::set<std::string>{"edition"});

  v1::ListUnitsRequest area;
  area.set_edition("2026-07");
  area.set_area_code("461");  // a district: legacy edition only
  grpc::Status area_status = List(area, &response);
  EXPECT_EQ(area_status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(area_status), std::set<std::string>{"area_code"});

  v1::ListUnitsRequest kind;
  kind.set_kind(static_cast<v1::UnitKind>(7));
  EXPECT_EQ(BadFields(List(kind, &response)), std::set<std::string>{"kind"});

  for (int i = 0; i < 3; ++i) MustCreate(Agency(absl::StrCat("Sở ", i)));
  v1::ListUnitsRequest first_page;
  first_page.set_page_size(1);
  ASSERT_TRUE(List(first_page, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  v1::ListUnitsRequest other_filters;
  other_filters.set_kind(v1::UNIT_KIND_AGENCY);
  other_filters.set_page_token(response.next_page_token());
  EXPECT_EQ(BadFields(List(other_filters, &response)),
            std::set<std::string>{"page_token"});
  v1::ListUnitsRequest garbage;
  garbage.set_page_token("!!not-a-token!!");
  EXPECT_EQ(BadFields(List(garbage, &response)),
            std::set<std::string>{"page_token"});
}

// ------------------------------------------------------------ ImportUnits

TEST_F(RegistryServiceTest,
       ImportUnitsUpsertsAndReportsBadRowsWithoutStopping) {
  const auto import = [&](const std::vector<v1::Unit>& rows) {
    v1::ImportUnitsResponse response;
    auto context = Context();
    auto writer = stub_->ImportUnits(context.get(), &response);
    for (const v1::Unit& unit : rows) {
      v1::ImportUnitsRequest request;
      *request.mutable_unit() = unit;
      EXPECT_TRUE(writer->Write(request));
    }
    EXPECT_TRUE(writer->WritesDone());
    grpc::Status status = writer->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  };
  v1::Unit no_external_id = Agency("Sở Tư pháp");
  v1::Unit bad_tax = Enterprise("Công ty B", "0100109107");
  const v1::ImportUnitsResponse first = import({
      Enterprise("Công ty A", ValidTaxCode(5)),  // 1
      no_external_id,                            // 2
      School("Trường THPT Đông Hà", v1::EDUCATION_LEVEL_UPPER_SECONDARY,
             "S1"),             // 3
      bad_tax,                  // 4
      Agency("Sở Y tế", "A1"),  // 5
  });
  EXPECT_EQ(first.created(), 3);
  EXPECT_EQ(first.updated(), 0);
  EXPECT_EQ(first.rejected(), 2);
  ASSERT_EQ(first.errors_size(), 2);
  EXPECT_EQ(first.errors(0).row(), 2);
  EXPECT_EQ(first.errors(0).field(), "unit.external_id");
  EXPECT_EQ(first.errors(1).row(), 4);
  EXPECT_EQ(first.errors(1).field(), "unit.tax_code");

  // A second import of the same units updates them in place.
  v1::Unit renamed = Enterprise("Công ty A (đổi tên)", ValidTaxCode(5));
  const v1::ImportUnitsResponse second = import({
      renamed,
      Agency("Sở Y tế", "A1"),
      Agency("Sở Tài chính", "A2"),
  });
  EXPECT_EQ(second.created(), 1);
  EXPECT_EQ(second.updated(), 2);
  EXPECT_EQ(second.rejected(), 0);

  v1::ListUnitsRequest all;
  v1::ListUnitsResponse listed;
  ASSERT_TRUE(List(all, &listed).ok());
  EXPECT_EQ(listed.total_size(), 4);

  // Rows that break a rule the store checks: an enterprise whose external id
  // another unit holds (ALREADY_EXISTS); a school row naming an enterprise's
  // external id, and one naming a dissolved unit (FAILED_PRECONDITION).
  v1::Unit company_with_id = Enterprise("Công ty C", ValidTaxCode(6));
  company_with_id.set_external_id("A1");
  v1::Unit company_d = Enterprise("Công ty D", ValidTaxCode(7));
  company_d.set_external_id("E-D");
  MustCreate(company_d);
  const v1::Unit gone = MustCreate(Agency("Sở cũ", "OLD"));
  v1::Unit out;
  ASSERT_TRUE(Dissolve(gone.id(), "", Date(2024, 1, 1), "Sáp nhập", &out).ok());
  const v1::ImportUnitsResponse third = import({
      company_with_id,
      School("Trường X", v1::EDUCATION_LEVEL_UPPER_SECONDARY, "E-D"),
      Agency("Sở cũ", "OLD"),
  });
  EXPECT_EQ(third.rejected(), 3);
  ASSERT_EQ(third.errors_size(), 3);
  for (const auto& error : third.errors()) {
    EXPECT_EQ(error.field(), "unit.external_id") << error.message();
  }
  EXPECT_NE(third.errors(0).message().find("belongs to unit"),
            std::string::npos);
  EXPECT_NE(third.errors(1).message().find("enterprise"), std::string::npos);
  EXPECT_NE(third.errors(2).message().find("dissolved"), std::string::npos);
  v1::ListUnitsRequest query;
  query.set_query("cong ty a doi ten");
  ASSERT_TRUE(List(query, &listed).ok());
  EXPECT_EQ(listed.total_size(), 1);
}

TEST_F(RegistryServiceTest, ImportUnitsKeepsTheFirstThousandErrors) {
  v1::ImportUnitsResponse response;
  auto context = Context();
  auto writer = stub_->ImportUnits(context.get(), &response);
  v1::ImportUnitsRequest bad_row;  // no unit at all: every row is rejected
  for (int i = 0; i < 1005; ++i) ASSERT_TRUE(writer->Write(bad_row));
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(response.rejected(), 1005);
  EXPECT_EQ(response.errors_size(), 1000);
  EXPECT_EQ(response.errors_omitted(), 5);
  EXPECT_EQ(response.errors(999).row(), 1000);
}

// ------------------------------------------------------------ ListChanges

TEST_F(RegistryServiceTest, ListChangesFollowsEveryMutation) {
  const v1::Unit unit = MustCreate(Agency("Sở Tư pháp"));
  v1::Unit out;
  ASSERT_TRUE(Dissolve(unit.id(), "", Date(2025, 1, 1), "Sáp nhập", &out).ok());

  v1::ListChangesRequest request;
  v1::ListChangesResponse response;
  ASSERT_TRUE(stub_->ListChanges(Context().get(), request, &response).ok());
  ASSERT_EQ(response.changes_size(), 2);
  EXPECT_EQ(response.last_sequence(), 2u);
  EXPECT_EQ(response.changes(1).type(), v1::CHANGE_TYPE_DISSOLVED);
  EXPECT_EQ(response.head_sequence(), 2u);  // the feed's newest
  // A page that ends before the head says how far behind its reader is.
  v1::ListChangesRequest one = request;
  one.set_page_size(1);
  v1::ListChangesResponse partial;
  ASSERT_TRUE(stub_->ListChanges(Context().get(), one, &partial).ok());
  EXPECT_EQ(partial.last_sequence(), 1u);
  EXPECT_EQ(partial.head_sequence(), 2u);

  request.set_after_sequence(response.last_sequence());
  ASSERT_TRUE(stub_->ListChanges(Context().get(), request, &response).ok());
  EXPECT_EQ(response.changes_size(), 0);
  EXPECT_EQ(response.last_sequence(), 2u);
  EXPECT_EQ(response.head_sequence(), 2u);

  request.set_page_size(-5);
  grpc::Status bad = stub_->ListChanges(Context().get(), request, &response);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(bad), std::set<std::string>{"page_size"});
}

// ------------------------------------------------------------ Areas

TEST_F(RegistryServiceTest, GetArea) {
  v1::GetAreaRequest request;
  request.set_edition("2025-06");
  request.set_code("45");
  v1::Area area;
  ASSERT_TRUE(stub_->GetArea(Context().get(), request, &area).ok());
  EXPECT_EQ(area.name(), "Tỉnh Quảng Trị");
  EXPECT_EQ(area.level(), v1::AREA_LEVEL_PROVINCE);

  request.set_code("999");
  EXPECT_EQ(stub_->GetArea(Context().get(), request, &area).error_code(),
            StatusCode::NOT_FOUND);
  request.set_edition("");
  request.set_code("");
  grpc::Status bad = stub_->GetArea(Context().get(), request, &area);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(bad), (std::set<std::string>{"edition", "code"}));
  request.set_edition("2030-01");
  request.set_code("45");
  EXPECT_EQ(BadFields(stub_->GetArea(Context().get(), request, &area)),
            std::set<std::string>{"edition"});
}

TEST_F(RegistryServiceTest, ListAreasByParentLevelAndPage) {
  v1::ListAreasRequest request;
  request.set_edition("2025-06");
  request.set_parent_code("45");
  v1::ListAreasResponse response;
  ASSERT_TRUE(stub_->ListAreas(Context().get(), request, &response).ok());
  ASSERT_EQ(response.areas_size(), 10);  // Quảng Trị's 10 district-level units
  EXPECT_EQ(response.areas(0).name(), "Thành phố Đông Hà");

  v1::ListAreasRequest provinces;
  provinces.set_edition("2026-07");
  provinces.set_level(v1::AREA_LEVEL_PROVINCE);
  provinces.set_page_size(20);
  std::vector<std::string> codes;
  for (int pages = 0; pages < 5; ++pages) {
    ASSERT_TRUE(stub_->ListAreas(Context().get(), provinces, &response).ok());
    EXPECT_EQ(response.total_size(), 34);
    for (const auto& area : response.areas()) codes.push_back(area.code());
    if (response.next_page_token().empty()) break;
    provinces.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(codes.size(), 34u);

  request.set_parent_code("99");  // no such province
  grpc::Status bad = stub_->ListAreas(Context().get(), request, &response);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(bad), std::set<std::string>{"parent_code"});
  request.clear_edition();
  EXPECT_EQ(BadFields(stub_->ListAreas(Context().get(), request, &response)),
            std::set<std::string>{"edition"});
}

// ------------------------------------------------------------ Persons

TEST_F(RegistryServiceTest, PersonLifecycle) {
  const v1::Unit unit = MustCreate(Agency("Sở Tư pháp"));
  const v1::Unit other = MustCreate(Agency("Sở Y tế"));
  v1::CreatePersonRequest create;
  *create.mutable_person() = Leader("Nguyễn Văn Ánh", unit.id(), 2008);
  create.set_request_id("person-1");
  v1::Person person;
  ASSERT_TRUE(stub_->CreatePerson(Context().get(), create, &person).ok());
  EXPECT_EQ(person.status(), v1::PERSON_STATUS_ACTIVE);
  v1::Person again;
  ASSERT_TRUE(stub_->CreatePerson(Context().get(), create, &again).ok());
  EXPECT_EQ(again.id(), person.id());

  v1::GetPersonRequest get;
  get.set_id(person.id());
  v1::Person got;
  ASSERT_TRUE(stub_->GetPerson(Context().get(), get, &got).ok());
  EXPECT_EQ(got.full_name(), "Nguyễn Văn Ánh");
  get.set_id("P0000000404");
  EXPECT_EQ(stub_->GetPerson(Context().get(), get, &got).error_code(),
            StatusCode::NOT_FOUND);

  v1::UpdatePersonRequest update;
  update.mutable_person()->set_id(person.id());
  update.mutable_person()->set_etag(person.etag());
  update.mutable_person()->set_unit_id(other.id());
  update.mutable_update_mask()->add_paths("unit_id");
  v1::Person moved;
  ASSERT_TRUE(stub_->UpdatePerson(Context().get(), update, &moved).ok());
  EXPECT_EQ(moved.unit_id(), other.id());
  EXPECT_EQ(moved.positions_size(), 1);  // not in the mask: kept
  EXPECT_EQ(stub_->UpdatePerson(Context().get(), update, &moved).error_code(),
            StatusCode::ABORTED);  // the etag is now stale

  v1::ListPersonsRequest list;
  list.set_query("nguyen van anh");
  v1::ListPersonsResponse listed;
  ASSERT_TRUE(stub_->ListPersons(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.persons_size(), 1);
  list.clear_query();
  list.set_unit_id(unit.id());
  ASSERT_TRUE(stub_->ListPersons(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.total_size(), 0);
  list.set_unit_id(other.id());
  ASSERT_TRUE(stub_->ListPersons(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.total_size(), 1);
}

TEST_F(RegistryServiceTest, PersonErrors) {
  const v1::Unit unit = MustCreate(Agency("Sở Tư pháp"));
  v1::CreatePersonRequest create;
  *create.mutable_person() = Leader("Nguyễn Văn An", "U0000000404", 2008);
  create.mutable_person()->set_gender(v1::GENDER_UNSPECIFIED);
  v1::Person person;
  grpc::Status bad = stub_->CreatePerson(Context().get(), create, &person);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(bad), std::set<std::string>{"person.gender"});
  create.mutable_person()->set_gender(v1::GENDER_MALE);
  bad = stub_->CreatePerson(Context().get(), create, &person);
  EXPECT_EQ(
      BadFields(bad),
      (std::set<std::string>{"person.unit_id", "person.positions[0].unit_id"}));

  *create.mutable_person() = Leader("Nguyễn Văn An", unit.id(), 2008);
  ASSERT_TRUE(stub_->CreatePerson(Context().get(), create, &person).ok());
  v1::UpdatePersonRequest update;
  update.mutable_person()->set_id(person.id());
  update.mutable_update_mask()->add_paths("etag");
  EXPECT_EQ(BadFields(stub_->UpdatePerson(Context().get(), update, &person)),
            std::set<std::string>{"update_mask"});
  // A unit that does not exist is refused when the mask names it, and ignored
  // when it does not.
  update.mutable_person()->set_unit_id("U0000000404");
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("unit_id");
  grpc::Status missing_unit =
      stub_->UpdatePerson(Context().get(), update, &person);
  EXPECT_EQ(missing_unit.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(missing_unit), std::set<std::string>{"person.unit_id"});
  update.mutable_update_mask()->set_paths(0, "full_name");
  update.mutable_person()->set_full_name("Nguyễn Văn Bình");
  ASSERT_TRUE(stub_->UpdatePerson(Context().get(), update, &person).ok());
  EXPECT_EQ(person.unit_id(), unit.id());
  EXPECT_EQ(person.full_name(), "Nguyễn Văn Bình");

  update.mutable_person()->set_id("P0000000404");
  update.mutable_update_mask()->Clear();
  EXPECT_EQ(stub_->UpdatePerson(Context().get(), update, &person).error_code(),
            StatusCode::NOT_FOUND);
  update.mutable_person()->clear_id();
  EXPECT_EQ(BadFields(stub_->UpdatePerson(Context().get(), update, &person)),
            std::set<std::string>{"person.id"});

  v1::ListPersonsRequest list;
  v1::ListPersonsResponse listed;
  list.set_unit_id("U0000000404");
  EXPECT_EQ(stub_->ListPersons(Context().get(), list, &listed).error_code(),
            StatusCode::NOT_FOUND);
  list.clear_unit_id();
  list.set_page_size(5000);
  EXPECT_EQ(BadFields(stub_->ListPersons(Context().get(), list, &listed)),
            std::set<std::string>{"page_size"});
}

// ------------------------------------------------------------ Server

TEST_F(RegistryServiceTest, HealthReportsServing) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("antt.registry.v1.RegistryService");
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(Context().get(), request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(RegistryServiceTest, ExpiredDeadlineIsDeadlineExceeded) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() -
                       std::chrono::seconds(1));
  v1::GetUnitRequest request;
  request.set_id("U0000000001");
  v1::Unit unit;
  EXPECT_EQ(stub_->GetUnit(&context, request, &unit).error_code(),
            StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace antt::registry
