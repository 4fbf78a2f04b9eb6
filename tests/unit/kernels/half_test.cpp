#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "kernels/core/half.hpp"

using namespace kernels::gpu;

TEST_CASE("fp32 to bf16 rounds to nearest, ties to even (hand-computed bit patterns)", "[kernels][half]") {
  CHECK(float_to_bf16_bits(1.0f) == 0x3F80);
  CHECK(float_to_bf16_bits(-2.5f) == 0xC020);
  CHECK(float_to_bf16_bits(0.0f) == 0x0000);
  CHECK(float_to_bf16_bits(-0.0f) == 0x8000);
  // 1 + 2^-8 lies halfway between 0x3F80 and 0x3F81: even wins (down).
  CHECK(float_to_bf16_bits(1.00390625f) == 0x3F80);
  // 1 + 3*2^-8 lies halfway between 0x3F81 and 0x3F82: even wins (up).
  CHECK(float_to_bf16_bits(1.01171875f) == 0x3F82);
  // Just above the halfway point rounds up; just below rounds down.
  CHECK(float_to_bf16_bits(bits_float(0x3F808001u)) == 0x3F81);
  CHECK(float_to_bf16_bits(bits_float(0x3F807FFFu)) == 0x3F80);
  // The largest float rounds to infinity; infinity stays.
  CHECK(float_to_bf16_bits(std::numeric_limits<float>::max()) == 0x7F80);
  CHECK(float_to_bf16_bits(-std::numeric_limits<float>::infinity()) == 0xFF80);
  uint16_t nan = float_to_bf16_bits(std::numeric_limits<float>::quiet_NaN());
  CHECK((nan & 0x7F80) == 0x7F80);
  CHECK((nan & 0x007F) != 0);
  // A NaN whose payload sits only in the low 16 bits must not become infinity.
  uint16_t low_nan = float_to_bf16_bits(bits_float(0x7F800001u));
  CHECK((low_nan & 0x007F) != 0);
}

TEST_CASE("fp32 to fp16 rounds to nearest, ties to even (hand-computed bit patterns)", "[kernels][half]") {
  CHECK(float_to_fp16_bits(1.0f) == 0x3C00);
  CHECK(float_to_fp16_bits(-2.0f) == 0xC000);
  CHECK(float_to_fp16_bits(0.1f) == 0x2E66);
  CHECK(float_to_fp16_bits(1.0f / 3.0f) == 0x3555);
  CHECK(float_to_fp16_bits(-0.0f) == 0x8000);
  CHECK(float_to_fp16_bits(65504.0f) == 0x7BFF);
  CHECK(float_to_fp16_bits(65519.0f) == 0x7BFF);
  CHECK(float_to_fp16_bits(65520.0f) == 0x7C00);  // halfway to 65536: odd mantissa rounds up, to inf
  CHECK(float_to_fp16_bits(1e6f) == 0x7C00);
  // 1 + 2^-11 is halfway between 0x3C00 and 0x3C01: even (down); 1 + 3*2^-11: up to 0x3C02.
  CHECK(float_to_fp16_bits(1.00048828125f) == 0x3C00);
  CHECK(float_to_fp16_bits(1.00146484375f) == 0x3C02);
  // Subnormals: 2^-24 is the smallest; 2^-25 ties to zero; 1.5*2^-24 ties to 2*2^-24.
  CHECK(float_to_fp16_bits(std::ldexp(1.0f, -24)) == 0x0001);
  CHECK(float_to_fp16_bits(std::ldexp(1.0f, -25)) == 0x0000);
  CHECK(float_to_fp16_bits(std::ldexp(1.5f, -25)) == 0x0001);
  CHECK(float_to_fp16_bits(std::ldexp(1.5f, -24)) == 0x0002);
  CHECK(float_to_fp16_bits(std::ldexp(1.0f, -15)) == 0x0200);
  CHECK(float_to_fp16_bits(std::ldexp(1.0f, -14)) == 0x0400);  // smallest normal
  // Just under the smallest normal rounds up into it.
  CHECK(float_to_fp16_bits(bits_float(0x387FFFFFu)) == 0x0400);
  CHECK(float_to_fp16_bits(1e-10f) == 0x0000);
  uint16_t nan = float_to_fp16_bits(std::numeric_limits<float>::quiet_NaN());
  CHECK((nan & 0x7C00) == 0x7C00);
  CHECK((nan & 0x03FF) != 0);
}

TEST_CASE("16-bit to fp32 is exact, and every 16-bit value survives a round trip", "[kernels][half]") {
  CHECK(fp16_bits_to_float(0x3C00) == 1.0f);
  CHECK(fp16_bits_to_float(0x0001) == std::ldexp(1.0f, -24));
  CHECK(fp16_bits_to_float(0x7BFF) == 65504.0f);
  CHECK(std::isinf(fp16_bits_to_float(0x7C00)));
  CHECK(bf16_bits_to_float(0x3F80) == 1.0f);
  CHECK(bf16_bits_to_float(0xC020) == -2.5f);
  for (uint32_t h = 0; h < 0x10000; ++h) {
    uint16_t b = static_cast<uint16_t>(h);
    bool fp16_nan = (b & 0x7C00) == 0x7C00 && (b & 0x03FF);
    bool bf16_nan = (b & 0x7F80) == 0x7F80 && (b & 0x007F);
    if (!fp16_nan && float_to_fp16_bits(fp16_bits_to_float(b)) != b) FAIL("fp16 round trip of " << h);
    if (!bf16_nan && float_to_bf16_bits(bf16_bits_to_float(b)) != b) FAIL("bf16 round trip of " << h);
  }
}
