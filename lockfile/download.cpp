#include "lockfile/download.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "hub/cache_writer.hpp"
#include "hub/hf_cache.hpp"
#include "lockfile/hash.hpp"
#include "util/parallel.hpp"

namespace kernels::lockfile {

namespace {

std::string short_sha(const std::string& sha) { return sha.substr(0, 12); }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Skipped as Python's download skips them (*.pyc, **/__pycache__/**).
bool is_bytecode(std::string_view path) {
  if (ends_with(path, ".pyc")) return true;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start) == "__pycache__") {
      return true;
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

// "build/<variant>/<rest>" -> variant, or "" for anything else.
std::string variant_of(std::string_view path) {
  if (path.substr(0, 6) != "build/") return {};
  auto slash = path.find('/', 6);
  if (slash == std::string_view::npos || slash == 6 || slash + 1 >= path.size()) return {};
  return std::string(path.substr(6, slash - 6));
}

// "bytes a-b/total" -> a, or -1.
long long content_range_start(const std::string& value) {
  if (value.rfind("bytes ", 0) != 0) return -1;
  std::string rest = value.substr(6);
  auto dash = rest.find('-');
  if (dash == 0 || dash == std::string::npos ||
      rest.substr(0, dash).find_first_not_of("0123456789") != std::string::npos || dash > 18) {
    return -1;
  }
  return std::stoll(rest.substr(0, dash));
}

struct BlobTask {
  std::size_t entry = 0;
  std::string etag;
  bool lfs = false;
  std::uint64_t size = 0;
  std::string path;  // the first path naming it (for the URL and messages)
  // Outcome.
  bool ok = false;
  bool fetched = false;
  std::uint64_t bytes_received = 0;
  std::string verified;  // the hash of the bytes written
  Error error;
};

struct PlannedFile {
  hub::TreeEntryView entry;  // a view into PlannedEntry::listing
  std::string relpath;       // inside build/<variant>/
  bool linked = false;       // already in the snapshot
  long task = -1;            // index into the tasks, or -1 when the blob is present
};

struct PlannedVariant {
  std::string name;
  std::string expected;  // the lock's hash, or the listing's when the lock has none
  std::vector<PlannedFile> files;
  bool failed = false;
};

struct PlannedEntry {
  const LockedKernel* kernel = nullptr;
  std::unique_ptr<hub::CacheWriter> writer;
  hub::TreeListing listing;
  std::vector<PlannedVariant> variants;
};

class Progress {
 public:
  explicit Progress(const DownloadOptions& o) : options_(o) {}
  void add_total(std::uint64_t bytes, std::size_t files) {
    std::lock_guard lock(mutex_);
    state_.bytes_total += bytes;
    state_.files_total += files;
  }
  void bytes(long long delta) {
    std::lock_guard lock(mutex_);
    state_.bytes_done = static_cast<std::uint64_t>(static_cast<long long>(state_.bytes_done) + delta);
    report();
  }
  void file_done() {
    std::lock_guard lock(mutex_);
    ++state_.files_done;
    report();
  }

 private:
  void report() {
    if (options_.on_progress) options_.on_progress(state_);
  }
  const DownloadOptions& options_;
  std::mutex mutex_;
  DownloadProgress state_;
};

Error file_error(const PlannedEntry& e, const std::string& path, const std::string& why,
                 ErrorCode code = ErrorCode::download) {
  return Error{code, e.kernel->repo_id + "@" + short_sha(e.kernel->sha) + ": " + path + ": " + why};
}

// Fetches one blob into the cache: lock, resume or start the .incomplete,
// stream with retries, verify size and hash, rename into blobs/.
void fetch_blob(const hub::HubClient& client, const PlannedEntry& entry, BlobTask& task, Progress& progress,
                const DownloadOptions& options) {
  auto fail = [&](const std::string& why, ErrorCode code = ErrorCode::download) {
    task.ok = false;
    task.error = file_error(entry, task.path, why, code);
  };
  auto lock = entry.writer->lock_blob(task.etag);
  if (!lock.ok()) return fail(lock.error().message, lock.error().code);
  if (entry.writer->has_blob(task.etag, task.size)) {  // another process finished it meanwhile
    task.ok = true;
    task.verified = task.etag;
    progress.bytes(static_cast<long long>(task.size));
    return;
  }
  auto started = entry.writer->start_blob(task.etag, task.size);
  if (!started.ok()) return fail(started.error().message, started.error().code);
  hub::IncompleteBlob& blob = *started;
  ContentHasher hasher(task.lfs ? ContentHasher::Kind::Sha256 : ContentHasher::Kind::GitBlob, task.size);
  if (blob.size() > 0) {
    auto read = blob.read_back([&](std::string_view chunk) { hasher.update(chunk); });
    if (!read.ok()) {
      blob.discard();
      return fail(read.error().message, read.error().code);
    }
    progress.bytes(static_cast<long long>(blob.size()));
  }
  task.fetched = true;
  // Empty files need no request: their hash is checked below like any other.
  int tries_without_progress = 0;
  auto delay = options.resume_delay;
  std::string fatal;  // a failure that makes the bytes untrustworthy
  while (blob.size() < task.size) {
    std::uint64_t offset = blob.size();
    Status write_status = ok_status();
    hub::HttpClient::StreamSink sink;
    sink.on_head = [&](const hub::HttpResponse& head) {
      if (head.status == 206) {
        long long start = content_range_start(head.header("content-range"));
        if (start != static_cast<long long>(offset)) {
          fatal = "asked for bytes from " + std::to_string(offset) + " and got a 206 with Content-Range \"" +
                  head.header("content-range").substr(0, 80) + "\"";
          return false;
        }
        return true;
      }
      if (offset > 0) {  // the server ignored the Range: start again from 0
        progress.bytes(-static_cast<long long>(offset));
        hasher.reset();
        write_status = blob.truncate();
        offset = 0;
        if (!write_status.ok()) return false;
      }
      std::string length = head.header("content-length");
      if (!length.empty() && length.find_first_not_of("0123456789") == std::string::npos && length.size() < 19 &&
          std::stoull(length) != task.size) {
        fatal = "the server sends " + length + " bytes, the Hub's listing says " + std::to_string(task.size);
        return false;
      }
      return true;
    };
    sink.on_body = [&](std::string_view chunk) {
      if (blob.size() + chunk.size() > task.size) {
        fatal = "the server sends more than the " + std::to_string(task.size) + " bytes the Hub's listing says";
        return false;
      }
      write_status = blob.append(chunk);
      if (!write_status.ok()) return false;
      hasher.update(chunk);
      task.bytes_received += chunk.size();
      progress.bytes(static_cast<long long>(chunk.size()));
      return true;
    };
    auto result = client.stream_file(entry.kernel->repo_id, entry.kernel->sha, task.path, offset, sink);
    if (!fatal.empty()) {
      blob.discard();
      return fail(fatal, ErrorCode::bad_response);
    }
    if (!write_status.ok()) {
      blob.discard();
      return fail(write_status.error().message, write_status.error().code);
    }
    if (result.ok()) {
      if (blob.size() != task.size) {
        // The answer ended early without a transport error; try again from where it stopped.
        if (++tries_without_progress > 5) {
          return fail("the transfer keeps ending at " + std::to_string(blob.size()) + " of " +
                      std::to_string(task.size) + " bytes (kept for a later run to resume)");
        }
        continue;
      }
      break;
    }
    bool progressed = blob.size() > offset;
    if (result.error().code != ErrorCode::network || (!progressed && ++tries_without_progress > 5)) {
      // Kept as .incomplete: a later run resumes it (its bytes are re-hashed first).
      return fail(result.error().message +
                      (blob.size() > 0 ? " (" + std::to_string(blob.size()) + " bytes kept to resume)" : ""),
                  result.error().code);
    }
    if (progressed) {
      tries_without_progress = 0;
      delay = options.resume_delay;
    }
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(8000));
  }
  if (blob.size() != task.size) {
    blob.discard();
    return fail("got " + std::to_string(blob.size()) + " bytes, the Hub's listing says " + std::to_string(task.size),
                ErrorCode::bad_response);
  }
  std::string got = hasher.hex();
  if (got != task.etag) {
    blob.discard();
    return fail(std::string("the downloaded bytes do not match the Hub's listing (") +
                    (task.lfs ? "sha256 " : "git blob ") + got + ", expected " + task.etag + "); nothing was kept",
                ErrorCode::hash_mismatch);
  }
  auto committed = blob.commit();
  if (!committed.ok()) {
    blob.discard();
    return fail(committed.error().message, committed.error().code);
  }
  task.ok = true;
  task.verified = got;
}

// Plans one entry: listing, choice, lock check, what is present. Errors go to `report`.
void plan_entry(const hub::HubClient& client, const std::string& root, PlannedEntry& plan, EntryReport& report,
                std::vector<BlobTask>& tasks, std::size_t index, const DownloadOptions& options) {
  const LockedKernel& k = *plan.kernel;
  std::string where = k.repo_id + "@" + short_sha(k.sha);
  auto fail = [&](ErrorCode code, const std::string& why) { report.errors.push_back(Error{code, where + ": " + why}); };
  if (!hub::is_commit_hash(k.sha))
    return fail(ErrorCode::format, "the lock's sha \"" + k.sha.substr(0, 80) + "\" is not a 40-hex commit");
  auto listing = client.list_tree(k.repo_id, k.sha, "", true);
  if (!listing.ok()) return fail(listing.error().code, listing.error().message);
  plan.listing = std::move(*listing);

  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const auto& e : plan.listing) {
    if (e.is_directory || is_bytecode(e.path)) continue;
    std::string v = variant_of(e.path);
    if (!v.empty() && seen.insert(v).second) names.push_back(v);
  }
  if (names.empty()) return fail(ErrorCode::no_variant, "no build variants under build/ at this commit");
  auto chosen = options.choose ? options.choose(k.repo_id, k.sha, names) : Result<std::vector<std::string>>(names);
  if (!chosen.ok()) return fail(chosen.error().code, chosen.error().message);
  if (chosen->empty()) return fail(ErrorCode::no_variant, "no build variant was chosen");
  report.variants = *chosen;

