// The fused kernels (templates; instantiated per dtype in fused_fp32.cu and
// fused_half.cu so that each can get its own compiler flags). Activations: a
// vector path when rows are aligned (64- or 128-bit loads for gated ops, by dtype,
// op and device; 128-bit for elementwise ones), a scalar path otherwise and for
// small gated calls;
// elementwise ops add a scalar tail after the vectors. Norms: one block per
// row, the row held in registers between the reduction and the normalisation,
// so memory is read once; FusedAddRMSNorm over a few rows an SM stages rows
// through shared memory instead. On sm_90 and newer the norms (but the staged
// one) and activations of up to kDependentMaxBlocks blocks are launched as
// programmatic dependent launches.
#pragma once

#include "kernels/cuda/device_math.cuh"
#include "kernels/cuda/launch.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

namespace kernels::gpu {
namespace dev {

constexpr int kMaxGridY = 65535;
constexpr int64_t kMaxGridX = 2147483647;

// B bytes of T: 16 (one 128-bit access) or 8.
template <int B>
struct Raw;
template <>
struct Raw<16> {
  using type = uint4;
};
template <>
struct Raw<8> {
  using type = uint2;
};

template <class T, int B = 16>
struct Vec {
  static constexpr int N = B / int(sizeof(T));
  union {
    typename Raw<B>::type raw;
    T e[N];
  };
};

template <int B = 16, class T>
__device__ __forceinline__ Vec<T, B> ldv(const T* p) {
  Vec<T, B> v;
  v.raw = __ldg(reinterpret_cast<const typename Raw<B>::type*>(p));
  return v;
}
template <class T, int B>
__device__ __forceinline__ void stv(T* p, const Vec<T, B>& v) {
  *reinterpret_cast<typename Raw<B>::type*>(p) = v.raw;
}

// Programmatic dependent launch (sm_90 and newer; launch_kernel below sets it
// up): a kernel may be scheduled while the previous kernel in the stream is
// still finishing. Every kernel here calls this first, before it touches
// memory, with the `dependent` it was launched with: it waits until the
// previous kernel has completed and its writes are visible, then lets the next
// kernel be scheduled in turn. What is saved is the launch and ramp-up,
// 0.2-0.6 us a launch on the H100. But every block pays for the two
// instructions even when launched the plain way (a few ns a block: fp32
// GeluTanhAndMul at 16384x14336, 458752 blocks, 915.6 us with them and 910.0
// us without), so activations with many blocks skip them behind a uniform
// branch and are launched the plain way (run_gated, run_elementwise).
__device__ __forceinline__ void wait_for_previous_kernel(bool dependent = true) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  if (dependent) {
    asm volatile("griddepcontrol.wait;\n" ::: "memory");
    asm volatile("griddepcontrol.launch_dependents;\n" ::: "memory");
  }
#endif
}

// ---------------------------------------------------------------- gated
// One row of output per grid.y; grid.x tiles its dv vectors of B bytes
// (run_gated picks B: 8 measured 1.3-1.4% faster than 16 at 4096x14336 and
// 16384x4096 in fp32 and bf16, where 16 was up to 1.2% behind torch.compile).
// Both halves are loaded before any math. The body has no loop over rows:
// with one, ptxas issued the second load after the activation of the first
// half (seen in the SASS of GeluAndMul, bf16 and fp32), each thread waited on
// memory twice, and fp32 GeluAndMul ran 2.7% slower. Without it ptxas keeps
// the loads first in every instance but GeluAndMul with 16-byte vectors (fp16,
// bf16), where it still puts 5-6 of the 8 MUFU.EX2 before the second load to
// stay within 32 registers (__launch_bounds__(256, 6) keeps the order at 40
// registers but measured 3.4-4.1% slower from 4096x14336 up). Rows beyond
// grid.y's limit take further launches (for_row_chunks).
template <Op OP, class T, int B>
__global__ void gated_vec(const T* __restrict__ x, T* __restrict__ out, int64_t dv, float threshold, bool dependent) {
  wait_for_previous_kernel(dependent);
  constexpr int N = Vec<T, B>::N;
  const int64_t c = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (c >= dv) return;
  const int64_t r = blockIdx.y;
  const T* row = x + r * 2 * dv * N;
  const Vec<T, B> a = ldv<B>(row + c * N);
  const Vec<T, B> b = ldv<B>(row + (dv + c) * N);
  Vec<T, B> o;
  if constexpr (OP == Op::GeluAndMul && sizeof(T) == 2) {
#pragma unroll
    for (int k = 0; k < N; k += 2) gated_pair<OP, T>(a.e + k, b.e + k, o.e + k, threshold);
  } else {
#pragma unroll
    for (int k = 0; k < N; ++k) o.e[k] = gated<OP, T>(a.e[k], b.e[k], threshold);
  }
  stv(out + (r * dv + c) * N, o);
}

// Gated ops at widths the vectors do not fit (and misaligned buffers): K
// elements a thread, each loaded on its own, one row per grid.y like
// gated_vec, and every load (through __ldg) issued before any math. With
// plain loads ptxas put the second half's load after the first half's
// activation wherever that has a branch (the slow-path checks of fp32
// division in SiluAndMul, MulAndSilu and GeluTanhAndMul), so each thread
// waited on memory twice: fp32 SiluAndMul took 1.71 us a launch at 1x14336 in
// a graph (1.32 now). Calls of at most kGatedScalarMax outputs take one
// element a thread (the work spread over the most SMs); larger ones 8 bytes
// of each half (K = 2 in fp32, 4 in 16-bit), which keeps enough bytes in
// flight: bf16 SiluAndMul at 16384x4097 went from 55% of copy (243.7 us) at
// one element to 92% (145.4 us), fp32 from 87% to 100%.
//
// A thread's elements are S apart. S = kScalarBlock, the block size fixed at
// compile time, for rows of at least kScalarBlock * K: the K loads of a half
// then sit at constant offsets from one address. With the stride read from
// blockDim.x (S = 0) each load needs its own 64-bit address; 16-bit
// GeluAndMul then ran out of its 32 registers, ptxas put a MUFU among the
// loads, and it reached 77.7% of copy at 16384x4097 against 89.3% now
// (the other ops gained 0.4-1.9%). Narrower rows keep S = 0 and blocks of
// about width / K threads: with 256 threads to a row of 300, bf16 GeluAndMul
// took 108.8 us at 100000x300 against 87.8.
constexpr int kScalarBlock = 256;

template <Op OP, class T, int K, int S>
__global__ void gated_scalar(const T* __restrict__ x, T* __restrict__ out, int64_t d, float threshold, bool dependent) {
  wait_for_previous_kernel(dependent);
  const int stride = S ? S : int(blockDim.x);
  const int64_t j0 = int64_t(blockIdx.x) * stride * K + threadIdx.x;
  if (j0 >= d) return;
  const int64_t r = blockIdx.y;
  // With S fixed, element k is at a constant offset from this thread's first;
  // otherwise indexed from the row as it was measured (8% faster that way for
  // 16-bit GeluAndMul at 100000x300).
  const T* base = x + r * 2 * d + (S ? j0 : 0);
  T a[K], b[K];
#pragma unroll
  for (int k = 0; k < K; ++k) {
    const int64_t j = j0 + int64_t(k) * stride;
    if (j < d) {
      a[k] = __ldg(base + (S ? int64_t(k) * S : j));
      b[k] = __ldg(base + d + (S ? int64_t(k) * S : j));
    }
  }
#pragma unroll
  for (int k = 0; k < K; ++k) {
    const int64_t j = j0 + int64_t(k) * stride;
    if (j < d) out[r * d + j] = gated<OP, T>(a[k], b[k], threshold);
  }
}

// ---------------------------------------------------------------- elementwise
// One 16-byte vector per thread and no loop (more vectors per thread measured
// slower in 16-bit: each thread then runs 16-32 activations back to back after
// its loads; 8-byte vectors measured 5% slower for QuickGELU in fp32 and bf16;
// a grid-stride loop that ran once cost 1-6% a launch in a graph on shapes
// from 1x14336 to 1024x4096, e.g. bf16 NewGELU 16x4096 1.41 -> 1.32 us), then
// at most one element of the scalar tail. One launch covers any buffer: 2^31 - 1
// blocks of 128 threads are 4 TiB of vectors.
template <Op OP, class T>
__global__ void elementwise_vec(const T* __restrict__ x, T* __restrict__ out, int64_t nv, int64_t n, float threshold,
                                bool dependent) {
  wait_for_previous_kernel(dependent);
  constexpr int N = Vec<T>::N;
  const int64_t g = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (g < nv) {
    Vec<T> a = ldv(x + g * N);
#pragma unroll
    for (int k = 0; k < N; ++k) a.e[k] = st<T>(act<OP, T>(ld(a.e[k]), threshold));
    stv(out + g * N, a);
  }
  const int64_t t = nv * N + g;  // the tail: fewer than N elements after the vectors
  if (g < N && t < n) out[t] = st<T>(act<OP, T>(ld(x[t]), threshold));
}

template <Op OP, class T>
__global__ void elementwise_scalar(const T* __restrict__ x, T* __restrict__ out, int64_t n, float threshold,
                                   bool dependent) {
  wait_for_previous_kernel(dependent);
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    out[i] = st<T>(act<OP, T>(ld(x[i]), threshold));
}

// ---------------------------------------------------------------- norms
__device__ __forceinline__ float block_sum(float v, float* shared) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, warps = (blockDim.x + 31) >> 5;
  __syncthreads();  // `shared` may still be read from the previous row
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  float total = 0.0f;
  for (int w = 0; w < warps; ++w) total += shared[w];
  return total;
}

