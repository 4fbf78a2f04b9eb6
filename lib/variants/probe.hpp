// Probing this machine for a System (system.hpp), with no link-time GPU
// dependency: the CUDA driver and each GPU's compute capability through
// dlopen("libcuda.so.1"), ROCm from /opt/rocm/.info/version, Torch from the
// python3 on PATH (a bounded subprocess: 20 s, 64 KiB). Every fact can be
// given instead, and a given fact is not probed.
#pragma once

#include <optional>
#include <string>

#include "variants/system.hpp"

namespace kernels::variants {

struct ProbeOptions {
  // --torch X.Y (or "none": no Torch); empty: ask python3.
  std::string torch;
  // --cuda X.Y (or "none"): the CUDA backend version; empty: from Torch, else the driver.
  std::string cuda;
  // --capability N: every GPU's capability (one GPU when none is probed).
  std::optional<int> capability;
  // The Python interpreter to ask about Torch.
  std::string python = "python3";
};

// The probe. Errors only for malformed options (code "usage"); a fact that
// cannot be probed is simply unknown. KERNELS_CUDA_DRIVER ("none" or "12.8")
// stands in for libcuda's answer, for tests.
Result<System> probe_system(const ProbeOptions& options);

// "12.8" -> 12.8; anything else (also "12", "12.8.1", "x") -> nullopt.
std::optional<Version> parse_major_minor(const std::string& text);

}  // namespace kernels::variants
