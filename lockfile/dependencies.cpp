#include "lockfile/dependencies.hpp"

#include <filesystem>

#include "config/toml.hpp"
#include "hub/repo_id.hpp"
#include "util/file.hpp"

namespace kernels::lockfile {
namespace {

// pyproject.toml goes through the project's own TOML reader (config/toml.hpp),
// as KernelConfig files do: nesting depth is bounded (a 10k-deep document is a
// syntax error, not a stack overflow) and table lookups are indexed.
using Value = toml::Value;

constexpr const char* kExample =
    "[tool.kernels.dependencies]\n"
    "\"kernels-community/relu\" = 1                        # branch v1\n"
    "\"kernels-community/activation\" = { revision = \"main\" }  # a branch, tag or commit";

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
  if (v.type != toml::Type::Integer)
    return "is " + type_name(v) + "; a version is a whole number N, for branch vN";
  if (v.integer < 0) return std::string("is negative; a version is a whole number N >= 0, for branch vN");
  return std::nullopt;
}

class EntryParser {
 public:
  EntryParser(const std::string& source, std::vector<std::string>& problems)
      : source_(source), problems_(problems) {}

  std::optional<Dependency> parse(const std::string& repo_id, const Value& value) {
    const std::string key = quoted(repo_id);
    bool ok = true;
    if (auto why = hub::repo_id_problem(repo_id)) {
      problem(value, key + " is not a Hub repo id: " + hub::describe(*why));
      ok = false;
    }
    Dependency dep{repo_id, std::nullopt, std::nullopt, at_line(source_, value)};
    switch (value.type) {
      case toml::Type::Integer:
        if (auto why = version_problem(value)) {
          problem(value, key + " = " + std::to_string(value.integer) + ": the version " + *why);
          return std::nullopt;
        }
        dep.version = static_cast<std::uint64_t>(value.integer);
        break;
      case toml::Type::String: {
        const std::string& s = value.text;
        if (looks_like_specifier(s))
          problem(value, key + " = " + quoted(s) +
                             " is a version specifier, which kernels no longer supports; write " + key +
                             " = N to follow branch vN (`kernels versions " + repo_id +
                             "` lists them), or " + key + " = { revision = \"...\" } for a branch, tag or commit");
        else
          problem(value, key + " = " + quoted(s) + ": a bare string is not accepted; write " + key +
                             " = { revision = " + quoted(s) + " } to lock that branch, tag or commit, or " +
                             key + " = N to follow branch vN");
        return std::nullopt;
      }
      case toml::Type::Table:
        if (!parse_table(key, value, dep)) return std::nullopt;
        break;
      default:
        problem(value, key + " is " + type_name(value) + "; write " + key + " = N (branch vN) or " + key +
                           " = { revision = \"...\" } (a branch, tag or commit)");
        return std::nullopt;
    }
    if (!ok) return std::nullopt;
    return dep;
  }

 private:
  void problem(const Value& where, const std::string& what) {
    problems_.push_back(at_line(source_, where) + ": " + what);
  }

  bool parse_table(const std::string& key, const Value& table, Dependency& dep) {
    bool ok = true;
    const Value* version = nullptr;
    const Value* revision = nullptr;
    for (const auto& member : table.table) {
      if (member.key == "version") {
        version = &member.value;
      } else if (member.key == "revision") {
        revision = &member.value;
      } else {
        problem(member.value, key + ": unknown key " + quoted(member.key) + " (a dependency takes version or revision)");
        ok = false;
      }
    }
    if (version && revision) {
      problem(table, key + ": Either a revision or a version must be specified, not both.");
      return false;
    }
    if (!version && !revision) {
      if (ok)
        problem(table, key + ": Either a revision or a version must be specified; write " + key +
                           " = { version = N } or " + key + " = { revision = \"...\" }");
      return false;
    }
    if (version) {
      if (auto why = version_problem(*version)) {
        problem(*version, key + ": version " + *why);
        return false;
      }
      dep.version = static_cast<std::uint64_t>(version->integer);
    } else {
      if (!revision->is_string()) {
        problem(*revision, key + ": revision is " + type_name(*revision) +
                               "; write a branch, tag or commit as a string, e.g. revision = \"main\"");
        return false;
      }
      const std::string& r = revision->text;
      if (r.find_first_not_of(" \t") == std::string::npos) {
        problem(*revision, key + ": revision is empty; write a branch, tag or commit");
        return false;
      }
      dep.revision = r;
    }
    return ok;
  }

  const std::string& source_;
  std::vector<std::string>& problems_;
};

}  // namespace

std::string Dependency::ref() const {
  return version ? "v" + std::to_string(*version) : revision.value_or("");
}

Result<std::vector<Dependency>> parse_dependencies(std::string_view toml_text, const std::string& source_name) {
  auto parsed = toml::parse(toml_text);
  if (auto* err = std::get_if<toml::SyntaxError>(&parsed)) {
    std::string position = err->pos.line > 0
                               ? ":" + std::to_string(err->pos.line) + ":" + std::to_string(err->pos.column)
                               : "";
    return Error{"parse", source_name + position + ": not valid TOML: " + err->message};
  }
  const Value& document = std::get<Value>(parsed);

  const Value* node = &document;
  std::string dotted;
  for (const char* part : {"tool", "kernels", "dependencies"}) {
    dotted += dotted.empty() ? part : std::string(".") + part;
    const Value* child = node->is_table() ? node->find(part) : nullptr;
    if (child == nullptr)
      return Error{"dependency", source_name + ": no [tool.kernels.dependencies] table; kernels lock locks the "
                                               "kernels listed there, for example:\n" + std::string(kExample)};
    node = child;
    if (!node->is_table())
      return Error{"dependency", at_line(source_name, *node) + ": " + dotted + " is " + type_name(*node) +
                                     ", expected a table"};
  }

  std::vector<Dependency> deps;
  std::vector<std::string> problems;
  EntryParser parser(source_name, problems);
  for (const auto& entry : node->table) {
    if (auto dep = parser.parse(entry.key, entry.value)) deps.push_back(std::move(*dep));
  }
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return Error{"dependency", message};
  }
  return deps;
}

Result<std::vector<Dependency>> read_dependencies(const std::string& project_dir) {
  std::string path = (std::filesystem::path(project_dir) / "pyproject.toml").string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Error{"io", "no pyproject.toml in " + project_dir + "; kernels lock reads the kernels to lock from "
                       "its [tool.kernels.dependencies] table, for example:\n" + std::string(kExample)};
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  return parse_dependencies(*text, path);
}

}  // namespace kernels::lockfile
