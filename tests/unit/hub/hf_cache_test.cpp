#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "hub/hf_cache.hpp"
#include "tests/hub/test_hub.hpp"
#include "util/file.hpp"

using kernels::ErrorCode;

using namespace kernels::hub;
namespace fs = std::filesystem;

namespace {

const std::string kC1 = "1111111111111111111111111111111111111111";
const std::string kC2 = "2222222222222222222222222222222222222222";
const std::string kBlob = "af02583fbbf150e1f5df542aa6ad5adcddd42762";
const std::string kLfs = "2bc134fb4b4169162f123a61daf6439775a96a0a584a07937a51a77984e996db";

void put(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// The cache layout huggingface_hub writes, made by hand.
void make_repo(const std::string& dir, const std::string& commit) {
  put(dir + "/refs/main", commit);  // no trailing newline
  put(dir + "/blobs/" + kBlob, "print('hi')\n");
  put(dir + "/blobs/" + kLfs, std::string(300, 'x'));
  fs::create_directories(dir + "/snapshots/" + commit + "/build/torch-cpu");
  fs::create_symlink("../../../../blobs/" + kBlob, dir + "/snapshots/" + commit + "/build/torch-cpu/__init__.py");
  fs::create_symlink("../../../../blobs/" + kLfs, dir + "/snapshots/" + commit + "/build/torch-cpu/_k.so");
}

}  // namespace

TEST_CASE("repo folder names are kernels--org--name and models--org--name", "[hub][cache]") {
  CHECK(repo_folder_name("kernels-community/relu", RepoType::Kernel) == "kernels--kernels-community--relu");
  CHECK(repo_folder_name("kernels-community/relu", RepoType::Model) == "models--kernels-community--relu");
}

TEST_CASE("offline: refs resolve to commits and snapshots list files with blob names", "[hub][cache]") {
  kernels::hub_emulator::ScratchDir root;
  std::string dir = root.path() + "/kernels--org--k";
  make_repo(dir, kC1);
  put(dir + "/refs/v1", kC1 + "\n");  // tolerated, though Python writes none
  HfCache cache({root.path()}, RepoType::Kernel);
  CHECK(*cache.resolve("org/k", "main") == kC1);
  CHECK(*cache.resolve("org/k", "v1") == kC1);
  CHECK(*cache.resolve("org/k", kC1) == kC1);
  auto branches = cache.branches("org/k");
  REQUIRE(branches.size() == 2);
  CHECK(branches[0].name == "main");
  CHECK(branches[1].name == "v1");

  auto missing = cache.resolve("org/k", "v9");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::offline);
  CHECK(missing.error().message.find("kernels--org--k/refs/v9") != std::string::npos);
  CHECK_FALSE(cache.resolve("org/k", kC2).ok());

  auto files = cache.snapshot_files("org/k", kC1);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 2);
  CHECK((*files)[0].path == "build/torch-cpu/__init__.py");
  CHECK((*files)[0].blob == kBlob);
  CHECK((*files)[0].size == 12);
  CHECK((*files)[1].path == "build/torch-cpu/_k.so");
  CHECK((*files)[1].blob == kLfs);
  CHECK((*files)[1].size == 300);
}

TEST_CASE("offline: legacy models-- refs override kernels-- ones, as in the kernels library", "[hub][cache]") {
  kernels::hub_emulator::ScratchDir root;
  make_repo(root.path() + "/kernels--org--k", kC1);
  put(root.path() + "/kernels--org--k/refs/v1", kC1);
  put(root.path() + "/models--org--k/refs/v1", kC2);
  put(root.path() + "/models--org--k/refs/v2", kC2);
  HfCache cache({root.path()}, RepoType::Kernel);
  auto branches = cache.branches("org/k");
  REQUIRE(branches.size() == 3);
  CHECK(branches[1].name == "v1");
  CHECK(branches[1].target_commit == kC2);
  CHECK(branches[2].name == "v2");
}

