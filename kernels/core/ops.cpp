#include "kernels/core/ops.hpp"

#include <cctype>
#include <string>

namespace kernels::gpu {

std::string_view op_name(Op op) {
  switch (op) {
    case Op::SiluAndMul: return "SiluAndMul";
    case Op::MulAndSilu: return "MulAndSilu";
    case Op::GeluAndMul: return "GeluAndMul";
    case Op::GeluTanhAndMul: return "GeluTanhAndMul";
    case Op::FatreluAndMul: return "FatreluAndMul";
    case Op::FastGELU: return "FastGELU";
    case Op::NewGELU: return "NewGELU";
    case Op::QuickGELU: return "QuickGELU";
    case Op::RMSNorm: return "RMSNorm";
    case Op::FusedAddRMSNorm: return "FusedAddRMSNorm";
  }
  return "?";
}

std::optional<Op> parse_op(std::string_view name) {
  auto lower = [](std::string_view s) {
    std::string out;
    for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (Op op : kAllOps)
    if (lower(op_name(op)) == lower(name)) return op;
  return std::nullopt;
}

OpKind op_kind(Op op) {
  switch (op) {
    case Op::SiluAndMul:
    case Op::MulAndSilu:
    case Op::GeluAndMul:
    case Op::GeluTanhAndMul:
    case Op::FatreluAndMul: return OpKind::Gated;
    case Op::FastGELU:
    case Op::NewGELU:
    case Op::QuickGELU: return OpKind::Elementwise;
    case Op::RMSNorm:
    case Op::FusedAddRMSNorm: return OpKind::Norm;
  }
  return OpKind::Elementwise;
}

BufferSizes buffer_sizes(Op op, uint64_t tokens, uint64_t width) {
  BufferSizes b;
  uint64_t n = tokens * width;
  switch (op_kind(op)) {
    case OpKind::Gated:
      b.in = 2 * n;
      b.out = n;
      break;
    case OpKind::Elementwise:
      b.in = n;
      b.out = n;
      break;
    case OpKind::Norm:
      b.in = n;
      b.weight = width;
      if (op == Op::FusedAddRMSNorm) b.residual = n;
      else b.out = n;
      break;
  }
  return b;
}

uint64_t bytes_moved(Op op, DType t, uint64_t tokens, uint64_t width) {
  uint64_t s = dtype_size(t);
  uint64_t n = tokens * width;
  switch (op_kind(op)) {
    case OpKind::Gated: return 3 * n * s;
    case OpKind::Elementwise: return 2 * n * s;
    case OpKind::Norm: return (op == Op::FusedAddRMSNorm ? 4 : 2) * n * s + width * s;
  }
  return 0;
}

uint32_t tolerance_ulps(Op op, DType t) {
  // See man/kernels-bench.1, TOLERANCES, for the reasoning behind each number.
  const bool wide = t == DType::F32;
  switch (op) {
    case Op::FatreluAndMul: return 0;  // no transcendental: both sides make the same roundings
    case Op::SiluAndMul:
    case Op::MulAndSilu:
    case Op::GeluTanhAndMul: return wide ? 8 : 3;
    case Op::GeluAndMul: return wide ? 16 : 3;
    case Op::FastGELU:
    case Op::NewGELU:
    case Op::QuickGELU: return wide ? 8 : 1;
    case Op::RMSNorm:
    case Op::FusedAddRMSNorm: return wide ? 16 : 3;
  }
  return 0;
}

}  // namespace kernels::gpu
