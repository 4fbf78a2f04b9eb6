// The unfused reference that the bench compares against: one simple kernel
// per step of the PyTorch formula, each reading and writing device memory,
// rounding to the I/O dtype after every step as eager PyTorch does.
//   gated:       act(x[:, :D]) -> tmp;  tmp * x[:, D:] -> out          (2 kernels)
//   FastGELU:    transformers' formula, op by op                         (9 kernels)
//   NewGELU:     transformers' formula, op by op                         (8 kernels)
//   QuickGELU:   1.702*x, sigmoid, x*                                    (3 kernels)
//   RMSNorm:     variance -> rsqrt, x*rsqrt -> tmp, tmp*weight           (3 kernels)
//   FusedAddRMSNorm: x+residual -> residual, then RMSNorm into x         (4 kernels)
#include "kernels/cuda/device_math.cuh"
#include "kernels/cuda/launch.hpp"

#include <algorithm>

namespace kernels::gpu {
namespace dev {

enum class Pw { MulS, AddS, Mul, Add, Tanh, Sigmoid, Pow3 };

template <class T>
__device__ __forceinline__ float pw_apply(Pw op, float a, float b, float s) {
  switch (op) {
    case Pw::MulS: return a * s;
    case Pw::AddS: return a + s;
    case Pw::Mul: return a * b;
    case Pw::Add: return a + b;
    case Pw::Tanh: return tanhf(a);
    case Pw::Sigmoid: return 1.0f / (1.0f + expf(-a));
    case Pw::Pow3: return a * a * a;
  }
  return a;
}

// out[i] = op(a[i], b[i], s), four elements per thread like PyTorch's
// vectorised elementwise loop.
template <class T>
__global__ void pointwise(Pw op, const T* __restrict__ a, const T* __restrict__ b, float s, T* __restrict__ out,
                          int64_t n) {
  int64_t base = (int64_t(blockIdx.x) * blockDim.x + threadIdx.x) * 4;
#pragma unroll
  for (int k = 0; k < 4; ++k) {
    int64_t i = base + k;
    if (i < n) out[i] = st<T>(pw_apply<T>(op, ld(a[i]), b ? ld(b[i]) : 0.0f, s));
  }
}

// tmp[r, j] = act(x[r, off + j]) for a row stride of 2D (a strided view, as F.silu(x[..., :d]) reads it).
template <Op OP, class T>
__global__ void act_strided(const T* __restrict__ x, T* __restrict__ tmp, int64_t tokens, int64_t d, int64_t off,
                            float threshold) {
  int64_t j = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (j >= d) return;
  for (int64_t r = blockIdx.y; r < tokens; r += gridDim.y)
    tmp[r * d + j] = st<T>(act<OP, T>(ld(x[r * 2 * d + off + j]), threshold));
}

template <class T>
__global__ void mul_strided(const T* __restrict__ tmp, const T* __restrict__ x, T* __restrict__ out, int64_t tokens,
                            int64_t d, int64_t off) {
  int64_t j = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (j >= d) return;
  for (int64_t r = blockIdx.y; r < tokens; r += gridDim.y)
    out[r * d + j] = st<T>(ld(tmp[r * d + j]) * ld(x[r * 2 * d + off + j]));
}

template <class T>
__global__ void row_inv_rms(const T* __restrict__ x, float* __restrict__ inv, int64_t h, float eps) {
  __shared__ float shared[32];
  const T* xr = x + int64_t(blockIdx.x) * h;
  float ss = 0.0f;
  for (int64_t j = threadIdx.x; j < h; j += blockDim.x) {
    float f = ld(xr[j]);
    ss += f * f;
  }
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) ss += __shfl_xor_sync(0xffffffffu, ss, o);
  if ((threadIdx.x & 31) == 0) shared[threadIdx.x >> 5] = ss;
  __syncthreads();
  if (threadIdx.x == 0) {
    float total = 0.0f;
    for (int w = 0; w < int(blockDim.x >> 5); ++w) total += shared[w];
    inv[blockIdx.x] = rsqrtf(total / float(h) + eps);
  }
}

template <class T>
__global__ void scale_rows(const T* __restrict__ x, const float* __restrict__ inv, T* __restrict__ out, int64_t n,
                           int64_t h) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    out[i] = st<T>(ld(x[i]) * inv[i / h]);
}

template <class T>
__global__ void scale_cols(const T* __restrict__ x, const T* __restrict__ w, T* __restrict__ out, int64_t n,
                           int64_t h) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    out[i] = st<T>(ld(x[i]) * ld(w[i % h]));
}

struct Launcher {
  cudaStream_t s;
  int count = 0;
  template <class T>
  void pw(Pw op, const T* a, const T* b, float sc, T* out, int64_t n) {
    int64_t blocks = std::max<int64_t>(1, (n + 1023) / 1024);
    pointwise<T><<<unsigned(blocks), 256, 0, s>>>(op, a, b, sc, out, n);
    ++count;
  }
};

inline unsigned grid1d(int64_t n) {
  return unsigned(std::max<int64_t>(1, std::min<int64_t>((n + 255) / 256, 1 << 20)));
}

template <Op OP, class T>
void gated_ref(const KernelCall& c, T* tmp, Launcher& L) {
  const T* x = static_cast<const T*>(c.x);
  T* out = static_cast<T*>(c.out);
  int64_t d = c.width;
  dim3 grid(unsigned((d + 255) / 256), unsigned(std::min<int64_t>(c.tokens, 65535)));
  int64_t act_off = OP == Op::MulAndSilu ? d : 0;
  act_strided<OP, T><<<grid, 256, 0, L.s>>>(x, tmp, c.tokens, d, act_off, c.threshold);
  mul_strided<T><<<grid, 256, 0, L.s>>>(tmp, x, out, c.tokens, d, d - act_off);
  L.count += 2;
}

