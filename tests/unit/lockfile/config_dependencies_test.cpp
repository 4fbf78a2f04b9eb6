#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "lockfile/config_dependencies.hpp"

using kernels::ErrorCode;

using kernels::lockfile::dependencies_from_config;

namespace {

kernels::config::Config parse(const std::string& text) {
  auto checked = kernels::config::check_config("k.toml", text);
  return checked.config;
}

}  // namespace

TEST_CASE("dependencies_from_config: every Hub repo once, in source order, bare strings at version 1",
          "[lockfile][config]") {
  auto deps =
      dependencies_from_config(parse("[kernel_mapping]\n"
                                     "RMSNorm = \"org/norm:RMSNorm\"\n"
                                     "Silu = { repo = \"org/act:Silu\", revision = \"v0.2\" }\n"
                                     "Norm2 = { repo = \"org/norm:Other\", version = 1 }\n"
                                     "Local = { repo = \"/opt/k:L\", use_local_kernel = true }\n"
                                     "[[layer]]\n"
                                     "name = \"Attn\"\n"
                                     "device = \"cuda\"\n"
                                     "repo = \"org/attn:Attn\"\n"
                                     "version = 3\n"));
  REQUIRE(deps.ok());
  REQUIRE(deps->size() == 3);
  CHECK((*deps)[0].repo_id == "org/norm");
  CHECK((*deps)[0].version == 1u);
  CHECK((*deps)[0].where == "k.toml:2:11");
  CHECK((*deps)[1].repo_id == "org/act");
  CHECK((*deps)[1].revision == "v0.2");
  CHECK_FALSE((*deps)[1].version);
  CHECK((*deps)[2].repo_id == "org/attn");
  CHECK((*deps)[2].version == 3u);
}

TEST_CASE("dependencies_from_config: one repo at two versions names both places", "[lockfile][config]") {
  auto deps =
      dependencies_from_config(parse("[kernel_mapping]\n"
                                     "A = \"org/norm:A\"\n"
                                     "B = { repo = \"org/norm:B\", version = 2 }\n"
                                     "C = { repo = \"org/norm:C\", revision = \"main\" }\n"));
  REQUIRE_FALSE(deps.ok());
  CHECK(deps.error().code == ErrorCode::dependency);
  CHECK(deps.error().message ==
        "k.toml:3:14: org/norm is asked for at version 2 here and at version 1 at k.toml:2:5; a lock pins one "
        "commit per repo, so use one version or revision for it\n"
        "k.toml:4:14: org/norm is asked for at revision main here and at version 1 at k.toml:2:5; a lock pins one "
        "commit per repo, so use one version or revision for it");
}
