#include "tests/hub/signed_variants.hpp"

#include "tests/hub/fixture_repo.hpp"

namespace kernels::hub_emulator {

namespace {

// The files of case `n`: distinct per case, so that no case passes on
// another's blobs. The .so goes through LFS as real builds do.
std::vector<VariantFile> case_files(int n) {
  const std::string tag = std::to_string(n);
  return {{"signed/__init__.py", "from ._ops import ops\n# case " + tag + "\n"},
          {"signed/_ops.py", "import torch\nops = torch.ops._signed_" + tag + "\n"},
          {"signed/_signed_" + tag + ".abi3.so", binary(3000 + static_cast<std::size_t>(n), static_cast<unsigned>(n)),
           true}};
}

VariantMetadata case_metadata(int n, DigestKind digest = DigestKind::correct) {
  VariantMetadata meta;
  meta.name = "signed";
  meta.id = "_signed_" + std::to_string(n);
  meta.backend = "cpu";
  meta.digest = digest;
  return meta;
}

void write_files(FixtureRepo& repo, const std::string& dir, const std::vector<VariantFile>& files) {
  for (const auto& f : files) f.lfs ? repo.write_lfs(dir + f.path, f.content) : repo.write(dir + f.path, f.content);
}

}  // namespace

SignedKernels write_signed_kernels(const std::string& root, const test::TestSigstore& signer,
                                   const std::string& repo_id) {
  SignedKernels out;
  out.repo_id = repo_id;
  FixtureRepo repo(root, repo_id);
  const std::string dir = "build/" + out.variant + "/";
  const std::vector<std::pair<SignedCase, const char*>> kinds = {
      {SignedCase::good, "good"},
      {SignedCase::invalid_digest, "invalid digest"},
      {SignedCase::invalid_metadata, "invalid metadata"},
      {SignedCase::missing_digest, "missing digest"},
      {SignedCase::missing_metadata, "missing metadata"},
      {SignedCase::missing_signature, "missing signature"},
      {SignedCase::broken_bundle, "broken bundle"},
      {SignedCase::invalid_signature, "invalid signature"},
  };
  for (const auto& [kind, name] : kinds) {
    const int n = static_cast<int>(kind);
    SignedVariant c;
    c.kind = kind;
    c.version = n;
    c.name = name;
    c.files = case_files(n);
    repo.clear();
    repo.write("README.md", "# signed kernel fixtures, case " + std::string(name) + "\n");
    switch (kind) {
      case SignedCase::good:
      case SignedCase::missing_signature:
        c.metadata = write_variant(repo, out.variant, c.files, case_metadata(n));
        if (kind == SignedCase::good) c.bundle = signer.sign(c.signed_bytes = c.metadata);
        break;
      case SignedCase::invalid_digest: {
        // The digest and its signature are made over the original files;
        // one file is then replaced, as a tampered mirror would serve it.
        c.metadata = write_variant(repo, out.variant, c.files, case_metadata(n));
        c.bundle = signer.sign(c.signed_bytes = c.metadata);
        VariantFile& changed = c.files[1];
        c.changed_file = changed.path;
        c.changed_from = changed.content;
        changed.content += "import os  # added after signing\n";
        repo.write(dir + changed.path, changed.content);
        break;
      }
      case SignedCase::invalid_metadata:
        write_files(repo, dir, c.files);
        c.metadata = "{\n  \"name\": \"signed\",\n  \"digest\": {\n";  // cut off: not JSON
        repo.write(dir + "metadata.json", c.metadata);
        c.bundle = signer.sign(c.signed_bytes = c.metadata);
        break;
      case SignedCase::missing_digest:
        c.metadata = write_variant(repo, out.variant, c.files, case_metadata(n, DigestKind::none));
        c.bundle = signer.sign(c.signed_bytes = c.metadata);
        break;
      case SignedCase::missing_metadata:
        // Signed as built, then metadata.json left out of the upload.
        write_files(repo, dir, c.files);
        c.signed_bytes = metadata_json(case_metadata(n), variant_digest(c.files));
        c.bundle = signer.sign(c.signed_bytes);
        break;
      case SignedCase::broken_bundle: {
        c.metadata = write_variant(repo, out.variant, c.files, case_metadata(n));
        std::string whole = signer.sign(c.signed_bytes = c.metadata);
        c.bundle = whole.substr(0, whole.size() / 2);  // truncated: not JSON any more
        break;
      }
      case SignedCase::invalid_signature: {
        c.metadata = write_variant(repo, out.variant, c.files, case_metadata(n));
        // A real bundle, for the metadata of another build of the kernel.
        VariantMetadata other = case_metadata(n);
        other.id = "_signed_other";
        c.signed_bytes = metadata_json(other, variant_digest(c.files));
        c.bundle = signer.sign(c.signed_bytes);
        break;
      }
    }
    if (!c.bundle.empty()) repo.write(dir + "metadata.json.sigstore", c.bundle);
    c.commit = repo.commit("v" + std::to_string(n), "case " + std::string(name));
    out.cases.push_back(std::move(c));
  }
  repo.branch("main", out.cases.back().commit);
  return out;
}

}  // namespace kernels::hub_emulator
