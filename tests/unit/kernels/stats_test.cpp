#include <catch2/catch.hpp>

#include "kernels/bench/stats.hpp"

using namespace kernels::gpu;

TEST_CASE("summary statistics follow the Python harness's definitions, by hand", "[kernels][stats]") {
  Stats s = summarize({4, 100, 1, 3, 2});
  CHECK(s.n == 5);
  CHECK(s.mean == Approx(22.0));
  CHECK(s.std == Approx(39.0128184).epsilon(1e-7));  // population: sqrt(7610 / 5)
  CHECK(s.min == 1);
  CHECK(s.max == 100);
  CHECK(s.q1 == 2);
  CHECK(s.median == 3);
  CHECK(s.q3 == 4);
  CHECK(s.iqr == 2);
  CHECK(s.p90 == Approx(61.6));  // position 3.6 between 4 and 100
  CHECK(s.outliers == 1);        // only 100 lies outside [-1, 7]
}

TEST_CASE("percentiles interpolate linearly between neighbours", "[kernels][stats]") {
  CHECK(percentile_sorted({10, 20}, 50) == 15);
  CHECK(percentile_sorted({10, 20, 30, 40}, 25) == Approx(17.5));
  CHECK(percentile_sorted({7}, 90) == 7);
  CHECK(percentile_sorted({}, 50) == 0);
  Stats empty = summarize({});
  CHECK(empty.n == 0);
}
