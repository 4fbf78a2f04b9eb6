// `kernels verify` against Hugging Face caches built by the test
// (tests/support/hf_cache_fixture.hpp), with hashes computed independently.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/support/hf_cache_fixture.hpp"
#include "tests/support/process.hpp"

using kernels::test::fixture_lock_hash;
using kernels::test::FixtureFile;
using kernels::test::HfCacheFixture;
using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;
using kernels::test::with_metadata;
namespace fs = std::filesystem;

namespace {

const std::string kSha = "89abcdef0123456789abcdef0123456789abcdef";

std::vector<FixtureFile> cpu_files() {
  return {{"__init__.py", "from ._ops import ops\n"},
          {"_ops.py", "ops = 1\n"},
          {"relu/__init__.py", "def relu(x):\n    return x\n"},
          {"_relu.abi3.so", std::string(100000, 'E'), true}};
}

// A project whose kernels.lock pins org/relu with torch-cpu (cached, with a
// digest) and torch-cuda (not cached).
struct Project {
  TempDir tmp;
  HfCacheFixture cache{tmp.path() + "/hub"};
  std::string project = tmp.path() + "/project";
  std::vector<FixtureFile> files = with_metadata(cpu_files());
  std::string dir;
  Project() {
    dir = cache.add_variant("org/relu", kSha, "torch-cpu", files);
    kernels::test::write_lock(
        project, {{"org/relu",
                   kSha,
                   {{"torch-cpu", fixture_lock_hash(files)}, {"torch-cuda", "sha256-" + std::string(64, 'a')}}}});
  }
  kernels::test::ProcessResult verify(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"verify", project};
    args.insert(args.end(), extra.begin(), extra.end());
    RunOptions o;
    o.env["HF_HUB_CACHE"] = cache.root();
    o.env["HF_HOME"] = tmp.path() + "/home";
    return run_kernels(args, o);
  }
};

}  // namespace

TEST_CASE("kernels verify: a cached variant matching lock and digest is ok", "[cli][verify]") {
  Project p;
  auto r = p.verify();
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("ok        org/relu torch-cpu\n1 variant: 1 ok (5 files, ", 0) == 0);
  auto one = p.verify({"--jobs", "1", "-v"});
  CHECK(one.exit_code == 0);
  CHECK(one.out.find("    lock: " + fixture_lock_hash(p.files) + " matches\n") != std::string::npos);
  CHECK(one.out.find("    digest: sha256, matches\n") != std::string::npos);
}

TEST_CASE("kernels verify: a tampered blob is named and the exit status is 1", "[cli][verify]") {
  Project p;
  std::string blob = p.cache.blob_path("org/relu", p.files[2]);
  fs::remove(blob);
  kernels::test::fixture_put(blob, "def relu(x):\n    import os; os.system('x')\n");
  auto r = p.verify();
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("mismatch  org/relu torch-cpu\n    lock: relu/__init__.py: content does not match its blob", 0) ==
        0);
  CHECK(r.out.find("    digest: File hash mismatch for relu/__init__.py: expected: ") != std::string::npos);
  CHECK(r.out.find("1 variant: 1 mismatch") != std::string::npos);
}

TEST_CASE("kernels verify --all-variants: a variant not in the cache is missing", "[cli][verify]") {
  Project p;
  auto r = p.verify({"--all-variants"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("ok        org/relu torch-cpu\n") != std::string::npos);
  CHECK(r.out.find("missing   org/relu torch-cuda\n    not in " + p.cache.repo_dir("org/relu") + "/snapshots/" + kSha +
                   "/build/\n") != std::string::npos);
  CHECK(r.out.find("2 variants: 1 ok, 1 missing") != std::string::npos);
}

TEST_CASE("kernels verify: a missing file and an extra file", "[cli][verify]") {
  Project p;
  fs::remove(p.dir + "/_ops.py");
  p.cache.add_variant("org/relu", kSha, "torch-cpu", {{"backdoor.py", "import os\n"}});
  auto r = p.verify();
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("    lock: variant hash mismatch: kernels.lock has " + fixture_lock_hash(p.files)) !=
        std::string::npos);
  CHECK(r.out.find("    digest: Missing file: _ops.py\n    digest: Unknown file: backdoor.py\n") != std::string::npos);
}

TEST_CASE("kernels verify: a dangling symlink", "[cli][verify]") {
  Project p;
  fs::remove(p.cache.blob_path("org/relu", p.files[3]));
  auto r = p.verify();
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("    lock: _relu.abi3.so: a dangling link to ../../../../blobs/" +
                   kernels::hub_emulator::sha256_hex(p.files[3].content) + ": its blob is missing\n") !=
        std::string::npos);
  CHECK(r.out.find("    digest: dangling symlink _relu.abi3.so") != std::string::npos);
}

