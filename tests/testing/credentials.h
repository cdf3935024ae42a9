#ifndef ANTT_TESTS_TESTING_CREDENTIALS_H_
#define ANTT_TESTS_TESTING_CREDENTIALS_H_

// Real certificates and tokens for tests, issued by scripts/antt-credentials
// (the operators' script, so the tests exercise it too).

#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace antt::testing {

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `command` with /bin/sh; its stdout, trailing newline removed. Fails
// the test on a non-zero exit.
inline std::string RunShell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << command;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// A certificate authority in `dir` and what it issued.
class TestPki final {
 public:
  // A new CA in `dir` (which must not hold one yet).
  explicit TestPki(std::string dir) : dir_(std::move(dir)) {
    RunShell(Script() + " ca " + dir_ + " >/dev/null");
  }

  // Issues NAME.crt/NAME.key valid for localhost and 127.0.0.1.
  void IssueCert(const std::string& name) const {
    RunShell(Script() + " cert " + dir_ + " " + name + " >/dev/null");
  }
  // Issues a token for `name` with `role` (and an area for an OFFICER) into
  // principals.json; returns the token.
  std::string IssueToken(const std::string& name, const std::string& role,
                         const std::string& area_code = "",
                         const std::string& edition = "") const {
    return RunShell(Script() + " token " + dir_ + " " + name + " " + role +
                    (area_code.empty() ? "" : " " + area_code + " " + edition));
  }

  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::string ca() const { return dir_ + "/ca.crt"; }
  [[nodiscard]] std::string cert(const std::string& name) const {
    return dir_ + "/" + name + ".crt";
  }
  [[nodiscard]] std::string key(const std::string& name) const {
    return dir_ + "/" + name + ".key";
  }
  [[nodiscard]] std::string token_file(const std::string& name) const {
    return dir_ + "/" + name + ".token";
  }
  [[nodiscard]] std::string principals() const {
    return dir_ + "/principals.json";
  }

  // The server flags for mutual TLS with certificate `name` and this CA's
  // principals.
  [[nodiscard]] std::vector<std::string> ServerFlags(
      const std::string& name) const {
    return {"--tls_cert=" + cert(name), "--tls_key=" + key(name),
            "--tls_ca=" + ca(), "--principals_file=" + principals()};
  }

  // Channel credentials trusting this CA, presenting certificate `client`
  // (none when empty) and sending `token` (none when empty).
  [[nodiscard]] std::shared_ptr<grpc::ChannelCredentials> Credentials(
      const std::string& client, const std::string& token) const {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Slurp(ca());
    if (!client.empty()) {
      ssl.pem_cert_chain = Slurp(cert(client));
      ssl.pem_private_key = Slurp(key(client));
    }
    std::shared_ptr<grpc::ChannelCredentials> credentials =
        grpc::SslCredentials(ssl);
    if (token.empty()) return credentials;
    return grpc::CompositeChannelCredentials(
        credentials, grpc::AccessTokenCredentials(token));
  }

  static std::string Script() {
    return std::string(ANTT_SOURCE_DIR) + "/scripts/antt-credentials";
  }

 private:
  std::string dir_;
};

}  // namespace antt::testing

#endif  // ANTT_TESTS_TESTING_CREDENTIALS_H_
