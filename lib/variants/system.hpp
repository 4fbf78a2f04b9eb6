// What a machine offers a build variant: CPU, OS, the GPUs and their driver,
// and the Python environment's Torch. The facts come from the probe
// (probe.hpp) or from the command line, so that every selection can be
// reproduced on a machine without a GPU; select.hpp judges variants against them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "variants/variant.hpp"

namespace kernels::variants {

struct Gpu {
  int index = 0;
  std::string name;    // "NVIDIA H200"; empty when given on the command line
  int capability = 0;  // major * 10 + minor: 90 for 9.0
};

struct System {
  std::string cpu;  // "x86_64", "aarch64" (arm64 is normalized, as the kernels library does on darwin)
  std::string os;   // "linux", "darwin"

  std::optional<Version> cuda_driver;  // the CUDA version the driver supports; unset: no driver
  std::vector<Gpu> gpus;               // CUDA devices
  std::optional<Version> rocm;         // ROCm installed (/opt/rocm/.info/version)

  std::optional<Version> torch;    // unset: no Torch known
  std::optional<bool> cxx11_abi;   // Torch's C++ ABI on linux; unset elsewhere
  std::optional<Version> tvm_ffi;  // tvm-ffi in the Python environment
  std::string torch_source;        // where `torch` came from: "--torch", "python3", ""

  // The backend variants are selected for (the kernels library's order: the
  // backend Torch was built for, else the driver's): kind and version.
  Backend backend;
  std::string backend_source;  // "--cuda", "torch", "driver", ...
};

// The backend name noarch variants must carry ("cuda", "rocm", ...; CANN is "npu").
std::string noarch_name(const Backend& backend);

// Compute capability 90 as "9.0".
std::string capability_text(int capability);

}  // namespace kernels::variants
