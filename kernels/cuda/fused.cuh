// The fused kernels (templates; instantiated per dtype in fused_fp32.cu and
// fused_half.cu so that each can get its own compiler flags). Activations: a 128-bit path (8 fp16/bf16 or 4 fp32
// elements per thread and load) when rows are 16-byte aligned, a scalar path
// otherwise; elementwise ops add a scalar tail after the vectors. Norms: one
// block per row, the row held in registers between the reduction and the
// normalisation, so memory is read once.
#pragma once

#include "kernels/cuda/device_math.cuh"
#include "kernels/cuda/launch.hpp"

#include <algorithm>

namespace kernels::gpu {
namespace dev {

constexpr int kMaxGridY = 65535;

template <class T> struct Vec {
  static constexpr int N = 16 / sizeof(T);
  union {
    uint4 raw;
    T e[N];
  };
};

template <class T>
__device__ __forceinline__ Vec<T> ldv(const T* p) {
  Vec<T> v;
  v.raw = __ldg(reinterpret_cast<const uint4*>(p));
  return v;
}
template <class T>
__device__ __forceinline__ void stv(T* p, const Vec<T>& v) {
  *reinterpret_cast<uint4*>(p) = v.raw;
}

// ---------------------------------------------------------------- gated
// grid.x tiles the dv vectors of one output row, grid.y walks the rows.
template <Op OP, class T>
__global__ void gated_vec(const T* __restrict__ x, T* __restrict__ out, int64_t tokens, int64_t dv,
                          float threshold) {
  constexpr int N = Vec<T>::N;
  int64_t c = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (c >= dv) return;
  for (int64_t r = blockIdx.y; r < tokens; r += gridDim.y) {
    const T* row = x + r * 2 * dv * N;
    Vec<T> a = ldv(row + c * N);
    Vec<T> b = ldv(row + (dv + c) * N);
    Vec<T> o;
#pragma unroll
    for (int k = 0; k < N; ++k) o.e[k] = gated<OP, T>(a.e[k], b.e[k], threshold);
    stv(out + (r * dv + c) * N, o);
  }
}

template <Op OP, class T>
__global__ void gated_scalar(const T* __restrict__ x, T* __restrict__ out, int64_t tokens, int64_t d,
                             float threshold) {
  int64_t j = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (j >= d) return;
  for (int64_t r = blockIdx.y; r < tokens; r += gridDim.y)
    out[r * d + j] = gated<OP, T>(x[r * 2 * d + j], x[r * 2 * d + d + j], threshold);
}

// ---------------------------------------------------------------- elementwise
// Each thread handles two vectors a block apart (both loads issued before
// any math), then at most one element of the scalar tail.
template <Op OP, class T>
__global__ void elementwise_vec(const T* __restrict__ x, T* __restrict__ out, int64_t nv, int64_t n,
                                float threshold) {
  constexpr int N = Vec<T>::N;
  int64_t i0 = int64_t(blockIdx.x) * blockDim.x * 2 + threadIdx.x;
  int64_t i1 = i0 + blockDim.x;
  Vec<T> a, b;
  if (i0 < nv) a = ldv(x + i0 * N);
  if (i1 < nv) b = ldv(x + i1 * N);
  if (i0 < nv) {
#pragma unroll
    for (int k = 0; k < N; ++k) a.e[k] = st<T>(act<OP, T>(ld(a.e[k]), threshold));
    stv(out + i0 * N, a);
  }
  if (i1 < nv) {
#pragma unroll
    for (int k = 0; k < N; ++k) b.e[k] = st<T>(act<OP, T>(ld(b.e[k]), threshold));
    stv(out + i1 * N, b);
  }
  int64_t g = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  int64_t t = nv * N + g;  // the tail: fewer than N elements after the vectors
  if (g < N && t < n) out[t] = st<T>(act<OP, T>(ld(x[t]), threshold));
}

template <Op OP, class T>
__global__ void elementwise_scalar(const T* __restrict__ x, T* __restrict__ out, int64_t n, float threshold) {
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

// x: input (and, fused, output); out: output when not fused; residual: fused only.
// A persistent grid: each block walks rows r, r+G, r+2G, ... holding the
// weight in registers, and loads row r+G while it reduces and writes row r,
// so that memory stays busy through the reduction.
template <class T, bool FUSED, int VPT>
__global__ void __launch_bounds__(512) rmsnorm_vec(T* __restrict__ x, T* __restrict__ out, T* __restrict__ residual,
                            const T* __restrict__ w, int64_t tokens, int hv, float eps) {
  constexpr int N = Vec<T>::N;
  __shared__ float shared[32];
  const int64_t stride = int64_t(hv) * N;
  Vec<T> wv[VPT], cx[VPT], cr[VPT], nx[VPT], nr[VPT];
  auto load = [&](int64_t r, Vec<T>* vx, Vec<T>* vr) {
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
      int c = threadIdx.x + k * blockDim.x;
      if (c < hv) {
        vx[k] = ldv(x + r * stride + c * N);
        if constexpr (FUSED) vr[k] = ldv(residual + r * stride + c * N);
      }
    }
  };
  int64_t r = blockIdx.x;
  if (r >= tokens) return;
#pragma unroll
  for (int k = 0; k < VPT; ++k) {
    int c = threadIdx.x + k * blockDim.x;
    if (c < hv) wv[k] = ldv(w + c * N);
  }
  load(r, cx, cr);
  for (; r < tokens; r += gridDim.x) {
    const int64_t next = r + gridDim.x;
    if (next < tokens) load(next, nx, nr);
    float ss = 0.0f;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
      int c = threadIdx.x + k * blockDim.x;
      if (c < hv) {
        if constexpr (FUSED) {
#pragma unroll
          for (int e = 0; e < N; ++e) cx[k].e[e] = st<T>(ld(cx[k].e[e]) + ld(cr[k].e[e]));
          stv(residual + r * stride + c * N, cx[k]);
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
    T* dst = (FUSED ? x : out) + r * stride;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
      int c = threadIdx.x + k * blockDim.x;
      if (c < hv) {
#pragma unroll
        for (int e = 0; e < N; ++e) cx[k].e[e] = st<T>(rnd<T>(ld(cx[k].e[e]) * inv) * ld(wv[k].e[e]));
        stv(dst + c * N, cx[k]);
      }
    }
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
      cx[k] = nx[k];
      if constexpr (FUSED) cr[k] = nr[k];
    }
  }
}

// Any width and alignment: two passes over the row (the second from cache).
template <class T, bool FUSED>
__global__ void rmsnorm_scalar(T* __restrict__ x, T* __restrict__ out, T* __restrict__ residual,
                               const T* __restrict__ w, int64_t tokens, int64_t h, float eps) {
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

template <Op OP, class T>
void run_gated(const KernelCall& c, cudaStream_t s) {
  constexpr int N = Vec<T>::N;
  const T* x = static_cast<const T*>(c.x);
  T* out = static_cast<T*>(c.out);
  unsigned gy = unsigned(std::min<int64_t>(c.tokens, kMaxGridY));
  if (c.width % N == 0 && aligned16(x) && aligned16(out)) {
    int64_t dv = c.width / N;
    int64_t tiles = (dv + 255) / 256;
    unsigned threads = round32((dv + tiles - 1) / tiles);
    gated_vec<OP, T><<<dim3(unsigned(tiles), gy), threads, 0, s>>>(x, out, c.tokens, dv, c.threshold);
  } else {
    int64_t tiles = (c.width + 255) / 256;
    unsigned threads = round32((c.width + tiles - 1) / tiles);
    gated_scalar<OP, T><<<dim3(unsigned(tiles), gy), threads, 0, s>>>(x, out, c.tokens, c.width, c.threshold);
  }
}

template <Op OP, class T>
void run_elementwise(const KernelCall& c, cudaStream_t s) {
  constexpr int N = Vec<T>::N;
  const T* x = static_cast<const T*>(c.x);
  T* out = static_cast<T*>(c.out);
  int64_t n = c.tokens * c.width;
  if (aligned16(x) && aligned16(out)) {
    int64_t nv = n / N;
    int64_t blocks = std::max<int64_t>(1, (nv + 511) / 512);
    elementwise_vec<OP, T><<<unsigned(blocks), 256, 0, s>>>(x, out, nv, n, c.threshold);
  } else {
    int64_t blocks = std::min<int64_t>((n + 255) / 256, int64_t{1} << 20);
    elementwise_scalar<OP, T><<<unsigned(blocks), 256, 0, s>>>(x, out, n, c.threshold);
  }
}

// Persistent grid: as many blocks as fit on the device at once (at most one per row).
template <class T, bool FUSED, int VPT>
void launch_norm(unsigned threads, T* x, T* out, T* res, const T* w, const KernelCall& c, int h, cudaStream_t s) {
  static int resident[33] = {};  // by threads / 32
  int& slot = resident[threads / 32];
  if (slot == 0) {
    int dev = 0, sms = 0, per_sm = 0;
    cudaGetDevice(&dev);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);
    cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, rmsnorm_vec<T, FUSED, VPT>, int(threads), 0);
    slot = std::max(1, sms * std::max(1, per_sm));
  }
  unsigned grid = unsigned(std::min<int64_t>(c.tokens, slot));
  rmsnorm_vec<T, FUSED, VPT><<<grid, threads, 0, s>>>(x, out, res, w, c.tokens, h, c.eps);
}

template <class T, bool FUSED>
void run_norm(const KernelCall& c, cudaStream_t s) {
  constexpr int N = Vec<T>::N;
  T* x = static_cast<T*>(c.x);
  T* out = static_cast<T*>(c.out);
  T* res = static_cast<T*>(c.residual);
  const T* w = static_cast<const T*>(c.weight);
  unsigned grid = unsigned(std::min<int64_t>(c.tokens, int64_t{1} << 30));
  bool vec = c.width % N == 0 && aligned16(x) && aligned16(w) && (FUSED ? aligned16(res) : aligned16(out));
  int64_t hv = c.width / N;
  if (vec && hv <= 4 * 512) {
    // Up to 4 vectors a thread (registers for this row, the next and the
    // weight) and 512 threads a block; wider rows take the two-pass path.
    int vpt = hv <= 256 ? 1 : hv <= 512 ? 2 : 4;
    unsigned threads = round32((hv + vpt - 1) / vpt);
    int h = int(hv);
    switch (vpt) {
      case 1: launch_norm<T, FUSED, 1>(threads, x, out, res, w, c, h, s); break;
      case 2: launch_norm<T, FUSED, 2>(threads, x, out, res, w, c, h, s); break;
      default: launch_norm<T, FUSED, 4>(threads, x, out, res, w, c, h, s); break;
    }
  } else {
    unsigned threads = unsigned(std::min<int64_t>(1024, round32(std::min<int64_t>(c.width, 1024))));
    rmsnorm_scalar<T, FUSED><<<grid, threads, 0, s>>>(x, out, res, w, c.tokens, c.width, c.eps);
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
