#include "config/repo_string.hpp"

#include <algorithm>
#include <array>

namespace kernels::config {
namespace {

bool alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string part_problem(std::string_view part, const char* what) {
  if (part.empty()) return std::string("the ") + what + " is empty";
  if (!alnum(part[0])) return std::string("the ") + what + " must start with a letter or digit";
  for (char c : part)
    if (!alnum(c) && c != '.' && c != '_' && c != '-')
      return std::string("the ") + what + " may contain only letters, digits, '.', '_' and '-'";
  return "";
}

}  // namespace

std::string hub_repo_id_problem(std::string_view id) {
  auto slash = id.find('/');
  if (slash == std::string_view::npos) return "a repo id has the form org/name";
  if (id.find('/', slash + 1) != std::string_view::npos) return "a repo id has exactly one '/' (org/name)";
  if (auto p = part_problem(id.substr(0, slash), "organisation"); !p.empty()) return p;
  if (auto p = part_problem(id.substr(slash + 1), "repository name"); !p.empty()) return p;
  if (id.find("--") != std::string_view::npos) return "a repo id cannot contain '--'";
  if (id.find("..") != std::string_view::npos) return "a repo id cannot contain '..'";
  if (id.size() > 96) return "a repo id is at most 96 characters long (this one has " + std::to_string(id.size()) + ")";
  if (id.size() >= 4 && id.substr(id.size() - 4) == ".git") return "a repo id cannot end in '.git'";
  return "";
}

bool is_python_identifier(std::string_view name) {
  static constexpr std::array<std::string_view, 35> keywords{
      "False", "None",   "True",    "and",      "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",      "elif", "else",   "except", "finally",  "for",
      "from",  "global", "if",      "import",   "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",   "raise",   "return",   "try",  "while",  "with",   "yield"};
  if (name.empty()) return false;
  auto start = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!start(name[0])) return false;
  for (char c : name)
    if (!start(c) && !(c >= '0' && c <= '9')) return false;
  return std::find(keywords.begin(), keywords.end(), name) == keywords.end();
}

}  // namespace kernels::config
