// Lock logic without HTTP: resolve_lock over a CacheSource, on Hugging Face
// caches written by hand (tests/support/hf_cache_fixture.hpp, independent
// of hub/cache_writer). What the emulator tests check through the Hub,
// checked here through the RepoSource seam alone.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hub/cache_source.hpp"
#include "lockfile/resolve.hpp"
#include "tests/support/hf_cache_fixture.hpp"
#include "tests/support/process.hpp"

using kernels::ErrorCode;
using kernels::hub::CacheSource;
using kernels::hub::HubConfig;
using kernels::lockfile::Dependency;
using kernels::lockfile::LockFormat;
using kernels::lockfile::Notice;
using kernels::lockfile::resolve_lock;
using kernels::lockfile::ResolveOptions;
using kernels::test::FixtureFile;
using kernels::test::HfCacheFixture;

namespace {

const std::string kOne(40, '1');
const std::string kTwo(40, '2');
const std::string kThree(40, '3');

HubConfig config_at(const std::string& root) {
  HubConfig c;
  c.hub_cache = root;
  c.kernels_cache = root;
  c.offline = true;
  return c;
}

Dependency version(const std::string& repo, std::uint64_t n, const std::string& where = "p:1") {
  return Dependency{repo, n, std::nullopt, where};
}

ResolveOptions kernels_data() {
  ResolveOptions o;
  o.format = LockFormat::KernelsData;
  return o;
}

// A metadata.json with the given kernel-depends ({"repo-id": ..., "version": N} each).
std::string metadata(const std::vector<std::pair<std::string, int>>& depends) {
  std::string deps;
  for (std::size_t i = 0; i < depends.size(); ++i) {
    deps += std::string(i ? ", " : "") + "{\"repo-id\": \"" + depends[i].first +
            "\", \"version\": " + std::to_string(depends[i].second) + "}";
  }
  return "{\n  \"name\": \"k\",\n  \"version\": 1,\n  \"license\": \"apache-2.0\",\n  \"python-depends\": [],\n"
         "  \"kernel-depends\": [" +
         deps + "],\n  \"backend\": {\"type\": \"cpu\"}\n}\n";
}

// One commit of `repo` in the cache: its files as snapshot links, its
// complete listing, and kernel-status.toml (a file when `status` is given,
// else marked as absent).
void add_commit(const HfCacheFixture& cache, const std::string& repo, const std::string& sha,
                std::vector<FixtureFile> files, const std::string& status = "") {
  if (!status.empty()) files.push_back({"kernel-status.toml", status, false});
  for (const auto& f : files) cache.add_file(repo, sha, f);
  cache.add_tree_listing(repo, sha, files);
  if (status.empty()) cache.mark_missing(repo, sha, "kernel-status.toml");
}

std::vector<FixtureFile> variant(const std::string& name, const std::string& body) {
  return {{"build/" + name + "/__init__.py", body, false}, {"build/" + name + "/_ops.so", body + "-so", true}};
}

}  // namespace

