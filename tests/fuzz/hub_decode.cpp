// The Hub answer decoders (hub/decode.hpp) on arbitrary bytes: the first
// byte picks refs, repository info, a tree page or a Link header; the rest is
// the body. Whatever is accepted must hold what the decoders promise.
#include <string>

#include "hub/decode.hpp"
#include "hub/hf_cache.hpp"
#include "hub/repo_id.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::ErrorCode;

using kernels::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view body = kernels::fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto refs = kernels::hub::decode_refs(body, kernels::hub::HubLimits{});
      if (!refs.ok()) {
        require(refs.error().code == ErrorCode::bad_response, "refs errors are bad-response");
        break;
      }
      for (const auto* list : {&refs->branches, &refs->tags, &refs->converts}) {
        for (const auto& r : *list) {
          require(!kernels::hub::revision_problem(r.name), "accepted ref names are valid");
          require(kernels::hub::is_commit_hash(r.target_commit), "accepted commits are 40 hex");
        }
      }
      break;
    }
    case 1: {
      auto info = kernels::hub::decode_repo_info(body);
      if (info.ok()) require(kernels::hub::is_commit_hash(info->sha), "accepted info has a commit");
      break;
    }
    case 2: {
      auto page = kernels::hub::decode_tree_page(body);
      if (page.ok()) {
        for (const auto& e : *page) require(e.is_directory || !e.oid.empty(), "files have an oid");
      }
      break;
    }
    default: {
      std::string next = kernels::hub::next_link(body);
      require(next.size() <= body.size(), "the link is part of the header");
      break;
    }
  }
  return 0;
}
