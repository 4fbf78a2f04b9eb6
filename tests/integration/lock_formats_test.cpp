// `kernels lock` and its two formats end to end: kernels-data locks with
// transitive kernel-depends, the choice and migration of formats, the CI
// modes (--locked, --check reasons, --update), --config pruning, and offline
// locks that equal online ones or fail. Expected bytes are written out here
// from the format rules (serde_json pretty, kernels-data's order), not
// produced by lockfile/.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/hub/emulator.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/test_hub.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

namespace fs = std::filesystem;
using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;

namespace {

// {"name", ..., "kernel-depends": [...]} as kernel-builder writes it, enough for the lock.
std::string metadata(const std::vector<std::string>& depends) {
  std::string deps;
  for (std::size_t i = 0; i < depends.size(); ++i) deps += (i ? ", " : "") + depends[i];
  return "{\n  \"name\": \"k\",\n  \"version\": 1,\n  \"license\": \"apache-2.0\",\n  \"python-depends\": [],\n"
         "  \"kernel-depends\": [" +
         deps + "],\n  \"backend\": {\"type\": \"cpu\"}\n}\n";
}

std::string dep(const std::string& repo, int version) {
  return "{\"repo-id\": \"" + repo + "\", \"version\": " + std::to_string(version) + "}";
}

// Repositories (all org "dep"):
//   a v1 -> b v1 -> c v1              a chain three deep
//   top v1: torch-cpu -> left v1, torch-cuda -> right v1; left, right -> c v1   a diamond
//   x v1 -> y v1 -> x v1              a cycle
//   uni: branch "bränch" (no deps), no versions
//   m1, m2: v1, moved by the tests that need it
//   old: kernel-status.toml -> dep/c
class DepsHub {
 public:
  DepsHub() {
    auto kernel = [&](const std::string& id, const std::vector<std::pair<std::string, std::string>>& variants) {
      kernels::hub_emulator::FixtureRepo r(scratch_.path(), id);
      for (const auto& [variant, meta] : variants) {
        r.write("build/" + variant + "/k/__init__.py", "# " + id + " " + variant + "\n");
        r.write("build/" + variant + "/metadata.json", meta);
      }
      std::string c = r.commit("main", "first");
      r.branch("v1", c);
      commits[id] = c;
    };
    kernel("dep/a", {{"torch-cpu", metadata({dep("dep/b", 1)})}});
    kernel("dep/b", {{"torch-cpu", metadata({dep("dep/c", 1)})}});
    kernel("dep/c", {{"torch-cpu", metadata({})}, {"torch-cuda", metadata({})}});
    kernel("dep/top", {{"torch-cpu", metadata({dep("dep/left", 1)})}, {"torch-cuda", metadata({dep("dep/right", 1)})}});
    kernel("dep/left", {{"torch-cpu", metadata({dep("dep/c", 1)})}});
    kernel("dep/right", {{"torch-cpu", metadata({dep("dep/c", 1)})}});
    kernel("dep/x", {{"torch-cpu", metadata({dep("dep/y", 1)})}});
    kernel("dep/y", {{"torch-cpu", metadata({dep("dep/x", 1)})}});
    kernel("dep/m1", {{"torch-cpu", metadata({})}});
    kernel("dep/m2", {{"torch-cpu", metadata({})}});
    {
      kernels::hub_emulator::FixtureRepo r(scratch_.path(), "dep/uni");
      r.write("README.md", "uni\n");
      r.commit("main", "first");
      r.write("build/torch-cpu/k/__init__.py", "uni\n");
      commits["dep/uni"] = r.commit("bränch", "second");
    }
    {
      kernels::hub_emulator::FixtureRepo r(scratch_.path(), "dep/old");
      r.write("build/torch-cpu/k/__init__.py", "old\n").write("build/torch-cpu/metadata.json", metadata({}));
      std::string c = r.commit("main", "first");
      r.branch("v1", c);
      commits["dep/old"] = c;
      r.redirect_to("dep/c");
      r.commit("main", "moved to dep/c");
    }
    kernels::hub_emulator::EmulatorOptions options;
    options.root = scratch_.path();
    options.page_size = 3;
    emulator = std::make_unique<kernels::hub_emulator::HubEmulator>(options);
    emulator->start();
  }
  ~DepsHub() { emulator->stop(); }

