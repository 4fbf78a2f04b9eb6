// The Hub answers and names that reach lib/hub as text, through its public
// functions. The JSON decoders of refs, repo info and tree pages and the
// Link header parser are private to HubClient (client.cpp) and need a live
// HTTP exchange, so they are not reached here; the error-body decoder
// (server_message) is. The input is split at '\n' into up to four parts
// for the functions of several arguments.
#include <string>
#include <vector>

#include "hub/cache_writer.hpp"
#include "hub/config.hpp"
#include "hub/errors.hpp"
#include "hub/hf_cache.hpp"
#include "hub/repo_id.hpp"
#include "hub/retry.hpp"
#include "hub/url.hpp"
#include "hub/versions.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace hub = kernels::hub;
using kernels::fuzz::require;

namespace {

void urls(std::string_view text, std::string_view base, std::string_view location) {
  // quote() escapes '%' too, so unquoting gives the bytes back.
  require(hub::percent_decode(hub::percent_encode(text, "")) == text, "percent-decoding undoes percent-encoding");
  require(hub::percent_decode(hub::percent_encode(text)) == text, "the same with '/' kept");
  (void)hub::percent_decode(text);
  (void)hub::url_origin(text);
  (void)hub::resolve_location(base, location);
}

void names(const std::string& text, const std::vector<std::string_view>& parts) {
  if (auto problem = hub::repo_id_problem(text)) (void)hub::describe(*problem);
  (void)hub::validate_repo_id(text);
  (void)hub::repo_folder_name(text, hub::RepoType::Kernel);
  (void)hub::repo_folder_name(text, hub::RepoType::Model);
  (void)hub::is_commit_hash(text);
  (void)hub::is_blob_name(text);
  if (auto wait = hub::parse_retry_after(text)) require(wait->count() >= 0, "Retry-After is not negative");

  // Each part a branch name: version lookups over the refs they make.
  hub::Refs refs;
  for (auto part : parts) refs.branches.push_back(hub::GitRef{std::string(part), "", std::string(40, 'a')});
  (void)hub::versions_from_refs(refs);
  for (int version : {0, 1, 2}) (void)hub::resolve_version("org/name", refs, version);
}

void paths(std::string_view text, const std::vector<std::string_view>& parts) {
  if (hub::check_repo_path(text).ok()) (void)hub::blob_link_target(text, std::string(64, 'b'));
  std::vector<hub::TreeEntry> listing;
  for (auto part : parts) {
    hub::TreeEntry e;
    e.path = std::string(part);
    e.oid = std::string(part.substr(0, 40));
    e.size = part.size();
    if (part.size() % 2) e.lfs = hub::LfsInfo{e.path, e.size, 0};
    listing.push_back(std::move(e));
  }
  // The compact listing gives back exactly what went in (ids of any text).
  const hub::TreeListing compact = hub::TreeListing::from(listing);
  require(compact.size() == listing.size(), "every entry is kept");
  for (std::size_t i = 0; i < listing.size(); ++i) {
    const hub::TreeEntry back = compact[i].to_entry();
    require(back.path == listing[i].path && back.oid == listing[i].oid && back.size == listing[i].size &&
                back.lfs.has_value() == listing[i].lfs.has_value() &&
                (!back.lfs || (back.lfs->oid == listing[i].lfs->oid && back.lfs->size == listing[i].lfs->size)),
            "an entry round-trips through the compact listing");
  }
  (void)hub::tree_cache_json(compact);
}

// A failed response whose headers and body come from the input.
void errors(std::string_view text, const std::vector<std::string_view>& parts) {
  hub::HttpResponse response;
  response.status = text.empty() ? 0 : 400 + static_cast<unsigned char>(text[0]) % 200;
  response.headers = {{"x-error-code", std::string(parts[0])},
                      {"x-error-message", parts.size() > 2 ? std::string(parts[1]) : ""}};
  response.body = std::string(parts.back());
  (void)hub::server_message(response);
  hub::ErrorContext context{"https://huggingface.co",     "org/name", "main", std::string(parts.back()), "GET",
                            "https://huggingface.co/api", false,      2};
  (void)hub::hub_error(response, context);
}

// HF_* variables from "NAME=value" parts. Implicit tokens are off, so no
// token file is read: the target touches no file.
void environment(const std::vector<std::string_view>& parts) {
  std::vector<std::pair<std::string, std::string>> env{{"HF_HUB_DISABLE_IMPLICIT_TOKEN", "1"}};
  for (auto part : parts) {
    auto eq = part.find('=');
    if (eq != std::string_view::npos)
      env.emplace_back(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
  }
  auto lookup = [&env](const std::string& name) -> std::optional<std::string> {
    for (const auto& [key, value] : env)
      if (key == name) return value;
    return std::nullopt;
  };
  (void)hub::load_hub_config(lookup);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = kernels::fuzz::text_of(data, size);
  const auto parts = kernels::fuzz::split(text, '\n', 4);
  urls(text, parts[0], parts.size() > 1 ? parts[1] : "");
  names(std::string(text), parts);
  paths(text, parts);
  errors(text, parts);
  environment(parts);
  return 0;
}
