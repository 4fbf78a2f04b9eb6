#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "hub/cache_writer.hpp"
#include "tests/unit/hub/hub_test_support.hpp"
#include "util/file.hpp"

using namespace kernels;
using namespace kernels::hub;
namespace fs = std::filesystem;

namespace {

const std::string kCommit = "3333333333333333333333333333333333333333";
const std::string kBlob = "9f1b437537a2acdadafd3174f6f0af9c1a04f5e4";
const std::string kLfs = "9be78edb5b928eba33aa88f431551348f7466ba9f5ef3daf1d552398722a5436";

void put(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A cache written as huggingface_hub writes it, by hand.
void make_cache(const std::string& root) {
  std::string repo = root + "/kernels--org--k";
  put(repo + "/refs/main", kCommit);
  put(repo + "/refs/v1", kCommit);
  put(repo + "/blobs/" + kBlob, "import torch\n");
  put(repo + "/blobs/" + kLfs, std::string(1000, '\0'));
  put(repo + "/blobs/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "kind = \"redirect\"\ndestination = \"org/new\"\n");
  std::string snap = repo + "/snapshots/" + kCommit;
  fs::create_directories(snap + "/build/torch-cpu");
  fs::create_symlink("../../../../blobs/" + kBlob, snap + "/build/torch-cpu/__init__.py");
  fs::create_symlink("../../../../blobs/" + kLfs, snap + "/build/torch-cpu/_k.so");
  fs::create_symlink("../../blobs/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", snap + "/kernel-status.toml");
}

HubConfig offline_config(const std::string& cache) {
  HubConfig c;
  c.endpoint = "http://127.0.0.1:1";  // nothing listens: any request would fail
  c.offline = true;
  c.hub_cache = cache;
  c.kernels_cache = cache;
  c.user_agent = "test";
  return c;
}

}  // namespace

TEST_CASE("offline: refs, info, tree, metadata and files come from the cache without a request", "[hub][offline]") {
  hub_emulator::ScratchDir dir;
  make_cache(dir.path());
  HubClient client(offline_config(dir.path()));
  auto refs = client.list_refs("org/k");
  REQUIRE(refs.ok());
  REQUIRE(refs->branches.size() == 2);
  CHECK(refs->branches[1].name == "v1");
  CHECK(refs->branches[1].target_commit == kCommit);
  CHECK(client.repo_info("org/k", "v1")->sha == kCommit);
  auto tree = client.list_tree("org/k", "v1");
  REQUIRE(tree.ok());
  std::vector<std::string> paths;
  for (const auto& e : *tree) paths.emplace_back(e.path);
  CHECK(paths == std::vector<std::string>{"build", "build/torch-cpu", "build/torch-cpu/__init__.py",
                                          "build/torch-cpu/_k.so", "kernel-status.toml"});
  CHECK((*tree)[2].oid == kBlob);
  REQUIRE((*tree)[3].lfs);
  CHECK((*tree)[3].lfs->oid == kLfs);
  CHECK((*tree)[3].size == 1000);
  auto build = client.list_tree("org/k", "main", "build", false);
  REQUIRE(build.ok());
  REQUIRE(build->size() == 1);
  CHECK((*build)[0].path == "build/torch-cpu");
  CHECK((*build)[0].is_directory);
  auto meta = client.file_metadata("org/k", "main", "build/torch-cpu/_k.so");
  REQUIRE(meta.ok());
  CHECK(meta->etag == kLfs);
  CHECK(*client.download("org/k", "main", "build/torch-cpu/__init__.py") == "import torch\n");
  auto status = client.kernel_status("org/k");
  REQUIRE(status.ok());
  REQUIRE(*status);
  CHECK((*status)->destination == "org/new");
  CHECK(client.request_count() == 0);
}

TEST_CASE("offline: what is missing is named exactly", "[hub][offline]") {
  hub_emulator::ScratchDir dir;
  make_cache(dir.path());
  HubClient client(offline_config(dir.path()));
  auto refs = client.list_refs("org/other");
  REQUIRE_FALSE(refs.ok());
  CHECK(refs.error().code == ErrorCode::offline);
  CHECK(refs.error().message.find("no cached refs for org/other") != std::string::npos);
  CHECK(refs.error().message.find(dir.path()) != std::string::npos);
  auto rev = client.repo_info("org/k", "v2");
  REQUIRE_FALSE(rev.ok());
  CHECK(rev.error().message.find("kernels--org--k/refs/v2") != std::string::npos);
  auto file = client.download("org/k", "main", "README.md");
  REQUIRE_FALSE(file.ok());
  CHECK(file.error().message.find("README.md is not in the cached snapshot of org/k") != std::string::npos);
  CHECK(client.request_count() == 0);
}

// ---------------------------------------------------------------- what online calls record, read back offline

namespace {

hub_emulator::TestHub& recording_hub() {
  static hub_emulator::TestHub hub;
  return hub;
}

HubConfig online_config(hub_emulator::TestHub& hub, const std::string& cache) {
  return kernels::hub_test::config_for(hub, "", cache);
}

HubConfig offline_config_for(hub_emulator::TestHub& hub, const std::string& cache) {
  HubConfig c = kernels::hub_test::config_for(hub, "", cache);
  c.offline = true;
  return c;
}

std::string slurp(const std::string& path) {
  auto text = kernels::read_file(path);
  return text.ok() ? *text : "<unreadable: " + text.error().message + ">";
}

std::size_t index_of(const TreeListing& entries, const std::string& path) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].path == path) return i;
  }
  return entries.size();
}

