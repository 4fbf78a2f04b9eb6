// `kernels lock` and `kernels download` on a disk that fills while they write,
// and killed (SIGKILL) mid-transfer, through the built binary against the Hub
// emulator. Each case ends in a clear error or a later run that completes;
// kernels.lock is the old bytes or the whole new ones, no temporary is left
// (.kernels.lock.tmp.*, a .incomplete blob), and what the cache held before
// still passes `kernels verify`.
//
// The full disk is a small tmpfs. It is mounted in a user and mount namespace
// (`unshare --user --map-root-user --mount`, which needs no privilege where
// user namespaces are allowed), else, as root, in a mount namespace alone.
// Where neither works the tests fail, saying so: they are not skipped.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "tests/hub/emulator.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/test_hub.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using kernels::test::ProcessResult;
using kernels::test::run_kernels;
using kernels::test::RunningKernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;
namespace emu = kernels::hub_emulator;
namespace fs = std::filesystem;

namespace {

// The project most cases move to: disk/wide's lock entry spans pages.
constexpr const char* kBaseAndWide = "\"disk/base\" = 1\n\"disk/wide\" = 1\n";

// disk/base: a small kernel, installed before each fault. disk/wide: 120
// variants, so that its lock entry is larger than a few pages. disk/big: a
// 1 MiB LFS file, larger than the room a full disk leaves.
class DiskHub {
 public:
  DiskHub() : big_so(emu::binary(1 << 20, 5)) {
    {
      emu::FixtureRepo repo(scratch_.path(), "disk/base");
      repo.write("build/torch-cpu/base/__init__.py", "base = 1\n").write("build/torch-cpu/metadata.json", "{}\n");
      repo.branch("v1", repo.commit("main"));
    }
    {
      emu::FixtureRepo repo(scratch_.path(), "disk/wide");
      for (int v = 0; v < 120; ++v) {
        repo.write("build/torch-v" + std::to_string(1000 + v) + "/wide/__init__.py", "v = " + std::to_string(v) + "\n");
      }
      repo.branch("v1", repo.commit("main"));
    }
    {
      emu::FixtureRepo repo(scratch_.path(), "disk/big");
      repo.write("build/torch-cpu/big/__init__.py", "big = 1\n").write_lfs("build/torch-cpu/big/_big.abi3.so", big_so);
      repo.branch("v1", repo.commit("main"));
    }
    emu::EmulatorOptions options;
    options.root = scratch_.path();
    emulator = std::make_unique<emu::HubEmulator>(options);
    emulator->start();
  }
  ~DiskHub() { emulator->stop(); }
  const std::string big_so;
  std::unique_ptr<emu::HubEmulator> emulator;

 private:
  emu::ScratchDir scratch_;
};

DiskHub& disk_hub() {
  static DiskHub hub;
  return hub;
}

struct FaultScope {
  explicit FaultScope(const emu::Faults& f) { disk_hub().emulator->set_faults(f); }
  ~FaultScope() { disk_hub().emulator->set_faults({}); }
};

RunOptions env_for(const std::string& hf_home) {
  RunOptions o;
  o.env["HF_ENDPOINT"] = disk_hub().emulator->endpoint();
  o.env["HF_HOME"] = hf_home;
  o.env["KERNELS_CUDA_DRIVER"] = "none";  // the machine's GPU does not decide anything here
  return o;
}

std::string read(const std::string& path) {
  auto text = kernels::read_file(path, 1 << 26);
  return text.ok() ? *text : "<unreadable: " + text.error().message + ">";
}

void write_pyproject(const std::string& dir, const std::string& deps) {
  fs::create_directories(dir);
  std::string text = "[tool.kernels.dependencies]\n" + deps;
  REQUIRE(kernels::write_file_atomic(dir + "/pyproject.toml", text).ok());
}

ProcessResult must(const ProcessResult& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

// The kernels.lock a project of `deps` gets, locked in a directory of its own.
std::string lock_made_elsewhere(const std::string& deps, const std::string& hf_home) {
  TempDir elsewhere;
  write_pyproject(elsewhere.path(), deps);
  must(run_kernels({"lock", elsewhere.path()}, env_for(hf_home)));
  return read(elsewhere.path() + "/kernels.lock");
}

// Every regular file and symlink under `root` (relative path -> bytes, or
// "-> target" for a link): what is there, compared byte for byte.
std::map<std::string, std::string> contents(const std::string& root) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string rel = fs::relative(it->path(), root).string();
    if (it->is_symlink()) out[rel] = "-> " + fs::read_symlink(it->path()).string();
    else if (it->is_regular_file()) out[rel] = read(it->path().string());
  }
  return out;
}

