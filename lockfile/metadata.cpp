#include "lockfile/metadata.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <set>

#include "lockfile/json_positions.hpp"
#include "lockfile/kernels_data.hpp"
#include "util/json_depth.hpp"
#include "util/file.hpp"

namespace kernels::lockfile {
namespace {

using Json = nlohmann::ordered_json;
using detail::JsonPosition;
using detail::line_column;

constexpr std::array<std::string_view, 8> kBackends = {"cann", "cpu", "cuda", "metal", "neuron", "rocm", "tpu", "xpu"};

const char* type_name(const Json& j) { return detail::json_type_name(j); }

// The key offset of the first member that repeats a key of its object.
std::optional<std::pair<std::size_t, std::string>> duplicate_key(const JsonPosition& at) {
  std::set<std::string_view> seen;
  for (const auto& [key, child] : at.members) {
    if (!seen.insert(key).second) return std::make_pair(child.key_offset, key);
    if (auto d = duplicate_key(child)) return d;
  }
  for (const auto& element : at.elements)
    if (auto d = duplicate_key(element)) return d;
  return std::nullopt;
}

class Reader {
 public:
  Reader(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  Error fail(const JsonPosition* at, const std::string& message) const {
    return Error{ErrorCode::format, source_ + ":" + line_column(text_, at ? at->offset : 0) + ": " + message};
  }

  Error fail_at_key(const JsonPosition* at, const std::string& message) const {
    return Error{ErrorCode::format, source_ + ":" + line_column(text_, at ? at->key_offset : 0) + ": " + message};
  }

  static const JsonPosition* member(const JsonPosition* at, std::string_view key) {
    return at ? at->member(key) : nullptr;
  }

  Result<MetadataBackend> backend(const Json& j, const JsonPosition* at) const {
    if (!j.is_object()) return fail(at, std::string("\"backend\" is ") + type_name(j) + ", expected an object");
    MetadataBackend out;
    auto type = j.find("type");
    if (type == j.end()) return fail(at, "\"backend\" has no \"type\"");
    if (!type->is_string())
      return fail(member(at, "type"),
                  std::string("\"backend\".\"type\" is ") + type_name(*type) + ", expected a string");
    out.type = type->get<std::string>();
    if (!is_known_backend(out.type))
      return fail(member(at, "type"), "unknown backend type \"" + out.type +
                                          "\" (expected cann, cpu, cuda, metal, neuron, rocm, tpu or xpu)");
    if (auto archs = j.find("archs"); archs != j.end()) {
      const JsonPosition* archs_at = member(at, "archs");
      if (!archs->is_array())
        return fail(archs_at,
                    std::string("\"backend\".\"archs\" is ") + type_name(*archs) + ", expected a list of strings");
      out.archs.emplace();
      for (std::size_t i = 0; i < archs->size(); ++i) {
        if (!(*archs)[i].is_string())
          return fail(archs_at ? archs_at->element(i) : nullptr, "\"backend\".\"archs\" item " + std::to_string(i + 1) +
                                                                     " is " + type_name((*archs)[i]) +
                                                                     ", expected a string");
        out.archs->push_back((*archs)[i].get<std::string>());
      }
    }
    return out;
  }

  Result<std::vector<MetadataKernelDependency>> kernel_depends(const Json& j, const JsonPosition* at) const {
    if (!j.is_array()) return fail(at, std::string("\"kernel-depends\" is ") + type_name(j) + ", expected a list");
    std::vector<MetadataKernelDependency> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
      const Json& d = j[i];
      const JsonPosition* d_at = at ? at->element(i) : nullptr;
      std::string what = "\"kernel-depends\" item " + std::to_string(i + 1);
      if (!d.is_object()) return fail(d_at, what + " is " + type_name(d) + ", expected an object");
      MetadataKernelDependency dep;
      for (const auto& [key, value] : d.items()) {
        const JsonPosition* v_at = member(d_at, key);
        if (key == "repo-id" && value.is_string()) {
          dep.repo_id = value.get<std::string>();
        } else if (key == "version" && value.is_number_unsigned()) {
          dep.version = value.get<std::uint64_t>();
        } else if (key == "revision" && value.is_string()) {
          dep.revision = value.get<std::string>();
        } else if (key == "repo-id" || key == "revision") {
          return fail(v_at, what + ": \"" + key + "\" is " + type_name(value) + ", expected a string");
        } else if (key == "version") {
          return fail(v_at, what + ": \"version\" is " + std::string(type_name(value)) +
                                ", expected a whole number (a version such as 1)");
        } else {
          return fail_at_key(v_at,
                             what + " has an unknown key \"" + key + "\" (expected repo-id and version or revision)");
        }
      }
      if (dep.repo_id.empty()) return fail(d_at, what + " has no \"repo-id\"");
      if (dep.version.has_value() == dep.revision.has_value())
        return fail(d_at, what + " needs exactly one of \"version\" and \"revision\"");
      out.push_back(std::move(dep));
    }
    return out;
  }

