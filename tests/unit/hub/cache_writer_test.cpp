// The HF cache writer: path checks, link targets, and refusing symlinks
// planted inside the cache.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "hub/cache_writer.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using namespace kernels;
using namespace kernels::hub;
using kernels::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";
const std::string kEtag = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";  // the empty git blob

std::string code_of(const Status& s) { return s.ok() ? "ok" : std::string(kernels::error_code_name(s.error().code)); }

std::size_t count_entries(const std::string& dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); ++it) ++n;
  return n;
}

}  // namespace

TEST_CASE("check_repo_path refuses what could escape or confuse the snapshot", "[hub][cache_writer]") {
  CHECK(code_of(check_repo_path("build/torch-cpu/relu/__init__.py")) == "ok");
  CHECK(code_of(check_repo_path("build/torch-cpu/a file.py")) == "ok");
  CHECK(code_of(check_repo_path("..foo/bar..")) == "ok");  // dots inside names are fine
  for (const std::string& bad :
       {std::string(""), std::string("/etc/passwd"), std::string("build/../../x"), std::string("build/./x"),
        std::string("build//x"), std::string("build/x/"), std::string("build\\x"), std::string("build/\0x", 8),
        std::string(".."), "build/" + std::string(256, 'a')}) {
    INFO(bad);
    CHECK(code_of(check_repo_path(bad)) == "bad-path");
  }
  CHECK(check_repo_path("a/../b").error().message.find("\"..\" component") != std::string::npos);
}

TEST_CASE("blob_link_target climbs one level per directory plus snapshots/<commit>", "[hub][cache_writer]") {
  CHECK(blob_link_target("README.md", kEtag) == "../../blobs/" + kEtag);
  CHECK(blob_link_target("build/torch-cpu/x.py", kEtag) == "../../../../blobs/" + kEtag);
  CHECK(blob_link_target("build/torch-cpu/relu/__init__.py", kEtag) == "../../../../../blobs/" + kEtag);
  CHECK(is_blob_name(kEtag));
  CHECK_FALSE(is_blob_name("E69DE29BB2D1D6434B8B29AE775AD8C2E48C5391"));
  CHECK_FALSE(is_blob_name("../../etc"));
}

TEST_CASE("cache writer: blob, link and lock in huggingface_hub's layout", "[hub][cache_writer]") {
  TempDir root;
  auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
  REQUIRE(w.ok());
  auto lock = (*w)->lock_blob(kEtag);
  REQUIRE(lock.ok());
  auto blob = (*w)->start_blob(kEtag, 0);
  REQUIRE(blob.ok());
  CHECK(blob->name().rfind(kEtag + ".", 0) == 0);
  CHECK(blob->name().size() == kEtag.size() + 1 + 8 + std::string(".incomplete").size());
  REQUIRE(blob->commit().ok());
  REQUIRE((*w)->link(kCommit, "build/torch-cpu/x/__init__.py", kEtag).ok());
  std::string repo = root.path() + "/kernels--org--name";
  std::string link = repo + "/snapshots/" + kCommit + "/build/torch-cpu/x/__init__.py";
  CHECK(fs::is_symlink(link));
  CHECK(fs::read_symlink(link).string() == "../../../../../blobs/" + kEtag);
  CHECK(fs::is_regular_file(link));  // resolves to the blob
  CHECK(fs::exists(root.path() + "/.locks/kernels--org--name/" + kEtag + ".lock"));
  CHECK((*w)->has_link(kCommit, "build/torch-cpu/x/__init__.py", kEtag, 0));
  CHECK_FALSE((*w)->has_link(kCommit, "build/torch-cpu/x/__init__.py", kEtag, 1));   // wrong size
  CHECK(count_entries(repo + "/blobs") == 1);                                        // no .incomplete left
  CHECK(count_entries(repo + "/snapshots/" + kCommit + "/build/torch-cpu/x") == 1);  // no temporary link left
  REQUIRE((*w)->tag_root().ok());
  CHECK(read_file(root.path() + "/CACHEDIR.TAG")->rfind("Signature: 8a477f597d28d172789f06886806bc55\n", 0) == 0);
}

