#include "hub/url.hpp"

#include <cctype>

namespace kernels::hub {

namespace {

bool always_safe(unsigned char c) { return std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_encode(std::string_view text, std::string_view safe) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80 && (always_safe(c) || safe.find(ch) != std::string_view::npos)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string url_origin(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  auto path_start = url.find_first_of("/?#", scheme_end + 3);
  std::string origin(url.substr(0, path_start));
  for (char& c : origin) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return origin;
}

std::string resolve_location(std::string_view base_url, std::string_view location) {
  if (location.find("://") != std::string_view::npos) return std::string(location);
  std::string origin = url_origin(base_url);
  if (!location.empty() && location[0] == '/') {
    if (location.size() > 1 && location[1] == '/') {  // scheme-relative
      return std::string(base_url.substr(0, base_url.find(':') + 1)) + std::string(location);
    }
    return origin + std::string(location);
  }
  std::string_view base = base_url.substr(0, base_url.find_first_of("?#"));
  auto last_slash = base.rfind('/');
  if (last_slash == std::string_view::npos || last_slash < origin.size()) {
    return origin + "/" + std::string(location);
  }
  return std::string(base.substr(0, last_slash + 1)) + std::string(location);
}

}  // namespace kernels::hub
