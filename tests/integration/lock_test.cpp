// `kernels lock` end to end: the built binary against the Hub emulator
// (lock_support.hpp), expected bytes derived from the fixture contents.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "tests/integration/lock_support.hpp"
#include "util/file.hpp"

using kernels::lock_test::expected_entry;
using kernels::lock_test::expected_hash;
using kernels::lock_test::expected_lock;
using kernels::lock_test::kLockToken;
using kernels::lock_test::lock_env;
using kernels::lock_test::lock_hub;
using kernels::lock_test::LockHub;
using kernels::test::run_kernels;
using kernels::test::TempDir;

namespace {

std::string slurp(const std::string& path) {
  auto text = kernels::read_file(path);
  return text.ok() ? *text : std::string("<missing>");
}

bool exists(const std::string& path) { return std::filesystem::exists(path); }

std::string alpha_v1_entry() {
  return expected_entry("org/alpha", lock_hub().alpha_first, LockHub::hashes(lock_hub().alpha_c1));
}
std::string alpha_v2_entry() {
  return expected_entry("org/alpha", lock_hub().alpha_second, LockHub::hashes(lock_hub().alpha_c2));
}
std::string beta_v1_entry() {
  return expected_entry("org/beta", lock_hub().beta_first, LockHub::hashes(lock_hub().beta_v1));
}

}  // namespace

TEST_CASE("lock test helpers reproduce the reference vector V1", "[cli][lock]") {
  // The git_lfs_concat vector V1 of the reference notes, computed with Python's hashlib.
  CHECK(expected_hash(
            {{"__init__.py", "from ._ops import ops\n"}, {"relu/__init__.py", "def relu(x):\n    return x\n"}}) ==
        "sha256-683793b97c71d5454330b912468b7eb58e01c34532564e5b6b62665eee875509");
}

TEST_CASE("kernels lock: versions, byte-exact, in dependency order", "[cli][lock]") {
  TempDir project;
  project.write("pyproject.toml",
                "[project]\nname = \"demo\"\n\n[tool.kernels.dependencies]\n"
                "\"org/beta\" = 1\n"
                "\"org/alpha\" = { version = 2 }\n");
  auto r = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({beta_v1_entry(), alpha_v2_entry()}));
  CHECK(r.err.find("Wrote " + project.path() + "/kernels.lock (variant-hashes, 2 kernels, ") != std::string::npos);
  // Piped: no progress lines, and no warning since v2 is the newest.
  CHECK(r.err.find("resolved") == std::string::npos);
  CHECK(r.err.find("warning") == std::string::npos);
}

TEST_CASE("kernels lock: an older version locks that branch's head and warns of the newer one", "[cli][lock]") {
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = 1\n");
  auto r = run_kernels({"lock"}, [&] {
    auto o = lock_env(project.path() + "/home");
    o.cwd = project.path();
    return o;
  }());
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({alpha_v1_entry()}));
  CHECK(r.err.find("warning: You are using version 1 of 'org/alpha', but version 2 is available.\n") !=
        std::string::npos);
  CHECK(r.err.find("Wrote ./kernels.lock") != std::string::npos);
}

TEST_CASE("kernels lock: revisions as branch, annotated tag and commit", "[cli][lock]") {
  auto& hub = lock_hub();
  TempDir project;
  project.write("pyproject.toml",
                "[tool.kernels.dependencies]\n"
                "\"org/alpha\" = { revision = \"release\" }\n"
                "\"org/beta\" = { revision = \"" +
                    hub.beta_first + "\" }\n");
  auto r = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({alpha_v1_entry(), beta_v1_entry()}));

  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = { revision = \"main\" }\n");
  auto main = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  REQUIRE(main.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({alpha_v2_entry()}));
  CHECK(main.err.find("Updated ") != std::string::npos);
}

TEST_CASE("kernels lock: bytecode and non-torch variants are not hashed", "[cli][lock]") {
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/beta\" = 1\n");
  auto r = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  REQUIRE(r.exit_code == 0);
  std::string lock = slurp(project.path() + "/kernels.lock");
  CHECK(lock.find("tvm-ffi") == std::string::npos);
  CHECK(lock == expected_lock({beta_v1_entry()}));
}