const std::string kRelu = "kernels-test/relu";
const std::string kReluFolder = "/kernels--kernels-test--relu";
const std::string kLfsFile = "build/torch210-cxx11-cu128-x86_64-linux/relu/_relu.so";

}  // namespace

TEST_CASE("list_commit_tree: online records trees/<commit>.json, offline gives back the same listing",
          "[hub][offline][tree]") {
  auto& hub = recording_hub();
  hub_emulator::ScratchDir cache;
  HubClient online(online_config(hub, cache.path()));
  for (const std::string& commit : {hub.relu_first, hub.relu_second}) {
    INFO(commit);
    auto listed = online.list_commit_tree(kRelu, commit);
    REQUIRE(listed.ok());
    // The same as the plain online listing, and recorded.
    auto plain = online.list_tree(kRelu, commit, "", true);
    REQUIRE(plain.ok());
    REQUIRE(listed->size() == plain->size());
    std::string record = cache.path() + kReluFolder + "/trees/" + commit + ".json";
    REQUIRE(fs::is_regular_file(record));
    CHECK(slurp(record) == tree_cache_json(*listed));

    // The fixture is one where git's order is not plain sorted order:
    // build/torch-cuda-x (and its files) come before build/torch-cuda.
    std::size_t cuda = index_of(*listed, "build/torch-cuda"), cuda_x = index_of(*listed, "build/torch-cuda-x");
    REQUIRE(cuda < listed->size());
    REQUIRE(cuda_x < listed->size());
    CHECK(cuda_x < cuda);
    std::vector<std::string> paths;
    for (const auto& e : *listed) paths.emplace_back(e.path);
    CHECK_FALSE(std::is_sorted(paths.begin(), paths.end()));
    REQUIRE(index_of(*listed, kLfsFile) < listed->size());
    REQUIRE((*listed)[index_of(*listed, kLfsFile)].lfs);

    HubClient offline(offline_config_for(hub, cache.path()));
    auto back = offline.list_commit_tree(kRelu, commit);
    REQUIRE(back.ok());
    CHECK(offline.request_count() == 0);
    REQUIRE(back->size() == listed->size());
    for (std::size_t i = 0; i < back->size(); ++i) {
      const TreeEntryView want = (*listed)[i];
      const TreeEntryView got = (*back)[i];
      INFO(i << ": " << want.path);
      CHECK(got.path == want.path);
      CHECK(got.is_directory == want.is_directory);
      CHECK(got.size == want.size);
      if (want.is_directory) continue;  // a folder's tree oid is not in the record
      CHECK(got.oid == want.oid.str());
      CHECK(got.content_hash() == want.content_hash().str());
      REQUIRE(got.lfs.has_value() == want.lfs.has_value());
      if (want.lfs) {
        CHECK(got.lfs->oid == want.lfs->oid.str());
        CHECK(got.lfs->size == want.lfs->size);
      }
    }
  }
  // Folders are emitted before what they hold.
  HubClient offline(offline_config_for(hub, cache.path()));
  auto back = offline.list_commit_tree(kRelu, hub.relu_second);
  REQUIRE(back.ok());
  CHECK(index_of(*back, "build") < index_of(*back, "build/torch-cuda"));
  CHECK(index_of(*back, "build/torch-cuda") < index_of(*back, "build/torch-cuda/relu"));
}

