#include "lockfile/file_hash.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace kernels::lockfile {
namespace {

using Ctx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

// The contexts asked for, fed the same bytes.
class MultiHash {
 public:
  explicit MultiHash(unsigned kinds) {
    if (kinds & kGitBlobSha1) add(kGitBlobSha1, EVP_sha1());
    if (kinds & kSha256) add(kSha256, EVP_sha256());
    if (kinds & kSha512) add(kSha512, EVP_sha512());
  }

  // The git blob header goes into the SHA-1 only.
  void git_header(std::uint64_t size) {
    for (auto& s : states_) {
      if (s.kind != kGitBlobSha1) continue;
      std::string header = "blob " + std::to_string(size);
      EVP_DigestUpdate(s.ctx.get(), header.c_str(), header.size() + 1);  // with the NUL
    }
  }

  void update(const void* data, std::size_t size) {
    for (auto& s : states_) EVP_DigestUpdate(s.ctx.get(), data, size);
  }

  FileHashes finish(std::uint64_t size) {
    FileHashes out;
    out.size = size;
    for (auto& s : states_) {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      EVP_DigestFinal_ex(s.ctx.get(), digest, &length);
      std::string raw(reinterpret_cast<const char*>(digest), length);
      (s.kind == kGitBlobSha1 ? out.git_blob_sha1 : s.kind == kSha256 ? out.sha256 : out.sha512) = std::move(raw);
    }
    return out;
  }

 private:
  struct State {
    unsigned kind;
    Ctx ctx;
  };
  void add(unsigned kind, const EVP_MD* md) {
    Ctx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), md, nullptr);
    states_.push_back(State{kind, std::move(ctx)});
  }
  std::vector<State> states_;
};

Error io_error(const std::string& path, const std::string& why) {
  return Error{ErrorCode::io, "cannot read " + path + ": " + why};
}

constexpr std::size_t kReadSize = 1u << 20;

}  // namespace

Result<FileHashes> hash_file(const std::string& path, unsigned kinds) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return io_error(path, std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return io_error(path, "not a regular file");
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  MultiHash hash(kinds);
  auto expected = static_cast<std::uint64_t>(st.st_size);
  hash.git_header(expected);
  thread_local std::vector<unsigned char> buffer(kReadSize);
  std::uint64_t total = 0;
  while (true) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(path, std::strerror(errno));
    }
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    if (total > expected) break;
    hash.update(buffer.data(), static_cast<std::size_t>(n));
  }
  // The git header carries the size, so a file that changed size while it
  // was read would give a wrong blob id: say so instead.
  if (total != expected) return io_error(path, "the file changed size while it was read");
  return hash.finish(total);
}

FileHashes hash_bytes(std::string_view bytes, unsigned kinds) {
  MultiHash hash(kinds);
  hash.git_header(bytes.size());
  hash.update(bytes.data(), bytes.size());
  return hash.finish(bytes.size());
}

std::string to_hex(std::string_view raw) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xf]);
  }
  return out;
}

std::string to_base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace kernels::lockfile
