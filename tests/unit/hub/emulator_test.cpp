#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

#include "hub/http.hpp"
#include "tests/hub/git_store.hpp"
#include "tests/unit/hub/hub_test_support.hpp"

using namespace kernels;
using kernels::hub_emulator::TestHub;

namespace {

hub_emulator::TestHub& raw_hub() {
  static TestHub hub(3);
  return hub;
}

hub::HttpResponse get(const std::string& url, const std::string& method = "GET",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
  static hub::HttpClient http("emulator-test");
  hub::HttpRequest r;
  r.method = method;
  r.url = url;
  r.headers = std::move(headers);
  auto res = http.perform(r);
  REQUIRE(res.ok());
  return *res;
}

}  // namespace

TEST_CASE("fixture commits are reproducible: the same calls give the same commit ids", "[hub][emulator]") {
  hub_emulator::ScratchDir a, b;
  std::string commits[2];
  int i = 0;
  for (const auto* root : {&a, &b}) {
    hub_emulator::FixtureRepo repo(root->path(), "o/k");
    repo.write("x.txt", "x\n").write_lfs("y.bin", std::string(100, '\1'));
    commits[i++] = repo.commit("main");
  }
  CHECK(commits[0] == commits[1]);
  CHECK(commits[0].size() == 40);
}

TEST_CASE("git_blob_oid, sha256_hex and lfs_pointer agree with git and sha256sum", "[hub][emulator]") {
  hub_emulator::ScratchDir dir;
  std::string file = dir.path() + "/f";
  { std::ofstream(file, std::ios::binary) << "hello\n"; }
  auto hashed = hub_emulator::run_capture({"git", "hash-object", file});
  CHECK(hub_emulator::git_blob_oid("hello\n") == hashed.out.substr(0, 40));
  CHECK(hub_emulator::sha256_hex("hello\n") == hub_test::sha256sum(file));
  auto pointer = hub_emulator::lfs_pointer(std::string(64, 'a'), 12);
  auto parsed = hub_emulator::parse_lfs_pointer(pointer);
  REQUIRE(parsed);
  CHECK(parsed->size == 12);
  CHECK_FALSE(hub_emulator::parse_lfs_pointer("not a pointer"));
}

TEST_CASE("emulator tree pages: JSON arrays, folders as directory, absolute Link with the query", "[hub][emulator]") {
  auto& hub = raw_hub();
  auto page = get(hub.endpoint() + "/api/kernels/kernels-test/relu/tree/v1?recursive=True&expand=False");
  CHECK(page.status == 200);
  auto items = nlohmann::json::parse(page.body);
  REQUIRE(items.is_array());
  CHECK(items.size() == 3);
  CHECK(items[0]["type"] == "file");  // README.md comes before build/ in git's order
  CHECK(items[0]["path"] == "README.md");
  CHECK(items[1]["type"] == "directory");
  CHECK(items[1]["path"] == "build");
  CHECK(page.header("link") == "<" + hub.endpoint() +
                                   "/api/kernels/kernels-test/relu/tree/v1?recursive=true&expand=false&cursor=3>; "
                                   "rel=\"next\"");
  auto sub = get(hub.endpoint() + "/api/kernels/kernels-test/relu/tree/v1/build%2Ftorch-cpu?recursive=false");
  auto sub_items = nlohmann::json::parse(sub.body);
  REQUIRE(sub_items.size() == 1);
  CHECK(sub_items[0]["path"] == "build/torch-cpu/relu");
}

TEST_CASE("emulator LFS entries carry lfs{oid,size,pointerSize}", "[hub][emulator]") {
  auto& hub = raw_hub();
  auto page =
      get(hub.endpoint() +
          "/api/kernels/kernels-test/relu/tree/v1/build%2Ftorch210-cxx11-cu128-x86_64-linux%2Frelu?recursive=false");
  auto items = nlohmann::json::parse(page.body);
  REQUIRE(items.size() == 2);
  const auto& lfs = items[1];
  CHECK(lfs["path"] == "build/torch210-cxx11-cu128-x86_64-linux/relu/_relu.so");
  CHECK(lfs["lfs"]["oid"] == hub_emulator::sha256_hex(hub.lfs_content));
  CHECK(lfs["lfs"]["size"] == hub.lfs_content.size());
  CHECK(lfs["size"] == hub.lfs_content.size());
  CHECK(lfs["lfs"]["pointerSize"] ==
        hub_emulator::lfs_pointer(hub_emulator::sha256_hex(hub.lfs_content), hub.lfs_content.size()).size());
}