TEST_CASE("cache writer: the first link into a folder removes a killed writer's temporary links there",
          "[hub][cache_writer][faults]") {
  // SIGKILL between symlinkat and renameat leaves ".<file>.tmp.<pid>-XXXXXX"
  // in the variant's folder, where it would change the variant's hash.
  TempDir root;
  auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
  REQUIRE(w.ok());
  pid_t gone = ::fork();
  REQUIRE(gone >= 0);
  if (gone == 0) ::_exit(0);
  int status = 0;
  REQUIRE(::waitpid(gone, &status, 0) == gone);  // reaped: that pid is no process now
  const std::string folder = root.path() + "/kernels--org--name/snapshots/" + kCommit + "/build/torch-cpu/x";
  fs::create_directories(folder);
  const std::string dead = ".ops.so.tmp." + std::to_string(gone) + "-abcdef";
  const std::string live = ".ops.so.tmp." + std::to_string(::getppid()) + "-abcdef";
  const std::string user = ".notes.tmp.txt";  // not a temporary's form
  for (const auto& n : {dead, live, user}) fs::create_symlink("../../../../../blobs/" + kEtag, folder + "/" + n);
  // One level up is another folder: swept when something is linked there.
  const std::string above = root.path() + "/kernels--org--name/snapshots/" + kCommit + "/build/torch-cpu/" + dead;
  fs::create_symlink("../../../../blobs/" + kEtag, above);

  REQUIRE((*w)->link(kCommit, "build/torch-cpu/x/__init__.py", kEtag).ok());
  std::set<std::string> left;
  for (auto& e : fs::directory_iterator(folder)) left.insert(e.path().filename().string());
  CHECK(left == std::set<std::string>{"__init__.py", live, user});
  CHECK(fs::is_symlink(above));
  REQUIRE((*w)->link(kCommit, "build/torch-cpu/metadata.json", kEtag).ok());
  CHECK_FALSE(fs::is_symlink(above));
}

TEST_CASE("cache writer: a leftover .incomplete is taken over, other leftovers removed", "[hub][cache_writer]") {
  TempDir root;
  auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
  REQUIRE(w.ok());
  const std::string etag(64, 'a');
  std::string blobs = root.path() + "/kernels--org--name/blobs/";
  root.write("kernels--org--name/blobs/" + etag + ".0123abcd.incomplete", "hello");
  root.write("kernels--org--name/blobs/" + etag + ".incomplete", "he");  // older naming, shorter
  root.write("kernels--org--name/blobs/" + etag + ".ffffffff.incomplete", "too long for it");
  root.write("kernels--org--name/blobs/" + etag + ".notahex!.incomplete", "x");  // not ours: left alone
  auto blob = (*w)->start_blob(etag, 10);
  REQUIRE(blob.ok());
  CHECK(blob->resumed());
  CHECK(blob->size() == 5);
  std::string back;
  REQUIRE(blob->read_back([&](std::string_view c) { back.append(c); }).ok());
  CHECK(back == "hello");
  REQUIRE(blob->append("world").ok());
  REQUIRE(blob->commit().ok());
  CHECK(*read_file(blobs + etag) == "helloworld");
  CHECK_FALSE(fs::exists(blobs + etag + ".0123abcd.incomplete"));
  CHECK_FALSE(fs::exists(blobs + etag + ".incomplete"));
  CHECK_FALSE(fs::exists(blobs + etag + ".ffffffff.incomplete"));
  CHECK(fs::exists(blobs + etag + ".notahex!.incomplete"));
  CHECK(count_entries(blobs) == 2);
}

