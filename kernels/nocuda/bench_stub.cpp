// The bench in a build without nvcc: the kernels are absent, say so.
#include "kernels/bench/bench.hpp"

namespace kernels::gpu {

bool built_with_cuda() { return false; }

Result<BenchReport> run_bench(const BenchPlan&, const BenchHooks&) {
  return Error{
      ErrorCode::no_cuda_build,
      "this kernels binary was built without CUDA (no nvcc at build time, or -DKERNELS_CUDA=OFF), so it has no GPU "
      "kernels to bench; rebuild with the CUDA toolkit installed (-DKERNELS_CUDA=ON)"};
}

}  // namespace kernels::gpu
