#include "lockfile/reader.hpp"

#include <nlohmann/json.hpp>

#include "util/file.hpp"

namespace kernels::lockfile {
namespace {

using Json = nlohmann::ordered_json;

// 1-based line and column (in bytes) of byte offset `offset` of `text`.
std::string line_column(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

const char* type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::binary: return "binary data";
    case Json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

// nlohmann's message is "[json.exception.parse_error.101] parse error at
// line 1, column 2: syntax error while parsing value - invalid literal; ...":
// keep only what follows the position.
std::string parse_explanation(const std::string& what) {
  auto colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

class EntryReader {
 public:
  explicit EntryReader(const std::string& source) : source_(source) {}

  Result<LockedKernel> read(const Json& entry, std::size_t index) {
    where_ = source_ + ": entry " + std::to_string(index + 1);
    if (!entry.is_object())
      return fail(std::string("is ") + type_name(entry) + ", expected an object with \"repo_id\", \"sha\" and \"variants\"");
    if (entry.contains("dependency") && entry.contains("lock") && !entry.contains("repo_id"))
      return fail("uses the {\"dependency\", \"lock\"} lock format of kernels-data, which the kernels "
                  "library does not read yet; run `kernels lock` to write the current format");
    auto repo_id = string_member(entry, "repo_id");
    if (!repo_id.ok()) return repo_id.error();
    where_ += " (" + *repo_id + ")";
    if (entry.contains("files") && !entry.contains("variants"))
      return fail("uses the old per-file lock format of hf-kernels (a \"files\" list instead of "
                  "\"variants\"); run `kernels lock` to write the current format");
    auto sha = string_member(entry, "sha");
    if (!sha.ok()) return sha.error();
    if (!entry.contains("variants")) return fail("has no \"variants\"");
    const Json& variants = entry.at("variants");
    if (!variants.is_object())
      return fail(std::string("\"variants\" is ") + type_name(variants) + ", expected an object");

    LockedKernel kernel{*repo_id, *sha, {}};
    for (const auto& [name, value] : variants.items()) {
      auto variant = read_variant(name, value);
      if (!variant.ok()) return variant.error();
      kernel.variants.push_back(std::move(*variant));
    }
    return kernel;
  }

 private:
  Error fail(const std::string& what) const { return Error{"format", where_ + " " + what}; }

  Result<std::string> string_member(const Json& object, const char* key) const {
    auto it = object.find(key);
    if (it == object.end()) return fail(std::string("has no \"") + key + "\"");
    if (!it->is_string())
      return fail(std::string("\"") + key + "\" is " + type_name(*it) + ", expected a string");
    return it->get<std::string>();
  }

  Result<VariantLock> read_variant(const std::string& name, const Json& value) const {
    std::string at = "variant \"" + name + "\"";
    if (!value.is_object())
      return fail(at + " is " + type_name(value) + ", expected an object with \"hash\" and \"hash_type\"");
    VariantLock variant{name, "", std::string(kGitLfsConcat)};
    bool have_hash = false;
    for (const auto& [key, member] : value.items()) {
      if (key != "hash" && key != "hash_type")
        return fail(at + " has an unknown key \"" + key + "\" (a variant has \"hash\" and \"hash_type\")");
      if (!member.is_string())
        return fail(at + ": \"" + key + "\" is " + type_name(member) + ", expected a string");
      (key == "hash" ? variant.hash : variant.hash_type) = member.get<std::string>();
      have_hash = have_hash || key == "hash";
    }
    if (!have_hash) return fail(at + " has no \"hash\"");
    return variant;
  }

  const std::string& source_;
  std::string where_;
};

}  // namespace

Result<Lock> parse_lock(std::string_view text, const std::string& source_name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    return Error{"parse", source_name + ":1:1: the file starts with a UTF-8 byte order mark, "
                                        "which Python's json module refuses; remove it"};
  Json document;
  try {
    document = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
      return Error{"parse", source_name + ":1:1: the file is empty, expected a JSON array"};
    return Error{"parse", source_name + ":" + line_column(text, offset) + ": not valid JSON: " +
                              parse_explanation(e.what())};
  }
  if (!document.is_array()) {
    auto start = text.find_first_not_of(" \t\r\n");
    return Error{"format", source_name + ":" + line_column(text, start) + ": the file holds " +
                               type_name(document) + ", expected a JSON array of locked kernels"};
  }
  Lock lock;
  EntryReader reader(source_name);
  for (std::size_t i = 0; i < document.size(); ++i) {
    auto kernel = reader.read(document[i], i);
    if (!kernel.ok()) return kernel.error();
    lock.kernels.push_back(std::move(*kernel));
  }
  return lock;
}

Result<Lock> read_lock(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  return parse_lock(*text, path);
}

}  // namespace kernels::lockfile
