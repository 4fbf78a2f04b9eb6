#include "kernels/bench/report.hpp"

#include <algorithm>

namespace kernels::gpu {

std::string BenchRow::workload() const {
  return std::string(op_name(op)) + "." + std::string(dtype_name(dtype)) + "." + to_string(shape);
}

double Machine::roof_gbps() const {
  double best = copy_gbps;
  for (const CopyKernel& k : copy_kernels) best = std::max(best, k.gbps);
  return best;
}

std::string Machine::roof_source() const {
  std::string source = "cudaMemcpyAsync";
  double best = copy_gbps;
  for (const CopyKernel& k : copy_kernels)
    if (k.gbps > best) {
      best = k.gbps;
      source = k.name;
    }
  return source;
}

int Machine::best_copy_kernel() const {
  int best = -1;
  for (int i = 0; i < int(copy_kernels.size()); ++i)
    if (best < 0 || copy_kernels[size_t(i)].gbps > copy_kernels[size_t(best)].gbps) best = i;
  return best;
}

bool BenchReport::all_verified() const {
  for (const BenchRow& r : rows)
    if (!r.verified) return false;
  return true;
}

}  // namespace kernels::gpu
