#include "hub/repo_id.hpp"

namespace kernels::hub {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::optional<RepoIdProblem> part_problem(std::string_view part, bool in_name) {
  if (part.empty()) return RepoIdProblem{RepoIdRule::EmptyPart, in_name};
  if (!is_alnum(part[0])) return RepoIdProblem{RepoIdRule::BadStart, in_name, part[0]};
  for (char c : part) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-') return RepoIdProblem{RepoIdRule::BadCharacter, in_name, c};
  }
  return std::nullopt;
}

}  // namespace

std::optional<RepoIdProblem> repo_id_problem(std::string_view id) {
  if (id.empty()) return RepoIdProblem{RepoIdRule::Empty};
  auto slash = id.find('/');
  if (slash == std::string_view::npos) return RepoIdProblem{RepoIdRule::NoSlash};
  if (id.find('/', slash + 1) != std::string_view::npos) return RepoIdProblem{RepoIdRule::ManySlashes};
  if (auto p = part_problem(id.substr(0, slash), false)) return p;
  if (auto p = part_problem(id.substr(slash + 1), true)) return p;
  if (id.find("--") != std::string_view::npos) return RepoIdProblem{RepoIdRule::DoubleDash};
  if (id.find("..") != std::string_view::npos) return RepoIdProblem{RepoIdRule::DoubleDot};
  if (id.size() > kMaxRepoIdLength) return RepoIdProblem{RepoIdRule::TooLong, false, '\0', id.size()};
  if (id.size() >= 4 && id.substr(id.size() - 4) == ".git") return RepoIdProblem{RepoIdRule::EndsInGit};
  return std::nullopt;
}

std::string describe(const RepoIdProblem& p) {
  std::string part = p.in_name ? "the name part" : "the org part";
  switch (p.rule) {
    case RepoIdRule::Empty: return "it is empty";
    case RepoIdRule::NoSlash: return "it has no '/' (expected org/name)";
    case RepoIdRule::ManySlashes: return "it has more than one '/' (expected org/name)";
    case RepoIdRule::EmptyPart: return part + " is empty";
    case RepoIdRule::BadStart:
      return part + " must start with a letter or digit, not '" + std::string(1, p.character) + "'";
    case RepoIdRule::BadCharacter: {
      auto u = static_cast<unsigned char>(p.character);
      std::string shown =
          (u >= 0x20 && u < 0x7F) ? "'" + std::string(1, p.character) + "'" : "a non-ASCII or control byte";
      return part + " contains " + shown + " (allowed: letters, digits, '.', '_', '-')";
    }
    case RepoIdRule::DoubleDash: return "it contains \"--\"";
    case RepoIdRule::DoubleDot: return "it contains \"..\"";
    case RepoIdRule::TooLong:
      return "it is " + std::to_string(p.length) + " characters long (at most " + std::to_string(kMaxRepoIdLength) +
             ")";
    case RepoIdRule::EndsInGit: return "it ends in \".git\"";
  }
  return "it is not a repo id";
}

Status validate_repo_id(const std::string& id) {
  auto problem = repo_id_problem(id);
  if (!problem) return ok_status();
  return Error{ErrorCode::usage, "'" + id + "' is not a valid repository id: " + describe(*problem)};
}

std::optional<std::string> revision_problem(std::string_view r) {
  if (r.empty()) return std::string("is empty");
  if (r.size() > kMaxRevisionLength) {
    return "is " + std::to_string(r.size()) + " bytes long (at most " + std::to_string(kMaxRevisionLength) + ")";
  }
  for (char c : r) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return std::string("contains a control character");
    if (std::string_view(" ~^:?*[\\").find(c) != std::string_view::npos) {
      return "contains '" + std::string(1, c) + "'";
    }
  }
  if (r.find("..") != std::string_view::npos) return std::string("contains \"..\"");
  if (r.find("//") != std::string_view::npos) return std::string("contains \"//\"");
  if (r.find("@{") != std::string_view::npos) return std::string("contains \"@{\"");
  if (r.front() == '/' || r.back() == '/') return std::string("starts or ends with '/'");
  if (r.front() == '-') return std::string("starts with '-'");
  if (r.back() == '.') return std::string("ends with '.'");
  if (r == "@") return std::string("is \"@\"");
  for (std::size_t start = 0; start <= r.size();) {
    auto end = r.find('/', start);
    std::string_view part = r.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!part.empty() && part.front() == '.') return std::string("has a component starting with '.'");
    if (part.size() >= 5 && part.substr(part.size() - 5) == ".lock")
      return std::string("has a component ending in \".lock\"");
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace kernels::hub
