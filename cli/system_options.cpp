#include "cli/system_options.hpp"

#include "variants/select.hpp"

namespace kernels::cli {

const char* const kNoTorchNote =
    "no Torch is known (no --torch, and python3 has none): only tvm-ffi and noarch variants can match";

const char* const kSystemHelp =
    R"(The machine: CPU and OS from uname; the CUDA driver and each GPU's compute
capability from libcuda (dlopen; none without a driver); ROCm from
/opt/rocm/.info/version; Torch, its C++ ABI and CUDA version from the python3
on PATH. The backend is the CUDA version Torch was built for, else the
driver's. --torch X.Y, --cuda X.Y and --capability N replace what is probed,
so that any machine's answer can be reproduced anywhere (KERNELS_CUDA_DRIVER=
none or =12.8 stands in for libcuda).
)";

void add_system_options(CLI::App* cmd, variants::ProbeOptions& options) {
  cmd->add_option("--torch", options.torch, "Torch version X.Y (or none) instead of asking python3")
      ->option_text("X.Y");
  cmd->add_option("--cuda", options.cuda, "CUDA version X.Y of the backend (or none) instead of the probe")
      ->option_text("X.Y");
  cmd->add_option("--capability", options.capability, "Every GPU's compute capability, major*10+minor (90 = 9.0)")
      ->option_text("N");
}

std::string describe_system(const variants::System& s) {
  std::string out = "  machine: " + s.cpu + "-" + s.os + "\n";
  out += "  CUDA driver: " + (s.cuda_driver ? variants::to_string(*s.cuda_driver) : std::string("none")) + "\n";
  for (const auto& g : s.gpus) {
    out += "  GPU " + std::to_string(g.index) + ": " + (g.name.empty() ? std::string("(given)") : g.name) +
           ", compute capability " + variants::capability_text(g.capability) + "\n";
  }
  if (s.rocm) out += "  ROCm: " + variants::to_string(*s.rocm) + "\n";
  if (s.torch) {
    out += "  Torch: " + variants::to_string(*s.torch);
    if (s.cxx11_abi) out += *s.cxx11_abi ? " (cxx11 ABI)" : " (pre-cxx11 ABI)";
    out += " from " + s.torch_source + "\n";
  } else {
    out += std::string("  Torch: unknown; ") + kNoTorchNote + "\n";
  }
  if (s.tvm_ffi) out += "  tvm-ffi: " + variants::to_string(*s.tvm_ffi) + "\n";
  out += "  backend: " + s.backend.name() + " (" + s.backend_source + ")\n";
  return out;
}

nlohmann::ordered_json system_json(const variants::System& s) {
  using ojson = nlohmann::ordered_json;
  auto version = [](const std::optional<variants::Version>& v) {
    return v ? ojson(variants::to_string(*v)) : ojson(nullptr);
  };
  ojson j;
  j["cpu"] = s.cpu;
  j["os"] = s.os;
  j["cuda_driver"] = version(s.cuda_driver);
  j["gpus"] = ojson::array();
  for (const auto& g : s.gpus) {
    j["gpus"].push_back(ojson{{"index", g.index}, {"name", g.name}, {"capability", g.capability}});
  }
  j["rocm"] = version(s.rocm);
  j["torch"] = version(s.torch);
  j["cxx11_abi"] = s.cxx11_abi ? ojson(*s.cxx11_abi) : ojson(nullptr);
  j["tvm_ffi"] = version(s.tvm_ffi);
  j["backend"] = s.backend.name();
  j["backend_source"] = s.backend_source;
  return j;
}

}  // namespace kernels::cli