  auto opened = hub::CacheWriter::open(root, k.repo_id, client.config().repo_type);
  if (!opened.ok()) return fail(opened.error().code, opened.error().message);
  plan.writer = std::move(*opened);

  std::map<std::string, std::size_t> task_of;  // etag -> task
  for (const auto& name : *chosen) {
    PlannedVariant pv;
    pv.name = name;
    if (!seen.count(name)) {
      fail(ErrorCode::no_variant, "build variant " + name + " is not in the repository at this commit");
      continue;
    }
    std::string prefix = "build/" + name + "/";
    std::vector<HashedFile> hashed;
    for (const auto& e : plan.listing) {
      if (e.is_directory || e.path.substr(0, prefix.size()) != prefix || is_bytecode(e.path)) continue;
      auto path_ok = hub::check_repo_path(e.path);
      const std::string etag = e.content_hash().str();
      if (!path_ok.ok()) {
        fail(ErrorCode::bad_path, path_ok.error().message);
        pv.failed = true;
        continue;
      }
      if (!hub::is_blob_name(etag) || (e.lfs.has_value() != (etag.size() == 64))) {
        fail(ErrorCode::bad_response, std::string(e.path) + ": the listing's hash \"" + etag.substr(0, 80) +
                                          "\" is not a " + (e.lfs ? "sha256" : "git blob id"));
        pv.failed = true;
        continue;
      }
      hashed.push_back(HashedFile{std::string(e.path.substr(prefix.size())), etag});
      pv.files.push_back(PlannedFile{e, std::string(e.path.substr(prefix.size()))});
    }
    if (pv.failed) {
      report.errors.back().message += " (variant " + name + " not installed)";
      continue;
    }
    auto listed = git_lfs_concat_hash(hashed);
    if (!listed.ok()) {
      fail(ErrorCode::hash, listed.error().message);
      continue;
    }
    if (k.variants.empty()) {
      pv.expected = *listed;  // no hashes in the lock: the listing is the expectation
    } else {
      const VariantLock* vl = k.find_variant(name);
      if (vl == nullptr) {
        fail(ErrorCode::not_locked, "No lock found for build variant: " + name);
        continue;
      }
      if (vl->hash_type != kGitLfsConcat) {
        fail(ErrorCode::format,
             "variant " + name + ": hash_type \"" + vl->hash_type + "\" is not supported (only git_lfs_concat)");
        continue;
      }
      if (vl->hash != *listed) {
        fail(ErrorCode::hash_mismatch,
             "variant " + name + ": the Hub's file listing hashes to " + *listed + " but kernels.lock says " +
                 vl->hash + "; nothing of this variant was downloaded (re-run `kernels lock` if the lock is stale)");
        continue;
      }
      pv.expected = vl->hash;
    }
    for (auto& f : pv.files) {
      const hub::TreeEntryView& e = f.entry;
      const std::string etag = e.content_hash().str();
      const std::string path(e.path);
      if (plan.writer->has_link(k.sha, path, etag, e.size)) {
        f.linked = true;
        ++report.files_skipped;
        continue;
      }
      if (plan.writer->has_blob(etag, e.size)) continue;
      auto it = task_of.find(etag);
      if (it == task_of.end()) {
        BlobTask t;
        t.entry = index;
        t.etag = etag;
        t.lfs = e.lfs.has_value();
        t.size = e.size;
        t.path = path;
        it = task_of.emplace(etag, tasks.size()).first;
        tasks.push_back(std::move(t));
      }
      f.task = static_cast<long>(it->second);
    }
    plan.variants.push_back(std::move(pv));
  }
}

}  // namespace

