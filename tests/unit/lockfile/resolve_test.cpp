#include <catch2/catch.hpp>

#include <atomic>
#include <set>

#include "lockfile/hash.hpp"
#include "lockfile/resolve.hpp"
#include "tests/unit/hub/hub_test_support.hpp"

using kernels::ErrorCode;

using kernels::hub::HubClient;
using kernels::lockfile::Dependency;
using kernels::lockfile::Notice;
using kernels::lockfile::resolve_lock;
using kernels::lockfile::ResolvedKernel;
using kernels::lockfile::ResolveOptions;

namespace {

ResolveOptions jobs(std::size_t n) {
  ResolveOptions o;
  o.jobs = n;
  return o;
}

kernels::hub_emulator::TestHub& hub() {
  static kernels::hub_emulator::TestHub h(3);  // tree pages of 3 entries
  return h;
}

Dependency version(const std::string& repo, std::uint64_t n, const std::string& where = "p:1") {
  return Dependency{repo, n, std::nullopt, where};
}
Dependency revision(const std::string& repo, const std::string& rev, const std::string& where = "p:1") {
  return Dependency{repo, std::nullopt, rev, where};
}

std::vector<std::string> names(const kernels::lockfile::LockedKernel& k) {
  std::vector<std::string> out;
  for (const auto& v : k.variants) out.push_back(v.name);
  return out;
}

}  // namespace

TEST_CASE("resolve_lock: versions, tags and commits, in dependency order whatever the jobs", "[lockfile][resolve]") {
  HubClient client(kernels::hub_test::config_for(hub()));
  for (std::size_t jobs : {1u, 2u, 8u}) {
    INFO(jobs);
    std::atomic<int> calls{0};
    std::atomic<int> inside{0};
    bool overlapped = false;
    ResolveOptions options;
    options.jobs = jobs;
    options.on_resolved = [&](const ResolvedKernel&) {
      if (inside.fetch_add(1) != 0) overlapped = true;
      ++calls;
      inside.fetch_sub(1);
    };
    auto r =
        resolve_lock(client, {revision("kernels-test/relu", "v1.0"), revision("kernels-test/plain", "main")}, options);
    REQUIRE(r.ok());
    CHECK(calls == 2);
    CHECK_FALSE(overlapped);
    REQUIRE(r->lock.kernels.size() == 2);
    CHECK(r->lock.kernels[0].repo_id == "kernels-test/relu");
    CHECK(r->lock.kernels[0].sha == hub().relu_first);
    // Git's tree order (torch-cuda-x before torch-cuda), across pages of 3.
    CHECK(names(r->lock.kernels[0]) ==
          std::vector<std::string>{"torch-cpu", "torch-cuda-x", "torch-cuda", "torch210-cxx11-cu128-x86_64-linux"});
    CHECK(r->lock.kernels[1].repo_id == "kernels-test/plain");
    CHECK(r->lock.kernels[1].variants.empty());
    CHECK(r->kernels[1].dependency.repo_id == "kernels-test/plain");
  }
}

TEST_CASE("resolve_lock: version N is the head of vN, with a note when a newer one exists", "[lockfile][resolve]") {
  HubClient client(kernels::hub_test::config_for(hub()));
  auto r = resolve_lock(client, {version("kernels-test/relu", 1)});
  REQUIRE(r.ok());
  CHECK(r->lock.kernels[0].sha == hub().relu_first);
  CHECK(r->kernels[0].newer_version == 2);
  CHECK(r->notices == std::vector<Notice>{{Notice::Kind::NewerVersion,
                                           "You are using version 1 of 'kernels-test/relu', but version 2 is "
                                           "available."}});
  auto latest = resolve_lock(client, {version("kernels-test/relu", 2)});
  REQUIRE(latest.ok());
  CHECK(latest->lock.kernels[0].sha == hub().relu_second);
  CHECK(latest->notices.empty());
  CHECK(names(latest->lock.kernels[0]).size() == 5);
}