TEST_CASE("cache writer: a symlink planted in the cache is refused, nothing written outside", "[hub][cache_writer]") {
  TempDir root, outside;
  std::string repo = root.path() + "/kernels--org--name";
  SECTION("snapshots/<commit> points outside") {
    fs::create_directories(repo + "/snapshots");
    fs::create_directory_symlink(outside.path(), repo + "/snapshots/" + kCommit);
    auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
    REQUIRE(w.ok());
    auto st = (*w)->link(kCommit, "build/torch-cpu/x.py", kEtag);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == ErrorCode::unsafe_cache);
    CHECK(st.error().message.find("symbolic link") != std::string::npos);
    CHECK_FALSE((*w)->has_link(kCommit, "build/torch-cpu/x.py", kEtag, 0));
  }
  SECTION("a directory inside the snapshot points outside") {
    fs::create_directories(repo + "/snapshots/" + kCommit);
    fs::create_directory_symlink(outside.path(), repo + "/snapshots/" + kCommit + "/build");
    auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
    REQUIRE(w.ok());
    CHECK(code_of((*w)->link(kCommit, "build/torch-cpu/x.py", kEtag)) == "unsafe-cache");
  }
  SECTION("blobs/ points outside") {
    fs::create_directories(repo);
    fs::create_directory_symlink(outside.path(), repo + "/blobs");
    auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
    REQUIRE_FALSE(w.ok());
    CHECK(w.error().code == ErrorCode::unsafe_cache);
  }
  SECTION("the repo folder points outside") {
    fs::create_directory_symlink(outside.path(), repo);
    auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
    REQUIRE_FALSE(w.ok());
    CHECK(w.error().code == ErrorCode::unsafe_cache);
  }
  SECTION("paths with .. are refused before touching the disk") {
    auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
    REQUIRE(w.ok());
    CHECK(code_of((*w)->link(kCommit, "build/../../../x", kEtag)) == "bad-path");
    CHECK(code_of((*w)->link(kCommit, "/abs", kEtag)) == "bad-path");
    CHECK(code_of((*w)->link("../x", "build/a", kEtag)) == "bad-path");
    CHECK(code_of((*w)->link(kCommit, "build/a", "../../x")) == "bad-path");
  }
  CHECK(count_entries(outside.path()) == 0);
}

TEST_CASE("cache writer: the cache root itself may be reached through a symlink", "[hub][cache_writer]") {
  TempDir real, links;
  std::string root = links.path() + "/cache";
  fs::create_directory_symlink(real.path(), root);
  auto w = CacheWriter::open(root, "org/name", RepoType::Kernel);
  REQUIRE(w.ok());
  REQUIRE((*w)->link(kCommit, "a.py", kEtag).ok());
  CHECK(fs::is_symlink(real.path() + "/kernels--org--name/snapshots/" + kCommit + "/a.py"));
}

TEST_CASE("trees/<commit>.json has the bytes of huggingface_hub's json.dump(indent=1)", "[hub][cache_writer]") {
  // Written by hand from huggingface_hub's _tree_cache.py: files only,
  // sorted by path, lfs_* only for LFS files, \uXXXX for non-ASCII, no final newline.
  std::vector<TreeEntry> entries(4);
  entries[0].path = "build/torch-cpu/_ops.so";
  entries[0].oid = std::string(40, 'b');
  entries[0].size = 548123560;
  entries[0].lfs = LfsInfo{std::string(64, 'c'), 548123560, 134};
  entries[1].path = "build";
  entries[1].is_directory = true;
  entries[1].oid = std::string(40, 'd');
  entries[2].path = "README.md";
  entries[2].oid = std::string(40, 'a');
  entries[2].size = 12;
  entries[3].path = "caf\xc3\xa9.txt";
  entries[3].oid = std::string(40, 'e');
  entries[3].size = 0;
  const TreeListing listing = TreeListing::from(entries);
  std::string a(40, 'a'), b(40, 'b'), c(64, 'c'), e(40, 'e');
  std::string expected =
      "{\n \"format_version\": 1,\n \"files\": {\n"
      "  \"README.md\": {\n   \"size\": 12,\n   \"blob_id\": \"" +
      a +
      "\"\n  },\n"
      "  \"build/torch-cpu/_ops.so\": {\n   \"size\": 548123560,\n   \"blob_id\": \"" +
      b + "\",\n   \"lfs_sha256\": \"" + c +
      "\",\n   \"lfs_size\": 548123560\n  },\n"
      "  \"caf\\u00e9.txt\": {\n   \"size\": 0,\n   \"blob_id\": \"" +
      e + "\"\n  }\n }\n}";
  CHECK(tree_cache_json(listing) == expected);
  CHECK(tree_cache_json({}) == "{\n \"format_version\": 1,\n \"files\": {}\n}");

  TempDir tmp;
  auto w = CacheWriter::open(tmp.path(), "org/relu", RepoType::Kernel);
  REQUIRE(w.ok());
  REQUIRE((*w)->write_tree_listing(kCommit, listing).ok());
  auto text = read_file(tmp.path() + "/kernels--org--relu/trees/" + kCommit + ".json");
  REQUIRE(text.ok());
  CHECK(*text == expected);
  CHECK(count_entries(tmp.path() + "/kernels--org--relu/trees") == 1);  // no temporary left
  CHECK(code_of((*w)->write_tree_listing("../x", listing)) == "bad-path");
}

