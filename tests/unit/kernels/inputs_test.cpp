#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "kernels/ref/elements.hpp"
#include "kernels/ref/inputs.hpp"

using namespace kernels::gpu;

TEST_CASE("normal inputs are deterministic, centred, of unit variance and never all zero", "[kernels][inputs]") {
  const uint64_t n = 200000;
  std::vector<float> a(n), b(n), c(n);
  fill_normal(DType::F32, a.data(), n, 7, 4);
  fill_normal(DType::F32, b.data(), n, 7, 1);
  fill_normal(DType::F32, c.data(), n, 8, 4);
  CHECK(a == b);
  CHECK(a != c);
  double sum = 0, sq = 0;
  for (float v : a) {
    sum += v;
    sq += double(v) * v;
  }
  double mean = sum / n, var = sq / n - mean * mean;
  CHECK(std::abs(mean) < 0.01);
  CHECK(var == Approx(1.0).epsilon(0.02));
}

TEST_CASE("uniform inputs stay between lo and hi and are stored in the dtype", "[kernels][inputs]") {
  std::vector<uint16_t> w(5000);
  fill_uniform(DType::BF16, w.data(), w.size(), 3, 0.5f, 1.5f);
  float lo = 10, hi = -10;
  for (size_t i = 0; i < w.size(); ++i) {
    float v = load_element(DType::BF16, w.data(), i);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  CHECK(lo >= 0.5f);
  CHECK(hi <= 1.5f);
  CHECK(hi - lo > 0.9f);
}
