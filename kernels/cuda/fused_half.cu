// fp16 and bf16 kernels, built with multiply-add contraction: their fast
// activations are far more accurate than a 16-bit ULP either way.
#include "kernels/cuda/fused.cuh"

namespace kernels::gpu::dev {

template void run_typed<__half>(const KernelCall&, cudaStream_t);
template void run_typed<__nv_bfloat16>(const KernelCall&, cudaStream_t);

}  // namespace kernels::gpu::dev