TEST_CASE("emulator resolve: HEAD headers, 404 with X-Repo-Commit, Range, error shapes", "[hub][emulator]") {
  auto& hub = raw_hub();
  std::string base = hub.endpoint() + "/kernels/kernels-test/relu/resolve/v1/";
  auto head = get(base + "README.md", "HEAD");
  CHECK(head.status == 200);
  CHECK(head.header("x-repo-commit") == hub.relu_first);
  CHECK(head.header("etag") == "\"" + hub_emulator::git_blob_oid("# relu\n") + "\"");
  CHECK(head.header("content-length") == "7");
  auto missing = get(base + "nope", "HEAD");
  CHECK(missing.status == 404);
  CHECK(missing.header("x-error-code") == "EntryNotFound");
  CHECK(missing.header("x-repo-commit") == hub.relu_first);
  auto range = get(base + "README.md", "GET", {{"Range", "bytes=2-"}});
  CHECK(range.status == 206);
  CHECK(range.body == "relu\n");
  auto rev = get(hub.endpoint() + "/api/kernels/kernels-test/relu/revision/v9");
  CHECK(rev.status == 404);
  CHECK(rev.header("x-error-code") == "RevisionNotFound");
  CHECK(nlohmann::json::parse(rev.body)["error"] == "Invalid rev id: v9");
  auto prs = nlohmann::json::parse(get(hub.endpoint() + "/api/kernels/kernels-test/relu/refs?include_prs=1").body);
  CHECK(prs.contains("pullRequests"));
  CHECK(prs["converts"].is_array());
  auto harness = get(hub.endpoint() + "/api/agent-harnesses");
  CHECK(harness.status == 404);
}

TEST_CASE("emulator expand=true: pages of at most 50 with each item's last commit", "[hub][emulator]") {
  hub_emulator::ScratchDir root;
  hub_emulator::FixtureRepo repo(root.path(), "o/many");
  for (int i = 0; i < 60; ++i) repo.write("f" + std::to_string(100 + i) + ".txt", "x\n");
  std::string first = repo.commit("main", "add files");
  repo.write("f100.txt", "changed\n");
  std::string second = repo.commit("main", "change f100");
  hub_emulator::EmulatorOptions options;
  options.root = root.path();
  hub_emulator::HubEmulator emulator(options);
  emulator.start();
  auto page = get(emulator.endpoint() + "/api/kernels/o/many/tree/main?recursive=true&expand=true");
  auto items = nlohmann::json::parse(page.body);
  REQUIRE(items.size() == 50);
  CHECK(page.header("link").find("expand=true&cursor=50") != std::string::npos);
  CHECK(items[0]["path"] == "f100.txt");
  CHECK(items[0]["lastCommit"]["id"] == second);
  CHECK(items[0]["lastCommit"]["title"] == "change f100");
  CHECK(items[1]["lastCommit"]["id"] == first);
  auto plain = nlohmann::json::parse(get(emulator.endpoint() + "/api/kernels/o/many/tree/main?recursive=true").body);
  CHECK(plain.size() == 60);
  CHECK_FALSE(plain[0].contains("lastCommit"));
}