// The rest of a row once this thread holds its VPT vectors of x (and, fused,
// of the residual) and of the weight: the residual add (stored), the block's
// sum of squares, and the normalised row times the weight into dst.
template <class T, bool FUSED, int VPT>
__device__ __forceinline__ void finish_row(Vec<T>* cx, const Vec<T>* cr, const Vec<T>* wv, T* residual_row, T* dst,
                                           int hv, float eps, float* shared) {
  constexpr int N = Vec<T>::N;
  float ss = 0.0f;
#pragma unroll
  for (int k = 0; k < VPT; ++k) {
    int c = threadIdx.x + k * blockDim.x;
    if (c < hv) {
      if constexpr (FUSED) {
#pragma unroll
        for (int e = 0; e < N; ++e) cx[k].e[e] = st<T>(ld(cx[k].e[e]) + ld(cr[k].e[e]));
        stv(residual_row + c * N, cx[k]);
      }
#pragma unroll
      for (int e = 0; e < N; ++e) {
        float f = ld(cx[k].e[e]);
        ss += f * f;
      }
    }
  }
  float total = block_sum(ss, shared);
  float inv = rsqrtf(total / float(hv * N) + eps);
#pragma unroll
  for (int k = 0; k < VPT; ++k) {
    int c = threadIdx.x + k * blockDim.x;
    if (c < hv) {
#pragma unroll
      for (int e = 0; e < N; ++e) cx[k].e[e] = st<T>(rnd<T>(ld(cx[k].e[e]) * inv) * ld(wv[k].e[e]));
      stv(dst + c * N, cx[k]);
    }
  }
}

