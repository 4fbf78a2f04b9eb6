#include <catch2/catch.hpp>

#include <chrono>

#include "tests/unit/hub/hub_test_support.hpp"

using namespace kernels;
using namespace kernels::hub;
using kernels::hub_emulator::Faults;
using kernels::hub_emulator::TestHub;
using kernels::hub_test::config_for;
using kernels::hub_test::fast_retries;

namespace {

hub_emulator::TestHub& fault_hub() {
  static TestHub hub;
  return hub;
}

// Sets the knobs for one test and clears them again.
struct FaultScope {
  explicit FaultScope(const Faults& f) { fault_hub().emulator().set_faults(f); }
  ~FaultScope() { fault_hub().emulator().set_faults(Faults{}); }
};

std::uint64_t count() { return fault_hub().emulator().request_count(); }

}  // namespace

TEST_CASE("429 with Retry-After is retried until it succeeds", "[hub][faults]") {
  auto& hub = fault_hub();
  HubClient client(config_for(hub), fast_retries());
  Faults f;
  f.rate_limit_every = 2;
  f.retry_after_s = 0;
  FaultScope scope(f);
  auto start = count();
  for (int i = 0; i < 4; ++i) REQUIRE(client.list_refs("kernels-test/relu").ok());
  CHECK(count() - start == 7);  // requests 2, 4 and 6 were rate-limited
}

TEST_CASE("a Hub that keeps rate-limiting gives up after the bounded attempts", "[hub][faults]") {
  auto& hub = fault_hub();
  HubClient client(config_for(hub), fast_retries(2));
  Faults f;
  f.rate_limit_every = 1;
  FaultScope scope(f);
  auto start = count();
  auto r = client.repo_info("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::rate_limited);
  CHECK(r.error().message.find("after 3 attempts") != std::string::npos);
  CHECK(count() - start == 3);
}

TEST_CASE("Retry-After beyond the total deadline stops retrying at once", "[hub][faults]") {
  auto& hub = fault_hub();
  auto policy = fast_retries(5);
  policy.deadline = std::chrono::milliseconds(300);
  HubClient client(config_for(hub), policy);
  Faults f;
  f.rate_limit_every = 1;
  f.retry_after_s = 30;
  FaultScope scope(f);
  auto started = std::chrono::steady_clock::now();
  auto r = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::rate_limited);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("500s are retried with backoff, persistent ones become a ServerError", "[hub][faults]") {
  auto& hub = fault_hub();
  HubClient client(config_for(hub), fast_retries(3));
  {
    Faults f;
    f.error_500_every = 2;
    FaultScope scope(f);
    for (int i = 0; i < 3; ++i) CHECK(client.list_tree("kernels-test/relu", "main").ok());
  }
  Faults f;
  f.error_500_every = 1;
  FaultScope scope(f);
  auto start = count();
  auto r = client.list_tree("kernels-test/relu", "main");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::server_error);
  CHECK(r.error().message.find("try again later") != std::string::npos);
  CHECK(count() - start == 4);
}

TEST_CASE("dropped connections are retried, if they persist the error says the Hub cannot be reached",
          "[hub][faults]") {
  auto& hub = fault_hub();
  HubClient client(config_for(hub), fast_retries(3));
  {
    Faults f;
    f.reset_every = 2;
    FaultScope scope(f);
    for (int i = 0; i < 3; ++i) CHECK(client.list_refs("kernels-test/relu").ok());
  }
  Faults f;
  f.reset_every = 1;
  FaultScope scope(f);
  auto r = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::network);
  CHECK(r.error().message.find("Cannot reach the Hub at " + hub.endpoint()) != std::string::npos);
}

TEST_CASE("truncated bodies are detected and retried", "[hub][faults]") {
  auto& hub = fault_hub();
  HubClient client(config_for(hub), fast_retries(3));
  Faults f;
  f.truncate_every = 2;
  FaultScope scope(f);
  for (int i = 0; i < 3; ++i) {
    auto body = client.download("kernels-test/relu", "v1", "build/torch-cpu/relu/a file.py");
    REQUIRE(body.ok());
    CHECK(*body == "# a path with a space\n");
  }
}

TEST_CASE("malformed JSON is an error that names the request, not retried", "[hub][faults]") {
  auto& hub = fault_hub();
  HubClient client(config_for(hub), fast_retries(3));
  Faults f;
  f.malformed_json_every = 1;
  FaultScope scope(f);
  auto start = count();
  auto r = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::bad_response);
  CHECK(r.error().message.find("/api/kernels/kernels-test/relu/refs") != std::string::npos);
  CHECK(count() - start == 1);
  CHECK_FALSE(client.list_tree("kernels-test/relu", "main").ok());
}

