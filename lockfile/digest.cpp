#include "lockfile/digest.hpp"

#include <filesystem>

#include "lockfile/file_hash.hpp"
#include "util/parallel.hpp"

namespace kernels::lockfile {
namespace {

// Rust's Path::extension() == "pyc": the name ends in ".pyc" and something
// other than nothing comes before that dot (".pyc" itself has no extension).
bool has_pyc_extension(std::string_view relpath) {
  auto slash = relpath.rfind('/');
  std::string_view name = slash == std::string_view::npos ? relpath : relpath.substr(slash + 1);
  return name.size() > 4 && name.substr(name.size() - 4) == ".pyc";
}

}  // namespace

const char* digest_algorithm_name(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::Sha256 ? "sha256" : "sha512";
}

const char* digest_algorithm_label(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::Sha256 ? "SHA256" : "SHA512";
}

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name) {
  if (name == "sha256") return DigestAlgorithm::Sha256;
  if (name == "sha512") return DigestAlgorithm::Sha512;
  return std::nullopt;
}

bool digest_covers(const std::string& variant_dir, const std::string& relpath) {
  if (relpath == "metadata.json" || relpath == "metadata.json.sigstore") return false;
  if (has_pyc_extension(relpath)) return false;
  if (has_pycache_component(relpath)) return false;
  return !has_pycache_component(std::filesystem::path(variant_dir).generic_string());
}

Result<std::vector<const TreeItem*>> digest_files(const std::string& variant_dir, const std::vector<TreeItem>& tree) {
  std::vector<const TreeItem*> out;
  for (const auto& item : tree) {
    if (!digest_covers(variant_dir, item.relpath)) continue;
    if (item.kind == TreeItem::Kind::Dangling)
      return Error{ErrorCode::digest, "dangling symlink " + item.relpath + " -> " + item.link +
                                          ": the digest of the variant cannot be computed"};
    if (item.kind == TreeItem::Kind::File || item.kind == TreeItem::Kind::FileLink) out.push_back(&item);
  }
  return out;
}

Result<Digest> compute_digest(const std::string& variant_dir, DigestAlgorithm algorithm, std::size_t jobs) {
  auto tree = walk_variant_tree(variant_dir);
  if (!tree.ok()) return tree.error();
  auto files = digest_files(variant_dir, *tree);
  if (!files.ok()) return files.error();
  unsigned kind = algorithm == DigestAlgorithm::Sha256 ? kSha256 : kSha512;
  std::vector<Result<FileHashes>> hashes(files->size(), Error{ErrorCode::internal, ""});
  parallel_for(files->size(), jobs, [&](std::size_t i) { hashes[i] = hash_file((*files)[i]->path, kind); });
  Digest digest{algorithm, {}};
  for (std::size_t i = 0; i < files->size(); ++i) {
    if (!hashes[i].ok()) return hashes[i].error();
    const FileHashes& h = *hashes[i];
    digest.files.emplace((*files)[i]->relpath, to_base64(kind == kSha256 ? h.sha256 : h.sha512));
  }
  return digest;
}

std::string DigestViolation::text() const {
  switch (kind) {
    case Kind::AlgorithmMismatch: return "Algorithm mismatch: expected: " + expected + ", got: " + actual;
    case Kind::MissingFile: return "Missing file: " + path;
    case Kind::UnknownFile: return "Unknown file: " + path;
    case Kind::HashMismatch: return "File hash mismatch for " + path + ": expected: " + expected + ", got: " + actual;
  }
  return {};
}

std::vector<DigestViolation> compare_digests(const Digest& expected, const Digest& actual) {
  using Kind = DigestViolation::Kind;
  std::vector<DigestViolation> out;
  if (expected.algorithm != actual.algorithm)
    out.push_back({Kind::AlgorithmMismatch, "", digest_algorithm_label(expected.algorithm),
                   digest_algorithm_label(actual.algorithm)});
  for (const auto& [path, hash] : expected.files) {
    auto it = actual.files.find(path);
    if (it == actual.files.end()) out.push_back({Kind::MissingFile, path, "", ""});
    else if (it->second != hash) out.push_back({Kind::HashMismatch, path, hash, it->second});
  }
  for (const auto& [path, hash] : actual.files)
    if (!expected.files.count(path)) out.push_back({Kind::UnknownFile, path, "", ""});
  return out;
}

}  // namespace kernels::lockfile