// x: input (and, fused, output); out: output when not fused; residual: fused only.
// One block per row, each thread holding VPT vectors of it (and of the weight)
// in registers; blocks are small enough that many rows are in flight on each
// SM, so one block's reduction overlaps other blocks' loads. (A persistent
// grid that prefetched the next row in each block kept too few bytes in
// flight: 83% of copy at 4096x4096 in bf16 against 92% for this.)
template <class T, bool FUSED, int VPT>
__global__ void __launch_bounds__(512) rmsnorm_vec(T* __restrict__ x, T* __restrict__ out, T* __restrict__ residual,
                                                   const T* __restrict__ w, int64_t tokens, int hv, float eps) {
  wait_for_previous_kernel();
  constexpr int N = Vec<T>::N;
  __shared__ float shared[32];
  const int64_t stride = int64_t(hv) * N;
  for (int64_t r = blockIdx.x; r < tokens; r += gridDim.x) {
    Vec<T> cx[VPT], cr[VPT], wv[VPT];
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
      int c = threadIdx.x + k * blockDim.x;
      if (c < hv) {
        cx[k] = ldv(x + r * stride + c * N);
        if constexpr (FUSED) cr[k] = ldv(residual + r * stride + c * N);
      }
    }
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
      int c = threadIdx.x + k * blockDim.x;
      if (c < hv) wv[k] = ldv(w + c * N);
    }
    T* res_row = FUSED ? residual + r * stride : nullptr;
    finish_row<T, FUSED, VPT>(cx, cr, wv, res_row, (FUSED ? x : out) + r * stride, hv, eps, shared);
  }
}