bool DownloadReport::ok() const {
  return std::all_of(entries.begin(), entries.end(), [](const EntryReport& e) { return e.errors.empty(); });
}
std::size_t DownloadReport::files_fetched() const {
  std::size_t n = 0;
  for (const auto& e : entries) n += e.files_fetched;
  return n;
}
std::size_t DownloadReport::files_skipped() const {
  std::size_t n = 0;
  for (const auto& e : entries) n += e.files_skipped;
  return n;
}
std::uint64_t DownloadReport::bytes_fetched() const {
  std::uint64_t n = 0;
  for (const auto& e : entries) n += e.bytes_fetched;
  return n;
}

Result<DownloadReport> download_lock(const hub::HubClient& client, const std::string& cache_root, const Lock& lock,
                                     const DownloadOptions& options) {
  if (cache_root.empty())
    return Error{ErrorCode::io, "no cache directory (set KERNELS_CACHE, HF_HUB_CACHE or HF_HOME)"};
  DownloadReport report;
  std::vector<PlannedEntry> plans(lock.kernels.size());
  std::vector<BlobTask> tasks;
  report.entries.resize(lock.kernels.size());
  Progress progress(options);
  for (std::size_t i = 0; i < lock.kernels.size(); ++i) {
    const LockedKernel& k = lock.kernels[i];
    plans[i].kernel = &k;
    report.entries[i].repo_id = k.repo_id;
    report.entries[i].sha = k.sha;
    if (options.on_entry) options.on_entry(k);
    std::size_t before = tasks.size();
    plan_entry(client, cache_root, plans[i], report.entries[i], tasks, i, options);
    std::uint64_t bytes = 0;
    for (std::size_t t = before; t < tasks.size(); ++t) bytes += tasks[t].size;
    progress.add_total(bytes, tasks.size() - before);
    if (plans[i].writer) {
      auto tagged = plans[i].writer->tag_root();
      (void)tagged;  // best effort, as huggingface_hub
    }
  }

  parallel_for(tasks.size(), std::max<std::size_t>(1, options.jobs), [&](std::size_t t) {
    fetch_blob(client, plans[tasks[t].entry], tasks[t], progress, options);
    progress.file_done();
  });

  for (std::size_t i = 0; i < plans.size(); ++i) {
    PlannedEntry& plan = plans[i];
    EntryReport& er = report.entries[i];
    std::set<long> counted;
    for (auto& pv : plan.variants) {
      std::vector<HashedFile> verified;
      bool failed = false;
      for (const auto& f : pv.files) {
        if (f.task >= 0) {
          const BlobTask& t = tasks[static_cast<std::size_t>(f.task)];
          if (counted.insert(f.task).second) {
            if (t.fetched && t.ok) ++er.files_fetched;
            er.bytes_fetched += t.bytes_received;
            if (!t.ok) er.errors.push_back(t.error);
          }
          if (!t.ok) {
            failed = true;
            continue;
          }
          verified.push_back(HashedFile{f.relpath, t.verified});
        } else {
          verified.push_back(HashedFile{f.relpath, f.entry.content_hash().str()});  // the blob's name is its hash
        }
      }
      std::string where = plan.kernel->repo_id + "@" + short_sha(plan.kernel->sha);
      if (failed) {
        er.errors.push_back(
            Error{ErrorCode::download, where + ": variant " + pv.name + " not installed: a file failed"});
        continue;
      }
      auto got = git_lfs_concat_hash(verified);
      if (!got.ok() || *got != pv.expected) {
        er.errors.push_back(
            Error{ErrorCode::hash_mismatch, where + ": variant " + pv.name + ": the downloaded files hash to " +
                                                (got.ok() ? *got : got.error().message) + ", expected " + pv.expected +
                                                "; nothing of this variant was linked"});
        continue;
      }
      bool link_failed = false;
      for (const auto& f : pv.files) {
        if (f.linked) continue;
        auto st = plan.writer->link(plan.kernel->sha, std::string(f.entry.path), f.entry.content_hash().str());
        if (!st.ok()) {
          er.errors.push_back(Error{st.error().code, where + ": " + st.error().message});
          link_failed = true;
          break;
        }
      }
      if (!link_failed) er.linked.push_back(pv.name);
    }
    // huggingface_hub's offline snapshot_download at a commit reads the listing from here.
    if (!er.linked.empty()) {
      auto st = plan.writer->write_tree_listing(plan.kernel->sha, plan.listing);
      if (!st.ok()) er.errors.push_back(Error{st.error().code, plan.kernel->repo_id + ": " + st.error().message});
    }
  }
  return report;
}

// --- ContentHasher ---

ContentHasher::ContentHasher(Kind kind, std::uint64_t size) : kind_(kind), size_(size) {
  ctx_ = EVP_MD_CTX_new();
  reset();
}

ContentHasher::~ContentHasher() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void ContentHasher::reset() {
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  EVP_DigestInit_ex(ctx, kind_ == Kind::GitBlob ? EVP_sha1() : EVP_sha256(), nullptr);
  if (kind_ == Kind::GitBlob) {
    std::string header = "blob " + std::to_string(size_);
    EVP_DigestUpdate(ctx, header.data(), header.size() + 1);  // with the NUL
  }
}

void ContentHasher::update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

std::string ContentHasher::hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &n);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 15];
  }
  return out;
}

}  // namespace kernels::lockfile
