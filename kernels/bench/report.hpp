// What a bench run measured: the machine, its calibration, and one row per
// kernel, dtype and shape. Filled by kernels/cuda, written by json.hpp and
// svg.hpp, printed by cli/bench.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/bench/shapes.hpp"
#include "kernels/bench/stats.hpp"
#include "kernels/core/dtype.hpp"
#include "kernels/core/ops.hpp"
#include "kernels/ref/compare.hpp"
#include "variants/variant.hpp"

namespace kernels::gpu {

struct VariantCheck {
  std::string name;
  bool valid = false;  // the name parses
  bool can_run = false;
  std::string reason;
};

struct Machine {
  std::string gpu;
  int sm_count = 0;
  int cc_major = 0, cc_minor = 0;
  uint64_t l2_bytes = 0;
  uint64_t memory_bytes = 0;
  double peak_gbps = 0;  // memory clock x bus width x 2 (0 when the driver does not say)
  variants::Version driver_cuda;
  variants::Version runtime_cuda;
  std::vector<std::string> loadable_variants;  // cuXY tags
  std::string os, cpu;                         // "Linux 6.1.0 ...", "x86_64"
  std::optional<VariantCheck> variant;
  // Calibration, measured in the same run.
  double copy_gbps = 0;     // cudaMemcpyAsync device-to-device, bytes read + written per second / 1e9
  uint64_t copy_bytes = 0;  // size of the copied buffer
  struct CopyKernel {
    std::string name;  // "copy kernel, 4x16 B a thread, one pass"
    double gbps = 0;   // on the same buffers, measured the same way
  };
  std::vector<CopyKernel> copy_kernels;
  // The roof: the best of cudaMemcpyAsync and the copy kernels, and which one reached it.
  double roof_gbps() const;
  std::string roof_source() const;
  // Index in copy_kernels of the fastest copy kernel; -1 when there is none.
  int best_copy_kernel() const;
  double launch_event_us = 0;  // one empty kernel between two events (median)
  double launch_graph_us = 0;  // per empty kernel inside a CUDA graph
};

// Shapes moving at most this many bytes per call are also timed inside a CUDA graph.
inline constexpr uint64_t kGraphMaxBytes = uint64_t{256} << 20;

struct BenchRow {
  Op op = Op::SiluAndMul;
  DType dtype = DType::BF16;
  Shape shape;
  uint64_t bytes = 0;  // fewest bytes moved per call
  bool verified = false;
  Comparison comparison;  // worst difference vs the CPU reference
  uint32_t tolerance_ulps = 0;
  Stats kernel;                    // ms per call, CUDA events, cold L2
  std::optional<double> graph_us;  // µs per launch inside a CUDA graph (shapes up to kGraphMaxBytes)
  Stats reference;                 // the unfused reference, measured the same way
  int reference_launches = 0;      // kernels the unfused reference launches per call
  int rotating_sets = 1;           // buffer sets rotated to keep L2 cold
  // The fastest copy kernel of the calibration moving the same bytes as this
  // row (half read, half written), in the same buffers, timed on the same
  // basis as gbps(): what a streaming copy reaches at this size, ramp and
  // drain included. Unset when not measured.
  std::optional<double> size_copy_gbps;
  double percent_of_size_copy() const {
    return size_copy_gbps && *size_copy_gbps > 0 ? 100.0 * gbps() / *size_copy_gbps : 0;
  }
  // Achieved bandwidth from the per-launch time in a CUDA graph where it was
  // measured (no launch overhead in it), else from the event median.
  double gbps() const {
    double us = graph_us ? *graph_us : kernel.median * 1e3;
    return us > 0 ? double(bytes) / (us * 1e-6) / 1e9 : 0;
  }
  double gbps_events() const { return kernel.median > 0 ? double(bytes) / (kernel.median * 1e-3) / 1e9 : 0; }
  double speedup() const { return kernel.median > 0 ? reference.median / kernel.median : 0; }
  std::string workload() const;  // "SiluAndMul.bf16.4096x14336"
};

struct BenchReport {
  Machine machine;
  int warmup = 0, iterations = 0;
  std::vector<BenchRow> rows;
  bool all_verified() const;
};

}  // namespace kernels::gpu
