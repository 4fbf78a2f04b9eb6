// Bounded JSON parsing for everything a bundle or trusted root carries, and
// the typed field accessors the parsers share. Size and nesting depth are
// checked before nlohmann parses anything, so hostile input costs at most
// one linear scan.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sigstore/encoding.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

inline constexpr std::size_t kMaxJsonBytes = 8u << 20;
inline constexpr int kMaxJsonDepth = 32;

// Parses `text` as one JSON value. Errors (code "parse") say what: too
// large, nested deeper than `max_depth`, or nlohmann's message with the byte
// offset. `what` names the document in messages ("bundle", "trusted root").
Result<nlohmann::json> parse_json_bounded(std::string_view text, std::string_view what,
                                          std::size_t max_bytes = kMaxJsonBytes, int max_depth = kMaxJsonDepth);

// Field accessors: `path` is the dotted name used in error messages.
// A missing field is an error unless the accessor returns optional.
Result<const nlohmann::json*> object_field(const nlohmann::json& parent, const char* key, const std::string& path);
const nlohmann::json* optional_field(const nlohmann::json& parent, const char* key);
Result<std::string> string_field(const nlohmann::json& parent, const char* key, const std::string& path);
// Base64 bytes as protobuf JSON writes them (a string).
Result<Bytes> bytes_field(const nlohmann::json& parent, const char* key, const std::string& path,
                          std::size_t max_bytes = kMaxDecodedField);
// A non-negative int64 written as a JSON string ("123") or number, as
// protobuf JSON allows. Negative, fractional, signed or over-long: error.
Result<std::int64_t> int64_field(const nlohmann::json& parent, const char* key, const std::string& path);
Result<std::int64_t> to_nonnegative_int64(const nlohmann::json& value, const std::string& path);

}  // namespace kernels::sigstore
