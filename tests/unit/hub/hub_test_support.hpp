// Helpers for the Hub client tests: a client configured for a TestHub, and
// what git itself says about a fixture (the independent expectation).
#pragma once

#include <map>
#include <string>

#include "hub/client.hpp"
#include "tests/hub/git_store.hpp"
#include "tests/hub/test_hub.hpp"

namespace kernels::hub_test {

// `cache` "" (the default): no cache at all, so nothing is read from one and
// nothing recorded into one (online calls such as kernel_status record what
// they saw into config.kernels_cache when there is one).
inline hub::HubConfig config_for(const hub_emulator::TestHub& hub, const std::string& token = "",
                                 const std::string& cache = "") {
  hub::HubConfig c;
  c.endpoint = hub.endpoint();
  if (!token.empty()) c.token = token;
  c.hub_cache = cache;
  c.kernels_cache = cache;
  c.user_agent = "kernels-cli/test; file_type/kernel";
  return c;
}

inline hub::RetryPolicy fast_retries(int max_retries = 3) {
  hub::RetryPolicy p;
  p.max_retries = max_retries;
  p.base_delay = std::chrono::milliseconds(1);
  p.max_delay = std::chrono::milliseconds(4);
  p.deadline = std::chrono::milliseconds(10000);
  return p;
}

struct GitBlob {
  std::string oid;
  std::uint64_t size = 0;
};

// `git ls-tree -r -l <commit>`: path → blob oid and size.
inline std::map<std::string, GitBlob> git_ls_tree(const std::string& git_dir, const std::string& commit) {
  auto r = hub_emulator::run_capture({"git", "--git-dir=" + git_dir, "ls-tree", "-r", "-l", commit});
  std::map<std::string, GitBlob> out;
  std::size_t pos = 0;
  while (pos < r.out.size()) {
    auto nl = r.out.find('\n', pos);
    std::string line = r.out.substr(pos, nl - pos);
    pos = nl == std::string::npos ? r.out.size() : nl + 1;
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    // "<mode> blob <oid> <size>"
    std::string meta = line.substr(0, tab);
    auto oid_at = meta.find(' ', meta.find(' ') + 1) + 1;
    std::string oid = meta.substr(oid_at, 40);
    std::string size = meta.substr(oid_at + 40);
    size.erase(0, size.find_first_not_of(' '));
    out[line.substr(tab + 1)] = GitBlob{oid, std::stoull(size)};
  }
  return out;
}

// `sha256sum FILE` → the hex digest.
inline std::string sha256sum(const std::string& path) {
  auto r = hub_emulator::run_capture({"sha256sum", path});
  return r.out.substr(0, 64);
}

}  // namespace kernels::hub_test
