// Build-variant names (`torch212-cxx11-cu130-x86_64-linux`, `torch-cuda`, ...):
// the grammar of the Python `kernels` library, parsed into their parts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kernels::variants {

struct Version {
  int major = 0;
  int minor = 0;
  friend bool operator==(const Version&, const Version&) = default;
  friend auto operator<=>(const Version&, const Version&) = default;
};

// "13.0"
std::string to_string(const Version& v);

enum class BackendKind { Cpu, Metal, Neuron, Tpu, Cuda, Rocm, Xpu, Cann };

// A backend tag: `cpu`, `metal`, `neuron`, `tpu` or a versioned `cuXY`,
// `rocmXY`, `xpuXY`, `cannXY` where the LAST digit is the minor (`cu130` is
// CUDA 13.0, `xpu20253` is 2025.3).
struct Backend {
  BackendKind kind = BackendKind::Cpu;
  std::optional<Version> version;  // set for the versioned kinds
  std::string name() const;        // canonical tag, e.g. "cu130"
};

Result<Backend> parse_backend(std::string_view tag);

// Name of the backend family as the noarch variants spell it ("cuda", "rocm", ...).
std::string family_name(BackendKind kind);

enum class Framework { Torch, TorchStableAbi, TvmFfi, Noarch };

struct Variant {
  Framework framework = Framework::Torch;
  std::optional<Version> framework_version;  // torch 2.12, stable ABI 2.11, tvm-ffi 0.1
  std::optional<bool> cxx11_abi;             // torch only: set when tagged cxx11/cxx98
  // Arch variants: backend, cpu and os. Noarch variants: only noarch_backend.
  std::optional<Backend> backend;
  std::string cpu;
  std::string os;
  std::string noarch_backend;  // "cuda", "universal", ... for `torch-<name>`
};

// Parses a variant directory name. Errors name the part that is wrong.
Result<Variant> parse_variant(std::string_view name);

}  // namespace kernels::variants
