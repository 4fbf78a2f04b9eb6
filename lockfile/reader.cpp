#include "lockfile/reader.hpp"

#include <nlohmann/json.hpp>

#include "lockfile/json_positions.hpp"
#include "lockfile/kernels_data.hpp"
#include "util/json_depth.hpp"
#include "util/file.hpp"

namespace kernels::lockfile {
namespace {

using Json = nlohmann::ordered_json;

// Far above the 5 levels a lock has; the parser never sees anything deeper.
constexpr int kMaxLockDepth = 64;
using detail::JsonPosition;
using detail::line_column;

const char* type_name(const Json& j) { return detail::json_type_name(j); }

// nlohmann's message is "[json.exception.parse_error.101] parse error at
// line 1, column 2: syntax error while parsing value - invalid literal; ...":
// keep only what follows the position.
std::string parse_explanation(const std::string& what) {
  auto colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// Reads one entry of the top-level array; errors start with the position of
// the value they are about.
class EntryReader {
 public:
  EntryReader(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  Result<LockedKernel> read(const Json& entry, const JsonPosition& at, std::size_t index) {
    what_ = "entry " + std::to_string(index + 1);
    if (!entry.is_object())
      return fail(at.offset, std::string("is ") + type_name(entry) +
                                 ", expected an object with \"repo_id\", \"sha\" and \"variants\"");
    auto repo_id = string_member(entry, at, "repo_id");
    if (!repo_id.ok()) return repo_id.error();
    what_ += " (" + *repo_id + ")";
    if (entry.contains("files") && !entry.contains("variants"))
      return fail(at.offset,
                  "uses the old per-file lock format of hf-kernels (a \"files\" list instead of "
                  "\"variants\"); run `kernels lock` to write the current format");
    auto sha = string_member(entry, at, "sha");
    if (!sha.ok()) return sha.error();
    if (!entry.contains("variants")) return fail(at.offset, "has no \"variants\"");
    const Json& variants = entry.at("variants");
    const JsonPosition& variants_at = position(at.member("variants"), at);
    if (!variants.is_object())
      return fail(variants_at.offset, std::string("\"variants\" is ") + type_name(variants) + ", expected an object");

    LockedKernel kernel{*repo_id, *sha, {}};
    for (const auto& [name, value] : variants.items()) {
      auto variant = read_variant(name, value, position(variants_at.member(name), variants_at));
      if (!variant.ok()) return variant.error();
      kernel.variants.push_back(std::move(*variant));
    }
    return kernel;
  }

 private:
  // The position of a value, or of its parent when the scan has none.
  static const JsonPosition& position(const JsonPosition* p, const JsonPosition& parent) { return p ? *p : parent; }

  Error fail(std::size_t offset, const std::string& message) const {
    return Error{ErrorCode::format, source_ + ":" + line_column(text_, offset) + ": " + what_ + " " + message};
  }

  Result<std::string> string_member(const Json& object, const JsonPosition& at, const char* key) const {
    auto it = object.find(key);
    if (it == object.end()) return fail(at.offset, std::string("has no \"") + key + "\"");
    if (!it->is_string())
      return fail(position(at.member(key), at).offset,
                  std::string("\"") + key + "\" is " + type_name(*it) + ", expected a string");
    return it->get<std::string>();
  }

  Result<VariantLock> read_variant(const std::string& name, const Json& value, const JsonPosition& at) const {
    std::string variant_is = "variant \"" + name + "\"";
    if (!value.is_object())
      return fail(at.offset,
                  variant_is + " is " + type_name(value) + ", expected an object with \"hash\" and \"hash_type\"");
    VariantLock variant{name, "", std::string(kGitLfsConcat)};
    bool have_hash = false;
    for (const auto& [key, member] : value.items()) {
      const JsonPosition& member_at = position(at.member(key), at);
      if (key != "hash" && key != "hash_type")
        return fail(member_at.key_offset,
                    variant_is + " has an unknown key \"" + key + "\" (a variant has \"hash\" and \"hash_type\")");
      if (!member.is_string())
        return fail(member_at.offset, variant_is + ": \"" + key + "\" is " + type_name(member) + ", expected a string");
      (key == "hash" ? variant.hash : variant.hash_type) = member.get<std::string>();
      have_hash = have_hash || key == "hash";
    }
    if (!have_hash) return fail(at.offset, variant_is + " has no \"hash\"");
    return variant;
  }

  std::string_view text_;
  const std::string& source_;
  std::string what_;  // "entry 2 (org/name)"
};

// Which format an entry is written in, by its keys: "repo_id"/"sha" (and the
// "variants" or old "files" beside them) for variant-hashes, "dependency"/
// "lock" for kernels-data. A variant-hashes entry may hold any other key
// (Python ignores them), so its keys win.
enum class Shape { Unknown, VariantHashes, KernelsData };

Shape shape_of(const Json& entry) {
  if (!entry.is_object()) return Shape::Unknown;
  for (const char* key : {"repo_id", "sha", "variants", "files"})
    if (entry.contains(key)) return Shape::VariantHashes;
  if (entry.contains("dependency") || entry.contains("lock")) return Shape::KernelsData;
  return Shape::Unknown;
}

const char* shape_description(Shape shape) {
  return shape == Shape::KernelsData ? "kernels-data ({\"dependency\", \"lock\"})"
                                     : "variant-hashes ({\"repo_id\", \"sha\", \"variants\"})";
}

// " (org/name)" when the entry names its repo in the way of its shape.
std::string entry_name(const Json& entry, Shape shape) {
  const Json* id = nullptr;
  if (shape == Shape::VariantHashes) {
    auto it = entry.find("repo_id");
    if (it != entry.end()) id = &*it;
  } else if (auto dep = entry.find("dependency"); dep != entry.end() && dep->is_object()) {
    auto it = dep->find("repo-id");
    if (it != dep->end()) id = &*it;
  }
  return id && id->is_string() ? " (" + id->get<std::string>() + ")" : "";
}

// The JSON document of a lock file, or the error parse_lock reports for it.
Result<Json> parse_document(std::string_view text, const std::string& source_name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    return Error{ErrorCode::parse, source_name +
                                       ":1:1: the file starts with a UTF-8 byte order mark, "
                                       "which Python's json module refuses; remove it"};
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Error{ErrorCode::parse, source_name + ":1:1: the file is empty, expected a JSON array"};
  if (auto deep = json_too_deep(text, kMaxLockDepth)) {
    return Error{ErrorCode::parse, source_name + ":" + line_column(text, *deep) + ": nested deeper than " +
                                       std::to_string(kMaxLockDepth) + " levels; a kernels.lock is at most 5 deep"};
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // e.byte is 1-based and points at the character where parsing failed.
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    return Error{ErrorCode::parse,
                 source_name + ":" + line_column(text, offset) + ": not valid JSON: " + parse_explanation(e.what())};
  } catch (const Json::exception& e) {
    // out_of_range: a number past a double (1e999), which nlohmann refuses
    // outside parse_error and without an offset.
    std::string what = e.what();
    auto bracket = what.find("] ");
    return Error{ErrorCode::parse,
                 source_name + ": not valid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2))};
  }
}

}  // namespace

Result<Lock> parse_lock(std::string_view text, const std::string& source_name) {
  auto parsed = parse_document(text, source_name);
  if (!parsed.ok()) return parsed.error();
  const Json& document = *parsed;
  // Depth 4 reaches the members of each variant: array > entry > variants > variant > hash,
  // and those of a kernels-data dependency: array > entry > dependency > version.
  JsonPosition at = detail::locate_json(text, 4);
  if (!document.is_array())
    return Error{ErrorCode::format, source_name + ":" + line_column(text, at.offset) + ": the file holds " +
                                        type_name(document) + ", expected a JSON array of locked kernels"};
  if (document.empty()) return Lock{};

  // The first entry decides the format; one of the other shape is an error.
  Shape format = shape_of(document[0]) == Shape::KernelsData ? Shape::KernelsData : Shape::VariantHashes;
  for (std::size_t i = 1; i < document.size(); ++i) {
    Shape shape = shape_of(document[i]);
    if (shape == Shape::Unknown || shape == format) continue;
    const JsonPosition* entry_at = at.element(i);
    return Error{ErrorCode::format, source_name + ":" + line_column(text, entry_at ? entry_at->offset : at.offset) +
                                        ": entry " + std::to_string(i + 1) + entry_name(document[i], shape) + " is a " +
                                        shape_description(shape) + " entry, but entry 1" +
                                        entry_name(document[0], format) + " is " + shape_description(format) +
                                        "; a kernels.lock holds entries of one format"};
  }
  if (format == Shape::KernelsData) return detail::read_kernels_data(document, at, text, source_name);

  Lock lock;
  EntryReader reader(text, source_name);
  for (std::size_t i = 0; i < document.size(); ++i) {
    const JsonPosition* entry_at = at.element(i);
    auto kernel = reader.read(document[i], entry_at ? *entry_at : at, i);
    if (!kernel.ok()) return kernel.error();
    lock.kernels.push_back(std::move(*kernel));
  }
  return lock;
}

std::optional<LockFormat> detect_lock_format(std::string_view text) {
  auto parsed = parse_document(text, "");
  if (!parsed.ok() || !parsed->is_array() || parsed->empty()) return std::nullopt;
  switch (shape_of((*parsed)[0])) {
    case Shape::VariantHashes: return LockFormat::VariantHashes;
    case Shape::KernelsData: return LockFormat::KernelsData;
    default: return std::nullopt;
  }
}

Result<Lock> read_lock(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  return parse_lock(*text, path);
}

}  // namespace kernels::lockfile
