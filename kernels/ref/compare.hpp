// Element-by-element comparison of a result with its reference, in ULPs of
// the dtype: the number of representable values between the two (+0 and -0
// are the same value). A NaN on one side only is an infinite difference.
#pragma once

#include <cstdint>
#include <limits>

#include "kernels/core/dtype.hpp"

namespace kernels::gpu {

inline constexpr uint64_t kNanUlps = std::numeric_limits<uint64_t>::max();

// ULP distance between two elements given by their bits (16 or 32 bits used).
uint64_t ulp_distance(DType t, uint32_t a_bits, uint32_t b_bits);

struct Comparison {
  uint64_t elements = 0;
  uint64_t differing = 0;    // elements whose bits differ (other than +0/-0)
  uint64_t max_ulps = 0;     // kNanUlps when a NaN appears on one side only
  uint64_t worst_index = 0;  // where max_ulps occurs (first such element)
  double share_differing() const { return elements ? double(differing) / double(elements) : 0.0; }
};

Comparison compare(DType t, const void* got, const void* want, uint64_t n, unsigned threads = 0);

// Folds `more` into `acc` (worst_index of `more` is offset by `offset`).
void merge(Comparison& acc, const Comparison& more, uint64_t offset);

}  // namespace kernels::gpu
