// Reading and writing one element of a host buffer of a given dtype as fp32,
// and rounding an fp32 value to a dtype (round to nearest even).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/core/dtype.hpp"
#include "kernels/core/half.hpp"

namespace kernels::gpu {

inline float load_element(DType t, const void* buf, size_t i) {
  if (t == DType::F32) {
    float f;
    std::memcpy(&f, static_cast<const char*>(buf) + 4 * i, 4);
    return f;
  }
  uint16_t h;
  std::memcpy(&h, static_cast<const char*>(buf) + 2 * i, 2);
  return t == DType::F16 ? fp16_bits_to_float(h) : bf16_bits_to_float(h);
}

inline void store_element(DType t, void* buf, size_t i, float v) {
  if (t == DType::F32) {
    std::memcpy(static_cast<char*>(buf) + 4 * i, &v, 4);
    return;
  }
  uint16_t h = t == DType::F16 ? float_to_fp16_bits(v) : float_to_bf16_bits(v);
  std::memcpy(static_cast<char*>(buf) + 2 * i, &h, 2);
}

// The value `v` takes once stored in dtype `t`.
inline float round_to(DType t, float v) {
  if (t == DType::F32) return v;
  return t == DType::F16 ? fp16_bits_to_float(float_to_fp16_bits(v)) : bf16_bits_to_float(float_to_bf16_bits(v));
}

}  // namespace kernels::gpu
