// Problem shapes (tokens x width) for the bench: parsing `--shape TxD` and the
// default set per kernel and dtype.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/core/dtype.hpp"
#include "kernels/core/ops.hpp"
#include "util/result.hpp"

namespace kernels::gpu {

struct Shape {
  int64_t tokens = 0;
  int64_t width = 0;
  friend bool operator==(const Shape&, const Shape&) = default;
};

std::string to_string(const Shape& s);  // "4096x14336"

// "TxD" with decimal T >= 0 and D >= 1 ('x' or 'X').
Result<Shape> parse_shape(std::string_view text);

// Tokens 1, 16, 128, 1024, 4096, 16384 at widths 14336 and 4096 (the norms:
// 4096 and 8192), plus for fp16 the Python harness's workloads (small, medium,
// large) of the matching kernel family.
std::vector<Shape> default_shapes(Op op, DType t);

}  // namespace kernels::gpu
