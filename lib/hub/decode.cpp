#include "hub/decode.hpp"

#include <nlohmann/json.hpp>

#include "config/toml.hpp"
#include "hub/hf_cache.hpp"
#include "hub/repo_id.hpp"
#include "util/json_depth.hpp"
#include "util/terminal_text.hpp"

namespace kernels::hub {
namespace {

using json = nlohmann::json;

Error bad(std::string why) { return Error{ErrorCode::bad_response, std::move(why)}; }

// Nesting bounded, then parsed without exceptions; `what` names the document.
Result<json> parse_answer(std::string_view text, const char* what) {
  if (json_too_deep(text, kMaxJsonDepth)) {
    return bad(std::string(what) + " nest deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return bad(std::string(what) + " are not valid JSON");
  return j;
}

// A size as the Hub sends it: a whole number >= 0. Anything else (negative,
// fractional, a string) is a bad answer, never a silent 0.
std::optional<std::uint64_t> to_u64(const json& j) {
  if (j.is_number_unsigned()) return j.get<std::uint64_t>();
  if (j.is_number_integer() && j.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(j.get<std::int64_t>());
  return std::nullopt;
}

Result<std::vector<GitRef>> ref_list(const json& j, const char* key, std::size_t max_refs) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return bad(std::string("no \"") + key + "\" list in the refs");
  if (it->size() > max_refs) return bad("more than " + std::to_string(max_refs) + " refs in \"" + key + "\"");
  std::vector<GitRef> out;
  for (const auto& item : *it) {
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string() || !item.contains("targetCommit") ||
        !item["targetCommit"].is_string()) {
      return bad(std::string("a ref in \"") + key + "\" lacks name or targetCommit");
    }
    std::string ref_path = item.contains("ref") && item["ref"].is_string() ? item["ref"].get<std::string>() : "";
    GitRef ref{item["name"].get<std::string>(), ref_path, item["targetCommit"].get<std::string>()};
    // Ref names become URL paths and files under refs/ of the HF cache.
    if (auto why = revision_problem(ref.name)) return bad("a ref name " + *why);
    if (!is_commit_hash(ref.target_commit)) return bad("the ref " + ref.name + " has no 40-hex targetCommit");
    out.push_back(std::move(ref));
  }
  return out;
}

std::string string_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A value from the file, as written (control characters escaped, long ones cut).
std::string shown(const std::string& text) { return text.size() <= 80 ? escape_control(text) : one_line(text, 80); }

}  // namespace

Result<Refs> decode_refs(std::string_view body, const HubLimits& limits) {
  auto parsed = parse_answer(body, "the refs");
  if (!parsed.ok()) return parsed.error();
  const json& j = *parsed;
  if (!j.is_object()) return bad("the refs are not a JSON object");
  Refs refs;
  auto branches = ref_list(j, "branches", limits.refs);
  if (!branches.ok()) return branches.error();
  auto tags = ref_list(j, "tags", limits.refs);
  if (!tags.ok()) return tags.error();
  refs.branches = std::move(*branches);
  refs.tags = std::move(*tags);
  if (j.contains("converts")) {
    auto converts = ref_list(j, "converts", limits.refs);
    if (!converts.ok()) return converts.error();
    refs.converts = std::move(*converts);
  }
  return refs;
}

Result<RepoInfo> decode_repo_info(std::string_view body) {
  auto parsed = parse_answer(body, "the repository info");
  if (!parsed.ok()) return parsed.error();
  const json& j = *parsed;
  if (!j.is_object()) return bad("the repository info is not a JSON object");
  if (!j.contains("id") || !j["id"].is_string()) return bad("the repository info has no \"id\"");
  RepoInfo info;
  info.id = j["id"].get<std::string>();
  if (auto why = repo_id_problem(info.id))
    return bad("the repository info's \"id\" is not a repo id: " + describe(*why));
  info.sha = string_field(j, "sha");
  // Shown by `kernels info`, used for nothing else: kept to one bounded line.
  info.author = one_line(string_field(j, "author"), 200);
  info.last_modified = one_line(string_field(j, "lastModified"), 64);
  if (j.contains("private") && j["private"].is_boolean()) info.is_private = j["private"].get<bool>();
  info.gated = one_line(string_field(j, "gated"), 64);
  if (!is_commit_hash(info.sha)) return bad("the repository info has no commit \"sha\"");
  return info;
}

Status append_tree_page(std::string_view body, TreeListing& listing, std::size_t max_entries) {
  auto parsed = parse_answer(body, "the tree page's entries");
  if (!parsed.ok()) return parsed.error();
  const json& j = *parsed;
  if (!j.is_array()) return bad("a tree page is not a JSON array");
  if (listing.size() + j.size() > max_entries) {
    return bad("the tree has more than " + std::to_string(max_entries) + " entries");
  }
  static const std::string kNone;
  auto text = [](const json& item, const char* key) -> const std::string& {
    auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get_ref<const std::string&>() : kNone;
  };
  for (const auto& item : j) {
    if (!item.is_object() || !item.contains("path") || !item["path"].is_string() || !item.contains("type")) {
      return bad("a tree entry lacks \"path\" or \"type\"");
    }
    const std::string& path = item["path"].get_ref<const std::string&>();
    const bool is_directory = item["type"] != "file";
    const std::string& oid = text(item, "oid");
    if (!is_directory && (oid.empty() || !item.contains("size"))) {
      return bad("the tree entry " + path + " lacks \"oid\" or \"size\"");
    }
    std::uint64_t size = 0;
    if (item.contains("size")) {
      auto parsed_size = to_u64(item["size"]);
      if (!parsed_size) return bad("the size of " + path + " is not a whole number >= 0");
      size = *parsed_size;
    }
    if (item.contains("lfs") && item["lfs"].is_object()) {
      const auto& l = item["lfs"];
      if (!l.contains("oid") || !l["oid"].is_string()) return bad("the LFS entry " + path + " lacks \"oid\"");
      auto lfs_size = to_u64(l.contains("size") ? l["size"] : json(0));
      auto pointer_size = to_u64(l.contains("pointerSize") ? l["pointerSize"] : json(0));
      if (!lfs_size || !pointer_size) return bad("the LFS sizes of " + path + " are not whole numbers >= 0");
      listing.add_lfs(is_directory, path, oid, size, l["oid"].get_ref<const std::string&>(), *lfs_size, *pointer_size);
    } else {
      listing.add(is_directory, path, oid, size);
    }
  }
  return ok_status();
}

Result<TreeListing> decode_tree_page(std::string_view body) {
  TreeListing listing;
  if (auto st = append_tree_page(body, listing, SIZE_MAX); !st.ok()) return st.error();
  return listing;
}

std::string next_link(std::string_view link) {
  std::size_t pos = 0;
  while (pos < link.size()) {
    auto open = link.find('<', pos);
    if (open == std::string_view::npos) break;
    auto close = link.find('>', open);
    if (close == std::string_view::npos) break;
    auto end = link.find(',', close);
    std::string_view params =
        link.substr(close + 1, end == std::string_view::npos ? std::string_view::npos : end - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos || params.find("rel=next") != std::string_view::npos) {
      return std::string(link.substr(open + 1, close - open - 1));
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return {};
}

// kernel-status.toml is written by the repository's owner, not by us: it goes
// through the project's depth-bounded TOML reader, and what it names is
// checked before it becomes a repo id in a URL or in kernels.lock. Every
// error names the repo, then the file with the line:column of the value at
// fault ("org/old: kernel-status.toml:2:15: ..."), as pyproject errors do; a
// key that is missing has no position. Keys other than kind, destination and
// revision are ignored, as the kernels library ignores them (status.py reads
// the three with dict.get).
Result<std::optional<Redirect>> parse_kernel_status(const std::string& text, const std::string& repo) {
  auto fail = [&repo](std::optional<toml::Pos> pos, const std::string& why) {
    std::string where = repo + ": kernel-status.toml";
    if (pos) where += ":" + std::to_string(pos->line) + ":" + std::to_string(pos->column);
    return Error{ErrorCode::bad_status, where + ": " + why};
  };
  auto parsed = toml::parse(text);
  if (auto* err = std::get_if<toml::SyntaxError>(&parsed))
    return fail(err->pos, "not valid TOML: " + one_line(err->message, 300));
  const toml::Value& data = std::get<toml::Value>(parsed);
  const toml::Value* kind = data.find("kind");
  if (kind == nullptr) return fail(std::nullopt, "has no \"kind\"; a redirect says kind = \"redirect\"");
  if (!kind->is_string()) return fail(kind->pos, "kind must be \"redirect\", not " + toml::type_name(kind->type));
  if (kind->text != "redirect") return fail(kind->pos, "kind must be \"redirect\", not \"" + shown(kind->text) + "\"");
  const toml::Value* destination = data.find("destination");
  if (destination == nullptr) return fail(std::nullopt, "a redirect needs destination = \"org/name\"");
  if (!destination->is_string())
    return fail(destination->pos,
                "destination must be a string \"org/name\", not " + toml::type_name(destination->type));
  if (destination->text.empty()) return fail(destination->pos, "destination is empty; write \"org/name\"");
  if (auto why = repo_id_problem(destination->text))
    return fail(destination->pos, "the destination is not a Hub repo id: " + describe(*why));
  Redirect r;
  r.destination = destination->text;
  if (const toml::Value* revision = data.find("revision")) {
    if (!revision->is_string())
      return fail(revision->pos, "revision must be a string, not " + toml::type_name(revision->type));
    if (auto why = revision_problem(revision->text)) return fail(revision->pos, "the revision " + *why);
    r.revision = revision->text;
  }
  return std::optional<Redirect>{r};
}

}  // namespace kernels::hub
