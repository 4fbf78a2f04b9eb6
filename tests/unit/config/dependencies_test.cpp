#include <catch2/catch.hpp>

#include "check_test_support.hpp"
#include "config/dependencies.hpp"

using namespace kernels::config;
using namespace kernels::config::test;

TEST_CASE("hub_dependencies lists every Hub repo mention in source order with its pin", "[config][dependencies]") {
  auto r = check(
      "[[layer]]\nname = \"SiluAndMul\"\ndevice = \"cuda\"\nrepo = "
      "\"kernels-community/activation-hopper:SiluAndMul\"\nversion = 2\n"
      "[kernel_mapping]\nRMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n"
      "Custom = { repo = \"acme/custom:C\", revision = \"e5dcd4fe743b81fa2b065964ef9a108107496c4f\", trust_remote_code "
      "= true }\n"
      "[kernel_mapping.MoE]\ncuda = \"kernels-community/megablocks:MegaBlocksMoeMLP\"\n"
      "rocm = { repo = \"kernels-community/megablocks:MegaBlocksMoeMLP\", version = 1 }\n"
      "[[fusion]]\nrepo = \"acme/fused:RMSNormMLP\"\nmembers = [{ layer = \"RMSNorm\", path = \"m.l.*.n\" }]\n");
  REQUIRE_FALSE(has_errors(r.diagnostics));
  auto deps = hub_dependencies(r.config);
  REQUIRE(deps.size() == 6);
  CHECK(deps[0].repo_id == "kernels-community/activation-hopper");
  CHECK(deps[0].version == 2);
  CHECK(deps[0].section == "layer");
  CHECK(deps[0].device == "cuda");
  CHECK(deps[0].pos.line == 4);
  CHECK(deps[0].pos.column == 8);
  CHECK(pin_text(deps[0]) == "version 2");

  CHECK(deps[1].repo_id == "kernels-community/layer-norm");
  CHECK(deps[1].layer_name == "LlamaRMSNorm");
  CHECK(deps[1].version == 1);  // a bare repo string
  CHECK_FALSE(deps[1].revision);
  CHECK(deps[1].section == "kernel_mapping");
  CHECK(deps[1].layer == "RMSNorm");
  CHECK(deps[1].pos.line == 7);

  CHECK(deps[2].repo_id == "acme/custom");
  CHECK_FALSE(deps[2].version);
  CHECK(pin_text(deps[2]) == "revision e5dcd4fe743b81fa2b065964ef9a108107496c4f");
  CHECK(deps[2].trust_remote_code);

  CHECK(deps[3].device == "cuda");
  CHECK(deps[4].device == "rocm");
  CHECK(deps[4].pos.line == 11);
  CHECK(same_pin(deps[3], deps[4]));

  CHECK(deps[5].repo_id == "acme/fused");
  CHECK(deps[5].section == "fusion");
  CHECK(deps[5].layer == "RMSNormMLP");
  CHECK(deps[5].version == 1);
}

TEST_CASE("hub_dependencies leaves out local kernels", "[config][dependencies]") {
  auto r = check(
      "[kernel_config]\nuse_local_kernel = true\n[kernel_mapping]\nRMSNorm = \"/opt/kernels/norm:LlamaRMSNorm\"\n");
  REQUIRE_FALSE(has_errors(r.diagnostics));
  REQUIRE(r.config.mapping.size() == 1);
  CHECK(hub_dependencies(r.config).empty());
}

TEST_CASE("same_pin compares versions and revisions", "[config][dependencies]") {
  HubDependency a, b;
  a.version = 1;
  b.version = 1;
  CHECK(same_pin(a, b));
  b.version = 2;
  CHECK_FALSE(same_pin(a, b));
  b.version.reset();
  b.revision = "main";
  CHECK_FALSE(same_pin(a, b));
  a.version.reset();
  a.revision = "main";
  CHECK(same_pin(a, b));
}
