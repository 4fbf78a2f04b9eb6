#include "sigstore/json.hpp"

#include "util/json_depth.hpp"

namespace kernels::sigstore {

namespace {
Error parse_error(std::string m) { return Error{ErrorCode::parse, std::move(m)}; }
}  // namespace

Result<nlohmann::json> parse_json_bounded(std::string_view text, std::string_view what, std::size_t max_bytes,
                                          int max_depth) {
  if (text.size() > max_bytes) {
    return parse_error(std::string(what) + " is too large (" + std::to_string(text.size()) + " bytes, limit " +
                       std::to_string(max_bytes) + ")");
  }
  if (json_too_deep(text, max_depth)) {
    return parse_error(std::string(what) + " is nested deeper than " + std::to_string(max_depth) + " levels");
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    return parse_error(std::string(what) + " is not valid JSON: " + e.what());
  }
}

Result<const nlohmann::json*> object_field(const nlohmann::json& parent, const char* key, const std::string& path) {
  if (!parent.is_object()) return parse_error(path + ": parent is not an object");
  auto it = parent.find(key);
  if (it == parent.end()) return parse_error("missing field " + path);
  if (!it->is_object()) return parse_error(path + " is not an object");
  return &*it;
}

const nlohmann::json* optional_field(const nlohmann::json& parent, const char* key) {
  if (!parent.is_object()) return nullptr;
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::string> string_field(const nlohmann::json& parent, const char* key, const std::string& path) {
  const nlohmann::json* v = optional_field(parent, key);
  if (v == nullptr) return parse_error("missing field " + path);
  if (!v->is_string()) return parse_error(path + " is not a string");
  return v->get<std::string>();
}

Result<Bytes> bytes_field(const nlohmann::json& parent, const char* key, const std::string& path,
                          std::size_t max_bytes) {
  auto s = string_field(parent, key, path);
  if (!s.ok()) return s.error();
  auto b = base64_decode(*s, max_bytes);
  if (!b.ok()) return parse_error(path + ": " + b.error().message);
  return b;
}

Result<std::int64_t> to_nonnegative_int64(const nlohmann::json& value, const std::string& path) {
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return parse_error(path + " is out of range");
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer()) {
    auto i = value.get<std::int64_t>();
    if (i < 0) return parse_error(path + " is negative (" + std::to_string(i) + ")");
    return i;
  }
  if (!value.is_string()) return parse_error(path + " is not an integer");
  const auto& s = value.get_ref<const std::string&>();
  if (!s.empty() && s[0] == '-') return parse_error(path + " is negative (" + s + ")");
  if (s.empty() || s.size() > 19) return parse_error(path + " is not a valid integer: \"" + s + "\"");
  std::int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return parse_error(path + " is not a valid integer: \"" + s + "\"");
    if (n > (INT64_MAX - (c - '0')) / 10) return parse_error(path + " is out of range");
    n = n * 10 + (c - '0');
  }
  return n;
}

Result<std::int64_t> int64_field(const nlohmann::json& parent, const char* key, const std::string& path) {
  const nlohmann::json* v = optional_field(parent, key);
  if (v == nullptr) return parse_error("missing field " + path);
  return to_nonnegative_int64(*v, path);
}

}  // namespace kernels::sigstore