  // Moves branch v1 of `id` to a new commit and returns it.
  std::string move(const std::string& id) {
    kernels::hub_emulator::FixtureRepo r(scratch_.path(), id);
    r.write("build/torch-cpu/k/__init__.py", "# moved " + std::to_string(++moves_) + "\n");
    r.write("build/torch-cpu/metadata.json", metadata({}));
    std::string c = r.commit("v1", "moved");
    return c;
  }

  std::map<std::string, std::string> commits;
  std::unique_ptr<kernels::hub_emulator::HubEmulator> emulator;

 private:
  kernels::hub_emulator::ScratchDir scratch_;
  int moves_ = 0;
};

DepsHub& deps_hub() {
  static DepsHub hub;
  return hub;
}

RunOptions env(const std::string& home, std::map<std::string, std::string> extra = {}) {
  RunOptions o;
  o.env = std::move(extra);
  if (!o.env.count("HF_ENDPOINT")) o.env["HF_ENDPOINT"] = deps_hub().emulator->endpoint();
  o.env["HF_HOME"] = home;
  return o;
}

// One kernels-data entry, as serde_json::to_string_pretty writes it inside the array.
std::string kd_entry(const std::string& repo, const std::string& key, const std::string& value,
                     const std::string& commit) {
  return "  {\n    \"dependency\": {\n      \"repo-id\": \"" + repo + "\",\n      \"" + key + "\": " + value +
         "\n    },\n    \"lock\": {\n      \"commit\": \"" + commit + "\"\n    }\n  }";
}
std::string kd_v1(const std::string& repo) { return kd_entry(repo, "version", "1", deps_hub().commits.at(repo)); }

std::string kd_lock(const std::vector<std::string>& entries) {
  std::string out = "[\n";
  for (std::size_t i = 0; i < entries.size(); ++i) out += entries[i] + (i + 1 < entries.size() ? ",\n" : "\n");
  return out + "]";
}

std::string slurp(const std::string& path) {
  auto text = kernels::read_file(path);
  return text.ok() ? *text : std::string("<missing>");
}

std::string pyproject(const std::vector<std::string>& lines) {
  std::string out = "[tool.kernels.dependencies]\n";
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("kernels lock kernels-data: a chain three deep and a diamond, each kernel once, sorted", "[cli][lock][kd]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/top\" = 1", "\"dep/a\" = 1"}));
  auto r = run_kernels({"lock", project.path(), "--lock-format", "kernels-data"}, env(project.path() + "/home"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Sorted by repo id; c once although three kernels depend on it.
  CHECK(slurp(project.path() + "/kernels.lock") == kd_lock({kd_v1("dep/a"), kd_v1("dep/b"), kd_v1("dep/c"),
                                                            kd_v1("dep/left"), kd_v1("dep/right"), kd_v1("dep/top")}));
  CHECK(r.err.find("Wrote " + project.path() + "/kernels.lock (kernels-data, 6 kernels") != std::string::npos);
  // The metadata.json files went through the HF cache, as hf_hub_download does.
  CHECK(fs::exists(project.path() + "/home/hub/kernels--dep--top/snapshots/" + deps_hub().commits.at("dep/top") +
                   "/build/torch-cuda/metadata.json"));

  // Run again: the format is the existing lock's, and nothing changes.
  auto again = run_kernels({"lock", project.path(), "-v"}, env(project.path() + "/home"));
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("lock format kernels-data: the format of the existing") != std::string::npos);
  CHECK(again.err.find("Unchanged") != std::string::npos);
}

TEST_CASE("kernels lock kernels-data: a revision with non-ASCII, written raw", "[cli][lock][kd]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/uni\" = { revision = \"bränch\" }"}));
  auto r = run_kernels({"lock", project.path(), "--lock-format", "kernels-data"}, env(project.path() + "/home"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") ==
        kd_lock({kd_entry("dep/uni", "revision", "\"bränch\"", deps_hub().commits.at("dep/uni"))}));
}

TEST_CASE("kernels lock kernels-data: a kernel-depends cycle is refused with its path", "[cli][lock][kd]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/x\" = 1"}));
  auto r = run_kernels({"lock", project.path(), "--lock-format", "kernels-data"}, env(project.path() + "/home"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("Cyclic kernel dependency detected: dep/x") != std::string::npos);
  CHECK(r.err.find("dep/x (version 1) -> dep/y (version 1) -> dep/x (version 1)") != std::string::npos);
  CHECK_FALSE(fs::exists(project.path() + "/kernels.lock"));
}

