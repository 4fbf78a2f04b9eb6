// Resolution (spec "Resolution"): which kernel each layer named by a
// KernelConfig gets for one device, capability and mode, following the
// kernels library's registration and selection rules (reference §2.3–§2.5)
// and transformers' create_compatible_mapping (§1.4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "util/result.hpp"

namespace kernels::config {

struct ResolveRequest {
  std::string device;                      // one of kernels_devices()
  std::optional<std::int64_t> capability;  // cuda/rocm: major*10+minor; nullopt: unknown
  bool training = false;                   // Mode.TRAINING instead of Mode.INFERENCE
  bool compile = false;                    // | Mode.TORCH_COMPILE
};

enum class Origin { Layer, KernelMapping, Fusion };
const char* origin_name(Origin o);  // "layer", "kernel_mapping", "fusion"

struct Registration {
  KernelRef kernel;
  Mode mode = Mode::Fallback;  // the key it was registered under
  Origin origin = Origin::Layer;
  Pos pos;  // [[layer]]/[[fusion]] header, the [kernel_mapping] key, or its per-device value (`cuda = ...`)
  std::optional<Capability> capability;  // the range it was registered for (cuda/rocm)
  std::vector<FusionMember> members;     // fusion only
};

// A registration the winner beat, and why it lost.
enum class Beaten {
  Replaced,   // a later registration for the same device and capability range replaced its Mode table
  Narrower,   // another capability range that holds the capability is narrower
  Later,      // another capability range that holds it is as narrow, and its Mode table was placed later
  ModeOrder,  // the same Mode table, but the winner's mode comes first for the requested mode
};
const char* beaten_name(Beaten b);  // "replaced", "narrower", "later", "mode-order"

struct BeatenRegistration {
  Registration registration;
  Beaten why = Beaten::Replaced;
};

struct LayerResolution {
  std::string layer;
  std::optional<Registration> kernel;      // the winner; nullopt: the original forward is kept
  std::vector<BeatenRegistration> beaten;  // with a winner: the registrations for this device it beat
  std::string reason;                      // without a kernel: the kernels library's message for it
  bool error = false;                      // the configuration cannot be applied on this device (not a fallback)
  // Fusions (that got a kernel) this layer is a member of: (fused kernel's layer name, member path).
  std::vector<std::pair<std::string, std::string>> fused_into;
};

struct Resolution {
  Mode mode = Mode::Inference;          // the requested mode
  std::vector<LayerResolution> layers;  // [model].layers first, then others in registration order
};

// Validates the request (Error code "usage" with the kernels library's
// message for an unsupported device) and resolves every layer of `config`.
Result<Resolution> resolve(const Config& config, const ResolveRequest& request);

}  // namespace kernels::config
