#include "hub/hf_cache.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include <nlohmann/json.hpp>

#include "hub/cache_writer.hpp"
#include "util/file.hpp"
#include "util/json_depth.hpp"

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
  return s.size() == 40 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

namespace {

bool lower_hex(const std::string& s, std::size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::optional<std::uint64_t> whole_number(const nlohmann::json& j) {
  if (j.is_number_unsigned()) return j.get<std::uint64_t>();
  if (j.is_number_integer() && j.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(j.get<std::int64_t>());
  return std::nullopt;
}

std::string shown(const std::string& path) {
  std::string out;
  for (char c : path.substr(0, 200)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return "\"" + out + (path.size() > 200 ? "...\"" : "\"");
}

// A trailing run of whitespace dropped, then 40 hex digits or nothing.
std::optional<std::string> commit_in(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (is_commit_hash(text)) return text;
  return std::nullopt;
}

}  // namespace

Result<std::vector<TreeEntry>> parse_tree_cache(std::string_view text, std::size_t max_entries) {
  using json = nlohmann::json;
  auto bad = [](const std::string& why) { return Error{ErrorCode::bad_cache, why}; };
  if (json_too_deep(text, kMaxJsonDepth))
    return bad("it nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return bad("it is not valid JSON");
  if (!doc.is_object()) return bad("it is not a JSON object");
  auto version = doc.find("format_version");
  if (version == doc.end()) return bad("it has no format_version");
  if (!version->is_number_integer() || version->get<std::int64_t>() != 1) {
    return bad("its format_version " + version->dump().substr(0, 40) + " is not 1, the only one known");
  }
  auto files = doc.find("files");
  if (files == doc.end() || !files->is_object()) return bad("it has no \"files\" object");
  if (files->size() > max_entries) return bad("it lists more than " + std::to_string(max_entries) + " files");
  // Bytewise path order is git's order for files (a folder's contents follow
  // its name + '/'), so the folders go in where they are first entered.
  std::map<std::string, TreeEntry> by_path;
  for (auto it = files->begin(); it != files->end(); ++it) {
    const std::string& path = it.key();
    if (auto st = check_repo_path(path); !st.ok()) return bad("a file's path is unusable: " + st.error().message);
    const json& info = it.value();
    if (!info.is_object()) return bad("the entry of " + shown(path) + " is not an object");
    TreeEntry e;
    e.path = path;
    auto size = info.find("size");
    auto parsed_size = size == info.end() ? std::nullopt : whole_number(*size);
    if (!parsed_size) return bad("the entry of " + shown(path) + " has no whole-number \"size\"");
    e.size = *parsed_size;
    auto blob = info.find("blob_id");
    if (blob == info.end() || !blob->is_string() || !lower_hex(blob->get<std::string>(), 40)) {
      return bad("the entry of " + shown(path) + " has no \"blob_id\" of 40 hex digits");
    }
    e.oid = blob->get<std::string>();
    auto sha = info.find("lfs_sha256");
    auto lfs_size = info.find("lfs_size");
    if ((sha == info.end()) != (lfs_size == info.end())) {
      return bad("the entry of " + shown(path) + " has only one of \"lfs_sha256\" and \"lfs_size\"");
    }
    if (sha != info.end()) {
      if (!sha->is_string() || !lower_hex(sha->get<std::string>(), 64)) {
        return bad("the entry of " + shown(path) + " has an \"lfs_sha256\" that is not 64 hex digits");
      }
      auto n = whole_number(*lfs_size);
      if (!n) return bad("the entry of " + shown(path) + " has no whole-number \"lfs_size\"");
      e.lfs = LfsInfo{sha->get<std::string>(), *n, 0};
    }
    by_path.emplace(path, std::move(e));
  }
  std::vector<TreeEntry> out;
  out.reserve(by_path.size() * 2);
  std::set<std::string> dirs;
  for (auto& [path, e] : by_path) {
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      std::string dir = path.substr(0, slash);
      if (!dirs.insert(dir).second) continue;
      if (by_path.count(dir)) return bad(shown(dir) + " is listed both as a file and as a folder");
      TreeEntry d;
      d.is_directory = true;
      d.path = std::move(dir);
      out.push_back(std::move(d));
    }
    out.push_back(std::move(e));
  }
  return out;
}

HfCache::HfCache(std::vector<std::string> roots, RepoType preferred) : preferred_(preferred) {
  for (auto& r : roots) {
    if (!r.empty() && std::find(roots_.begin(), roots_.end(), r) == roots_.end()) roots_.push_back(std::move(r));
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
        if (name.empty() || name[0] == '.') continue;  // a temporary of a ref being written; git names never start so
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
  out.reserve(found.size());
  for (auto& [name, ref] : found) out.push_back(std::move(ref));
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
  std::string what =
      is_commit_hash(revision) ? "no snapshot of commit " + revision : "no cached ref '" + revision + "'";
  return Error{ErrorCode::offline,
               "Offline mode: " + what + " for " + repo + " in the cache (" + describe() + "; looked for " +
                   repo_folder_name(repo, preferred_) + "/" + (is_commit_hash(revision) ? "snapshots/" : "refs/") +
                   revision +
                   "). `kernels lock` online records the refs it resolves and `kernels download` the locked snapshots "
                   "(huggingface_hub's snapshot_download fills the same cache); or unset HF_HUB_OFFLINE / "
                   "drop --offline"};
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
      if (size_ec) continue;                             // dangling link: the blob is missing
      f.size = size;
      files.push_back(std::move(f));
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
  }
  return Error{ErrorCode::offline,
               "Offline mode: no snapshot of " + repo + " at commit " + commit + " in the cache (" + describe() +
                   "). `kernels download` installs a project's locked snapshots (--all-variants: every "
                   "variant); or unset HF_HUB_OFFLINE / drop --offline"};
}

Result<std::vector<TreeEntry>> HfCache::tree_listing(const std::string& repo, const std::string& commit,
                                                     std::size_t max_entries) const {
  if (!is_commit_hash(commit)) return Error{ErrorCode::absent, "not a 40-hex commit"};
  std::optional<Error> first_problem;
  for (const auto& dir : candidate_dirs(repo)) {
    std::string file = dir + "/trees/" + commit + ".json";
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec))) continue;
    auto text = read_file(file, kMaxTreeCacheBytes);
    Result<std::vector<TreeEntry>> parsed =
        text.ok() ? parse_tree_cache(*text, max_entries) : Result<std::vector<TreeEntry>>(text.error());
    if (parsed.ok()) return parsed;
    if (!first_problem) first_problem = Error{ErrorCode::bad_cache, file + " is unusable: " + parsed.error().message};
  }
  if (first_problem) return *first_problem;
  return Error{ErrorCode::absent, "no trees/" + commit + ".json"};
}

std::optional<std::string> HfCache::snapshot_file(const std::string& repo, const std::string& commit,
                                                  const std::string& path) const {
  if (!is_commit_hash(commit) || !check_repo_path(path).ok()) return std::nullopt;
  for (const auto& dir : candidate_dirs(repo)) {
    std::string file = dir + "/snapshots/" + commit + "/" + path;
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) return file;  // follows the link: a dangling one is no file
  }
  return std::nullopt;
}

bool HfCache::known_missing(const std::string& repo, const std::string& commit, const std::string& path) const {
  if (!is_commit_hash(commit) || !check_repo_path(path).ok()) return false;
  for (const auto& dir : candidate_dirs(repo)) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(dir + "/.no_exist/" + commit + "/" + path, ec))) return true;
  }
  return false;
}

std::optional<std::string> HfCache::ref(const std::string& repo, const std::string& revision) const {
  if (!check_repo_path(revision).ok()) return std::nullopt;
  for (const auto& dir : candidate_dirs(repo)) {
    auto text = read_file(dir + "/refs/" + revision, 4096);
    if (!text.ok()) continue;
    if (auto commit = commit_in(*text)) return commit;
  }
  return std::nullopt;
}

}  // namespace kernels::hub
