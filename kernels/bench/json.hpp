// The bench report as JSON: a superset of the Python `kernels benchmark`
// payload (results[].workload, timingResults{mean_ms, std_ms, min_ms, max_ms,
// q1_ms, q3_ms, iqr_ms, outliers, iterations}, verified, machineInfo).
#pragma once

#include <nlohmann/json.hpp>

#include "kernels/bench/report.hpp"

namespace kernels::gpu {

nlohmann::json timing_json(const Stats& s);
nlohmann::json report_json(const BenchReport& report);

}  // namespace kernels::gpu
