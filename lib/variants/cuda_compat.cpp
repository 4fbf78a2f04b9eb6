#include "variants/cuda_compat.hpp"

namespace kernels::variants {

Version cuda_version_from_int(int encoded) { return Version{encoded / 1000, (encoded % 1000) / 10}; }

const std::vector<Version>& known_cuda_tags() {
  static const std::vector<Version> tags{{11, 8}, {12, 1}, {12, 4}, {12, 6}, {12, 8}, {12, 9}, {13, 0}, {13, 2}};
  return tags;
}

std::vector<std::string> loadable_cuda_tags(const Version& driver) {
  std::vector<std::string> out;
  for (const Version& v : known_cuda_tags())
    if (v <= driver) out.push_back(Backend{BackendKind::Cuda, v}.name());
  return out;
}

namespace {

Verdict cuda_verdict(const Version& needed, const MachineFacts& facts) {
  if (!facts.cuda_driver)
    return {false, "it needs a CUDA " + to_string(needed) + " driver and this machine has no usable CUDA driver"};
  const Version& have = *facts.cuda_driver;
  if (needed <= have)
    return {true,
            "the driver supports CUDA " + to_string(have) + ", which runs code built with CUDA " + to_string(needed)};
  return {false, "it was built with CUDA " + to_string(needed) + " and the driver supports only up to CUDA " +
                     to_string(have) + "; update the driver to one for CUDA " + to_string(needed) +
                     " or pick a variant built with CUDA " + to_string(have) + " or older"};
}

}  // namespace

Verdict can_run(const Variant& v, const MachineFacts& facts) {
  if (v.framework == Framework::Noarch) {
    const std::string& b = v.noarch_backend;
    if (b == "universal") return {true, "universal variants run on every machine"};
    if (b == "cuda") {
      if (facts.cuda_driver) return {true, "noarch CUDA variant and this machine has a CUDA driver"};
      return {false, "noarch CUDA variant and this machine has no usable CUDA driver"};
    }
    if (b == "cpu") return {true, "noarch CPU variant"};
    return {false, "noarch " + b + " variant and this machine's backend is " +
                       std::string(facts.cuda_driver ? "cuda" : "cpu")};
  }
  if (v.cpu != facts.cpu) return {false, "CPU (" + v.cpu + ") does not match this machine's CPU (" + facts.cpu + ")"};
  if (v.os != facts.os) return {false, "OS (" + v.os + ") does not match this machine's OS (" + facts.os + ")"};
  const Backend& b = *v.backend;
  switch (b.kind) {
    case BackendKind::Cpu: return {true, "CPU variant for " + v.cpu + "-" + v.os};
    case BackendKind::Cuda: return cuda_verdict(*b.version, facts);
    default:
      return {false, "backend " + b.name() + " needs a " + family_name(b.kind) + " device; this machine's backend is " +
                         (facts.cuda_driver ? "cuda" : "cpu")};
  }
}

}  // namespace kernels::variants
