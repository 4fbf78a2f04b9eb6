// Verification of one kernel call on the device against the CPU reference:
// seeded random inputs, outputs poisoned with NaN before the launch, every
// output element compared in ULPs.
#pragma once

#include <cstdint>

#include "kernels/bench/shapes.hpp"
#include "kernels/core/call.hpp"
#include "kernels/ref/compare.hpp"
#include "util/result.hpp"

namespace kernels::gpu {

struct Verification {
  Comparison comparison;
  uint32_t tolerance_ulps = 0;
  bool passed() const { return comparison.max_ulps <= tolerance_ulps; }
};

struct VerifyOptions {
  uint64_t seed = 42;
  // Shift every device buffer by this many elements from a 256-byte boundary
  // (1 makes the rows misaligned and takes the scalar path).
  int misalign_elements = 0;
  float threshold = 0.0f;
};

Result<Verification> verify_on_device(Op op, DType t, Shape shape, const VerifyOptions& options = {});

}  // namespace kernels::gpu