TEST_CASE("offline: the first cache root that has the repo answers", "[hub][cache]") {
  kernels::hub_emulator::ScratchDir a, b;
  make_repo(b.path() + "/kernels--org--k", kC2);
  HfCache cache({a.path(), b.path()}, RepoType::Kernel);
  CHECK(*cache.resolve("org/k", "main") == kC2);
  CHECK(cache.describe() == a.path() + ", " + b.path());
}

TEST_CASE("trees/<commit>.json parses into git tree order, folders before what they hold", "[hub][cache][tree]") {
  // Python's sorted() order of the record's keys; git puts build/torch-cuda-x
  // before build/torch-cuda, since "torch-cuda/" > "torch-cuda-x".
  std::string text =
      "{\"format_version\": 1, \"files\": {"
      "\"README.md\": {\"size\": 7, \"blob_id\": \"" +
      std::string(40, 'a') +
      "\"},"
      "\"build/torch-cuda-x/k/__init__.py\": {\"size\": 3, \"blob_id\": \"" +
      std::string(40, 'c') +
      "\"},"
      "\"build/torch-cuda/k/__init__.py\": {\"size\": 2, \"blob_id\": \"" +
      std::string(40, 'b') +
      "\"},"
      "\"build/torch-cuda/k/_k.so\": {\"size\": 300, \"blob_id\": \"" +
      std::string(40, 'd') + "\", \"lfs_sha256\": \"" + kLfs + "\", \"lfs_size\": 300, \"future_field\": true}}}";
  auto parsed = parse_tree_cache(text, 100);
  REQUIRE(parsed.ok());
  std::vector<std::string> paths;
  for (const auto& e : *parsed) paths.push_back((e.is_directory ? "dir " : "") + std::string(e.path));
  CHECK(paths == std::vector<std::string>{"README.md", "dir build", "dir build/torch-cuda-x",
                                          "dir build/torch-cuda-x/k", "build/torch-cuda-x/k/__init__.py",
                                          "dir build/torch-cuda", "dir build/torch-cuda/k",
                                          "build/torch-cuda/k/__init__.py", "build/torch-cuda/k/_k.so"});
  const TreeEntryView so = (*parsed)[parsed->size() - 1];
  CHECK(so.oid == std::string(40, 'd'));
  CHECK(so.size == 300);
  REQUIRE(so.lfs);
  CHECK(so.lfs->oid == kLfs);
  CHECK(so.content_hash() == kLfs);
  CHECK_FALSE((*parsed)[0].lfs);
  CHECK((*parsed)[0].content_hash() == std::string(40, 'a'));
  CHECK((*parsed)[1].oid.empty());

  auto empty = parse_tree_cache("{\"format_version\": 1, \"files\": {}}", 100);
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  auto too_many = parse_tree_cache(text, 3);
  REQUIRE_FALSE(too_many.ok());
  CHECK_THAT(too_many.error().message, Catch::Contains("more than 3 files"));
}

TEST_CASE("trees/<commit>.json: hostile records are refused with the reason", "[hub][cache][tree][hostile]") {
  const std::string b = std::string(40, 'b');
  auto entry = [&](const std::string& path, const std::string& fields) {
    return "{\"format_version\": 1, \"files\": {\"" + path + "\": {" + fields + "}}}";
  };
  struct Case {
    std::string text, reason;
  };
  for (const Case& c : {
           Case{"", "not valid JSON"},
           Case{"[]", "not a JSON object"},
           Case{"{\"files\": {}}", "no format_version"},
           Case{"{\"format_version\": \"1\", \"files\": {}}", "is not 1"},
           Case{"{\"format_version\": 1}", "no \"files\" object"},
           Case{entry("a", "\"size\": -1, \"blob_id\": \"" + b + "\""), "whole-number \"size\""},
           Case{entry("a", "\"size\": 1.5, \"blob_id\": \"" + b + "\""), "whole-number \"size\""},
           Case{entry("a", "\"size\": 1"), "no \"blob_id\""},
           Case{entry("a", "\"size\": 1, \"blob_id\": \"" + std::string(40, 'B') + "\""), "no \"blob_id\""},
           Case{entry("a", "\"size\": 1, \"blob_id\": \"" + b + "\", \"lfs_sha256\": \"" + kLfs + "\""), "only one of"},
           Case{entry("a", "\"size\": 1, \"blob_id\": \"" + b + "\", \"lfs_sha256\": \"xyz\", \"lfs_size\": 1"),
                "not 64 hex digits"},
           Case{entry("/etc/passwd", "\"size\": 1, \"blob_id\": \"" + b + "\""), "absolute"},
           Case{entry("a//b", "\"size\": 1, \"blob_id\": \"" + b + "\""), "empty component"},
           Case{entry("a",
                      "\"size\": 1, \"blob_id\": \"" + b + "\"}, \"a/b\": {\"size\": 1, \"blob_id\": \"" + b + "\""),
                "both as a file and as a folder"},
           Case{entry("a", "\"size\": 1, \"blob_id\": \"" + b + "\"}, \"z\": 3, \"c\": {\"size\": 1, \"blob_id\": \"" +
                               b + "\""),
                "not an object"},
           Case{"{\"format_version\": 1, \"files\": " + std::string(70, '[') + std::string(70, ']') + "}",
                "deeper than"},
       }) {
    INFO(c.text);
    auto r = parse_tree_cache(c.text, 1000);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_cache);
    CHECK_THAT(r.error().message, Catch::Contains(c.reason));
  }
}

