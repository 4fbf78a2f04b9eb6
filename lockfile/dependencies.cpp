#include "lockfile/dependencies.hpp"

#include <filesystem>

#include "config/toml.hpp"
#include "hub/repo_id.hpp"
#include "util/edit_distance.hpp"
#include "util/file.hpp"

namespace kernels::lockfile {
namespace {

// pyproject.toml goes through the project's own TOML reader (config/toml.hpp),
// as KernelConfig files do: nesting depth is bounded (a 10k-deep document is a
// syntax error, not a stack overflow), table lookups are indexed and every key
// and value keeps its line:column, so problems are reported as precisely as
// `kernels check` reports a KernelConfig's.
using Value = toml::Value;
using config::Diagnostic;

constexpr const char* kExample =
    "[tool.kernels.dependencies]\n"
    "\"kernels-community/relu\" = 1                        # branch v1\n"
    "\"kernels-community/activation\" = { revision = \"main\" }  # a branch, tag or commit";

const std::string kNoTable = "no [tool.kernels.dependencies] table";
const std::string kNoTableHint = std::string("kernels lock locks the kernels listed there, for example:\n") + kExample;

std::string type_name(const Value& v) {
  switch (v.type) {
    case toml::Type::Integer: return "an integer";
    case toml::Type::Array: return "an array";
    case toml::Type::OffsetDateTime:
    case toml::Type::LocalDateTime: return "a date-time";
    default: return "a " + toml::type_name(v.type);
  }
}

std::string at_line(const std::string& source, const Value& v) {
  return v.pos.line > 0 ? source + ":" + std::to_string(v.pos.line) : source;
}

// TOML for a string, for quoting a user's value back in a message.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool looks_like_specifier(const std::string& s) {
  auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return false;
  return std::string("<>=!~^").find(s[first]) != std::string::npos || s.find(',') != std::string::npos;
}

// The reason a `version` value is unusable, or nullopt.
std::optional<std::string> version_problem(const Value& v) {
  if (v.type != toml::Type::Integer) return "is " + type_name(v) + "; a version is a whole number N, for branch vN";
  if (v.integer < 0) return std::string("is negative; a version is a whole number N >= 0, for branch vN");
  return std::nullopt;
}

// The key of `table` nearest to `word` (a plausible typo), or nullptr.
const toml::Entry* near_miss(const Value& table, const std::string& word) {
  if (!table.is_table()) return nullptr;
  std::vector<std::string> keys;
  for (const auto& e : table.table) keys.push_back(e.key);
  auto near = nearest(word, keys);
  if (!near) return nullptr;
  for (const auto& e : table.table)
    if (e.key == *near) return &e;
  return nullptr;
}

class Checker {
 public:
  explicit Checker(std::vector<Diagnostic>& out) : out_(out) {}

  void add(const char* code, toml::Pos pos, std::string message, std::string hint = "") {
    out_.push_back(
        Diagnostic{code, config::Severity::Error, pos.line, pos.column, std::move(message), std::move(hint)});
  }

  // The [tool.kernels.dependencies] table, or nullptr after saying why not.
  const Value* find_table(const Value& document) {
    const Value* node = &document;
    std::string dotted;
    for (const char* part : {"tool", "kernels", "dependencies"}) {
      dotted += dotted.empty() ? part : std::string(".") + part;
      const Value* child = node->find(part);
      if (child == nullptr) {
        missing_table(document, *node, part);
        return nullptr;
      }
      node = child;
      if (!node->is_table()) {
        add("wrong-type", node->pos, dotted + " is " + type_name(*node) + ", expected a table",
            std::string("kernels lock reads a table, for example:\n") + kExample);
        return nullptr;
      }
    }
    return node;
  }

  std::optional<Dependency> entry(const toml::Entry& e, const std::string& source) {
    const std::string& repo_id = e.key;
    const Value& value = e.value;
    const std::string key = quoted(repo_id);
    bool ok = true;
    if (auto why = hub::repo_id_problem(repo_id)) {
      add("invalid-repo-id", e.key_pos, key + " is not a Hub repo id: " + hub::describe(*why),
          "a dependency's key is the Hub repo id in quotes, e.g. \"kernels-community/relu\" = 1");
      ok = false;
    }
    Dependency dep{repo_id, std::nullopt, std::nullopt, at_line(source, value)};
    switch (value.type) {
      case toml::Type::Integer:
        if (auto why = version_problem(value)) {
          add("invalid-version", value.pos, key + " = " + std::to_string(value.integer) + ": the version " + *why);
          return std::nullopt;
        }
        dep.version = static_cast<std::uint64_t>(value.integer);
        break;
      case toml::Type::String: {
        const std::string& s = value.text;
        if (looks_like_specifier(s))
          add("invalid-version", value.pos,
              key + " = " + quoted(s) + " is a version specifier, which kernels no longer supports; write " + key +
                  " = N to follow branch vN (`kernels versions " + repo_id + "` lists them), or " + key +
                  " = { revision = \"...\" } for a branch, tag or commit");
        else
          add("invalid-version", value.pos,
              key + " = " + quoted(s) + ": a bare string is not accepted; write " + key + " = { revision = " +
                  quoted(s) + " } to lock that branch, tag or commit, or " + key + " = N to follow branch vN");
        return std::nullopt;
      }
      case toml::Type::Table:
        if (!table(key, value, dep)) return std::nullopt;
        break;
      default:
        add("wrong-type", value.pos,
            key + " is " + type_name(value) + "; write " + key + " = N (branch vN) or " + key +
                " = { revision = \"...\" } (a branch, tag or commit)");
        return std::nullopt;
    }
    if (!ok) return std::nullopt;
    return dep;
  }

