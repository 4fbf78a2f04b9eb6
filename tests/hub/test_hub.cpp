#include "tests/hub/test_hub.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace kernels::hub_emulator {

namespace {

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/kernels-hub-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + templ);
  return templ;
}

std::string binary(std::size_t size, unsigned seed) {
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    seed = seed * 1664525u + 1013904223u;
    out += static_cast<char>(seed >> 24);
  }
  return out;
}

}  // namespace

TestHub::TestHub(std::size_t page_size) : root_(make_temp_dir()) {
  const std::string cu128 = "build/torch210-cxx11-cu128-x86_64-linux/relu/";
  {
    FixtureRepo relu(root_, "kernels-test/relu");
    lfs_content = binary(5000, 1);
    relu.write("README.md", "# relu\n")
        .write(cu128 + "__init__.py", "VERSION = 1\n")
        .write_lfs(cu128 + "_relu.so", lfs_content)
        .write("build/torch-cuda/relu/__init__.py", "# noarch cuda\n")
        .write("build/torch-cuda-x/relu/__init__.py", "# sorts first in git\n")
        .write("build/torch-cpu/relu/a file.py", "# a path with a space\n");
    relu_first = relu.commit("main", "first");
    relu.branch("v1", relu_first);
    relu.tag("v1.0", relu_first, true);
    relu.write(cu128 + "__init__.py", "VERSION = 2\n")
        .write_lfs("build/torch211-cxx11-cu130-x86_64-linux/relu/_relu.so", binary(7000, 2))
        .write("build/torch211-cxx11-cu130-x86_64-linux/relu/__init__.py", "VERSION = 2\n");
    relu_second = relu.commit("main", "second");
    relu.branch("v2", relu_second);
    relu.tag("latest", relu_second, false);
  }
  {
    FixtureRepo moved(root_, "kernels-test/moved");
    moved.write("README.md", "moved\n").redirect_to("kernels-test/relu", "v1");
    moved.commit("main");
  }
  {
    FixtureRepo plain(root_, "kernels-test/plain");
    plain.write("README.md", "no versions here\n");
    plain.commit("main");
  }
  for (const char* name : {"kernels-test/private", "kernels-test/gated"}) {
    FixtureRepo repo(root_, name);
    repo.write("build/torch-cpu/k/__init__.py", "secret = True\n");
    repo.commit("main");
    repo.branch("v1", repo.head("main"));
    if (std::string(name) == "kernels-test/private") {
      repo.set_private(true);
    } else {
      repo.set_gated(true);
    }
  }
  EmulatorOptions options;
  options.root = root_;
  options.page_size = page_size;
  options.tokens = {kTestToken};
  options.renames = {{"kernels-test/old-relu", "kernels-test/relu"}};
  emulator_ = std::make_unique<HubEmulator>(options);
  emulator_->start();
}

TestHub::~TestHub() {
  emulator_->stop();
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

}  // namespace kernels::hub_emulator
