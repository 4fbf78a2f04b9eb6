#include "tests/hub/git_store.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <sstream>

namespace kernels::hub_emulator {

namespace {

bool is_hex(const std::string& s, std::size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::optional<LfsPointer> parse_lfs_pointer(const std::string& blob) {
  if (blob.rfind("version https://git-lfs.github.com/spec/v1\n", 0) != 0 || blob.size() > 1024) return std::nullopt;
  LfsPointer p;
  bool have_size = false;
  std::istringstream in(blob);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("oid sha256:", 0) == 0) p.oid = line.substr(11);
    if (line.rfind("size ", 0) == 0) {
      std::string n = line.substr(5);
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
      p.size = std::stoull(n);
      have_size = true;
    }
  }
  if (!is_hex(p.oid, 64) || !have_size) return std::nullopt;
  return p;
}

GitStore::GitStore(std::string git_dir) : git_dir_(std::move(git_dir)) {}

std::vector<StoredRef> GitStore::refs() const {
  auto r = run_git(git_dir_, {"for-each-ref", "--format=%(refname)%09%(objectname)%09%(*objectname)", "refs/heads",
                              "refs/tags", "refs/pr"});
  std::vector<StoredRef> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto t1 = line.find('\t');
    auto t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) continue;
    StoredRef ref;
    ref.ref = line.substr(0, t1);
    std::string object = line.substr(t1 + 1, t2 - t1 - 1);
    std::string peeled = line.substr(t2 + 1);
    ref.commit = peeled.empty() ? object : peeled;
    ref.is_tag = ref.ref.rfind("refs/tags/", 0) == 0;
    ref.is_pull_request = ref.ref.rfind("refs/pr/", 0) == 0;
    if (ref.is_pull_request) {
      ref.name = ref.ref;
    } else {
      ref.name = ref.ref.substr(ref.is_tag ? 10 : 11);
    }
    out.push_back(std::move(ref));
  }
  return out;
}

std::optional<std::string> GitStore::resolve(const std::string& revision) const {
  if (is_hex(revision, 40)) {  // a commit seen before: no git process (tree pages ask for it 1000 times)
    std::lock_guard lock(mutex_);
    if (commits_.count(revision)) return revision;
  }
  auto refs_now = refs();
  for (bool tags : {false, true}) {
    for (const auto& r : refs_now) {
      if (r.is_tag == tags && (r.name == revision || r.ref == revision)) return r.commit;
    }
  }
  if (is_hex(revision, 40)) {
    auto t = run_git(git_dir_, {"cat-file", "-t", revision});
    if (t.status == 0 && t.out == "commit\n") {
      std::lock_guard lock(mutex_);
      commits_.insert(revision);
      return revision;
    }
  }
  return std::nullopt;
}

std::shared_ptr<const std::vector<StoredEntry>> GitStore::tree(const std::string& commit) const {
  {
    std::lock_guard lock(mutex_);
    auto it = trees_.find(commit);
    if (it != trees_.end()) return it->second;
  }
  auto listing = run_git(git_dir_, {"ls-tree", "-r", "-t", "-l", "-z", commit});
  auto entries = std::make_shared<std::vector<StoredEntry>>();
  if (listing.status != 0) return entries;
  std::string batch_input;
  std::size_t pos = 0;
  while (pos < listing.out.size()) {
    auto end = listing.out.find('\0', pos);
    if (end == std::string::npos) end = listing.out.size();
    std::string record = listing.out.substr(pos, end - pos);
    pos = end + 1;
    auto tab = record.find('\t');
    if (tab == std::string::npos) continue;
    std::istringstream meta(record.substr(0, tab));
    std::string mode, type, oid, size;
    meta >> mode >> type >> oid >> size;
    StoredEntry e;
    e.path = record.substr(tab + 1);
    e.oid = oid;
    e.is_directory = type == "tree";
    if (type == "commit") continue;  // submodules are not served
    if (!e.is_directory) {
      e.blob_size = std::stoull(size);
      if (e.blob_size < 1024) batch_input += oid + "\n";
    }
    entries->push_back(std::move(e));
  }
  if (!batch_input.empty()) {
    auto batch = run_git(git_dir_, {"cat-file", "--batch"}, batch_input);
    std::map<std::string, std::string> contents;
    std::size_t p = 0;
    while (p < batch.out.size()) {
      auto nl = batch.out.find('\n', p);
      if (nl == std::string::npos) break;
      std::istringstream header(batch.out.substr(p, nl - p));
      std::string oid, type;
      std::size_t size = 0;
      header >> oid >> type >> size;
      contents[oid] = batch.out.substr(nl + 1, size);
      p = nl + 1 + size + 1;
    }
    for (auto& e : *entries) {
      if (e.is_directory || e.blob_size >= 1024) continue;
      auto it = contents.find(e.oid);
      if (it != contents.end()) e.lfs = parse_lfs_pointer(it->second);
    }
  }
  std::lock_guard lock(mutex_);
  trees_[commit] = entries;
  return entries;
}

std::optional<std::string> GitStore::blob(const std::string& oid) const {
  if (!is_hex(oid, 40)) return std::nullopt;
  auto r = run_git(git_dir_, {"cat-file", "blob", oid});
  if (r.status != 0) return std::nullopt;
  return r.out;
}

std::string GitStore::commit_date(const std::string& commit) const {
  auto r = run_git(git_dir_, {"show", "-s", "--format=%ct", commit});
  std::time_t t = r.status == 0 && !r.out.empty() ? static_cast<std::time_t>(std::stoll(r.out)) : 0;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

GitStore::LastCommit GitStore::last_commit(const std::string& commit, const std::string& path) const {
  std::string key = commit + "\n" + path;
  {
    std::lock_guard lock(mutex_);
    auto it = last_commits_.find(key);
    if (it != last_commits_.end()) return it->second;
  }
  auto r = run_git(git_dir_, {"log", "-1", "--format=%H%x00%s%x00%ct", commit, "--", path});
  LastCommit last;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  auto a = out.find('\0');
  auto b = a == std::string::npos ? a : out.find('\0', a + 1);
  if (r.status == 0 && b != std::string::npos) {
    last.id = out.substr(0, a);
    last.title = out.substr(a + 1, b - a - 1);
    std::time_t t = static_cast<std::time_t>(std::stoll(out.substr(b + 1)));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    last.date = buf;
  }
  std::lock_guard lock(mutex_);
  last_commits_[key] = last;
  return last;
}

std::string GitStore::lfs_object_path(const std::string& oid) const {
  return git_dir_ + "/lfs/objects/" + oid.substr(0, 2) + "/" + oid.substr(2, 2) + "/" + oid;
}

bool GitStore::is_private() const { return std::filesystem::exists(git_dir_ + "/hub-private"); }
bool GitStore::is_gated() const { return std::filesystem::exists(git_dir_ + "/hub-gated"); }

Captured run_git(const std::string& git_dir, const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv{"git", "--git-dir=" + git_dir};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_capture(argv, input,
                     {"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=Hub Fixture",
                      "GIT_AUTHOR_EMAIL=fixture@example.invalid", "GIT_COMMITTER_NAME=Hub Fixture",
                      "GIT_COMMITTER_EMAIL=fixture@example.invalid", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C"});
}

}  // namespace kernels::hub_emulator
