// [model], unknown keys, [[fusion]], [[layer]], version conflicts, bad input.
#include <catch2/catch.hpp>

#include "check_test_support.hpp"

using namespace kernels::config;
using namespace kernels::config::test;
using Strings = std::vector<std::string>;

namespace {

const std::string kModules =
    "[model]\n"
    "layers = [\"RMSNorm\", \"MLP\"]\n"
    "modules = [\"model\", \"model.layers\", \"model.layers.0\", \"model.layers.0.mlp\",\n"
    "  \"model.layers.0.post_attention_layernorm\", \"model.layers.1\", \"model.layers.1.mlp\",\n"
    "  \"model.layers.1.post_attention_layernorm\", \"model.norm\"]\n";  // 5 lines

std::string fusion(const std::string& first_path, const std::string& second_path) {
  return "[[fusion]]\nrepo = \"acme/fused:RMSNormMLP\"\nversion = 1\nmembers = [\n"
         "  { layer = \"RMSNorm\", path = \"" +
         first_path +
         "\" },\n"
         "  { layer = \"MLP\", path = \"" +
         second_path + "\" },\n]\n";
}

}  // namespace

TEST_CASE("check: unknown keys inside tables are warnings naming the nearest known key", "[config][check]") {
  std::string text =
      kModel +
      "[kernel_mapping]\n"
      "RMSNorm = { repo = \"org/r:X\", verison = 1, version = 1 }\n"
      "[[layer]]\nname = \"MLP\"\ndevice = \"cuda\"\nrepo = \"org/r:X\"\nversion = 1\ncapabilty = [80, 90]\n"
      "[extras]\n";
  auto r = check(text);
  std::string line4 = "RMSNorm = { repo = \"org/r:X\", verison = 1, version = 1 }";
  CHECK(
      rendered(r) ==
      Strings{diag(4, column_of(line4, "verison"), "warning", "unknown-key",
                   "unknown key 'verison' in the kernel table of 'RMSNorm'; did you mean 'version'?"),
              diag(10, 1, "warning", "unknown-key", "unknown key 'capabilty' in [[layer]]; did you mean 'capability'?"),
              // Issue 17: at the top level an unknown table is an error (see check_top_level_test.cpp).
              diag(11, 2, "error", "unknown-top-level", "unknown top-level table [extras]: nothing in it is read")});
  CHECK(r.diagnostics[2].hint ==
        "the top-level tables are [model], [kernel_config], [kernel_mapping], [[fusion]] and [[layer]]");
  r = check(kModel + "[kernel_mapping]\nRMSNorm = { repo = \"org/r:X\", verison = 1, version = 1 }\n");
  CHECK(rendered(r) ==
        Strings{diag(4, column_of(line4, "verison"), "warning", "unknown-key",
                     "unknown key 'verison' in the kernel table of 'RMSNorm'; did you mean 'version'?")});
  CHECK_FALSE(has_errors(r.diagnostics));
}

TEST_CASE("check: without [model] layers registration is not checked, said once as a note", "[config][check]") {
  auto r = check(
      "[kernel_mapping]\nAnything = \"org/r:X\"\nOther = \"org/r:Y\"\n[[layer]]\nname = \"Z\"\ndevice = \"cpu\"\nrepo "
      "= \"org/r:Z\"\nversion = 1\n");
  CHECK(rendered(r) == Strings{diag(1, 2, "note", "registration-unchecked",
                                    "layer registration was not checked: the file has no [model] layers")});
  CHECK_FALSE(has_errors(r.diagnostics));
}

TEST_CASE("check: [model] and [kernel_config] values of the wrong type", "[config][check]") {
  auto r = check(
      "[model]\nlayers = \"RMSNorm\"\nmodules = [\"a\", 1]\n[kernel_config]\nuse_local_kernel = "
      "\"yes\"\n[kernel_mapping]\nX = \"o/r:X\"\n");
  CHECK(rendered(r) ==
        Strings{diag(2, 10, "error", "wrong-type", "[model].layers must be an array of strings, not a string"),
                diag(3, 17, "error", "wrong-type",
                     "[model].modules must be an array of strings; this element is an integer"),
                diag(5, 20, "error", "wrong-type", "use_local_kernel must be true or false, not a string"),
                diag(6, 2, "note", "registration-unchecked",
                     "layer registration was not checked: the file has no [model] layers")});
}

