// `kernels bench`: verify the bundled CUDA kernels against their CPU
// references and measure them on this machine's GPU. Parsing and printing
// only; the work is in kernels/ (kernels/bench/bench.hpp).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/term.hpp"
#include "kernels/bench/bench.hpp"
#include "kernels/bench/json.hpp"
#include "kernels/bench/svg.hpp"
#include "util/file.hpp"
#include "variants/variant.hpp"

namespace kernels::cli {
namespace {

using namespace kernels::gpu;

constexpr const char* kFooter = R"(Kernels: SiluAndMul MulAndSilu GeluAndMul GeluTanhAndMul FatreluAndMul FastGELU
NewGELU QuickGELU RMSNorm FusedAddRMSNorm. A shape TxD is T tokens of width D (gated kernels
read 2D and write D). Without --shape each kernel runs its default shapes.

Examples:
  kernels bench                                  every kernel, dtype and default shape
  kernels bench SiluAndMul --dtype bf16          one kernel, bf16 only
  kernels bench RMSNorm --shape 4096x8192 --shape 1x8192
  kernels bench --all --json-out bench.json --plot bench.svg
  kernels bench SiluAndMul --dtype bf16 --format json | jq '.results[].percentOfRoof'
  kernels bench --variant torch212-cxx11-cu126-x86_64-linux SiluAndMul --shape 1x4096

Exit status: 0 all verified, 1 a kernel's result differed from its CPU reference by more
than its tolerance, 2 usage error, no CUDA device, driver too old, or built without CUDA.

The roof is the best of a 1 GiB cudaMemcpyAsync and a few streaming copy kernels (16-byte
accesses, as the bundled kernels move bytes), all timed in the same run; copy% is against
cudaMemcpyAsync alone, roof% against the best. size% is against the fastest copy kernel
moving the same bytes as the row, timed the same way: what a copy reaches at that size, where
a short kernel's ramp and drain count. See kernels-bench(1) for the method and the
tolerances.)";

struct Options {
  std::vector<std::string> names;
  bool all = false;
  std::string device = "cuda";
  std::string dtype = "all";
  std::vector<std::string> shapes;
  int warmup = 10;
  int iterations = 100;
  std::string json_path;
  std::string legacy_json_path;  // --json FILE, the old name of --json-out
  std::string format = "human";
  std::string plot_path;
  std::string variant;
};

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string pad(std::string s, size_t w, bool right = false) {
  if (s.size() >= w) return s;
  return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
}

void print_machine(const Machine& m) {
  const Terminal& t = terminal();
  std::cout << paint(t.color_stdout, Style::Bold, "GPU") << "        " << m.gpu << ", " << m.sm_count
            << " SMs, compute capability " << m.cc_major << "." << m.cc_minor << ", L2 " << (m.l2_bytes >> 20)
            << " MiB, memory " << (m.memory_bytes >> 30) << " GiB"
            << (m.peak_gbps > 0 ? fmt(" (%.0f GB/s by its clock and bus width)", m.peak_gbps) : "") << "\n";
  std::cout << paint(t.color_stdout, Style::Bold, "CUDA") << "       driver " << variants::to_string(m.driver_cuda)
            << ", runtime " << variants::to_string(m.runtime_cuda) << " (static)\n";
  std::cout << paint(t.color_stdout, Style::Bold, "variants") << "   this driver loads";
  for (const std::string& v : m.loadable_variants) std::cout << " " << v;
  std::cout << "\n";
  if (m.variant) {
    const VariantCheck& v = *m.variant;
    std::string verdict = !v.valid ? "invalid" : v.can_run ? "can run" : "cannot run";
    Style st = v.can_run ? Style::Green : Style::BoldRed;
    std::cout << paint(t.color_stdout, Style::Bold, "variant") << "    " << v.name << ": "
              << paint(t.color_stdout, st, verdict) << " (" << v.reason << ")\n";
  }
  std::cout << paint(t.color_stdout, Style::Bold, "copy") << "       " << fmt("%.0f", m.copy_gbps)
            << " GB/s cudaMemcpyAsync device-to-device (" << (m.copy_bytes >> 20) << " MiB, read + write)\n";
  for (const Machine::CopyKernel& k : m.copy_kernels)
    std::cout << "           " << fmt("%.0f", k.gbps) << " GB/s " << k.name << "\n";
  std::cout << paint(t.color_stdout, Style::Bold, "roof") << "       " << fmt("%.0f", m.roof_gbps())
            << " GB/s, reached by " << m.roof_source() << "\n";
  std::cout << paint(t.color_stdout, Style::Bold, "launch") << "     empty kernel " << fmt("%.2f", m.launch_event_us)
            << " us between events, " << fmt("%.2f", m.launch_graph_us) << " us per launch in a CUDA graph\n";
  std::cout << "Times per call from CUDA events, cold L2. GB/s, copy%, roof% and size% use the per-launch time in\n"
               "a CUDA graph where one was measured (shapes moving up to 256 MiB), else the event median;\n"
               "size% is against the fastest copy kernel moving the row's bytes.\n\n";
  std::cout << pad("kernel", 16) << pad("dtype", 6) << pad("shape", 12) << pad("verified", 18)
            << pad("median us", 11, true) << pad("min us", 10, true) << pad("p90 us", 10, true)
            << pad("graph us", 10, true) << pad("GB/s", 8, true) << pad("copy%", 7, true) << pad("roof%", 7, true)
            << pad("size%", 7, true) << pad("unfused us", 12, true) << pad("speedup", 9, true) << "\n";
  std::cout.flush();
}

void print_row(const BenchRow& r, double copy_gbps, double roof_gbps) {
  const Terminal& t = terminal();
  std::string ulps = r.comparison.max_ulps == kNanUlps ? "NaN" : std::to_string(r.comparison.max_ulps);
  std::string ver = std::string(r.verified ? "ok " : "FAIL ") + ulps + "/" + std::to_string(r.tolerance_ulps) + "ulp " +
                    fmt("%.1f%%", 100.0 * r.comparison.share_differing());
  std::cout << pad(std::string(op_name(r.op)), 16) << pad(std::string(dtype_name(r.dtype)), 6)
            << pad(to_string(r.shape), 12)
            << paint(t.color_stdout, r.verified ? Style::Green : Style::BoldRed, pad(ver, 18))
            << pad(fmt("%.2f", r.kernel.median * 1000), 11, true) << pad(fmt("%.2f", r.kernel.min * 1000), 10, true)
            << pad(fmt("%.2f", r.kernel.p90 * 1000), 10, true)
            << pad(r.graph_us ? fmt("%.2f", *r.graph_us) : "-", 10, true) << pad(fmt("%.0f", r.gbps()), 8, true)
            << pad(copy_gbps > 0 ? fmt("%.1f", 100.0 * r.gbps() / copy_gbps) : "-", 7, true)
            << pad(roof_gbps > 0 ? fmt("%.1f", 100.0 * r.gbps() / roof_gbps) : "-", 7, true)
            << pad(r.size_copy_gbps ? fmt("%.1f", r.percent_of_size_copy()) : "-", 7, true)
            << pad(fmt("%.2f", r.reference.median * 1000), 12, true) << pad(fmt("%.2fx", r.speedup()), 9, true) << "\n";
  std::cout.flush();
}

int usage(const std::string& msg) { return report_error("bench", Error{ErrorCode::usage, msg}); }

int run(const Options& o) {
  BenchPlan plan;
  if (o.device != "cuda") return usage("--device " + o.device + " is not supported; the bundled kernels run on cuda");
  if (o.all && !o.names.empty()) return usage("give kernel names or --all, not both");
  if (o.names.empty()) {
    plan.ops.assign(std::begin(kAllOps), std::end(kAllOps));
  } else {
    for (const std::string& n : o.names) {
      auto op = parse_op(n);
      if (!op) {
        std::string known;
        for (Op k : kAllOps) known += " " + std::string(op_name(k));
        return usage("no bundled kernel named '" + n + "'; the kernels are:" + known);
      }
      plan.ops.push_back(*op);
    }
  }
  if (o.dtype == "all") {
    plan.dtypes.assign(std::begin(kAllDTypes), std::end(kAllDTypes));
  } else {
    auto t = parse_dtype(o.dtype);
    if (!t) return usage("--dtype must be bf16, fp16, fp32 or all (got '" + o.dtype + "')");
    plan.dtypes.push_back(*t);
  }
  for (const std::string& s : o.shapes) {
    auto shape = parse_shape(s);
    if (!shape.ok()) return usage(shape.error().message);
    plan.shapes.push_back(*shape);
  }
  if (o.warmup < 0 || o.warmup > 100000) return usage("--warmup must be between 0 and 100000");
  if (o.iterations < 1 || o.iterations > 100000) return usage("--iterations must be between 1 and 100000");
  plan.warmup = o.warmup;
  plan.iterations = o.iterations;
  if (!o.variant.empty()) {
    auto v = variants::parse_variant(o.variant);
    if (!v.ok()) return usage(v.error().message);
    plan.variant = o.variant;
  }

  if (o.format != "human" && o.format != "json")
    return usage("--format must be human or json (got '" + o.format + "')");
  const bool json_out = o.format == "json";
  std::string json_path = o.json_path;
  if (!o.legacy_json_path.empty()) {
    if (!json_path.empty()) return usage("give --json-out FILE once (--json FILE is its old name)");
    json_path = o.legacy_json_path;
    report_warning("bench", "--json FILE is now --json-out FILE; the old name will go");
  }

  double copy = 0, roof = 0;
  BenchHooks hooks;
  if (!json_out) {
    hooks.machine = [&](const Machine& m) {
      copy = m.copy_gbps;
      roof = m.roof_gbps();
      print_machine(m);
    };
    hooks.row = [&](const BenchRow& r) { print_row(r, copy, roof); };
  }
  auto report = run_bench(plan, hooks);
  if (!report.ok()) {
    return report_error("bench", report.error());
  }
  int code = kExitOk;
  if (json_out) std::cout << report_json(*report).dump(2) << "\n";
  if (!json_path.empty()) {
    Status s = write_file_atomic(json_path, report_json(*report).dump(2) + "\n");
    if (!s.ok()) {
      code = report_error("bench", s.error());
    }
  }
  if (!o.plot_path.empty()) {
    Status s = write_file_atomic(o.plot_path, report_svg(*report));
    if (!s.ok()) {
      code = report_error("bench", s.error());
    }
  }
  if (code != kExitOk) return code;
  size_t failed = 0;
  for (const BenchRow& r : report->rows) failed += r.verified ? 0 : 1;
  if (failed) {
    report_error("bench", std::to_string(failed) + " of " + std::to_string(report->rows.size()) +
                              " results differ from the CPU reference by more than their tolerance");
    return kExitProblems;
  }
  return kExitOk;
}

}  // namespace

