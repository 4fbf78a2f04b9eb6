// `kernels verify-signature` end to end against the Hub emulator: the built
// binary resolves v<N>, downloads through the download code, then checks
// each variant as Python's verify_variant does and prints Python's lines.
//
// The signed variants carry the sigstore-conformance happy-path bundle as
// metadata.json.sigstore and the artifact it signs (a.txt) as metadata.json,
// verified with the suite's identity (--identity/--issuer), as in
// verify_test.cpp: the signature verifies, and the bytes, not being kernel
// metadata, then fail to parse. What needs a signature over real metadata
// (the success line, a digest that is missing or does not match) is signed
// by the test Sigstore instance (tests/support/test_sigstore.hpp) with the
// kernels library's identity, and verified with the default policy against
// its trusted root (--trusted-root):
//
//   org/real         v1: torch-cpu signed, digest correct
//                    v2: signed, the digest's first entry wrong, a file outside the digest
//                    v3: signed, no digest
//
//   org/unsigned     v1: torch-cpu, metadata.json with a digest, no bundle
//   org/suite        v1: torch-cpu signed (a.txt + its bundle)
//   org/other-bytes  v1: torch-cpu, a.txt with one byte more + a.txt's bundle
//   org/bad-bundle   v1: torch-cpu, a bundle that is not one
//   org/no-metadata  v1: torch-cpu, a bundle and no metadata.json
//   org/many         v1: torch-cpu (unsigned), torch-universal (signed a.txt),
//                        torch29-cxx11-cpu-x86_64-linux (bundle, no metadata),
//                        build/not-a-variant/ (skipped: not a variant name)
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "tests/hub/emulator.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/kernel_variant.hpp"
#include "tests/hub/test_hub.hpp"
#include "tests/support/hf_cache_fixture.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_sigstore.hpp"

using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;
namespace fs = std::filesystem;
namespace he = kernels::hub_emulator;

