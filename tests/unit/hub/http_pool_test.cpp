// HttpClient's handle pool and streaming against the emulator: many threads
// at once (the shared connection cache this replaces corrupted the heap
// under exactly this load), bodies checked byte for byte.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "hub/http.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/test_hub.hpp"

using namespace kernels;
using namespace kernels::hub;
using kernels::hub_emulator::TestHub;

namespace {

TestHub& pool_hub() {
  static TestHub hub;
  return hub;
}

}  // namespace

TEST_CASE("http: 16 threads x 60 requests share the client and get every body right", "[hub][http]") {
  auto& hub = pool_hub();
  HttpClient http("kernels-cli/test");
  const std::string base = hub.endpoint() + "/kernels/kernels-test/relu/resolve/" + hub.relu_first + "/";
  const std::string small = "build/torch-cpu/relu/a%20file.py";
  const std::string lfs_url =
      hub.emulator().lfs_endpoint() + "/lfs/kernels-test/relu/" + hub_emulator::sha256_hex(hub.lfs_content);
  std::atomic<int> good{0}, bad{0};
  std::vector<std::thread> threads;
  threads.reserve(16);
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        HttpRequest r;
        bool large = (i + t) % 3 == 0;
        r.url = large ? lfs_url : base + small;
        if ((i + t) % 2 == 0) {
          auto got = http.perform(r);
          bool ok = got.ok() && got->status == 200 &&
                    got->body == (large ? hub.lfs_content : std::string("# a path with a space\n"));
          (ok ? good : bad)++;
        } else {
          std::string body;
          long status = 0;
          HttpClient::StreamSink sink;
          sink.on_head = [&](const HttpResponse& h) {
            status = h.status;
            return body.empty();  // the head comes before any byte
          };
          sink.on_body = [&](std::string_view c) {
            body.append(c);
            return true;
          };
          auto got = http.stream(r, sink);
          bool ok = got.ok() && status == 200 && got->status == 200 && got->body.empty() &&
                    body == (large ? hub.lfs_content : std::string("# a path with a space\n"));
          (ok ? good : bad)++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(bad == 0);
  CHECK(good == 16 * 60);
  CHECK(http.request_count() == 16 * 60);
  // Handles went back to the pool for reuse; never more than were in use at once.
  CHECK(http.idle_handles() >= 1);
  CHECK(http.idle_handles() <= 16);
}

TEST_CASE("http: a sequential client reuses one pooled handle", "[hub][http]") {
  auto& hub = pool_hub();
  HttpClient http("kernels-cli/test");
  for (int i = 0; i < 5; ++i) {
    HttpRequest r;
    r.url = hub.endpoint() + "/api/kernels/kernels-test/relu/refs";
    auto got = http.perform(r);
    REQUIRE(got.ok());
    CHECK(got->status == 200);
  }
  CHECK(http.idle_handles() == 1);
}

TEST_CASE("http: a stream sink can stop the transfer, a Range answer is a 206", "[hub][http]") {
  auto& hub = pool_hub();
  HttpClient http("kernels-cli/test");
  HttpRequest r;
  r.url = hub.emulator().lfs_endpoint() + "/lfs/kernels-test/relu/" + hub_emulator::sha256_hex(hub.lfs_content);
  std::size_t seen = 0;
  HttpClient::StreamSink stop;
  stop.on_body = [&](std::string_view c) {
    seen += c.size();
    return false;
  };
  auto stopped = http.stream(r, stop);
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.error().code == ErrorCode::aborted);
  CHECK(seen > 0);

  HttpClient::StreamSink refuse;
  refuse.on_head = [](const HttpResponse&) { return false; };
  refuse.on_body = [&](std::string_view) {
    FAIL("no body after the head was refused");
    return true;
  };
  auto refused = http.stream(r, refuse);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::aborted);

  r.headers = {{"Range", "bytes=4000-"}};
  std::string tail;
  HttpResponse head;
  HttpClient::StreamSink keep;
  keep.on_head = [&](const HttpResponse& h) {
    head = h;
    return true;
  };
  keep.on_body = [&](std::string_view c) {
    tail.append(c);
    return true;
  };
  auto ranged = http.stream(r, keep);
  REQUIRE(ranged.ok());
  CHECK(head.status == 206);
  CHECK(head.header("content-range") == "bytes 4000-4999/5000");
  CHECK(tail == hub.lfs_content.substr(4000));
}

TEST_CASE("http: a body past max_body_bytes is cut off as too-large, after decoding", "[hub][http][limits]") {
  // Regression (gzip bomb): the cap counts the bytes curl hands over, which
  // are decoded, so a small compressed answer cannot grow past it.
  auto& hub = pool_hub();
  HttpClient http("kernels-cli/test");
  HttpRequest request;
  request.url = hub.endpoint() + "/api/kernels/kernels-test/relu/tree/main?recursive=true";
  request.max_body_bytes = 16;
  auto r = http.perform(request);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::too_large);
  CHECK(r.error().message.find("response larger than 16 bytes") != std::string::npos);
}
