// Running the bench: probe the machine, calibrate (copy bandwidth, launch
// floor), then verify and time each kernel x dtype x shape. Implemented in
// kernels/cuda (or, in a build without CUDA, a stub that reports so).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kernels/bench/report.hpp"
#include "util/result.hpp"

namespace kernels::gpu {

struct BenchPlan {
  std::vector<Op> ops;
  std::vector<DType> dtypes;
  std::vector<Shape> shapes;  // empty: default_shapes() per op and dtype
  int warmup = 10;
  int iterations = 100;
  std::optional<std::string> variant;  // answer "can this machine run it?"
};

struct BenchHooks {
  std::function<void(const Machine&)> machine;  // after probing and calibration
  std::function<void(const BenchRow&)> row;     // after each row
};

// Error codes: "no-cuda-build" (built without CUDA), "no-device", "driver"
// (too old or missing), "cuda" (a CUDA call failed), "memory" (a shape does
// not fit on the device).
Result<BenchReport> run_bench(const BenchPlan& plan, const BenchHooks& hooks);

// True when this binary contains the CUDA kernels.
bool built_with_cuda();

}  // namespace kernels::gpu
