// The bench report as an SVG chart: achieved GB/s against bytes moved per
// call (log scale), one line per kernel and dtype, with the measured copy
// bandwidth drawn as the roof.
#pragma once

#include <string>

#include "kernels/bench/report.hpp"

namespace kernels::gpu {

std::string report_svg(const BenchReport& report);

}  // namespace kernels::gpu