TEST_CASE("kernels lock: a redirect is followed and the destination locked", "[cli][lock][redirect]") {
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/moved\" = 2\n");
  auto r = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({alpha_v2_entry()}));
  CHECK(r.err.find("note: " + project.path() +
                   "/pyproject.toml:2: org/moved redirects to org/alpha (its kernel-status.toml); the lock records "
                   "org/alpha\n") != std::string::npos);
}

TEST_CASE("kernels lock: two dependencies that end at one repo are refused, naming both", "[cli][lock][redirect]") {
  TempDir project;
  project.write("kernels.lock", "old");
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = 1\n\"org/moved\" = 2\n");
  auto r = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("Two dependencies lock org/alpha: " + project.path() + "/pyproject.toml:2 (org/alpha) and " +
                   project.path() + "/pyproject.toml:3 (org/moved, which redirects there)") != std::string::npos);
  CHECK(r.err.find("nothing was written to " + project.path() + "/kernels.lock") != std::string::npos);
  CHECK(slurp(project.path() + "/kernels.lock") == "old");
}

TEST_CASE("kernels lock: a private repo needs the token", "[cli][lock][auth]") {
  auto& hub = lock_hub();
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/secret\" = 1\n");
  auto anonymous = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(anonymous.exit_code == 1);
  CHECK(anonymous.err.find("org/secret (version 1): ") != std::string::npos);
  CHECK_FALSE(exists(project.path() + "/kernels.lock"));

  auto with_token =
      run_kernels({"lock", project.path()}, lock_env(project.path() + "/home", {{"HF_TOKEN", kLockToken}}));
  INFO(with_token.err);
  REQUIRE(with_token.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") ==
        expected_lock({expected_entry("org/secret", hub.secret_first, LockHub::hashes(hub.beta_v1))}));
  CHECK(with_token.err.find(kLockToken) == std::string::npos);
}

TEST_CASE("kernels lock: a missing version is Python's message and the old lock stays", "[cli][lock]") {
  TempDir project;
  project.write("kernels.lock", "[]");
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/beta\" = 1\n\"org/alpha\" = 7\n");
  auto r = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: kernels lock: " + project.path() +
                   "/pyproject.toml:3: org/alpha (version 7): Version 7 not found, available versions: 1, 2\n") !=
        std::string::npos);
  CHECK(slurp(project.path() + "/kernels.lock") == "[]");

  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/nope\" = 1\n");
  auto missing = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("org/nope (version 1): Repository org/nope not found") != std::string::npos);
  CHECK(slurp(project.path() + "/kernels.lock") == "[]");
}

TEST_CASE("kernels lock: tree listings are followed across pages", "[cli][lock]") {
  auto& hub = lock_hub();
  hub.emulator->clear_log();
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = 2\n");
  auto r = run_kernels({"lock", project.path(), "--jobs", "1"}, lock_env(project.path() + "/home"));
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({alpha_v2_entry()}));
  int pages = 0;
  for (const auto& req : hub.emulator->requests()) {
    if (req.target.find("/tree/" + hub.alpha_second) != std::string::npos) ++pages;
  }
  CHECK(pages >= 4);  // 4 entries a page
}

TEST_CASE("kernels lock: faults are retried, and when retries run out nothing is written", "[cli][lock][faults]") {
  auto& hub = lock_hub();
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = 2\n\"org/beta\" = 1\n");

  kernels::hub_emulator::Faults flaky;
  flaky.rate_limit_every = 2;  // every other request: 429, Retry-After: 0
  hub.emulator->set_faults(flaky);
  auto recovered = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  INFO(recovered.err);
  CHECK(recovered.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({alpha_v2_entry(), beta_v1_entry()}));

  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = 1\n");
  kernels::hub_emulator::Faults down;
  down.rate_limit_every = 1;  // every request
  hub.emulator->set_faults(down);
  auto failed = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  hub.emulator->set_faults({});
  CHECK(failed.exit_code == 2);
  CHECK(failed.err.find("org/alpha (version 1): ") != std::string::npos);
  CHECK(failed.err.find("429") != std::string::npos);
  CHECK(failed.err.find("nothing was written") != std::string::npos);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({alpha_v2_entry(), beta_v1_entry()}));
}

