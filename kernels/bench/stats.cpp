#include "kernels/bench/stats.hpp"

#include <algorithm>
#include <cmath>

namespace kernels::gpu {

double percentile_sorted(const std::vector<double>& v, double pct) {
  if (v.empty()) return 0.0;
  double pos = pct / 100.0 * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return v[lo] + (v[hi] - v[lo]) * frac;
}

Stats summarize(std::vector<double> v) {
  Stats s;
  s.n = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  double sq = 0;
  for (double x : v) sq += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(sq / static_cast<double>(v.size()));
  s.min = v.front();
  s.max = v.back();
  s.q1 = percentile_sorted(v, 25);
  s.median = percentile_sorted(v, 50);
  s.q3 = percentile_sorted(v, 75);
  s.p90 = percentile_sorted(v, 90);
  s.iqr = s.q3 - s.q1;
  double lo = s.q1 - 1.5 * s.iqr, hi = s.q3 + 1.5 * s.iqr;
  for (double x : v)
    if (x < lo || x > hi) ++s.outliers;
  return s;
}

}  // namespace kernels::gpu
