#include "tests/hub/test_hub.hpp"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>

namespace kernels::hub_emulator {

namespace {

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/kernels-hub-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + templ);
  return templ;
}

// kernels-test/download (see test_hub.hpp).
void write_download_repo(const std::string& root, TestHub& hub) {
  FixtureRepo repo(root, "kernels-test/download");
  repo.write("README.md", "# download fixtures\n");
  struct Spec {
    std::string variant, backend;
    std::optional<std::vector<std::string>> archs;
    bool so;
    DigestKind digest;
    bool pycache;
  };
  const std::vector<Spec> specs = {
      {"torch210-cxx11-cu128-x86_64-linux", "cuda", std::vector<std::string>{"8.0", "9.0"}, true, DigestKind::correct,
       false},
      {"torch210-cxx11-cu126-x86_64-linux", "cuda", std::vector<std::string>{"7.5", "8.0", "8.6"}, true,
       DigestKind::correct, true},
      {"torch210-cxx11-rocm71-x86_64-linux", "rocm", std::vector<std::string>{"gfx90a", "gfx942"}, true,
       DigestKind::correct, false},
      {"torch211-cxx11-cu130-x86_64-linux", "cuda", std::vector<std::string>{"9.0", "10.0"}, true,
       DigestKind::wrong_entry, false},
      {"torch210-cxx11-cpu-x86_64-linux", "cpu", std::nullopt, true, DigestKind::none, false},
      {"torch-cuda", "cuda", std::nullopt, false, DigestKind::correct, false},
      {"torch-universal", "cpu", std::nullopt, false, DigestKind::correct, false},
  };
  unsigned seed = 10;
  for (const auto& spec : specs) {
    std::vector<VariantFile> files = {
        {"relu/__init__.py", "from ._ops import ops\n# " + spec.variant + "\n"},
        {"relu/_ops.py", "import torch\nops = torch.ops._relu_" + std::to_string(seed) + "\n"},
    };
    if (spec.so) files.push_back({"relu/_relu_" + std::to_string(seed) + ".abi3.so", binary(4000 + seed, seed), true});
    if (spec.pycache) files.push_back({"relu/__pycache__/x.pyc", std::string("\x6f\x0d\x0d\x0a", 4) + "bytecode"});
    VariantMetadata meta;
    meta.name = "relu";
    meta.id = "_relu_" + std::to_string(seed);
    meta.backend = spec.backend;
    meta.archs = spec.archs;
    meta.python_depends = spec.backend == "cpu" ? std::vector<std::string>{} : std::vector<std::string>{"einops"};
    meta.digest = spec.digest;
    std::string text = write_variant(repo, spec.variant, files, meta);
    hub.download_variants[spec.variant] = TestHub::FixtureVariant{files, text};
    ++seed;
  }
  hub.download_commit = repo.commit("main", "kernel builds with metadata");
  repo.branch("v1", hub.download_commit);
}

}  // namespace

TestHub::TestHub(std::size_t page_size, std::set<std::string> trusted_orgs) : root_(make_temp_dir()) {
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
    relu.write("README.md", "# relu, PR 1\n");
    relu_pr1 = relu.commit_pull_request(1, "PR 1: README");
  }
  write_download_repo(root_, *this);
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
  options.trusted_orgs = std::move(trusted_orgs);
  emulator_ = std::make_unique<HubEmulator>(options);
  emulator_->start();
}

TestHub::~TestHub() {
  emulator_->stop();
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

}  // namespace kernels::hub_emulator