// FusedAddRMSNorm over few rows an SM (a grid of about one wave,
// where loads, reduction and stores of all blocks would otherwise run in
// lockstep): a persistent grid, two blocks an SM, each keeping the next
// S - 1 rows of x and residual in flight in a ring of shared-memory stages
// filled by cp.async. Each thread reads back only the 16-byte chunks it copied
// itself, so a stage needs no barrier. Not launched dependently: measured
// slower that way.
__device__ __forceinline__ void copy16_async(void* smem, const void* global) {
  unsigned dst = unsigned(__cvta_generic_to_shared(smem));
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(dst), "l"(global));
}
__device__ __forceinline__ void commit_copies() { asm volatile("cp.async.commit_group;\n" ::); }
template <int PENDING>
__device__ __forceinline__ void wait_copies() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(PENDING));
}

template <class T, int VPT, int S>
__global__ void __launch_bounds__(512) rmsnorm_staged(T* __restrict__ x, T* __restrict__ residual,
                                                      const T* __restrict__ w, int64_t tokens, int hv, float eps) {
  constexpr int N = Vec<T>::N;
  constexpr int P = 2;  // x and residual staged per row
  extern __shared__ uint4 stages[];
  __shared__ float shared[32];
  const int64_t stride = int64_t(hv) * N;
  const int64_t G = gridDim.x;
  auto stage = [&](int64_t i) { return stages + size_t(i % S) * P * hv; };
  auto fetch = [&](int64_t i) {  // the block's i-th row into stage i % S
    const int64_t r = blockIdx.x + i * G;
    if (r < tokens) {
#pragma unroll
      for (int k = 0; k < VPT; ++k) {
        int c = threadIdx.x + k * blockDim.x;
        if (c < hv) {
          copy16_async(stage(i) + c, x + r * stride + c * N);
          copy16_async(stage(i) + hv + c, residual + r * stride + c * N);
        }
      }
    }
    commit_copies();  // possibly empty, so that the group count stays uniform
  };
  Vec<T> wv[VPT];
#pragma unroll
  for (int k = 0; k < VPT; ++k) {
    int c = threadIdx.x + k * blockDim.x;
    if (c < hv) wv[k] = ldv(w + c * N);
  }
  const int64_t rows = (tokens - blockIdx.x + G - 1) / G;
#pragma unroll
  for (int i = 0; i < S - 1; ++i) fetch(i);
  for (int64_t i = 0; i < rows; ++i) {
    fetch(i + S - 1);
    wait_copies<S - 1>();  // row i has landed
    const int64_t r = blockIdx.x + i * G;
    const uint4* in = stage(i);
    Vec<T> cx[VPT], cr[VPT];
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
      int c = threadIdx.x + k * blockDim.x;
      if (c < hv) {
        cx[k].raw = in[c];
        cr[k].raw = in[hv + c];
      }
    }
    finish_row<T, true, VPT>(cx, cr, wv, residual + r * stride, x + r * stride, hv, eps, shared);
  }
  wait_copies<0>();
}

// Any width and alignment: two passes over the row (the second from cache).
template <class T, bool FUSED>
__global__ void rmsnorm_scalar(T* __restrict__ x, T* __restrict__ out, T* __restrict__ residual,
                               const T* __restrict__ w, int64_t tokens, int64_t h, float eps) {
  wait_for_previous_kernel();
  __shared__ float shared[32];
  for (int64_t r = blockIdx.x; r < tokens; r += gridDim.x) {
    T* xr = x + r * h;
    T* rr = FUSED ? residual + r * h : nullptr;
    float ss = 0.0f;
    for (int64_t j = threadIdx.x; j < h; j += blockDim.x) {
      float f;
      if constexpr (FUSED) {
        T z = st<T>(ld(xr[j]) + ld(rr[j]));
        rr[j] = z;
        f = ld(z);
      } else {
        f = ld(xr[j]);
      }
      ss += f * f;
    }
    float total = block_sum(ss, shared);
    float inv = rsqrtf(total / float(h) + eps);
    T* dst = (FUSED ? x : out) + r * h;
    const T* src = FUSED ? rr : xr;
    for (int64_t j = threadIdx.x; j < h; j += blockDim.x) dst[j] = st<T>(rnd<T>(ld(src[j]) * inv) * ld(w[j]));
  }
}