TEST_CASE("check: a file that configures nothing is an error, an empty file too", "[config][check]") {
  // Issue 17: no-kernels was a warning, which let CI pass on a file that maps nothing.
  auto r = check(kModel);
  CHECK(rendered(r) ==
        Strings{diag(0, 0, "error", "no-kernels",
                     "no kernels are configured: the file has no [kernel_mapping] entries, [[fusion]] or "
                     "[[layer]]")});
  CHECK(r.diagnostics[0].hint ==
        "a minimal KernelConfig maps one layer to a Hub kernel:\n[kernel_mapping]\n"
        "RMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n"
        "([[layer]] and [[fusion]] entries configure kernels too; see kernels-check(1))");
  r = check("");
  CHECK(rendered(r) == Strings{diag(0, 0, "error", "empty-file", "the file is empty")});
  CHECK(r.diagnostics[0].hint.rfind("a minimal KernelConfig maps one layer to a Hub kernel:\n[kernel_mapping]\n", 0) ==
        0);
  r = check("  \n\n\t\n");
  CHECK(rendered(r) == Strings{diag(0, 0, "error", "empty-file", "the file is empty")});
}

TEST_CASE("check: bad input gets a syntax error with a position, never a crash", "[config][check]") {
  auto r = check("this is not toml\n");
  CHECK(rendered(r) ==
        Strings{diag(1, 6, "error", "syntax", "TOML syntax error: expected '=' after the key 'this', found 'i'")});
  r = check("[kernel_mapping]\nRMSNorm = \"ok\"\n\xFF\xFE\n");
  CHECK(rendered(r) ==
        Strings{diag(3, 1, "error", "syntax", "TOML syntax error: invalid UTF-8 (a TOML file must be UTF-8 encoded)")});
  std::string deep = "[kernel_mapping]\nRMSNorm = ";
  for (int i = 0; i < 10000; ++i) deep += "{ a = ";
  r = check(deep + "1\n");
  CHECK(rendered(r) == Strings{diag(2, 11 + 6 * 64, "error", "syntax",
                                    "TOML syntax error: arrays and inline tables nested more than 64 deep")});
  // A binary blob.
  std::string blob;
  for (int i = 0; i < 4096; ++i) blob += static_cast<char>((i * 7919) & 0x7F);
  r = check(blob);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "syntax");
}

TEST_CASE("check #44: a fusion whose pattern matches modules that have every child", "[config][check]") {
  auto r = check(kModules + fusion("model.layers.*.post_attention_layernorm", "model.layers.*.mlp"));
  CHECK(rendered(r).empty());
  REQUIRE(r.config.fusions.size() == 1);
  const auto& f = r.config.fusions[0];
  CHECK(f.kernel.repo_id == "acme/fused");
  CHECK(f.kernel.layer_name == "RMSNormMLP");
  CHECK(f.kernel.version == 1);
  REQUIRE(f.members.size() == 2);
  CHECK(f.members[0].layer == "RMSNorm");
  CHECK(f.members[1].path == "model.layers.*.mlp");
  CHECK(f.pos.line == 6);
}

TEST_CASE("check #45: a fusion pattern that matches no module", "[config][check]") {
  auto r = check(kModules + fusion("layers.*.post_attention_layernorm", "layers.*.mlp"));
  CHECK(rendered(r) == Strings{diag(10, 31, "error", "fusion-no-match",
                                    "No module matched pattern 'layers.\\\\w+' for fused kernel 'RMSNormMLP'. Provide "
                                    "the full dotted path from the model root.")});
}

TEST_CASE("check #46: fusion members with different parents", "[config][check]") {
  auto r = check(kModules + fusion("model.layers.*.post_attention_layernorm", "model.norm"));
  CHECK(rendered(r) == Strings{diag(11, 27, "error", "fusion-parents",
                                    "All patterns for a fused kernel must share the same parent module, got "
                                    "['model.layers.*.post_attention_layernorm', 'model.norm']")});
}

TEST_CASE("check #48: a matched module lacks a member's child", "[config][check]") {
  auto r = check(kModules + fusion("model.layers.*.post_attention_layernorm", "model.layers.*.mlpx"));
  CHECK(rendered(r) ==
        Strings{diag(9, 11, "error", "fusion-missing-child",
                     "Module 'model.layers.0' does not have the expected child modules "
                     "['post_attention_layernorm', 'mlpx'] required for the fused kernel 'RMSNormMLP'")});
  CHECK(r.diagnostics[0].hint == "2 of 2 modules matching 'model.layers.*' lack some of these children");
}

