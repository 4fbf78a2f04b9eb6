// Deterministic pseudo-random inputs for verification and timing: each
// element depends only on (seed, index), so any chunk can be filled on its own.
#pragma once

#include <cstdint>

#include "kernels/core/dtype.hpp"

namespace kernels::gpu {

// About N(0, 1) (sum of four uniforms, scaled): values in (-3.47, 3.47), never all zero.
void fill_normal(DType t, void* buf, uint64_t n, uint64_t seed, unsigned threads = 0);

// Uniform in [lo, hi).
void fill_uniform(DType t, void* buf, uint64_t n, uint64_t seed, float lo, float hi, unsigned threads = 0);

}  // namespace kernels::gpu
