#include "lockfile/repo_id.hpp"

namespace kernels::lockfile {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::optional<std::string> part_problem(std::string_view part, const char* which) {
  if (part.empty()) return std::string("the ") + which + " part is empty";
  if (!is_alnum(part[0]))
    return std::string("the ") + which + " part must start with a letter or digit, not '" + part[0] + "'";
  for (char c : part) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-') {
      unsigned char u = static_cast<unsigned char>(c);
      std::string shown = (u >= 0x20 && u < 0x7F) ? std::string("'") + c + "'" : "a non-ASCII or control byte";
      return std::string("the ") + which + " part contains " + shown +
             " (allowed: letters, digits, '.', '_', '-')";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> repo_id_problem(std::string_view id) {
  if (id.empty()) return std::string("it is empty");
  auto slash = id.find('/');
  if (slash == std::string_view::npos) return std::string("it has no '/' (expected org/name)");
  if (id.find('/', slash + 1) != std::string_view::npos)
    return std::string("it has more than one '/' (expected org/name)");
  if (auto p = part_problem(id.substr(0, slash), "org")) return p;
  if (auto p = part_problem(id.substr(slash + 1), "name")) return p;
  if (id.find("--") != std::string_view::npos) return std::string("it contains \"--\"");
  if (id.find("..") != std::string_view::npos) return std::string("it contains \"..\"");
  if (id.size() > 96)
    return "it is " + std::to_string(id.size()) + " characters long (at most 96)";
  if (id.size() >= 4 && id.substr(id.size() - 4) == ".git") return std::string("it ends in \".git\"");
  return std::nullopt;
}

}  // namespace kernels::lockfile