  Result<Digest> digest(const Json& j, const JsonPosition* at) const {
    if (!j.is_object()) return fail(at, std::string("\"digest\" is ") + type_name(j) + ", expected an object");
    Digest out;
    auto algorithm = j.find("algorithm");
    if (algorithm == j.end()) return fail(at, "\"digest\" has no \"algorithm\"");
    const JsonPosition* alg_at = member(at, "algorithm");
    if (!algorithm->is_string())
      return fail(alg_at, std::string("\"digest\".\"algorithm\" is ") + type_name(*algorithm) + ", expected a string");
    auto parsed = parse_digest_algorithm(algorithm->get<std::string>());
    if (!parsed)
      return fail(alg_at,
                  "unknown digest algorithm \"" + algorithm->get<std::string>() + "\" (expected sha256 or sha512)");
    out.algorithm = *parsed;
    auto files = j.find("files");
    if (files == j.end()) return fail(at, "\"digest\" has no \"files\"");
    const JsonPosition* files_at = member(at, "files");
    if (!files->is_object())
      return fail(files_at, std::string("\"digest\".\"files\" is ") + type_name(*files) +
                                ", expected an object of path: base64 hash");
    for (const auto& [path, hash] : files->items()) {
      if (!hash.is_string())
        return fail(member(files_at, path),
                    "\"digest\".\"files\" entry \"" + path + "\" is " + type_name(hash) + ", expected a string");
      out.files.emplace(path, hash.get<std::string>());
    }
    return out;
  }

 private:
  std::string_view text_;
  const std::string& source_;
};

}  // namespace

bool is_known_backend(std::string_view type) {
  for (auto b : kBackends)
    if (b == type) return true;
  return false;
}

Result<Metadata> parse_metadata(std::string raw, const std::string& source_name) {
  std::string_view text = raw;
  auto parse_error = [&](std::size_t offset, const std::string& message) {
    return Error{ErrorCode::parse, source_name + ":" + line_column(text, offset) + ": " + message};
  };
  if (raw.size() > kMaxMetadataBytes)
    return parse_error(0, "larger than " + std::to_string(kMaxMetadataBytes >> 20) + " MiB");
  if (text.substr(0, 3) == "\xEF\xBB\xBF") return parse_error(0, "starts with a UTF-8 byte order mark");
  if (auto deep = json_too_deep(text, kMaxMetadataDepth))
    return parse_error(*deep, "nested deeper than " + std::to_string(kMaxMetadataDepth) + " levels");
  Json doc;
  try {
    doc = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    auto colon = what.find(": ");
    return parse_error(e.byte > 0 ? e.byte - 1 : 0,
                       "not valid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
  } catch (const Json::exception& e) {  // out_of_range: a number such as 1e999
    std::string what = e.what();
    return parse_error(
        0, "not valid JSON: " + what.substr(what.find("] ") == std::string::npos ? 0 : what.find("] ") + 2));
  }
  JsonPosition at = detail::locate_json(text, kMaxMetadataDepth + 1);
  if (auto dup = duplicate_key(at))
    return parse_error(dup->first, "the key \"" + dup->second + "\" appears twice in one object");

  Reader reader(text, source_name);
  if (!doc.is_object()) return reader.fail(&at, std::string("holds ") + type_name(doc) + ", expected an object");
  Metadata out;
  if (auto b = doc.find("backend"); b != doc.end()) {
    auto backend = reader.backend(*b, at.member("backend"));
    if (!backend.ok()) return backend.error();
    out.backend = std::move(*backend);
  }
  if (auto k = doc.find("kernel-depends"); k != doc.end()) {
    auto deps = reader.kernel_depends(*k, at.member("kernel-depends"));
    if (!deps.ok()) return deps.error();
    out.kernel_depends = std::move(*deps);
  }
  if (auto d = doc.find("digest"); d != doc.end() && !d->is_null()) {
    auto digest = reader.digest(*d, at.member("digest"));
    if (!digest.ok()) return digest.error();
    out.digest = std::move(*digest);
  }
  out.raw = std::move(raw);
  return out;
}

Result<std::string> read_metadata_bytes(const std::string& path) { return read_file(path, kMaxMetadataBytes); }

}  // namespace kernels::lockfile
