// Rekor checkpoints: a signed note (C2SP signed-note) whose text is the
// log's origin line, tree size, base64 root hash and optional extension
// lines, followed by a blank line and "— <name> <base64(key hint || sig)>"
// lines. Only signatures from the log itself count; witness cosignatures are
// ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sigstore/encoding.hpp"
#include "sigstore/trusted_root.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

struct NoteSignature {
  std::string name;
  Bytes key_hint;   // 4 bytes
  Bytes signature;  // the rest
};

struct Checkpoint {
  std::string body;  // the signed text, up to and including the newline before the blank line
  std::string origin;
  std::uint64_t tree_size = 0;
  Bytes root_hash;
  std::vector<std::string> extensions;
  std::vector<NoteSignature> signatures;
};

// Parses a checkpoint note. Error code "checkpoint".
Result<Checkpoint> parse_checkpoint(std::string_view text);

// The 4-byte key hint a log's signature line carries: for Ed25519 keys
// (Rekor v2) SHA-256(name || 0x0A || 0x01 || key)[:4], otherwise the first
// four bytes of the log id (SHA-256 of the DER key).
Bytes note_key_hint(const TransparencyLog& log, std::string_view name);

// Verifies that one signature line of `cp` is by `log` (key hint and
// signature over the body). Other lines are ignored.
Status verify_checkpoint_signature(const Checkpoint& cp, const TransparencyLog& log);

}  // namespace kernels::sigstore
