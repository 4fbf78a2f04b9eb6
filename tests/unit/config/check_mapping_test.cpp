// [kernel_mapping]: the cases of transformers' KernelConfig tests that a
// TOML file can express, translated to TOML, plus the spec's extra rules.
#include <catch2/catch.hpp>

#include "check_test_support.hpp"

using namespace kernels::config;
using namespace kernels::config::test;
using Strings = std::vector<std::string>;

TEST_CASE("check #1: a bare repo string means version 1", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nRMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n");
  CHECK(rendered(r).empty());
  REQUIRE(r.config.mapping.size() == 1);
  const auto& k = *r.config.mapping[0].kernel;
  CHECK(k.repo_id == "kernels-community/layer-norm");
  CHECK(k.layer_name == "LlamaRMSNorm");
  CHECK(k.version == 1);
  CHECK_FALSE(k.revision);
  CHECK_FALSE(k.trust_remote_code);
  CHECK(k.pos.line == 4);
  CHECK(k.pos.column == 11);
}

TEST_CASE("check #2 and #3: the table form carries version, or revision and trust_remote_code", "[config][check]") {
  auto r = check(kModel +
                 "[kernel_mapping]\n"
                 "RMSNorm = { repo = \"kernels-community/layer-norm:LlamaRMSNorm\", version = 1 }\n"
                 "MLP = { repo = \"AntonV/dummy-rmsnorm-kernel-with-init:CustomRMSNorm\", "
                 "revision = \"e5dcd4fe743b81fa2b065964ef9a108107496c4f\", trust_remote_code = true }\n");
  CHECK(rendered(r).empty());
  REQUIRE(r.config.mapping.size() == 2);
  CHECK(r.config.mapping[0].kernel->version == 1);
  const auto& k = *r.config.mapping[1].kernel;
  CHECK(k.repo_id == "AntonV/dummy-rmsnorm-kernel-with-init");
  CHECK_FALSE(k.version);
  CHECK(k.revision == std::optional<std::string>("e5dcd4fe743b81fa2b065964ef9a108107496c4f"));
  CHECK(k.trust_remote_code);
}

TEST_CASE("check #4: a layer the model does not register (M2)", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nRMSNorm1 = \"kernels-community/layer-norm:LlamaRMSNorm\"\n");
  CHECK(rendered(r) == Strings{diag(4, 1, "error", "unregistered-layer",
                                    "Layer RMSNorm1 is not registered in the model, please register it first using "
                                    "use_kernel_forward_from_hub")});
  CHECK(r.diagnostics[0].hint == "did you mean 'RMSNorm'? ([model].layers lists the registered names)");
}

TEST_CASE("check #5: a value of the wrong type (M8)", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nRMSNorm = 1\n");
  CHECK(rendered(r) == Strings{diag(4, 11, "error", "invalid-mapping",
                                    "Kernel mapping must follow the format: " + kMappingFormat + ", got: 1")});
  r = check(kModel + "[kernel_mapping]\nRMSNorm = [\"a/b:X\", true, 1.5]\n");
  CHECK(rendered(r) ==
        Strings{diag(4, 11, "error", "invalid-mapping",
                     "Kernel mapping must follow the format: " + kMappingFormat + ", got: ['a/b:X', True, 1.5]")});
}

TEST_CASE("check #6: kernel_mapping that is not a table (M1)", "[config][check]") {
  auto r = check("kernel_mapping = [\"RMSNorm\"]\n" + kModel);  // top-level key: before [model]
  CHECK(rendered(r) == Strings{diag(1, 18, "error", "mapping-not-table",
                                    "Kernel mapping must be a dict of the following format: " + kMappingFormat +
                                        ", got: <class 'list'>")});
}

TEST_CASE("check #7: registration is reported before the shape, and both are reported", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nFoo = 1\n");
  CHECK(
      rendered(r) ==
      Strings{
          diag(4, 1, "error", "unregistered-layer",
               "Layer Foo is not registered in the model, please register it first using use_kernel_forward_from_hub"),
          diag(4, 7, "error", "invalid-mapping",
               "Kernel mapping must follow the format: " + kMappingFormat + ", got: 1")});
}

TEST_CASE("check #8, #9, #10: repo strings without '/' or ':' (M7)", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nRMSNorm = \"kernels-community/layer-norm\"\n");
  CHECK(rendered(r) == Strings{diag(4, 11, "error", "invalid-repo", m7("RMSNorm", "kernels-community/layer-norm"))});
  r = check(kModel + "[kernel_mapping]\nRMSNorm = \"layer-norm:LlamaRMSNorm\"\n");
  CHECK(rendered(r) == Strings{diag(4, 11, "error", "invalid-repo", m7("RMSNorm", "layer-norm:LlamaRMSNorm"))});
  r = check(kModel + "[kernel_mapping]\nRMSNorm = \"\"\n");
  CHECK(rendered(r) == Strings{diag(4, 11, "error", "invalid-repo", m7("RMSNorm", ""))});
}

