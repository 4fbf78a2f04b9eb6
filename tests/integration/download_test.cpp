// `kernels download` end to end: `kernels lock`, then the built binary
// downloads against the Hub emulator; the cache is checked file by file
// against what the fixtures serve (hashes from fixture_repo's helpers, link
// targets spelled out as huggingface_hub's os.path.relpath gives them).
//
//   org/dl       torch-cpu (nested files, bytecode that is not downloaded),
//                torch-cuda (an LFS .so of 300 000 bytes; __init__.py shared
//                with torch-cpu, so one blob), torch-universal; a README
//   org/gpuonly  torch-cuda only
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "tests/hub/emulator.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/test_hub.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using kernels::hub_emulator::Faults;
using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;
namespace fs = std::filesystem;
namespace he = kernels::hub_emulator;

namespace {

constexpr const char* kToken = "hf_download_test_token_0123456789";

struct File {
  std::string path;  // repo path
  std::string content;
  bool lfs = false;
  std::string etag() const { return lfs ? he::sha256_hex(content) : he::git_blob_oid(content); }
};

class DownloadHub {
 public:
  DownloadHub() {
    cpu = {{"build/torch-cpu/dl/__init__.py", "from ._ops import ops\n"},
           {"build/torch-cpu/dl/_ops.py", "ops = 'cpu'\n"},
           {"build/torch-cpu/dl/layers/deep.py", "class Deep: pass\n"},
           {"build/torch-cpu/metadata.json", "{}\n"}};
    cuda = {{"build/torch-cuda/dl/__init__.py", "from ._ops import ops\n"},
            {"build/torch-cuda/dl/_dl_cuda.abi3.so", he::binary(300000, 7), true}};
    universal = {{"build/torch-universal/dl/__init__.py", "# universal\n"}};
    {
      he::FixtureRepo repo(scratch_.path(), "org/dl");
      for (const auto* set : {&cpu, &cuda, &universal}) {
        for (const auto& f : *set) f.lfs ? repo.write_lfs(f.path, f.content) : repo.write(f.path, f.content);
      }
      repo.write("build/torch-cpu/dl/__pycache__/_ops.cpython-311.pyc", "bytecode")
          .write("build/torch-cpu/dl/stale.pyc", "bytecode")
          .write("README.md", "# dl\n");
      dl_sha = repo.commit("main");
      repo.branch("v1", dl_sha);
    }
    {
      he::FixtureRepo repo(scratch_.path(), "org/gpuonly");
      repo.write("build/torch-cuda/g/__init__.py", "g = 1\n");
      gpu_sha = repo.commit("main");
      repo.branch("v1", gpu_sha);
    }
    he::EmulatorOptions options;
    options.root = scratch_.path();
    options.tokens = {kToken};
    emulator = std::make_unique<he::HubEmulator>(options);
    emulator->start();
  }
  ~DownloadHub() { emulator->stop(); }

  std::vector<File> cpu, cuda, universal;
  std::string dl_sha, gpu_sha;
  std::unique_ptr<he::HubEmulator> emulator;

 private:
  he::ScratchDir scratch_;
};

DownloadHub& hub() {
  static DownloadHub h;
  return h;
}

struct FaultScope {
  explicit FaultScope(const Faults& f) { hub().emulator->set_faults(f); }
  ~FaultScope() { hub().emulator->set_faults(Faults{}); }
};

// A project locked against the emulator, with its own cache.
struct Project {
  TempDir dir;
  std::string cache() const { return dir.path() + "/cache"; }
  std::string repo_dir(const std::string& folder = "kernels--org--dl") const { return cache() + "/" + folder; }
  std::string snapshot() const { return repo_dir() + "/snapshots/" + hub().dl_sha; }

