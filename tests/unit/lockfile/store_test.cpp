#include <catch2/catch.hpp>

#include <filesystem>
#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lockfile/store.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using kernels::ErrorCode;

using kernels::read_file;
using kernels::lockfile::check_lock;
using kernels::lockfile::Lock;
using kernels::lockfile::LockedKernel;
using kernels::lockfile::render_check;
using kernels::lockfile::VariantLock;
using kernels::lockfile::write_lock_if_changed;
using kernels::lockfile::WriteOutcome;
using kernels::test::data_path;
using kernels::test::TempDir;

namespace {

const std::string kSha = "0123456789abcdef0123456789abcdef01234567";

Lock one(const std::string& sha = kSha) {
  return Lock{{LockedKernel{"example-org/relu", sha, {VariantLock{"torch-cpu", "sha256-aa"}}}}};
}

// Written by hand from the writer's rules (json.dump indent=2, no final newline).
const std::string kOneText =
    "[\n  {\n    \"repo_id\": \"example-org/relu\",\n    \"sha\": \"0123456789abcdef0123456789abcdef01234567\",\n"
    "    \"variants\": {\n      \"torch-cpu\": {\n        \"hash\": \"sha256-aa\",\n"
    "        \"hash_type\": \"git_lfs_concat\"\n      }\n    }\n  }\n]";

struct timespec mtime(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mtim;
}

ino_t inode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

}  // namespace

TEST_CASE("write_lock_if_changed creates, updates, and leaves an unchanged lock alone", "[lockfile][store]") {
  TempDir dir;
  std::string path = dir.path() + "/kernels.lock";
  auto created = write_lock_if_changed(path, one());
  REQUIRE(created.ok());
  CHECK(*created == WriteOutcome::Created);
  CHECK(*read_file(path) == kOneText);

  // Unchanged: same inode (no rename happened), same mtime.
  auto ino = inode(path);
  auto before = mtime(path);
  auto unchanged = write_lock_if_changed(path, one());
  REQUIRE(unchanged.ok());
  CHECK(*unchanged == WriteOutcome::Unchanged);
  CHECK(inode(path) == ino);
  CHECK(mtime(path).tv_nsec == before.tv_nsec);

  auto updated = write_lock_if_changed(path, one(std::string(40, 'f')));
  REQUIRE(updated.ok());
  CHECK(*updated == WriteOutcome::Updated);
  CHECK(read_file(path)->find(std::string(40, 'f')) != std::string::npos);
}

TEST_CASE("write_lock_if_changed rewrites a lock that differs only in formatting", "[lockfile][store]") {
  TempDir dir;
  auto path = dir.write("kernels.lock", kOneText + "\n");  // a trailing newline Python would not write
  CHECK(*write_lock_if_changed(path, one()) == WriteOutcome::Updated);
  CHECK(*read_file(path) == kOneText);
}

TEST_CASE("write_lock_if_changed: on failure nothing is written and the old lock stays", "[lockfile][store]") {
  TempDir dir;
  auto path = dir.write("kernels.lock", "old contents");
  // Bad UTF-8 fails before anything touches the disk.
  Lock bad{{LockedKernel{"o/\xFF", "s", {}}}};
  auto r = write_lock_if_changed(path, bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::utf8);
  CHECK(*read_file(path) == "old contents");

  // The write itself fails (works as root too): a file size limit of 16 bytes
  // makes write(2) fail with EFBIG once SIGXFSZ is ignored.
  {
    struct rlimit saved {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit tiny = saved;
    tiny.rlim_cur = 16;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &tiny) == 0);
    auto too_big = write_lock_if_changed(path, one());
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);
    REQUIRE_FALSE(too_big.ok());
    CHECK(too_big.error().code == ErrorCode::io);
    CHECK(*read_file(path) == "old contents");
    int entries = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
    CHECK(entries == 1);  // no temporary left behind
  }
  // A path whose directory does not exist.
  auto nowhere = write_lock_if_changed(dir.path() + "/missing/kernels.lock", one());
  REQUIRE_FALSE(nowhere.ok());
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/missing"));
}

TEST_CASE("check_lock: current when the bytes match, including the upstream fixture", "[lockfile][store]") {
  TempDir dir;
  auto path = dir.write("kernels.lock", kOneText);
  auto check = check_lock(path, one());
  REQUIRE(check.ok());
  CHECK(check->current);
  CHECK(render_check(*check, path).empty());

  Lock versions{{LockedKernel{
      "kernels-test/versions",
      "f609e51b856b3d874b0ae8445913e200f02c1735",
      {VariantLock{"torch-cpu", "sha256-d9fced49c3beeb47ce5b996c28f760bec579cf444f9fe1040725686b13b1336e"},
       VariantLock{"torch-cuda", "sha256-b6b786e496802bc3d1ae59cb48acb419d99ca1ffbeee0fecbf16238e36c00842"},
       VariantLock{"torch-rocm", "sha256-0ca53208b80507e0b592cbfb7c0c9b5f22a4def6413b809c551dabbea1e2ac86"},
       VariantLock{"torch-xpu", "sha256-09b9d84cb273d71a081daef373c42bec0691620591822e44a6811833f896b810"}}}}};
  auto fixture = check_lock(data_path("upstream-kernels/layer_locking/kernels.lock"), versions);
  REQUIRE(fixture.ok());
  CHECK(fixture->current);
}

TEST_CASE("check_lock: stale locks explain themselves and nothing is written", "[lockfile][store]") {
  TempDir dir;
  auto path = dir.write("kernels.lock", kOneText);
  auto moved = check_lock(path, one(std::string(40, 'f')));
  REQUIRE(moved.ok());
  CHECK_FALSE(moved->current);
  CHECK(render_check(*moved, path) ==
        std::vector<std::string>{"~ example-org/relu: commit " + kSha + " -> " + std::string(40, 'f')});
  CHECK(*read_file(path) == kOneText);

  auto missing = check_lock(dir.path() + "/none.lock", one());
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->current);
  CHECK(render_check(*missing, dir.path() + "/none.lock") ==
        std::vector<std::string>{dir.path() + "/none.lock does not exist; kernels lock would write:",
                                 "+ example-org/relu: new, at commit " + kSha});
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/none.lock"));

  auto spaced = dir.write("spaced.lock", kOneText + "\n");
  auto format_only = check_lock(spaced, one());
  REQUIRE(format_only.ok());
  CHECK_FALSE(format_only->current);
  CHECK(
      render_check(*format_only, spaced) ==
      std::vector<std::string>{spaced + " has the same contents, formatted differently from what kernels lock writes"});

  auto broken = dir.write("broken.lock", "{");
  auto unreadable = check_lock(broken, one());
  REQUIRE(unreadable.ok());
  CHECK_FALSE(unreadable->current);
  REQUIRE(unreadable->unreadable);
  auto lines = render_check(*unreadable, broken);
  REQUIRE(lines.size() == 3);
  CHECK_THAT(lines[0],
             Catch::StartsWith(broken + " cannot be read as a lock file: " + broken + ":1:2: not valid JSON"));
  CHECK(lines[1] == "kernels lock would write:");
  CHECK(lines[2] == "+ example-org/relu: new, at commit " + kSha);
}

TEST_CASE("check_lock: a lock path that is a directory is an io error", "[lockfile][store]") {
  TempDir dir;
  auto r = check_lock(dir.path(), one());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::io);
}
