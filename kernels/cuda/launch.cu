// launch(): validation, then dispatch to the per-dtype kernels.
#include "kernels/cuda/device_math.cuh"
#include "kernels/cuda/launch.hpp"

namespace kernels::gpu {
namespace dev {

template <class T>
void run_typed(const KernelCall& c, cudaStream_t s);
extern template void run_typed<float>(const KernelCall&, cudaStream_t);
extern template void run_typed<__half>(const KernelCall&, cudaStream_t);
extern template void run_typed<__nv_bfloat16>(const KernelCall&, cudaStream_t);

__global__ void empty_kernel() {}

}  // namespace dev

Status launch(const KernelCall& c, void* stream) {
  if (Status v = validate(c); !v.ok()) return v;
  if (c.tokens == 0) return ok_status();
  cudaStream_t s = static_cast<cudaStream_t>(stream);
  switch (c.dtype) {
    case DType::F32: dev::run_typed<float>(c, s); break;
    case DType::F16: dev::run_typed<__half>(c, s); break;
    case DType::BF16: dev::run_typed<__nv_bfloat16>(c, s); break;
  }
  return dev::cuda_status(cudaGetLastError(), "kernel launch");
}

void launch_empty(void* stream) { dev::empty_kernel<<<132, 128, 0, static_cast<cudaStream_t>(stream)>>>(); }

}  // namespace kernels::gpu
