#include "lockfile/verify.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "hub/repo_id.hpp"
#include "lockfile/file_hash.hpp"
#include "lockfile/hash.hpp"
#include "lockfile/metadata.hpp"
#include "lockfile/variant_tree.hpp"
#include "util/parallel.hpp"

namespace fs = std::filesystem;

namespace kernels::lockfile {
namespace {

using VStatus = VariantReport::Status;
using DigestStatus = VariantReport::DigestStatus;

bool is_lower_hex(const std::string& s, std::size_t length) {
  return s.size() == length &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool safe_variant_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

// The lock leaves out "*.pyc" (a plain suffix test) and __pycache__
// components; the tree walk already left out the latter.
bool lock_covers(const std::string& relpath) {
  return !(relpath.size() >= 4 && relpath.compare(relpath.size() - 4, 4, ".pyc") == 0);
}

std::string blob_name(const TreeItem& item) { return fs::path(item.link).filename().string(); }

// The hash a blob's name stands for: SHA-1 of the git blob (40 hex) or
// SHA-256 (64 hex); 0 when the name is neither.
unsigned blob_hash_kind(const std::string& name) {
  if (is_lower_hex(name, 40)) return kGitBlobSha1;
  if (is_lower_hex(name, 64)) return kSha256;
  return 0;
}

unsigned digest_kind(DigestAlgorithm algorithm) { return algorithm == DigestAlgorithm::Sha256 ? kSha256 : kSha512; }

const std::string& pick(const FileHashes& h, unsigned kind) {
  return kind == kGitBlobSha1 ? h.git_blob_sha1 : kind == kSha256 ? h.sha256 : h.sha512;
}

// One variant on its way through the checks.
struct Work {
  VariantReport report;
  std::vector<TreeItem> tree;
  std::optional<Digest> expected_digest;
  std::vector<unsigned> kinds;                            // per tree item: the hashes to compute
  std::vector<std::optional<Result<FileHashes>>> hashes;  // per tree item, once computed
};

// The bytes of a top-level file of the variant (metadata.json and its
// bundle): nullopt when absent; an Error when present but unreadable.
std::optional<Result<std::string>> read_top_file(const Work& w, const std::string& name) {
  for (const auto& item : w.tree) {
    if (item.relpath != name) continue;
    if (item.kind == TreeItem::Kind::File || item.kind == TreeItem::Kind::FileLink)
      return Result<std::string>(read_metadata_bytes(item.path));
    if (item.kind == TreeItem::Kind::Dangling)
      return Result<std::string>(Error{ErrorCode::io, name + " is a dangling link to " + item.link});
    return Result<std::string>(Error{ErrorCode::io, name + " is not a regular file"});
  }
  return std::nullopt;
}

// Walks the variant, runs the signature step, reads metadata.json and plans
// which hashes each file needs.
void prepare(Work& w, const VerifyOptions& options) {
  VariantReport& r = w.report;
  auto tree = walk_variant_tree(r.dir);
  if (!tree.ok()) {
    r.status = VStatus::Mismatch;
    r.lock_problems.push_back({"", tree.error().message});
    r.digest_message = "not checked: the variant directory cannot be read";
    return;
  }
  w.tree = std::move(*tree);
  w.kinds.assign(w.tree.size(), 0);
  w.hashes.resize(w.tree.size());

  auto metadata = read_top_file(w, "metadata.json");
  auto bundle = read_top_file(w, "metadata.json.sigstore");

  // The signature step: raw bytes, before anything is parsed.
  if (options.signature_verifier) {
    SignatureInput input{r.dir, std::nullopt, std::nullopt};
    if (metadata && metadata->ok()) input.metadata = metadata->value();
    if (bundle && bundle->ok()) input.bundle = bundle->value();
    r.signature = options.signature_verifier->verify(input);
  }

  if (signature_failed(r.signature.status)) {
    r.digest_status = DigestStatus::NotChecked;
    r.digest_message = "not checked: the signature of metadata.json did not verify";
  } else if (!metadata) {
    r.digest_status = DigestStatus::NoMetadata;
  } else if (!metadata->ok()) {
    r.digest_status = DigestStatus::InvalidMetadata;
    r.digest_message = metadata->error().message;
  } else {
    auto parsed = parse_metadata(metadata->value(), r.dir + "/metadata.json");
    if (!parsed.ok()) {
      r.digest_status = DigestStatus::InvalidMetadata;
      r.digest_message = parsed.error().message;
    } else if (!parsed->digest) {
      r.digest_status = DigestStatus::NoDigest;
    } else {
      w.expected_digest = parsed->digest;
      r.digest_algorithm = parsed->digest->algorithm;
    }
  }

  for (std::size_t i = 0; i < w.tree.size(); ++i) {
    const TreeItem& item = w.tree[i];
    if (lock_covers(item.relpath) && item.kind == TreeItem::Kind::FileLink)
      w.kinds[i] |= blob_hash_kind(blob_name(item));
    if (w.expected_digest && digest_covers(r.dir, item.relpath) &&
        (item.kind == TreeItem::Kind::File || item.kind == TreeItem::Kind::FileLink))
      w.kinds[i] |= digest_kind(w.expected_digest->algorithm);
    // metadata.json is hashed from the bytes that were read (and parsed), not read again.
    if (item.relpath == "metadata.json" && w.kinds[i] != 0 && metadata && metadata->ok())
      w.hashes[i] = Result<FileHashes>(hash_bytes(metadata->value(), w.kinds[i]));
  }
}

void check_lock_hash(Work& w) {
  VariantReport& r = w.report;
  std::vector<HashedFile> files;
  bool computable = true;
  auto problem = [&](const TreeItem& item, std::string text) {
    r.lock_problems.push_back({item.relpath, std::move(text)});
    computable = false;
  };
  for (std::size_t i = 0; i < w.tree.size(); ++i) {
    const TreeItem& item = w.tree[i];
    if (!lock_covers(item.relpath)) continue;
    switch (item.kind) {
      case TreeItem::Kind::File:
        problem(item, "a regular file, not a link into blobs/: huggingface_hub did not put it there");
        continue;
      case TreeItem::Kind::DirLink:
        problem(item, "a link to a directory (" + item.link + "), which huggingface_hub never writes; not followed");
        continue;
      case TreeItem::Kind::Dangling:
        problem(item, "a dangling link to " + item.link + ": its blob is missing");
        continue;
      case TreeItem::Kind::Special: problem(item, "not a regular file"); continue;
      case TreeItem::Kind::FileLink: break;
    }
    std::string name = blob_name(item);
    unsigned kind = blob_hash_kind(name);
    if (kind == 0) {
      problem(item, "links to " + item.link + ", which is not a blob (40 or 64 lowercase hex digits)");
      continue;
    }
    const auto& hashed = w.hashes[i];
    if (!hashed || !hashed->ok()) {
      problem(item, hashed ? hashed->error().message : "not hashed");
      continue;
    }
    std::string got = to_hex(pick(hashed->value(), kind));
    if (got != name) {
      r.lock_problems.push_back({item.relpath, std::string("content does not match its blob: the bytes hash to ") +
                                                   got + " (" + (kind == kGitBlobSha1 ? "git blob SHA-1" : "SHA-256") +
                                                   "), the link names " + name});
    }
    files.push_back({item.relpath, got});
  }
  if (!computable) return;
  auto actual = git_lfs_concat_hash(std::move(files));
  if (!actual.ok()) {
    r.lock_problems.push_back({"", actual.error().message});
    return;
  }
  r.actual_hash = *actual;
  // A kernels-data lock has no variant hashes: the files are still checked
  // against their blob names, and metadata.json against its digest.
  if (!r.expected_hash.empty() && *actual != r.expected_hash)
    r.lock_problems.push_back(
        {"", "variant hash mismatch: kernels.lock has " + r.expected_hash + ", the files hash to " + *actual});
}

void check_digest(Work& w) {
  VariantReport& r = w.report;
  if (!w.expected_digest) return;
  auto files = digest_files(r.dir, w.tree);
  if (!files.ok()) {
    r.digest_status = DigestStatus::Error;
    r.digest_message = files.error().message;
    return;
  }
  Digest actual{w.expected_digest->algorithm, {}};
  unsigned kind = digest_kind(actual.algorithm);
  for (const TreeItem* item : *files) {
    const auto& hashed = w.hashes[static_cast<std::size_t>(item - w.tree.data())];
    if (!hashed || !hashed->ok()) {
      r.digest_status = DigestStatus::Error;
      r.digest_message = hashed ? hashed->error().message : item->relpath + " was not hashed";
      return;
    }
    actual.files.emplace(item->relpath, to_base64(pick(hashed->value(), kind)));
  }
  r.digest_violations = compare_digests(*w.expected_digest, actual);
  r.digest_status = r.digest_violations.empty() ? DigestStatus::Ok : DigestStatus::Mismatch;
}

void settle(VariantReport& r, const VerifyOptions& options) {
  if (r.status != VStatus::Ok) return;  // Missing, Unlocked, or already failed
  bool failed = !r.lock_problems.empty() || signature_failed(r.signature.status) ||
                (options.require_signature && r.signature.status == SignatureResult::Status::BundleMissing) ||
                r.digest_status == DigestStatus::Mismatch || r.digest_status == DigestStatus::InvalidMetadata ||
                r.digest_status == DigestStatus::Error;
  if (failed) r.status = VStatus::Mismatch;
  else if (r.digest_status == DigestStatus::NoMetadata || r.digest_status == DigestStatus::NoDigest)
    r.status = VStatus::NoDigest;
}

// build/<name> directories of `sha` in every cache folder of `repo`: the
// first folder holding a name wins.
struct CachedVariants {
  std::vector<std::string> snapshots;                         // snapshot directories that exist
  std::vector<std::pair<std::string, std::string>> variants;  // name -> directory, in discovery order
  const std::string* find(const std::string& name) const {
    for (const auto& [n, dir] : variants)
      if (n == name) return &dir;
    return nullptr;
  }
};

CachedVariants cached_variants(const hub::HfCache& cache, const std::string& repo, const std::string& sha) {
  CachedVariants out;
  for (const auto& folder : cache.candidate_dirs(repo)) {
    std::string snapshot = folder + "/snapshots/" + sha;
    std::error_code ec;
    if (!fs::is_directory(snapshot, ec)) continue;
    out.snapshots.push_back(snapshot);
    std::vector<std::string> names;
    for (fs::directory_iterator it(snapshot + "/build", ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    for (auto& name : names)
      if (!out.find(name)) out.variants.emplace_back(name, snapshot + "/build/" + name);
  }
  return out;
}

std::string looked_in(const hub::HfCache& cache, const std::string& repo, const std::string& sha) {
  std::string out;
  for (const auto& folder : cache.candidate_dirs(repo)) out += (out.empty() ? "" : ", ") + folder + "/snapshots/" + sha;
  return out;
}

kernels::Status validate(const Lock& lock) {
  for (std::size_t i = 0; i < lock.kernels.size(); ++i) {
    const LockedKernel& k = lock.kernels[i];
    std::string entry = "kernels.lock entry " + std::to_string(i + 1) + " (" + k.repo_id + ")";
    if (auto valid = hub::validate_repo_id(k.repo_id); !valid.ok())
      return Error{ErrorCode::format, entry + ": " + valid.error().message};
    if (!hub::is_commit_hash(k.sha))
      return Error{ErrorCode::format, entry + ": \"sha\" is \"" + k.sha + "\", expected 40 lowercase hex digits"};
    for (const auto& v : k.variants)
      if (!safe_variant_name(v.name))
        return Error{ErrorCode::format, entry + ": \"" + v.name + "\" cannot be a variant directory name"};
  }
  return ok_status();
}

}  // namespace

const char* status_name(VariantReport::Status status) {
  switch (status) {
    case VStatus::Ok: return "ok";
    case VStatus::NoDigest: return "no-digest";
    case VStatus::Mismatch: return "mismatch";
    case VStatus::Missing: return "missing";
    case VStatus::Unlocked: return "unlocked";
  }
  return "?";
}

const char* digest_status_name(VariantReport::DigestStatus status) {
  switch (status) {
    case DigestStatus::Ok: return "ok";
    case DigestStatus::Mismatch: return "mismatch";
    case DigestStatus::NoMetadata: return "no-metadata";
    case DigestStatus::NoDigest: return "no-digest";
    case DigestStatus::InvalidMetadata: return "invalid-metadata";
    case DigestStatus::Error: return "error";
    case DigestStatus::NotChecked: return "not-checked";
  }
  return "?";
}

std::size_t VerifyReport::count(VariantReport::Status status) const {
  return static_cast<std::size_t>(
      std::count_if(variants.begin(), variants.end(), [&](const VariantReport& v) { return v.status == status; }));
}

bool VerifyReport::ok() const {
  return count(VStatus::Mismatch) == 0 && count(VStatus::Missing) == 0 && count(VStatus::Unlocked) == 0;
}

std::uint64_t VerifyReport::bytes() const {
  std::uint64_t total = 0;
  for (const auto& v : variants) total += v.bytes;
  return total;
}

std::vector<std::string> default_variants(const LockedKernel& kernel, const std::vector<std::string>& cached) {
  std::vector<std::string> out;
  for (const auto& v : kernel.variants)
    if (std::find(cached.begin(), cached.end(), v.name) != cached.end()) out.push_back(v.name);
  return out;
}

Result<VerifyReport> verify_lock(const Lock& lock, const hub::HfCache& cache, const VerifyOptions& options) {
  if (auto valid = validate(lock); !valid.ok()) return valid.error();

  std::vector<Work> work;
  for (const auto& kernel : lock.kernels) {
    CachedVariants cached = cached_variants(cache, kernel.repo_id, kernel.sha);
    std::vector<std::string> cached_names;
    for (const auto& [name, dir] : cached.variants) cached_names.push_back(name);
    const bool hashed = lock.format == LockFormat::VariantHashes;
    std::vector<std::string> names;
    if (!hashed) {
      // kernels-data names no variants: those in the cache are checked.
      for (const auto& n : cached_names)
        if (n.rfind("torch", 0) == 0) names.push_back(n);
    } else if (options.all_variants) {
      for (const auto& v : kernel.variants) names.push_back(v.name);
    } else {
      names = default_variants(kernel, cached_names);
    }
    auto add = [&](const std::string& variant, VStatus status) -> VariantReport& {
      Work w;
      w.report.repo_id = kernel.repo_id;
      w.report.sha = kernel.sha;
      w.report.variant = variant;
      w.report.status = status;
      work.push_back(std::move(w));
      return work.back().report;
    };
    std::string where = cached.snapshots.empty()
                            ? "no snapshot of commit " + kernel.sha + " in the cache (looked for " +
                                  looked_in(cache, kernel.repo_id, kernel.sha) + ")"
                            : "not in " + cached.snapshots.front() + "/build/";
    if (names.empty()) {
      VariantReport& r = add("", VStatus::Missing);
      r.missing = cached.snapshots.empty() ? where
                  : hashed ? "none of its " + std::to_string(kernel.variants.size()) + " locked variants is " + where
                           : "no torch variant is cached (" + where + ")";
    }
    for (const auto& name : names) {
      const std::string* dir = cached.find(name);
      VariantReport& r = add(name, dir ? VStatus::Ok : VStatus::Missing);
      const VariantLock* locked = kernel.find_variant(name);
      r.expected_hash = locked ? locked->hash : "";
      if (dir) {
        r.dir = *dir;
        if (locked && locked->hash_type != kGitLfsConcat)
          r.lock_problems.push_back(
              {"", "kernels.lock gives hash type \"" + locked->hash_type + "\"; only git_lfs_concat can be checked"});
      } else {
        r.missing = where;
      }
    }
    for (const auto& [name, dir] : cached.variants) {
      if (!hashed || name.rfind("torch", 0) != 0 || kernel.find_variant(name)) continue;
      VariantReport& r = add(name, VStatus::Unlocked);
      r.dir = dir;
      r.missing = "build/" + name + " is in the cached snapshot but not in kernels.lock";
    }
  }

  // Each variant's walk, small reads and signature check on the same pool as
  // the hashing below: the signature step is most of a small variant's time
  // (about 7 ms of CPU each), so 50 of them one after another took 349 ms on
  // 2 cores. The verifier is thread-safe (signature.hpp); each call writes
  // only its own Work.
  std::vector<Work*> ready;
  for (auto& w : work)
    if (w.report.status == VStatus::Ok) ready.push_back(&w);
  parallel_for(ready.size(), options.jobs, [&](std::size_t i) { prepare(*ready[i], options); });

  // Every file of every variant in one pool, largest first so that one big
  // file does not start last.
  struct Job {
    Work* work;
    std::size_t item;
  };
  std::vector<Job> jobs;
  for (auto& w : work)
    for (std::size_t i = 0; i < w.kinds.size(); ++i)
      if (w.kinds[i] != 0 && !w.hashes[i]) jobs.push_back({&w, i});
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const Job& a, const Job& b) { return a.work->tree[a.item].size > b.work->tree[b.item].size; });
  parallel_for(jobs.size(), options.jobs, [&](std::size_t j) {
    Work& w = *jobs[j].work;
    w.hashes[jobs[j].item] = hash_file(w.tree[jobs[j].item].path, w.kinds[jobs[j].item]);
  });

  VerifyReport report;
  for (auto& w : work) {
    for (std::size_t i = 0; i < w.hashes.size(); ++i) {
      if (w.hashes[i] && w.hashes[i]->ok()) {
        ++w.report.files;
        w.report.bytes += w.hashes[i]->value().size;
      }
    }
    if (w.report.status == VStatus::Ok) {
      check_lock_hash(w);
      check_digest(w);
    }
    settle(w.report, options);
    report.variants.push_back(std::move(w.report));
  }
  return report;
}

}  // namespace kernels::lockfile