TEST_CASE("check #50: a fusion path without a dot, no members, no repo", "[config][check]") {
  auto r = check(kModules + fusion("model.layers.*.post_attention_layernorm", "mlp"));
  CHECK(rendered(r) == Strings{diag(11, 27, "error", "fusion-path",
                                    "fusion member path 'mlp' has no '.': a member is a child of a parent module")});
  r = check(kModules + "[[fusion]]\nrepo = \"acme/fused:RMSNormMLP\"\nmembers = []\n");
  CHECK(rendered(r) == Strings{diag(8, 11, "error", "fusion-no-members",
                                    "All patterns for a fused kernel must share the same parent module, got []")});
  r = check(kModules + "[[fusion]]\nmembers = [{ layer = \"Conv\", path = \"model.norm\" }]\n");
  CHECK(rendered(r) == Strings{diag(6, 1, "error", "missing-key", "[[fusion]] needs 'repo'"),
                               diag(7, 22, "error", "unregistered-layer",
                                    "Layer Conv is not registered in the model, please register it first using "
                                    "use_kernel_forward_from_hub")});
}

TEST_CASE("check: fusion written as a table instead of an array of tables", "[config][check]") {
  auto r = check(kModel + "[fusion]\nrepo = \"a/b:C\"\n");
  CHECK(rendered(r) == Strings{diag(3, 1, "error", "wrong-type",
                                    "'fusion' must be an array of tables, written [[fusion]], not a table")});
}

TEST_CASE("check: a valid [[layer]] entry", "[config][check]") {
  auto r =
      check(kModel +
            "[[layer]]\nname = \"MLP\"\ndevice = \"cuda\"\ncapability = [80, 89]\nmode = \"training+torch_compile\"\n"
            "repo = \"kernels-community/mlp:MLP\"\nrevision = \"v1.2\"\ntrust_remote_code = true\n");
  CHECK(rendered(r).empty());
  REQUIRE(r.config.layers.size() == 1);
  const auto& l = r.config.layers[0];
  CHECK(l.name == "MLP");
  CHECK(l.device == "cuda");
  CHECK(l.capability == std::optional<Capability>(Capability{80, 89}));
  CHECK(l.mode == Mode::TrainingCompile);
  CHECK(l.kernel.revision == std::optional<std::string>("v1.2"));
  CHECK(l.kernel.trust_remote_code);
  CHECK(l.pos.line == 3);
}

TEST_CASE("check #28, #29, #32, #33, #39: [[layer]] rules", "[config][check]") {
  auto r = check(kModel +
                 "[[layer]]\nname = \"MLP\"\ndevice = \"metal\"\ncapability = [90, 80]\nmode = \"inference+training\"\n"
                 "repo = \"org/r:X\"\n");
  CHECK(
      rendered(r) ==
      Strings{diag(3, 1, "error", "missing-version", "Either a revision or a version must be specified."),
              diag(5, 10, "error", "unknown-device", "Unknown device type: metal"),
              diag(6, 14, "error", "invalid-capability", "min_capability (90) must be <= max_capability (80)"),
              diag(7, 8, "error", "unknown-mode",
                   "unknown mode 'inference+training': one of fallback, inference, training, inference+torch_compile, "
                   "training+torch_compile")});
  CHECK(r.diagnostics[1].hint == "Apple GPUs are the device 'mps'");
  r = check(kModel +
            "[[layer]]\nname = \"MLP\"\ndevice = \"xpu\"\ncapability = [80]\nrepo = \"org/r:X\"\nversion = 1\n");
  CHECK(rendered(r) == Strings{diag(6, 14, "error", "invalid-capability",
                                    "capability must be [min, max]: two integers >= 0 (major*10+minor), got: [80]"),
                               diag(6, 14, "error", "capability-device",
                                    "capability ranges apply only to cuda and rocm devices, not to 'xpu'")});
  r = check(kModel + "[[layer]]\nname = \"Conv\"\n");
  CHECK(rendered(r) ==
        Strings{diag(3, 1, "error", "missing-key", "[[layer]] needs 'device'"),
                diag(3, 1, "error", "missing-key", "[[layer]] needs 'repo'"),
                diag(3, 1, "error", "missing-version", "Either a revision or a version must be specified."),
                diag(4, 8, "error", "unregistered-layer",
                     "Layer Conv is not registered in the model, please register it first using "
                     "use_kernel_forward_from_hub")});
}

