#include "hub/cache_source.hpp"

#include <set>
#include <utility>

#include "hub/cache_writer.hpp"
#include "hub/decode.hpp"
#include "hub/repo_id.hpp"
#include "util/file.hpp"
#include "util/terminal_text.hpp"

namespace kernels::hub {

namespace {

std::string count_files(std::size_t n) { return std::to_string(n) + (n == 1 ? " file" : " files"); }

}  // namespace

std::string short_commit(const std::string& commit) { return is_commit_hash(commit) ? commit.substr(0, 12) : commit; }

CacheSource::CacheSource(const HubConfig& config)
    : repo_type_(config.repo_type),
      max_tree_entries_(config.limits.tree_entries),
      cache_({config.kernels_cache, config.hub_cache}, config.repo_type) {}

Result<Refs> CacheSource::list_refs(const std::string& repo) const {
  Refs refs;
  refs.branches = cache_.branches(repo);
  if (refs.branches.empty()) {
    return Error{ErrorCode::offline,
                 "Offline mode: no cached refs for " + repo + " in the cache (" + cache_.describe() + "; looked for " +
                     repo_folder_name(repo, repo_type_) +
                     "/refs/). `kernels lock` online records the refs it resolves (huggingface_hub's "
                     "downloads do too); or unset HF_HUB_OFFLINE / drop --offline"};
  }
  return refs;
}

Result<RepoInfo> CacheSource::repo_info(const std::string& repo, const std::string& revision) const {
  auto commit = cache_.resolve(repo, revision.empty() ? "main" : revision);
  if (!commit.ok()) return commit.error();
  RepoInfo info;
  info.id = repo;
  info.sha = *commit;
  info.author = repo.substr(0, repo.find('/'));
  return info;
}

Result<TreeListing> CacheSource::list_tree(const std::string& repo, const std::string& revision,
                                           const std::string& path_in_repo, bool recursive) const {
  auto commit = cache_.resolve(repo, revision.empty() ? "main" : revision);
  if (!commit.ok()) return commit.error();
  auto files = cache_.snapshot_files(repo, *commit);
  if (!files.ok()) return files.error();
  std::string prefix = path_in_repo.empty() ? "" : path_in_repo + "/";
  TreeListing out;
  std::set<std::string> dirs;
  for (const auto& f : *files) {
    if (f.path.rfind(prefix, 0) != 0) continue;
    std::string rest = f.path.substr(prefix.size());
    // Directories on the way to the file.
    for (auto slash = rest.find('/'); slash != std::string::npos; slash = rest.find('/', slash + 1)) {
      std::string dir = prefix + rest.substr(0, slash);
      if (!recursive && rest.find('/') != slash) break;
      if (dirs.insert(dir).second) out.add(true, dir, "", 0);
      if (!recursive) break;
    }
    if (!recursive && rest.find('/') != std::string::npos) continue;
    if (f.blob.size() == 64) {
      out.add_lfs(false, f.path, "", f.size, f.blob, f.size, 0);
    } else {
      out.add(false, f.path, f.blob, f.size);
    }
  }
  if (!prefix.empty() && out.empty()) {
    return Error{ErrorCode::offline, "Offline mode: folder " + path_in_repo + " is not in the cached snapshot of " +
                                         repo + " at " + *commit};
  }
  return out;
}

Result<FileMetadata> CacheSource::file_metadata(const std::string& repo, const std::string& revision,
                                                const std::string& path) const {
  auto commit = cache_.resolve(repo, revision);
  if (!commit.ok()) return commit.error();
  auto files = cache_.snapshot_files(repo, *commit);
  if (!files.ok()) return files.error();
  for (const auto& f : *files) {
    if (f.path == path) return FileMetadata{*commit, f.blob, f.size, ""};
  }
  return Error{ErrorCode::offline,
               "Offline mode: " + path + " is not in the cached snapshot of " + repo + " at " + *commit};
}

Result<std::string> CacheSource::download(const std::string& repo, const std::string& revision, const std::string& path,
                                          std::size_t max_bytes) const {
  auto commit = cache_.resolve(repo, revision);
  if (!commit.ok()) return commit.error();
  for (const auto& dir : cache_.candidate_dirs(repo)) {
    auto text = read_file(dir + "/snapshots/" + *commit + "/" + path, max_bytes);
    if (text.ok()) return text;
  }
  return Error{ErrorCode::offline,
               "Offline mode: " + path + " is not in the cached snapshot of " + repo + " at " + *commit};
}

Result<TreeListing> CacheSource::list_commit_tree(const std::string& repo, const std::string& commit) const {
  if (!is_commit_hash(commit)) {
    return Error{ErrorCode::usage,
                 "a complete listing of " + repo + " needs a 40-hex commit, not \"" + one_line(commit, 80) + "\""};
  }
  auto listing = cache_.tree_listing(repo, commit, max_tree_entries_);
  if (listing.ok()) return listing;
  auto files = cache_.snapshot_files(repo, commit);
  std::string holds =
      files.ok() ? "the snapshot of " + repo + " at " + short_commit(commit) + " holds " + count_files(files->size())
                 : "the cache (" + cache_.describe() + ") holds no snapshot of " + repo + " at " + short_commit(commit);
  std::string record = listing.error().code == ErrorCode::bad_cache
                           ? ", and no usable complete listing of that commit is in the cache (" +
                                 one_line(listing.error().message, 600) + ")"
                           : ", and no complete listing of that commit (trees/" + commit + ".json) is in the cache";
  return Error{ErrorCode::offline, "Offline mode: " + holds + record +
                                       ", so which files and variants it has is unknown offline; run `kernels lock` or "
                                       "`kernels download --all-variants` once online"};
}

Result<std::optional<Redirect>> CacheSource::kernel_status(const std::string& repo, const std::string& revision) const {
  const std::string rev = revision.empty() ? "main" : revision;
  std::optional<std::string> commit = is_commit_hash(rev) ? std::optional<std::string>(rev) : cache_.ref(repo, rev);
  if (commit) {
    if (auto file = cache_.snapshot_file(repo, *commit, "kernel-status.toml")) {
      auto text = read_file(*file, 1 << 20);
      if (!text.ok()) {
        return Error{ErrorCode::offline, "Offline mode: cannot read the cached kernel-status.toml of " + repo + ": " +
                                             text.error().message};
      }
      return parse_kernel_status(*text, repo);
    }
    if (cache_.known_missing(repo, *commit, "kernel-status.toml")) return std::optional<Redirect>{};
  }
  return Error{ErrorCode::offline, "cannot tell offline whether " + repo + " redirects: its kernel-status.toml at " +
                                       one_line(short_commit(rev), 200) + " was never checked into the cache (" +
                                       cache_.describe() + "); run `kernels lock` once online"};
}

Result<std::string> CacheSource::cached_file(const std::string& repo, const std::string& commit,
                                             const std::string& path, std::size_t max_bytes) const {
  if (!is_commit_hash(commit)) {
    return Error{ErrorCode::usage,
                 "a cached file of " + repo + " needs a 40-hex commit, not \"" + one_line(commit, 80) + "\""};
  }
  if (auto st = check_repo_path(path); !st.ok()) return st.error();
  if (auto file = cache_.snapshot_file(repo, commit, path)) return read_file(*file, max_bytes);
  return Error{ErrorCode::offline, "Offline mode: " + path + " of " + repo + " at " + short_commit(commit) +
                                       " is not in the cache (" + cache_.describe() + "; looked for " +
                                       repo_folder_name(repo, repo_type_) + "/snapshots/" + commit + "/" + path +
                                       "); run `kernels lock` once online"};
}

Status CacheSource::record_ref(const std::string&, const std::string&, const std::string&) const { return ok_status(); }

}  // namespace kernels::hub
