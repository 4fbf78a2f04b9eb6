#include "config/repo_string.hpp"

#include <algorithm>
#include <array>

#include "hub/repo_id.hpp"

namespace kernels::config {

// The Hub's rule (hub/repo_id), worded as kernels check has always put it.
std::string hub_repo_id_problem(std::string_view id) {
  auto p = hub::repo_id_problem(id);
  if (!p) return "";
  std::string part = p->in_name ? "repository name" : "organisation";
  switch (p->rule) {
    case hub::RepoIdRule::Empty:
    case hub::RepoIdRule::NoSlash: return "a repo id has the form org/name";
    case hub::RepoIdRule::ManySlashes: return "a repo id has exactly one '/' (org/name)";
    case hub::RepoIdRule::EmptyPart: return "the " + part + " is empty";
    case hub::RepoIdRule::BadStart: return "the " + part + " must start with a letter or digit";
    case hub::RepoIdRule::BadCharacter: return "the " + part + " may contain only letters, digits, '.', '_' and '-'";
    case hub::RepoIdRule::DoubleDash: return "a repo id cannot contain '--'";
    case hub::RepoIdRule::DoubleDot: return "a repo id cannot contain '..'";
    case hub::RepoIdRule::TooLong:
      return "a repo id is at most 96 characters long (this one has " + std::to_string(p->length) + ")";
    case hub::RepoIdRule::EndsInGit: return "a repo id cannot end in '.git'";
  }
  return "not a repo id";
}

bool is_python_identifier(std::string_view name) {
  static constexpr std::array<std::string_view, 35> keywords{
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  if (name.empty()) return false;
  auto start = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!start(name[0])) return false;
  for (char c : name)
    if (!start(c) && !(c >= '0' && c <= '9')) return false;
  return std::find(keywords.begin(), keywords.end(), name) == keywords.end();
}

}  // namespace kernels::config