TEST_CASE("check #11, #12: devices KernelConfig does not accept (M3)", "[config][check]") {
  for (std::string device : {"metal", "mps", "cpu"}) {
    std::string line = "RMSNorm = { " + device + " = \"org/r:X\" }";
    auto r = check(kModel + "[kernel_mapping]\n" + line + "\n");
    CHECK(rendered(r) == Strings{diag(4, 13, "error", "unsupported-device",
                                      "Only cuda, rocm, xpu, npu, neuron and tpu devices supported, got: " + device)});
  }
}

TEST_CASE("check #13: the per-device form keeps every device", "[config][check]") {
  auto r = check(kModel +
                 "[kernel_mapping.RMSNorm]\ncuda = \"kernels-community/layer-norm:LlamaRMSNorm\"\n"
                 "rocm = { repo = \"kernels-community/layer-norm-rocm:LlamaRMSNorm\", version = 2 }\n");
  CHECK(rendered(r).empty());
  REQUIRE(r.config.mapping.size() == 1);
  const auto& m = r.config.mapping[0];
  CHECK_FALSE(m.kernel);
  REQUIRE(m.per_device.size() == 2);
  CHECK(m.per_device[0].first == "cuda");
  CHECK(m.per_device[0].second.version == 1);
  CHECK(m.per_device[1].first == "rocm");
  CHECK(m.per_device[1].second.version == 2);
  CHECK(m.pos.line == 3);
  CHECK(m.pos.column == 17);
}

TEST_CASE("check #15: a mode table under a device (M7 with the Python dict)", "[config][check]") {
  std::string line = "RMSNorm = { cuda = { inference = \"org/r:X\" } }";
  auto r = check(kModel + "[kernel_mapping]\n" + line + "\n");
  CHECK(rendered(r) == Strings{diag(4, column_of(line, "{ inference"), "error", "invalid-repo",
                                    m7("RMSNorm", "{'inference': 'org/r:X'}"))});
}

TEST_CASE("check #17: trust_remote_code that is not a boolean (M5)", "[config][check]") {
  std::string line = "RMSNorm = { repo = \"org/r:X\", version = 1, trust_remote_code = \"yes\" }";
  auto r = check(kModel + "[kernel_mapping]\n" + line + "\n");
  CHECK(rendered(r) == Strings{diag(4, column_of(line, "\"yes\""), "error", "trust-remote-code-type",
                                    "Expected a bool value for `trust_remote_code` but got yes")});
}

TEST_CASE("check #18: a table with repo but neither version nor revision (M6)", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nRMSNorm = { repo = \"org/r:X\" }\n");
  CHECK(rendered(r) ==
        Strings{diag(4, 11, "error", "missing-version",
                     "Expected valid combination for version/revision (mutually exclusive but one of "
                     "them) to be passed when passed as tuple, but got revision= None and version= None")});
}

TEST_CASE("check #19: both version and revision (the kernels library's message)", "[config][check]") {
  std::string line = "RMSNorm = { repo = \"org/r:X\", version = 1, revision = \"main\" }";
  auto r = check(kModel + "[kernel_mapping]\n" + line + "\n");
  CHECK(rendered(r) == Strings{diag(4, column_of(line, "revision"), "error", "version-and-revision",
                                    "Either a revision or a version must be specified, not both.")});
}

TEST_CASE("check #21: a second ':' leaves a layer name that is not an identifier", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nRMSNorm = \"a/b:c:d\"\n");
  CHECK(rendered(r) == Strings{diag(4, 11, "error", "invalid-layer-name",
                                    "'c:d' (after the first ':' in 'a/b:c:d') is not a Python identifier, so it "
                                    "cannot name a layer in the kernel")});
}

TEST_CASE("check #22: an empty per-device table is a warning", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nRMSNorm = {}\n");
  CHECK(rendered(r) ==
        Strings{diag(4, 1, "warning", "empty-mapping", "'RMSNorm' maps no device, so it has no kernel anywhere")});
  CHECK_FALSE(has_errors(r.diagnostics));
}

TEST_CASE("check #25, #27: local kernels need an absolute path and a ':'", "[config][check]") {
  const std::string local = "[kernel_config]\nuse_local_kernel = true\n[kernel_mapping]\n";
  auto r = check(kModel + local + "RMSNorm = \"/abs/path/kernel:LlamaRMSNorm\"\n");
  CHECK(rendered(r).empty());
  REQUIRE(r.config.mapping.size() == 1);
  CHECK(r.config.mapping[0].kernel->local);
  CHECK(r.config.mapping[0].kernel->repo_id == "/abs/path/kernel");
  CHECK_FALSE(r.config.mapping[0].kernel->version);

  r = check(kModel + local + "RMSNorm = \"layer_norm:X\"\n");
  CHECK(rendered(r) == Strings{diag(6, 11, "error", "invalid-repo", m7("RMSNorm", "layer_norm:X"))});

  r = check(kModel + local + "RMSNorm = \"rel/path:X\"\n");
  CHECK(rendered(r) ==
        Strings{diag(6, 11, "error", "local-path",
                     "with use_local_kernel = true the part before ':' must be an absolute path, got: rel/path")});

  r = check(kModel + local + "RMSNorm = { repo = \"/abs/k:X\", version = 1 }\n");
  CHECK(rendered(r) ==
        Strings{diag(6, 11, "error", "local-metadata",
                     "with use_local_kernel = true a kernel is a plain \"/abs/path:Layer\" string, not a table")});
}

