#include <grpcpp/grpcpp.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/grpc_status.h"
#include "services/scoring/registry_client.h"

namespace antt::scoring {
namespace {

namespace rv1 = ::antt::registry::v1;

class GrpcRegistryClient final : public RegistryClient {
 public:
  explicit GrpcRegistryClient(const GrpcRegistryClientOptions& options)
      : options_(options) {
    grpc::ChannelArguments args;
    // Come back quickly after the registry restarts (the default backoff
    // grows to two minutes).
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    stub_ = rv1::RegistryService::NewStub(grpc::CreateCustomChannel(
        options.address, grpc::InsecureChannelCredentials(), args));
  }

  absl::StatusOr<rv1::Unit> GetUnit(absl::string_view id) override {
    rv1::GetUnitRequest request;
    request.set_id(std::string(id));
    rv1::Unit unit;
    auto context = Context();
    grpc::Status status = stub_->GetUnit(context.get(), request, &unit);
    if (!status.ok()) return Translate(status);
    return unit;
  }

  absl::StatusOr<rv1::ListChangesResponse> ListChanges(uint64_t after_sequence,
                                                       int page_size) override {
    rv1::ListChangesRequest request;
    request.set_after_sequence(after_sequence);
    request.set_page_size(page_size);
    rv1::ListChangesResponse response;
    auto context = Context();
    grpc::Status status = stub_->ListChanges(context.get(), request, &response);
    if (!status.ok()) return Translate(status);
    return response;
  }

 private:
  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
    return context;
  }

  // The registry's NotFound stays NotFound; not reaching it in time is
  // Unavailable for our caller, whatever gRPC said.
  absl::Status Translate(const grpc::Status& status) const {
    switch (status.error_code()) {
      case grpc::StatusCode::NOT_FOUND:
      case grpc::StatusCode::INVALID_ARGUMENT:
        return FromGrpcStatus(status);
      case grpc::StatusCode::UNAVAILABLE:
      case grpc::StatusCode::DEADLINE_EXCEEDED:
        return absl::UnavailableError(
            absl::StrCat("the registry at ", options_.address,
                         " cannot be reached: ", status.error_message()));
      default:
        return absl::UnavailableError(
            absl::StrCat("the registry at ", options_.address,
                         " failed: ", status.error_message()));
    }
  }

  GrpcRegistryClientOptions options_;
  std::unique_ptr<rv1::RegistryService::Stub> stub_;
};

}  // namespace

std::unique_ptr<RegistryClient> NewGrpcRegistryClient(
    const GrpcRegistryClientOptions& options) {
  return std::make_unique<GrpcRegistryClient>(options);
}

}  // namespace antt::scoring
