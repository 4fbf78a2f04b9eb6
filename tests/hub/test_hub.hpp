// A ready-made emulator for tests: a temporary root with a standard set of
// fixture repositories, served on 127.0.0.1 / 127.0.0.2 with ephemeral ports.
//
//   kernels-test/relu      main (2 commits), branches v1 (first) and v2 (second),
//                          annotated tag v1.0 (first), lightweight tag latest (second);
//                          LFS binaries, a path with a space, variants torch-cuda and
//                          torch-cuda-x (git orders torch-cuda-x first)
//   kernels-test/moved     kernel-status.toml → kernels-test/relu, revision v1
//   kernels-test/plain     main only: no versions, no build/
//   kernels-test/private   private (token kTestToken)
//   kernels-test/gated     gated (token kTestToken)
//   kernels-test/old-relu  renamed: answered with a relative 307 to kernels-test/relu
#pragma once

#include <memory>
#include <string>

#include "tests/hub/emulator.hpp"
#include "tests/support/process.hpp"
#include "tests/hub/fixture_repo.hpp"

namespace kernels::hub_emulator {

inline constexpr const char* kTestToken = "hf_test_token_0123456789abcdef";

class TestHub {
 public:
  explicit TestHub(std::size_t page_size = 1000);
  ~TestHub();
  TestHub(const TestHub&) = delete;
  TestHub& operator=(const TestHub&) = delete;

  HubEmulator& emulator() { return *emulator_; }
  std::string endpoint() const { return emulator_->endpoint(); }
  const std::string& root() const { return root_; }
  std::string git_dir(const std::string& repo) const { return root_ + "/" + repo; }

  // Commits of kernels-test/relu.
  std::string relu_first;   // v1, tag v1.0
  std::string relu_second;  // main, v2, tag latest
  std::string lfs_content;  // content of build/torch210-cxx11-cu128-x86_64-linux/relu/_relu.so at relu_first

 private:
  std::string root_;
  std::unique_ptr<HubEmulator> emulator_;
};

// A fresh temporary directory (mkdtemp) that is removed by the destructor.
using ScratchDir = test::TempDir;

}  // namespace kernels::hub_emulator