// ---------------------------------------------------------------- dispatch
inline unsigned round32(int64_t v) { return unsigned((v + 31) / 32 * 32); }

// What the launches need to know of the current device, read once per device
// (safe to call from several host threads).
struct DeviceFacts {
  int device = 0;
  int sms = 1;
  int cc_major = 0;
  int smem_optin = 48 * 1024;  // most dynamic shared memory a block may have
  double peak_gbps = 0;        // memory bandwidth from the memory clock and bus width; 0 when not reported
  // More than 30 GB/s of memory bandwidth an SM: the H200 (4.8 TB/s, 132 SMs:
  // 36 GB/s an SM), not the H100 (3.35 TB/s: 25). Launch shapes that need
  // more bytes in flight an SM to keep up follow this, so each card keeps the
  // shapes measured best on it.
  bool wide_memory() const { return sms > 0 && peak_gbps / sms > 30.0; }
};
inline const DeviceFacts& device_facts() {
  constexpr int kMaxDevices = 64;
  static DeviceFacts facts[kMaxDevices];
  static std::once_flag read[kMaxDevices];
  int dev = 0;
  cudaGetDevice(&dev);
  if (dev < 0 || dev >= kMaxDevices) dev = 0;
  std::call_once(read[dev], [dev] {
    DeviceFacts& f = facts[dev];
    f.device = dev;
    cudaDeviceGetAttribute(&f.sms, cudaDevAttrMultiProcessorCount, dev);
    cudaDeviceGetAttribute(&f.cc_major, cudaDevAttrComputeCapabilityMajor, dev);
    cudaDeviceGetAttribute(&f.smem_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev);
    int clock_khz = 0, bus_bits = 0;
    if (cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, dev) == cudaSuccess &&
        cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, dev) == cudaSuccess)
      f.peak_gbps = 2.0 * double(clock_khz) * 1e3 * double(bus_bits) / 8.0 / 1e9;  // double data rate
    cudaGetLastError();  // an attribute this driver does not report is not a launch error
  });
  return facts[dev];
}

// Launches k; `dependent` asks for programmatic dependent launch where the
// device has it (compute capability 9.0 and newer). Errors surface through
// cudaGetLastError in launch().
template <class... Params, class... Args>
void launch_kernel(void (*k)(Params...), dim3 grid, dim3 block, size_t smem, cudaStream_t s, bool dependent,
                   Args... args) {
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = grid;
  cfg.blockDim = block;
  cfg.dynamicSmemBytes = smem;
  cfg.stream = s;
  cudaLaunchAttribute attr[1] = {};
  if (dependent && device_facts().cc_major >= 9) {
    attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attr[0].val.programmaticStreamSerializationAllowed = 1;
    cfg.attrs = attr;
    cfg.numAttrs = 1;
  }
  cudaLaunchKernelEx(&cfg, k, Params(args)...);
}

// Gated ops with at most this many outputs go one element a thread: with 8
// elements a thread the work sits on a few SMs and, for GeluAndMul's erf,
// took 2.2-2.6 us at 1x14336 against 1.6 us this way.
constexpr int64_t kGatedScalarMax = int64_t{1} << 18;

// Activation launches of more blocks than this go the plain way (see
// wait_for_previous_kernel). Below it the saving per launch outweighs the
// cost per block: in a graph, bf16 SiluAndMul at 1024x4096 (4096 blocks) took
// 9.5 us a launch dependent and 10.2 plain; event-timed, shapes of 16384 to
// 32768 blocks measured the same either way.
constexpr int64_t kDependentMaxBlocks = 16384;
inline bool dependent_launch(int64_t blocks) { return blocks <= kDependentMaxBlocks; }

// Calls f(first row, rows) for each run of at most kMaxGridY rows: the gated
// kernels take one row per grid.y, so more rows take further launches.
template <class F>
void for_row_chunks(int64_t tokens, F f) {
  for (int64_t r = 0; r < tokens; r += kMaxGridY) f(r, unsigned(std::min<int64_t>(tokens - r, kMaxGridY)));
}