TEST_CASE("kernels lock: an unchanged lock is not rewritten", "[cli][lock]") {
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/beta\" = 1\n");
  REQUIRE(run_kernels({"lock", project.path()}, lock_env(project.path() + "/home")).exit_code == 0);
  struct stat before {};
  REQUIRE(stat((project.path() + "/kernels.lock").c_str(), &before) == 0);
  auto again = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("Unchanged " + project.path() + "/kernels.lock") != std::string::npos);
  struct stat after {};
  REQUIRE(stat((project.path() + "/kernels.lock").c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
}

TEST_CASE("kernels lock --check: 0 when current, 1 with a diff when stale, never writes", "[cli][lock][check]") {
  auto& hub = lock_hub();
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = 2\n");

  auto missing = run_kernels({"lock", project.path(), "--check"}, lock_env(project.path() + "/home"));
  CHECK(missing.exit_code == 1);
  CHECK_FALSE(exists(project.path() + "/kernels.lock"));

  project.write("kernels.lock", expected_lock({alpha_v2_entry()}));
  auto current = run_kernels({"lock", project.path(), "--check"}, lock_env(project.path() + "/home"));
  CHECK(current.exit_code == 0);
  CHECK(current.out.find(project.path() + "/kernels.lock is up to date") == 0);

  std::string stale = expected_lock({alpha_v1_entry()});
  project.write("kernels.lock", stale);
  auto r = run_kernels({"lock", project.path(), "--check"}, lock_env(project.path() + "/home"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(project.path() + "/kernels.lock is stale:\n") == 0);
  CHECK(r.out.find("~ org/alpha: commit " + hub.alpha_first + " -> " + hub.alpha_second) != std::string::npos);
  auto c1 = LockHub::hashes(hub.alpha_c1);
  auto c2 = LockHub::hashes(hub.alpha_c2);
  CHECK(r.out.find("~ torch-cpu: " + c1[0].second + " -> " + c2[0].second) != std::string::npos);
  CHECK(r.out.find("+ torch211-cxx11-cu130-x86_64-linux: " + c2[2].second) != std::string::npos);
  CHECK(r.out.find("torch-cuda:") == std::string::npos);  // unchanged
  CHECK(slurp(project.path() + "/kernels.lock") == stale);
}

TEST_CASE("kernels lock --offline: from the HF cache alone, or says what is missing", "[cli][lock][offline]") {
  namespace fs = std::filesystem;
  TempDir home;
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/k\" = 1\n");
  const std::string c1(40, 'c');
  const std::string py = "x = 1\n";
  const std::string so =
      "\x7f"
      "ELF offline";
  std::string py_blob = kernels::hub_emulator::git_blob_oid(py);
  std::string so_blob = kernels::hub_emulator::sha256_hex(so);
  std::string pointer_blob(40, 'a');  // the LFS pointer's git id: not part of the hash
  std::string repo = home.path() + "/hub/kernels--org--k";
  home.write("hub/kernels--org--k/refs/v1", c1);
  home.write("hub/kernels--org--k/refs/main", c1);
  home.write("hub/kernels--org--k/.no_exist/" + c1 + "/kernel-status.toml", "");  // checked: no redirect
  home.write("hub/kernels--org--k/blobs/" + py_blob, py);
  home.write("hub/kernels--org--k/blobs/" + so_blob, so);
  fs::create_directories(repo + "/snapshots/" + c1 + "/build/torch-cpu/k");
  fs::create_symlink("../../../../../blobs/" + py_blob, repo + "/snapshots/" + c1 + "/build/torch-cpu/k/__init__.py");
  fs::create_symlink("../../../../blobs/" + so_blob, repo + "/snapshots/" + c1 + "/build/torch-cpu/_k.so");

  // A snapshot alone does not say which files the commit has (a download of
  // one variant, a file deleted): refused, naming what is missing.
  auto partial = run_kernels({"lock", project.path(), "--offline"}, lock_env(home.path()));
  CHECK(partial.exit_code == 1);
  CHECK(partial.err.find("org/k") != std::string::npos);
  CHECK(partial.err.find("trees/" + c1 + ".json") != std::string::npos);
  CHECK_FALSE(exists(project.path() + "/kernels.lock"));

  // huggingface_hub's record of the complete listing, and of kernel-status.toml
  // being absent at main: now the lock is what the Hub would give.
  home.write("hub/kernels--org--k/trees/" + c1 + ".json",
             "{\n \"format_version\": 1,\n \"files\": {\n  \"build/torch-cpu/_k.so\": {\n   \"size\": " +
                 std::to_string(so.size()) + ",\n   \"blob_id\": \"" + pointer_blob + "\",\n   \"lfs_sha256\": \"" +
                 so_blob + "\",\n   \"lfs_size\": " + std::to_string(so.size()) +
                 "\n  },\n  \"build/torch-cpu/k/__init__.py\": {\n   \"size\": " + std::to_string(py.size()) +
                 ",\n   \"blob_id\": \"" + py_blob + "\"\n  }\n }\n}");
  // A redirect that was never checked is not "no redirect".
  fs::remove_all(repo + "/.no_exist");
  auto no_status = run_kernels({"lock", project.path(), "--offline"}, lock_env(home.path()));
  CHECK(no_status.exit_code == 1);
  CHECK(no_status.err.find("cannot tell offline whether org/k redirects") != std::string::npos);
  home.write("hub/kernels--org--k/.no_exist/" + c1 + "/kernel-status.toml", "");

  auto r = run_kernels({"lock", project.path(), "--offline"}, lock_env(home.path()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string hash = expected_hash({{"k/__init__.py", py}, {"_k.so", so, true}});
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({expected_entry("org/k", c1, {{"torch-cpu", hash}})}));
  auto env_offline = run_kernels({"lock", project.path(), "--check"}, lock_env(home.path(), {{"HF_HUB_OFFLINE", "1"}}));
  CHECK(env_offline.exit_code == 0);

  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/k\" = 1\n\"org/other\" = 1\n");
  auto none = run_kernels({"lock", project.path(), "--offline"}, lock_env(home.path()));
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("org/other (version 1): ") != std::string::npos);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({expected_entry("org/k", c1, {{"torch-cpu", hash}})}));
}

