#include <catch2/catch.hpp>

#include <string>

#include "hub/client.hpp"
#include "hub/decode.hpp"

using kernels::ErrorCode;

using namespace kernels::hub;

namespace {
const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

std::string refs_with(const std::string& branch) { return R"({"branches":[)" + branch + R"(],"tags":[]})"; }
}  // namespace

TEST_CASE("decode_refs: names, commits and ref paths are checked before use", "[hub][decode]") {
  auto ok = decode_refs(refs_with(R"({"name":"v1","ref":"refs/heads/v1","targetCommit":")" + kCommit + R"("})"), {});
  REQUIRE(ok.ok());
  REQUIRE(ok->branches.size() == 1);
  CHECK(ok->branches[0].name == "v1");
  CHECK(ok->branches[0].target_commit == kCommit);
  // A branch name that would leave refs/ of the HF cache.
  auto traversal = decode_refs(refs_with(R"({"name":"../../x","targetCommit":")" + kCommit + R"("})"), {});
  REQUIRE_FALSE(traversal.ok());
  CHECK(traversal.error().message == "a ref name contains \"..\"");
  auto short_commit = decode_refs(refs_with(R"({"name":"main","targetCommit":"abc"})"), {});
  REQUIRE_FALSE(short_commit.ok());
  CHECK(short_commit.error().message == "the ref main has no 40-hex targetCommit");
  // "ref" of another type used to throw from nlohmann's value().
  auto ref_number = decode_refs(refs_with(R"({"name":"main","ref":5,"targetCommit":")" + kCommit + R"("})"), {});
  REQUIRE(ref_number.ok());
  CHECK(ref_number->branches[0].ref.empty());
  HubLimits one;
  one.refs = 1;
  auto two = decode_refs(
      refs_with(R"({"name":"a","targetCommit":")" + kCommit + R"("},{"name":"b","targetCommit":")" + kCommit + R"("})"),
      one);
  REQUIRE_FALSE(two.ok());
  CHECK(two.error().message == "more than 1 refs in \"branches\"");
}

TEST_CASE("decode_*: deep, malformed and mistyped answers are bad-response errors", "[hub][decode]") {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto r = decode_refs(deep, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::bad_response);
  CHECK(r.error().message == "the refs nest deeper than 64 levels");
  CHECK(decode_tree_page("[1,").error().message == "the tree page's entries are not valid JSON");
  CHECK(decode_repo_info("[]").error().message == "the repository info is not a JSON object");
  CHECK(decode_repo_info(R"({"id":"a/b","sha":"zz"})").error().message == "the repository info has no commit \"sha\"");
}

TEST_CASE("decode_tree_page: sizes must be whole numbers >= 0", "[hub][decode]") {
  auto file = [](const std::string& size) { return R"([{"type":"file","path":"a","oid":"x","size":)" + size + "}]"; };
  REQUIRE(decode_tree_page(file("12")).ok());
  CHECK((*decode_tree_page(file("12")))[0].size == 12u);
  for (const char* bad : {"-1", "1.5", "\"12\"", "1e3"}) {
    auto r = decode_tree_page(file(bad));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "the size of a is not a whole number >= 0");
  }
  auto lfs = decode_tree_page(R"([{"type":"file","path":"w","oid":"x","size":1,"lfs":{"oid":"y","size":-4}}])");
  REQUIRE_FALSE(lfs.ok());
  CHECK(lfs.error().message == "the LFS sizes of w are not whole numbers >= 0");
}

TEST_CASE("next_link: the rel=next target among several links", "[hub][decode]") {
  CHECK(next_link(R"(<https://h/a?cursor=2>; rel="next")") == "https://h/a?cursor=2");
  CHECK(next_link(R"(<https://h/p>; rel="prev", <https://h/n>; rel=next)") == "https://h/n");
  CHECK(next_link(R"(<https://h/p>; rel="prev")").empty());
  CHECK(next_link("<unterminated; rel=\"next\"").empty());
  CHECK(next_link("").empty());
}

TEST_CASE("build_variants_of: folders under build/ in listing order, else the folders files name", "[hub][variants]") {
  auto dir = [](std::string p) { return TreeEntry{true, std::move(p), "", 0, std::nullopt}; };
  auto file = [](std::string p) { return TreeEntry{false, std::move(p), "aa", 1, std::nullopt}; };
  // A recursive Hub listing: folder entries decide, deeper folders and other trees do not count.
  CHECK(build_variants_of({file("README.md"), dir("build"), dir("build/torch-cuda"), dir("build/torch-cuda/x"),
                           file("build/torch-cuda/x/a.py"), dir("build/torch-cpu"), dir("buildx/torch-rocm"),
                           file("build/torch-xpu/a.py")}) == std::vector<std::string>{"torch-cuda", "torch-cpu"});
  // A listing of build/ alone.
  CHECK(build_variants_of({dir("build/b"), dir("build/a")}) == std::vector<std::string>{"b", "a"});
  // The HF cache lists files only: first appearance, once each; a file directly under build/ is no variant.
  CHECK(build_variants_of({file("build/z/a.py"), file("build/top.txt"), file("build/y/a.py"), file("build/z/b.py"),
                           file("build//c.py"), file("other/build/w/a.py")}) == std::vector<std::string>{"z", "y"});
  CHECK(build_variants_of({}).empty());
  CHECK(build_variants_of({dir("build/")}).empty());
}
