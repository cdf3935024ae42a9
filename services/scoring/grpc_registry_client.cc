#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/dependency.h"
#include "services/scoring/registry_client.h"

namespace antt::scoring {
namespace {

namespace rv1 = ::antt::registry::v1;

class GrpcRegistryClient final : public RegistryClient {
 public:
  explicit GrpcRegistryClient(const GrpcRegistryClientOptions& options)
      : registry_("registry", options.address, options.deadline,
                  options.credentials),
        stub_(rv1::RegistryService::NewStub(registry_.channel())) {}

  absl::StatusOr<rv1::Unit> GetUnit(absl::string_view id) override {
    rv1::GetUnitRequest request;
    request.set_id(std::string(id));
    return registry_.Call<rv1::Unit>("GetUnit", request, [this](auto... call) {
      stub_->async()->GetUnit(call...);
    });
  }

  absl::StatusOr<rv1::ListChangesResponse> ListChanges(uint64_t after_sequence,
                                                       int page_size) override {
    rv1::ListChangesRequest request;
    request.set_after_sequence(after_sequence);
    request.set_page_size(page_size);
    request.set_with_units(true);
    return registry_.Call<rv1::ListChangesResponse>(
        "ListChanges", request,
        [this](auto... call) { stub_->async()->ListChanges(call...); });
  }

 private:
  Dependency registry_;
  std::unique_ptr<rv1::RegistryService::Stub> stub_;
};

}  // namespace

std::unique_ptr<RegistryClient> NewGrpcRegistryClient(
    const GrpcRegistryClientOptions& options) {
  return std::make_unique<GrpcRegistryClient>(options);
}

}  // namespace antt::scoring
