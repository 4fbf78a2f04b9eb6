// What an element of gated GeluAndMul costs on this GPU, apart from its bytes:
// the gated bf16/fp16 kernel's layout (16-byte vectors, one row per grid.y)
// timed with each activation in turn: none (x * y, the bytes alone), SiLU,
// the exact-erf GELU through CUDA's erff, and the exact-erf GELU through a
// branch-free erfc (kernels/cuda/device_math.cuh), next to a streaming copy.
// Also checks the erf forms against erfc in double precision on the host, and
// the same kernels with the activations multiplied by the second half in
// pairs (HMUL2), with 16- and 8-byte vectors. Not part of the build: the
// measurements behind kernels/cuda/device_math.cuh's GELU (docs/BENCHMARKS.md,
// the H200 section).
//
//   nvcc -O3 -arch=sm_90 -std=c++17 -o bench-gelu scripts/bench-gelu.cu && ./bench-gelu
//   cuobjdump --dump-sass bench-gelu     # instructions per kernel (8 elements a thread)
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <type_traits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#define CK(x)                                                                         \
  do {                                                                                \
    cudaError_t e_ = (x);                                                             \
    if (e_ != cudaSuccess) {                                                          \
      std::printf("%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_)); \
      std::exit(2);                                                                   \
    }                                                                                 \
  } while (0)

enum Act { kNone, kSilu, kErff, kErfc, kErfc7 };
const char* kActNames[] = {"x*y (bytes only)", "silu", "gelu erff", "gelu erfc deg 9", "gelu erfc deg 7"};

__device__ __forceinline__ float gelu_erff(float x) { return 0.5f * x * (1.0f + erff(x * 0.7071067811865476f)); }

// The branch-free form: gelu(x) = x Phi(x), Phi(x) = erfc(u) / 2 with
// u = -x / sqrt 2. For a = |u|, erfc(a) / 2 = t exp(-a^2 + P(t) - ln 2) with
// t = 1 / (1 + a / 2) (Numerical Recipes' erfcc, relative error below 1.2e-7;
// ln 2 folded into P's constant), and erfc(-a) / 2 = 1 - erfc(a) / 2.
__device__ __forceinline__ float gelu_erfc(float x) {
  const float u = -0.7071067811865476f * x;
  const float a = fabsf(u);
  const float t = __fdividef(1.0f, fmaf(0.5f, a, 1.0f));
  float p = 0.17087277f;
  p = fmaf(p, t, -0.82215223f);
  p = fmaf(p, t, 1.48851587f);
  p = fmaf(p, t, -1.13520398f);
  p = fmaf(p, t, 0.27886807f);
  p = fmaf(p, t, -0.18628806f);
  p = fmaf(p, t, 0.09678418f);
  p = fmaf(p, t, 0.37409196f);
  p = fmaf(p, t, 1.00002368f);
  p = fmaf(p, t, -1.26551223f - 0.69314718f);
  const float h = t * __expf(fmaf(-a, a, p));
  return x * (u >= 0.0f ? h : 1.0f - h);
}

// The same with P of degree 7, fitted here (Chebyshev interpolation of
// ln erfc(a) + a^2 - ln t on t in [1/6, 1], i.e. a <= 10): relative error
// about 1e-6, where the result is still far finer than a 16-bit ULP.
__device__ __forceinline__ float gelu_erfc7(float x) {
  const float u = -0.7071067811865476f * x;
  const float a = fabsf(u);
  const float t = __fdividef(1.0f, fmaf(0.5f, a, 1.0f));
  float p = -0.19474163f;
  p = fmaf(p, t, 0.780082931f);
  p = fmaf(p, t, -1.04894112f);
  p = fmaf(p, t, 0.392304935f);
  p = fmaf(p, t, -0.0609186538f);
  p = fmaf(p, t, 0.399914723f);
  p = fmaf(p, t, 0.997725689f);
  p = fmaf(p, t, -1.26542778f - 0.69314718f);
  const float h = t * __expf(fmaf(-a, a, p));
  return x * (u >= 0.0f ? h : 1.0f - h);
}

template <Act A>
__device__ __forceinline__ float act(float x) {
  if constexpr (A == kNone) return x;
  else if constexpr (A == kSilu) return __fdividef(x, 1.0f + __expf(-x));
  else if constexpr (A == kErff) return gelu_erff(x);
  else if constexpr (A == kErfc) return gelu_erfc(x);
  else return gelu_erfc7(x);
}

template <class T> __device__ __forceinline__ float ld(T v);
template <> __device__ __forceinline__ float ld(__nv_bfloat16 v) { return __bfloat162float(v); }
template <> __device__ __forceinline__ float ld(__half v) { return __half2float(v); }
template <class T> __device__ __forceinline__ T st(float v);
template <> __device__ __forceinline__ __nv_bfloat16 st(float v) { return __float2bfloat16_rn(v); }
template <> __device__ __forceinline__ __half st(float v) { return __float2half_rn(v); }

template <class T, Act A>
__global__ void gated(const T* __restrict__ x, T* __restrict__ out, int64_t dv) {
  constexpr int N = 8;
  union V {
    uint4 raw;
    T e[N];
  };
  const int64_t c = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (c >= dv) return;
  const T* row = x + int64_t(blockIdx.y) * 2 * dv * N;
  V a, b, o;
  a.raw = __ldg(reinterpret_cast<const uint4*>(row + c * N));
  b.raw = __ldg(reinterpret_cast<const uint4*>(row + (dv + c) * N));
#pragma unroll
  for (int k = 0; k < N; ++k) o.e[k] = st<T>(ld(st<T>(act<A>(ld(a.e[k])))) * ld(b.e[k]));
  *reinterpret_cast<uint4*>(out + (int64_t(blockIdx.y) * dv + c) * N) = o.raw;
}

// The activation rounded to T two at a time, then multiplied by the second
// half as T pairs (HMUL2): the product of two 16-bit values is exact in fp32,
// so one rounding of it gives the same bits as st(ld(a) * ld(b)).
template <class T> struct Pair;
template <> struct Pair<__nv_bfloat16> {
  using type = __nv_bfloat162;
  static __device__ __forceinline__ type pack(float a, float b) { return __floats2bfloat162_rn(a, b); }
};
template <> struct Pair<__half> {
  using type = __half2;
  static __device__ __forceinline__ type pack(float a, float b) { return __floats2half2_rn(a, b); }
};

template <class T, Act A, int BYTES>
__global__ void gated_pairs(const T* __restrict__ x, T* __restrict__ out, int64_t dv) {
  constexpr int N = BYTES / 2, P = N / 2;
  using P2 = typename Pair<T>::type;
  using Raw = std::conditional_t<BYTES == 16, uint4, uint2>;
  union V {
    Raw raw;
    T e[N];
    P2 p[P];
  };
  const int64_t c = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (c >= dv) return;
  const T* row = x + int64_t(blockIdx.y) * 2 * dv * N;
  V a, b, o;
  a.raw = __ldg(reinterpret_cast<const Raw*>(row + c * N));
  b.raw = __ldg(reinterpret_cast<const Raw*>(row + (dv + c) * N));
#pragma unroll
  for (int k = 0; k < P; ++k)
    o.p[k] = __hmul2(Pair<T>::pack(act<A>(ld(a.e[2 * k])), act<A>(ld(a.e[2 * k + 1]))), b.p[k]);
  *reinterpret_cast<Raw*>(out + (int64_t(blockIdx.y) * dv + c) * N) = o.raw;
}

__global__ void copy4(const uint4* __restrict__ s, uint4* __restrict__ d, int64_t n) {
  int64_t i = int64_t(blockIdx.x) * 1024 + threadIdx.x;
  uint4 v[4];
#pragma unroll
  for (int k = 0; k < 4; ++k)
    if (i + k * 256 < n) v[k] = __ldg(s + i + k * 256);
#pragma unroll
  for (int k = 0; k < 4; ++k)
    if (i + k * 256 < n) d[i + k * 256] = v[k];
}

__global__ void fill(uint16_t* p, int64_t n, uint32_t seed, bool bf16) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    uint32_t h = uint32_t(i) * 2654435761u ^ seed;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    float f = (float(h & 0xffffff) / 16777216.0f - 0.5f) * 8.0f;  // uniform in [-4, 4)
    p[i] = bf16 ? __bfloat16_as_ushort(__float2bfloat16_rn(f)) : __half_as_ushort(__float2half_rn(f));
  }
}

template <class F>
double median_ms(F f, int n = 30) {
  cudaEvent_t a, b;
  cudaEventCreate(&a);
  cudaEventCreate(&b);
  for (int i = 0; i < 5; ++i) f();
  std::vector<float> t;
  for (int i = 0; i < n; ++i) {
    cudaEventRecord(a);
    f();
    cudaEventRecord(b);
    cudaEventSynchronize(b);
    float ms = 0;
    cudaEventElapsedTime(&ms, a, b);
    t.push_back(ms);
  }
  CK(cudaGetLastError());
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// PAIRS 0: element by element; 16 or 8: packed multiply with vectors of that many bytes.
template <class T, Act A, int PAIRS = 0>
void run(const char* dtype, const void* x, void* out, int64_t tokens, int64_t width) {
  const int64_t dv = width / (PAIRS == 8 ? 4 : 8);
  const unsigned threads = 256;
  dim3 grid(unsigned((dv + threads - 1) / threads), unsigned(tokens));
  const T* xi = static_cast<const T*>(x);
  T* o = static_cast<T*>(out);
  double ms = median_ms([&] {
    if constexpr (PAIRS == 0) gated<T, A><<<grid, threads>>>(xi, o, dv);
    else gated_pairs<T, A, PAIRS><<<grid, threads>>>(xi, o, dv);
  });
  double bytes = 3.0 * double(tokens) * double(width) * sizeof(T);
  std::printf("%-5s %6lldx%-6lld %-26s %-14s %9.2f us %7.0f GB/s\n", dtype, (long long)tokens, (long long)width,
              kActNames[A], PAIRS == 0 ? "" : PAIRS == 16 ? "hmul2 16 B" : "hmul2 8 B", ms * 1e3,
              bytes / (ms * 1e-3) / 1e9);
}

template <class T>
void run_all(const char* dtype, const void* x, void* out, int64_t t, int64_t width) {
  run<T, kNone>(dtype, x, out, t, width);
  run<T, kSilu>(dtype, x, out, t, width);
  run<T, kErff>(dtype, x, out, t, width);
  run<T, kErfc>(dtype, x, out, t, width);
  run<T, kErfc7>(dtype, x, out, t, width);
  run<T, kNone, 16>(dtype, x, out, t, width);
  run<T, kErfc, 16>(dtype, x, out, t, width);
  run<T, kErfc7, 16>(dtype, x, out, t, width);
  run<T, kErfc7, 8>(dtype, x, out, t, width);
}

template <bool DEG7>
__global__ void eval_forms(const float* xs, float* f, float* g, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    f[i] = gelu_erff(xs[i]);
    g[i] = DEG7 ? gelu_erfc7(xs[i]) : gelu_erfc(xs[i]);
  }
}

template <bool DEG7>
void accuracy() {
  // |relative error| of each form against 0.5 x erfc(-x / sqrt 2) in double, over x in [-12, 12].
  const int n = 1 << 22;
  std::vector<float> xs(n);
  for (int i = 0; i < n; ++i) xs[i] = -12.0f + 24.0f * float(i) / float(n);
  float *dx, *df, *dg;
  CK(cudaMalloc(&dx, n * 4));
  CK(cudaMalloc(&df, n * 4));
  CK(cudaMalloc(&dg, n * 4));
  CK(cudaMemcpy(dx, xs.data(), n * 4, cudaMemcpyHostToDevice));
  eval_forms<DEG7><<<(n + 255) / 256, 256>>>(dx, df, dg, n);
  std::vector<float> f(n), g(n);
  CK(cudaMemcpy(f.data(), df, n * 4, cudaMemcpyDeviceToHost));
  CK(cudaMemcpy(g.data(), dg, n * 4, cudaMemcpyDeviceToHost));
  double worst_f = 0, worst_g = 0;
  int bf_f = 0, bf_g = 0, h_f = 0, h_g = 0;
  for (int i = 0; i < n; ++i) {
    double x = xs[i];
    double want = 0.5 * x * std::erfc(-x / std::sqrt(2.0));
    if (std::fabs(want) < 1e-30) continue;  // underflows in float either way
    if (std::fabs(want) > 1e-20) {
      worst_f = std::max(worst_f, std::fabs(f[i] - want) / std::fabs(want));
      worst_g = std::max(worst_g, std::fabs(g[i] - want) / std::fabs(want));
    }
    float w = float(want);
    bf_f += __bfloat162float(__float2bfloat16_rn(f[i])) != __bfloat162float(__float2bfloat16_rn(w));
    bf_g += __bfloat162float(__float2bfloat16_rn(g[i])) != __bfloat162float(__float2bfloat16_rn(w));
    h_f += __half2float(__float2half_rn(f[i])) != __half2float(__float2half_rn(w));
    h_g += __half2float(__float2half_rn(g[i])) != __half2float(__float2half_rn(w));
  }
  std::printf("%s: ", DEG7 ? "erfc deg 7" : "erfc deg 9");
  std::printf("accuracy over %d points in [-12, 12): worst relative error (|gelu| > 1e-20) erff %.3g, erfc %.3g;\n"
              "  differently rounded to bf16: erff %d, erfc %d; to fp16: erff %d, erfc %d\n",
              n, worst_f, worst_g, bf_f, bf_g, h_f, h_g);
  cudaFree(dx);
  cudaFree(df);
  cudaFree(dg);
}

int main() {
  cudaDeviceProp p{};
  CK(cudaGetDeviceProperties(&p, 0));
  std::printf("%s, %d SMs\n", p.name, p.multiProcessorCount);
  accuracy<false>();
  accuracy<true>();
  const int64_t tokens = 16384, width = 14336;
  const int64_t in_elems = tokens * 2 * width, out_elems = tokens * width;
  void *x, *out;
  CK(cudaMalloc(&x, in_elems * 2));
  CK(cudaMalloc(&out, out_elems * 2));
  const size_t copy_bytes = size_t(1) << 30;
  void *ca, *cb;
  CK(cudaMalloc(&ca, copy_bytes));
  CK(cudaMalloc(&cb, copy_bytes));
  CK(cudaMemset(ca, 1, copy_bytes));
  const int64_t nv = copy_bytes / 16;
  double ms = median_ms([&] { cudaMemcpyAsync(cb, ca, copy_bytes, cudaMemcpyDeviceToDevice); });
  std::printf("cudaMemcpyAsync 1 GiB: %.0f GB/s\n", 2.0 * copy_bytes / (ms * 1e-3) / 1e9);
  ms = median_ms([&] { copy4<<<unsigned((nv + 1023) / 1024), 256>>>((const uint4*)ca, (uint4*)cb, nv); });
  std::printf("copy kernel 4x16 B 1 GiB: %.0f GB/s\n", 2.0 * copy_bytes / (ms * 1e-3) / 1e9);
  for (int bf = 1; bf >= 0; --bf) {
    fill<<<1024, 256>>>(static_cast<uint16_t*>(x), in_elems, 12345u, bf != 0);
    CK(cudaDeviceSynchronize());
    for (int64_t t : {int64_t(4096), tokens}) {
      if (bf) run_all<__nv_bfloat16>("bf16", x, out, t, width);
      else run_all<__half>("fp16", x, out, t, width);
    }
  }
  return 0;
}
