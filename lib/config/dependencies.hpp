// The Hub repositories a KernelConfig names: what `kernels lock --config`
// must pin. Local kernels (use_local_kernel = true) are not Hub repos and are
// left out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace kernels::config {

struct HubDependency {
  std::string repo_id;                  // "kernels-community/activation"
  std::string layer_name;               // the part after ':' ("SiluAndMul")
  std::optional<std::int64_t> version;  // exactly one of version and revision is set;
  std::optional<std::string> revision;  // a bare repo string means version 1
  bool trust_remote_code = false;
  std::string section;  // "kernel_mapping", "fusion" or "layer"
  std::string layer;    // the model layer it replaces (fusion: the kernel's layer name)
  std::string device;   // the per-device key or the [[layer]] device; empty: any device
  Pos pos;              // where the repo string is written
};

// Every mention of a Hub repo in `config`, in source order (one entry per
// mention, so the same repo id may appear several times).
std::vector<HubDependency> hub_dependencies(const Config& config);

// "version 1" or "revision e5dcd4f…" (the full revision).
std::string pin_text(const HubDependency& dependency);

// True when both name the same version, or the same revision.
bool same_pin(const HubDependency& a, const HubDependency& b);

}  // namespace kernels::config
