#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "hub/client.hpp"
#include "hub/decode.hpp"
#include "tests/unit/hub/hub_test_support.hpp"
#include "util/file.hpp"

using kernels::ErrorCode;

using namespace kernels::hub;
namespace fs = std::filesystem;

TEST_CASE("kernel-status.toml: a redirect with and without revision", "[hub][status]") {
  auto r = parse_kernel_status("kind = \"redirect\"\ndestination = \"org/new\"\n", "org/old");
  REQUIRE(r.ok());
  REQUIRE(*r);
  CHECK((*r)->destination == "org/new");
  CHECK((*r)->revision == "main");
  auto rev = parse_kernel_status("kind = \"redirect\"\ndestination = \"org/new\"\nrevision = \"v2\"\n", "org/old");
  CHECK((*rev)->revision == "v2");
}

TEST_CASE("kernel-status.toml: bad files are errors that say why", "[hub][status]") {
  auto kind = parse_kernel_status("kind = \"archived\"\n", "org/old");
  REQUIRE_FALSE(kind.ok());
  CHECK(kind.error().message.find("kind must be \"redirect\"") != std::string::npos);
  auto dest = parse_kernel_status("kind = \"redirect\"\ndestination = \"\"\n", "org/old");
  REQUIRE_FALSE(dest.ok());
  CHECK(dest.error().message.find("destination") != std::string::npos);
  auto syntax = parse_kernel_status("kind = ", "org/old");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error().code == ErrorCode::bad_status);
  CHECK_FALSE(parse_kernel_status("destination = \"a/b\"\n", "org/old").ok());
}

TEST_CASE("kernel-status.toml: content errors name the line and column of the value at fault", "[hub][status]") {
  auto message = [](const std::string& text) {
    auto r = parse_kernel_status(text, "org/old");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_status);
    return r.error().message;
  };
  // Columns count code points from 1; the value's first character is the position.
  CHECK(message("kind = \"archived\"\n") ==
        "org/old: kernel-status.toml:1:8: kind must be \"redirect\", not \"archived\"");
  CHECK(message("# moved\n\nkind   = 3\n") ==
        "org/old: kernel-status.toml:3:10: kind must be \"redirect\", not integer");
  CHECK(message("[kind]\nname = \"redirect\"\n") ==
        "org/old: kernel-status.toml:1:1: kind must be \"redirect\", not table");
  CHECK(message("kind = \"redirect\"\ndestination = \"\"\n") ==
        "org/old: kernel-status.toml:2:15: destination is empty; write \"org/name\"");
  CHECK(message("kind = \"redirect\"\n  destination = [\"a/b\"]\n") ==
        "org/old: kernel-status.toml:2:17: destination must be a string \"org/name\", not array");
  CHECK_THAT(message("kind = \"redirect\"\ndestination = \"evil/x/../k2\"\n"),
             Catch::StartsWith("org/old: kernel-status.toml:2:15: the destination is not a Hub repo id: "));
  CHECK(message("kind = \"redirect\"\ndestination = \"a/b\"\nrevision = 2\n") ==
        "org/old: kernel-status.toml:3:12: revision must be a string, not integer");
  CHECK_THAT(message("kind = \"redirect\"\ndestination = \"a/b\"\nrevision = \"../../x\"\n"),
             Catch::StartsWith("org/old: kernel-status.toml:3:12: the revision "));
  // The value's position, not the key's: a quoted key is longer than its name.
  CHECK(message("kind = \"redirect\"\n\"destination\" = 'a'\n") ==
        "org/old: kernel-status.toml:2:17: the destination is not a Hub repo id: it has no '/' (expected org/name)");
  // A key that is missing has no position.
  CHECK(message("destination = \"a/b\"\n") ==
        "org/old: kernel-status.toml: has no \"kind\"; a redirect says kind = \"redirect\"");
  CHECK(message("kind = \"redirect\"\n") == "org/old: kernel-status.toml: a redirect needs destination = \"org/name\"");
  // A syntax error keeps its position, in the same form.
  CHECK_THAT(message("kind = \"redirect\"\ndestination = "),
             Catch::StartsWith("org/old: kernel-status.toml:2:15: not valid TOML: "));
}

TEST_CASE("kernel-status.toml: deep nesting is a clear error, not a crash", "[hub][status][limits]") {
  // Regression: 20k nested arrays crashed lock and info (toml11 recursed without a limit).
  std::string deep =
      "kind = \"redirect\"\ndestination = \"a/b\"\nx = " + std::string(20000, '[') + std::string(20000, ']') + "\n";
  auto r = parse_kernel_status(deep, "org/old");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::bad_status);
  CHECK_THAT(r.error().message, Catch::StartsWith("org/old: kernel-status.toml:3:69: not valid TOML: "));
}

