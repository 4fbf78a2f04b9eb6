#include "tests/hub/fixture_repo.hpp"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/hub/git_store.hpp"

namespace fs = std::filesystem;

namespace kernels::hub_emulator {

namespace {

std::string digest_hex(const EVP_MD* md, const std::string& prefix, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, prefix.data(), prefix.size());
  EVP_DigestUpdate(ctx, data.data(), data.size());
  EVP_DigestFinal_ex(ctx, out, &len);
  EVP_MD_CTX_free(ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}

void check(const Captured& r, const std::string& what) {
  if (r.status != 0) throw std::runtime_error("fixture: " + what + " failed: " + r.err);
}

}  // namespace

std::string sha256_hex(const std::string& data) { return digest_hex(EVP_sha256(), "", data); }

std::string git_blob_oid(const std::string& data) {
  return digest_hex(EVP_sha1(), "blob " + std::to_string(data.size()) + std::string(1, '\0'), data);
}

std::string binary(std::size_t size, unsigned seed) {
  std::string out(size, '\0');
  for (auto& c : out) {
    seed = seed * 1664525u + 1013904223u;
    c = static_cast<char>(seed >> 24);
  }
  return out;
}

std::string lfs_pointer(const std::string& sha256, std::uint64_t size) {
  return "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256 + "\nsize " + std::to_string(size) + "\n";
}

FixtureRepo::FixtureRepo(const std::string& root, const std::string& repo_id)
    : git_dir_(root + "/" + repo_id), repo_id_(repo_id) {
  if (!fs::exists(git_dir_ + "/HEAD")) {
    fs::create_directories(git_dir_);
    check(run_capture({"git", "init", "-q", "--bare", "-b", "main", git_dir_}, {},
                      {"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null"}),
          "git init " + git_dir_);
  } else {
    auto count = run_git(git_dir_, {"rev-list", "--all", "--count"});
    if (count.status == 0 && !count.out.empty()) commits_ = std::stoi(count.out);
  }
}

FixtureRepo& FixtureRepo::write(const std::string& path, const std::string& content) {
  files_[path] = File{content};
  return *this;
}

FixtureRepo& FixtureRepo::write_lfs(const std::string& path, const std::string& content, const std::string& sha256) {
  std::string oid = sha256.empty() ? sha256_hex(content) : sha256;
  std::string object = git_dir_ + "/lfs/objects/" + oid.substr(0, 2) + "/" + oid.substr(2, 2) + "/" + oid;
  if (!fs::exists(object)) {
    fs::create_directories(fs::path(object).parent_path());
    std::ofstream(object, std::ios::binary) << content;
  }
  files_[path] = File{lfs_pointer(oid, content.size())};
  return *this;
}

FixtureRepo& FixtureRepo::remove(const std::string& path) {
  files_.erase(path);
  return *this;
}

FixtureRepo& FixtureRepo::clear() {
  files_.clear();
  return *this;
}

FixtureRepo& FixtureRepo::redirect_to(const std::string& destination, const std::string& revision) {
  std::string text = "kind = \"redirect\"\ndestination = \"" + destination + "\"\n";
  if (!revision.empty()) text += "revision = \"" + revision + "\"\n";
  return write("kernel-status.toml", text);
}

std::string FixtureRepo::head(const std::string& branch) const {
  auto r = run_git(git_dir_, {"rev-parse", "-q", "--verify", "refs/heads/" + branch});
  if (r.status != 0) return {};
  return r.out.substr(0, 40);
}

std::string FixtureRepo::commit(const std::string& branch, const std::string& message) {
  std::string parent = head(branch);
  if (parent.empty()) parent = last_commit_;
  if (parent.empty()) parent = head("main");
  ++commits_;
  std::string msg = message.empty() ? "commit " + std::to_string(commits_) + " on " + branch : message;
  last_commit_ = commit_to_ref("refs/heads/" + branch, parent, msg);
  return last_commit_;
}

std::string FixtureRepo::commit_pull_request(int number, const std::string& message) {
  if (number < 1) throw std::runtime_error("fixture: pull request numbers start at 1");
  std::string ref = "refs/pr/" + std::to_string(number);
  auto current = run_git(git_dir_, {"rev-parse", "-q", "--verify", ref});
  std::string parent = current.status == 0 ? current.out.substr(0, 40) : head("main");
  ++commits_;
  std::string msg = message.empty() ? "pull request " + std::to_string(number) : message;
  return commit_to_ref(ref, parent, msg);
}

std::string FixtureRepo::commit_to_ref(const std::string& ref, const std::string& parent, const std::string& msg) {
  std::string when = std::to_string(1700000000 + commits_ * 60) + " +0000";
  std::string stream;
  stream += "commit " + ref + "\n";
  stream += "author Hub Fixture <fixture@example.invalid> " + when + "\n";
  stream += "committer Hub Fixture <fixture@example.invalid> " + when + "\n";
  stream += "data " + std::to_string(msg.size()) + "\n" + msg + "\n";
  if (!parent.empty()) stream += "from " + parent + "\n";
  stream += "deleteall\n";
  for (const auto& [path, file] : files_) {
    stream += "M 100644 inline " + path + "\n";
    stream += "data " + std::to_string(file.content.size()) + "\n" + file.content + "\n";
  }
  stream += "\n";
  check(run_git(git_dir_, {"fast-import", "--quiet", "--force"}, stream), "git fast-import");
  auto r = run_git(git_dir_, {"rev-parse", "-q", "--verify", ref});
  if (r.status != 0) throw std::runtime_error("fixture: " + ref + " missing after fast-import");
  return r.out.substr(0, 40);
}

void FixtureRepo::branch(const std::string& name, const std::string& commit) {
  check(run_git(git_dir_, {"update-ref", "refs/heads/" + name, commit}), "git update-ref");
}

void FixtureRepo::tag(const std::string& name, const std::string& commit, bool annotated) {
  if (annotated) {
    check(run_git(git_dir_, {"tag", "-a", "-m", "tag " + name, name, commit}), "git tag -a");
  } else {
    check(run_git(git_dir_, {"update-ref", "refs/tags/" + name, commit}), "git update-ref");
  }
}

void FixtureRepo::pull_request(int number, const std::string& commit) {
  if (number < 1) throw std::runtime_error("fixture: pull request numbers start at 1");
  check(run_git(git_dir_, {"update-ref", "refs/pr/" + std::to_string(number), commit}), "git update-ref");
}

void FixtureRepo::set_private(bool on) {
  if (on) {
    std::ofstream(git_dir_ + "/hub-private") << "private\n";
  } else {
    fs::remove(git_dir_ + "/hub-private");
  }
}

void FixtureRepo::set_gated(bool on) {
  if (on) {
    std::ofstream(git_dir_ + "/hub-gated") << "manual\n";
  } else {
    fs::remove(git_dir_ + "/hub-gated");
  }
}

}  // namespace kernels::hub_emulator
