#include "kernels/bench/shapes.hpp"

#include <charconv>

namespace kernels::gpu {

std::string to_string(const Shape& s) { return std::to_string(s.tokens) + "x" + std::to_string(s.width); }

Result<Shape> parse_shape(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Error{ErrorCode::shape,
                 "invalid shape '" + std::string(text) + "': " + why + " (expected TxD, e.g. 4096x14336)"};
  };
  size_t x = text.find_first_of("xX");
  if (x == std::string_view::npos) return bad("no 'x' between tokens and width");
  auto number = [](std::string_view s, int64_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
  };
  Shape s;
  if (!number(text.substr(0, x), s.tokens) || s.tokens < 0) return bad("tokens must be a whole number >= 0");
  if (!number(text.substr(x + 1), s.width) || s.width < 1) return bad("width must be a whole number >= 1");
  if (s.width > (int64_t{1} << 31)) return bad("width is over 2^31");
  if (s.tokens > (int64_t{1} << 40)) return bad("too many tokens");
  return s;
}

std::vector<Shape> default_shapes(Op op, DType t) {
  const bool norm = op_kind(op) == OpKind::Norm;
  std::vector<Shape> out;
  const int64_t widths_act[] = {14336, 4096};
  const int64_t widths_norm[] = {4096, 8192};
  for (int64_t w : norm ? widths_norm : widths_act)
    for (int64_t tokens : {1, 16, 128, 1024, 4096, 16384}) out.push_back({tokens, w});
  if (t == DType::F16) {
    if (norm) {
      // RMSNormBenchmark: (2,128,768), (4,512,2048), (8,1024,4096)
      out.push_back({256, 768});
      out.push_back({2048, 2048});
      out.push_back({8192, 4096});
    } else {
      // SiluAndMulBenchmark: x (8,1024,2048), (8,2048,4096), (8,4096,8192) -> d = half the input width
      out.push_back({8192, 1024});
      out.push_back({16384, 2048});
      out.push_back({32768, 4096});
    }
  }
  return out;
}

}  // namespace kernels::gpu
