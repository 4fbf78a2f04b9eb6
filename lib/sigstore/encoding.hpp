// Bounded decoders for the encodings a Sigstore bundle carries: base64
// (standard alphabet, as protobuf JSON writes bytes), hex and PEM, plus the
// SHA-256 every step hashes with. Nothing here trusts its input: every
// decoder has an output limit and says what was wrong.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace kernels::sigstore {

// Raw bytes. std::string holds any byte, compares and hashes as bytes.
using Bytes = std::string;

// Largest value any single base64 field of a bundle may decode to (a
// certificate, a timestamp response, a Rekor body): 1 MiB.
inline constexpr std::size_t kMaxDecodedField = 1u << 20;

// Standard base64 (RFC 4648 §4). Padding is optional (protobuf JSON accepts
// both); URL-safe characters are accepted as protobuf's parser does, and
// line breaks are skipped (Go's and Python's decoders skip them). Any other
// character, a misplaced '=', a dangling single character or
// non-zero trailing bits is an error (code "encoding").
Result<Bytes> base64_decode(std::string_view text, std::size_t max_bytes = kMaxDecodedField);
std::string base64_encode(std::string_view bytes);

// Lower- or upper-case hex, an even number of digits.
Result<Bytes> hex_decode(std::string_view text, std::size_t max_bytes = kMaxDecodedField);
std::string hex_encode(std::string_view bytes);

// The DER payloads of every `-----BEGIN <label>-----` block in `text`, in
// order; at most `max_blocks` blocks. Text outside blocks is ignored; an
// unterminated block, a label mismatch or bad base64 inside is an error.
Result<std::vector<Bytes>> pem_decode(std::string_view text, std::string_view label, std::size_t max_blocks = 16);
std::string pem_encode(std::string_view der, std::string_view label);

Bytes sha256(std::string_view data);

}  // namespace kernels::sigstore
