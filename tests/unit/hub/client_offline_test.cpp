#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/unit/hub/hub_test_support.hpp"

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
  for (const auto& e : *tree) paths.push_back(e.path);
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
  CHECK(refs.error().code == "offline");
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