TEST_CASE("resolve_lock: a redirect is followed once and recorded", "[lockfile][resolve]") {
  HubClient client(kernels::hub_test::config_for(hub()));
  auto r = resolve_lock(client, {version("kernels-test/moved", 2, "pyproject.toml:4")});
  REQUIRE(r.ok());
  CHECK(r->lock.kernels[0].repo_id == "kernels-test/relu");
  CHECK(r->lock.kernels[0].sha == hub().relu_second);
  CHECK(r->kernels[0].redirected_from == "kernels-test/moved");
  REQUIRE(r->notices.size() == 1);
  CHECK(r->notices[0].kind == Notice::Kind::Redirect);
  CHECK(r->notices[0].text ==
        "pyproject.toml:4: kernels-test/moved redirects to kernels-test/relu (its kernel-status.toml); the lock "
        "records kernels-test/relu");
}

TEST_CASE("resolve_lock: two dependencies ending at one repo are an error naming both", "[lockfile][resolve]") {
  HubClient client(kernels::hub_test::config_for(hub()));
  auto r =
      resolve_lock(client, {version("kernels-test/relu", 2, "p:2"), version("kernels-test/moved", 2, "p:3")}, jobs(4));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::duplicate);
  CHECK(r.error().message ==
        "Two dependencies lock kernels-test/relu: p:2 (kernels-test/relu) and p:3 (kernels-test/moved, which "
        "redirects there); a lock holds one entry per repo, so keep one of them");
}

TEST_CASE("resolve_lock: every failure is reported, one line each, in dependency order", "[lockfile][resolve]") {
  HubClient client(kernels::hub_test::config_for(hub()), kernels::hub_test::fast_retries());
  auto r = resolve_lock(client,
                        {version("kernels-test/relu", 9, "p:2"), version("kernels-test/plain", 1, "p:3"),
                         revision("kernels-test/relu", "no-such-branch", "p:4")},
                        jobs(3));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::version_not_found);
  auto lines = r.error().message;
  CHECK(lines.find("p:2: kernels-test/relu (version 9): Version 9 not found, available versions: 1, 2\n"
                   "p:3: kernels-test/plain (version 1): ") == 0);
  CHECK(lines.find("\np:4: kernels-test/relu (revision no-such-branch): ") != std::string::npos);
}

TEST_CASE("git_lfs_concat_variants of a hub listing: LFS files count by their sha256, others by blob id (vector V2)",
          "[lockfile][resolve]") {
  using kernels::hub::LfsInfo;
  using kernels::hub::TreeEntry;
  std::string v = "build/torch-cuda/";
  std::vector<TreeEntry> listing{
      TreeEntry{true, "build", "", 0, std::nullopt},
      TreeEntry{false, v + "_relu_cuda_0a1b2c3.abi3.so", "1111111111111111111111111111111111111111", 16,
                LfsInfo{"69aa6b82d3b9e2bc578213ac6f77a0c1959053798cb026b96bac125d878b6766", 16, 130}},
      TreeEntry{false, v + "metadata.json", "0967ef424bce6791893e9a57bb952f80fd536e93", 3, std::nullopt},
      TreeEntry{false, v + "relu/__init__.py", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", 0, std::nullopt},
      TreeEntry{false, v + "relu.py", "7d4290a117a4ddcc11daae7ea675841033830c8f", 6, std::nullopt},
      TreeEntry{false, v + "Relu/README.md", "fd9ab4d7bad5044d5460e3720002c507b7f39045", 7, std::nullopt},
      TreeEntry{false, v + "relu-extra/a.py", "2ae28399f5fda2dfb1b04405f4a3b4895f5fac1e", 5, std::nullopt},
      TreeEntry{false, "build/torch-cpu/__init__.py", "1cec5723464b586acbda5ab039a6248d38255033", 1, std::nullopt},
      TreeEntry{false, "build/torch-cpu/relu/__init__.py", "c8bfb57eafb0455123d2d2720389b13805b3b16f", 1, std::nullopt},
  };
  auto r = kernels::lockfile::git_lfs_concat_variants(kernels::hub::TreeListing::from(listing));
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].name == "torch-cuda");
  CHECK((*r)[0].hash == "sha256-69090d057a84547e7fe6a06b1fc37ae9085b3167fbeb88c304c67da3c38bc406");
  CHECK((*r)[1].name == "torch-cpu");
  CHECK((*r)[1].hash == "sha256-683793b97c71d5454330b912468b7eb58e01c34532564e5b6b62665eee875509");
}