TEST_CASE("list_commit_tree: an unwritable cache does not fail the online call", "[hub][offline][tree]") {
  auto& hub = recording_hub();
  hub_emulator::ScratchDir dir;
  std::string not_a_dir = dir.write("cache", "a file where the cache should be");
  HubClient online(online_config(hub, not_a_dir));
  auto listed = online.list_commit_tree(kRelu, hub.relu_first);
  REQUIRE(listed.ok());
  CHECK(index_of(*listed, kLfsFile) < listed->size());
  CHECK(slurp(not_a_dir) == "a file where the cache should be");
  auto bad = online.list_commit_tree(kRelu, "main");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::usage);
}

TEST_CASE("list_commit_tree offline: without a record it fails, naming what the cache lacks", "[hub][offline][tree]") {
  hub_emulator::ScratchDir dir;
  make_cache(dir.path());
  HubClient client(offline_config(dir.path()));
  auto listed = client.list_commit_tree("org/k", kCommit);
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().code == ErrorCode::offline);
  const std::string& m = listed.error().message;
  CHECK_THAT(m, Catch::Contains("the snapshot of org/k at " + kCommit.substr(0, 12) + " holds 3 files"));
  CHECK_THAT(m, Catch::Contains("no complete listing of that commit (trees/" + kCommit + ".json) is in the cache"));
  CHECK_THAT(m, Catch::Contains("which files and variants it has is unknown offline"));
  CHECK_THAT(m, Catch::Contains("run `kernels lock` or `kernels download --all-variants` once online"));
  // list_tree still answers from what the snapshot holds (other commands rely on it).
  auto snapshot = client.list_tree("org/k", kCommit);
  REQUIRE(snapshot.ok());
  CHECK(snapshot->size() == 5);

  const std::string other(40, '4');
  auto none = client.list_commit_tree("org/k", other);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::offline);
  CHECK_THAT(none.error().message, Catch::Contains("holds no snapshot of org/k at " + other.substr(0, 12)));
  auto absent = client.list_commit_tree("org/absent", kCommit);
  REQUIRE_FALSE(absent.ok());
  CHECK_THAT(absent.error().message, Catch::Contains("org/absent"));
  CHECK(client.request_count() == 0);
}

TEST_CASE("list_commit_tree offline: a corrupt record is no listing, and says why", "[hub][offline][tree]") {
  hub_emulator::ScratchDir dir;
  make_cache(dir.path());
  std::string record = dir.path() + "/kernels--org--k/trees/" + kCommit + ".json";
  const std::string good =
      "{\"format_version\": 1, \"files\": {\"build/torch-cpu/__init__.py\": {\"size\": 13, \"blob_id\": \"" + kBlob +
      "\"}}}";
  struct Case {
    std::string text, reason;
  };
  for (const Case& c :
       {Case{"{\"format_version\": 1, \"files\": {", "not valid JSON"},
        Case{"{\"format_version\": 2, \"files\": {}}", "format_version 2 is not 1"},
        Case{"{\"format_version\": 1, \"files\": []}", "no \"files\" object"},
        Case{"{\"format_version\": 1, \"files\": {\"a\": {\"size\": \"12\", \"blob_id\": \"" + kBlob + "\"}}}",
             "no whole-number \"size\""},
        Case{"{\"format_version\": 1, \"files\": {\"../../x\": {\"size\": 1, \"blob_id\": \"" + kBlob + "\"}}}",
             "\"..\" component"},
        Case{"[" + std::string(100, '[') + std::string(101, ']'), "deeper than"}}) {
    INFO(c.text);
    put(record, c.text);
    HubClient client(offline_config(dir.path()));
    auto listed = client.list_commit_tree("org/k", kCommit);
    REQUIRE_FALSE(listed.ok());
    CHECK(listed.error().code == ErrorCode::offline);
    CHECK_THAT(listed.error().message, Catch::Contains("no usable complete listing"));
    CHECK_THAT(listed.error().message, Catch::Contains(record));
    CHECK_THAT(listed.error().message, Catch::Contains(c.reason));
  }
  put(record, good);
  HubClient client(offline_config(dir.path()));
  auto listed = client.list_commit_tree("org/k", kCommit);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 3);  // build, build/torch-cpu, the file: the record, not the snapshot's 3 files
  CHECK((*listed)[2].oid == kBlob);
  CHECK((*listed)[2].size == 13);
}