// Temporaries: the lock's, the cache writer's records', and blobs in flight.
std::vector<std::string> temporaries(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find(".tmp") != std::string::npos || name.find(".incomplete") != std::string::npos) {
      out.push_back(it->path().string());
    }
  }
  return out;
}

// Runs `command` with `mount_point` a fresh tmpfs of `size`: `seed`'s files
// are copied in, then the disk is filled but for `free_bytes`; afterwards
// what the tmpfs holds (the filler left out) is copied to `out`/fs, the
// command's status to `out`/rc, its output to `out`/stdout and stderr.
// Tries a user namespace, then (as root) a mount namespace; FAILs when
// neither can mount a tmpfs here.
class SmallDisk {
 public:
  void run(const std::string& size, const std::string& mount_point, const std::string& seed, std::size_t free_bytes,
           const std::vector<std::string>& command, RunOptions options) {
    fs::create_directories(mount_point);
    out_ = out_dir_.path();
    const std::string script = out_dir_.write("small-disk.sh", R"(set -u
size=$1 fs=$2 seed=$3 out=$4 free=$5
shift 5
mount -t tmpfs -o "size=$size" tmpfs "$fs" || exit 90
: > "$out/mounted"
cp -a "$seed/." "$fs/" || exit 91
# Full, then `free` bytes given back: the command's writes find that much room.
cat /dev/zero > "$fs/.filler" 2>/dev/null
if [ "$free" -gt 0 ]; then truncate -s "-$free" "$fs/.filler" || exit 92; fi
"$@" > "$out/stdout" 2> "$out/stderr"
echo $? > "$out/rc"
df -k "$fs" > "$out/df"
rm -f "$fs/.filler"
mkdir -p "$out/fs" && cp -a "$fs/." "$out/fs/" || exit 93
umount "$fs" 2>/dev/null
exit 0
)");
    std::vector<std::string> tail{"sh", script, size, mount_point, seed, out_, std::to_string(free_bytes)};
    tail.insert(tail.end(), command.begin(), command.end());
    options = kernels::test::kernels_environment(std::move(options));
    std::string attempts;
    std::vector<std::vector<std::string>> wrappers{{"unshare", "--user", "--map-root-user", "--mount"}};
    if (::geteuid() == 0) wrappers.push_back({"unshare", "--mount", "--propagation", "private"});
    for (const auto& wrapper : wrappers) {
      std::vector<std::string> argv = wrapper;
      argv.insert(argv.end(), tail.begin(), tail.end());
      auto r = kernels::test::run_process(argv, options);
      if (fs::exists(out_ + "/mounted")) {
        INFO(r.err);
        REQUIRE(r.exit_code == 0);  // the wrapper's own steps: copying in and out
        REQUIRE(fs::exists(out_ + "/rc"));
        return;
      }
      attempts += "\n  " + wrapper[0] + " " + wrapper[1] + "...: exit " + std::to_string(r.exit_code) + ": " + r.err;
    }
    FAIL(
        "cannot mount a small tmpfs to fill: neither a user namespace (unshare --user --map-root-user --mount) "
        "nor root's mount namespace works here, so the disk-full cases cannot run. Allow unprivileged user "
        "namespaces (sysctl kernel.unprivileged_userns_clone=1, or a container with CAP_SYS_ADMIN) or run as root."
        << attempts);
  }
  int exit_code() const { return std::stoi(read(out_ + "/rc")); }
  std::string err() const { return read(out_ + "/stderr"); }
  std::string df() const { return read(out_ + "/df"); }
  // The tmpfs as the command left it.
  std::string fs_path(const std::string& relative = "") const { return out_ + "/fs/" + relative; }

 private:
  TempDir out_dir_;
  std::string out_;
};

// A project locked for disk/base and installed into the HF cache under
// `root`/home: what a fault must leave intact.
struct Installed {
  std::string root;
  std::string project() const { return root + "/project"; }
  std::string home() const { return root + "/home"; }
  explicit Installed(const std::string& dir) : root(dir) {
    write_pyproject(project(), "\"disk/base\" = 1\n");
    must(run_kernels({"lock", project()}, env_for(home())));
    must(run_kernels({"download", project(), "--all-variants"}, env_for(home())));
    must(run_kernels({"verify", project(), "--all-variants"}, env_for(home())));
  }
};

