#include <catch2/catch.hpp>

#include <chrono>

#include "util/bounded_run.hpp"

using kernels::ErrorCode;

using kernels::bounded_run;
using namespace std::chrono_literals;

TEST_CASE("bounded_run: output, exit status, missing program", "[util][bounded_run]") {
  auto r = bounded_run({"sh", "-c", "echo hello; echo err >&2; exit 3"}, 5s, 1024);
  REQUIRE(r.ok());
  CHECK(r->out == "hello\n");
  CHECK(r->exit_code == 3);
  CHECK_FALSE(r->truncated);

  auto missing = bounded_run({"/nonexistent/program"}, 5s, 1024);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::spawn);
  CHECK(missing.error().message.find("/nonexistent/program") != std::string::npos);
}

TEST_CASE("bounded_run: a program that hangs is stopped at the deadline, with its children", "[util][bounded_run]") {
  auto start = std::chrono::steady_clock::now();
  auto r = bounded_run({"sh", "-c", "sleep 30 & sleep 30"}, 300ms, 1024);
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::timeout);
  CHECK(took < 5s);
}

TEST_CASE("bounded_run: a flood of output is cut at the cap", "[util][bounded_run]") {
  auto r = bounded_run({"sh", "-c", "yes"}, 10s, 10000);
  REQUIRE(r.ok());
  CHECK(r->truncated);
  CHECK(r->out.size() == 10000);
}
