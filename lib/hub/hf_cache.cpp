#include "hub/hf_cache.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <istream>
#include <streambuf>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include <unistd.h>

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

namespace {

struct TooDeep {};

// An input stream over a file descriptor (closed at the end), read in 64 KiB
// steps and at most `max_bytes` (a file that grows while read is cut there).
class FdReader : public std::streambuf {
 public:
  FdReader(int fd, std::size_t max_bytes) : fd_(fd), left_(max_bytes) {}
  ~FdReader() override { ::close(fd_); }
  FdReader(const FdReader&) = delete;
  FdReader& operator=(const FdReader&) = delete;
  bool failed() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    std::size_t want = std::min(buffer_.size(), left_);
    ssize_t n = 0;
    do {
      n = want == 0 ? 0 : ::read(fd_, buffer_.data(), want);
    } while (n < 0 && errno == EINTR);
    if (n < 0) failure_ = std::strerror(errno);
    if (n <= 0) return traits_type::eof();
    left_ -= static_cast<std::size_t>(n);
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  int fd_;
  std::size_t left_;
  std::array<char, 64 * 1024> buffer_{};
  std::string failure_;
};

// trees/<commit>.json read through nlohmann's callback parser: each file's
// entry is taken into a TreeListing as soon as it is parsed and discarded
// from the document, so a million files never exist as JSON values (about
// 1 KB each) nor as TreeEntry values. Files are validated as they come, but
// an error is reported as the DOM reader reported it: for the first path in
// sorted order whose (last) entry is bad, after the document-level checks.
class TreeCacheReader {
 public:
  explicit TreeCacheReader(std::size_t max_entries) : max_entries_(max_entries) {}

  bool on_event(int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if ((event == E::object_start || event == E::array_start) && depth >= kMaxJsonDepth) throw TooDeep{};
    if (depth == 1 && event == E::key) {
      in_files_key_ = parsed.is_string() && parsed.get_ref<const std::string&>() == "files";
      return true;
    }
    if (depth == 1 && (event == E::object_start || event == E::array_start) && in_files_key_) {
      // A second "files" replaces the first, as it would in the document.
      files_ = TreeListing();
      errors_.clear();
      too_many_ = false;
      in_files_ = event == E::object_start;
      return true;
    }
    if (depth == 1 && (event == E::object_end || event == E::array_end)) {
      in_files_ = false;
      return true;
    }
    if (!in_files_ || depth != 2) return true;
    if (event == E::key) {
      path_ = parsed.is_string() ? parsed.get_ref<const std::string&>() : std::string();
      return true;
    }
    if (event == E::value || event == E::object_end || event == E::array_end) {
      take(parsed);
      return false;  // discarded: the document keeps no file
    }
    return true;
  }