TEST_CASE("kernels verify: no digest is said, and is not an error", "[cli][verify]") {
  Project p;
  auto files = cpu_files();
  files.push_back({"metadata.json", "{\"python-depends\": []}"});
  p.cache.add_variant("org/relu", kSha, "torch-cpu", files);
  kernels::test::write_lock(p.project, {{"org/relu", kSha, {{"torch-cpu", fixture_lock_hash(files)}}}});
  auto r = p.verify();
  CHECK(r.exit_code == 0);
  CHECK(
      r.out.rfind("no digest org/relu torch-cpu\n    digest: metadata.json has no digest (the lock hash was checked)\n"
                  "1 variant: 1 without a digest",
                  0) == 0);
}

TEST_CASE("kernels verify: an entry with nothing cached is missing, KERNELS_CACHE is looked in first",
          "[cli][verify]") {
  Project p;
  TempDir other;
  RunOptions o;
  o.env["KERNELS_CACHE"] = other.path();
  o.env["HF_HUB_CACHE"] = other.path() + "/nothing-here";
  o.env["HF_HOME"] = other.path();
  auto r = run_kernels({"verify", p.project}, o);
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("missing   org/relu\n    no snapshot of commit " + kSha + " in the cache (looked for " +
                        other.path() + "/kernels--org--relu/snapshots/" + kSha,
                    0) == 0);
  // The real cache through KERNELS_CACHE.
  o.env["KERNELS_CACHE"] = p.cache.root();
  CHECK(run_kernels({"verify", p.project}, o).exit_code == 0);
}

TEST_CASE("kernels verify --format json: the documented shape", "[cli][verify]") {
  Project p;
  fs::remove(p.dir + "/_ops.py");
  auto r = p.verify({"--format", "json", "--all-variants"});
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1);
  CHECK(j["lock_file"] == p.project + "/kernels.lock");
  CHECK(j["cache"] == nlohmann::json::array({p.cache.root()}));
  CHECK(j["all_variants"] == true);
  CHECK(j["ok"] == false);
  CHECK(j["summary"] == nlohmann::json{{"variants", 2},
                                       {"ok", 0},
                                       {"no_digest", 0},
                                       {"mismatch", 1},
                                       {"missing", 1},
                                       {"unlocked", 0},
                                       {"files", 4},
                                       {"bytes", j["summary"]["bytes"]}});
  REQUIRE(j["variants"].size() == 2);
  const auto& v = j["variants"][0];
  CHECK(v["repo_id"] == "org/relu");
  CHECK(v["sha"] == kSha);
  CHECK(v["variant"] == "torch-cpu");
  CHECK(v["status"] == "mismatch");
  CHECK(v["path"] == p.dir);
  CHECK(v["lock"]["expected"] == fixture_lock_hash(p.files));
  CHECK(v["lock"]["actual"].is_string());
  CHECK(v["lock"]["actual"] != v["lock"]["expected"]);
  CHECK(v["lock"]["problems"].size() == 1);
  CHECK(v["lock"]["problems"][0]["path"].is_null());
  CHECK(v["signature"]["status"] == "bundle-missing");
  CHECK(v["digest"]["status"] == "mismatch");
  CHECK(v["digest"]["algorithm"] == "sha256");
  CHECK(v["digest"]["violations"] == nlohmann::json::array({{{"kind", "missing-file"},
                                                             {"path", "_ops.py"},
                                                             {"expected", nullptr},
                                                             {"actual", nullptr},
                                                             {"message", "Missing file: _ops.py"}}}));
  CHECK(v["bytes"] == j["summary"]["bytes"]);
  const auto& m = j["variants"][1];
  CHECK(m["variant"] == "torch-cuda");
  CHECK(m["status"] == "missing");
  CHECK(m["path"].is_null());
  CHECK(m["reason"].get<std::string>().rfind("not in ", 0) == 0);
}