TEST_CASE("kernel-status.toml: a destination or revision that is no Hub id is refused", "[hub][status][limits]") {
  // Regression: "evil/x/../k2" went into kernels.lock, "../../api/whoami-v2?" sent the token to that path.
  for (const char* bad : {"evil/x/../k2", "../../api/whoami-v2?", "org/na me", "org/\\u001b[2Jx"}) {
    auto r = parse_kernel_status("kind = \"redirect\"\ndestination = \"" + std::string(bad) + "\"\n", "org/old");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("the destination is not a Hub repo id"));
  }
  for (const char* bad : {"../../x", "a b", "main\\n", "-x", ""}) {
    auto r = parse_kernel_status(
        std::string("kind = \"redirect\"\ndestination = \"a/b\"\nrevision = \"") + bad + "\"\n", "org/old");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("the revision "));
  }
}

// ---------------------------------------------------------------- kernel-status.toml recorded online, answered offline

namespace {

kernels::hub_emulator::TestHub& status_hub() {
  static kernels::hub_emulator::TestHub hub;
  return hub;
}

HubConfig status_config(kernels::hub_emulator::TestHub& hub, const std::string& cache, bool offline) {
  HubConfig c = kernels::hub_test::config_for(hub, "", cache);
  c.offline = offline;
  return c;
}

std::string slurp(const std::string& path) {
  auto text = kernels::read_file(path);
  return text.ok() ? *text : "<unreadable: " + text.error().message + ">";
}

void put(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("kernel_status online records the file or its absence as hf_hub_download does", "[hub][status][offline]") {
  auto& hub = status_hub();
  kernels::hub_emulator::ScratchDir cache;
  HubClient online(status_config(hub, cache.path(), false));
  std::string moved_main = online.repo_info("kernels-test/moved")->sha;
  std::string plain_main = online.repo_info("kernels-test/plain")->sha;
  REQUIRE(is_commit_hash(moved_main));
  REQUIRE(is_commit_hash(plain_main));

  auto moved = online.kernel_status("kernels-test/moved");
  REQUIRE(moved.ok());
  REQUIRE(*moved);
  std::string moved_dir = cache.path() + "/kernels--kernels-test--moved";
  CHECK(slurp(moved_dir + "/refs/main") == moved_main);  // no trailing newline
  std::string link = moved_dir + "/snapshots/" + moved_main + "/kernel-status.toml";
  REQUIRE(fs::is_symlink(link));
  std::string text = slurp(link);
  CHECK(text.find("kernels-test/relu") != std::string::npos);
  CHECK(fs::read_symlink(link).string() == "../../blobs/" + kernels::hub_emulator::git_blob_oid(text));
  CHECK_FALSE(fs::exists(moved_dir + "/.no_exist"));

  auto plain = online.kernel_status("kernels-test/plain");
  REQUIRE(plain.ok());
  CHECK_FALSE(*plain);
  std::string plain_dir = cache.path() + "/kernels--kernels-test--plain";
  std::string marker = plain_dir + "/.no_exist/" + plain_main + "/kernel-status.toml";
  REQUIRE(fs::is_regular_file(marker));
  CHECK(fs::file_size(marker) == 0);
  CHECK(slurp(plain_dir + "/refs/main") == plain_main);
  CHECK_FALSE(fs::exists(plain_dir + "/snapshots/" + plain_main + "/kernel-status.toml"));

  // A revision that is a commit: recorded at the commit, no refs/<commit>.
  auto at_commit = online.kernel_status("kernels-test/relu", hub.relu_first);
  REQUIRE(at_commit.ok());
  CHECK_FALSE(*at_commit);
  std::string relu_dir = cache.path() + "/kernels--kernels-test--relu";
  CHECK(fs::exists(relu_dir + "/.no_exist/" + hub.relu_first + "/kernel-status.toml"));
  CHECK_FALSE(fs::exists(relu_dir + "/refs/" + hub.relu_first));
  // A repository the Hub does not have: no redirect, and nothing to record.
  auto nope = online.kernel_status("kernels-test/nope");
  REQUIRE(nope.ok());
  CHECK_FALSE(*nope);
  CHECK_FALSE(fs::exists(cache.path() + "/kernels--kernels-test--nope"));

  // Offline, the same answers from the records alone.
  HubClient offline(status_config(hub, cache.path(), true));
  auto moved_off = offline.kernel_status("kernels-test/moved");
  REQUIRE(moved_off.ok());
  REQUIRE(*moved_off);
  CHECK((*moved_off)->destination == (*moved)->destination);
  CHECK((*moved_off)->revision == (*moved)->revision);
  auto plain_off = offline.kernel_status("kernels-test/plain");
  REQUIRE(plain_off.ok());
  CHECK_FALSE(*plain_off);
  auto commit_off = offline.kernel_status("kernels-test/relu", hub.relu_first);
  REQUIRE(commit_off.ok());
  CHECK_FALSE(*commit_off);
  // Never checked: not "no redirect", but an error.
  auto relu_main = offline.kernel_status("kernels-test/relu");
  REQUIRE_FALSE(relu_main.ok());
  CHECK(relu_main.error().code == ErrorCode::offline);
  auto nope_off = offline.kernel_status("kernels-test/nope");
  REQUIRE_FALSE(nope_off.ok());
  CHECK(nope_off.error().code == ErrorCode::offline);
  CHECK(offline.request_count() == 0);
}

TEST_CASE("kernel_status online: an unwritable cache does not fail the call", "[hub][status][offline]") {
  auto& hub = status_hub();
  kernels::hub_emulator::ScratchDir dir;
  std::string not_a_dir = dir.write("cache", "x");
  HubClient online(status_config(hub, not_a_dir, false));
  auto moved = online.kernel_status("kernels-test/moved");
  REQUIRE(moved.ok());
  REQUIRE(*moved);
  CHECK((*moved)->destination == "kernels-test/relu");
  auto plain = online.kernel_status("kernels-test/plain");
  REQUIRE(plain.ok());
  CHECK_FALSE(*plain);
  auto rev = online.kernel_status("kernels-test/relu", "v9");  // a revision the repo has not: still an error
  REQUIRE_FALSE(rev.ok());
  CHECK(rev.error().code == ErrorCode::revision_not_found);
}

TEST_CASE("kernel_status offline: cached file, .no_exist marker, nothing cached", "[hub][status][offline]") {
  kernels::hub_emulator::ScratchDir root;
  const std::string commit(40, '7');
  const std::string blob = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  std::string k = root.path() + "/kernels--org--k";
  put(k + "/refs/main", commit);
  put(k + "/blobs/" + blob, "kind = \"redirect\"\ndestination = \"org/new\"\nrevision = \"v2\"\n");
  fs::create_directories(k + "/snapshots/" + commit);
  fs::create_symlink("../../blobs/" + blob, k + "/snapshots/" + commit + "/kernel-status.toml");
  std::string m = root.path() + "/kernels--org--m";
  put(m + "/refs/main", commit);
  put(m + "/.no_exist/" + commit + "/kernel-status.toml", "");
  std::string n = root.path() + "/kernels--org--n";  // a ref and a snapshot, but kernel-status.toml never checked
  put(n + "/refs/main", commit);
  put(n + "/snapshots/" + commit + "/README.md", "x\n");
  std::string d = root.path() + "/kernels--org--d";  // the blob behind the link is gone
  put(d + "/refs/main", commit);
  fs::create_directories(d + "/snapshots/" + commit);
  fs::create_symlink("../../blobs/" + blob, d + "/snapshots/" + commit + "/kernel-status.toml");

  HubConfig c;
  c.endpoint = "http://127.0.0.1:1";
  c.offline = true;
  c.hub_cache = c.kernels_cache = root.path();
  HubClient client(c);
  auto redirect = client.kernel_status("org/k");
  REQUIRE(redirect.ok());
  REQUIRE(*redirect);
  CHECK((*redirect)->destination == "org/new");
  CHECK((*redirect)->revision == "v2");
  auto none = client.kernel_status("org/m");
  REQUIRE(none.ok());
  CHECK_FALSE(*none);
  for (const std::string repo : {"org/n", "org/d", "org/absent"}) {
    INFO(repo);
    auto unknown = client.kernel_status(repo);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == ErrorCode::offline);
    CHECK_THAT(unknown.error().message,
               Catch::Contains("cannot tell offline whether " + repo +
                               " redirects: its kernel-status.toml at main was never checked into the cache"));
    CHECK_THAT(unknown.error().message, Catch::EndsWith("run `kernels lock` once online"));
  }
  auto other_rev = client.kernel_status("org/m", "v1");  // no refs/v1
  REQUIRE_FALSE(other_rev.ok());
  CHECK_THAT(other_rev.error().message, Catch::Contains("at v1 was never checked"));
  CHECK(client.request_count() == 0);
}
