#ifndef ANTT_TESTS_TESTING_GRPC_TEST_UTIL_H_
#define ANTT_TESTS_TESTING_GRPC_TEST_UTIL_H_

// Helpers for tests that talk gRPC to real servers.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace antt::testing {

// The field paths of the google.rpc.BadRequest in a failed call's details.
inline std::set<std::string> BadFields(const grpc::Status& status) {
  std::set<std::string> fields;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations())
        fields.insert(v.field());
    }
  }
  return fields;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Calls `attempt` until it returns true or `timeout` passes, pausing briefly
// between attempts; returns whether it succeeded.
inline bool PollUntil(std::chrono::steady_clock::duration timeout,
                      const std::function<bool()>& attempt) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (attempt()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Polls the health service at `address` until SERVING, for at most 20 s,
// over `credentials` (plaintext when none).
inline bool WaitServing(
    const std::string& address,
    std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr) {
  if (credentials == nullptr) credentials = grpc::InsecureChannelCredentials();
  return PollUntil(std::chrono::seconds(20), [&] {
    // A fresh channel each time: a channel that failed to connect backs off
    // for seconds before it tries again.
    auto health = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(address, credentials));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(200));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    return health->Check(&context, request, &response).ok() &&
           response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  });
}

}  // namespace antt::testing

#endif  // ANTT_TESTS_TESTING_GRPC_TEST_UTIL_H_
