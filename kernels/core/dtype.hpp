// The element types the bundled kernels read and write.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kernels::gpu {

enum class DType { F32, F16, BF16 };

inline constexpr DType kAllDTypes[] = {DType::BF16, DType::F16, DType::F32};

inline size_t dtype_size(DType t) { return t == DType::F32 ? 4 : 2; }

// "fp32", "fp16", "bf16"
std::string_view dtype_name(DType t);

// Accepts fp32/float32/f32, fp16/float16/f16/half, bf16/bfloat16.
std::optional<DType> parse_dtype(std::string_view s);

}  // namespace kernels::gpu