template <Op OP, class T, int K, int S>
void run_gated_scalar(const KernelCall& c, cudaStream_t s) {
  const T* x = static_cast<const T*>(c.x);
  T* out = static_cast<T*>(c.out);
  int64_t tiles = (c.width + kScalarBlock * K - 1) / (kScalarBlock * K);
  unsigned threads = S ? S : round32(((c.width + tiles - 1) / tiles + K - 1) / K);
  for_row_chunks(c.tokens, [&](int64_t r, unsigned rows) {
    const bool dep = dependent_launch(tiles * rows);
    launch_kernel(gated_scalar<OP, T, K, S>, dim3(unsigned(tiles), rows), dim3(threads), 0, s, dep, x + r * 2 * c.width,
                  out + r * c.width, c.width, c.threshold, dep);
  });
}

// The vector path with B-byte vectors, when the row width and the buffers'
// alignment allow it; false otherwise.
template <Op OP, class T, int B>
bool try_gated_vec(const KernelCall& c, cudaStream_t s) {
  constexpr int N = Vec<T, B>::N;
  const T* x = static_cast<const T*>(c.x);
  T* out = static_cast<T*>(c.out);
  if (c.width % N != 0 || !aligned_to(x, B) || !aligned_to(out, B) || c.tokens * c.width <= kGatedScalarMax)
    return false;
  int64_t dv = c.width / N;
  // Blocks of up to 256 threads; 128 for fp32 GeluAndMul, whose erfc keeps
  // a thread longest between its loads and its store, when that grid is
  // launched the plain way (128 measured 0.25-0.9% faster there at
  // 1024x14336, 4096x14336 and 16384x4096, but 0.2-0.9% slower for
  // SiluAndMul in fp32 and bf16). Launched dependently, 128-thread blocks
  // were slower: 1024x4096 took 23.6-23.8 us against 20.6 with 256.
  int64_t max_threads = 256;
  if (OP == Op::GeluAndMul && sizeof(T) == 4 &&
      !dependent_launch((dv + 127) / 128 * std::min<int64_t>(c.tokens, kMaxGridY)))
    max_threads = 128;
  int64_t tiles = (dv + max_threads - 1) / max_threads;
  unsigned threads = round32((dv + tiles - 1) / tiles);
  for_row_chunks(c.tokens, [&](int64_t r, unsigned rows) {
    const bool dep = dependent_launch(tiles * rows);
    launch_kernel(gated_vec<OP, T, B>, dim3(unsigned(tiles), rows), dim3(threads), 0, s, dep, x + r * 2 * c.width,
                  out + r * c.width, dv, c.threshold, dep);
  });
  return true;
}

template <Op OP, class T>
void run_gated(const KernelCall& c, cudaStream_t s) {
  // Vector bytes. fp32: 8 (measured 1.3-1.4% faster than 16 on the H100 at
  // 4096x14336 and 16384x4096, where 16 was up to 1.2% behind torch.compile).
  // 16-bit GeluAndMul: 16, its erf the costliest activation, 8 elements a
  // thread amortise the rest (8 bytes: 0.9-1.3% slower on the H100, 5-6% on
  // the H200). Other 16-bit ops: 8 on the H100; 16 where the device has more
  // bandwidth an SM (the H200: bf16 SiluAndMul at 4096x14336 moved 3897 GB/s
  // with 8-byte vectors, a copy of the same layout with 16-byte ones 4054).
  bool vec = false;
  if constexpr (sizeof(T) == 4) {
    vec = try_gated_vec<OP, T, 8>(c, s);
  } else if constexpr (OP == Op::GeluAndMul) {
    vec = try_gated_vec<OP, T, 16>(c, s);
  } else {
    vec = (device_facts().wide_memory() && try_gated_vec<OP, T, 16>(c, s)) || try_gated_vec<OP, T, 8>(c, s);
  }
  if (vec) return;
  if (c.tokens * c.width <= kGatedScalarMax) {
    run_gated_scalar<OP, T, 1, 0>(c, s);
  } else if (c.width >= kScalarBlock * int64_t(8 / sizeof(T))) {
    run_gated_scalar<OP, T, 8 / sizeof(T), kScalarBlock>(c, s);
  } else {
    run_gated_scalar<OP, T, 8 / sizeof(T), 0>(c, s);
  }
}

