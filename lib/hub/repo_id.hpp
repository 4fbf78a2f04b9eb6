// Hub repository ids, the one implementation of the rule every command uses
// (spec rule 5, huggingface_hub's validate_repo_id with the org required):
// "org/name", each part [A-Za-z0-9][A-Za-z0-9._-]*, no "--" or "..", at most
// 96 characters in all, not ending in ".git".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kernels::hub {

// Which rule an id breaks (the first, checking in the order listed).
enum class RepoIdRule {
  Empty,         // ""
  NoSlash,       // "relu"
  ManySlashes,   // "a/b/c"
  EmptyPart,     // "/b", "a/"
  BadStart,      // a part starts with something other than a letter or digit
  BadCharacter,  // a part holds something other than letters, digits, '.', '_', '-'
  DoubleDash,    // "--"
  DoubleDot,     // ".."
  TooLong,       // more than 96 characters
  EndsInGit,     // ".git" at the end
};

struct RepoIdProblem {
  RepoIdRule rule;
  bool in_name = false;    // EmptyPart, BadStart, BadCharacter: the name part (else the org part)
  char character = '\0';   // BadStart, BadCharacter: the offending byte
  std::size_t length = 0;  // TooLong: the id's length
};

inline constexpr std::size_t kMaxRepoIdLength = 96;

// The first rule `id` breaks, or nullopt when it is a valid repo id.
std::optional<RepoIdProblem> repo_id_problem(std::string_view id);

// The problem in words, e.g. "it has no '/' (expected org/name)",
// "the name part contains ' ' (allowed: letters, digits, '.', '_', '-')".
std::string describe(const RepoIdProblem& problem);

// ok, or an Error (code "usage"): "'ID' is not a valid repository id: " + describe(...).
Status validate_repo_id(const std::string& id);

// A revision (branch, tag or commit) as it may appear in a URL path, a cache
// ref file and kernels.lock: git's ref-name rules (git check-ref-format),
// which also keep it inside refs/ of the HF cache. Nullopt when acceptable,
// else the rule broken in words ("contains \"..\"", ...).
inline constexpr std::size_t kMaxRevisionLength = 255;
std::optional<std::string> revision_problem(std::string_view revision);

}  // namespace kernels::hub
