#include "antt/registry/v1/registry.grpc.pb.h"
#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "common/dependency.h"
#include "services/awards/dependencies.h"

namespace antt::awards {
namespace {

namespace rv1 = ::antt::registry::v1;
namespace sv1 = ::antt::scoring::v1;

class GrpcRegistryClient final : public RegistryClient {
 public:
  GrpcRegistryClient(std::string address, absl::Duration deadline,
                     std::shared_ptr<grpc::ChannelCredentials> credentials)
      : address_(std::move(address)),
        deadline_(deadline),
        stub_(rv1::RegistryService::NewStub(
            DependencyChannel(address_, std::move(credentials)))) {}

  absl::StatusOr<rv1::Unit> GetUnit(absl::string_view id) override {
    rv1::GetUnitRequest request;
    request.set_id(std::string(id));
    rv1::Unit unit;
    grpc::Status status =
        stub_->GetUnit(DependencyContext(deadline_).get(), request, &unit);
    if (!status.ok()) return DependencyError(status, "registry", address_);
    return unit;
  }

  absl::StatusOr<rv1::Person> GetPerson(absl::string_view id) override {
    rv1::GetPersonRequest request;
    request.set_id(std::string(id));
    rv1::Person person;
    grpc::Status status =
        stub_->GetPerson(DependencyContext(deadline_).get(), request, &person);
    if (!status.ok()) return DependencyError(status, "registry", address_);
    return person;
  }

 private:
  std::string address_;
  absl::Duration deadline_;
  std::unique_ptr<rv1::RegistryService::Stub> stub_;
};

class GrpcScoringClient final : public ScoringClient {
 public:
  GrpcScoringClient(std::string address, absl::Duration deadline,
                    std::shared_ptr<grpc::ChannelCredentials> credentials)
      : address_(std::move(address)),
        deadline_(deadline),
        stub_(sv1::ScoringService::NewStub(
            DependencyChannel(address_, std::move(credentials)))) {}

  absl::StatusOr<sv1::GetUnitHistoryResponse> GetUnitHistory(
      absl::string_view unit_id, int up_to_year) override {
    sv1::GetUnitHistoryRequest request;
    request.set_unit_id(std::string(unit_id));
    request.set_up_to_year(up_to_year);
    sv1::GetUnitHistoryResponse response;
    grpc::Status status = stub_->GetUnitHistory(
        DependencyContext(deadline_).get(), request, &response);
    if (!status.ok()) return DependencyError(status, "scoring", address_);
    return response;
  }

 private:
  std::string address_;
  absl::Duration deadline_;
  std::unique_ptr<sv1::ScoringService::Stub> stub_;
};

}  // namespace

std::unique_ptr<RegistryClient> NewGrpcRegistryClient(
    const std::string& address, absl::Duration deadline,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  return std::make_unique<GrpcRegistryClient>(address, deadline,
                                              std::move(credentials));
}

std::unique_ptr<ScoringClient> NewGrpcScoringClient(
    const std::string& address, absl::Duration deadline,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  return std::make_unique<GrpcScoringClient>(address, deadline,
                                             std::move(credentials));
}

}  // namespace antt::awards
