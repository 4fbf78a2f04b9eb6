// The bounded decoders every Sigstore parser uses (base64, hex, PEM) and
// RFC 3339 times, on arbitrary text, with the round trips encoding.hpp and
// time.hpp imply.
#include <string>

#include "sigstore/encoding.hpp"
#include "sigstore/time.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace sigstore = kernels::sigstore;
using kernels::fuzz::require;

namespace {

// A small limit as well as the default one, so that the size checks are hit.
constexpr std::size_t kSmall = 48;

void base64(std::string_view text) {
  require(*sigstore::base64_decode(sigstore::base64_encode(text)) == text, "base64 decodes what it encodes");
  for (std::size_t limit : {sigstore::kMaxDecodedField, kSmall}) {
    auto bytes = sigstore::base64_decode(text, limit);
    if (!bytes.ok()) continue;
    require(bytes->size() <= limit, "base64 output within its limit");
    require(*sigstore::base64_decode(sigstore::base64_encode(*bytes)) == *bytes, "base64 round trip of a decoding");
  }
}

void hex(std::string_view text) {
  require(*sigstore::hex_decode(sigstore::hex_encode(text)) == text, "hex decodes what it encodes");
  for (std::size_t limit : {sigstore::kMaxDecodedField, kSmall}) {
    auto bytes = sigstore::hex_decode(text, limit);
    if (!bytes.ok()) continue;
    require(bytes->size() <= limit && bytes->size() * 2 == text.size(), "two hex digits per byte, within the limit");
  }
}

void pem(std::string_view text) {
  for (const char* label : {"CERTIFICATE", "PUBLIC KEY"}) {
    auto blocks = sigstore::pem_decode(text, label, 4);
    if (!blocks.ok()) continue;
    require(blocks->size() <= 4, "at most max_blocks blocks");
    for (const auto& der : *blocks) {
      auto again = sigstore::pem_decode(sigstore::pem_encode(der, label), label);
      require(again.ok() && again->size() == 1 && again->front() == der, "PEM decodes what it encodes");
    }
  }
}

void times(std::string_view text) {
  auto t = sigstore::parse_rfc3339(text);
  if (!t.ok()) return;
  require(t->nanos >= 0 && t->nanos <= 999999999, "nanoseconds in range");
  // Years 0000-9999 format back to a time that parses to the same second.
  if (t->seconds >= -62167219200 && t->seconds <= 253402300799) {
    auto again = sigstore::parse_rfc3339(sigstore::format_rfc3339(t->seconds));
    require(again.ok() && again->seconds == t->seconds, "a formatted time parses back");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = kernels::fuzz::text_of(data, size);
  base64(text);
  hex(text);
  pem(text);
  times(text);
  require(sigstore::sha256(text).size() == 32, "SHA-256 is 32 bytes");
  return 0;
}
