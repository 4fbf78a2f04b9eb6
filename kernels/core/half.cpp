#include "kernels/core/half.hpp"

#include <cstring>

namespace kernels::gpu {

uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

float bits_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

uint16_t float_to_bf16_bits(float f) {
  uint32_t u = float_bits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x0040u);  // quiet NaN
  // Add half an ULP of bf16 minus one, plus the lowest kept bit (ties to even).
  uint32_t lsb = (u >> 16) & 1u;
  u += 0x7fffu + lsb;
  return static_cast<uint16_t>(u >> 16);
}

float bf16_bits_to_float(uint16_t b) { return bits_float(static_cast<uint32_t>(b) << 16); }

uint16_t float_to_fp16_bits(float f) {
  uint32_t u = float_bits(f);
  uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
  uint32_t abs = u & 0x7fffffffu;
  if (abs > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));  // NaN
  if (abs == 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u);                          // inf
  int exp = static_cast<int>(abs >> 23) - 127;                                                   // unbiased
  uint32_t mant = abs & 0x7fffffu;
  if (exp > 15) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow
  if (exp >= -14) {
    // Normal fp16: keep 10 mantissa bits, round the 13 dropped ones.
    uint32_t half = static_cast<uint32_t>(exp + 15) << 10 | (mant >> 13);
    uint32_t rest = mant & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;  // may carry into exponent/inf: correct
    return static_cast<uint16_t>(sign | half);
  }
  // Subnormal fp16 (or zero): value = m * 2^-24 with m < 1024.
  if (exp < -25) return sign;        // below half the smallest subnormal: rounds to zero
  uint32_t full = mant | 0x800000u;  // 24-bit significand, value full * 2^(exp-23)
  int shift = -exp - 1;              // 2^(exp-23) / 2^-24 = 2^(exp+1): right shift by -(exp+1)
  uint32_t m = full >> shift;
  uint32_t rest = full & ((1u << shift) - 1u);
  uint32_t halfway = 1u << (shift - 1);
  if (rest > halfway || (rest == halfway && (m & 1u))) ++m;
  return static_cast<uint16_t>(sign | m);
}

float fp16_bits_to_float(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  if (exp == 0x1f) return bits_float(sign | 0x7f800000u | (mant << 13));
  if (exp == 0) {
    // zero or subnormal: mant * 2^-24, exact in float
    float v = static_cast<float>(mant) * 5.9604644775390625e-08f;
    return sign ? -v : v;
  }
  return bits_float(sign | ((exp - 15 + 127) << 23) | (mant << 13));
}

}  // namespace kernels::gpu
