#include "util/terminal_text.hpp"

#include <algorithm>
#include <array>

namespace kernels {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
constexpr std::size_t kMaxSgrBytes = 32;                // ESC [ ... m longer than this is escaped

// Bytes copied as they are, without a closer look: printable ASCII, and
// (for the first table) '\t' and '\n'.
constexpr std::array<bool, 256> plain_table(bool with_newline_tab) {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7f; ++c) t[static_cast<std::size_t>(c)] = true;
  t['\t'] = t['\n'] = with_newline_tab;
  return t;
}
constexpr std::array<bool, 256> kPlainKeepNewline = plain_table(true);
constexpr std::array<bool, 256> kPlainOneLine = plain_table(false);

// The length of the valid UTF-8 sequence starting at s[0] (a byte >= 0x80), or 0.
std::size_t utf8_sequence(const unsigned char* s, std::size_t n) {
  unsigned char c = s[0];
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (len > n) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (s[k] < 0x80 || s[k] > 0xBF) return 0;
  return len;
}

// The length of the SGR sequence (ESC [ digits/';' m) at s[0] == ESC, or 0.
std::size_t sgr_sequence(const unsigned char* s, std::size_t n) {
  if (n < 3 || s[1] != '[') return 0;
  for (std::size_t k = 2; k < n && k <= kMaxSgrBytes; ++k) {
    if (s[k] == 'm') return k + 1;
    if (!((s[k] >= '0' && s[k] <= '9') || s[k] == ';')) return 0;
  }
  return 0;
}

void hex_escape(char (&buf)[8], std::size_t& len, const char* prefix, unsigned value) {
  static constexpr char kHex[] = "0123456789abcdef";
  len = 0;
  for (const char* p = prefix; *p; ++p) buf[len++] = *p;
  buf[len++] = kHex[(value >> 4) & 0xF];
  buf[len++] = kHex[value & 0xF];
}

}  // namespace

std::size_t append_escaped(std::string& out, std::string_view text, const EscapeOptions& options, std::size_t max_out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const std::array<bool, 256>& plain = options.escape_newline_tab ? kPlainOneLine : kPlainKeepNewline;
  const bool limited = max_out != std::string::npos;
  auto room = [&] { return !limited ? std::string::npos : (out.size() < max_out ? max_out - out.size() : 0); };
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i;
    while (j < n && plain[s[j]]) ++j;
    if (j > i) {
      std::size_t take = limited ? std::min(j - i, room()) : j - i;
      out.append(text.data() + i, take);
      i += take;
      if (i < j) return i;
      if (i == n) break;
    }
    unsigned char c = s[i];
    char buf[8];
    std::size_t esc_len = 0;  // bytes of escape text in buf, or 0 when `raw` bytes are copied
    std::size_t raw = 1;      // bytes of `text` this unit covers
    bool copy = false;
    if (c < 0x80) {
      if (c == 0x1b && options.keep_sgr && (raw = sgr_sequence(s + i, n - i)) != 0) {
        copy = true;
      } else {
        raw = 1;
        switch (c) {
          case '\n':
            buf[0] = '\\';
            buf[1] = 'n';
            esc_len = 2;
            break;
          case '\t':
            buf[0] = '\\';
            buf[1] = 't';
            esc_len = 2;
            break;
          case '\r':
            buf[0] = '\\';
            buf[1] = 'r';
            esc_len = 2;
            break;
          default: hex_escape(buf, esc_len, "\\x", c); break;
        }
      }
    } else {
      raw = utf8_sequence(s + i, n - i);
      if (raw == 0) {
        raw = 1;
        hex_escape(buf, esc_len, "\\x", c);
      } else if (raw == 2 && c == 0xC2 && s[i + 1] <= 0x9F) {
        hex_escape(buf, esc_len, "\\u00", s[i + 1]);
      } else {
        copy = true;
      }
    }
    std::size_t need = copy ? raw : esc_len;
    if (limited && need > room()) return i;
    if (copy) {
      out.append(text.data() + i, raw);
    } else {
      out.append(buf, esc_len);
    }
    i += raw;
  }
  return i;
}

std::string escape_control(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

std::string one_line(std::string_view text, std::size_t max_bytes) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  text = text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + kEllipsis.size());
  EscapeOptions options;
  options.escape_newline_tab = true;
  if (append_escaped(out, text, options, max_bytes) < text.size()) out += kEllipsis;
  return out;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  std::vector<const std::string*> active;
  for (const auto& s : secrets)
    if (s.size() >= kMinSecretBytes) active.push_back(&s);
  if (active.empty()) return text;
  // Longest first, so that a secret holding another is replaced whole.
  std::sort(active.begin(), active.end(),
            [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  for (const std::string* secret : active) {
    std::size_t at = text.find(*secret);
    if (at == std::string::npos) continue;
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    for (; at != std::string::npos; at = text.find(*secret, from)) {
      out.append(text, from, at - from);
      out += kRedacted;
      from = at + secret->size();
    }
    out.append(text, from, std::string::npos);
    text = std::move(out);
  }
  // What one_line() left of a secret it cut: a prefix of it right before "…".
  for (std::size_t at = text.find(kEllipsis); at != std::string::npos;
       at = text.find(kEllipsis, at + kEllipsis.size())) {
    for (const std::string* secret : active) {
      std::size_t k = std::min(secret->size() - 1, at);
      for (; k >= kMinSecretBytes; --k) {
        if (text.compare(at - k, k, *secret, 0, k) == 0) break;
      }
      if (k >= kMinSecretBytes) {
        text.replace(at - k, k, kRedacted);
        at = at - k + kRedacted.size();
        break;
      }
    }
  }
  return text;
}

}  // namespace kernels
