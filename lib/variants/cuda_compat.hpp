// Which CUDA build variants a machine can run. The CUDA driver runs code
// built with any toolkit up to its own CUDA version (backward compatibility);
// a newer toolkit than the driver is refused. Variant names come from
// variant.hpp; the machine's facts are passed in, so this file needs no GPU.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "variants/variant.hpp"

namespace kernels::variants {

// cudaDriverGetVersion / cudaRuntimeGetVersion encoding: 13000 -> 13.0, 12080 -> 12.8.
Version cuda_version_from_int(int encoded);

// The cuXY tags published for kernel builds (nix-builder build-variants and the
// published fixtures), oldest first.
const std::vector<Version>& known_cuda_tags();

// The known tags a driver supporting `driver` can load, oldest first.
std::vector<std::string> loadable_cuda_tags(const Version& driver);

// What is known about the machine that would run a variant.
struct MachineFacts {
  std::string cpu;                     // "x86_64", "aarch64"
  std::string os;                      // "linux"
  std::optional<Version> cuda_driver;  // unset: no usable CUDA driver
};

struct Verdict {
  bool can_run = false;
  std::string reason;  // why (or why not), one sentence
};

// Can a machine with `facts` run variant `v`? Torch, stable-ABI and tvm-ffi
// versions are not judged (they depend on the Python environment, not the machine).
Verdict can_run(const Variant& v, const MachineFacts& facts);

}  // namespace kernels::variants
