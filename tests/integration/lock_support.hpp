// Shared by the `kernels lock` integration tests: an emulator serving
// repositories built for locking (tree pages of 4 entries, so every listing
// is paginated), and the expected lock bytes derived by hand from the
// fixture contents (the git_lfs_concat rule of kernels' locking.py,
// computed here with sha256/git-blob helpers, not with lockfile/).
//
//   org/alpha   main: first (c1) then second (c2); v1 = c1, v2 = c2; tag
//               "release" (annotated) = c1. c1: variants torch-cpu, torch-cuda
//               (an LFS .so). c2 adds torch211-cxx11-cu130-x86_64-linux and
//               changes torch-cpu.
//   org/beta    v1: one variant with bytecode (.pyc, __pycache__/) that is not
//               hashed, a tvm-ffi variant that is not locked, and a README.
//   org/moved   kernel-status.toml -> org/alpha (no versions of its own)
//   org/secret  private (token kLockToken), v1
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/hub/emulator.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/test_hub.hpp"
#include "tests/support/process.hpp"

namespace kernels::lock_test {

inline constexpr const char* kLockToken = "hf_lock_test_token_0123456789";

struct File {
  std::string path;  // inside the variant
  std::string content;
  bool lfs = false;
};
using Variant = std::pair<std::string, std::vector<File>>;  // name, files

inline std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

// git_lfs_concat: sha256 over the files sorted by path bytes, path then raw
// hash (LFS sha256 or git blob sha1), no separators.
inline std::string expected_hash(std::vector<File> files) {
  std::sort(files.begin(), files.end(), [](const File& a, const File& b) { return a.path < b.path; });
  std::string bytes;
  for (const auto& f : files) {
    bytes += f.path;
    bytes += unhex(f.lfs ? hub_emulator::sha256_hex(f.content) : hub_emulator::git_blob_oid(f.content));
  }
  return "sha256-" + hub_emulator::sha256_hex(bytes);
}

// One kernels.lock entry as Python's json.dump(indent=2) writes it.
inline std::string expected_entry(const std::string& repo, const std::string& sha,
                                  const std::vector<std::pair<std::string, std::string>>& variants) {
  std::string out = "  {\n    \"repo_id\": \"" + repo + "\",\n    \"sha\": \"" + sha + "\",\n    \"variants\": {";
  for (std::size_t i = 0; i < variants.size(); ++i) {
    out += (i == 0 ? "\n" : ",\n");
    out += "      \"" + variants[i].first + "\": {\n        \"hash\": \"" + variants[i].second +
           "\",\n        \"hash_type\": \"git_lfs_concat\"\n      }";
  }
  out += variants.empty() ? "}\n  }" : "\n    }\n  }";
  return out;
}

inline std::string expected_lock(const std::vector<std::string>& entries) {
  if (entries.empty()) return "[]";
  std::string out = "[\n";
  for (std::size_t i = 0; i < entries.size(); ++i) out += entries[i] + (i + 1 < entries.size() ? ",\n" : "\n");
  return out + "]";
}

class LockHub {
 public:
  LockHub() {
    alpha_c1 = {{"torch-cpu", {{"alpha/__init__.py", "from ._ops import ops\n"}, {"alpha/_ops.py", "ops = 1\n"}}},
                {"torch-cuda",
                 {{"alpha/__init__.py", "from ._ops import ops\n"},
                  {"_alpha.abi3.so",
                   "\x7f"
                   "ELF-cuda-1",
                   true}}}};
    alpha_c2 = {
        {"torch-cpu", {{"alpha/__init__.py", "from ._ops import ops\n"}, {"alpha/_ops.py", "ops = 2\n"}}},
        alpha_c1[1],
        {"torch211-cxx11-cu130-x86_64-linux", {{"alpha/__init__.py", "x\n"}, {"_alpha.abi3.so", "ELF-130", true}}}};
    beta_v1 = {{"torch-universal", {{"beta/__init__.py", "import beta\n"}, {"beta/layers.py", "class L: pass\n"}}}};
    {
      hub_emulator::FixtureRepo alpha(scratch_.path(), "org/alpha");
      write(alpha, alpha_c1);
      alpha.write("README.md", "# alpha\n");
      alpha_first = alpha.commit("main", "first");
      alpha.branch("v1", alpha_first);
      alpha.tag("release", alpha_first, true);
      alpha.clear();
      write(alpha, alpha_c2);
      alpha.write("README.md", "# alpha\n");
      alpha_second = alpha.commit("main", "second");
      alpha.branch("v2", alpha_second);
    }
    {
      hub_emulator::FixtureRepo beta(scratch_.path(), "org/beta");
      write(beta, beta_v1);
      beta.write("build/torch-universal/beta/__pycache__/layers.cpython-311.pyc", "bytecode")
          .write("build/torch-universal/beta/layers.cpython-311.pyc", "bytecode")
          .write("build/tvm-ffi01-cu128-x86_64-linux/beta/__init__.py", "tvm\n")
          .write("README.md", "# beta\n");
      beta_first = beta.commit("main");
      beta.branch("v1", beta_first);
    }
    {
      hub_emulator::FixtureRepo moved(scratch_.path(), "org/moved");
      moved.write("README.md", "moved\n").redirect_to("org/alpha");
      moved.commit("main");
    }
    {
      hub_emulator::FixtureRepo secret(scratch_.path(), "org/secret");
      write(secret, beta_v1);
      secret_first = secret.commit("main");
      secret.branch("v1", secret_first);
      secret.set_private(true);
    }
    hub_emulator::EmulatorOptions options;
    options.root = scratch_.path();
    options.page_size = 4;
    options.tokens = {kLockToken};
    emulator = std::make_unique<hub_emulator::HubEmulator>(options);
    emulator->start();
  }
  ~LockHub() { emulator->stop(); }

  std::string endpoint() const { return emulator->endpoint(); }

  static std::vector<std::pair<std::string, std::string>> hashes(const std::vector<Variant>& variants) {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(variants.size());
    for (const auto& [name, files] : variants) out.emplace_back(name, expected_hash(files));
    return out;
  }

  std::vector<Variant> alpha_c1, alpha_c2, beta_v1;
  std::string alpha_first, alpha_second, beta_first, secret_first;
  std::unique_ptr<hub_emulator::HubEmulator> emulator;

 private:
  static void write(hub_emulator::FixtureRepo& repo, const std::vector<Variant>& variants) {
    for (const auto& [name, files] : variants) {
      for (const auto& f : files) {
        std::string path = "build/" + name + "/" + f.path;
        if (f.lfs) {
          repo.write_lfs(path, f.content);
        } else {
          repo.write(path, f.content);
        }
      }
    }
  }

  hub_emulator::ScratchDir scratch_;
};

inline LockHub& lock_hub() {
  static LockHub hub;
  return hub;
}

// The environment for `kernels lock` against lock_hub(), with a scratch HF_HOME.
inline test::RunOptions lock_env(const std::string& hf_home, std::map<std::string, std::string> extra = {}) {
  test::RunOptions o;
  o.env = std::move(extra);
  o.env["HF_ENDPOINT"] = lock_hub().endpoint();
  o.env["HF_HOME"] = hf_home;
  return o;
}

}  // namespace kernels::lock_test
