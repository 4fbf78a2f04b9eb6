#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "kernels/core/half.hpp"
#include "kernels/ref/elements.hpp"
#include "kernels/ref/reference.hpp"

using namespace kernels::gpu;

namespace {

HostBuffers buffers(const KernelCall& c, const std::vector<float>& x, const std::vector<float>& weight = {},
                    const std::vector<float>& residual = {}) {
  HostBuffers b;
  size_buffers(c, b);
  for (size_t i = 0; i < x.size(); ++i) store_element(c.dtype, b.x.data(), i, x[i]);
  for (size_t i = 0; i < weight.size(); ++i) store_element(c.dtype, b.weight.data(), i, weight[i]);
  for (size_t i = 0; i < residual.size(); ++i) store_element(c.dtype, b.residual.data(), i, residual[i]);
  return b;
}

KernelCall call(Op op, DType t, int64_t tokens, int64_t width) {
  KernelCall c;
  c.op = op;
  c.dtype = t;
  c.tokens = tokens;
  c.width = width;
  return c;
}

float out_at(const HostBuffers& b, DType t, size_t i) { return load_element(t, b.out.data(), i); }

}  // namespace

TEST_CASE("SiluAndMul fp32: silu(a) * b, values computed by hand", "[kernels][reference]") {
  auto c = call(Op::SiluAndMul, DType::F32, 1, 2);
  auto b = buffers(c, {1.0f, 2.0f, 3.0f, 4.0f});
  reference(c, b, 1);
  // silu(1) * 3 = 3 / (1 + e^-1) = 2.19317573589; silu(2) * 4 = 8 / (1 + e^-2) = 7.04637662382
  CHECK(out_at(b, DType::F32, 0) == Approx(2.19317573589).epsilon(1e-6));
  CHECK(out_at(b, DType::F32, 1) == Approx(7.04637662382).epsilon(1e-6));
}

TEST_CASE("MulAndSilu applies the activation to the second half", "[kernels][reference]") {
  auto c = call(Op::MulAndSilu, DType::F32, 1, 1);
  auto b = buffers(c, {3.0f, 1.0f});
  reference(c, b, 1);
  CHECK(out_at(b, DType::F32, 0) == Approx(2.19317573589).epsilon(1e-6));
}

TEST_CASE("gated bf16 rounds the activation to bf16 before the multiply (PyTorch numerics)", "[kernels][reference]") {
  // silu(1) = 0.7310586 rounds to bf16 0.73046875 (0x3F3B); times 1.0078125 = 0.7361755 -> 0x3F3C.
  // Rounding only once would give 0.7310586 * 1.0078125 = 0.7367701 -> 0x3F3D.
  auto c = call(Op::SiluAndMul, DType::BF16, 1, 1);
  auto b = buffers(c, {1.0f, 1.0078125f});
  reference(c, b, 1);
  uint16_t bits;
  std::memcpy(&bits, b.out.data(), 2);
  CHECK(bits == 0x3F3C);
}

TEST_CASE("the GELU family and QuickGELU at x = 1, values computed by hand", "[kernels][reference]") {
  struct Case {
    Op op;
    double want;
  };
  // 0.5 (1 + erf(1/sqrt 2)); 0.5 (1 + tanh(sqrt(2/pi) 1.044715)); 0.5 (1 + tanh(0.7978845608 * 1.044715));
  // 1 / (1 + e^-1.702)
  for (Case k : {Case{Op::GeluAndMul, 0.8413447460685429}, Case{Op::GeluTanhAndMul, 0.8411919906082768},
                 Case{Op::NewGELU, 0.8411919906082768}, Case{Op::FastGELU, 0.841191990607477},
                 Case{Op::QuickGELU, 0.8457957659328212}}) {
    bool gated = op_kind(k.op) == OpKind::Gated;
    auto c = call(k.op, DType::F32, 1, 1);
    auto b = gated ? buffers(c, {1.0f, 1.0f}) : buffers(c, {1.0f});
    reference(c, b, 1);
    INFO(op_name(k.op));
    CHECK(out_at(b, DType::F32, 0) == Approx(k.want).epsilon(2e-7));
  }
}

