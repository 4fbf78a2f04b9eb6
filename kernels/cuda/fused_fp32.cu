// fp32 kernels, built with --fmad=false: they evaluate kernels/core/math.hpp
// with exactly the CPU reference's sequence of roundings.
#include "kernels/cuda/fused.cuh"

namespace kernels::gpu::dev {

template void run_typed<float>(const KernelCall&, cudaStream_t);

}  // namespace kernels::gpu::dev
