// Issue 17: an unknown top-level table or key is an error with a did-you-mean
// (unknown keys inside tables stay warnings, spec rule 2), and a file that
// configures nothing is an error (no-kernels) whose hint shows a minimal mapping.
#include <catch2/catch.hpp>

#include "check_test_support.hpp"

using namespace kernels::config;
using namespace kernels::config::test;
using Strings = std::vector<std::string>;

TEST_CASE("check: a misspelt [kernel_mapping] is one error naming the table meant", "[config][check][top-level]") {
  auto r = check("[kernel_maping]\nRMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n");
  // Not also no-kernels: the one fault gets one error.
  CHECK(rendered(r) == Strings{diag(1, 2, "error", "unknown-top-level",
                                    "unknown top-level table [kernel_maping]: nothing in it is read; did you mean "
                                    "[kernel_mapping]?")});
  CHECK(r.diagnostics[0].hint.empty());
  CHECK(has_errors(r.diagnostics));
  CHECK(r.config.mapping.empty());
}

TEST_CASE("check: the nearest top-level table despite case, separators and dots", "[config][check][top-level]") {
  auto message = [](const std::string& text) {
    auto r = check(text);
    REQUIRE_FALSE(r.diagnostics.empty());
    CHECK(r.diagnostics[0].code == "unknown-top-level");
    CHECK(r.diagnostics[0].severity == Severity::Error);
    return std::to_string(r.diagnostics[0].line) + ":" + std::to_string(r.diagnostics[0].column) + " " +
           r.diagnostics[0].message;
  };
  CHECK(message("[KernelMapping]\nA = \"o/r:A\"\n") ==
        "1:2 unknown top-level table [KernelMapping]: nothing in it is read; did you mean [kernel_mapping]?");
  CHECK(message("[kernel-mapping]\nA = \"o/r:A\"\n") ==
        "1:2 unknown top-level table [kernel-mapping]: nothing in it is read; did you mean [kernel_mapping]?");
  CHECK(message("# a comment\n[kernel.mapping]\nA = \"o/r:A\"\n") ==
        "2:2 unknown top-level table [kernel.mapping]: nothing in it is read; did you mean [kernel_mapping]?");
  CHECK(message("[[layers]]\nname = \"A\"\ndevice = \"cuda\"\nrepo = \"o/r:A\"\nversion = 1\n") ==
        "1:3 unknown top-level table [[layers]]: nothing in it is read; did you mean [[layer]]?");
  CHECK(message("[[fusions]]\nrepo = \"o/r:F\"\n") ==
        "1:3 unknown top-level table [[fusions]]: nothing in it is read; did you mean [[fusion]]?");
  CHECK(message("[modle]\nlayers = [\"A\"]\n[kernel_mapping]\nA = \"o/r:A\"\n") ==
        "1:2 unknown top-level table [modle]: nothing in it is read; did you mean [model]?");
  CHECK(message("[kernel_configs]\nuse_local_kernel = true\n") ==
        "1:2 unknown top-level table [kernel_configs]: nothing in it is read; did you mean [kernel_config]?");
  // Keys that belong inside a table, written above it.
  CHECK(message("use_local_kernel = true\n[kernel_mapping]\nA = \"/opt/k:A\"\n") ==
        "1:1 unknown top-level key 'use_local_kernel': it is not read; did you mean use_local_kernel under "
        "[kernel_config]?");
  CHECK(message("layers = [\"A\"]\n[kernel_mapping]\nA = \"o/r:A\"\n") ==
        "1:1 unknown top-level key 'layers': it is not read; did you mean layers under [model]?");
  CHECK(message("kernel_maping.A = \"o/r:A\"\n") ==
        "1:1 unknown top-level key 'kernel_maping': it is not read; did you mean [kernel_mapping]?");
}

TEST_CASE("check: an unknown top-level table with nothing near lists the tables", "[config][check][top-level]") {
  auto r = check("[kernel_mapping]\nA = \"o/r:A\"\n[extras]\nx = 1\n");
  CHECK(rendered(r) ==
        Strings{diag(1, 2, "note", "registration-unchecked",
                     "layer registration was not checked: the file has no [model] layers"),
                diag(3, 2, "error", "unknown-top-level", "unknown top-level table [extras]: nothing in it is read")});
  CHECK(r.diagnostics[1].hint ==
        "the top-level tables are [model], [kernel_config], [kernel_mapping], [[fusion]] and [[layer]]");
  // What is known is still read.
  REQUIRE(r.config.mapping.size() == 1);
  CHECK(r.config.mapping[0].layer == "A");
}

TEST_CASE("check: unknown keys inside tables stay warnings", "[config][check][top-level]") {
  auto r = check(kModel + "modules_x = [\"a\"]\n[kernel_mapping]\nRMSNorm = \"o/r:X\"\n");
  CHECK(rendered(r) ==
        Strings{diag(3, 1, "warning", "unknown-key", "unknown key 'modules_x' in [model]; did you mean 'modules'?")});
  CHECK_FALSE(has_errors(r.diagnostics));
}

TEST_CASE("check: every file that configures nothing is no-kernels", "[config][check][top-level]") {
  const std::string none =
      "no kernels are configured: the file has no [kernel_mapping] entries, [[fusion]] or [[layer]]";
  CHECK(rendered(check("# only a comment\n")) == Strings{diag(0, 0, "error", "no-kernels", none)});
  CHECK(rendered(check("[kernel_config]\nuse_local_kernel = true\n")) ==
        Strings{diag(0, 0, "error", "no-kernels", none)});
  CHECK(rendered(check("fusion = []\nlayer = []\n")) ==
        Strings{diag(0, 0, "error", "no-kernels", none),
                diag(1, 1, "note", "registration-unchecked",
                     "layer registration was not checked: the file has no [model] layers")});
  // An empty [kernel_mapping]: the error points at it.
  CHECK(rendered(check(kModel + "[kernel_mapping]\n")) ==
        Strings{diag(3, 2, "error", "no-kernels",
                     "[kernel_mapping] has no entries and the file has no [[fusion]] or [[layer]]: no kernels are "
                     "configured")});
  // An entry, even one that maps no device, is not "nothing": it has its own warning.
  CHECK(rendered(check(kModel + "[kernel_mapping]\nRMSNorm = {}\n")) ==
        Strings{diag(4, 1, "warning", "empty-mapping", "'RMSNorm' maps no device, so it has no kernel anywhere")});
  // A kernel_mapping of the wrong type is reported as such, once.
  auto r = check("kernel_mapping = 3\n" + kModel);  // top-level: before [model]
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "mapping-not-table");
  // [[layer]] or [[fusion]] alone configure kernels.
  CHECK_FALSE(
      has_errors(check("[[layer]]\nname = \"A\"\ndevice = \"cuda\"\nrepo = \"o/r:A\"\nversion = 1\n").diagnostics));
}
