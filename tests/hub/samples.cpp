#include "tests/hub/samples.hpp"

#include <filesystem>

#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/kernel_variant.hpp"

namespace kernels::hub_emulator {

namespace {

std::string fake_binary(const std::string& name, std::size_t size) {
  std::string out =
      "\x7f"
      "ELF";
  unsigned state = 2166136261u;
  for (char c : name) state = (state ^ static_cast<unsigned char>(c)) * 16777619u;
  while (out.size() < size) {
    state = state * 1103515245u + 12345u;
    out += static_cast<char>(state >> 24);
  }
  return out;
}

std::string backend_of(const std::string& v) {
  if (v.find("-cu") != std::string::npos || v == "torch-cuda") return "cuda";
  if (v.find("-rocm") != std::string::npos) return "rocm";
  return "cpu";
}

// build/<v>/<module>/{__init__.py,_ops.py,_<module>.abi3.so (LFS)} and build/<v>/metadata.json with its digest.
void variant(FixtureRepo& repo, const std::string& v, const std::string& module, int version) {
  std::string dir = module + "/";
  VariantMetadata meta;
  meta.name = module;
  meta.id = "_" + module + "_v" + std::to_string(version);
  meta.version = version;
  meta.backend = backend_of(v);
  if (meta.backend == "cuda") meta.archs = std::vector<std::string>{"8.0", "9.0"};
  write_variant(
      repo, v,
      {{dir + "__init__.py", "from ._ops import ops\n\n__version__ = \"" + std::to_string(version) + "\"\n"},
       {dir + "_ops.py", "import torch\nops = torch.ops._" + module + "\n"},
       {dir + "_" + module + ".abi3.so", fake_binary(v + module + std::to_string(version), 3000 + version), true}},
      meta);
}

}  // namespace

void write_sample_repos(const std::string& root) {
  if (std::filesystem::exists(root + "/kernels-community/relu/HEAD")) return;
  {
    FixtureRepo relu(root, "kernels-community/relu");
    relu.write("README.md", "# relu\n\nA ReLU kernel.\n");
    variant(relu, "torch210-cxx11-cu128-x86_64-linux", "relu", 1);
    variant(relu, "torch-cpu", "relu", 1);
    std::string c1 = relu.commit("main", "First build");
    relu.commit("v1", "Version 1");
    relu.tag("v1.0", c1, true);
    variant(relu, "torch210-cxx11-cu128-x86_64-linux", "relu", 2);
    variant(relu, "torch211-cxx11-cu130-x86_64-linux", "relu", 2);
    relu.commit("main", "Builds for torch 2.11");
    relu.commit("v2", "Version 2");
    relu.write("README.md", "# relu\n\nA ReLU kernel, now with a pull request.\n");
    relu.commit_pull_request(1, "Update README");
  }
  {
    FixtureRepo act(root, "kernels-community/activation");
    act.write("README.md", "# activation\n");
    for (const char* v :
         {"torch210-cxx11-cu126-x86_64-linux", "torch210-cxx11-cu128-x86_64-linux", "torch-universal"}) {
      variant(act, v, "activation", 1);
    }
    act.commit("main");
    act.commit("v1");
  }
  {
    FixtureRepo old(root, "kernels-community/relu-old");
    old.write("README.md", "Moved to kernels-community/relu\n").redirect_to("kernels-community/relu");
    old.commit("main");
  }
  {
    FixtureRepo priv(root, "acme/private-kernel");
    variant(priv, "torch210-cxx11-cu128-x86_64-linux", "secret", 1);
    priv.commit("main");
    priv.commit("v1");
    priv.set_private(true);
  }
}

}  // namespace kernels::hub_emulator
