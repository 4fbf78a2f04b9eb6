// Every bundled kernel x dtype x odd shape, run on the GPU and compared element
// by element with the CPU reference (labelled gpu: runs where a GPU is present).
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "kernels/core/call.hpp"
#include "kernels/cuda/launch.hpp"
#include "kernels/cuda/verify.hpp"

using namespace kernels::gpu;

namespace {

// Widths 1, 7 and 4097 take the scalar paths (and the tail); 4096 and 14336
// the vector path (gated ops from 2^18 outputs: 20x14336); 0 tokens launch
// nothing. 300 rows is 2 to 8 rows an SM on GPUs of 38 to 150 SMs, where
// FusedAddRMSNorm takes its staged kernel. 70000 rows is more than one launch's
// grid.y (65535) for the gated paths: width 8 the vector one, width 7 (and
// width 8 misaligned) the scalar one. Over 2^18 outputs the gated scalar
// kernel takes several elements a thread: 80x4097 with the block size fixed
// at compile time (its last block holds one element of each row), 70000x7
// with the block size read at run time.
const std::vector<Shape> kShapes{{0, 4096},   {1, 1},     {1, 7},     {1, 4097},  {3, 1},      {5, 7},
                                 {3, 4097},   {1, 4096},  {2, 4096},  {7, 14336}, {20, 14336}, {4, 24},
                                 {130, 8},    {5, 2048},  {3, 1024},  {9, 1000},  {17, 4096},  {300, 4096},
                                 {300, 2048}, {70000, 8}, {70000, 7}, {80, 4097}};

void check_op(Op op, const VerifyOptions& options = {}) {
  for (DType t : kAllDTypes) {
    for (const Shape& s : kShapes) {
      INFO(std::string(op_name(op)) << " " << dtype_name(t) << " " << to_string(s) << " misaligned by "
                                    << options.misalign_elements);
      auto v = verify_on_device(op, t, s, options);
      REQUIRE(v.ok());
      INFO("max " << v->comparison.max_ulps << " ulp (tolerance " << v->tolerance_ulps << "), "
                  << v->comparison.differing << " of " << v->comparison.elements << " differ, worst at "
                  << v->comparison.worst_index);
      CHECK(v->comparison.elements == (op == Op::FusedAddRMSNorm ? 2 : 1) * uint64_t(s.tokens * s.width));
      CHECK(v->passed());
    }
  }
}

}  // namespace

TEST_CASE("SiluAndMul matches its CPU reference", "[gpu]") { check_op(Op::SiluAndMul); }
TEST_CASE("MulAndSilu matches its CPU reference", "[gpu]") { check_op(Op::MulAndSilu); }
TEST_CASE("GeluAndMul matches its CPU reference", "[gpu]") { check_op(Op::GeluAndMul); }
TEST_CASE("GeluTanhAndMul matches its CPU reference", "[gpu]") { check_op(Op::GeluTanhAndMul); }
TEST_CASE("FatreluAndMul matches its CPU reference, default and 0.5 threshold", "[gpu]") {
  check_op(Op::FatreluAndMul);
  VerifyOptions o;
  o.threshold = 0.5f;
  check_op(Op::FatreluAndMul, o);
}
TEST_CASE("FastGELU matches its CPU reference", "[gpu]") { check_op(Op::FastGELU); }
TEST_CASE("NewGELU matches its CPU reference", "[gpu]") { check_op(Op::NewGELU); }
TEST_CASE("QuickGELU matches its CPU reference", "[gpu]") { check_op(Op::QuickGELU); }
TEST_CASE("RMSNorm matches its CPU reference", "[gpu]") { check_op(Op::RMSNorm); }
TEST_CASE("FusedAddRMSNorm matches its CPU reference (x and residual)", "[gpu]") { check_op(Op::FusedAddRMSNorm); }

TEST_CASE("misaligned buffers take the scalar path and stay correct", "[gpu]") {
  VerifyOptions o;
  o.misalign_elements = 1;
  for (Op op : kAllOps) check_op(op, o);
}

TEST_CASE("a non-contiguous input is refused with a clear error, nothing launched", "[gpu]") {
  KernelCall c;
  c.op = Op::SiluAndMul;
  c.dtype = DType::BF16;
  c.tokens = 4;
  c.width = 64;
  int dummy[4] = {};
  c.x = dummy;
  c.out = dummy;
  c.x_row_stride = 256;
  auto s = launch(c, nullptr);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("not contiguous") != std::string::npos);
}

TEST_CASE("launches from several host threads at once stay correct", "[gpu]") {
  // Each thread verifies FusedAddRMSNorm on rows for the staged kernel, then
  // a gated op, at a width and dtype of its own. Widths come in pairs that
  // share one instance of the staged kernel but need different amounts of
  // shared memory (8192 and 6144 in bf16: 96 and 72 KiB), so one thread's
  // setup must not undo another's. Catch2 assertions are not thread-safe:
  // results are checked here, after the threads end.
  struct Job {
    DType dtype;
    int64_t width;
    bool ok = false;
    bool passed = false;
    std::string error = {};  // the first failed call's message
  };
  std::vector<Job> jobs{{DType::BF16, 8192}, {DType::BF16, 6144}, {DType::F16, 8192}, {DType::F16, 5120},
                        {DType::F32, 4096},  {DType::F32, 3072},  {DType::F32, 1024}, {DType::BF16, 2048}};
  std::vector<std::thread> threads;
  threads.reserve(jobs.size());
  for (Job& job : jobs)
    threads.emplace_back([&job] {
      job.ok = job.passed = true;
      for (int round = 0; round < 3; ++round)
        for (Op op : {Op::FusedAddRMSNorm, Op::SiluAndMul}) {
          auto v = verify_on_device(op, job.dtype, Shape{300, job.width});
          if (!v.ok() && job.error.empty()) job.error = std::string(op_name(op)) + ": " + v.error().message;
          job.ok = job.ok && v.ok();
          job.passed = job.passed && v.ok() && v->passed();
        }
    });
  for (std::thread& t : threads) t.join();
  for (const Job& job : jobs) {
    INFO(dtype_name(job.dtype) << " width " << job.width << " " << job.error);
    CHECK(job.ok);
    CHECK(job.passed);
  }
}