TEST_CASE("kernels lock: input errors are clear and write nothing", "[cli][lock]") {
  TempDir project;
  auto none = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("pyproject.toml") != std::string::npos);

  project.write("pyproject.toml", "[project]\nname = \"x\"\n");
  auto no_table = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(no_table.exit_code == 2);
  CHECK(no_table.err.find("[tool.kernels.dependencies]") != std::string::npos);

  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = \">=0.1\"\n");
  auto spec = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(spec.exit_code == 2);
  CHECK(spec.err.find("is a version specifier, which kernels no longer supports; write \"org/alpha\" = N") !=
        std::string::npos);
  CHECK_FALSE(exists(project.path() + "/kernels.lock"));

  auto both = run_kernels({"lock", project.path(), "--config", "x.toml"}, lock_env(project.path() + "/home"));
  CHECK(both.exit_code == 2);
  CHECK(both.err.find("either PROJECT_DIR or --config") != std::string::npos);
}

TEST_CASE("kernels lock: pyproject errors show file:line:column, the source line, a caret and a did-you-mean",
          "[cli][lock][pyproject]") {
  TempDir project;
  const std::string path = project.path() + "/pyproject.toml";
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = { verison = 1 }\n");
  auto typo = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.empty());
  CHECK(typo.err == path +
                        ":2:17: error[unknown-key]: \"org/alpha\": unknown key \"verison\" (a dependency takes "
                        "version or revision)\n"
                        " 2 | \"org/alpha\" = { verison = 1 }\n"
                        "   |                 ^\n"
                        "  = hint: did you mean 'version'?\n"
                        "error: kernels lock: " +
                        path +
                        ": 1 problem with [tool.kernels.dependencies]; nothing was "
                        "locked\n");

  project.write("pyproject.toml", "[project]\nname = \"x\"\n[tool.kernel.dependencies]\n\"org/alpha\" = 1\n");
  auto table = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(table.exit_code == 2);
  CHECK(table.err == path +
                         ":3:7: error[no-dependencies]: no [tool.kernels.dependencies] table; did you mean "
                         "'kernels', not 'kernel'?\n"
                         " 3 | [tool.kernel.dependencies]\n"
                         "   |       ^\n"
                         "  = hint: kernels lock locks the kernels listed there, for example:\n"
                         "          [tool.kernels.dependencies]\n"
                         "          \"kernels-community/relu\" = 1                        # branch v1\n"
                         "          \"kernels-community/activation\" = { revision = \"main\" }  # a branch, tag or "
                         "commit\n"
                         "error: kernels lock: " +
                         path +
                         ": 1 problem with [tool.kernels.dependencies]; nothing was "
                         "locked\n");

  // Every bad entry at once, each with its code and column.
  project.write("pyproject.toml",
                "[tool.kernels.dependencies]\n\"org/alpha\" = 0.5\nrelu = 1\n\"org/beta\" = { version = \"2\" }\n");
  auto entries = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(entries.exit_code == 2);
  CHECK(entries.err.find(path + ":2:15: error[wrong-type]: \"org/alpha\" is a float;") == 0);
  CHECK(entries.err.find(path + ":3:1: error[invalid-repo-id]: \"relu\" is not a Hub repo id: it has no '/'") !=
        std::string::npos);
  CHECK(entries.err.find(path + ":4:26: error[invalid-version]: \"org/beta\": version is a string;") !=
        std::string::npos);
  CHECK(entries.err.find("error: kernels lock: " + path + ": 3 problems with [tool.kernels.dependencies]") !=
        std::string::npos);

  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/alpha\" = \n");
  auto syntax = run_kernels({"lock", project.path()}, lock_env(project.path() + "/home"));
  CHECK(syntax.exit_code == 2);
  CHECK(syntax.err.find(path + ":2:15: error[syntax]: not valid TOML: ") == 0);
  CHECK(syntax.err.find(" 2 | \"org/alpha\" = \n   |               ^\n") != std::string::npos);
  CHECK(syntax.err.find("error: kernels lock: " + path + " is not valid TOML; nothing was locked\n") !=
        std::string::npos);
  CHECK_FALSE(exists(project.path() + "/kernels.lock"));
}