TEST_CASE("record_ref writes refs/<ref> as huggingface_hub does, offline finds the version", "[hub][offline][refs]") {
  auto& hub = recording_hub();
  hub_emulator::ScratchDir cache;
  HubClient online(online_config(hub, cache.path()));
  std::string ref = cache.path() + "/kernels--org--k/refs/v3";
  REQUIRE(online.record_ref("org/k", "v3", kCommit).ok());
  CHECK(slurp(ref) == kCommit);  // no trailing newline
  struct stat before {};
  REQUIRE(::stat(ref.c_str(), &before) == 0);
  REQUIRE(online.record_ref("org/k", "v3", kCommit).ok());
  struct stat same {};
  REQUIRE(::stat(ref.c_str(), &same) == 0);
  CHECK(same.st_ino == before.st_ino);  // equal: left untouched
  const std::string other(40, '5');
  REQUIRE(online.record_ref("org/k", "v3", other).ok());
  CHECK(slurp(ref) == other);
  REQUIRE(online.record_ref("org/k", "refs/pr/2", other).ok());
  CHECK(slurp(cache.path() + "/kernels--org--k/refs/refs/pr/2") == other);
  CHECK(online.record_ref("org/k", other, other).ok());  // a commit is no ref name: nothing written
  CHECK_FALSE(fs::exists(cache.path() + "/kernels--org--k/refs/" + other));
  auto escape = online.record_ref("org/k", "../../../x", kCommit);
  REQUIRE_FALSE(escape.ok());
  CHECK(escape.error().code == ErrorCode::bad_path);
  CHECK_FALSE(online.record_ref("org/k", "v4", "not-a-commit").ok());
  CHECK(online.request_count() == 0);

  HubClient offline(offline_config_for(hub, cache.path()));
  CHECK(offline.repo_info("org/k", "v3")->sha == other);
  auto branches = offline.list_refs("org/k");
  REQUIRE(branches.ok());
  REQUIRE(branches->branches.size() == 1);  // the temporaries of the writes are gone
  CHECK(branches->branches[0].name == "v3");
  REQUIRE(offline.record_ref("org/k", "v9", kCommit).ok());  // offline: nothing is written
  CHECK_FALSE(fs::exists(cache.path() + "/kernels--org--k/refs/v9"));
}

TEST_CASE("cached_file: downloaded once into the cache, then read from it online and offline",
          "[hub][offline][cached_file]") {
  auto& hub = recording_hub();
  hub_emulator::ScratchDir cache;
  HubClient online(online_config(hub, cache.path()));
  const std::string repo = "kernels-test/download";
  const std::string folder = cache.path() + "/kernels--kernels-test--download";
  const auto& variant = hub.download_variants.at("torch-cuda");
  const std::string path = "build/torch-cuda/metadata.json";
  auto first = online.cached_file(repo, hub.download_commit, path, 1 << 20);
  REQUIRE(first.ok());
  CHECK(*first == variant.metadata);
  std::string etag = hub_emulator::git_blob_oid(variant.metadata);
  std::string link = folder + "/snapshots/" + hub.download_commit + "/" + path;
  REQUIRE(fs::is_symlink(link));
  CHECK(fs::read_symlink(link).string() == "../../../../blobs/" + etag);
  CHECK(slurp(folder + "/blobs/" + etag) == variant.metadata);
  CHECK(fs::exists(cache.path() + "/CACHEDIR.TAG"));
  std::uint64_t sent = online.request_count();
  CHECK(sent > 0);
  CHECK(*online.cached_file(repo, hub.download_commit, path, 1 << 20) == variant.metadata);
  CHECK(online.request_count() == sent);  // from the cache: no request

  // An LFS file: through the redirect to storage, stored under its sha256.
  auto lfs = online.cached_file(kRelu, hub.relu_first, kLfsFile, 1 << 20);
  REQUIRE(lfs.ok());
  CHECK(*lfs == hub.lfs_content);
  CHECK(slurp(cache.path() + kReluFolder + "/blobs/" + hub_emulator::sha256_hex(hub.lfs_content)) == hub.lfs_content);

  HubClient offline(offline_config_for(hub, cache.path()));
  CHECK(*offline.cached_file(repo, hub.download_commit, path, 1 << 20) == variant.metadata);
  CHECK(*offline.cached_file(kRelu, hub.relu_first, kLfsFile, 1 << 20) == hub.lfs_content);
  auto too_big = offline.cached_file(repo, hub.download_commit, path, 4);
  CHECK_FALSE(too_big.ok());
  const std::string other = "build/torch-universal/metadata.json";
  auto missing = offline.cached_file(repo, hub.download_commit, other, 1 << 20);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::offline);
  CHECK_THAT(missing.error().message,
             Catch::Contains(other + " of " + repo + " at " + hub.download_commit.substr(0, 12)));
  CHECK(offline.request_count() == 0);
  CHECK_FALSE(offline.cached_file(repo, "main", path, 1 << 20).ok());
  CHECK(offline.cached_file(repo, hub.download_commit, "../../../etc/passwd", 1 << 20).error().code ==
        ErrorCode::bad_path);

  // A file the Hub has not: its error, nothing recorded.
  auto absent = online.cached_file(repo, hub.download_commit, "build/nope/metadata.json", 1 << 20);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().code == ErrorCode::entry_not_found);
}