template <Op OP, class T>
void run_elementwise(const KernelCall& c, cudaStream_t s) {
  constexpr int N = Vec<T>::N;
  const T* x = static_cast<const T*>(c.x);
  T* out = static_cast<T*>(c.out);
  int64_t n = c.tokens * c.width;
  if (aligned16(x) && aligned16(out)) {
    // Blocks of 256 threads, or of 128 where 256 would make fewer than 4
    // blocks. QuickGELU at T=1 in a graph, a launch: from 256 to 768 vectors
    // (bf16 widths 2048-6144, fp32 1024-3072) blocks of 128 took 0.80-0.91 us,
    // 1 to 3 blocks of 256 took 0.96-1.24; at 1024 vectors (bf16 1x8192, fp32
    // 1x4096) 4 blocks of 256 took 1.02-1.04 us and 8 of 128 1.21-1.23; from
    // 1792 vectors on, 1.2-1.3 us whatever the block size.
    const int64_t nv = n / N;
    const int64_t threads = (nv + 255) / 256 < 4 ? 128 : 256;
    const int64_t blocks = std::max<int64_t>((nv + threads - 1) / threads, 1);
    const bool dep = dependent_launch(blocks);
    launch_kernel(elementwise_vec<OP, T>, dim3(unsigned(blocks)), dim3(unsigned(threads)), 0, s, dep, x, out, nv, n,
                  c.threshold, dep);
  } else {
    int64_t blocks = std::min<int64_t>((n + 255) / 256, int64_t{1} << 20);
    const bool dep = dependent_launch(blocks);
    launch_kernel(elementwise_scalar<OP, T>, dim3(unsigned(blocks)), dim3(256), 0, s, dep, x, out, n, c.threshold, dep);
  }
}

// FusedAddRMSNorm over 2 to 8 rows an SM: the staged kernel, two blocks an SM,
// three stages (measured 93-95% of copy at 1024x8192 in 16-bit and 1024x4096
// in fp32, against 90-91% one block per row). False when two blocks of it do
// not fit on an SM.
template <class T, int VPT>
bool try_staged(T* x, T* res, const T* w, const KernelCall& c, int hv, unsigned threads, cudaStream_t s) {
  constexpr int S = 3;
  const DeviceFacts& d = device_facts();
  if (c.tokens < 2 * int64_t(d.sms) || c.tokens > 8 * int64_t(d.sms)) return false;
  const size_t smem = size_t(S) * 2 * size_t(hv) * sizeof(uint4);
  if (smem + 1024 > size_t(d.smem_optin)) return false;  // 1 KiB: the kernel's static shared memory
  auto kernel = rmsnorm_staged<T, VPT, S>;
  // Blocks an SM, found once per (device, threads, stage size). The kernel's
  // dynamic shared memory limit is only ever raised, so that a launch from
  // another host thread never finds it lowered below what that launch needs.
  static std::mutex mutex;
  static std::map<std::tuple<int, unsigned, size_t>, int> blocks_per_sm;
  static std::map<int, size_t> smem_allowed;
  int per_sm = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto [it, added] = blocks_per_sm.try_emplace(std::make_tuple(d.device, threads, smem), 0);
    if (added) {
      size_t& allowed = smem_allowed[d.device];
      if (smem > allowed &&
          cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(smem)) == cudaSuccess)
        allowed = smem;
      if (smem > allowed ||
          cudaOccupancyMaxActiveBlocksPerMultiprocessor(&it->second, kernel, int(threads), smem) != cudaSuccess) {
        cudaGetLastError();  // not this launch's error: the plain kernel runs instead
        it->second = 0;
      }
    }
    per_sm = it->second;
  }
  if (per_sm < 2) return false;  // one block an SM (fp32 at width 8192) measured slower than the plain kernel
  // Equal rows per block: the grid is the fewest blocks that keep the per-block row count.
  const int64_t resident = int64_t(2) * d.sms;
  const int64_t rows_per_block = (c.tokens + resident - 1) / resident;
  const unsigned grid = unsigned((c.tokens + rows_per_block - 1) / rows_per_block);
  launch_kernel(kernel, dim3(grid), dim3(threads), smem, s, false, x, res, w, c.tokens, hv, c.eps);
  return true;
}