TEST_CASE("kernels lock kernels-data: a redirect is not followed, and a note says so", "[cli][lock][kd]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/old\" = 1"}));
  auto r = run_kernels({"lock", project.path(), "--lock-format", "kernels-data"}, env(project.path() + "/home"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == kd_lock({kd_v1("dep/old")}));
  CHECK(r.err.find("dep/old redirects to dep/c") != std::string::npos);
}

TEST_CASE("kernels lock: a new lock takes the format the Python kernels package reads", "[cli][lock][format]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/c\" = 1"}));
  // A kernels package whose locking.py reads kernels-data's KernelLocks.
  project.write("py/kernels/__init__.py", "");
  project.write("py/kernels/locking.py", "from kernels_data import KernelLocks\n");
  auto r = run_kernels(
      {"lock", project.path(), "-v", "--format", "json"},
      env(project.path() + "/home", {{"KERNELS_PYTHON", "python3"}, {"PYTHONPATH", project.path() + "/py"}}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == kd_lock({kd_v1("dep/c")}));
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["format"] == "kernels-data");
  CHECK(doc["format_reason"].get<std::string>().find("Python kernels package") != std::string::npos);
  CHECK(doc["result"] == "created");
  CHECK(doc["changes"].size() == 1);

  // Without one (KERNELS_PYTHON=none in tests), today's format.
  TempDir plain;
  plain.write("pyproject.toml", pyproject({"\"dep/c\" = 1"}));
  auto p = run_kernels({"lock", plain.path()}, env(plain.path() + "/home"));
  REQUIRE(p.exit_code == 0);
  CHECK(slurp(plain.path() + "/kernels.lock").find("\"repo_id\": \"dep/c\"") != std::string::npos);

  auto bad = run_kernels({"lock", plain.path(), "--lock-format", "f3"}, env(plain.path() + "/home"));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--lock-format takes variant-hashes or kernels-data") != std::string::npos);
}

TEST_CASE("kernels lock --migrate: both ways at the pinned commits", "[cli][lock][format]") {
  auto& hub = deps_hub();
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/m1\" = 1", "\"dep/c\" = 1"}));
  auto first = run_kernels({"lock", project.path()}, env(project.path() + "/home"));
  REQUIRE(first.exit_code == 0);
  std::string f1 = slurp(project.path() + "/kernels.lock");
  std::string m1_before = hub.commits.at("dep/m1");
  REQUIRE(f1.find(m1_before) != std::string::npos);
  std::string moved = hub.move("dep/m1");
  hub.commits["dep/m1"] = moved;

  auto to_kd = run_kernels({"lock", project.path(), "--migrate"}, env(project.path() + "/home"));
  INFO(to_kd.err);
  REQUIRE(to_kd.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") ==
        kd_lock({kd_v1("dep/c"), kd_entry("dep/m1", "version", "1", m1_before)}));
  CHECK(to_kd.err.find("converted from variant-hashes to kernels-data") != std::string::npos);

  auto back = run_kernels({"lock", project.path(), "--migrate"}, env(project.path() + "/home"));
  REQUIRE(back.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock") == f1);

  TempDir none;
  none.write("pyproject.toml", pyproject({"\"dep/c\" = 1"}));
  auto nothing = run_kernels({"lock", none.path(), "--migrate"}, env(none.path() + "/home"));
  CHECK(nothing.exit_code == 2);
  CHECK(nothing.err.find("does not exist") != std::string::npos);
}

