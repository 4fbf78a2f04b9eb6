#include "kernels/bench/json.hpp"

#include <cmath>

namespace kernels::gpu {
namespace {

// Milliseconds to the nanosecond: the harness rounds to 4 decimals, which
// would erase microsecond kernels.
double ms6(double v) { return std::round(v * 1e6) / 1e6; }
double r2(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

nlohmann::json timing_json(const Stats& s) {
  return nlohmann::json{{"mean_ms", ms6(s.mean)},     {"std_ms", ms6(s.std)},   {"min_ms", ms6(s.min)},
                        {"max_ms", ms6(s.max)},       {"q1_ms", ms6(s.q1)},     {"q3_ms", ms6(s.q3)},
                        {"iqr_ms", ms6(s.iqr)},       {"outliers", s.outliers}, {"iterations", s.n},
                        {"median_ms", ms6(s.median)}, {"p90_ms", ms6(s.p90)}};
}

nlohmann::json report_json(const BenchReport& rep) {
  using nlohmann::json;
  const Machine& m = rep.machine;
  const double roof = m.roof_gbps();
  json copy_kernels = json::array();
  for (const Machine::CopyKernel& k : m.copy_kernels) copy_kernels.push_back({{"name", k.name}, {"gbps", r2(k.gbps)}});
  json results = json::array();
  for (const BenchRow& r : rep.rows) {
    json verification{{"toleranceUlps", r.tolerance_ulps},
                      {"elements", r.comparison.elements},
                      {"differingElements", r.comparison.differing},
                      {"differingShare", r.comparison.share_differing()}};
    if (r.comparison.max_ulps == kNanUlps) {
      verification["maxUlps"] = nullptr;
      verification["nanMismatch"] = true;
    } else {
      verification["maxUlps"] = r.comparison.max_ulps;
    }
    json row{{"workload", r.workload()},
             {"kernel", std::string(op_name(r.op))},
             {"dtype", std::string(dtype_name(r.dtype))},
             {"tokens", r.shape.tokens},
             {"width", r.shape.width},
             {"bytesMoved", r.bytes},
             {"timingResults", timing_json(r.kernel)},
             {"verified", r.verified},
             {"verification", verification},
             {"gbps", r2(r.gbps())},
             {"gbpsBasis", r.graph_us ? "graph" : "events"},
             {"gbpsEventMedian", r2(r.gbps_events())},
             {"percentOfCopy", m.copy_gbps > 0 ? r2(100.0 * r.gbps() / m.copy_gbps) : 0.0},
             {"percentOfRoof", roof > 0 ? r2(100.0 * r.gbps() / roof) : 0.0},
             {"rotatingBufferSets", r.rotating_sets},
             {"reference", json{{"description", "unfused, one kernel per step as PyTorch eager runs it"},
                                {"launches", r.reference_launches},
                                {"timingResults", timing_json(r.reference)}}},
             {"speedup", r2(r.speedup())}};
    if (r.graph_us) row["graphUsPerLaunch"] = std::round(*r.graph_us * 1000.0) / 1000.0;
    if (r.size_copy_gbps) {
      row["sizeCopyGBps"] = r2(*r.size_copy_gbps);
      row["percentOfSizeCopy"] = r2(r.percent_of_size_copy());
    }
    results.push_back(std::move(row));
  }
  json machine{{"gpu", m.gpu},
               {"backend", "CUDA " + variants::to_string(m.runtime_cuda)},
               {"os", m.os},
               {"cpu", m.cpu},
               {"smCount", m.sm_count},
               {"computeCapability", std::to_string(m.cc_major) + "." + std::to_string(m.cc_minor)},
               {"l2Bytes", m.l2_bytes},
               {"memoryBytes", m.memory_bytes},
               {"memoryPeakGBps", r2(m.peak_gbps)},
               {"driverCudaVersion", variants::to_string(m.driver_cuda)},
               {"runtimeCudaVersion", variants::to_string(m.runtime_cuda)},
               {"loadableCudaVariants", m.loadable_variants},
               {"copyGBps", r2(m.copy_gbps)},
               {"copyBufferBytes", m.copy_bytes},
               {"copyKernels", copy_kernels},
               {"roofGBps", r2(roof)},
               {"roofSource", m.roof_source()},
               {"launchFloorEventUs", std::round(m.launch_event_us * 1000.0) / 1000.0},
               {"launchFloorGraphUs", std::round(m.launch_graph_us * 1000.0) / 1000.0}};
  if (m.variant) {
    machine["variantCheck"] = json{{"variant", m.variant->name},
                                   {"valid", m.variant->valid},
                                   {"canRun", m.variant->can_run},
                                   {"reason", m.variant->reason}};
  }
  // "version": the shape of this document, the same number as every
  // command's --format json (cli/json_output.hpp kJsonVersion).
  return json{{"version", 1},
              {"results", results},
              {"machineInfo", machine},
              {"benchmarkSettings", json{{"warmup", rep.warmup},
                                         {"iterations", rep.iterations},
                                         {"timing", "CUDA events, one call per sample, cold L2"}}}};
}

}  // namespace kernels::gpu
