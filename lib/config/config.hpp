// The KernelConfig model read from a TOML file (the KernelConfig TOML format, kernels-check(1)):
// what the model registers, the [kernel_mapping] entries, [[fusion]] and
// [[layer]] entries, each with its source position. Entries that failed a
// check are left out; check_config() reports why.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/toml.hpp"

namespace kernels::config {

using toml::Pos;

// One kernel reference: "org/repo:Layer" (or "/abs/path:Layer") plus metadata.
struct KernelRef {
  std::string repo;                     // as written
  std::string repo_id;                  // before the first ':' (a Hub repo id, or a local path)
  std::string layer_name;               // after the first ':'
  std::optional<std::int64_t> version;  // hub only; exactly one of version and revision
  std::optional<std::string> revision;
  bool trust_remote_code = false;
  bool local = false;  // use_local_kernel = true
  Pos pos;             // where the repo string is

  std::int64_t kernel_version() const { return version.value_or(1); }
};

// Python's kernels.Mode values a registration can carry.
enum class Mode { Fallback, Inference, Training, InferenceCompile, TrainingCompile };
std::string mode_name(Mode m);  // TOML spelling: "fallback", "inference+torch_compile", ...
std::optional<Mode> parse_mode(std::string_view text);
std::string python_mode(Mode m);  // str(Mode) on Python 3.11+: "Mode.INFERENCE|TORCH_COMPILE"

struct MappingEntry {  // one key of [kernel_mapping]
  std::string layer;
  Pos pos;                                                    // of the key
  std::optional<KernelRef> kernel;                            // the device-independent forms
  std::vector<std::pair<std::string, KernelRef>> per_device;  // the per-device form, in source order
};

struct FusionMember {
  std::string layer;
  std::string path;
  Pos pos;
};

struct Fusion {  // one [[fusion]]
  KernelRef kernel;
  std::vector<FusionMember> members;
  Pos pos;  // of the [[fusion]] header
};

struct Capability {
  std::int64_t min = 0;
  std::int64_t max = 0;
  bool operator==(const Capability&) const = default;
};

struct LayerEntry {  // one [[layer]]
  std::string name;
  std::string device;
  std::optional<Capability> capability;
  Mode mode = Mode::Fallback;
  KernelRef kernel;
  Pos pos;  // of the [[layer]] header
};

struct Config {
  std::string file;                                       // as named on the command line; used in messages
  std::optional<std::vector<std::string>> model_layers;   // [model].layers
  std::optional<std::vector<std::string>> model_modules;  // [model].modules
  bool use_local_kernel = false;
  std::vector<MappingEntry> mapping;
  std::vector<Fusion> fusions;
  std::vector<LayerEntry> layers;
};

// The largest KernelConfig file read (a real one is a few kilobytes).
inline constexpr std::size_t kMaxConfigBytes = 1u << 20;

struct CheckResult {
  Config config;
  std::vector<Diagnostic> diagnostics;  // in source order
};

// Reads and checks a KernelConfig TOML document against every rule of the
// spec. `file` names it in messages. Never throws on bad input.
CheckResult check_config(const std::string& file, std::string_view text);

// Device names.
const std::vector<std::string>& kernel_mapping_devices();  // cuda rocm xpu npu neuron tpu (transformers)
const std::vector<std::string>& kernels_devices();         // cpu cuda rocm mps xpu npu neuron tpu (kernels)

}  // namespace kernels::config