TEST_CASE("offline: tree_listing, snapshot_file, known_missing and ref read the records", "[hub][cache][tree]") {
  kernels::hub_emulator::ScratchDir a, b;
  make_repo(b.path() + "/kernels--org--k", kC1);
  std::string good = "{\"format_version\": 1, \"files\": {\"x.py\": {\"size\": 1, \"blob_id\": \"" + kBlob + "\"}}}";
  put(a.path() + "/kernels--org--k/trees/" + kC1 + ".json", "{broken");
  put(b.path() + "/kernels--org--k/trees/" + kC1 + ".json", good);
  put(b.path() + "/kernels--org--k/.no_exist/" + kC1 + "/kernel-status.toml", "");
  HfCache cache({a.path(), b.path()}, RepoType::Kernel);
  auto listing = cache.tree_listing("org/k", kC1, 100);  // the first usable record
  REQUIRE(listing.ok());
  REQUIRE(listing->size() == 1);
  CHECK((*listing)[0].path == "x.py");
  HfCache only_bad({a.path()}, RepoType::Kernel);
  auto bad = only_bad.tree_listing("org/k", kC1, 100);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::bad_cache);
  CHECK_THAT(bad.error().message, Catch::Contains(a.path() + "/kernels--org--k/trees/" + kC1 + ".json is unusable"));
  auto absent = cache.tree_listing("org/k", kC2, 100);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().code == ErrorCode::absent);
  CHECK(cache.tree_listing("org/k", "../../x", 100).error().code == ErrorCode::absent);

  auto file = cache.snapshot_file("org/k", kC1, "build/torch-cpu/__init__.py");
  REQUIRE(file);
  CHECK(*kernels::read_file(*file) == "print('hi')\n");
  CHECK_FALSE(cache.snapshot_file("org/k", kC1, "build/torch-cpu/nope.py"));
  CHECK_FALSE(cache.snapshot_file("org/k", kC1, "../" + kC1 + "/build/torch-cpu/__init__.py"));
  CHECK_FALSE(cache.snapshot_file("org/k", "main", "build/torch-cpu/__init__.py"));
  fs::remove(b.path() + "/kernels--org--k/blobs/" + kBlob);
  CHECK_FALSE(cache.snapshot_file("org/k", kC1, "build/torch-cpu/__init__.py"));  // a dangling link is no file

  CHECK(cache.known_missing("org/k", kC1, "kernel-status.toml"));
  CHECK_FALSE(cache.known_missing("org/k", kC2, "kernel-status.toml"));
  CHECK_FALSE(cache.known_missing("org/k", kC1, "README.md"));
  CHECK(cache.ref("org/k", "main") == kC1);
  CHECK_FALSE(cache.ref("org/k", "v7"));
  CHECK_FALSE(cache.ref("org/k", "../../kernels--org--k/refs/main"));
}