TEST_CASE("resolve_lock over a cache: version N is the head of vN, the hash is git_lfs_concat",
          "[lockfile][resolve][seam]") {
  kernels::test::TempDir tmp;
  HfCacheFixture cache(tmp.path() + "/hub");
  add_commit(cache, "org/relu", kOne, variant("torch-cpu", "one"));
  add_commit(cache, "org/relu", kTwo, variant("torch-cpu", "two"));
  cache.add_ref("org/relu", "main", kTwo);
  cache.add_ref("org/relu", "v1", kOne);
  cache.add_ref("org/relu", "v2", kTwo);
  CacheSource source(config_at(cache.root()));

  auto r = resolve_lock(source, {version("org/relu", 1)});
  INFO((r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  REQUIRE(r->lock.kernels.size() == 1);
  const auto& k = r->lock.kernels[0];
  CHECK(k.repo_id == "org/relu");
  CHECK(k.sha == kOne);
  REQUIRE(k.variants.size() == 1);
  CHECK(k.variants[0].name == "torch-cpu");
  CHECK(k.variants[0].hash ==
        kernels::test::fixture_lock_hash({{"__init__.py", "one", false}, {"_ops.so", "one-so", true}}));
  CHECK(r->kernels[0].newer_version == 2);
  CHECK(r->notices == std::vector<Notice>{{Notice::Kind::NewerVersion,
                                           "You are using version 1 of 'org/relu', but version 2 is available."}});

  auto latest = resolve_lock(source, {version("org/relu", 2)});
  REQUIRE(latest.ok());
  CHECK(latest->lock.kernels[0].sha == kTwo);
  CHECK(latest->notices.empty());

  // Offline, a version the cached refs lack is a cache miss, not proof that
  // the repository has no such version.
  auto missing = resolve_lock(source, {version("org/relu", 3)});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::offline);
  CHECK(missing.error().message.find("version 3 of org/relu is not in the cache (cached versions: 1, 2)") !=
        std::string::npos);
}

TEST_CASE("resolve_lock over a cache: a redirect is followed once, and two roads to one repo are refused",
          "[lockfile][resolve][seam]") {
  kernels::test::TempDir tmp;
  HfCacheFixture cache(tmp.path() + "/hub");
  add_commit(cache, "org/old", kOne, {}, "kind = \"redirect\"\ndestination = \"org/new\"\n");
  cache.add_ref("org/old", "main", kOne);
  add_commit(cache, "org/new", kTwo, variant("torch-cpu", "new"));
  cache.add_ref("org/new", "main", kTwo);
  cache.add_ref("org/new", "v1", kTwo);
  CacheSource source(config_at(cache.root()));

  auto r = resolve_lock(source, {version("org/old", 1, "pyproject.toml:4")});
  INFO((r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  CHECK(r->lock.kernels[0].repo_id == "org/new");
  CHECK(r->lock.kernels[0].sha == kTwo);
  CHECK(r->kernels[0].redirected_from == "org/old");
  REQUIRE(r->notices.size() == 1);
  CHECK(r->notices[0].text ==
        "pyproject.toml:4: org/old redirects to org/new (its kernel-status.toml); the lock records org/new");

  auto both = resolve_lock(source, {version("org/new", 1, "p:2"), version("org/old", 1, "p:3")});
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().code == ErrorCode::duplicate);
  CHECK(both.error().message.find("Two dependencies lock org/new: p:2 (org/new) and p:3 (org/old") == 0);
}

TEST_CASE("resolve_lock over a cache: kernels-data follows kernel-depends and refuses a cycle",
          "[lockfile][resolve][seam]") {
  kernels::test::TempDir tmp;
  HfCacheFixture cache(tmp.path() + "/hub");
  auto with_depends = [](const std::vector<std::pair<std::string, int>>& depends) {
    auto files = variant("torch-cpu", "k");
    files.push_back({"build/torch-cpu/metadata.json", metadata(depends), false});
    return files;
  };
  // a -> b; x -> y -> x.
  for (const auto& [repo, sha, depends] :
       std::vector<std::tuple<std::string, std::string, std::vector<std::pair<std::string, int>>>>{
           {"dep/a", kOne, {{"dep/b", 1}}},
           {"dep/b", kTwo, {}},
           {"dep/x", kOne, {{"dep/y", 1}}},
           {"dep/y", kThree, {{"dep/x", 1}}}}) {
    add_commit(cache, repo, sha, with_depends(depends));
    cache.add_ref(repo, "v1", sha);
  }
  CacheSource source(config_at(cache.root()));

  auto chain = resolve_lock(source, {version("dep/a", 1)}, kernels_data());
  INFO((chain.ok() ? "" : chain.error().message));
  REQUIRE(chain.ok());
  REQUIRE(chain->lock.kernels.size() == 2);
  CHECK(chain->lock.kernels[0].repo_id == "dep/a");
  CHECK(chain->lock.kernels[1].repo_id == "dep/b");
  CHECK(chain->lock.kernels[1].sha == kTwo);
  REQUIRE(chain->kernels.size() == 2);
  CHECK(chain->kernels[1].required_by == "dep/a (version 1)");

  auto cycle = resolve_lock(source, {version("dep/x", 1)}, kernels_data());
  REQUIRE_FALSE(cycle.ok());
  CHECK(cycle.error().code == ErrorCode::cycle);
  CHECK(cycle.error().message.find("Cyclic kernel dependency detected: dep/x") == 0);
  CHECK(cycle.error().message.find("dep/x (version 1) -> dep/y (version 1) -> dep/x (version 1)") != std::string::npos);
}

TEST_CASE("resolve_lock over a cache: what the cache lacks is named, and a pinned commit needs no refs",
          "[lockfile][resolve][seam]") {
  kernels::test::TempDir tmp;
  HfCacheFixture cache(tmp.path() + "/hub");
  // A snapshot without its complete listing: which variants it has is unknown.
  for (const auto& f : variant("torch-cpu", "partial")) cache.add_file("org/partial", kOne, f);
  cache.mark_missing("org/partial", kOne, "kernel-status.toml");
  cache.add_ref("org/partial", "main", kOne);
  cache.add_ref("org/partial", "v1", kOne);
  // No kernel-status.toml seen at all: whether it redirects is unknown.
  add_commit(cache, "org/unchecked", kTwo, variant("torch-cpu", "u"));
  std::filesystem::remove_all(cache.repo_dir("org/unchecked") + "/.no_exist");
  cache.add_ref("org/unchecked", "main", kTwo);
  CacheSource source(config_at(cache.root()));

  auto partial = resolve_lock(source, {version("org/partial", 1)});
  REQUIRE_FALSE(partial.ok());
  CHECK(partial.error().code == ErrorCode::offline);
  CHECK(partial.error().message.find("no complete listing of that commit (trees/" + kOne + ".json)") !=
        std::string::npos);

  auto unchecked = resolve_lock(source, {version("org/unchecked", 1)});
  REQUIRE_FALSE(unchecked.ok());
  CHECK(unchecked.error().code == ErrorCode::offline);
  CHECK(unchecked.error().message.find("cannot tell offline whether org/unchecked redirects") != std::string::npos);

  // Pinned (what --update keeps): no vN ref is needed, the listing is.
  add_commit(cache, "org/pinned", kThree, variant("torch-cpu", "p"));
  cache.add_ref("org/pinned", "main", kThree);
  ResolveOptions pinned;
  pinned.pinned = [](const std::string&, const Dependency&) { return std::optional<std::string>(kThree); };
  auto r = resolve_lock(source, {version("org/pinned", 7)}, pinned);
  INFO((r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  CHECK(r->lock.kernels[0].sha == kThree);
  CHECK(r->kernels[0].pinned);
  CHECK_FALSE(r->kernels[0].newer_version);
}

TEST_CASE("CacheSource: refs, revisions and files from the cache, nothing written", "[hub][seam]") {
  kernels::test::TempDir tmp;
  HfCacheFixture cache(tmp.path() + "/hub");
  add_commit(cache, "org/k", kOne, {{"README.md", "hello", false}});
  cache.add_ref("org/k", "main", kOne);
  CacheSource source(config_at(cache.root()));
  CHECK(source.offline());

  auto refs = source.list_refs("org/k");
  REQUIRE(refs.ok());
  REQUIRE(refs->branches.size() == 1);
  CHECK(refs->branches[0].name == "main");
  CHECK(refs->branches[0].target_commit == kOne);
  CHECK(source.list_refs("org/none").error().code == ErrorCode::offline);

  auto info = source.repo_info("org/k", "");
  REQUIRE(info.ok());
  CHECK(info->sha == kOne);
  CHECK(info->author == "org");

  auto readme = source.cached_file("org/k", kOne, "README.md", 1024);
  REQUIRE(readme.ok());
  CHECK(*readme == "hello");
  CHECK(source.cached_file("org/k", kOne, "../escape", 1024).error().code == ErrorCode::bad_path);
  CHECK(source.cached_file("org/k", "main", "README.md", 1024).error().code == ErrorCode::usage);
  auto absent = source.cached_file("org/k", kOne, "LICENSE", 1024);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().code == ErrorCode::offline);
  CHECK(absent.error().message.find("kernels--org--k/snapshots/" + kOne + "/LICENSE") != std::string::npos);

  CHECK(source.kernel_status("org/k", "main").ok());
  CHECK_FALSE(source.kernel_status("org/k", "main")->has_value());

  CHECK(source.record_ref("org/k", "v9", kOne).ok());
  CHECK_FALSE(std::filesystem::exists(cache.repo_dir("org/k") + "/refs/v9"));
}
