#ifndef ANTT_COMMON_SERVER_FLAGS_H_
#define ANTT_COMMON_SERVER_FLAGS_H_

// The flags every ANTT server shares (--insecure, --max_threads,
// --drain_seconds) and the loop every main() runs. Each binary defines its
// own --listen, whose default port differs.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/server_runner.h"

namespace antt {

// Options from the shared flags, for `service_name` listening on `listen`.
[[nodiscard]] ServerOptions ServerOptionsFromFlags(std::string service_name,
                                                   std::string listen);

// Logs a start-up failure ("cannot open store", …) and returns exit code 1.
int StartupFailure(absl::string_view what, const absl::Status& status);

// Starts `services`, serves until SIGTERM or SIGINT, then drains (health
// NOT_SERVING, in-flight calls finish within the drain time). Returns the
// exit code: 0, or 1 when the server could not start. The caller closes its
// store afterwards.
int ServeUntilSignal(const ServerOptions& options,
                     const std::vector<grpc::Service*>& services);

}  // namespace antt

#endif  // ANTT_COMMON_SERVER_FLAGS_H_
