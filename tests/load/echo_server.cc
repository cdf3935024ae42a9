// antt-echo-server: a gRPC server that does nothing, the yardstick of the
// serving core (README, Measurements).
//
//   antt-echo-server --listen=127.0.0.1:0
//
// Every method of every service is answered at once with an empty message
// and OK, whatever the request: a CallbackGenericService reads the request
// and writes an empty reply from gRPC's own threads, with no handler thread,
// no logging, no interceptors, no health or reflection service. What is left
// is what gRPC itself costs per call on this machine, so antt-serving-load
// divides each real RPC's calls/s by this server's, measured next to it in
// time with the same request bytes.
//
// Prints one JSON line on stdout once it listens, {"msg":"listening",
// "port":N}, so a script may ask for port 0 and read the port. SIGTERM or
// SIGINT stop it (in-flight calls finish within 5 s); the exit status is 0,
// or 1 when it could not listen, 2 for bad flags.

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "127.0.0.1:PORT to listen on in plaintext (loopback only); port 0 "
          "picks a free one");

namespace antt::load {
namespace {

// One call: read the request (as any server must to see the half-close),
// then the empty reply and OK in one batch. Deletes itself when gRPC is done
// with it.
class EchoReactor final : public grpc::ServerGenericBidiReactor {
 public:
  EchoReactor() : reply_(&empty_, 1) { StartRead(&request_); }

  void OnReadDone(bool /*ok*/) override {
    // Also when the read failed (the caller cancelled): Finish must be
    // called once in any case, and a write to a dead call just fails.
    StartWriteAndFinish(&reply_, grpc::WriteOptions(), grpc::Status::OK);
  }

  void OnDone() override { delete this; }

 private:
  grpc::ByteBuffer request_;
  grpc::Slice empty_;
  // An empty message, not an empty ByteBuffer: the latter has no buffer and
  // cannot be written; a unary caller needs exactly one message.
  grpc::ByteBuffer reply_;
};

class EchoService final : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* /*context*/) override {
    return new EchoReactor();
  }
};

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// Plaintext, so loopback only, as --insecure is for the ANTT servers.
bool IsLoopbackAddress(absl::string_view address) {
  constexpr absl::string_view kHost = "127.0.0.1:";
  int port = -1;
  return absl::StartsWith(address, kHost) &&
         address.size() - kHost.size() <= 5 &&
         absl::SimpleAtoi(address.substr(kHost.size()), &port) && port >= 0 &&
         port < 65536;
}

int Main() {
  const std::string listen = absl::GetFlag(FLAGS_listen);
  if (!IsLoopbackAddress(listen)) {
    std::fprintf(stderr, "antt-echo-server: --listen must be 127.0.0.1:PORT\n");
    return 2;
  }
  // Before gRPC starts its threads, so that they inherit the mask and the
  // signal is taken only by sigwait below.
  const sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // As the ANTT servers do (services/*/main.cc): Debian's Abseil checks every
  // lock, gRPC's too, for deadlock cycles; the yardstick must not pay a cost
  // the servers it is compared with do not.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  EchoService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterCallbackGenericService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "antt-echo-server: cannot listen on %s\n",
                 listen.c_str());
    return 1;
  }
  std::printf("{\"msg\":\"listening\",\"port\":%d}\n", port);
  std::fflush(stdout);

  int signal_number = 0;
  while (sigwait(&signals, &signal_number) != 0) {
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return 0;
}

}  // namespace
}  // namespace antt::load

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("antt-echo-server --listen=127.0.0.1:PORT");
  absl::ParseCommandLine(argc, argv);
  return antt::load::Main();
}
