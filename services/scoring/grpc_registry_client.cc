#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/dependency.h"
#include "services/scoring/registry_client.h"

namespace antt::scoring {
namespace {

namespace rv1 = ::antt::registry::v1;

class GrpcRegistryClient final : public RegistryClient {
 public:
  explicit GrpcRegistryClient(const GrpcRegistryClientOptions& options)
      : options_(options),
        stub_(rv1::RegistryService::NewStub(
            DependencyChannel(options.address, options.credentials))) {}

  absl::StatusOr<rv1::Unit> GetUnit(absl::string_view id) override {
    rv1::GetUnitRequest request;
    request.set_id(std::string(id));
    rv1::Unit unit;
    grpc::Status status = stub_->GetUnit(
        DependencyContext(options_.deadline).get(), request, &unit);
    if (!status.ok())
      return DependencyError(status, "registry", options_.address);
    return unit;
  }

  absl::StatusOr<rv1::ListChangesResponse> ListChanges(uint64_t after_sequence,
                                                       int page_size) override {
    rv1::ListChangesRequest request;
    request.set_after_sequence(after_sequence);
    request.set_page_size(page_size);
    rv1::ListChangesResponse response;
    grpc::Status status = stub_->ListChanges(
        DependencyContext(options_.deadline).get(), request, &response);
    if (!status.ok())
      return DependencyError(status, "registry", options_.address);
    return response;
  }

 private:
  GrpcRegistryClientOptions options_;
  std::unique_ptr<rv1::RegistryService::Stub> stub_;
};

}  // namespace

std::unique_ptr<RegistryClient> NewGrpcRegistryClient(
    const GrpcRegistryClientOptions& options) {
  return std::make_unique<GrpcRegistryClient>(options);
}

}  // namespace antt::scoring
