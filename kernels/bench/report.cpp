#include "kernels/bench/report.hpp"

namespace kernels::gpu {

std::string BenchRow::workload() const {
  return std::string(op_name(op)) + "." + std::string(dtype_name(dtype)) + "." + to_string(shape);
}

bool BenchReport::all_verified() const {
  for (const BenchRow& r : rows)
    if (!r.verified) return false;
  return true;
}

}  // namespace kernels::gpu
