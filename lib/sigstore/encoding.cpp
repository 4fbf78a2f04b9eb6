#include "sigstore/encoding.hpp"

#include <openssl/sha.h>

#include <array>

namespace kernels::sigstore {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

Error encoding_error(std::string message) { return Error{ErrorCode::encoding, std::move(message)}; }

}  // namespace

Result<Bytes> base64_decode(std::string_view input, std::size_t max_bytes) {
  // Line breaks are skipped, as Go's and Python's decoders do (`base64`
  // wraps its output); any other whitespace is an error.
  std::string unwrapped;
  std::string_view text = input;
  if (input.find_first_of("\r\n") != std::string_view::npos) {
    if (input.size() > 4 * max_bytes + 64) return encoding_error("base64 value too large");
    for (char c : input) {
      if (c != '\r' && c != '\n') unwrapped += c;
    }
    text = unwrapped;
  }
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (text.size() % 4 == 1) return encoding_error("invalid base64: a dangling character at the end");
  if (padding != 0 && (text.size() + padding) % 4 != 0) return encoding_error("invalid base64: wrong padding");
  if (text.size() / 4 * 3 > max_bytes + 3) {  // checked before decoding anything
    return encoding_error("base64 value too large (more than " + std::to_string(max_bytes) + " bytes)");
  }
  Bytes out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    int v = b64_value(text[i]);
    if (v < 0) {
      return encoding_error("invalid base64: unexpected character " +
                            (text[i] == '=' ? std::string("'=' before the end") : "at offset " + std::to_string(i)));
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return encoding_error("invalid base64: non-zero trailing bits");
  if (out.size() > max_bytes) {
    return encoding_error("base64 value too large (more than " + std::to_string(max_bytes) + " bytes)");
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                      std::uint8_t(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    std::uint32_t n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

Result<Bytes> hex_decode(std::string_view text, std::size_t max_bytes) {
  if (text.size() % 2 != 0) return encoding_error("invalid hex: odd number of digits");
  if (text.size() / 2 > max_bytes) return encoding_error("hex value too large");
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = digit(text[i]), lo = digit(text[i + 1]);
    if (hi < 0 || lo < 0) return encoding_error("invalid hex digit at offset " + std::to_string(hi < 0 ? i : i + 1));
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

Result<std::vector<Bytes>> pem_decode(std::string_view text, std::string_view label, std::size_t max_blocks) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  std::vector<Bytes> out;
  std::size_t pos = 0;
  while (true) {
    std::size_t b = text.find(begin, pos);
    if (b == std::string_view::npos) break;
    if (out.size() == max_blocks) return encoding_error("more than " + std::to_string(max_blocks) + " PEM blocks");
    std::size_t body = b + begin.size();
    std::size_t e = text.find("-----", body);
    if (e == std::string_view::npos || text.compare(e, end.size(), end) != 0) {
      return encoding_error("PEM block " + std::string(label) + " is not terminated by " + end);
    }
    std::string b64;
    for (char c : text.substr(body, e - body)) {
      if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
      b64 += c;
    }
    auto der = base64_decode(b64);
    if (!der.ok()) return encoding_error("PEM block " + std::string(label) + ": " + der.error().message);
    if (der->empty()) return encoding_error("PEM block " + std::string(label) + " is empty");
    out.push_back(std::move(*der));
    pos = e + end.size();
  }
  if (out.empty()) return encoding_error("no PEM block " + begin);
  return out;
}

std::string pem_encode(std::string_view der, std::string_view label) {
  std::string b64 = base64_encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

Bytes sha256(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data());
  return Bytes(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace kernels::sigstore
