#include "kernels/cuda/verify.hpp"

#include <cuda_runtime.h>

#include <string>

#include "kernels/cuda/launch.hpp"
#include "kernels/ref/check.hpp"

namespace kernels::gpu {
namespace {

Status check(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return ok_status();
  return Error{ErrorCode::cuda, std::string(what) + ": " + cudaGetErrorString(e)};
}

struct DeviceBlock {
  void* p = nullptr;
  ~DeviceBlock() {
    if (p) cudaFree(p);
  }
};

}  // namespace

Result<Verification> verify_on_device(Op op, DType t, Shape shape, const VerifyOptions& o) {
  KernelCall c;
  c.op = op;
  c.dtype = t;
  c.tokens = shape.tokens;
  c.width = shape.width;
  c.threshold = o.threshold;
  HostBuffers want;
  size_buffers(c, want);
  fill_inputs(c, want, o.seed);
  HostBuffers got = want;

  const size_t shift = size_t(o.misalign_elements) * dtype_size(t);
  auto span = [&](size_t bytes) { return (bytes + shift + 255) / 256 * 256; };
  size_t sx = span(want.x.size()), so = span(want.out.size()), sw = span(want.weight.size()),
         sr = span(want.residual.size());
  DeviceBlock block;
  if (Status s = check(cudaMalloc(&block.p, sx + so + sw + sr + 256), "cudaMalloc"); !s.ok()) return s.error();
  char* base = static_cast<char*>(block.p);
  char* dx = base + shift;
  char* dout = base + sx + shift;
  char* dw = base + sx + so + shift;
  char* dres = base + sx + so + sw + shift;
  auto up = [&](char* dst, const std::vector<uint8_t>& src) {
    return src.empty() ? cudaSuccess : cudaMemcpy(dst, src.data(), src.size(), cudaMemcpyHostToDevice);
  };
  if (Status s = check(up(dx, want.x), "upload x"); !s.ok()) return s.error();
  if (Status s = check(up(dw, want.weight), "upload weight"); !s.ok()) return s.error();
  if (Status s = check(up(dres, want.residual), "upload residual"); !s.ok()) return s.error();
  if (!want.out.empty())
    if (Status s = check(cudaMemset(dout, 0xff, want.out.size()), "poison output"); !s.ok()) return s.error();
  c.x = dx;
  c.out = dout;
  c.weight = dw;
  c.residual = dres;
  if (Status s = launch(c, nullptr); !s.ok()) return s.error();
  if (Status s = check(cudaDeviceSynchronize(), "kernel"); !s.ok()) return s.error();
  auto down = [&](std::vector<uint8_t>& dst, const char* src) {
    return dst.empty() ? cudaSuccess : cudaMemcpy(dst.data(), src, dst.size(), cudaMemcpyDeviceToHost);
  };
  if (Status s = check(down(got.out, dout), "download out"); !s.ok()) return s.error();
  if (Status s = check(down(got.x, dx), "download x"); !s.ok()) return s.error();
  if (Status s = check(down(got.residual, dres), "download residual"); !s.ok()) return s.error();

  reference(c, want);
  Verification v;
  v.comparison = compare_outputs(c, got, want);
  v.tolerance_ulps = tolerance_ulps(op, t);
  return v;
}

}  // namespace kernels::gpu