 private:
  // Where [tool.kernels.dependencies] was most likely meant, with a did-you-mean.
  void missing_table(const Value& document, const Value& parent, const std::string& part) {
    const toml::Entry* near = near_miss(parent, part);
    if (near && near->key != part) {
      add("no-dependencies", near->key_pos, kNoTable + "; did you mean '" + part + "', not '" + near->key + "'?",
          kNoTableHint);
      return;
    }
    // [kernels.dependencies] without `tool.` in front.
    if (&parent == &document && part == "tool")
      if (const toml::Entry* k = near_miss(document, "kernels"); k && k->value.is_table()) {
        add("no-dependencies", k->key_pos,
            kNoTable + "; did you mean [tool.kernels.dependencies]? this '" + k->key + "' is not under [tool]",
            kNoTableHint);
        return;
      }
    add("no-dependencies", toml::Pos{}, kNoTable, kNoTableHint);
  }

  bool table(const std::string& key, const Value& table, Dependency& dep) {
    bool ok = true;
    const Value* version = nullptr;
    const Value* revision = nullptr;
    for (const auto& member : table.table) {
      if (member.key == "version") {
        version = &member.value;
      } else if (member.key == "revision") {
        revision = &member.value;
      } else {
        auto near = nearest(member.key, {"version", "revision"});
        add("unknown-key", member.key_pos,
            key + ": unknown key " + quoted(member.key) + " (a dependency takes version or revision)",
            near ? "did you mean '" + *near + "'?" : "");
        ok = false;
      }
    }
    if (version && revision) {
      add("version-and-revision", table.pos, key + ": Either a revision or a version must be specified, not both.",
          "keep version (follows the vN branch) or revision (pins a branch, tag or commit), not both");
      return false;
    }
    if (!version && !revision) {
      if (ok)
        add("missing-version", table.pos,
            key + ": Either a revision or a version must be specified; write " + key + " = { version = N } or " + key +
                " = { revision = \"...\" }");
      return false;
    }
    if (version) {
      if (auto why = version_problem(*version)) {
        add("invalid-version", version->pos, key + ": version " + *why);
        return false;
      }
      dep.version = static_cast<std::uint64_t>(version->integer);
    } else {
      if (!revision->is_string()) {
        add("invalid-revision", revision->pos,
            key + ": revision is " + type_name(*revision) +
                "; write a branch, tag or commit as a string, e.g. revision = \"main\"");
        return false;
      }
      const std::string& r = revision->text;
      if (r.find_first_not_of(" \t") == std::string::npos) {
        add("invalid-revision", revision->pos, key + ": revision is empty; write a branch, tag or commit");
        return false;
      }
      dep.revision = r;
    }
    return ok;
  }

  std::vector<Diagnostic>& out_;
};

DependencyCheck check(std::string_view toml_text, const std::string& source_name) {
  DependencyCheck result;
  Checker checker(result.diagnostics);
  auto parsed = toml::parse(toml_text);
  if (auto* err = std::get_if<toml::SyntaxError>(&parsed)) {
    checker.add("syntax", err->pos, "not valid TOML: " + err->message);
    return result;
  }
  const Value& document = std::get<Value>(parsed);
  const Value* table = checker.find_table(document);
  if (!table) return result;
  for (const auto& e : table->table)
    if (auto dep = checker.entry(e, source_name)) result.dependencies.push_back(std::move(*dep));
  return result;
}

// One line per diagnostic, as parse_dependencies has always worded them.
Error as_error(const std::vector<Diagnostic>& diagnostics, const std::string& source_name) {
  std::string message;
  bool syntax = false;
  for (const auto& d : diagnostics) {
    std::string line = source_name;
    if (d.line) line += ":" + std::to_string(d.line);
    if (d.code == "syntax") {
      syntax = true;
      if (d.line) line += ":" + std::to_string(d.column);
    }
    line += ": " + d.message;
    if (d.code == "no-dependencies") line += (d.message.back() == '?' ? " " : "; ") + d.hint;
    message += (message.empty() ? "" : "\n") + line;
  }
  return Error{syntax ? ErrorCode::parse : ErrorCode::dependency, message};
}

}  // namespace

std::string Dependency::ref() const { return version ? "v" + std::to_string(*version) : revision.value_or(""); }

DependencyCheck check_dependencies(std::string_view toml_text, const std::string& source_name) {
  return check(toml_text, source_name);
}

Result<std::vector<Dependency>> parse_dependencies(std::string_view toml_text, const std::string& source_name) {
  DependencyCheck checked = check(toml_text, source_name);
  if (!checked.diagnostics.empty()) return as_error(checked.diagnostics, source_name);
  return std::move(checked.dependencies);
}

Result<Pyproject> read_pyproject(const std::string& project_dir) {
  std::string path = (std::filesystem::path(project_dir) / "pyproject.toml").string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Error{ErrorCode::io, "no pyproject.toml in " + project_dir +
                                    "; kernels lock reads the kernels to lock from "
                                    "its [tool.kernels.dependencies] table, for example:\n" +
                                    std::string(kExample)};
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  Pyproject out{path, std::move(*text), {}};
  out.checked = check(out.text, path);
  return out;
}

Result<std::vector<Dependency>> read_dependencies(const std::string& project_dir) {
  auto file = read_pyproject(project_dir);
  if (!file.ok()) return file.error();
  if (!file->checked.diagnostics.empty()) return as_error(file->checked.diagnostics, file->path);
  return std::move(file->checked.dependencies);
}

}  // namespace kernels::lockfile