// `kernels verify --all-variants` of `project` against the cache of `hf_home` passes.
void check_verifies(const std::string& project, const std::string& hf_home) {
  auto r = run_kernels({"verify", project, "--all-variants"}, env_for(hf_home));
  INFO("kernels verify " << project << "\n" << r.out << r.err);
  CHECK(r.exit_code == 0);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

template <typename Pred>
bool wait_for(Pred done, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

}  // namespace

TEST_CASE("disk full: kernels lock whose kernels.lock fills the disk mid-write keeps the old lock, no temporary",
          "[cli][faults][disk]") {
  TempDir seed, mount_parent;
  Installed before(seed.path());
  const std::string old_lock = read(before.project() + "/kernels.lock");
  write_pyproject(before.project(), kBaseAndWide);
  // The lock this would write is larger than three pages, so that with one
  // page free the write fails part way, not at its first byte.
  REQUIRE(lock_made_elsewhere(kBaseAndWide, before.home()).size() > 3 * 4096);

  // The project on the small disk, the HF cache where it was.
  SmallDisk disk;
  const std::string mnt = mount_parent.path() + "/mnt";
  disk.run("1m", mnt, before.root, 4096, {kernels::test::kernels_binary(), "lock", mnt + "/project"},
           env_for(before.home()));
  INFO(disk.err() << "\n" << disk.df());
  CHECK(disk.exit_code() == 2);
  CHECK(contains(disk.err(), "error: kernels lock: "));
  CHECK(contains(disk.err(), "kernels.lock"));
  CHECK(contains(disk.err(), "No space left on device"));
  CHECK(read(disk.fs_path("project/kernels.lock")) == old_lock);
  CHECK(temporaries(disk.fs_path()).empty());
}

TEST_CASE("disk full: lock and download with the HF cache on a full disk fail clearly and leave the cache as it was",
          "[cli][faults][disk]") {
  TempDir seed, mount_parent;
  Installed before(seed.path());
  const std::string old_lock = read(before.project() + "/kernels.lock");
  // A second project whose lock adds disk/big (1 MiB, through LFS), locked while there was room.
  const std::string next = seed.path() + "/next";
  write_pyproject(next, "\"disk/base\" = 1\n\"disk/big\" = 1\n");
  must(run_kernels({"lock", next}, env_for(before.home())));
  const std::string next_lock = read(next + "/kernels.lock");
  write_pyproject(before.project(), "\"disk/base\" = 1\n\"disk/big\" = 1\n");
  const auto seeded_cache = contents(before.home());  // with next's records (refs, trees)
  const std::string mnt = mount_parent.path() + "/mnt";

  SECTION("lock: the disk is full before it writes anything") {
    SmallDisk disk;
    disk.run("4m", mnt, before.root, 0, {kernels::test::kernels_binary(), "lock", mnt + "/project"},
             env_for(mnt + "/home"));
    INFO(disk.err() << "\n" << disk.df());
    CHECK(disk.exit_code() == 2);
    CHECK(contains(disk.err(), "No space left on device"));
    CHECK(read(disk.fs_path("project/kernels.lock")) == old_lock);
    CHECK(temporaries(disk.fs_path()).empty());
    // The cache's records are best effort: none half-written, nothing that was there changed.
    auto after = contents(disk.fs_path("home"));
    for (const auto& [path, bytes] : seeded_cache) {
      INFO(path);
      REQUIRE(after.count(path) == 1);
      CHECK(after[path] == bytes);
    }
  }

  SECTION("download: the disk fills part way through a 1 MiB blob") {
    SmallDisk disk;
    disk.run("4m", mnt, before.root, 256 * 1024,
             {kernels::test::kernels_binary(), "download", mnt + "/next", "--all-variants"}, env_for(mnt + "/home"));
    INFO(disk.err() << "\n" << disk.df());
    CHECK(disk.exit_code() == 1);
    CHECK(contains(disk.err(), "disk/big"));
    CHECK(contains(disk.err(), "No space left on device"));
    CHECK(read(disk.fs_path("next/kernels.lock")) == next_lock);
    CHECK(temporaries(disk.fs_path()).empty());  // the partial blob is removed, not kept
    auto after = contents(disk.fs_path("home"));
    for (const auto& [path, bytes] : seeded_cache) {
      INFO(path);
      REQUIRE(after.count(path) == 1);
      CHECK(after[path] == bytes);
    }
    for (const auto& [path, bytes] : after) {  // nothing of disk/big's variant was linked
      CHECK_FALSE(contains(path, "kernels--disk--big/snapshots"));
      CHECK_FALSE(bytes == disk_hub().big_so);
    }
    // What was installed before still verifies, from the copy the full disk left.
    check_verifies(disk.fs_path("project"), disk.fs_path("home"));
  }
}

TEST_CASE("SIGKILL: kernels download killed mid-transfer, then a later run resumes it and the cache verifies",
          "[cli][faults][kill]") {
  TempDir dir;
  Installed before(dir.path());
  const std::string next = dir.path() + "/next";
  write_pyproject(next, "\"disk/base\" = 1\n\"disk/big\" = 1\n");
  must(run_kernels({"lock", next}, env_for(before.home())));
  const std::string next_lock = read(next + "/kernels.lock");
  const std::string blobs = before.home() + "/hub/kernels--disk--big/blobs";
  auto partial = [&]() -> std::uintmax_t {
    std::error_code ec;
    for (auto it = fs::directory_iterator(blobs, ec); !ec && it != fs::directory_iterator(); ++it) {
      if (contains(it->path().filename().string(), ".incomplete")) return fs::file_size(it->path(), ec);
    }
    return 0;
  };

  emu::Faults slow;
  slow.slow_target = emu::sha256_hex(disk_hub().big_so);
  slow.slow_ms = 5;  // 1 MiB in 4 KiB steps: over a second
  {
    FaultScope scope(slow);
    RunningKernels download({"download", next, "--all-variants"}, env_for(before.home()));
    const bool mid = wait_for([&] { return partial() >= 64 * 1024; }, std::chrono::seconds(60));
    auto killed = download.kill(SIGKILL);
    REQUIRE(mid);
    CHECK(killed.exit_code == 128 + SIGKILL);
  }
  const auto kept = partial();
  CHECK(kept >= 64 * 1024);  // left to be resumed, as huggingface_hub leaves its own
  CHECK(kept < disk_hub().big_so.size());
  CHECK(read(next + "/kernels.lock") == next_lock);
  // What was installed before is intact.
  check_verifies(before.project(), before.home());

  // A later run takes the leftover over, asks for the rest (206), finishes.
  disk_hub().emulator->clear_log();
  auto again = run_kernels({"download", next, "--all-variants"}, env_for(before.home()));
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  bool resumed = false;
  for (const auto& r : disk_hub().emulator->requests())
    resumed = resumed || (r.server == "lfs" && r.method == "GET" && r.status == 206);
  CHECK(resumed);
  CHECK(temporaries(before.home()).empty());
  check_verifies(next, before.home());
}

TEST_CASE("SIGKILL: kernels lock killed mid-transfer or at any moment leaves the old lock or the whole new one",
          "[cli][faults][kill]") {
  TempDir dir, elsewhere;
  Installed before(dir.path());
  const std::string old_lock = read(before.project() + "/kernels.lock");
  const std::string new_lock = lock_made_elsewhere(kBaseAndWide, elsewhere.path());
  REQUIRE(new_lock != old_lock);
  write_pyproject(before.project(), kBaseAndWide);

  // An offline lock from whatever the killed run recorded: the new lock, or
  // an error and nothing written; never another lock. (With refs/main
  // recorded and refs/v1 not yet, the error says version 1 is not in the
  // cache.)
  auto check_records = [&] {
    TempDir out;
    RunOptions offline = env_for(before.home());
    offline.env["HF_HUB_OFFLINE"] = "1";
    auto r = run_kernels({"lock", before.project(), "--output", out.path() + "/kernels.lock"}, offline);
    INFO(r.err);
    if (r.exit_code == 0) {
      CHECK(read(out.path() + "/kernels.lock") == new_lock);
    } else {
      CHECK(contains(r.err, "error: kernels lock: "));
      // A cache miss says so, never "not found".
      CHECK((contains(r.err, "Offline mode: ") || contains(r.err, "cannot tell offline")));
      CHECK_FALSE(contains(r.err, "not found"));
      CHECK_FALSE(fs::exists(out.path() + "/kernels.lock"));
    }
  };

  SECTION("killed while the tree listing of disk/wide is arriving") {
    emu::Faults drip;
    drip.drip_ms = 1;  // JSON answers a byte a millisecond: the listing takes seconds
    FaultScope scope(drip);
    disk_hub().emulator->clear_log();
    RunningKernels lock({"lock", before.project()}, env_for(before.home()));
    auto listing_started = [&] {
      for (const auto& r : disk_hub().emulator->requests())
        if (contains(r.target, "/api/kernels/disk/wide/tree/")) return true;
      return false;
    };
    const bool mid = wait_for(listing_started, std::chrono::seconds(120));
    auto killed = lock.kill(SIGKILL);
    REQUIRE(mid);
    CHECK(killed.exit_code == 128 + SIGKILL);
    CHECK(read(before.project() + "/kernels.lock") == old_lock);
    CHECK(temporaries(before.project()).empty());
    check_records();
  }

  SECTION("killed at moments spread over a whole run") {
    emu::Faults latency;
    latency.latency_ms = 15;
    FaultScope scope(latency);
    for (int delay_ms : {20, 60, 100, 150, 200, 260, 330, 420, 550, 800}) {
      INFO("killed after " << delay_ms << " ms");
      // The next write of kernels.lock removes what a killed writer left.
      REQUIRE(kernels::write_file_atomic(before.project() + "/kernels.lock", old_lock).ok());
      CHECK(temporaries(before.project()).empty());
      RunningKernels lock({"lock", before.project()}, env_for(before.home()));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      const std::string own = ".kernels.lock.tmp." + std::to_string(lock.pid()) + "-";
      auto r = lock.kill(SIGKILL);
      CHECK((r.exit_code == 128 + SIGKILL || r.exit_code == 0));
      const std::string now = read(before.project() + "/kernels.lock");
      CHECK((now == old_lock || now == new_lock));
      // Killed between creating its temporary and renaming it (the fsync
      // makes that milliseconds), it leaves the temporary: only its own.
      for (const auto& t : temporaries(before.project())) CHECK(contains(t, "/" + own));
      check_records();
    }
  }

  // A later run completes, with the whole new lock.
  auto again = run_kernels({"lock", before.project()}, env_for(before.home()));
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(read(before.project() + "/kernels.lock") == new_lock);
  CHECK(temporaries(before.project()).empty());
  must(run_kernels({"download", before.project(), "--all-variants"}, env_for(before.home())));
  check_verifies(before.project(), before.home());
}

TEST_CASE("SIGINT and SIGTERM: kernels lock and download interrupted at any moment leave no temporary behind",
          "[cli][faults][kill]") {
  TempDir dir, elsewhere;
  Installed before(dir.path());
  const std::string old_lock = read(before.project() + "/kernels.lock");
  const std::string new_lock = lock_made_elsewhere(kBaseAndWide, elsewhere.path());
  write_pyproject(before.project(), kBaseAndWide);
  // Unlike SIGKILL, these run the handler: no temporary of kernels.lock or of
  // a cache record survives (an interrupted blob's .incomplete is kept to be
  // resumed, as huggingface_hub keeps its own).
  auto stray = [](const std::string& root) {
    std::vector<std::string> out;
    for (const auto& t : temporaries(root))
      if (!contains(t, ".incomplete")) out.push_back(t);
    return out;
  };

  emu::Faults latency;
  latency.latency_ms = 15;
  FaultScope scope(latency);
  int interrupted = 0;
  for (int sig : {SIGINT, SIGTERM}) {
    for (int delay_ms : {30, 90, 160, 250, 380, 600}) {
      INFO("signal " << sig << " after " << delay_ms << " ms");
      REQUIRE(kernels::write_file_atomic(before.project() + "/kernels.lock", old_lock).ok());
      RunningKernels lock({"lock", before.project()}, env_for(before.home()));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      auto r = lock.kill(sig);
      INFO("exit " << r.exit_code << ", stderr: " << r.err);
      CHECK((r.exit_code == 128 + sig || r.exit_code == 0));
      if (r.exit_code != 0) ++interrupted;
      const std::string now = read(before.project() + "/kernels.lock");
      CHECK((now == old_lock || now == new_lock));
      CHECK(stray(before.project()).empty());
      CHECK(stray(before.home()).empty());
    }
  }
  CHECK(interrupted > 0);  // the moments reach into the run, not only past its end

  // download: interrupted while the variants of disk/wide arrive.
  must(run_kernels({"lock", before.project()}, env_for(before.home())));
  RunningKernels download({"download", before.project(), "--all-variants"}, env_for(before.home()));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto r = download.kill(SIGINT);
  INFO("exit " << r.exit_code << ", stderr: " << r.err);
  CHECK((r.exit_code == 128 + SIGINT || r.exit_code == 0));
  CHECK(stray(before.home()).empty());
  CHECK(read(before.project() + "/kernels.lock") == new_lock);
  // The run after it completes, and the cache verifies.
  must(run_kernels({"download", before.project(), "--all-variants"}, env_for(before.home())));
  check_verifies(before.project(), before.home());
}
