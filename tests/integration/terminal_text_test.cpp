// Server text that tries to drive the terminal or shows the token: the built
// `kernels` must print it escaped, on one line and without the token.
//
// The Hub emulator has no knob for a custom error message, so each test
// runs a tiny server of its own on loopback that gives every request one
// canned HTTP answer.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/support/process.hpp"

using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;

namespace {

const std::string kToken = "hf_TerminalTextIntegrationToken0123456789";

class CannedServer {
 public:
  explicit CannedServer(std::string response) : response_(std::move(response)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(fd_);
      throw std::runtime_error("bind");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos && request.size() < (1u << 16)) {
        pollfd c{client, POLLIN, 0};
        if (::poll(&c, 1, 2000) <= 0) break;
        ssize_t n = ::recv(client, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      ++requests_;
      std::size_t sent = 0;
      while (sent < response_.size()) {
        ssize_t n = ::send(client, response_.data() + sent, response_.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::close(client);
    }
  }

  std::string response_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

std::string http_answer(int status, const std::string& extra_headers, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " Status\r\n" + extra_headers +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

RunOptions env_for(const CannedServer& server, const TempDir& home) {
  RunOptions o;
  o.env["HF_ENDPOINT"] = server.endpoint();
  o.env["HF_HOME"] = home.path();
  o.env["HF_TOKEN"] = kToken;
  return o;
}

// Nothing that drives a terminal, and no part of the token worth having.
void check_safe(const std::string& text) {
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find('\a') == std::string::npos);
  CHECK(text.find(kToken) == std::string::npos);
  CHECK(text.find(kToken.substr(0, 12)) == std::string::npos);
}

bool has_line_starting(const std::string& text, const std::string& start) {
  return text.rfind(start, 0) == 0 || text.find("\n" + start) != std::string::npos;
}

}  // namespace

TEST_CASE("an error header with escape sequences and the token is shown escaped and redacted",
          "[cli][hub][terminal_text]") {
  CannedServer server(http_answer(
      403, "X-Error-Message: \x1b[2J\x1b[31mdenied\x1b[0m; you sent Authorization: Bearer " + kToken + "\x07\r\n",
      "{}"));
  TempDir home;
  auto r = run_kernels({"versions", "kernels-test/relu"}, env_for(server, home));
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(server.requests() >= 1);
  check_safe(r.err);
  check_safe(r.out);
  CHECK(r.err.find("forbidden (403)") != std::string::npos);
  CHECK(r.err.find("\\x1b[2J") != std::string::npos);
  CHECK(r.err.find("Authorization: Bearer hf_***") != std::string::npos);
}

TEST_CASE("a server message with newlines cannot forge lines, and is cut with the token in it",
          "[cli][hub][terminal_text]") {
  SECTION("newlines, a carriage return and an OSC title sequence in the JSON error") {
    std::string body =
        R"({"error": "no access\nerror: kernels versions: forged line\r\u001b]0;pwned\u0007 token )" + kToken + R"("})";
    CannedServer server(http_answer(403, "", body));
    TempDir home;
    auto r = run_kernels({"-v", "versions", "kernels-test/relu"}, env_for(server, home));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    check_safe(r.err);
    CHECK_FALSE(has_line_starting(r.err, "error: kernels versions: forged line"));
    CHECK(r.err.find("no access\\nerror: kernels versions: forged line\\r\\x1b]0;pwned\\x07 token hf_***") !=
          std::string::npos);
    CHECK(r.err.find("hub: GET ") != std::string::npos);  // the verbose log still prints
  }
  SECTION("a long message cut in the middle of the token") {
    std::string body = R"({"error": ")" + std::string(280, '.') + " Bearer " + kToken + std::string(100, '.') + R"("})";
    CannedServer server(http_answer(403, "", body));
    TempDir home;
    auto r = run_kernels({"versions", "kernels-test/relu"}, env_for(server, home));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    check_safe(r.err);
    CHECK(r.err.find("Bearer hf_***\xe2\x80\xa6") != std::string::npos);
    CHECK(r.err.find(std::string(100, '.')) != std::string::npos);
    CHECK(r.err.size() < 600);
  }
}
