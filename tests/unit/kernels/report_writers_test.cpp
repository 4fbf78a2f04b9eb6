#include <catch2/catch.hpp>

#include <string>

#include "kernels/bench/json.hpp"
#include "kernels/bench/svg.hpp"

using namespace kernels::gpu;

namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

BenchReport sample() {
  BenchReport rep;
  rep.warmup = 10;
  rep.iterations = 100;
  rep.machine.gpu = "Test GPU & Co <1>";
  rep.machine.runtime_cuda = {13, 0};
  rep.machine.driver_cuda = {13, 0};
  rep.machine.copy_gbps = 3000;
  rep.machine.loadable_variants = {"cu126", "cu130"};
  BenchRow a;
  a.op = Op::SiluAndMul;
  a.dtype = DType::BF16;
  a.shape = {1024, 14336};
  a.bytes = 3000000;  // 3 MB in 1 ms median -> 3 GB/s from the events
  a.kernel = summarize({1.0, 1.0, 1.0, 1.0});
  a.reference = summarize({2.5, 2.5, 2.5, 2.5});
  a.graph_us = 600.0;  // 3 MB in 600 us -> 5 GB/s, the basis when measured
  a.verified = true;
  a.tolerance_ulps = 3;
  a.comparison.elements = 100;
  a.comparison.differing = 1;
  a.comparison.max_ulps = 1;
  BenchRow b = a;
  b.shape = {4096, 14336};
  b.bytes = 12000000;
  b.graph_us.reset();
  BenchRow c = a;
  c.op = Op::RMSNorm;
  c.verified = false;
  c.comparison.max_ulps = kNanUlps;
  rep.rows = {a, b, c};
  return rep;
}

}  // namespace

TEST_CASE("JSON carries the Python harness's keys and the bench's own", "[kernels][json]") {
  auto j = report_json(sample());
  CHECK(j["version"] == 1);  // the --format json shape version (cli/json_output.hpp)
  REQUIRE(j["results"].size() == 3);
  auto r = j["results"][0];
  CHECK(r["workload"] == "SiluAndMul.bf16.1024x14336");
  for (const char* k : {"mean_ms", "std_ms", "min_ms", "max_ms", "q1_ms", "q3_ms", "iqr_ms", "outliers", "iterations"})
    CHECK(r["timingResults"].contains(k));
  CHECK(r["timingResults"]["iterations"] == 4);
  CHECK(r["timingResults"]["mean_ms"] == 1.0);
  CHECK(r["verified"] == true);
  CHECK(r["gbps"] == 5.0);
  CHECK(r["gbpsBasis"] == "graph");
  CHECK(r["gbpsEventMedian"] == 3.0);
  CHECK(r["speedup"] == 2.5);
  CHECK(r["verification"]["maxUlps"] == 1);
  CHECK(j["results"][1]["gbpsBasis"] == "events");
  CHECK(j["results"][1]["gbps"] == 12.0);
  CHECK(j["results"][2]["verified"] == false);
  CHECK(j["results"][2]["verification"]["maxUlps"].is_null());
  CHECK(j["results"][2]["verification"]["nanMismatch"] == true);
  CHECK(j["machineInfo"]["gpu"] == "Test GPU & Co <1>");
  CHECK(j["machineInfo"]["backend"] == "CUDA 13.0");
  CHECK(j["machineInfo"]["loadableCudaVariants"].size() == 2);
  CHECK_FALSE(j["machineInfo"].contains("variantCheck"));
}

TEST_CASE("the SVG has one line per kernel and dtype, the copy roof, escaped text", "[kernels][svg]") {
  std::string svg = report_svg(sample());
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(count(svg, "<polyline class=\"series\"") == 2);  // SiluAndMul bf16 (2 points), RMSNorm bf16
  CHECK(count(svg, "class=\"roof\"") == 1);              // no copy kernel measured: cudaMemcpyAsync is the roof
  CHECK(svg.find("cudaMemcpyAsync 3000.0 GB/s") != std::string::npos);
  CHECK(svg.find("Test GPU &amp; Co &lt;1&gt;") != std::string::npos);
  CHECK(svg.find("Test GPU & Co") == std::string::npos);
  CHECK(count(svg, "<circle") == 3);
}

TEST_CASE("the roof is the best of cudaMemcpyAsync and the copy kernels, and says which", "[kernels][json][svg]") {
  BenchReport rep = sample();
  CHECK(rep.machine.roof_gbps() == 3000);
  CHECK(rep.machine.roof_source() == "cudaMemcpyAsync");
  rep.machine.copy_kernels = {{"copy kernel A", 2900}, {"copy kernel B", 4000}, {"copy kernel C", 3500}};
  CHECK(rep.machine.roof_gbps() == 4000);
  CHECK(rep.machine.roof_source() == "copy kernel B");
  auto j = report_json(rep);
  CHECK(j["machineInfo"]["copyGBps"] == 3000.0);
  CHECK(j["machineInfo"]["roofGBps"] == 4000.0);
  CHECK(j["machineInfo"]["roofSource"] == "copy kernel B");
  CHECK(j["machineInfo"]["copyKernels"].size() == 3);
  CHECK(j["results"][1]["gbps"] == 12.0);
  CHECK(j["results"][1]["percentOfCopy"] == 0.4);  // 12 of 3000 GB/s
  CHECK(j["results"][1]["percentOfRoof"] == 0.3);  // 12 of 4000 GB/s
  std::string svg = report_svg(rep);
  CHECK(count(svg, "class=\"roof\"") == 2);
  CHECK(svg.find("cudaMemcpyAsync 3000.0 GB/s") != std::string::npos);
  CHECK(svg.find("roof: copy kernel B 4000.0 GB/s") != std::string::npos);
}

TEST_CASE("a row measured against a copy of its own size says how close it came", "[kernels][json]") {
  BenchReport rep = sample();
  CHECK(rep.machine.best_copy_kernel() == -1);  // no copy kernel: nothing to compare at the row's size
  rep.machine.copy_kernels = {{"copy kernel A", 2900}, {"copy kernel B", 4000}, {"copy kernel C", 3500}};
  CHECK(rep.machine.best_copy_kernel() == 1);
  rep.rows[0].size_copy_gbps = 6.25;  // the row moves 5 GB/s (graph basis): 80% of a same-size copy
  CHECK(rep.rows[0].percent_of_size_copy() == 80.0);
  CHECK(rep.rows[1].percent_of_size_copy() == 0.0);  // not measured
  auto j = report_json(rep);
  CHECK(j["results"][0]["sizeCopyGBps"] == 6.25);
  CHECK(j["results"][0]["percentOfSizeCopy"] == 80.0);
  CHECK_FALSE(j["results"][1].contains("sizeCopyGBps"));
  CHECK_FALSE(j["results"][1].contains("percentOfSizeCopy"));
}