  Result<TreeListing> finish(const nlohmann::json& doc) {
    if (doc.is_discarded()) return bad("it is not valid JSON");
    if (!doc.is_object()) return bad("it is not a JSON object");
    auto version = doc.find("format_version");
    if (version == doc.end()) return bad("it has no format_version");
    if (!version->is_number_integer() || version->get<std::int64_t>() != 1) {
      return bad("its format_version " + version->dump().substr(0, 40) + " is not 1, the only one known");
    }
    auto files = doc.find("files");
    if (files == doc.end() || !files->is_object()) return bad("it has no \"files\" object");
    if (too_many_) return bad("it lists more than " + std::to_string(max_entries_) + " files");
    // Sorted by path, the last entry of a path repeated winning (as in a JSON object).
    std::vector<std::uint32_t> order(files_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return files_.path(a) < files_.path(b); });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (i + 1 < order.size() && files_.path(order[i]) == files_.path(order[i + 1])) continue;
      order[kept++] = order[i];
    }
    order.resize(kept);
    for (std::uint32_t i : order) {
      auto error = errors_.find(i);
      if (error != errors_.end()) return bad(error->second);
    }
    // Bytewise path order is git's order for files (a folder's contents follow
    // its name + '/'), so the folders go in where they are first entered: the
    // files under a folder are contiguous, so a folder is new exactly when it
    // is not a folder of the previous file.
    std::vector<std::uint32_t> out;
    out.reserve(order.size() + order.size() / 8);
    std::string_view previous;
    for (std::uint32_t i : order) {
      const std::string_view path = files_.path(i);
      for (auto slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
        if (previous.size() > slash && previous.compare(0, slash + 1, path, 0, slash + 1) == 0) continue;
        const std::string_view dir = path.substr(0, slash);
        auto file = std::lower_bound(order.begin(), order.end(), dir,
                                     [&](std::uint32_t a, std::string_view d) { return files_.path(a) < d; });
        if (file != order.end() && files_.path(*file) == dir)
          return bad(shown(std::string(dir)) + " is listed both as a file and as a folder");
        out.push_back(static_cast<std::uint32_t>(files_.size()));
        files_.add_folder_prefix(i, slash);
      }
      out.push_back(i);
      previous = path;
    }
    files_.reorder(out);
    return std::move(files_);
  }

 private:
  static Error bad(const std::string& why) { return Error{ErrorCode::bad_cache, why}; }

  // One file's entry: into the listing, or (when bad) a placeholder and the reason.
  void take(const nlohmann::json& info) {
    if (files_.size() >= max_entries_) {
      too_many_ = true;
      return;
    }
    auto why = problem(info);
    if (why) {
      errors_.emplace(static_cast<std::uint32_t>(files_.size()), std::move(*why));
      files_.add(false, path_, "", 0);
      return;
    }
    const auto& blob = info.find("blob_id")->get_ref<const std::string&>();
    const std::uint64_t size = *whole_number(*info.find("size"));
    auto sha = info.find("lfs_sha256");
    if (sha == info.end()) {
      files_.add(false, path_, blob, size);
    } else {
      files_.add_lfs(false, path_, blob, size, sha->get_ref<const std::string&>(),
                     *whole_number(*info.find("lfs_size")), 0);
    }
  }

  std::optional<std::string> problem(const nlohmann::json& info) const {
    const std::string& path = path_;
    if (auto st = check_repo_path(path); !st.ok()) return "a file's path is unusable: " + st.error().message;
    if (!info.is_object()) return "the entry of " + shown(path) + " is not an object";
    auto size = info.find("size");
    if (size == info.end() || !whole_number(*size))
      return "the entry of " + shown(path) + " has no whole-number \"size\"";
    auto blob = info.find("blob_id");
    if (blob == info.end() || !blob->is_string() || !lower_hex(blob->get_ref<const std::string&>(), 40)) {
      return "the entry of " + shown(path) + " has no \"blob_id\" of 40 hex digits";
    }
    auto sha = info.find("lfs_sha256");
    auto lfs_size = info.find("lfs_size");
    if ((sha == info.end()) != (lfs_size == info.end())) {
      return "the entry of " + shown(path) + " has only one of \"lfs_sha256\" and \"lfs_size\"";
    }
    if (sha != info.end()) {
      if (!sha->is_string() || !lower_hex(sha->get_ref<const std::string&>(), 64)) {
        return "the entry of " + shown(path) + " has an \"lfs_sha256\" that is not 64 hex digits";
      }
      if (!whole_number(*lfs_size)) return "the entry of " + shown(path) + " has no whole-number \"lfs_size\"";
    }
    return std::nullopt;
  }

  std::size_t max_entries_;
  TreeListing files_;  // in document order until finish()
  std::map<std::uint32_t, std::string> errors_;
  bool in_files_key_ = false;
  bool in_files_ = false;
  bool too_many_ = false;
  std::string path_;
};

template <typename Input>
Result<TreeListing> read_tree_cache(Input&& input, std::size_t max_entries) {
  TreeCacheReader reader(max_entries);
  try {
    nlohmann::json doc = nlohmann::json::parse(
        std::forward<Input>(input),
        [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
          return reader.on_event(depth, event, parsed);
        },
        false);
    return reader.finish(doc);
  } catch (const TooDeep&) {
    return Error{ErrorCode::bad_cache, "it nests deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
  }
}

}  // namespace

Result<TreeListing> parse_tree_cache(std::string_view text, std::size_t max_entries) {
  return read_tree_cache(text, max_entries);
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

Result<TreeListing> HfCache::tree_listing(const std::string& repo, const std::string& commit,
                                          std::size_t max_entries) const {
  if (!is_commit_hash(commit)) return Error{ErrorCode::absent, "not a 40-hex commit"};
  std::optional<Error> first_problem;
  for (const auto& dir : candidate_dirs(repo)) {
    std::string file = dir + "/trees/" + commit + ".json";
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec))) continue;
    // Streamed from the file (a million files' record is about 120 MB).
    auto fd = open_for_reading(file, kMaxTreeCacheBytes);
    auto parsed = [&]() -> Result<TreeListing> {
      if (!fd.ok()) return fd.error();
      FdReader buffer(*fd, kMaxTreeCacheBytes);
      std::istream stream(&buffer);
      auto listing = read_tree_cache(stream, max_entries);
      if (listing.ok() && buffer.failed()) return Error{ErrorCode::io, "cannot read it: " + buffer.failure()};
      return listing;
    }();
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
