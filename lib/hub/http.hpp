// A blocking HTTP client over libcurl, safe to use from many threads at once.
//
// Requests run on easy handles taken from a pool: a handle is used by one
// thread at a time, reset between uses (curl_easy_reset keeps its live
// connections), and returned, so a thread's next request reuses a keep-alive
// connection. Each handle has its own connection cache: libcurl does not
// support one connection cache shared by transfers running at the same time
// (CURL_LOCK_DATA_CONNECT in a share handle corrupts the heap under load).
// Only the DNS cache and TLS sessions are shared (a curl share handle with a
// mutex per shared part). TLS peer and host verification
// are always on. Redirects are never followed here: the Hub client decides
// (hub/client.hpp). Every request is counted (request_count()) and, when a
// logger is set, reported as method, URL, status and time: never headers,
// so never the Authorization header.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace kernels::hub {

struct HttpRequest {
  std::string method = "GET";  // GET or HEAD
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  bool accept_compressed = true;                             // false: Accept-Encoding: identity
  std::size_t max_body_bytes = std::size_t{1} << 30;
  // Upper bound for this one request, headers and body (0: HttpTimeouts::total).
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;
  // The first header named `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

// One finished request as the verbose log shows it.
struct RequestLog {
  std::string method;
  std::string url;
  long status = 0;    // 0 when no response came
  std::string error;  // transport error, if any
  std::chrono::milliseconds elapsed{0};
};

struct HttpTimeouts {
  std::chrono::milliseconds connect{10000};
  // A transfer, waiting for headers included, that moves fewer than
  // low_speed_bytes a second for low_speed seconds is aborted: a server that
  // drips a byte a second cannot hold a command.
  std::chrono::seconds low_speed{30};
  long low_speed_bytes = 1024;
  // Upper bound for one whole request (0: none).
  std::chrono::milliseconds total{0};
  // The whole command's deadline (--timeout): no request runs past it, and a
  // request that would start after it fails at once with code "timeout".
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::chrono::seconds deadline_seconds{0};  // as the user gave it, for messages
};

class HttpClient {
 public:
  explicit HttpClient(std::string user_agent, HttpTimeouts timeouts = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads the whole response. Transport failures are
  // Errors: code "connect" when the host does not resolve or refuses the
  // connection, "network" for the rest (TLS, reset, truncated body,
  // timeout), "too-large" past max_body_bytes. Any HTTP status, 4xx and 5xx
  // included, is a response.
  Result<HttpResponse> perform(const HttpRequest& request) const;

  // Streams one request: `on_head` gets the status and headers of the
  // response (its body empty) before any body byte, then `on_body` gets the
  // body in chunks as they arrive; nothing is kept in memory. Either may
  // return false to abort the transfer, which then ends with code "aborted".
  // max_body_bytes does not apply. Returns the head (status, headers) when
  // the transfer completed; errors as perform().
  struct StreamSink {
    std::function<bool(const HttpResponse& head)> on_head;
    std::function<bool(std::string_view chunk)> on_body;
  };
  Result<HttpResponse> stream(const HttpRequest& request, const StreamSink& sink) const;

  // Time left before the command's deadline, or nullopt when it has none.
  std::optional<std::chrono::milliseconds> time_left() const;
  // The Error for a spent command deadline (code "timeout").
  Error deadline_error(const std::string& during) const;

  // Easy handles currently idle in the pool (for tests).
  std::size_t idle_handles() const;

  std::uint64_t request_count() const { return requests_.load(); }
  void set_logger(std::function<void(const RequestLog&)> logger) { logger_ = std::move(logger); }
  const std::string& user_agent() const { return user_agent_; }

 private:
  struct Share;
  struct Pool;
  struct Transfer;
  Result<HttpResponse> run(const HttpRequest& request, Transfer& transfer) const;
  std::string user_agent_;
  HttpTimeouts timeouts_;
  std::unique_ptr<Share> share_;
  std::unique_ptr<Pool> pool_;
  mutable std::atomic<std::uint64_t> requests_{0};
  std::function<void(const RequestLog&)> logger_;
};

// The libcurl version string ("7.88.1"), for the User-Agent.
std::string curl_version_string();

}  // namespace kernels::hub
