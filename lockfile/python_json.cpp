#include "lockfile/python_json.hpp"

#include <cstdint>
#include <optional>

namespace kernels::lockfile {
namespace {

// Decodes one UTF-8 code point at text[i], advancing i; nullopt if the bytes
// there are not well-formed UTF-8 (overlong forms, surrogates and values
// above U+10FFFF included).
std::optional<std::uint32_t> decode(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len;
  std::uint32_t cp;
  std::uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else return std::nullopt;
  if (i + static_cast<std::size_t>(len) > text.size()) return std::nullopt;
  for (int k = 1; k < len; ++k) {
    unsigned char b = byte(i + static_cast<std::size_t>(k));
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += static_cast<std::size_t>(len);
  return cp;
}

void append_u_escape(std::string& out, std::uint32_t unit) {
  static constexpr char digits[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(digits[(unit >> shift) & 0xF]);
}

}  // namespace

Result<std::string> python_json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t at = i;
    auto cp = decode(text, i);
    if (!cp)
      return Error{ErrorCode::utf8, "not valid UTF-8 at byte " + std::to_string(at) + " of \"" +
                                        std::string(text.substr(0, at)) + "...\""};
    switch (*cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (*cp >= 0x20 && *cp <= 0x7E) {
          out.push_back(static_cast<char>(*cp));
        } else if (*cp <= 0xFFFF) {
          append_u_escape(out, *cp);
        } else {
          std::uint32_t v = *cp - 0x10000;
          append_u_escape(out, 0xD800 | (v >> 10));
          append_u_escape(out, 0xDC00 | (v & 0x3FF));
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace kernels::lockfile
