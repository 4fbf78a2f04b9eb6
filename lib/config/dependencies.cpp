#include "config/dependencies.hpp"

#include <algorithm>

namespace kernels::config {
namespace {

void add(std::vector<HubDependency>& out, const KernelRef& k, const std::string& section, const std::string& layer,
         const std::string& device) {
  if (k.local) return;
  out.push_back(HubDependency{k.repo_id, k.layer_name, k.version, k.revision, k.trust_remote_code, section, layer,
                              device, k.pos});
}

}  // namespace

std::vector<HubDependency> hub_dependencies(const Config& config) {
  std::vector<HubDependency> out;
  for (const auto& e : config.mapping) {
    if (e.kernel) add(out, *e.kernel, "kernel_mapping", e.layer, "");
    for (const auto& [device, k] : e.per_device) add(out, k, "kernel_mapping", e.layer, device);
  }
  for (const auto& f : config.fusions) add(out, f.kernel, "fusion", f.kernel.layer_name, "");
  for (const auto& l : config.layers) add(out, l.kernel, "layer", l.name, l.device);
  std::stable_sort(out.begin(), out.end(), [](const HubDependency& a, const HubDependency& b) {
    return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.column < b.pos.column;
  });
  return out;
}

std::string pin_text(const HubDependency& d) {
  if (d.revision) return "revision " + *d.revision;
  return "version " + std::to_string(d.version.value_or(1));
}

bool same_pin(const HubDependency& a, const HubDependency& b) {
  return a.version == b.version && a.revision == b.revision;
}

}  // namespace kernels::config
