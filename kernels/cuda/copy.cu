// Streaming copy kernels: the bench's roof. cudaMemcpyAsync alone is no
// longer one on an H200 (a fused kernel moved its bytes faster than the copy
// engine path did), so the bench also times copies written the way the
// bundled kernels move bytes, 16-byte accesses coalesced across a warp, and
// takes the best of all of them.
//
// Each variant is a (vectors a thread, cache hint, grid) choice. The one-pass
// variants launch one thread per U vectors, as the activation kernels do
// (no loop); the persistent ones keep a grid of a few blocks an SM looping
// over the buffer, with U loads in flight per thread before the first store.
#include "kernels/cuda/fused.cuh"  // DeviceFacts, kMaxGridX
#include "kernels/cuda/launch.hpp"

#include <algorithm>

namespace kernels::gpu {
namespace dev {
namespace {

constexpr int kCopyThreads = 256;

template <int U, bool STREAMING>
__device__ __forceinline__ void copy_vectors(const uint4* __restrict__ src, uint4* __restrict__ dst, int64_t first,
                                             int64_t n) {
  uint4 v[U];
#pragma unroll
  for (int k = 0; k < U; ++k) {
    const int64_t i = first + int64_t(k) * kCopyThreads;
    if (i < n) v[k] = STREAMING ? __ldcs(src + i) : __ldg(src + i);
  }
#pragma unroll
  for (int k = 0; k < U; ++k) {
    const int64_t i = first + int64_t(k) * kCopyThreads;
    if (i < n) {
      if constexpr (STREAMING) __stcs(dst + i, v[k]);
      else dst[i] = v[k];
    }
  }
}

template <int U, bool STREAMING>
__global__ void __launch_bounds__(kCopyThreads)
    copy_one_pass(const uint4* __restrict__ src, uint4* __restrict__ dst, int64_t n) {
  copy_vectors<U, STREAMING>(src, dst, int64_t(blockIdx.x) * U * kCopyThreads + threadIdx.x, n);
}

template <int U, bool STREAMING>
__global__ void __launch_bounds__(kCopyThreads)
    copy_persistent(const uint4* __restrict__ src, uint4* __restrict__ dst, int64_t n) {
  const int64_t step = int64_t(gridDim.x) * U * kCopyThreads;
  for (int64_t first = int64_t(blockIdx.x) * U * kCopyThreads + threadIdx.x; first < n; first += step)
    copy_vectors<U, STREAMING>(src, dst, first, n);
}

using CopyKernel = void (*)(const uint4*, uint4*, int64_t);

struct CopyVariant {
  const char* name;
  CopyKernel kernel;
  int vectors;  // U
  bool persistent;
};

const CopyVariant kVariants[] = {
    {"copy kernel, 16 B a thread, one pass", copy_one_pass<1, false>, 1, false},
    {"copy kernel, 2x16 B a thread, one pass", copy_one_pass<2, false>, 2, false},
    {"copy kernel, 4x16 B a thread, one pass", copy_one_pass<4, false>, 4, false},
    {"copy kernel, 4x16 B a thread, one pass, streaming hints", copy_one_pass<4, true>, 4, false},
    {"copy kernel, 8x16 B a thread, one pass", copy_one_pass<8, false>, 8, false},
    {"copy kernel, 4x16 B a thread, persistent", copy_persistent<4, false>, 4, true},
    {"copy kernel, 8x16 B a thread, persistent", copy_persistent<8, false>, 8, true},
    {"copy kernel, 8x16 B a thread, persistent, streaming hints", copy_persistent<8, true>, 8, true},
};

}  // namespace
}  // namespace dev

int copy_kernel_count() { return int(sizeof(dev::kVariants) / sizeof(dev::kVariants[0])); }

const char* copy_kernel_name(int i) { return dev::kVariants[i].name; }

Status launch_copy_kernel(int i, const void* src, void* dst, uint64_t bytes, void* stream) {
  if (i < 0 || i >= copy_kernel_count()) return Error{ErrorCode::usage, "no such copy kernel"};
  if (!dev::aligned16(src) || !dev::aligned16(dst) || bytes % 16 != 0)
    return Error{ErrorCode::usage, "copy kernels need 16-byte aligned buffers and sizes"};
  const dev::CopyVariant& v = dev::kVariants[i];
  const int64_t n = int64_t(bytes / 16);
  const int64_t per_block = int64_t(v.vectors) * dev::kCopyThreads;
  int64_t blocks = (n + per_block - 1) / per_block;
  if (v.persistent) {
    // As many blocks as are resident at once, read off the device.
    const dev::DeviceFacts& d = dev::device_facts();
    int per_sm = 0;
    if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, v.kernel, dev::kCopyThreads, 0) != cudaSuccess ||
        per_sm < 1) {
      cudaGetLastError();
      per_sm = 1;
    }
    blocks = std::min<int64_t>(blocks, int64_t(per_sm) * d.sms);
  }
  blocks = std::clamp<int64_t>(blocks, 1, dev::kMaxGridX);
  cudaStream_t s = static_cast<cudaStream_t>(stream);
  v.kernel<<<unsigned(blocks), dev::kCopyThreads, 0, s>>>(static_cast<const uint4*>(src), static_cast<uint4*>(dst), n);
  return dev::cuda_status(cudaGetLastError(), "copy kernel launch");
}

}  // namespace kernels::gpu
