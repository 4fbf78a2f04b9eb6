#include "kernels/core/call.hpp"

#include <cmath>
#include <string>

namespace kernels::gpu {
namespace {

Error fail(const KernelCall& c, const std::string& why) {
  return Error{ErrorCode::kernel_call, std::string(op_name(c.op)) + ": " + why};
}

}  // namespace

Status validate(const KernelCall& c) {
  if (c.tokens < 0) return fail(c, "number of tokens is negative (" + std::to_string(c.tokens) + ")");
  if (c.width < 1) return fail(c, "width must be at least 1 (got " + std::to_string(c.width) + ")");
  if (c.width > (int64_t{1} << 31)) return fail(c, "width " + std::to_string(c.width) + " is over 2^31");
  OpKind kind = op_kind(c.op);
  int64_t x_cols = kind == OpKind::Gated ? 2 * c.width : c.width;
  if (c.x_row_stride != -1 && c.x_row_stride != x_cols)
    return fail(c, "input is not contiguous: its rows are " + std::to_string(c.x_row_stride) +
                       " elements apart, expected " + std::to_string(x_cols) + "; make a contiguous copy first");
  if (c.out_row_stride != -1 && c.out_row_stride != c.width)
    return fail(c, "output is not contiguous: its rows are " + std::to_string(c.out_row_stride) +
                       " elements apart, expected " + std::to_string(c.width));
  if (kind == OpKind::Norm) {
    if (!(c.eps >= 0.0f) || !std::isfinite(c.eps)) return fail(c, "eps must be a finite number >= 0");
  }
  if (c.tokens == 0) return ok_status();  // nothing is read or written
  if (c.x == nullptr) return fail(c, "input pointer is null");
  if (kind == OpKind::Norm && c.weight == nullptr) return fail(c, "weight pointer is null");
  if (c.op == Op::FusedAddRMSNorm) {
    if (c.residual == nullptr) return fail(c, "residual pointer is null");
  } else if (c.out == nullptr) {
    return fail(c, "output pointer is null");
  }
  if (c.op == Op::FatreluAndMul && !std::isfinite(c.threshold)) return fail(c, "threshold must be a finite number");
  return ok_status();
}

}  // namespace kernels::gpu
