#include <catch2/catch.hpp>

#include <optional>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "tests/unit/hub/hub_test_support.hpp"

using namespace kernels;
using namespace kernels::hub;
using kernels::hub_emulator::TestHub;
using kernels::hub_test::config_for;
using kernels::hub_test::fast_retries;

namespace {

hub_emulator::TestHub& shared_hub() {
  static TestHub hub;
  return hub;
}

std::optional<TreeEntry> find(const TreeListing& entries, const std::string& path) {
  for (const auto& e : entries) {
    if (e.path == path) return e.to_entry();
  }
  return std::nullopt;
}

const std::string kLfsPath = "build/torch210-cxx11-cu128-x86_64-linux/relu/_relu.so";

}  // namespace

TEST_CASE("list_refs: branches and tags, annotated tags peeled to their commit", "[hub][client]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  auto refs = client.list_refs("kernels-test/relu");
  REQUIRE(refs.ok());
  std::map<std::string, std::string> branches, tags;
  for (const auto& b : refs->branches) branches[b.name] = b.target_commit;
  for (const auto& t : refs->tags) tags[t.name] = t.target_commit;
  CHECK(branches ==
        std::map<std::string, std::string>{{"main", hub.relu_second}, {"v1", hub.relu_first}, {"v2", hub.relu_second}});
  CHECK(tags == std::map<std::string, std::string>{{"v1.0", hub.relu_first}, {"latest", hub.relu_second}});
  CHECK(refs->branches[0].ref == "refs/heads/" + refs->branches[0].name);
}

TEST_CASE("repo_info resolves branches, tags, full refs and commits to the commit", "[hub][client]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  CHECK(client.repo_info("kernels-test/relu")->sha == hub.relu_second);
  CHECK(client.repo_info("kernels-test/relu", "v1")->sha == hub.relu_first);
  CHECK(client.repo_info("kernels-test/relu", "v1.0")->sha == hub.relu_first);
  CHECK(client.repo_info("kernels-test/relu", "refs/heads/v1")->sha == hub.relu_first);  // sent as refs%2Fheads%2Fv1
  CHECK(client.repo_info("kernels-test/relu", hub.relu_first)->sha == hub.relu_first);
  auto info = client.repo_info("kernels-test/relu", "v2");
  REQUIRE(info.ok());
  CHECK(info->id == "kernels-test/relu");
  CHECK(info->author == "kernels-test");
  CHECK_FALSE(info->is_private);
  CHECK(info->last_modified.size() == 24);
}

TEST_CASE("unknown revisions and repositories give messages that say what to do", "[hub][client]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  auto rev = client.repo_info("kernels-test/relu", "v9");
  REQUIRE_FALSE(rev.ok());
  CHECK(rev.error().code == ErrorCode::revision_not_found);
  CHECK(rev.error().message.find("Revision 'v9' not found in kernels-test/relu") != std::string::npos);
  auto sha = client.repo_info("kernels-test/relu", std::string(40, 'a'));
  REQUIRE_FALSE(sha.ok());
  CHECK(sha.error().code == ErrorCode::revision_not_found);
  auto repo = client.list_refs("kernels-test/nope");
  REQUIRE_FALSE(repo.ok());
  CHECK(repo.error().code == ErrorCode::repo_not_found);
  CHECK(repo.error().message == "Repository kernels-test/nope not found on " + hub.endpoint() +
                                    ": check the name, or log in (HF_TOKEN or --token-file) if it is private");
  auto tree = client.list_tree("kernels-test/relu", "v9");
  REQUIRE_FALSE(tree.ok());
  CHECK(tree.error().code == ErrorCode::revision_not_found);
  auto folder = client.list_tree("kernels-test/relu", "main", "build/nope", false);
  REQUIRE_FALSE(folder.ok());
  CHECK(folder.error().code == ErrorCode::entry_not_found);
  CHECK(folder.error().message.find("build/nope") != std::string::npos);
  auto file = client.file_metadata("kernels-test/relu", "main", "nope.txt");
  REQUIRE_FALSE(file.ok());
  CHECK(file.error().code == ErrorCode::entry_not_found);
  CHECK(file.error().message == "File nope.txt not found in kernels-test/relu at revision main");
}