TEST_CASE("cache writer: refs, .no_exist markers and small blobs", "[hub][cache_writer]") {
  TempDir root;
  auto w = CacheWriter::open(root.path(), "org/name", RepoType::Kernel);
  REQUIRE(w.ok());
  std::string repo = root.path() + "/kernels--org--name";
  REQUIRE((*w)->write_ref("main", kCommit).ok());
  CHECK(*read_file(repo + "/refs/main") == kCommit);
  struct stat before {};
  REQUIRE(::stat((repo + "/refs/main").c_str(), &before) == 0);
  REQUIRE((*w)->write_ref("main", kCommit).ok());
  struct stat after {};
  REQUIRE(::stat((repo + "/refs/main").c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);  // unchanged when equal
  const std::string other(40, 'f');
  REQUIRE((*w)->write_ref("main", other).ok());
  CHECK(*read_file(repo + "/refs/main") == other);
  REQUIRE((*w)->write_ref("refs/pr/1", kCommit).ok());
  CHECK(*read_file(repo + "/refs/refs/pr/1") == kCommit);
  CHECK(count_entries(repo + "/refs") == 2);  // main, refs/: no temporary left
  CHECK(code_of((*w)->write_ref("../../x", kCommit)) == "bad-path");
  CHECK(code_of((*w)->write_ref("v1", "HEAD")) == "bad-path");

  REQUIRE((*w)->mark_missing(kCommit, "kernel-status.toml").ok());
  REQUIRE((*w)->mark_missing(kCommit, "kernel-status.toml").ok());  // kept
  REQUIRE((*w)->mark_missing(kCommit, "build/a/b.json").ok());
  CHECK(fs::is_regular_file(repo + "/.no_exist/" + kCommit + "/kernel-status.toml"));
  CHECK(fs::file_size(repo + "/.no_exist/" + kCommit + "/kernel-status.toml") == 0);
  CHECK(fs::is_regular_file(repo + "/.no_exist/" + kCommit + "/build/a/b.json"));
  CHECK(code_of((*w)->mark_missing(kCommit, "../x")) == "bad-path");
  CHECK(code_of((*w)->mark_missing("main", "x")) == "bad-path");

  const std::string etag = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";               // git blob of "hello world\n"
  root.write("kernels--org--name/blobs/" + etag + ".0123abcd.incomplete", "hello");  // a leftover
  REQUIRE((*w)->store_blob(etag, "hello world\n").ok());
  CHECK(*read_file(repo + "/blobs/" + etag) == "hello world\n");
  CHECK(count_entries(repo + "/blobs") == 1);
  REQUIRE((*w)->store_blob(etag, "hello world\n").ok());  // present: nothing written
  CHECK(code_of((*w)->store_blob("../x", "y")) == "bad-path");
}