TEST_CASE("GELU of a large negative input is a tiny negative number, not zero from cancellation",
          "[kernels][reference]") {
  // gelu(-8) = -8 * Phi(-8) = -8 * 6.22096e-16 = -4.97677e-15
  auto c = call(Op::GeluAndMul, DType::F32, 1, 1);
  auto b = buffers(c, {-8.0f, 1.0f});
  reference(c, b, 1);
  CHECK(out_at(b, DType::F32, 0) == Approx(-4.97677e-15).epsilon(1e-4));
}

TEST_CASE("FatreluAndMul keeps values above the threshold only", "[kernels][reference]") {
  auto c = call(Op::FatreluAndMul, DType::F16, 1, 3);
  c.threshold = 0.5f;
  auto b = buffers(c, {0.25f, 0.75f, -1.0f, 2.0f, 2.0f, 2.0f});
  reference(c, b, 1);
  CHECK(out_at(b, DType::F16, 0) == 0.0f);
  CHECK(out_at(b, DType::F16, 1) == 1.5f);
  CHECK(out_at(b, DType::F16, 2) == 0.0f);
}

TEST_CASE("RMSNorm: x / sqrt(mean(x^2) + eps) * weight, by hand", "[kernels][reference]") {
  auto c = call(Op::RMSNorm, DType::F32, 2, 2);
  c.eps = 0.0f;
  auto b = buffers(c, {3.0f, 4.0f, -6.0f, 8.0f}, {1.0f, 2.0f});
  reference(c, b, 1);
  // mean(9, 16) = 12.5; 3 / sqrt(12.5) = 0.848528137; 4 / sqrt(12.5) * 2 = 2.2627417
  CHECK(out_at(b, DType::F32, 0) == Approx(0.848528137).epsilon(1e-6));
  CHECK(out_at(b, DType::F32, 1) == Approx(2.2627417).epsilon(1e-6));
  // The second row is the first scaled by (-2, 2): same magnitudes.
  CHECK(out_at(b, DType::F32, 2) == Approx(-0.848528137).epsilon(1e-6));
  CHECK(out_at(b, DType::F32, 3) == Approx(2.2627417).epsilon(1e-6));
}

TEST_CASE("RMSNorm eps is added to the variance", "[kernels][reference]") {
  auto c = call(Op::RMSNorm, DType::F32, 1, 1);
  c.eps = 3.0f;
  auto b = buffers(c, {1.0f}, {1.0f});
  reference(c, b, 1);
  CHECK(out_at(b, DType::F32, 0) == Approx(0.5).epsilon(1e-7));  // 1 / sqrt(1 + 3)
}

TEST_CASE("FusedAddRMSNorm updates the residual and writes the norm into x", "[kernels][reference]") {
  auto c = call(Op::FusedAddRMSNorm, DType::F32, 1, 2);
  c.eps = 0.0f;
  auto b = buffers(c, {1.0f, 2.0f}, {1.0f, 2.0f}, {2.0f, 2.0f});
  REQUIRE(b.out.empty());
  reference(c, b, 1);
  CHECK(load_element(DType::F32, b.residual.data(), 0) == 3.0f);
  CHECK(load_element(DType::F32, b.residual.data(), 1) == 4.0f);
  CHECK(load_element(DType::F32, b.x.data(), 0) == Approx(0.848528137).epsilon(1e-6));
  CHECK(load_element(DType::F32, b.x.data(), 1) == Approx(2.2627417).epsilon(1e-6));
}

TEST_CASE("FusedAddRMSNorm rounds the sum to the I/O dtype (as vLLM stores the residual)", "[kernels][reference]") {
  // fp16: 1 + 2^-11 is not representable (halfway, ties to even): the residual is exactly 1.
  auto c = call(Op::FusedAddRMSNorm, DType::F16, 1, 1);
  auto b = buffers(c, {1.0f}, {1.0f}, {std::ldexp(1.0f, -11)});
  reference(c, b, 1);
  CHECK(load_element(DType::F16, b.residual.data(), 0) == 1.0f);
}

TEST_CASE("the reference gives the same bytes on 1 thread and on many", "[kernels][reference]") {
  auto c = call(Op::GeluTanhAndMul, DType::BF16, 300, 100);
  std::vector<float> x(300 * 200);
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(int(i % 97) - 48) / 16.0f;
  auto one = buffers(c, x);
  auto many = one;
  reference(c, one, 1);
  reference(c, many, 8);
  CHECK(one.out == many.out);
}