TEST_CASE("tree oids and sizes equal git ls-tree, LFS oids equal sha256sum of the content", "[hub][client][tree]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  for (const auto& commit : {hub.relu_first, hub.relu_second}) {
    auto tree = client.list_tree("kernels-test/relu", commit);
    REQUIRE(tree.ok());
    auto git = hub_test::git_ls_tree(hub.git_dir("kernels-test/relu"), commit);
    std::size_t files = 0;
    for (const auto& view : *tree) {
      if (view.is_directory) continue;
      const TreeEntry e = view.to_entry();
      ++files;
      INFO(e.path);
      REQUIRE(git.count(e.path) == 1);
      CHECK(e.oid == git[e.path].oid);
      if (e.lfs) {
        std::string object = hub.git_dir("kernels-test/relu") + "/lfs/objects/" + e.lfs->oid.substr(0, 2) + "/" +
                             e.lfs->oid.substr(2, 2) + "/" + e.lfs->oid;
        CHECK(hub_test::sha256sum(object) == e.lfs->oid);
        CHECK(e.lfs->size == std::filesystem::file_size(object));
        CHECK(e.size == e.lfs->size);
        CHECK(e.lfs->pointer_size == git[e.path].size);
        CHECK(e.content_hash() == e.lfs->oid);
      } else {
        CHECK(e.size == git[e.path].size);
        CHECK(e.content_hash() == e.oid);
      }
    }
    CHECK(files == git.size());
  }
  auto first = client.list_tree("kernels-test/relu", hub.relu_first);
  REQUIRE(find(*first, kLfsPath).has_value());
  CHECK(find(*first, kLfsPath)->lfs->oid == hub_emulator::sha256_hex(hub.lfs_content));
  REQUIRE(find(*first, "build").has_value());
  CHECK(find(*first, "build")->is_directory);
}

TEST_CASE("tree listings are in git's order: torch-cuda-x before torch-cuda", "[hub][client][tree]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  auto build = client.list_tree("kernels-test/relu", "v1", "build", false);
  REQUIRE(build.ok());
  std::vector<std::string> names;
  for (const auto& e : *build) names.emplace_back(e.path);
  CHECK(names == std::vector<std::string>{"build/torch-cpu", "build/torch-cuda-x", "build/torch-cuda",
                                          "build/torch210-cxx11-cu128-x86_64-linux"});
}

TEST_CASE("tree pagination follows Link rel=next until the last page", "[hub][client][tree]") {
  TestHub paged(2);
  HubClient client(config_for(paged));
  HubClient whole_client(config_for(shared_hub()));
  auto whole = whole_client.list_tree("kernels-test/relu", "main");
  REQUIRE(whole.ok());
  auto before = paged.emulator().request_count();
  auto pages = client.list_tree("kernels-test/relu", "main");
  REQUIRE(pages.ok());
  std::vector<std::string> a, b;
  for (const auto& e : *whole) a.push_back(std::string(e.path) + " " + e.oid.str());
  for (const auto& e : *pages) b.push_back(std::string(e.path) + " " + e.oid.str());
  CHECK(a == b);
  CHECK(paged.emulator().request_count() - before == (whole->size() + 1) / 2);
  auto log = paged.emulator().requests();
  CHECK(std::any_of(log.begin(), log.end(),
                    [](const auto& r) { return r.target.find("cursor=2") != std::string::npos; }));
}

TEST_CASE("file metadata: git sha1 ETag for plain files, sha256 and a 302 to the LFS host for LFS files",
          "[hub][client][resolve]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  auto git = hub_test::git_ls_tree(hub.git_dir("kernels-test/relu"), hub.relu_first);
  auto plain = client.file_metadata("kernels-test/relu", "v1", "build/torch-cpu/relu/a file.py");
  REQUIRE(plain.ok());
  CHECK(plain->commit == hub.relu_first);
  CHECK(plain->etag == git["build/torch-cpu/relu/a file.py"].oid);
  CHECK(plain->size == git["build/torch-cpu/relu/a file.py"].size);
  auto lfs = client.file_metadata("kernels-test/relu", "v1", kLfsPath);
  REQUIRE(lfs.ok());
  CHECK(lfs->etag == hub_emulator::sha256_hex(hub.lfs_content));
  CHECK(lfs->size == hub.lfs_content.size());
  CHECK(lfs->location.rfind(hub.emulator().lfs_endpoint() + "/", 0) == 0);
  CHECK(lfs->commit == hub.relu_first);
}

TEST_CASE("downloads: plain bytes from the Hub, LFS bytes from the second host", "[hub][client][resolve]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  CHECK(*client.download("kernels-test/relu", "v1", "build/torch-cpu/relu/a file.py") == "# a path with a space\n");
  CHECK(*client.download("kernels-test/relu", "v1", kLfsPath) == hub.lfs_content);
  CHECK(*client.download("kernels-test/relu", "v2", "build/torch210-cxx11-cu128-x86_64-linux/relu/__init__.py") ==
        "VERSION = 2\n");
}

TEST_CASE("the Authorization header goes to the Hub but never to the LFS host", "[hub][client][auth]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub, hub_emulator::kTestToken));
  hub.emulator().clear_log();
  REQUIRE(client.download("kernels-test/relu", "v1", kLfsPath).ok());
  REQUIRE(client.file_metadata("kernels-test/relu", "v1", kLfsPath).ok());
  auto log = hub.emulator().requests();
  int hub_requests = 0, lfs_requests = 0;
  for (const auto& r : log) {
    if (r.target.find("_relu.so") == std::string::npos && r.server == "hub") continue;
    if (r.server == "hub") {
      ++hub_requests;
      CHECK(r.authorization == std::string("Bearer ") + hub_emulator::kTestToken);
    } else {
      ++lfs_requests;
      CHECK(r.authorization.empty());
    }
  }
  CHECK(hub_requests == 2);
  CHECK(lfs_requests == 1);
}

