// Splits [0, n) into contiguous chunks run on up to `threads` threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace kernels::gpu {

template <class F>
void parallel_for(uint64_t n, unsigned threads, F&& fn) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  uint64_t chunks = std::min<uint64_t>(threads, std::max<uint64_t>(1, n / 4096));
  if (chunks <= 1) {
    fn(uint64_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  for (uint64_t c = 0; c < chunks; ++c) {
    uint64_t lo = n * c / chunks, hi = n * (c + 1) / chunks;
    pool.emplace_back([&fn, lo, hi] { fn(lo, hi); });
  }
  for (auto& t : pool) t.join();
}

}  // namespace kernels::gpu