void register_bench(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Verify the bundled CUDA kernels against CPU references and measure them on this GPU");
  cmd->footer(kFooter);
  cmd->add_option("names", o->names, "Kernels to run (default: all)");
  cmd->add_flag("--all", o->all, "Run every bundled kernel");
  cmd->add_option("--device", o->device, "Device to run on (only cuda)")->capture_default_str();
  cmd->add_option("--dtype", o->dtype, "bf16, fp16, fp32 or all")->capture_default_str();
  cmd->add_option("--shape", o->shapes, "Shape TxD (T tokens, width D); repeatable")->type_name("TxD");
  cmd->add_option("--warmup", o->warmup, "Untimed calls before timing")->capture_default_str();
  cmd->add_option("--iterations", o->iterations, "Timed calls (one sample each)")->capture_default_str();
  cmd->add_option("--format", o->format, "Output on stdout: human (default) or json (the --json-out document)")
      ->type_name("human|json");
  cmd->add_option("--json-out", o->json_path, "Also write the results as JSON (superset of `kernels benchmark`'s)")
      ->type_name("FILE");
  cmd->add_option("--json", o->legacy_json_path, "")->type_name("FILE")->group("");  // old name of --json-out
  cmd->add_option("--plot", o->plot_path, "Write an SVG of GB/s against bytes moved, with both copy roofs")
      ->type_name("FILE.svg");
  cmd->add_option("--variant", o->variant, "Also say whether this machine can run build variant NAME, and why")
      ->type_name("NAME");
  cmd->callback([o, exit_code] { *exit_code = run(*o); });
}

}  // namespace kernels::cli
