#include <catch2/catch.hpp>

#include "hub/retry.hpp"

using namespace kernels::hub;
using std::chrono::milliseconds;

TEST_CASE("retryable statuses are 408, 429 and 5xx gateway errors", "[hub][retry]") {
  for (long s : {408L, 429L, 500L, 502L, 503L, 504L}) CHECK(retryable_status(s));
  for (long s : {200L, 301L, 400L, 401L, 403L, 404L, 416L, 501L}) CHECK_FALSE(retryable_status(s));
}

TEST_CASE("backoff doubles from the base, is capped, and jitters within [d/2, d]", "[hub][retry]") {
  RetryPolicy p;  // 1 s base, 8 s cap
  std::mt19937_64 rng(42);
  const long expected[] = {1000, 2000, 4000, 8000, 8000, 8000};
  for (int retry = 0; retry < 6; ++retry) {
    for (int i = 0; i < 50; ++i) {
      auto d = backoff_delay(p, retry, rng).count();
      CHECK(d >= expected[retry] / 2);
      CHECK(d <= expected[retry]);
    }
  }
}

TEST_CASE("Retry-After is read as integer seconds only", "[hub][retry]") {
  CHECK(parse_retry_after("3") == std::chrono::seconds(3));
  CHECK(parse_retry_after(" 0 ") == std::chrono::seconds(0));
  CHECK_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  CHECK_FALSE(parse_retry_after(""));
  CHECK_FALSE(parse_retry_after("-1"));
}
