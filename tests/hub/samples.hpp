// Sample kernel repositories for the demo and for people trying kernels
// without the Hub: written into an emulator root by
// `kernels-hub-emulator --init-samples`.
#pragma once

#include <string>

namespace kernels::hub_emulator {

// Creates (when absent) under `root`:
//   kernels-community/relu        main, v1, v2, annotated tag v1.0, pull request refs/pr/1;
//                                  two variants, a binary _relu.so stored through LFS
//   kernels-community/activation  main and v1, three variants
//   kernels-community/relu-old    kernel-status.toml redirecting to kernels-community/relu
//   acme/private-kernel           private (needs a token)
// Every variant has a metadata.json with a correct sha256 digest (kernel_variant.hpp).
void write_sample_repos(const std::string& root);

}  // namespace kernels::hub_emulator
