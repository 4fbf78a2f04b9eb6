#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "kernels/ref/compare.hpp"

using namespace kernels::gpu;

TEST_CASE("ULP distance counts representable values between two elements", "[kernels][compare]") {
  CHECK(ulp_distance(DType::F16, 0x3C00, 0x3C00) == 0);
  CHECK(ulp_distance(DType::F16, 0x3C00, 0x3C01) == 1);
  CHECK(ulp_distance(DType::F16, 0x3C05, 0x3C00) == 5);
  CHECK(ulp_distance(DType::F16, 0x0000, 0x8000) == 0);   // +0 and -0
  CHECK(ulp_distance(DType::F16, 0x0001, 0x8001) == 2);   // across zero
  CHECK(ulp_distance(DType::BF16, 0x3F80, 0x3F7F) == 1);  // across a power of two
  CHECK(ulp_distance(DType::F32, 0x3F800000u, 0x3F800003u) == 3);
  CHECK(ulp_distance(DType::F32, 0x00000000u, 0x80000000u) == 0);
  CHECK(ulp_distance(DType::F16, 0x7E00, 0x7E01) == 0);         // NaN vs NaN
  CHECK(ulp_distance(DType::F16, 0x7E00, 0x3C00) == kNanUlps);  // NaN vs a number
  CHECK(ulp_distance(DType::BF16, 0x3F80, 0x7FC0) == kNanUlps);
  CHECK(ulp_distance(DType::F32, 0x7FC00000u, 0x3F800000u) == kNanUlps);
  CHECK(ulp_distance(DType::F16, 0x7C00, 0x7BFF) == 1);  // inf is one past the largest
}

TEST_CASE("compare reports the worst difference, where, and the share that differ", "[kernels][compare]") {
  std::vector<uint16_t> got(10000, 0x3C00), want(10000, 0x3C00);
  got[17] = 0x3C01;
  got[9000] = 0x3C03;
  got[9001] = 0x3BFF;
  Comparison c = compare(DType::F16, got.data(), want.data(), got.size(), 4);
  CHECK(c.elements == 10000);
  CHECK(c.differing == 3);
  CHECK(c.max_ulps == 3);
  CHECK(c.worst_index == 9000);
  CHECK(c.share_differing() == Approx(3e-4));
  got[5] = 0x7E00;
  c = compare(DType::F16, got.data(), want.data(), got.size(), 3);
  CHECK(c.max_ulps == kNanUlps);
  CHECK(c.worst_index == 5);
}
