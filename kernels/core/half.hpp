// fp32 <-> fp16 / bf16 conversions on the CPU, by bit manipulation, rounding
// to nearest with ties to even (IEEE 754 default, what the GPU's
// __float2half_rn and __float2bfloat16_rn do). NaN stays NaN (quiet).
#pragma once

#include <cstdint>

namespace kernels::gpu {

uint16_t float_to_bf16_bits(float f);
float bf16_bits_to_float(uint16_t b);

uint16_t float_to_fp16_bits(float f);
float fp16_bits_to_float(uint16_t h);

uint32_t float_bits(float f);
float bits_float(uint32_t u);

}  // namespace kernels::gpu