TEST_CASE("kernels lock --config: the KernelConfig's Hub repos, local ones left out", "[cli][lock][config]") {
  TempDir dir;
  std::string config = dir.write("kernels.toml",
                                 "[kernel_mapping]\n"
                                 "RMSNorm = \"org/beta:RMSNorm\"\n"
                                 "SiluAndMul = { repo = \"org/alpha:SiluAndMul\", version = 2 }\n"
                                 "Other = { repo = \"org/beta:Other\", version = 1 }\n");
  auto r = run_kernels({"lock", "--config", config}, lock_env(dir.path() + "/home"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(dir.path() + "/kernels.lock") == expected_lock({beta_v1_entry(), alpha_v2_entry()}));

  auto out =
      run_kernels({"lock", "--config", config, "--output", dir.path() + "/sub.lock"}, lock_env(dir.path() + "/home"));
  CHECK(out.exit_code == 0);
  CHECK(slurp(dir.path() + "/sub.lock") == slurp(dir.path() + "/kernels.lock"));

  std::string conflict = dir.write("conflict.toml",
                                   "[kernel_mapping]\n"
                                   "RMSNorm = \"org/alpha:RMSNorm\"\n"
                                   "SiluAndMul = { repo = \"org/alpha:SiluAndMul\", version = 2 }\n");
  auto c =
      run_kernels({"lock", "--config", conflict, "--output", dir.path() + "/c.lock"}, lock_env(dir.path() + "/home"));
  CHECK(c.exit_code == 2);
  CHECK(c.err.find(conflict + ":3:") != std::string::npos);
  CHECK(c.err.find("org/alpha is asked for at version 2 here and at version 1 at " + conflict + ":2:") !=
        std::string::npos);
  CHECK_FALSE(exists(dir.path() + "/c.lock"));
}

TEST_CASE("kernels lock: on a terminal, one progress line per dependency", "[cli][lock][tty]") {
  auto& hub = lock_hub();
  TempDir project;
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/beta\" = 1\n\"org/moved\" = 2\n");
  auto options = lock_env(project.path() + "/home", {{"NO_COLOR", "1"}});
  options.unset_env = {"HF_TOKEN", "HF_HUB_OFFLINE", "HF_TOKEN_PATH"};
  // script(1) runs the command on a pseudo-terminal: stderr is a TTY there.
  std::string command = std::string("'") + KERNELS_BINARY + "' lock '" + project.path() + "'";
  auto r = kernels::test::run_process({"/usr/bin/script", "-qec", command, "/dev/null"}, options);
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("  resolved org/beta 1 @ " + hub.beta_first.substr(0, 12) + " (1 variants)") != std::string::npos);
  CHECK(r.out.find("  resolved org/moved 2 -> org/alpha @ " + hub.alpha_second.substr(0, 12) + " (3 variants)") !=
        std::string::npos);
  CHECK(slurp(project.path() + "/kernels.lock") == expected_lock({beta_v1_entry(), alpha_v2_entry()}));
}