  RunOptions env(const std::string& driver = "none") const {
    RunOptions o;
    o.env["HF_ENDPOINT"] = hub().emulator->endpoint();
    o.env["HF_HOME"] = dir.path() + "/home";
    o.env["KERNELS_CACHE"] = cache();
    o.env["HF_TOKEN"] = kToken;
    o.env["KERNELS_CUDA_DRIVER"] = driver;
    return o;
  }
  explicit Project(const std::string& deps = "\"org/dl\" = 1\n") {
    dir.write("pyproject.toml", "[tool.kernels.dependencies]\n" + deps);
    auto r = run_kernels({"lock", dir.path()}, env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  kernels::test::ProcessResult download(std::vector<std::string> extra = {}, const std::string& driver = "none") const {
    // --torch none: the Python environment of the machine running the tests does not decide.
    std::vector<std::string> args{"download", dir.path(), "--torch", "none"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_kernels(args, env(driver));
  }
};

// Every file of `files` is a relative symlink in the snapshot to its blob,
// which holds exactly the served bytes.
void check_installed(const Project& p, const std::vector<File>& files) {
  for (const auto& f : files) {
    INFO(f.path);
    std::string link = p.snapshot() + "/" + f.path;
    REQUIRE(fs::is_symlink(link));
    std::size_t depth = static_cast<std::size_t>(std::count(f.path.begin(), f.path.end(), '/'));
    std::string up;
    for (std::size_t i = 0; i < depth + 2; ++i) up += "../";
    CHECK(fs::read_symlink(link).string() == up + "blobs/" + f.etag());
    CHECK(kernels::read_file(link, 1 << 24).value() == f.content);
    CHECK(fs::is_regular_file(p.repo_dir() + "/blobs/" + f.etag()));
    CHECK(fs::exists(p.cache() + "/.locks/kernels--org--dl/" + f.etag() + ".lock"));
  }
}

std::vector<std::string> blob_names(const Project& p) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::directory_iterator(p.repo_dir() + "/blobs", ec); !ec && it != fs::directory_iterator(); ++it) {
    out.push_back(it->path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> unique_etags(const std::vector<std::vector<File>>& sets) {
  std::set<std::string> out;
  for (const auto& s : sets)
    for (const auto& f : s) out.insert(f.etag());
  return out;
}

// File GETs the emulator saw (resolve on the hub, objects on the LFS host).
std::vector<he::LoggedRequest> file_gets() {
  std::vector<he::LoggedRequest> out;
  for (const auto& r : hub().emulator->requests()) {
    if (r.method == "GET" && (r.server == "lfs" || r.target.find("/resolve/") != std::string::npos)) out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("kernels download: lock, then install this machine's variants in huggingface_hub's layout",
          "[cli][download]") {
  Project p;
  hub().emulator->clear_log();
  auto r = p.download();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("Downloading `org/dl` with SHA: " + hub().dl_sha + "\n") != std::string::npos);
  // No CUDA driver: the preferred variant, torch-cpu (before torch-universal); never torch-cuda.
  check_installed(p, hub().cpu);
  CHECK_FALSE(fs::exists(p.snapshot() + "/build/torch-universal"));
  CHECK_FALSE(fs::exists(p.snapshot() + "/build/torch-cuda"));
  CHECK_FALSE(fs::exists(p.snapshot() + "/README.md"));
  CHECK_FALSE(fs::exists(p.snapshot() + "/build/torch-cpu/dl/__pycache__"));
  CHECK_FALSE(fs::exists(p.snapshot() + "/build/torch-cpu/dl/stale.pyc"));
  // Exactly one blob per distinct content, nothing in flight left over.
  auto expected = unique_etags({hub().cpu});
  CHECK(blob_names(p) == std::vector<std::string>(expected.begin(), expected.end()));
  CHECK(fs::exists(p.cache() + "/CACHEDIR.TAG"));
  CHECK(file_gets().size() == expected.size());
  CHECK(r.err.find("Downloaded 1 kernel: 4 files fetched") != std::string::npos);
  // Piped: no progress bar.
  CHECK(r.err.find('\r') == std::string::npos);
  // The commit's whole listing, for huggingface_hub's offline snapshot_download.
  auto trees = kernels::read_file(p.repo_dir() + "/trees/" + hub().dl_sha + ".json");
  REQUIRE(trees.ok());
  auto listing = nlohmann::json::parse(*trees);
  CHECK(listing["format_version"] == 1);
  CHECK(listing["files"].contains("README.md"));
  for (const auto& f : hub().cuda) {
    INFO(f.path);
    REQUIRE(listing["files"].contains(f.path));
    CHECK(listing["files"][f.path]["size"] == f.content.size());
    if (f.lfs) CHECK(listing["files"][f.path]["lfs_sha256"] == f.etag());
    else CHECK(listing["files"][f.path]["blob_id"] == f.etag());
  }

  SECTION("a second run fetches nothing") {
    hub().emulator->clear_log();
    auto again = p.download();
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(file_gets().empty());
    CHECK(again.err.find("0 files fetched (0 B), 4 already present") != std::string::npos);
  }
}

TEST_CASE("kernels download --all-variants: LFS through the storage host, without the token", "[cli][download]") {
  Project p;
  hub().emulator->clear_log();
  auto r = p.download({"--all-variants", "--jobs", "3"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_installed(p, hub().cpu);
  check_installed(p, hub().cuda);
  check_installed(p, hub().universal);
  auto expected = unique_etags({hub().cpu, hub().cuda, hub().universal});
  CHECK(blob_names(p) == std::vector<std::string>(expected.begin(), expected.end()));
  bool saw_lfs = false;
  for (const auto& g : file_gets()) {
    INFO(g.server << " " << g.target);
    if (g.server == "lfs") {
      saw_lfs = true;
      CHECK(g.authorization.empty());
    } else {
      CHECK(g.authorization == std::string("Bearer ") + kToken);
    }
  }
  CHECK(saw_lfs);
}

TEST_CASE("kernels download: a CUDA driver picks the CUDA variant and not the CPU one", "[cli][download]") {
  Project p;
  auto r = p.download({}, "12.8");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_installed(p, hub().cuda);
  CHECK_FALSE(fs::exists(p.snapshot() + "/build/torch-universal"));
  CHECK_FALSE(fs::exists(p.snapshot() + "/build/torch-cpu"));
}

TEST_CASE("kernels download: a byte flipped in a served file is an error naming it, the variant is not linked",
          "[cli][download]") {
  Project p;
  const File& so = hub().cuda[1];
  Faults f;
  f.corrupt_target = so.etag();  // the LFS object's URL
  FaultScope scope(f);
  auto r = p.download({"--all-variants"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: kernels download: org/dl@" + hub().dl_sha.substr(0, 12) + ": " + so.path +
                   ": the downloaded bytes do not match") != std::string::npos);
  CHECK(r.err.find("variant torch-cuda not installed") != std::string::npos);
  CHECK_FALSE(fs::exists(p.snapshot() + "/build/torch-cuda"));
  auto blobs = blob_names(p);
  for (const auto& b : blobs) CHECK(b.rfind(so.etag(), 0) != 0);  // neither blob nor .incomplete
  // The other variants are fine.
  check_installed(p, hub().cpu);
  check_installed(p, hub().universal);

  SECTION("a regular file served by the hub itself") {
    Project q;
    Faults g;
    g.corrupt_target = "build/torch-cpu/dl/_ops.py";
    hub().emulator->set_faults(g);
    auto bad = q.download();
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("build/torch-cpu/dl/_ops.py: the downloaded bytes do not match the Hub's listing (git blob") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(q.snapshot() + "/build/torch-cpu"));
  }
}

TEST_CASE("kernels download --format json: one document on stdout, per entry and in sum, errors with their code",
          "[cli][download][json]") {
  Project p;
  auto r = p.download({"--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("Downloading") == std::string::npos);  // the document says it all
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["version"] == 1);
  CHECK(doc["command"] == "download");
  CHECK(doc["ok"] == true);
  CHECK(doc["cache"] == p.cache());
  REQUIRE(doc["kernels"].size() == 1);
  const auto& k = doc["kernels"][0];
  CHECK(k["repo_id"] == "org/dl");
  CHECK(k["sha"] == hub().dl_sha);
  CHECK(k["variants"] == nlohmann::json::array({"torch-cpu"}));
  CHECK(k["installed"] == nlohmann::json::array({"torch-cpu"}));
  CHECK(k["files_fetched"] == 4);
  CHECK(k["files_skipped"] == 0);
  std::size_t bytes = 0;
  for (const auto& f : hub().cpu) bytes += f.content.size();
  CHECK(k["bytes_fetched"] == bytes);
  CHECK(k["errors"].empty());
  CHECK(doc["summary"]["kernels"] == 1);
  CHECK(doc["summary"]["failed"] == 0);
  CHECK(doc["summary"]["files_fetched"] == 4);
  CHECK(doc["summary"]["seconds"].is_number());

  auto again = nlohmann::json::parse(p.download({"--json"}).out);  // --json is the alias
  CHECK(again["summary"]["files_fetched"] == 0);
  CHECK(again["kernels"][0]["files_skipped"] == 4);

  Project q;
  Faults f;
  f.corrupt_target = "build/torch-cpu/dl/_ops.py";
  FaultScope scope(f);
  auto bad = q.download({"--format", "json"});
  CHECK(bad.exit_code == 1);
  auto failed = nlohmann::json::parse(bad.out);
  CHECK(failed["ok"] == false);
  CHECK(failed["summary"]["failed"] == 1);
  REQUIRE_FALSE(failed["kernels"][0]["errors"].empty());
  CHECK(failed["kernels"][0]["installed"].empty());
  const auto& e = failed["kernels"][0]["errors"][0];
  CHECK(e["code"] == "hash-mismatch");
  CHECK(e["message"].get<std::string>().find("build/torch-cpu/dl/_ops.py: the downloaded bytes do not match") !=
        std::string::npos);

  auto usage = p.download({"--format", "yaml"});
  CHECK(usage.exit_code == 2);
  CHECK(usage.out.empty());
}

TEST_CASE("kernels download: a transfer cut in the middle resumes with a Range request", "[cli][download]") {
  Project p;
  const File& so = hub().cuda[1];
  hub().emulator->clear_log();
  Faults f;
  f.cut_target = so.etag();
  f.cut_after_bytes = 120000;
  FaultScope scope(f);
  auto r = p.download({}, "12.8");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_installed(p, hub().cuda);
  std::vector<int> statuses;
  for (const auto& g : file_gets()) {
    if (g.server == "lfs") statuses.push_back(g.status);
  }
  // The cut answer (200, closed early), then the rest as a 206.
  CHECK(statuses == std::vector<int>{200, 206});
  CHECK(blob_names(p).size() == unique_etags({hub().cuda}).size());
}

TEST_CASE("kernels download: an .incomplete left by an earlier run is re-hashed and resumed", "[cli][download]") {
  Project p;
  const File& so = hub().cuda[1];
  fs::create_directories(p.repo_dir() + "/blobs");
  p.dir.write("cache/kernels--org--dl/blobs/" + so.etag() + ".0badf00d.incomplete", so.content.substr(0, 200000));
  hub().emulator->clear_log();
  auto r = p.download({}, "12.8");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_installed(p, hub().cuda);
  std::vector<int> statuses;
  for (const auto& g : file_gets()) {
    if (g.server == "lfs") statuses.push_back(g.status);
  }
  CHECK(statuses == std::vector<int>{206});
  CHECK_FALSE(fs::exists(p.repo_dir() + "/blobs/" + so.etag() + ".0badf00d.incomplete"));

  SECTION("a leftover with wrong bytes ends in a hash error, and is not kept") {
    Project q;
    fs::create_directories(q.repo_dir() + "/blobs");
    q.dir.write("cache/kernels--org--dl/blobs/" + so.etag() + ".0badf00d.incomplete", std::string(1000, 'x'));
    auto bad = q.download({}, "12.8");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find(so.path + ": the downloaded bytes do not match") != std::string::npos);
    for (const auto& b : blob_names(q)) CHECK(b.rfind(so.etag(), 0) != 0);
    // The next run starts from scratch and succeeds.
    auto good = q.download({}, "12.8");
    INFO(good.err);
    CHECK(good.exit_code == 0);
  }
}

TEST_CASE("kernels download: a cache filled as huggingface_hub fills it is reused", "[cli][download]") {
  Project p;
  // What hf_hub_download leaves: blobs/<etag> and a relative link to it.
  const File& f = hub().cpu[1];
  p.dir.write("cache/kernels--org--dl/blobs/" + f.etag(), f.content);
  fs::create_directories(p.snapshot() + "/build/torch-cpu/dl");
  fs::create_symlink("../../../../../blobs/" + f.etag(), p.snapshot() + "/" + f.path);
  hub().emulator->clear_log();
  auto r = p.download();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto& g : file_gets()) CHECK(g.target.find(f.path) == std::string::npos);
  CHECK(file_gets().size() == unique_etags({hub().cpu}).size() - 1);
  CHECK(r.err.find("1 already present") != std::string::npos);
}

TEST_CASE("kernels download: a lock that does not match the Hub's listing installs nothing of that variant",
          "[cli][download]") {
  Project p;
  std::string lock = kernels::read_file(p.dir.path() + "/kernels.lock").value();
  auto at = lock.find("\"torch-cpu\": {\n        \"hash\": \"sha256-");
  REQUIRE(at != std::string::npos);
  at = lock.find("sha256-", at) + 7;
  lock[at] = lock[at] == '0' ? '1' : '0';
  p.dir.write("kernels.lock", lock);
  hub().emulator->clear_log();
  auto r = p.download();
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("variant torch-cpu: the Hub's file listing hashes to sha256-") != std::string::npos);
  CHECK_FALSE(fs::exists(p.snapshot() + "/build/torch-cpu"));
  for (const auto& g : file_gets()) CHECK(g.target.find("torch-cpu") == std::string::npos);
}

TEST_CASE("kernels download: an entry where no variant fits is an error that says so", "[cli][download]") {
  Project p("\"org/gpuonly\" = 1\n\"org/dl\" = 1\n");
  auto r = p.download();
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("org/gpuonly@" + hub().gpu_sha.substr(0, 12) + ": Cannot find a build variant for this system") !=
        std::string::npos);
  CHECK(r.err.find("  torch-cuda: backend (cuda) does not match system backend (cpu) and is not universal") !=
        std::string::npos);
  CHECK(r.err.find("1 of 2 entries failed") != std::string::npos);
  // The other entry is installed all the same.
  check_installed(p, hub().cpu);
}

TEST_CASE("kernels download: no kernels.lock", "[cli][download]") {
  TempDir empty;
  auto r = run_kernels({"download", empty.path()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: kernels download: No kernels.lock file found in: " + empty.path() + "\n");
  auto help = run_kernels({"download", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--all-variants") != std::string::npos);
  CHECK(help.out.find("Examples:") != std::string::npos);
}

TEST_CASE("kernels download, then kernels verify: what was installed checks out offline", "[cli][download][verify]") {
  Project p;
  auto d = p.download({"--all-variants"});
  INFO(d.err);
  REQUIRE(d.exit_code == 0);
  RunOptions offline = p.env();
  offline.env["HF_HUB_OFFLINE"] = "1";
  offline.env["HF_ENDPOINT"] = "http://127.0.0.1:9";  // nothing listens: verify must not need the network
  auto v = run_kernels({"verify", p.dir.path(), "--all-variants"}, offline);
  INFO(v.out << v.err);
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("3 variants: 3 ") != std::string::npos);

  // A blob changed after the download: verify names the file.
  const File& victim = hub().cpu.front();
  std::string blob = p.repo_dir() + "/blobs/" + victim.etag();
  fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
  REQUIRE(kernels::write_file_atomic(blob, victim.content + "x").ok());
  auto bad = run_kernels({"verify", p.dir.path(), "--all-variants"}, offline);
  CHECK(bad.exit_code == 1);
  CHECK(bad.out.find(victim.path.substr(std::string("build/torch-cpu/").size())) != std::string::npos);
}