TEST_CASE("emulator pull requests: refs/pr/N listed only with include_prs, resolvable as refs%2Fpr%2FN",
          "[hub][emulator]") {
  auto& hub = raw_hub();
  auto git = hub_emulator::run_git(hub.git_dir("kernels-test/relu"), {"rev-parse", "refs/pr/1"});
  REQUIRE(git.out.substr(0, 40) == hub.relu_pr1);
  std::string api = hub.endpoint() + "/api/kernels/kernels-test/relu";
  auto plain = nlohmann::json::parse(get(api + "/refs").body);
  CHECK_FALSE(plain.contains("pullRequests"));
  auto with = nlohmann::json::parse(get(api + "/refs?include_prs=1").body);
  REQUIRE(with["pullRequests"].size() == 1);
  CHECK(with["pullRequests"][0] ==
        nlohmann::json({{"name", "refs/pr/1"}, {"ref", "refs/pr/1"}, {"targetCommit", hub.relu_pr1}}));
  for (const auto& b : with["branches"]) CHECK(b["ref"].get<std::string>().rfind("refs/heads/", 0) == 0);
  CHECK(with["branches"].size() == plain["branches"].size());

  auto info = get(api + "/revision/refs%2Fpr%2F1");
  CHECK(info.status == 200);
  CHECK(nlohmann::json::parse(info.body)["sha"] == hub.relu_pr1);
  auto tree = get(api + "/tree/refs%2Fpr%2F1?recursive=false");
  CHECK(tree.status == 200);
  CHECK(nlohmann::json::parse(tree.body)[0]["path"] == "README.md");
  auto file = get(hub.endpoint() + "/kernels/kernels-test/relu/resolve/refs%2Fpr%2F1/README.md");
  CHECK(file.status == 200);
  CHECK(file.body == "# relu, PR 1\n");
  CHECK(file.header("x-repo-commit") == hub.relu_pr1);
  auto main_readme = get(hub.endpoint() + "/kernels/kernels-test/relu/resolve/main/README.md");
  CHECK(main_readme.body == "# relu\n");
  auto missing = get(api + "/revision/refs%2Fpr%2F2");
  CHECK(missing.status == 404);
  CHECK(missing.header("x-error-code") == "RevisionNotFound");
}

TEST_CASE("fixture commit_pull_request writes refs/pr/N on main's head and no branch", "[hub][emulator]") {
  hub_emulator::ScratchDir root;
  hub_emulator::FixtureRepo repo(root.path(), "o/k");
  std::string main = repo.write("a.txt", "a\n").commit("main");
  std::string pr = repo.write("a.txt", "b\n").commit_pull_request(3);
  auto parent = hub_emulator::run_git(repo.git_dir(), {"rev-parse", pr + "^"});
  CHECK(parent.out.substr(0, 40) == main);
  auto heads = hub_emulator::run_git(repo.git_dir(), {"for-each-ref", "--format=%(refname)"});
  CHECK(heads.out == "refs/heads/main\nrefs/pr/3\n");
  CHECK(repo.head("main") == main);
  CHECK_THROWS(repo.commit_pull_request(0));
}

TEST_CASE("emulator trustedKernelPublisher comes from the trusted_orgs option", "[hub][emulator]") {
  hub_emulator::ScratchDir root;
  for (const char* id : {"good/k", "other/k"}) {
    hub_emulator::FixtureRepo repo(root.path(), id);
    repo.write("README.md", "x\n").commit("main");
  }
  hub_emulator::EmulatorOptions options;
  options.root = root.path();
  options.trusted_orgs = {"good"};
  hub_emulator::HubEmulator emulator(options);
  emulator.start();
  auto good = nlohmann::json::parse(get(emulator.endpoint() + "/api/organizations/good/overview").body);
  CHECK(good["trustedKernelPublisher"] == true);
  CHECK(good["name"] == "good");
  auto other = nlohmann::json::parse(get(emulator.endpoint() + "/api/organizations/other/overview").body);
  CHECK(other["trustedKernelPublisher"] == false);
  CHECK(get(emulator.endpoint() + "/api/organizations/absent/overview").status == 404);

  TestHub trusting(1000, {"kernels-test"});
  auto test_org = nlohmann::json::parse(get(trusting.endpoint() + "/api/organizations/kernels-test/overview").body);
  CHECK(test_org["trustedKernelPublisher"] == true);
  auto default_hub = nlohmann::json::parse(get(raw_hub().endpoint() + "/api/organizations/kernels-test/overview").body);
  CHECK(default_hub["trustedKernelPublisher"] == false);  // TestHub trusts kernels-community only
}