TEST_CASE("cached_file: bytes that do not match their ETag are refused and not stored", "[hub][offline][cached_file]") {
  auto& hub = recording_hub();
  hub_emulator::ScratchDir cache;
  HubClient online(online_config(hub, cache.path()));
  const std::string path = "build/torch-universal/metadata.json";
  hub_emulator::Faults f;
  f.corrupt_target = path;
  hub.emulator().set_faults(f);
  auto bad = online.cached_file("kernels-test/download", hub.download_commit, path, 1 << 20);
  hub.emulator().set_faults({});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::bad_response);
  CHECK_THAT(bad.error().message, Catch::Contains("do not hash to its ETag"));
  CHECK_FALSE(
      fs::exists(cache.path() + "/kernels--kernels-test--download/snapshots/" + hub.download_commit + "/" + path));
  auto good = online.cached_file("kernels-test/download", hub.download_commit, path, 1 << 20);
  REQUIRE(good.ok());
  CHECK(*good == hub.download_variants.at("torch-universal").metadata);
}

TEST_CASE("cached_file: 8 threads on one file, and on different files, into one cache", "[hub][offline][cached_file]") {
  auto& hub = recording_hub();
  hub_emulator::ScratchDir cache;
  HubClient online(online_config(hub, cache.path()));
  const std::string repo = "kernels-test/download";
  const std::string folder = cache.path() + "/kernels--kernels-test--download";
  std::vector<std::string> variants;
  for (const auto& [name, v] : hub.download_variants) variants.push_back(name);
  REQUIRE(variants.size() >= 4);

  std::vector<std::string> got(8);
  std::vector<std::thread> threads;
  threads.reserve(8);
  const std::string same = "build/" + variants[0] + "/metadata.json";
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto r = online.cached_file(repo, hub.download_commit, same, 1 << 20);
      got[t] = r.ok() ? *r : "error: " + r.error().message;
    });
  }
  for (auto& t : threads) t.join();
  threads.clear();
  for (const auto& g : got) CHECK(g == hub.download_variants.at(variants[0]).metadata);

  std::vector<std::vector<std::string>> many(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t k = 0; k < variants.size(); ++k) {
        const std::string& v = variants[(k + static_cast<std::size_t>(t)) % variants.size()];
        auto r = online.cached_file(repo, hub.download_commit, "build/" + v + "/metadata.json", 1 << 20);
        many[t].push_back(
            v + ": " +
            (r.ok() ? (*r == hub.download_variants.at(v).metadata ? "ok" : "wrong bytes") : r.error().message));
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& per_thread : many) {
    REQUIRE(per_thread.size() == variants.size());
    for (const auto& line : per_thread) CHECK(line.substr(line.size() - 4) == ": ok");
  }
  // One blob per distinct content, nothing left in flight.
  std::set<std::string> blobs;
  for (const auto& e : fs::directory_iterator(folder + "/blobs")) blobs.insert(e.path().filename().string());
  std::set<std::string> expected;
  for (const auto& v : variants) expected.insert(hub_emulator::git_blob_oid(hub.download_variants.at(v).metadata));
  CHECK(blobs == expected);
  HubClient offline(offline_config_for(hub, cache.path()));
  for (const auto& v : variants) {
    CHECK(*offline.cached_file(repo, hub.download_commit, "build/" + v + "/metadata.json", 1 << 20) ==
          hub.download_variants.at(v).metadata);
  }
}
