#include "kernels/ref/check.hpp"

#include "kernels/ref/inputs.hpp"

namespace kernels::gpu {

void fill_inputs(const KernelCall& c, HostBuffers& b, uint64_t seed) {
  size_t e = dtype_size(c.dtype);
  fill_normal(c.dtype, b.x.data(), b.x.size() / e, seed);
  if (!b.residual.empty()) fill_normal(c.dtype, b.residual.data(), b.residual.size() / e, seed + 1);
  if (!b.weight.empty()) fill_uniform(c.dtype, b.weight.data(), b.weight.size() / e, seed + 2, 0.5f, 1.5f);
}

Comparison compare_outputs(const KernelCall& c, const HostBuffers& got, const HostBuffers& want) {
  size_t e = dtype_size(c.dtype);
  if (c.op == Op::FusedAddRMSNorm) {
    Comparison x = compare(c.dtype, got.x.data(), want.x.data(), want.x.size() / e);
    Comparison r = compare(c.dtype, got.residual.data(), want.residual.data(), want.residual.size() / e);
    merge(x, r, 0);
    return x;
  }
  return compare(c.dtype, got.out.data(), want.out.data(), want.out.size() / e);
}

}  // namespace kernels::gpu
