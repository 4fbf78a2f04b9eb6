#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "hub/hf_cache.hpp"
#include "tests/hub/test_hub.hpp"

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

// The layout huggingface_hub writes (hub-api.md §8), made by hand.
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
  CHECK(missing.error().code == "offline");
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