TEST_CASE("kernels lock --locked: no request at all, exact coverage both ways", "[cli][lock][locked]") {
  auto& hub = deps_hub();
  for (const char* format : {"variant-hashes", "kernels-data"}) {
    DYNAMIC_SECTION(format) {
      TempDir project;
      project.write("pyproject.toml", pyproject({"\"dep/a\" = 1"}));
      REQUIRE(run_kernels({"lock", project.path(), "--lock-format", format}, env(project.path() + "/home")).exit_code ==
              0);
      std::string lock = slurp(project.path() + "/kernels.lock");

      // A fresh machine: empty cache, and a Hub that must not be asked.
      std::uint64_t before = hub.emulator->request_count();
      auto ok = run_kernels({"lock", project.path(), "--locked"}, env(project.path() + "/fresh"));
      INFO(ok.out << ok.err);
      CHECK(ok.exit_code == 0);
      auto frozen = run_kernels({"lock", project.path(), "--frozen"}, env(project.path() + "/fresh"));
      CHECK(frozen.exit_code == 0);

      project.write("pyproject.toml", pyproject({"\"dep/a\" = 1", "\"dep/m2\" = 1"}));
      auto added = run_kernels({"lock", project.path(), "--locked"}, env(project.path() + "/fresh"));
      CHECK(added.exit_code == 1);
      CHECK(added.out.find("dep/m2 (version 1) is declared but not in the lock") != std::string::npos);

      project.write("pyproject.toml", pyproject({"\"dep/c\" = 1"}));
      auto removed =
          run_kernels({"lock", project.path(), "--locked", "--format", "json"}, env(project.path() + "/fresh"));
      auto doc = nlohmann::json::parse(removed.out);
      bool names_a = false;
      for (const auto& p : doc["problems"]) names_a = names_a || (p["repo_id"] == "dep/a" && p["kind"] == "removed");
      if (std::string(format) == "variant-hashes") {
        CHECK(removed.exit_code == 1);
        CHECK(doc["result"] == "stale");
        CHECK(names_a);
      } else {
        // dep/c is an entry (a kernel-depends of dep/b); with a cold cache a
        // leftover cannot be told from a kernel-depends: a note, not a failure.
        CHECK(removed.exit_code == 0);
        CHECK(doc["notes"].dump().find("dep/a (version 1) is not declared") != std::string::npos);
      }
      // With the cache of the machine that locked, it is decided.
      auto warm = run_kernels({"lock", project.path(), "--locked", "--format", "json"}, env(project.path() + "/home"));
      CHECK(warm.exit_code == 1);
      auto warm_doc = nlohmann::json::parse(warm.out);
      bool warm_a = false;
      for (const auto& p : warm_doc["problems"]) warm_a = warm_a || (p["repo_id"] == "dep/a" && p["kind"] == "removed");
      CHECK(warm_a);

      if (std::string(format) == "kernels-data") {
        project.write("pyproject.toml", pyproject({"\"dep/a\" = 2"}));
        auto repinned = run_kernels({"lock", project.path(), "--locked"}, env(project.path() + "/fresh"));
        CHECK(repinned.exit_code == 1);
        CHECK(repinned.out.find("dep/a (version 2) is declared, but the lock has dep/a at version 1") !=
              std::string::npos);
      }
      CHECK(hub.emulator->request_count() == before);
      CHECK(slurp(project.path() + "/kernels.lock") == lock);
    }
  }
  // And with the Hub unreachable, still an answer.
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/c\" = 1"}));
  project.write("kernels.lock", kd_lock({kd_v1("dep/c")}));
  auto closed = run_kernels({"lock", project.path(), "--locked"},
                            env(project.path() + "/home", {{"HF_ENDPOINT", "http://127.0.0.1:9"}}));
  CHECK(closed.exit_code == 0);
}

TEST_CASE("kernels lock --update and --check: upstream moves told apart from project changes", "[cli][lock][update]") {
  auto& hub = deps_hub();
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/m1\" = 1", "\"dep/m2\" = 1"}));
  REQUIRE(
      run_kernels({"lock", project.path(), "--lock-format", "kernels-data"}, env(project.path() + "/home")).exit_code ==
      0);
  std::string m1_old = hub.commits.at("dep/m1"), m2_old = hub.commits.at("dep/m2");
  std::string m1_new = hub.move("dep/m1"), m2_new = hub.move("dep/m2");
  hub.commits["dep/m1"] = m1_new;
  hub.commits["dep/m2"] = m2_new;

  auto check = run_kernels({"lock", project.path(), "--check"}, env(project.path() + "/home"));
  CHECK(check.exit_code == 1);
  CHECK(check.out.find("~ dep/m1 (version 1): commit " + m1_old + " -> " + m1_new +
                       " (upstream moved branch v1 of dep/m1; the new commit is from ") != std::string::npos);
  CHECK(check.out.find("The project did not change: upstream moved.") != std::string::npos);
  auto json = run_kernels({"lock", project.path(), "--check", "--format", "json"}, env(project.path() + "/home"));
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["result"] == "stale");
  REQUIRE(doc["changes"].size() == 2);
  CHECK(doc["changes"][0]["cause"] == "upstream");
  CHECK(doc["changes"][0]["old_commit"] == m1_old);

  auto update = run_kernels({"lock", project.path(), "--update", "dep/m1"}, env(project.path() + "/home"));
  INFO(update.err);
  REQUIRE(update.exit_code == 0);
  // m1 follows its branch; m2 stays where it was, byte for byte.
  CHECK(slurp(project.path() + "/kernels.lock") ==
        kd_lock({kd_entry("dep/m1", "version", "1", m1_new), kd_entry("dep/m2", "version", "1", m2_old)}));
  CHECK(update.err.find("~ dep/m1 (version 1): commit " + m1_old + " -> " + m1_new) != std::string::npos);

  auto unknown = run_kernels({"lock", project.path(), "--update", "dep/zzz"}, env(project.path() + "/home"));
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--update dep/zzz: not a dependency of the project") != std::string::npos);

  // A project change reads as one.
  project.write("pyproject.toml", pyproject({"\"dep/m1\" = 1", "\"dep/m2\" = 1", "\"dep/c\" = 1"}));
  auto grown = run_kernels({"lock", project.path(), "--check"}, env(project.path() + "/home"));
  CHECK(grown.exit_code == 1);
  CHECK(grown.out.find("+ dep/c (version 1): new, at commit " + hub.commits.at("dep/c")) != std::string::npos);
  CHECK(grown.out.find("Run `kernels lock` to update it.") != std::string::npos);
}