template <class T>
void run_ref(const KernelCall& c, void* scratch, Launcher& L) {
  int64_t n = c.tokens * c.width;
  T* t1 = static_cast<T*>(scratch);
  T* t2 = t1 + ((n + 127) / 128 * 128);
  const T* x = static_cast<const T*>(c.x);
  T* out = static_cast<T*>(c.out);
  switch (c.op) {
    case Op::SiluAndMul: return gated_ref<Op::SiluAndMul, T>(c, t1, L);
    case Op::MulAndSilu: return gated_ref<Op::MulAndSilu, T>(c, t1, L);
    case Op::GeluAndMul: return gated_ref<Op::GeluAndMul, T>(c, t1, L);
    case Op::GeluTanhAndMul: return gated_ref<Op::GeluTanhAndMul, T>(c, t1, L);
    case Op::FatreluAndMul: return gated_ref<Op::FatreluAndMul, T>(c, t1, L);
    case Op::QuickGELU:
      L.pw<T>(Pw::MulS, x, nullptr, 1.702f, t1, n);
      L.pw<T>(Pw::Sigmoid, t1, nullptr, 0, t1, n);
      L.pw<T>(Pw::Mul, x, t1, 0, out, n);
      return;
    case Op::FastGELU:
      L.pw<T>(Pw::MulS, x, nullptr, 0.5f, out, n);          // 0.5 * x
      L.pw<T>(Pw::MulS, x, nullptr, 0.7978845608f, t1, n);  // x * 0.7978845608
      L.pw<T>(Pw::MulS, x, nullptr, 0.044715f, t2, n);      // 0.044715 * x
      L.pw<T>(Pw::Mul, t2, x, 0, t2, n);                    // * x
      L.pw<T>(Pw::AddS, t2, nullptr, 1.0f, t2, n);          // 1 + ...
      L.pw<T>(Pw::Mul, t1, t2, 0, t1, n);
      L.pw<T>(Pw::Tanh, t1, nullptr, 0, t1, n);
      L.pw<T>(Pw::AddS, t1, nullptr, 1.0f, t1, n);
      L.pw<T>(Pw::Mul, out, t1, 0, out, n);
      return;
    case Op::NewGELU:
      L.pw<T>(Pw::MulS, x, nullptr, 0.5f, out, n);
      L.pw<T>(Pw::Pow3, x, nullptr, 0, t1, n);
      L.pw<T>(Pw::MulS, t1, nullptr, 0.044715f, t1, n);
      L.pw<T>(Pw::Add, x, t1, 0, t1, n);
      L.pw<T>(Pw::MulS, t1, nullptr, 0.7978845608028654f, t1, n);
      L.pw<T>(Pw::Tanh, t1, nullptr, 0, t1, n);
      L.pw<T>(Pw::AddS, t1, nullptr, 1.0f, t1, n);
      L.pw<T>(Pw::Mul, out, t1, 0, out, n);
      return;
    case Op::RMSNorm:
    case Op::FusedAddRMSNorm: {
      const bool fused = c.op == Op::FusedAddRMSNorm;
      T* res = static_cast<T*>(c.residual);
      T* xin = static_cast<T*>(c.x);
      if (fused) L.pw<T>(Pw::Add, xin, res, 0, res, n);
      const T* src = fused ? res : xin;
      T* dst = fused ? xin : out;
      float* inv = reinterpret_cast<float*>(t2);
      unsigned threads = unsigned(std::min<int64_t>(1024, (std::min<int64_t>(c.width, 1024) + 31) / 32 * 32));
      row_inv_rms<T><<<unsigned(c.tokens), threads, 0, L.s>>>(src, inv, c.width, c.eps);
      scale_rows<T><<<grid1d(n), 256, 0, L.s>>>(src, inv, t1, n, c.width);
      scale_cols<T><<<grid1d(n), 256, 0, L.s>>>(t1, static_cast<const T*>(c.weight), dst, n, c.width);
      L.count += 3;
      return;
    }
  }
}

}  // namespace dev

uint64_t unfused_scratch_bytes(Op, DType t, uint64_t tokens, uint64_t width) {
  uint64_t n = tokens * width;
  uint64_t padded = (n + 127) / 128 * 128;
  // t1 and t2 (t2 doubles as the fp32 per-row buffer of the norms).
  return padded * dtype_size(t) + std::max<uint64_t>(padded * dtype_size(t), tokens * 4 + 256);
}

Status launch_unfused(const KernelCall& c, void* scratch, void* stream, int* launches) {
  if (Status v = validate(c); !v.ok()) return v;
  dev::Launcher L{static_cast<cudaStream_t>(stream)};
  if (c.tokens > 0) {
    if (c.tokens > (int64_t{1} << 31) - 1) return Error{ErrorCode::kernel_call, "unfused reference: too many tokens"};
    switch (c.dtype) {
      case DType::F32: dev::run_ref<float>(c, scratch, L); break;
      case DType::F16: dev::run_ref<__half>(c, scratch, L); break;
      case DType::BF16: dev::run_ref<__nv_bfloat16>(c, scratch, L); break;
    }
  }
  if (launches) *launches = L.count;
  return dev::cuda_status(cudaGetLastError(), "unfused reference launch");
}

}  // namespace kernels::gpu
