// The bundled kernels, by their Hub layer names, and what each one reads and
// writes. Shapes: gated kernels read x[T, 2D] and write out[T, D]; elementwise
// kernels map x[T, D] to out[T, D]; RMSNorm maps x[T, D] and weight[D] to
// out[T, D]; FusedAddRMSNorm updates x[T, D] and residual[T, D] in place.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "kernels/core/dtype.hpp"

namespace kernels::gpu {

enum class Op {
  SiluAndMul,
  MulAndSilu,
  GeluAndMul,
  GeluTanhAndMul,
  FatreluAndMul,
  FastGELU,
  NewGELU,
  QuickGELU,
  RMSNorm,
  FusedAddRMSNorm,
};

enum class OpKind { Gated, Elementwise, Norm };

inline constexpr Op kAllOps[] = {Op::SiluAndMul,    Op::MulAndSilu,     Op::GeluAndMul, Op::GeluTanhAndMul,
                                 Op::FatreluAndMul, Op::FastGELU,       Op::NewGELU,    Op::QuickGELU,
                                 Op::RMSNorm,       Op::FusedAddRMSNorm};

std::string_view op_name(Op op);
std::optional<Op> parse_op(std::string_view name);  // exact Hub name, case-insensitive
OpKind op_kind(Op op);

// Fewest bytes the kernel must move through device memory for T tokens of width D
// (each input read once, each output written once).
uint64_t bytes_moved(Op op, DType t, uint64_t tokens, uint64_t width);

// Element counts of the buffers a kernel uses.
struct BufferSizes {
  uint64_t in = 0;        // x: T*2D (gated) or T*D
  uint64_t out = 0;       // out: T*D (0 for FusedAddRMSNorm, which writes x in place)
  uint64_t weight = 0;    // D for the norms
  uint64_t residual = 0;  // T*D for FusedAddRMSNorm
};
BufferSizes buffer_sizes(Op op, uint64_t tokens, uint64_t width);

// Worst difference allowed between the GPU and the CPU reference, in ULPs of the
// output dtype (justified in man/kernels-bench.1).
uint32_t tolerance_ulps(Op op, DType t);

}  // namespace kernels::gpu
