// Summary statistics of timing samples, with the Python `kernels` harness's
// definitions: population standard deviation, quartiles by linear
// interpolation (numpy's default), outliers outside [Q1-1.5*IQR, Q3+1.5*IQR].
#pragma once

#include <cstdint>
#include <vector>

namespace kernels::gpu {

struct Stats {
  uint64_t n = 0;
  double mean = 0, std = 0, min = 0, max = 0;
  double q1 = 0, median = 0, q3 = 0, p90 = 0, iqr = 0;
  uint64_t outliers = 0;
};

// Linear-interpolated percentile (0..100) of sorted values.
double percentile_sorted(const std::vector<double>& sorted, double pct);

Stats summarize(std::vector<double> samples);

}  // namespace kernels::gpu