template <class T, bool FUSED, int VPT>
void run_norm_vec(T* x, T* out, T* res, const T* w, const KernelCall& c, int hv, cudaStream_t s) {
  unsigned threads = round32((hv + VPT - 1) / VPT);
  if constexpr (FUSED)
    if (try_staged<T, VPT>(x, res, w, c, hv, threads, s)) return;
  unsigned grid = unsigned(std::min<int64_t>(c.tokens, kMaxGridX));
  launch_kernel(rmsnorm_vec<T, FUSED, VPT>, dim3(grid), dim3(threads), 0, s, true, x, out, res, w, c.tokens, hv, c.eps);
}

template <class T, bool FUSED>
void run_norm(const KernelCall& c, cudaStream_t s) {
  constexpr int N = Vec<T>::N;
  T* x = static_cast<T*>(c.x);
  T* out = static_cast<T*>(c.out);
  T* res = static_cast<T*>(c.residual);
  const T* w = static_cast<const T*>(c.weight);
  bool vec = c.width % N == 0 && aligned16(x) && aligned16(w) && (FUSED ? aligned16(res) : aligned16(out));
  int64_t hv = c.width / N;
  if (vec && hv <= 4 * 512) {
    // Up to 4 vectors a thread and 512 threads a block (256 up to 8 KiB rows,
    // which measured best on the H100; but RMSNorm's fp32 16 KiB rows measured
    // 0.7% faster with 512 threads of 2 vectors than with 256 of 4, where 16-bit
    // rows and FusedAddRMSNorm were no faster). Wider rows take the two-pass path.
    int h = int(hv);
    constexpr bool wide_fp32 = !FUSED && sizeof(T) == 4;
    // On devices with more bandwidth an SM (wide_memory: the H200), RMSNorm's
    // 16-bit rows of 257-512 vectors (widths 2056-4096) take blocks of 128
    // threads holding 4 vectors each: 4096x4096 bf16 went from 81.2% to 87.9%
    // of the roof, 8192x4096 from 86.9% to 92.7%, 16384x4096 from 85.4% to
    // 90.8% (512 threads of 1 vector: 63-67%); FusedAddRMSNorm and fp32 rows
    // measured within 1% either way and keep the H100's shapes.
    constexpr bool half_rms = !FUSED && sizeof(T) == 2;
    if (half_rms && hv > 256 && hv <= 512 && device_facts().wide_memory())
      run_norm_vec<T, FUSED, 4>(x, out, res, w, c, h, s);
    else if (hv <= 256) run_norm_vec<T, FUSED, 1>(x, out, res, w, c, h, s);
    else if (hv <= (wide_fp32 ? 1024 : 512)) run_norm_vec<T, FUSED, 2>(x, out, res, w, c, h, s);
    else run_norm_vec<T, FUSED, 4>(x, out, res, w, c, h, s);
  } else {
    unsigned grid = unsigned(std::min<int64_t>(c.tokens, kMaxGridX));
    unsigned threads = unsigned(std::min<int64_t>(1024, round32(std::min<int64_t>(c.width, 1024))));
    launch_kernel(rmsnorm_scalar<T, FUSED>, dim3(grid), dim3(threads), 0, s, true, x, out, res, w, c.tokens, c.width,
                  c.eps);
  }
}

template <class T>
void run_typed(const KernelCall& c, cudaStream_t s) {
  switch (c.op) {
    case Op::SiluAndMul: return run_gated<Op::SiluAndMul, T>(c, s);
    case Op::MulAndSilu: return run_gated<Op::MulAndSilu, T>(c, s);
    case Op::GeluAndMul: return run_gated<Op::GeluAndMul, T>(c, s);
    case Op::GeluTanhAndMul: return run_gated<Op::GeluTanhAndMul, T>(c, s);
    case Op::FatreluAndMul: return run_gated<Op::FatreluAndMul, T>(c, s);
    case Op::FastGELU: return run_elementwise<Op::FastGELU, T>(c, s);
    case Op::NewGELU: return run_elementwise<Op::NewGELU, T>(c, s);
    case Op::QuickGELU: return run_elementwise<Op::QuickGELU, T>(c, s);
    case Op::RMSNorm: return run_norm<T, false>(c, s);
    case Op::FusedAddRMSNorm: return run_norm<T, true>(c, s);
  }
}

}  // namespace dev
}  // namespace kernels::gpu
