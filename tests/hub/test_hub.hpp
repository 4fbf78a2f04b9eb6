// A ready-made emulator for tests: a temporary root with a standard set of
// fixture repositories, served on 127.0.0.1 / 127.0.0.2 with ephemeral ports.
//
//   kernels-test/relu      main (2 commits), branches v1 (first) and v2 (second),
//                          annotated tag v1.0 (first), lightweight tag latest (second);
//                          LFS binaries, a path with a space, variants torch-cuda and
//                          torch-cuda-x (git orders torch-cuda-x first); pull request
//                          refs/pr/1 (second with README.md "# relu, PR 1\n"), listed only
//                          with ?include_prs=1 as {"name": "refs/pr/1", "ref": "refs/pr/1", ...}
//   kernels-test/moved     kernel-status.toml → kernels-test/relu, revision v1
//   kernels-test/plain     main only: no versions, no build/
//   kernels-test/private   private (token kTestToken)
//   kernels-test/gated     gated (token kTestToken)
//   kernels-test/old-relu  renamed: answered with a relative 307 to kernels-test/relu
//   kernels-test/download  main and v1 (one commit, download_commit): variants for
//                          download and verify, each build/<v>/metadata.json written as
//                          kernel-builder does (kernel_variant.hpp), digests computed here:
//     torch210-cxx11-cu128-x86_64-linux  cuda, archs ["8.0", "9.0"], LFS .so, correct digest
//     torch210-cxx11-cu126-x86_64-linux  cuda, archs ["7.5", "8.0", "8.6"], LFS .so and
//                                        relu/__pycache__/x.pyc (not in the digest), correct digest
//     torch210-cxx11-rocm71-x86_64-linux rocm, archs ["gfx90a", "gfx942"], LFS .so, correct digest
//     torch211-cxx11-cu130-x86_64-linux  cuda, archs ["9.0", "10.0"], LFS .so; the digest's first
//                                        entry (relu/__init__.py) is deliberately wrong
//     torch210-cxx11-cpu-x86_64-linux    cpu, metadata.json without a digest
//     torch-cuda                         cuda, no archs, Python only, correct digest
//     torch-universal                    Python only, correct digest; backend "cpu" (upstream
//                                        names no backend for universal builds: the fixture's choice)
//                          download_variants holds every variant's files and metadata.json bytes.
// Organisation overviews say trustedKernelPublisher: true for `trusted_orgs`
// (default kernels-community, which has no repositories here: every overview is 404 or false).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/hub/emulator.hpp"
#include "tests/support/process.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/kernel_variant.hpp"

namespace kernels::hub_emulator {

inline constexpr const char* kTestToken = "hf_test_token_0123456789abcdef";

class TestHub {
 public:
  explicit TestHub(std::size_t page_size = 1000, std::set<std::string> trusted_orgs = {"kernels-community"});
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
  std::string relu_pr1;     // refs/pr/1

  // kernels-test/download.
  struct FixtureVariant {
    std::vector<VariantFile> files;  // paths relative to build/<variant>/, metadata.json not included
    std::string metadata;            // the bytes of build/<variant>/metadata.json
  };
  std::string download_commit;                              // main and v1
  std::map<std::string, FixtureVariant> download_variants;  // by variant name

 private:
  std::string root_;
  std::unique_ptr<HubEmulator> emulator_;
};

// A fresh temporary directory (mkdtemp) that is removed by the destructor.
using ScratchDir = test::TempDir;

}  // namespace kernels::hub_emulator