TEST_CASE("kernels verify: no kernels.lock says where it looked, usage errors exit 2", "[cli][verify]") {
  TempDir tmp;
  auto r = run_kernels({"verify", tmp.path()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: kernels verify: no kernels.lock in " + tmp.path() + " (looked for " + tmp.path() +
                     "/kernels.lock); run `kernels lock` first\n");
  tmp.write("kernels.lock", "{not json");
  auto bad = run_kernels({"verify", tmp.path()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find(tmp.path() + "/kernels.lock:1:3: not valid JSON") != std::string::npos);
  CHECK(run_kernels({"verify", tmp.path(), "--format", "xml"}).exit_code == 2);
  CHECK(run_kernels({"verify", tmp.path(), "--jobs", "0"}).exit_code == 2);
}

TEST_CASE("kernels verify --help explains the checks and shows examples", "[cli][verify]") {
  auto r = run_kernels({"verify", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("--all-variants") != std::string::npos);
  CHECK(r.out.find("Examples:\n  kernels verify ") != std::string::npos);
  CHECK(r.out.find("git_lfs_concat") != std::string::npos);
}

namespace {

std::string slurp_data(const std::string& relative) {
  std::ifstream in(kernels::test::data_path(relative), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The sigstore-conformance suite's happy-path artifact and bundle stand in
// for a signed metadata.json: the signature verifies (for the suite's
// identity), the bytes are not kernel metadata.
struct SignedProject {
  TempDir tmp;
  HfCacheFixture cache{tmp.path() + "/hub"};
  std::string project = tmp.path() + "/project";
  std::string artifact = slurp_data("sigstore-conformance/a.txt");
  std::string bundle = slurp_data("sigstore-conformance/happy-path-v0.3/bundle.sigstore.json");
  explicit SignedProject(bool tamper = false) {
    auto files = cpu_files();
    files.push_back({"metadata.json", tamper ? artifact + " " : artifact});
    files.push_back({"metadata.json.sigstore", bundle});
    cache.add_variant("org/relu", kSha, "torch-cpu", files);
    kernels::test::write_lock(project, {{"org/relu", kSha, {{"torch-cpu", fixture_lock_hash(files)}}}});
  }
  kernels::test::ProcessResult verify(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"verify", project};
    args.insert(args.end(), extra.begin(), extra.end());
    RunOptions o;
    o.env["HF_HUB_CACHE"] = cache.root();
    o.env["HF_HOME"] = tmp.path() + "/home";
    return run_kernels(args, o);
  }
};

const std::vector<std::string> kSuiteIdentity{
    "--identity",
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main",
    "--issuer", "https://token.actions.githubusercontent.com"};

}  // namespace

TEST_CASE("kernels verify: a Sigstore bundle is verified before the digest", "[cli][verify][signature]") {
  SignedProject p;
  auto r = p.verify(kSuiteIdentity);
  CHECK(r.out.find("    signature: verified: " + kSuiteIdentity[1]) != std::string::npos);
  // Verified, then parsed: a.txt is not metadata, so the variant still fails.
  CHECK(r.out.find("digest: ") != std::string::npos);
  CHECK(r.exit_code == 1);

  auto json = nlohmann::json::parse(
      p.verify({kSuiteIdentity[0], kSuiteIdentity[1], kSuiteIdentity[2], kSuiteIdentity[3], "--format", "json"}).out);
  CHECK(json["variants"][0]["signature"]["status"] == "verified");
}

TEST_CASE("kernels verify: the kernels library's policy refuses another signer", "[cli][verify][signature]") {
  SignedProject p;
  auto r = p.verify();
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("    signature: failed: ") != std::string::npos);
  CHECK(r.out.find("the signature of metadata.json did not verify") != std::string::npos);
}

TEST_CASE("kernels verify: metadata.json changed after signing fails the signature", "[cli][verify][signature]") {
  SignedProject p(true);
  auto r = p.verify(kSuiteIdentity);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("    signature: failed: ") != std::string::npos);
}

TEST_CASE("kernels verify: --no-signatures skips the step, --signatures requires one", "[cli][verify][signature]") {
  SignedProject p;
  auto skipped = p.verify({"--no-signatures"});
  CHECK(skipped.out.find("signature:") == std::string::npos);

  Project unsigned_project;
  auto plain = unsigned_project.verify();
  CHECK(plain.exit_code == 0);
  CHECK(plain.out.find("signature:") == std::string::npos);
  auto required = unsigned_project.verify({"--signatures"});
  CHECK(required.exit_code == 1);
  CHECK(required.out.find("    signature: bundle-missing") != std::string::npos);

  auto both = unsigned_project.verify({"--signatures", "--no-signatures"});
  CHECK(both.exit_code == 2);
  auto bad_root = unsigned_project.verify({"--trusted-root", unsigned_project.tmp.path() + "/nope.json"});
  CHECK(bad_root.exit_code == 2);
  CHECK(bad_root.err.find("nope.json") != std::string::npos);
}