namespace {

std::string slurp_data(const std::string& relative) {
  std::ifstream in(kernels::test::data_path(relative), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string kArtifact = slurp_data("sigstore-conformance/a.txt");
const std::string kBundle = slurp_data("sigstore-conformance/happy-path-v0.3/bundle.sigstore.json");
const std::string kMetadata =
    "{\n  \"name\": \"x\",\n  \"python-depends\": [],\n  \"digest\": {\n    \"algorithm\": \"sha256\",\n"
    "    \"files\": {}\n  }\n}";

const std::vector<std::string> kSuiteIdentity{
    "--identity",
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main",
    "--issuer", "https://token.actions.githubusercontent.com"};

class SignatureHub {
 public:
  SignatureHub() {
    auto make = [&](const std::string& repo_id, const std::map<std::string, std::string>& files) {
      he::FixtureRepo repo(scratch_.path(), repo_id);
      for (const auto& [path, content] : files) repo.write(path, content);
      std::string sha = repo.commit("main");
      repo.branch("v1", sha);
      commits[repo_id] = sha;
    };
    const std::string cpu = "build/torch-cpu/";
    make("org/unsigned", {{cpu + "x/__init__.py", "x = 1\n"}, {cpu + "metadata.json", kMetadata}});
    make("org/suite", {{cpu + "x/__init__.py", "x = 1\n"},
                       {cpu + "metadata.json", kArtifact},
                       {cpu + "metadata.json.sigstore", kBundle}});
    make("org/other-bytes", {{cpu + "x/__init__.py", "x = 1\n"},
                             {cpu + "metadata.json", kArtifact + " "},
                             {cpu + "metadata.json.sigstore", kBundle}});
    make("org/bad-bundle", {{cpu + "x/__init__.py", "x = 1\n"},
                            {cpu + "metadata.json", kMetadata},
                            {cpu + "metadata.json.sigstore", "{\"not\": \"a bundle\"}"}});
    make("org/no-metadata", {{cpu + "x/__init__.py", "x = 1\n"}, {cpu + "metadata.json.sigstore", kBundle}});
    const std::string uni = "build/torch-universal/";
    const std::string arch = "build/torch29-cxx11-cpu-x86_64-linux/";
    make("org/many", {{cpu + "x/__init__.py", "x = 1\n"},
                      {cpu + "metadata.json", kMetadata},
                      {uni + "x/__init__.py", "x = 2\n"},
                      {uni + "metadata.json", kArtifact},
                      {uni + "metadata.json.sigstore", kBundle},
                      {arch + "x/__init__.py", "x = 3\n"},
                      {arch + "metadata.json.sigstore", kBundle},
                      {"build/not-a-variant/x/__init__.py", "x = 4\n"}});
    {
      he::FixtureRepo repo(scratch_.path(), "org/real");
      const std::vector<he::VariantFile> files{{"x/__init__.py", "from ._ops import ops\n"},
                                               {"x/_ops.py", "ops = 1\n"},
                                               {"x/_x.abi3.so", std::string(30000, 'R'), true}};
      auto signed_variant = [&](he::DigestKind digest, bool extra) {
        he::VariantMetadata meta;
        meta.name = "x";
        meta.id = "_x_0123";
        meta.backend = "cpu";
        meta.digest = digest;
        repo.clear();
        std::string metadata = he::write_variant(repo, "torch-cpu", files, meta);
        repo.write("build/torch-cpu/metadata.json.sigstore", signer.sign(metadata));
        if (extra) repo.write("build/torch-cpu/x/extra.py", "extra = 1\n");
      };
      signed_variant(he::DigestKind::correct, false);
      commits["org/real v1"] = repo.commit("v1");
      signed_variant(he::DigestKind::wrong_entry, true);
      commits["org/real v2"] = repo.commit("v2");
      signed_variant(he::DigestKind::none, false);
      commits["org/real v3"] = repo.commit("v3");
      repo.branch("main", commits["org/real v3"]);
      real_files = files;
    }
    trusted_root = scratch_.write("trusted_root.json", signer.trusted_root_json());
    he::EmulatorOptions options;
    options.root = scratch_.path();
    emulator = std::make_unique<he::HubEmulator>(options);
    emulator->start();
  }
  ~SignatureHub() { emulator->stop(); }

  kernels::test::TestSigstore signer = kernels::test::TestSigstore::create();
  std::map<std::string, std::string> commits;
  std::vector<he::VariantFile> real_files;
  std::string trusted_root;
  std::unique_ptr<he::HubEmulator> emulator;

 private:
  he::ScratchDir scratch_;
};

SignatureHub& hub() {
  static SignatureHub h;
  return h;
}

// One run with its own HF_HOME and cache.
struct Run {
  TempDir dir;
  std::string cache() const { return dir.path() + "/cache"; }
  std::string variant_dir(const std::string& repo, const std::string& variant) const {
    std::string folder = "kernels--" + repo.substr(0, repo.find('/')) + "--" + repo.substr(repo.find('/') + 1);
    return cache() + "/" + folder + "/snapshots/" + hub().commits.at(repo) + "/build/" + variant;
  }
  kernels::test::ProcessResult operator()(std::vector<std::string> args) const {
    RunOptions o;
    o.env["HF_ENDPOINT"] = hub().emulator->endpoint();
    o.env["HF_HOME"] = dir.path() + "/home";
    o.env["KERNELS_CACHE"] = cache();
    o.env["KERNELS_CUDA_DRIVER"] = "none";
    // --torch none: the Python environment of the machine running the tests does not decide.
    args.insert(args.begin(), "verify-signature");
    args.insert(args.end(), {"--torch", "none"});
    return run_kernels(args, o);
  }
};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("kernels verify-signature: an unsigned variant, with and without --filter-unsigned",
          "[cli][verify-signature]") {
  Run run;
  auto r = run({"org/unsigned", "1"});
  INFO(r.err);
  CHECK(r.out == "\xE2\x9D\x8C torch-cpu: cannot verify kernel integrity, signature not found\n");
  CHECK(r.exit_code == 1);
  // It was downloaded first, through the download code, into the cache.
  CHECK(fs::is_symlink(run.variant_dir("org/unsigned", "torch-cpu") + "/metadata.json"));

  auto filtered = run({"org/unsigned", "1", "--filter-unsigned"});
  CHECK(filtered.out == "");
  CHECK(filtered.err == "");
  CHECK(filtered.exit_code == 0);
}

TEST_CASE("kernels verify-signature: a signed variant whose digest matches is correctly signed",
          "[cli][verify-signature]") {
  Run run;
  auto r = run({"org/real", "1", "--trusted-root", hub().trusted_root});
  INFO(r.err);
  CHECK(r.out == "\xE2\x9C\x85 torch-cpu: kernel metadata is correctly signed\n");
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  // -v says who signed and where it was logged.
  auto v = run({"org/real", "1", "--trusted-root", hub().trusted_root, "-v"});
  CHECK(v.out.find(
            "    signed by https://github.com/huggingface/kernels-community/.github/workflows/build.yaml@refs/heads/"
            "main") != std::string::npos);
  CHECK(v.out.find(kernels::test::TestSigstore::kRekorUrl) != std::string::npos);
  // Against the production root, the test instance is not trusted.
  auto production = run({"org/real", "1"});
  CHECK(production.exit_code == 1);
  CHECK(production.out.rfind("\xE2\x9D\x8C torch-cpu: metadata signature verification failed:\n", 0) == 0);
  // Nor is the right signer under another identity.
  auto other = run(with({"org/real", "1", "--trusted-root", hub().trusted_root}, kSuiteIdentity));
  CHECK(other.exit_code == 1);
  CHECK(other.out.rfind("\xE2\x9D\x8C torch-cpu: metadata signature verification failed:\n", 0) == 0);
}

TEST_CASE("kernels verify-signature: a digest mismatch lists its violations in order", "[cli][verify-signature]") {
  Run run;
  auto r = run({"org/real", "2", "--trusted-root", hub().trusted_root});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  const auto& first = hub().real_files[0];  // the digest's first entry in key order is wrong
  CHECK(r.out.rfind("\xE2\x9D\x8C torch-cpu: kernel integrity check failed\nFile hash mismatch for " + first.path +
                        ": expected: ",
                    0) == 0);
  CHECK(r.out.find(", got: " + he::sha256_base64(first.content) + "\nUnknown file: x/extra.py\n") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);
  auto j = nlohmann::json::parse(run({"org/real", "2", "--trusted-root", hub().trusted_root, "--json"}).out);
  CHECK(j["variants"][0]["status"] == "digest-failed");
  REQUIRE(j["variants"][0]["violations"].size() == 2);
  CHECK(j["variants"][0]["violations"][0]["kind"] == "hash-mismatch");
  CHECK(j["variants"][0]["violations"][0]["actual"] == he::sha256_base64(first.content));
  CHECK(j["variants"][0]["violations"][1] == nlohmann::json{{"kind", "unknown-file"},
                                                            {"path", "x/extra.py"},
                                                            {"expected", nullptr},
                                                            {"actual", nullptr},
                                                            {"message", "Unknown file: x/extra.py"}});
}

TEST_CASE("kernels verify-signature: signed metadata without a digest, with and without --filter-no-digest",
          "[cli][verify-signature]") {
  Run run;
  auto r = run({"org/real", "3", "--trusted-root", hub().trusted_root});
  CHECK(r.out == "\xE2\x9D\x8C torch-cpu: cannot verify kernel integrity, metadata does not have a digest\n");
  CHECK(r.exit_code == 1);
  auto filtered = run({"org/real", "3", "--trusted-root", hub().trusted_root, "--filter-no-digest"});
  CHECK(filtered.out == "");
  CHECK(filtered.exit_code == 0);
  auto j = nlohmann::json::parse(
      run({"org/real", "3", "--trusted-root", hub().trusted_root, "--filter-no-digest", "--json"}).out);
  CHECK(j["variants"][0]["status"] == "digest-missing");
  CHECK(j["variants"][0]["filtered"] == true);
  CHECK(j["ok"] == true);
}

TEST_CASE("kernels verify-signature: a valid signature, then metadata.json is parsed", "[cli][verify-signature]") {
  Run run;
  auto r = run(with({"org/suite", "1"}, kSuiteIdentity));
  INFO(r.err);
  CHECK(r.exit_code == 1);
  // Signature first: it verifies (a.txt is what the bundle signs), and only
  // then are the bytes parsed, which they are not JSON enough for.
  CHECK(r.out.rfind("\xE2\x9D\x8C torch-cpu: cannot verify kernel integrity, invalid metadata:\n" +
                        run.variant_dir("org/suite", "torch-cpu") + "/metadata.json:1:",
                    0) == 0);
  CHECK(r.out.find("not valid JSON") != std::string::npos);
}

TEST_CASE("kernels verify-signature: the kernels library's policy refuses another signer", "[cli][verify-signature]") {
  Run run;
  auto r = run({"org/suite", "1"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("\xE2\x9D\x8C torch-cpu: metadata signature verification failed:\n", 0) == 0);
  // The reason says what the certificate held and what was expected.
  CHECK(r.out.find("kernels-community") != std::string::npos);
}

TEST_CASE("kernels verify-signature: a signature over other bytes fails", "[cli][verify-signature]") {
  Run run;
  auto r = run(with({"org/other-bytes", "1"}, kSuiteIdentity));
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("\xE2\x9D\x8C torch-cpu: metadata signature verification failed:\n", 0) == 0);
  // Two lines: the head and the reason.
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
}

TEST_CASE("kernels verify-signature: a bundle that is not one", "[cli][verify-signature]") {
  Run run;
  auto r = run(with({"org/bad-bundle", "1"}, kSuiteIdentity));
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("\xE2\x9D\x8C torch-cpu: cannot verify kernel integrity, invalid signature bundle:\n", 0) == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
}

TEST_CASE("kernels verify-signature: no metadata.json, with and without --filter-no-digest",
          "[cli][verify-signature]") {
  Run run;
  auto r = run(with({"org/no-metadata", "1"}, kSuiteIdentity));
  CHECK(r.out == "\xE2\x9D\x8C torch-cpu: cannot verify kernel integrity, metadata does not have a digest\n");
  CHECK(r.exit_code == 1);
  auto filtered = run(with({"org/no-metadata", "1", "--filter-no-digest"}, kSuiteIdentity));
  CHECK(filtered.out == "");
  CHECK(filtered.exit_code == 0);
  // --filter-unsigned does not hide it: it has a bundle.
  CHECK(run(with({"org/no-metadata", "1", "--filter-unsigned"}, kSuiteIdentity)).exit_code == 1);
}

TEST_CASE("kernels verify-signature --all-variants: every build variant, in name order", "[cli][verify-signature]") {
  Run run;
  auto r = run(with({"org/many", "1", "--all-variants"}, kSuiteIdentity));
  INFO(r.err);
  CHECK(r.exit_code == 1);
  std::string uni = run.variant_dir("org/many", "torch-universal");
  CHECK(r.out.rfind("\xE2\x9D\x8C torch-cpu: cannot verify kernel integrity, signature not found\n"
                    "\xE2\x9D\x8C torch-universal: cannot verify kernel integrity, invalid metadata:\n" +
                        uni + "/metadata.json:1:",
                    0) == 0);
  CHECK(r.out.find("\n\xE2\x9D\x8C torch29-cxx11-cpu-x86_64-linux: cannot verify kernel integrity, metadata does "
                   "not have a digest\n") != std::string::npos);
  CHECK(r.out.find("not-a-variant") == std::string::npos);
  // Every variant was downloaded, the one that is not a variant name too (as Python's build/*).
  CHECK(fs::exists(run.variant_dir("org/many", "not-a-variant") + "/x/__init__.py"));

  // Without --all-variants: only the variant this machine prefers (torch-cpu).
  Run one;
  auto preferred = one(with({"org/many", "1"}, kSuiteIdentity));
  CHECK(preferred.out == "\xE2\x9D\x8C torch-cpu: cannot verify kernel integrity, signature not found\n");
  CHECK_FALSE(fs::exists(one.variant_dir("org/many", "torch-universal")));

  // Both filters: only the invalid metadata is left, and still fails.
  auto both = run(with({"org/many", "1", "--all-variants", "--filter-unsigned", "--filter-no-digest"}, kSuiteIdentity));
  CHECK(both.exit_code == 1);
  CHECK(both.out.rfind("\xE2\x9D\x8C torch-universal: cannot verify kernel integrity, invalid metadata:\n", 0) == 0);
  CHECK(std::count(both.out.begin(), both.out.end(), '\n') == 2);
}

TEST_CASE("kernels verify-signature --json: the documented shape", "[cli][verify-signature]") {
  Run run;
  auto r = run(with({"org/many", "1", "--all-variants", "--json", "--filter-unsigned"}, kSuiteIdentity));
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1);
  CHECK(j["repo_id"] == "org/many");
  CHECK(j["kernel_version"] == 1);
  CHECK(j["revision"] == "v1");
  CHECK(j["commit"] == hub().commits.at("org/many"));
  CHECK(j["all_variants"] == true);
  CHECK(j["ok"] == false);
  CHECK(j["summary"] == nlohmann::json{{"variants", 3}, {"success", 0}, {"failed", 2}, {"filtered", 1}});
  CHECK(j["errors"] == nlohmann::json::array());
  REQUIRE(j["variants"].size() == 3);
  const auto& cpu = j["variants"][0];
  CHECK(cpu["variant"] == "torch-cpu");
  CHECK(cpu["path"] == run.variant_dir("org/many", "torch-cpu"));
  CHECK(cpu["status"] == "signature-missing");
  CHECK(cpu["reason"].is_null());
  CHECK(cpu["violations"] == nlohmann::json::array());
  CHECK(cpu["filtered"] == true);
  const auto& uni = j["variants"][1];
  CHECK(uni["status"] == "metadata-invalid");
  CHECK(uni["reason"].get<std::string>().find("not valid JSON") != std::string::npos);
  CHECK(uni["filtered"] == false);
  CHECK(j["variants"][2]["status"] == "metadata-missing");
  // --format json is the same document.
  auto same = run(with({"org/many", "1", "--all-variants", "--format", "json", "--filter-unsigned"}, kSuiteIdentity));
  CHECK(nlohmann::json::parse(same.out) == j);
  CHECK(run({"org/many", "1", "--json", "--format", "human"}).exit_code == 2);
}

TEST_CASE("kernels verify-signature: a bad VERSION is refused before any request", "[cli][verify-signature]") {
  Run run;
  for (const char* bad : {"0", "+1", "v1", "1.0", "one", "99999999999999999999"}) {
    INFO(bad);
    auto r = run({"org/unsigned", bad});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("VERSION must be a whole number >= 1 (version N is the branch vN), not \"" + std::string(bad) +
                     "\"") != std::string::npos);
    CHECK(r.out == "");
  }
  // "-1" reads as an option, which is a usage error too.
  CHECK(run({"org/unsigned", "-1"}).exit_code == 2);
  CHECK(run({"org/unsigned"}).exit_code == 2);
  CHECK(run({"not a repo", "1"}).exit_code == 2);
}

TEST_CASE("kernels verify-signature: a version with no branch, a repository that does not exist",
          "[cli][verify-signature]") {
  Run run;
  auto r = run({"org/unsigned", "2"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("Version 2 not found, available versions: 1") != std::string::npos);
  CHECK(r.out == "");
  auto missing = run({"org/nothing-here", "1"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.out == "");
  CHECK(missing.err.find("org/nothing-here") != std::string::npos);
}

TEST_CASE("kernels verify-signature: an unreadable --trusted-root is a usage error", "[cli][verify-signature]") {
  Run run;
  auto r = run({"org/unsigned", "1", "--trusted-root", run.dir.path() + "/nope.json"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("nope.json") != std::string::npos);
  CHECK_FALSE(fs::exists(run.cache()));                                 // nothing was downloaded
  CHECK(run({"org/unsigned", "1", "--identity", "x"}).exit_code == 2);  // --identity needs --issuer
}

TEST_CASE("kernels verify-signature --help teaches the checks, the trust and the lines", "[cli][verify-signature]") {
  auto r = run_kernels({"verify-signature", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("--filter-unsigned") != std::string::npos);
  CHECK(r.out.find("raw bytes of metadata.json") != std::string::npos);
  CHECK(r.out.find("2026-08-19") != std::string::npos);
  CHECK(r.out.find("Examples:\n  kernels verify-signature ") != std::string::npos);
  CHECK(run_kernels({"help"}).out.find("verify-signature") != std::string::npos);
}

// `kernels verify --filter-unsigned / --filter-no-digest`, on caches built by
// hand (tests/support/hf_cache_fixture.hpp), as verify_test.cpp builds them.
#include "tests/support/hf_cache_fixture.hpp"

namespace {

using kernels::test::fixture_lock_hash;
using kernels::test::FixtureFile;
using kernels::test::HfCacheFixture;

const std::string kCachedSha = "89abcdef0123456789abcdef0123456789abcdef";

// org/relu torch-cpu with a digest, no bundle; org/plain torch-cpu without a digest, no bundle.
struct FilterProject {
  TempDir tmp;
  HfCacheFixture cache{tmp.path() + "/hub"};
  std::string project = tmp.path() + "/project";
  std::vector<FixtureFile> relu = kernels::test::with_metadata({{"__init__.py", "x = 1\n"}, {"_ops.py", "ops = 1\n"}});
  std::vector<FixtureFile> plain{{"__init__.py", "y = 1\n"}, {"metadata.json", "{\"python-depends\": []}"}};
  std::string relu_dir;
  FilterProject() {
    relu_dir = cache.add_variant("org/relu", kCachedSha, "torch-cpu", relu);
    cache.add_variant("org/plain", kCachedSha, "torch-cpu", plain);
    kernels::test::write_lock(project, {{"org/relu", kCachedSha, {{"torch-cpu", fixture_lock_hash(relu)}}},
                                        {"org/plain", kCachedSha, {{"torch-cpu", fixture_lock_hash(plain)}}}});
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

TEST_CASE("kernels verify --filter-unsigned, --filter-no-digest leave out what passed", "[cli][verify]") {
  FilterProject p;
  auto all = p.verify();
  CHECK(all.exit_code == 0);
  CHECK(all.out.find("ok        org/relu torch-cpu\n") != std::string::npos);
  CHECK(all.out.find("no digest org/plain torch-cpu\n") != std::string::npos);

  auto no_digest = p.verify({"--filter-no-digest"});
  CHECK(no_digest.exit_code == 0);
  CHECK(no_digest.out.find("org/plain") == std::string::npos);
  CHECK(no_digest.out.find("ok        org/relu torch-cpu\n1 variant: 1 ok (") != std::string::npos);
  CHECK(no_digest.out.find("; 1 variant left out by --filter-no-digest\n") != std::string::npos);

  auto unsigned_ = p.verify({"--filter-unsigned"});
  CHECK(unsigned_.exit_code == 0);
  CHECK(unsigned_.out.rfind("0 variants: none checked (0 files, 0 B read in ", 0) == 0);
  CHECK(unsigned_.out.find("; 2 variants left out by --filter-unsigned\n") != std::string::npos);

  auto j = nlohmann::json::parse(p.verify({"--filter-no-digest", "--format", "json"}).out);
  CHECK(j["filtered"] == 1);
  CHECK(j["variants"].size() == 1);
  CHECK(j["summary"]["variants"] == 1);
}

TEST_CASE("kernels verify --filter-unsigned never hides a changed file", "[cli][verify]") {
  FilterProject p;
  fs::remove(p.relu_dir + "/_ops.py");
  kernels::test::fixture_put(p.relu_dir + "/_ops.py", "ops = 'evil'\n");
  auto r = p.verify({"--filter-unsigned", "--filter-no-digest"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("mismatch  org/relu torch-cpu\n", 0) == 0);
  CHECK(r.out.find("; 1 variant left out by --filter-unsigned/--filter-no-digest\n") != std::string::npos);
}

TEST_CASE("kernels verify: --filter-unsigned with --signatures or --no-signatures is a usage error", "[cli][verify]") {
  FilterProject p;
  CHECK(p.verify({"--filter-unsigned", "--signatures"}).exit_code == 2);
  CHECK(p.verify({"--filter-unsigned", "--no-signatures"}).exit_code == 2);
  CHECK(p.verify({"--filter-no-digest", "--no-signatures"}).exit_code == 0);
  auto help = run_kernels({"verify", "--help"});
  CHECK(help.out.find("--filter-unsigned cannot be combined with --signatures") != std::string::npos);
}