TEST_CASE("check: two [[layer]] entries for the same name, device, capability and mode", "[config][check]") {
  std::string entry =
      "[[layer]]\nname = \"MLP\"\ndevice = \"cuda\"\nmode = \"inference\"\nrepo = \"org/r:X\"\nversion = 1\n";
  auto r = check(kModel + entry + entry);
  CHECK(rendered(r) ==
        Strings{diag(9, 1, "error", "duplicate-layer",
                     "this [[layer]] repeats the one at line 3 (same name, device, capability and mode)")});
  // A different mode or capability is not a duplicate.
  std::string other =
      "[[layer]]\nname = \"MLP\"\ndevice = \"cuda\"\nmode = \"training\"\nrepo = \"org/r:X\"\nversion = 1\n";
  CHECK(rendered(check(kModel + entry + other)).empty());
}

TEST_CASE("check rule 8: one repo id at two versions is a warning naming both places", "[config][check]") {
  auto r =
      check(kModel +
            "[kernel_mapping]\nRMSNorm = \"kernels-community/activation:A\"\n"
            "MLP = { repo = \"kernels-community/activation:B\", version = 1 }\n"
            "[[layer]]\nname = \"MLP\"\ndevice = \"cuda\"\nrepo = \"kernels-community/activation:C\"\nversion = 2\n"
            "[[layer]]\nname = \"RMSNorm\"\ndevice = \"cuda\"\nrepo = \"kernels-community/activation:C\"\nrevision = "
            "\"abc\"\n");
  CHECK(rendered(r) ==
        Strings{diag(9, 8, "warning", "version-conflict",
                     "kernels-community/activation is used at version 2 here and at version 1 on line 4"),
                diag(14, 8, "warning", "version-conflict",
                     "kernels-community/activation is used at revision abc here and at version 1 on line 4")});
  CHECK(r.diagnostics[0].hint == "kernels lock pins one commit per repo id and will refuse this file");
}

TEST_CASE("check: every problem is reported, in source order", "[config][check]") {
  auto r = check(kModel +
                 "[[layer]]\nname = \"MLP\"\ndevice = \"gpu\"\nrepo = \"org/r:X\"\nversion = 1\n"
                 "[kernel_mapping]\nRMSNorm = \"bad\"\nMLP = { cuda = 3 }\n");
  auto got = rendered(r);
  REQUIRE(got.size() == 3);
  CHECK(got[0] == diag(5, 10, "error", "unknown-device", "Unknown device type: gpu"));
  CHECK(got[1] == diag(9, 11, "error", "invalid-repo", m7("RMSNorm", "bad")));
  CHECK(got[2] == diag(10, 16, "error", "invalid-repo", m7("MLP", "3")));
}

TEST_CASE("check: with use_local_kernel, [[layer]] and [[fusion]] take paths and no version", "[config][check]") {
  const std::string local = "[kernel_config]\nuse_local_kernel = true\n";  // lines 3-4 after kModel
  auto r = check(kModel + local +
                 "[[layer]]\nname = \"MLP\"\ndevice = \"cuda\"\nrepo = \"/opt/kernels/mlp:MLP\"\n"
                 "[[fusion]]\nrepo = \"/opt/kernels/fused:RMSNormMLP\"\nmembers = [{ layer = \"RMSNorm\", path = "
                 "\"m.l.*.n\" }]\n");
  CHECK(rendered(r).empty());
  REQUIRE(r.config.layers.size() == 1);
  CHECK(r.config.layers[0].kernel.local);
  CHECK_FALSE(r.config.layers[0].kernel.version);
  REQUIRE(r.config.fusions.size() == 1);
  CHECK(r.config.fusions[0].kernel.repo_id == "/opt/kernels/fused");
  CHECK_FALSE(r.config.fusions[0].kernel.version);

  r = check(kModel + local +
            "[[layer]]\nname = \"MLP\"\ndevice = \"cuda\"\nrepo = \"/opt/kernels/mlp:MLP\"\nversion = 1\n");
  CHECK(rendered(r) ==
        Strings{diag(9, 1, "error", "local-metadata",
                     "a local kernel (use_local_kernel = true) has no version: it is loaded from its path as is")});
}