TEST_CASE("check: a Hub repo id must be a valid org/name", "[config][check]") {
  auto one = [](const std::string& repo) {
    auto r = check(kModel + "[kernel_mapping]\nRMSNorm = \"" + repo + "\"\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "invalid-repo-id");
    CHECK(r.diagnostics[0].line == 4);
    CHECK(r.diagnostics[0].column == 11);
    return r.diagnostics[0].message;
  };
  CHECK(one("a--b/c:X") == "'a--b/c' is not a valid Hub repo id: a repo id cannot contain '--'");
  CHECK(one("a/b..c:X") == "'a/b..c' is not a valid Hub repo id: a repo id cannot contain '..'");
  CHECK(one("a/b/c:X") == "'a/b/c' is not a valid Hub repo id: a repo id has exactly one '/' (org/name)");
  CHECK(one("a/kernel.git:X") == "'a/kernel.git' is not a valid Hub repo id: a repo id cannot end in '.git'");
  CHECK(one("-a/b:X") == "'-a/b' is not a valid Hub repo id: the organisation must start with a letter or digit");
  CHECK(one("a/b c:X") ==
        "'a/b c' is not a valid Hub repo id: the repository name may contain only letters, digits, '.', '_' and '-'");
  CHECK(one("/abs/path:X") == "'/abs/path' is not a valid Hub repo id: a repo id has exactly one '/' (org/name)");
  std::string long_id = "org/" + std::string(93, 'n');  // 97 characters
  CHECK(one(long_id + ":X") ==
        "'" + long_id + "' is not a valid Hub repo id: a repo id is at most 96 characters long (this one has 97)");
  auto ok = check(kModel + "[kernel_mapping]\nRMSNorm = \"org/" + std::string(92, 'n') + ":X\"\n");
  CHECK(rendered(ok).empty());
}

TEST_CASE("check: the layer name after ':' must be a Python identifier", "[config][check]") {
  auto r = check(kModel + "[kernel_mapping]\nRMSNorm = \"org/repo:2Norm\"\nMLP = \"org/repo:class\"\n");
  CHECK(rendered(r) == Strings{diag(4, 11, "error", "invalid-layer-name",
                                    "'2Norm' (after the first ':' in 'org/repo:2Norm') is not a Python identifier, so "
                                    "it cannot name a layer in the kernel"),
                               diag(5, 7, "error", "invalid-layer-name",
                                    "'class' (after the first ':' in 'org/repo:class') is not a Python identifier, so "
                                    "it cannot name a layer in the kernel")});
}

TEST_CASE("check: version must be an integer >= 1 and revision a non-empty string", "[config][check]") {
  std::string a = "RMSNorm = { repo = \"org/r:X\", version = 0 }";
  std::string b = "MLP = { repo = \"org/r:X\", version = \"1\" }";
  std::string c = "rotary_pos_emb = { repo = \"org/r:X\", revision = \"\" }";
  auto r = check(kModel + "[kernel_mapping]\n" + a + "\n" + b + "\n" + c + "\n");
  CHECK(rendered(r) ==
        Strings{diag(4, column_of(a, "0"), "error", "invalid-version", "version must be an integer >= 1, got: 0"),
                diag(5, column_of(b, "\"1\""), "error", "invalid-version", "version must be an integer >= 1, got: 1"),
                diag(6, column_of(c, "\"\""), "error", "invalid-revision",
                     "revision must be a non-empty string (a branch, tag or commit sha), got: ''")});
}

TEST_CASE("check: a typo'd repo key makes a device table, the hint says so", "[config][check]") {
  std::string line = "RMSNorm = { rpeo = \"org/r:X\", version = 1 }";
  auto r = check(kModel + "[kernel_mapping]\n" + line + "\n");
  CHECK(rendered(r) == Strings{diag(4, 13, "error", "unsupported-device",
                                    "Only cuda, rocm, xpu, npu, neuron and tpu devices supported, got: rpeo"),
                               diag(4, column_of(line, "version"), "error", "unsupported-device",
                                    "Only cuda, rocm, xpu, npu, neuron and tpu devices supported, got: version")});
  CHECK(r.diagnostics[0].hint == "did you mean 'repo'? Without it the table is read as a per-device mapping");
  CHECK(r.diagnostics[1].hint ==
        "a table with a version, revision or trust_remote_code needs repo = \"org/repo:Layer\"");
}
