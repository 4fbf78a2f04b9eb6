#include "sigstore/checkpoint.hpp"

#include <openssl/evp.h>

#include "sigstore/crypto.hpp"

namespace kernels::sigstore {

namespace {

Error cp_error(std::string m) { return Error{ErrorCode::checkpoint, "checkpoint: " + std::move(m)}; }

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      out.push_back(text.substr(pos));
      break;
    }
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH, then a space

}  // namespace

Result<Checkpoint> parse_checkpoint(std::string_view text) {
  std::size_t sep = text.find("\n\n");
  if (sep == std::string_view::npos) return cp_error("no blank line between the note text and its signatures");
  Checkpoint cp;
  cp.body = std::string(text.substr(0, sep + 1));
  auto lines = split_lines(text.substr(0, sep));
  if (lines.size() < 3) return cp_error("the note needs an origin, a tree size and a root hash");
  if (lines[0].empty()) return cp_error("the origin line is empty");
  cp.origin = std::string(lines[0]);
  const std::string_view size = lines[1];
  if (size.empty() || size.size() > 20 || (size.size() > 1 && size[0] == '0')) {
    return cp_error("tree size \"" + std::string(size.substr(0, 40)) + "\" is not a number");
  }
  std::uint64_t n = 0;
  for (char c : size) {
    if (c < '0' || c > '9') return cp_error("tree size \"" + std::string(size.substr(0, 40)) + "\" is not a number");
    if (n > (UINT64_MAX - static_cast<std::uint64_t>(c - '0')) / 10) return cp_error("tree size is out of range");
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  cp.tree_size = n;
  auto root = base64_decode(lines[2], 64);
  if (!root.ok() || root->size() != 32) return cp_error("the root hash line is not a base64 SHA-256 hash");
  cp.root_hash = std::move(*root);
  for (std::size_t i = 3; i < lines.size(); ++i) cp.extensions.emplace_back(lines[i]);

  auto sig_lines = split_lines(text.substr(sep + 2));
  if (sig_lines.size() > 64) return cp_error("too many signature lines");
  for (std::string_view line : sig_lines) {
    if (line.empty()) continue;
    if (line.substr(0, kDash.size()) != kDash) return cp_error("a signature line does not start with an em dash");
    line.remove_prefix(kDash.size());
    std::size_t space = line.rfind(' ');
    if (space == std::string_view::npos || space == 0) return cp_error("a signature line has no name");
    auto raw = base64_decode(line.substr(space + 1), 4096);
    if (!raw.ok() || raw->size() < 5) return cp_error("a signature line's signature is not base64 of hint + signature");
    cp.signatures.push_back(NoteSignature{std::string(line.substr(0, space)), raw->substr(0, 4), raw->substr(4)});
  }
  if (cp.signatures.empty()) return cp_error("the note has no signatures");
  return cp;
}

Bytes note_key_hint(const TransparencyLog& log, std::string_view name) {
  auto key = public_key_from_der(log.public_key);
  if (key.ok() && EVP_PKEY_base_id(key->get()) == EVP_PKEY_ED25519) {
    std::size_t len = 32;
    unsigned char raw[32];
    if (EVP_PKEY_get_raw_public_key(key->get(), raw, &len) == 1 && len == 32) {
      Bytes in(name);
      in += "\n\x01";
      in.append(reinterpret_cast<const char*>(raw), len);
      return sha256(in).substr(0, 4);
    }
  }
  return log.log_id.substr(0, 4);
}

Status verify_checkpoint_signature(const Checkpoint& cp, const TransparencyLog& log) {
  auto key = public_key_from_der(log.public_key);
  if (!key.ok()) return cp_error("the log's key in the trusted root is unusable: " + key.error().message);
  bool hint_seen = false;
  for (const auto& sig : cp.signatures) {
    if (sig.key_hint != note_key_hint(log, sig.name)) continue;
    hint_seen = true;
    if (verify_message(key->get(), cp.body, sig.signature).ok()) return ok_status();
  }
  if (!hint_seen) {
    return cp_error("no signature line is by the log " + log.base_url + " (no key hint matches its key " +
                    hex_encode(note_key_hint(log, cp.origin)) + ")");
  }
  return cp_error("the log's signature does not verify over the note");
}

}  // namespace kernels::sigstore