TEST_CASE("kernels lock --config: entries the config does not name are not dropped silently", "[cli][lock][config]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/c\" = 1", "\"dep/m2\" = 1"}));
  REQUIRE(run_kernels({"lock", project.path()}, env(project.path() + "/home")).exit_code == 0);
  std::string lock = slurp(project.path() + "/kernels.lock");
  project.write("kernels.toml", "[kernel_mapping]\nSiluAndMul = \"dep/c:SiluAndMul\"\n");
  auto r = run_kernels({"lock", "--config", project.path() + "/kernels.toml"}, env(project.path() + "/home"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("holds dep/m2, which " + project.path() + "/kernels.toml does not name") != std::string::npos);
  CHECK(r.err.find("--prune") != std::string::npos);
  CHECK(slurp(project.path() + "/kernels.lock") == lock);
  auto pruned =
      run_kernels({"lock", "--config", project.path() + "/kernels.toml", "--prune"}, env(project.path() + "/home"));
  CHECK(pruned.exit_code == 0);
  CHECK(slurp(project.path() + "/kernels.lock").find("dep/m2") == std::string::npos);
}

TEST_CASE("kernels lock --offline equals the online lock, or names what the cache lacks", "[cli][lock][offline]") {
  for (const char* format : {"variant-hashes", "kernels-data"}) {
    DYNAMIC_SECTION(format) {
      TempDir project;
      project.write("pyproject.toml", pyproject({"\"dep/top\" = 1", "\"dep/old\" = 1"}));
      std::string home = project.path() + "/home";
      if (std::string(format) == "variant-hashes")  // dep/old redirects to dep/c: one entry per repo
        project.write("pyproject.toml", pyproject({"\"dep/top\" = 1", "\"dep/old\" = 1", "\"dep/a\" = 1"}));
      auto online = run_kernels({"lock", project.path(), "--lock-format", format}, env(home));
      INFO(online.err);
      REQUIRE(online.exit_code == 0);
      std::string lock = slurp(project.path() + "/kernels.lock");
      fs::remove(project.path() + "/kernels.lock");

      // Everything the online lock saw was recorded: the same bytes offline.
      auto offline = run_kernels({"lock", project.path(), "--offline", "--lock-format", format}, env(home));
      INFO(offline.err);
      REQUIRE(offline.exit_code == 0);
      CHECK(slurp(project.path() + "/kernels.lock") == lock);

      std::string top = home + "/hub/kernels--dep--top";
      std::string top_commit = deps_hub().commits.at("dep/top");
      SECTION("no complete listing") {
        fs::remove(top + "/trees/" + top_commit + ".json");
        auto r = run_kernels({"lock", project.path(), "--offline"}, env(home));
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("dep/top") != std::string::npos);
        CHECK(r.err.find("trees/" + top_commit + ".json") != std::string::npos);
      }
      SECTION("the redirect was never checked") {
        fs::remove_all(top + "/.no_exist");
        auto r = run_kernels({"lock", project.path(), "--offline"}, env(home));
        if (std::string(format) == "variant-hashes") {
          CHECK(r.exit_code == 1);
          CHECK(r.err.find("cannot tell offline whether dep/top redirects") != std::string::npos);
        } else {
          CHECK(r.exit_code == 0);  // kernels-data does not follow redirects
        }
      }
      if (std::string(format) == "kernels-data") {
        SECTION("a metadata.json not cached") {
          fs::remove(top + "/snapshots/" + top_commit + "/build/torch-cuda/metadata.json");
          auto r = run_kernels({"lock", project.path(), "--offline"}, env(home));
          CHECK(r.exit_code == 1);
          CHECK(r.err.find("build/torch-cuda/metadata.json") != std::string::npos);
        }
      }
      CHECK(slurp(project.path() + "/kernels.lock") == lock);
    }
  }
}

