#include "kernels/ref/inputs.hpp"

#include "kernels/ref/elements.hpp"
#include "kernels/ref/parallel.hpp"

namespace kernels::gpu {
namespace {

uint64_t mix(uint64_t z) {  // splitmix64 finaliser
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

void fill_normal(DType t, void* buf, uint64_t n, uint64_t seed, unsigned threads) {
  parallel_for(n, threads, [&](uint64_t lo, uint64_t hi) {
    for (uint64_t i = lo; i < hi; ++i) {
      uint64_t h = mix(seed * 0x100000001b3ull ^ i);
      float s = 0.0f;
      for (int k = 0; k < 4; ++k) s += static_cast<float>((h >> (16 * k)) & 0xffffu) + 0.5f;
      // Each term is uniform on (0, 65536): mean 2*65536, variance 4*65536^2/12.
      float v = (s - 131072.0f) * (1.7320508f / 65536.0f);
      store_element(t, buf, i, v);
    }
  });
}

void fill_uniform(DType t, void* buf, uint64_t n, uint64_t seed, float lo_v, float hi_v, unsigned threads) {
  parallel_for(n, threads, [&](uint64_t lo, uint64_t hi) {
    for (uint64_t i = lo; i < hi; ++i) {
      uint64_t h = mix(seed * 0x100000001b3ull ^ i);
      float u = static_cast<float>(h >> 40) / 16777216.0f;
      store_element(t, buf, i, lo_v + (hi_v - lo_v) * u);
    }
  });
}

}  // namespace kernels::gpu