TEST_CASE("latency knob delays every request", "[hub][faults]") {
  auto& hub = fault_hub();
  HubClient client(config_for(hub));
  Faults f;
  f.latency_ms = 60;
  FaultScope scope(f);
  auto started = std::chrono::steady_clock::now();
  REQUIRE(client.list_refs("kernels-test/relu").ok());
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(60));
}

TEST_CASE("a refused connection is a network error at once, not retried", "[hub][faults]") {
  hub::HubConfig c;
  c.endpoint = "http://127.0.0.1:1";
  c.user_agent = "test";
  HubClient client(c, fast_retries(1));
  auto r = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::network);
  CHECK(r.error().message.find("Cannot reach the Hub at http://127.0.0.1:1") != std::string::npos);
  CHECK(client.request_count() == 1);
}

TEST_CASE("a tree listing whose every page links to a new page stops at the page limit", "[hub][faults][limits]") {
  auto& hub = fault_hub();
  auto config = config_for(hub);
  config.limits.tree_pages = 20;
  HubClient client(config, fast_retries(0));
  Faults f;
  f.tree_next = hub.endpoint() + "/api/kernels/kernels-test/relu/tree/main?recursive=true&expand=false&cursor=";
  FaultScope scope(f);
  auto start = count();
  auto r = client.list_tree("kernels-test/relu", "main");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::bad_response);
  CHECK_THAT(r.error().message, Catch::Contains("goes on past 20 pages"));
  CHECK(count() - start == 20);
}

TEST_CASE("a tree page that links to another host is refused, not followed", "[hub][faults][limits]") {
  auto& hub = fault_hub();
  HubClient client(config_for(hub, hub_emulator::kTestToken), fast_retries(0));
  Faults f;
  f.tree_next = hub.emulator().lfs_endpoint() + "/api/kernels/kernels-test/relu/tree/main?cursor=";
  FaultScope scope(f);
  auto r = client.list_tree("kernels-test/relu", "main");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::bad_response);
  CHECK_THAT(r.error().message, Catch::Contains("links to another host (" + hub.emulator().lfs_endpoint() + ")"));
}

TEST_CASE("a tree larger than the entry limit is refused", "[hub][faults][limits]") {
  auto& hub = fault_hub();
  auto config = config_for(hub);
  config.limits.tree_entries = 2;
  HubClient client(config, fast_retries(0));
  auto r = client.list_tree("kernels-test/relu", "main");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("more than 2 entries"));
}

TEST_CASE("more refs than the limit are refused", "[hub][faults][limits]") {
  auto& hub = fault_hub();
  auto config = config_for(hub);
  config.limits.refs = 1;
  HubClient client(config, fast_retries(0));
  auto r = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("more than 1 refs in \"branches\""));
}

TEST_CASE("a server that drips its answer a byte at a time is dropped by the speed floor", "[hub][faults][limits]") {
  auto& hub = fault_hub();
  HttpTimeouts timeouts;
  timeouts.low_speed = std::chrono::seconds(1);
  HubClient client(config_for(hub), fast_retries(0), timeouts);
  Faults f;
  f.drip_ms = 40;  // 25 bytes a second, far under the 1 KiB/s floor
  FaultScope scope(f);
  auto started = std::chrono::steady_clock::now();
  auto r = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::network);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
}

TEST_CASE("the command deadline (--timeout) ends a slow request and refuses the next", "[hub][faults][limits]") {
  auto& hub = fault_hub();
  HttpTimeouts timeouts;
  timeouts.low_speed_bytes = 1;  // only the deadline can stop it
  timeouts.deadline_seconds = std::chrono::seconds(1);
  timeouts.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(800);
  HubClient client(config_for(hub), fast_retries(3), timeouts);
  Faults f;
  f.drip_ms = 20;
  FaultScope scope(f);
  auto r = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::timeout);
  CHECK_THAT(r.error().message, Catch::StartsWith("the command ran out of time (--timeout 1 s) during GET "));
  auto after = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(after.ok());
  CHECK(after.error().code == ErrorCode::timeout);
}

TEST_CASE("a URL that cannot work is not retried and not called unreachable", "[hub][faults]") {
  hub::HubConfig c;
  c.endpoint = "ftp://127.0.0.1:1";
  c.user_agent = "test";
  HubClient client(c, fast_retries(3));
  auto r = client.list_refs("kernels-test/relu");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::url);
  CHECK(r.error().message.find("Cannot reach") == std::string::npos);
  CHECK(client.request_count() == 1);
}
