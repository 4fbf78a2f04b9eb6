#include "hub/repo_id.hpp"

#include <algorithm>
#include <cctype>

namespace kernels::hub {

namespace {

bool valid_part(const std::string& s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  if (!std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; })) {
    return false;
  }
  // Python's \b: must start and end with a word character.
  auto word = [](unsigned char c) { return std::isalnum(c) || c == '_'; };
  return word(static_cast<unsigned char>(s.front())) && word(static_cast<unsigned char>(s.back()));
}

}  // namespace

Status validate_repo_id(const std::string& id) {
  auto slash = id.find('/');
  std::string why;
  if (slash == std::string::npos || id.find('/', slash + 1) != std::string::npos) {
    why = "it must be ORG/NAME, with exactly one '/'";
  } else if (!valid_part(id.substr(0, slash), 96) || !valid_part(id.substr(slash + 1), 96)) {
    why = "ORG and NAME may hold only letters, digits, '-', '_' and '.', and must start and end with a letter or digit";
  } else if (id.find("--") != std::string::npos || id.find("..") != std::string::npos) {
    why = "it must not contain '--' or '..'";
  } else if (id.size() >= 4 && id.compare(id.size() - 4, 4, ".git") == 0) {
    why = "it must not end in '.git'";
  }
  if (why.empty()) return ok_status();
  return Error{"usage", "'" + id + "' is not a valid repository id: " + why};
}

}  // namespace kernels::hub
