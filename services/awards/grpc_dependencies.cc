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
  GrpcRegistryClient(const std::string& address, absl::Duration deadline,
                     std::shared_ptr<grpc::ChannelCredentials> credentials)
      : registry_("registry", address, deadline, std::move(credentials)),
        stub_(rv1::RegistryService::NewStub(registry_.channel())) {}

  absl::StatusOr<rv1::Unit> GetUnit(absl::string_view id) override {
    rv1::GetUnitRequest request;
    request.set_id(std::string(id));
    return registry_.Call<rv1::Unit>("GetUnit", request, [this](auto... call) {
      stub_->async()->GetUnit(call...);
    });
  }

  absl::StatusOr<rv1::Person> GetPerson(absl::string_view id) override {
    rv1::GetPersonRequest request;
    request.set_id(std::string(id));
    return registry_.Call<rv1::Person>(
        "GetPerson", request,
        [this](auto... call) { stub_->async()->GetPerson(call...); });
  }

 private:
  Dependency registry_;
  std::unique_ptr<rv1::RegistryService::Stub> stub_;
};

class GrpcScoringClient final : public ScoringClient {
 public:
  GrpcScoringClient(const std::string& address, absl::Duration deadline,
                    std::shared_ptr<grpc::ChannelCredentials> credentials)
      : scoring_("scoring", address, deadline, std::move(credentials)),
        stub_(sv1::ScoringService::NewStub(scoring_.channel())) {}

  absl::StatusOr<sv1::GetUnitHistoryResponse> GetUnitHistory(
      absl::string_view unit_id, int up_to_year) override {
    sv1::GetUnitHistoryRequest request;
    request.set_unit_id(std::string(unit_id));
    request.set_up_to_year(up_to_year);
    return scoring_.Call<sv1::GetUnitHistoryResponse>(
        "GetUnitHistory", request,
        [this](auto... call) { stub_->async()->GetUnitHistory(call...); });
  }

 private:
  Dependency scoring_;
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
