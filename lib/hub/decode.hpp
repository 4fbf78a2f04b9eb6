// The Hub's answers decoded from bytes, apart from the transport, so that
// they are tested and fuzzed as text (tests/fuzz/hub_decode.cpp). Every
// decoder bounds the JSON's nesting first (util/json_depth.hpp) and checks
// what it passes on: ref names by git's rules, commits as 40 hex digits,
// sizes as whole numbers >= 0. A failure is an Error with code
// "bad-response" and a short reason ("the refs nest deeper than 64
// levels"); HubClient adds the request it was the answer to.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/config.hpp"
#include "hub/tree_listing.hpp"
#include "hub/types.hpp"
#include "util/result.hpp"

namespace kernels::hub {

// GET /api/{type}s/{repo}/refs: {"branches": [...], "tags": [...], "converts": [...]}.
Result<Refs> decode_refs(std::string_view body, const HubLimits& limits);

// GET /api/{type}s/{repo}[/revision/{rev}]: id, sha (required), author, lastModified, private, gated.
Result<RepoInfo> decode_repo_info(std::string_view body);

// One page of GET /api/{type}s/{repo}/tree/...: an array of {type, path, oid, size, lfs},
// appended to `listing` as it is decoded (a listing grows page by page; no page
// is held once decoded). A page that would take the listing past
// `max_entries` is refused before anything of it is added. On an error,
// `listing` holds an unspecified part of the page: the caller drops it.
Status append_tree_page(std::string_view body, TreeListing& listing, std::size_t max_entries);

// One page on its own (tests, fuzzing).
Result<TreeListing> decode_tree_page(std::string_view body);

// The URL of rel="next" in a Link header, or "" when there is none.
std::string next_link(std::string_view link_header);

// kernel-status.toml, written by the repository's owner: a redirect, read
// with the depth-bounded TOML reader, its destination checked as a repo id
// and its revision as a git ref. Errors (code "bad-status") say what is wrong
// and where: "org/old: kernel-status.toml:2:15: the destination is not a Hub
// repo id: ..." (line:column of the value; no position for a missing key).
Result<std::optional<Redirect>> parse_kernel_status(const std::string& text, const std::string& repo);

}  // namespace kernels::hub