TEST_CASE("kernels download and verify read a kernels-data lock", "[cli][lock][kd][download]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/a\" = 1"}));
  std::string home = project.path() + "/home";
  REQUIRE(run_kernels({"lock", project.path(), "--lock-format", "kernels-data"}, env(home)).exit_code == 0);
  auto download = run_kernels({"download", project.path(), "--all-variants"}, env(home));
  INFO(download.out << download.err);
  REQUIRE(download.exit_code == 0);
  // Every entry, the kernel-depends ones too, is installed at its commit.
  for (const char* repo : {"a", "b", "c"}) {
    std::string id = std::string("dep/") + repo;
    CHECK(fs::exists(home + "/hub/kernels--dep--" + repo + "/snapshots/" + deps_hub().commits.at(id) +
                     "/build/torch-cpu/k/__init__.py"));
  }
  auto verify = run_kernels({"verify", project.path(), "--format", "json"}, env(home));
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  auto doc = nlohmann::json::parse(verify.out);
  CHECK(doc["variants"].size() == 4);  // a, b: torch-cpu; c: torch-cpu, torch-cuda
}

TEST_CASE("kernels lock --offline after a download of one variant locks all of them, or refuses",
          "[cli][lock][offline]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/c\" = 1"}));
  auto online = run_kernels({"lock", project.path()}, env(project.path() + "/online"));
  REQUIRE(online.exit_code == 0);
  std::string lock = slurp(project.path() + "/kernels.lock");
  REQUIRE(lock.find("\"torch-cuda\"") != std::string::npos);

  // Another machine: only `kernels download` (the one variant it prefers) has run.
  std::string home = project.path() + "/home";
  auto download = run_kernels({"download", project.path()}, env(home));
  INFO(download.out << download.err);
  REQUIRE(download.exit_code == 0);
  std::string repo = home + "/hub/kernels--dep--c";
  std::string commit = deps_hub().commits.at("dep/c");
  int cached_variants = 0;
  for (const auto& e : fs::directory_iterator(repo + "/snapshots/" + commit + "/build"))
    cached_variants += e.is_directory();
  CHECK(cached_variants == 1);
  fs::remove(project.path() + "/kernels.lock");

  // No refs/v1: which commit version 1 is cannot be known offline.
  auto no_ref = run_kernels({"lock", project.path(), "--offline"}, env(home));
  CHECK(no_ref.exit_code == 1);
  CHECK(no_ref.err.find("dep/c (version 1)") != std::string::npos);
  fs::create_directories(repo + "/refs");
  REQUIRE(kernels::write_file_atomic(repo + "/refs/v1", commit).ok());
  // No record of kernel-status.toml at main: whether it redirects is unknown.
  REQUIRE(kernels::write_file_atomic(repo + "/refs/main", commit).ok());
  auto no_status = run_kernels({"lock", project.path(), "--offline"}, env(home));
  CHECK(no_status.exit_code == 1);
  CHECK(no_status.err.find("cannot tell offline whether dep/c redirects") != std::string::npos);
  CHECK_FALSE(fs::exists(project.path() + "/kernels.lock"));

  fs::create_directories(repo + "/.no_exist/" + commit);
  REQUIRE(kernels::write_file_atomic(repo + "/.no_exist/" + commit + "/kernel-status.toml", "").ok());
  auto r = run_kernels({"lock", project.path(), "--offline"}, env(home));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Both variants, with the hashes the Hub gives: the download recorded the whole listing.
  CHECK(slurp(project.path() + "/kernels.lock") == lock);
}

TEST_CASE("kernels lock: a revision that is not a ref name is refused before any request", "[cli][lock]") {
  TempDir project;
  project.write("pyproject.toml", pyproject({"\"dep/c\" = { revision = \"../../../etc/passwd\" }"}));
  for (const char* mode : {"--offline", "--check"}) {
    auto r = run_kernels({"lock", project.path(), mode}, env(project.path() + "/home"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("dep/c (revision ../../../etc/passwd): revision: ") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(project.path() + "/kernels.lock"));
}
