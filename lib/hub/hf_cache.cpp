#include "hub/hf_cache.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <system_error>

#include "util/file.hpp"

namespace fs = std::filesystem;

namespace kernels::hub {

std::string repo_folder_name(const std::string& repo, RepoType type) {
  std::string out = type == RepoType::Kernel ? "kernels" : "models";
  std::size_t start = 0;
  while (true) {
    auto slash = repo.find('/', start);
    out += "--" + repo.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

bool is_commit_hash(const std::string& s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

HfCache::HfCache(std::vector<std::string> roots, RepoType preferred) : preferred_(preferred) {
  for (auto& r : roots) {
    if (!r.empty() && std::find(roots_.begin(), roots_.end(), r) == roots_.end()) roots_.push_back(r);
  }
}

std::vector<std::string> HfCache::candidate_dirs(const std::string& repo) const {
  RepoType other = preferred_ == RepoType::Kernel ? RepoType::Model : RepoType::Kernel;
  std::vector<std::string> dirs;
  for (const auto& root : roots_) {
    dirs.push_back(root + "/" + repo_folder_name(repo, preferred_));
    dirs.push_back(root + "/" + repo_folder_name(repo, other));
  }
  return dirs;
}

std::string HfCache::describe() const {
  std::string out;
  for (const auto& r : roots_) out += (out.empty() ? "" : ", ") + r;
  return out;
}

std::vector<GitRef> HfCache::branches(const std::string& repo) const {
  std::map<std::string, GitRef> found;
  auto dirs = candidate_dirs(repo);
  // Read in reverse root order so that the first root wins, but within one
  // root the legacy models-- folder overrides kernels-- as Python does.
  for (std::size_t root = roots_.size(); root-- > 0;) {
    for (std::size_t k = 0; k < 2; ++k) {
      std::size_t index = root * 2 + (preferred_ == RepoType::Kernel ? k : 1 - k);
      std::error_code ec;
      fs::directory_iterator it(dirs[index] + "/refs", ec);
      if (ec) continue;
      for (const auto& entry : it) {
        if (!entry.is_regular_file(ec)) continue;
        std::string name = entry.path().filename().string();
        auto text = read_file(entry.path().string(), 4096);
        if (!text.ok()) continue;
        std::string commit = *text;
        while (!commit.empty() && std::isspace(static_cast<unsigned char>(commit.back()))) commit.pop_back();
        if (!is_commit_hash(commit)) continue;
        found[name] = GitRef{name, "refs/heads/" + name, commit};
      }
    }
  }
  std::vector<GitRef> out;
  for (auto& [name, ref] : found) out.push_back(ref);
  return out;
}

Result<std::string> HfCache::resolve(const std::string& repo, const std::string& revision) const {
  for (const auto& dir : candidate_dirs(repo)) {
    std::error_code ec;
    if (is_commit_hash(revision)) {
      if (fs::is_directory(dir + "/snapshots/" + revision, ec)) return revision;
      continue;
    }
    auto text = read_file(dir + "/refs/" + revision, 4096);
    if (!text.ok()) continue;
    std::string commit = *text;
    while (!commit.empty() && std::isspace(static_cast<unsigned char>(commit.back()))) commit.pop_back();
    if (is_commit_hash(commit)) return commit;
  }
  std::string what = is_commit_hash(revision) ? "no snapshot of commit " + revision
                                              : "no cached ref '" + revision + "'";
  return Error{"offline", "Offline mode: " + what + " for " + repo + " in the cache (" + describe() +
                              "; looked for " + repo_folder_name(repo, preferred_) + "/" +
                              (is_commit_hash(revision) ? "snapshots/" : "refs/") + revision +
                              "). Run the command once online, or unset HF_HUB_OFFLINE / drop --offline"};
}

Result<std::vector<CachedFile>> HfCache::snapshot_files(const std::string& repo, const std::string& commit) const {
  for (const auto& dir : candidate_dirs(repo)) {
    std::string snap = dir + "/snapshots/" + commit;
    std::error_code ec;
    if (!fs::is_directory(snap, ec)) continue;
    std::vector<CachedFile> files;
    for (fs::recursive_directory_iterator it(snap, ec), end; !ec && it != end; it.increment(ec)) {
      const auto& entry = *it;
      if (entry.is_directory(ec)) continue;
      CachedFile f;
      f.path = entry.path().lexically_relative(snap).generic_string();
      if (entry.is_symlink(ec)) {
        f.blob = fs::read_symlink(entry.path(), ec).filename().string();
      } else {
        f.blob = "";
      }
      std::error_code size_ec;
      auto size = fs::file_size(entry.path(), size_ec);  // follows the symlink
      if (size_ec) continue;                              // dangling link: the blob is missing
      f.size = size;
      files.push_back(std::move(f));
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
  }
  return Error{"offline", "Offline mode: no snapshot of " + repo + " at commit " + commit + " in the cache (" +
                              describe() + "). Download it once online, or unset HF_HUB_OFFLINE / drop --offline"};
}

}  // namespace kernels::hub
