#include "kernels/ref/compare.hpp"

#include <algorithm>
#include <cstring>
#include <vector>
#include <mutex>

#include "kernels/ref/parallel.hpp"

namespace kernels::gpu {
namespace {

bool is_nan(DType t, uint32_t bits) {
  switch (t) {
    case DType::F32: return (bits & 0x7fffffffu) > 0x7f800000u;
    case DType::F16: return (bits & 0x7fffu) > 0x7c00u;
    case DType::BF16: return (bits & 0x7fffu) > 0x7f80u;
  }
  return false;
}

// Maps sign-magnitude bits onto integers in value order (+0 and -0 both to 0).
int64_t ordered(DType t, uint32_t bits) {
  uint32_t sign = t == DType::F32 ? 0x80000000u : 0x8000u;
  int64_t mag = static_cast<int64_t>(bits & (sign - 1u));
  return (bits & sign) ? -mag : mag;
}

uint32_t bits_at(DType t, const void* buf, uint64_t i) {
  if (t == DType::F32) {
    uint32_t u;
    std::memcpy(&u, static_cast<const char*>(buf) + 4 * i, 4);
    return u;
  }
  uint16_t h;
  std::memcpy(&h, static_cast<const char*>(buf) + 2 * i, 2);
  return h;
}

}  // namespace

uint64_t ulp_distance(DType t, uint32_t a, uint32_t b) {
  bool na = is_nan(t, a), nb = is_nan(t, b);
  if (na || nb) return (na && nb) ? 0 : kNanUlps;
  int64_t d = ordered(t, a) - ordered(t, b);
  return static_cast<uint64_t>(d < 0 ? -d : d);
}

void merge(Comparison& acc, const Comparison& more, uint64_t offset) {
  acc.elements += more.elements;
  acc.differing += more.differing;
  if (more.max_ulps > acc.max_ulps) {
    acc.max_ulps = more.max_ulps;
    acc.worst_index = more.worst_index + offset;
  }
}

Comparison compare(DType t, const void* got, const void* want, uint64_t n, unsigned threads) {
  Comparison total;
  std::mutex mu;
  std::vector<std::pair<uint64_t, Comparison>> parts;
  parallel_for(n, threads, [&](uint64_t lo, uint64_t hi) {
    Comparison c;
    for (uint64_t i = lo; i < hi; ++i) {
      uint64_t d = ulp_distance(t, bits_at(t, got, i), bits_at(t, want, i));
      ++c.elements;
      if (d != 0) ++c.differing;
      if (d > c.max_ulps) {
        c.max_ulps = d;
        c.worst_index = i;
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    parts.emplace_back(lo, c);
  });
  std::sort(parts.begin(), parts.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (auto& [lo, c] : parts) merge(total, c, 0);
  return total;
}

}  // namespace kernels::gpu