TEST_CASE("a relative redirect (renamed repository) is followed with the token", "[hub][client][resolve]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub, hub_emulator::kTestToken));
  hub.emulator().clear_log();
  CHECK(*client.download("kernels-test/old-relu", "v1", "README.md") == "# relu\n");
  auto meta = client.file_metadata("kernels-test/old-relu", "v1", "README.md");
  REQUIRE(meta.ok());
  CHECK(meta->commit == hub.relu_first);
  auto log = hub.emulator().requests();
  REQUIRE(log.size() == 4);
  CHECK(log[0].status == 307);
  CHECK(log[1].target.find("/kernels/kernels-test/relu/resolve/") == 0);
  CHECK(log[1].authorization == std::string("Bearer ") + hub_emulator::kTestToken);
}

TEST_CASE("private and gated repositories need a known token, a bad token is refused", "[hub][client][auth]") {
  auto& hub = shared_hub();
  HubClient anonymous(config_for(hub));
  auto priv = anonymous.list_refs("kernels-test/private");
  REQUIRE_FALSE(priv.ok());
  CHECK(priv.error().code == ErrorCode::repo_not_found);
  CHECK(priv.error().message.find("log in (HF_TOKEN") != std::string::npos);
  auto gated = anonymous.repo_info("kernels-test/gated");
  REQUIRE_FALSE(gated.ok());
  CHECK(gated.error().code == ErrorCode::gated_repo);
  CHECK(gated.error().message.find("accept its conditions") != std::string::npos);

  HubClient authed(config_for(hub, hub_emulator::kTestToken));
  CHECK(authed.list_refs("kernels-test/private").ok());
  CHECK(authed.repo_info("kernels-test/gated").ok());
  CHECK(authed.download("kernels-test/private", "main", "build/torch-cpu/k/__init__.py").ok());

  HubClient wrong(config_for(hub, "hf_wrong_secret_value"));
  auto bad = wrong.list_refs("kernels-test/relu");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::unauthorized);
  CHECK(bad.error().message.find("hf_wrong_secret_value") == std::string::npos);
}

TEST_CASE("kernel-status.toml: a redirect, none, and a missing repository", "[hub][client][status]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  auto moved = client.kernel_status("kernels-test/moved");
  REQUIRE(moved.ok());
  REQUIRE(*moved);
  CHECK((*moved)->destination == "kernels-test/relu");
  CHECK((*moved)->revision == "v1");
  auto none = client.kernel_status("kernels-test/relu");
  REQUIRE(none.ok());
  CHECK_FALSE(*none);
  auto missing = client.kernel_status("kernels-test/nope");
  REQUIRE(missing.ok());
  CHECK_FALSE(*missing);
}

TEST_CASE("repo type model uses /api/models and /{repo}/resolve", "[hub][client]") {
  auto& hub = shared_hub();
  auto config = config_for(hub);
  config.repo_type = RepoType::Model;
  HubClient client(config);
  hub.emulator().clear_log();
  CHECK(client.list_refs("kernels-test/relu").ok());
  CHECK(client.repo_info("kernels-test/relu", "v1")->sha == hub.relu_first);
  CHECK(client.list_tree("kernels-test/relu", "v1").ok());
  CHECK(*client.download("kernels-test/relu", "v1", "README.md") == "# relu\n");
  auto log = hub.emulator().requests();
  REQUIRE(log.size() == 4);
  CHECK(log[0].target == "/api/models/kernels-test/relu/refs");
  CHECK(log[1].target == "/api/models/kernels-test/relu/revision/v1");
  CHECK(log[2].target == "/api/models/kernels-test/relu/tree/v1?recursive=true&expand=false");
  CHECK(log[3].target == "/kernels-test/relu/resolve/v1/README.md");
}

TEST_CASE("requests carry the configured User-Agent", "[hub][client]") {
  auto& hub = shared_hub();
  auto config = config_for(hub);
  config.user_agent = make_user_agent(false, "");
  HubClient client(config);
  hub.emulator().clear_log();
  REQUIRE(client.list_refs("kernels-test/relu").ok());
  CHECK(hub.emulator().requests().at(0).user_agent ==
        std::string("kernels-cli/") + KERNELS_VERSION + "; file_type/kernel");
}

TEST_CASE("many threads share one client, every request is counted", "[hub][client][threads]") {
  auto& hub = shared_hub();
  HubClient client(config_for(hub));
  auto before_client = client.request_count();
  auto before_hub = hub.emulator().request_count();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto refs = client.list_refs("kernels-test/relu");
        auto tree = client.list_tree("kernels-test/relu", t % 2 ? hub.relu_first : hub.relu_second);
        if (!refs.ok() || !tree.ok() || refs->branches.size() != 3) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(client.request_count() - before_client == 160);
  CHECK(hub.emulator().request_count() - before_hub == 160);
}
