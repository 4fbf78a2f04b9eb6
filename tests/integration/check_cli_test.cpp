// `kernels check` end to end: the built binary on files in tests/data/ and examples/.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/process.hpp"

using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::source_path;
using kernels::test::TempDir;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const std::string kErrors = "tests/data/check/errors.toml";

}  // namespace

TEST_CASE("check: the bundled examples have no problems", "[cli][check]") {
  auto r = run_kernels({"check", "examples/llama.toml", "examples/all-features.toml"}, kernels::test::in_source_dir());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "2 files checked: 0 errors, 0 warnings, 0 notes\n");
  CHECK(r.err.empty());
}

TEST_CASE("check: human output shows location, code, message, source line, caret and hint", "[cli][check]") {
  auto r = run_kernels({"check", kErrors}, kernels::test::in_source_dir());
  CHECK(r.exit_code == 1);
  const std::string expected =
      kErrors +
      ":6:1: error[unregistered-layer]: Layer MLPP is not registered in the model, please register it first "
      "using use_kernel_forward_from_hub\n"
      " 6 | MLPP = \"kernels-community/mlp:MLP\"\n"
      "   | ^\n"
      "  = hint: did you mean 'MLP'? ([model].layers lists the registered names)\n" +
      kErrors +
      ":7:7: error[missing-version]: Expected valid combination for version/revision (mutually exclusive but "
      "one of them) to be passed when passed as tuple, but got revision= None and version= None\n"
      " 7 | MLP = { repo = \"kernels-community/mlp:MLP\", verison = 1 }\n"
      "   |       ^\n"
      "  = hint: add version = 1 (or revision = \"...\"), or write the repo as a plain string for version 1\n" +
      kErrors +
      ":7:45: warning[unknown-key]: unknown key 'verison' in the kernel table of 'MLP'; did you mean 'version'?\n"
      " 7 | MLP = { repo = \"kernels-community/mlp:MLP\", verison = 1 }\n"
      "   |                                             ^\n" +
      kErrors +
      ":11:10: error[unknown-device]: Unknown device type: metal\n"
      " 11 | device = \"metal\"\n"
      "    |          ^\n"
      "  = hint: Apple GPUs are the device 'mps'\n"
      "1 file checked: 3 errors, 1 warning, 0 notes\n";
  CHECK(r.out == expected);
}

TEST_CASE("check --format json: one object with a diagnostics array", "[cli][check]") {
  auto r = run_kernels({"check", "--format", "json", kErrors}, kernels::test::in_source_dir());
  CHECK(r.exit_code == 1);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["version"] == 1);  // the --format json shape version (kernels(1), JSON OUTPUT)
  REQUIRE(doc["diagnostics"].size() == 4);
  const auto& d = doc["diagnostics"][2];
  CHECK(d["file"] == kErrors);
  CHECK(d["line"] == 7);
  CHECK(d["column"] == 45);
  CHECK(d["severity"] == "warning");
  CHECK(d["code"] == "unknown-key");
  CHECK(d["message"] == "unknown key 'verison' in the kernel table of 'MLP'; did you mean 'version'?");
  CHECK(d["hint"].is_null());
  CHECK(doc["diagnostics"][3]["hint"] == "Apple GPUs are the device 'mps'");
  CHECK(doc["summary"] == nlohmann::json({{"files", 1}, {"errors", 3}, {"warnings", 1}, {"notes", 0}}));
}

TEST_CASE("check --format github: workflow commands", "[cli][check]") {
  auto r = run_kernels({"check", "--format", "github", "tests/data/check/warnings-only.toml"},
                       kernels::test::in_source_dir());
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "::notice file=tests/data/check/warnings-only.toml,line=1,col=2::[registration-unchecked] layer registration "
        "was not checked: the file has no [model] layers%0Ahint: add [model] layers = [...] (the model's "
        "kernel_layer_name values) to check every layer name\n"
        "::warning file=tests/data/check/warnings-only.toml,line=7,col=8::[version-conflict] "
        "kernels-community/layer-norm is used at version 2 here and at version 1 on line 2%0Ahint: kernels lock pins "
        "one commit per repo id and will refuse this file\n");
}

TEST_CASE("check: not TOML, invalid UTF-8 and an empty file are errors with a position", "[cli][check]") {
  auto r = run_kernels({"check", "--format", "json", "tests/data/check/not-toml.toml",
                        "tests/data/check/invalid-utf8.toml", "tests/data/check/empty.toml"},
                       kernels::test::in_source_dir());
  CHECK(r.exit_code == 1);
  auto d = nlohmann::json::parse(r.out)["diagnostics"];
  REQUIRE(d.size() == 3);
  CHECK(d[0]["code"] == "syntax");
  CHECK(d[0]["line"] == 1);
  CHECK(d[0]["column"] == 6);
  CHECK(d[0]["message"] == "TOML syntax error: expected '=' after the key 'this', found 'i'");
  CHECK(d[1]["code"] == "syntax");
  CHECK(d[1]["line"] == 2);
  CHECK(d[1]["column"] == 46);
  CHECK(d[1]["message"] == "TOML syntax error: invalid UTF-8 (a TOML file must be UTF-8 encoded)");
  CHECK(d[2]["code"] == "empty-file");
  CHECK(d[2]["line"].is_null());
}

TEST_CASE("check: tables nested 10,000 deep are a syntax error, not a crash", "[cli][check]") {
  TempDir dir;
  std::string deep = "[kernel_mapping]\nRMSNorm = ";
  for (int i = 0; i < 10000; ++i) deep += "{a=";
  auto inline_path = dir.write("inline.toml", deep + "1\n");
  std::string header = "[";
  for (int i = 0; i < 10000; ++i) header += "t.";
  auto header_path = dir.write("header.toml", header + "t]\n");
  auto arrays_path = dir.write("arrays.toml", "x = " + std::string(10000, '[') + std::string(10000, ']') + "\n");
  auto r = run_kernels({"check", "--format", "json", inline_path, header_path, arrays_path});
  CHECK(r.exit_code == 1);
  auto d = nlohmann::json::parse(r.out)["diagnostics"];
  REQUIRE(d.size() == 3);
  CHECK(d[0]["message"] == "TOML syntax error: arrays and inline tables nested more than 64 deep");
  CHECK(d[0]["line"] == 2);
  CHECK(d[0]["column"] == 11 + 3 * 64);
  CHECK(d[1]["message"] == "TOML syntax error: a dotted key with more than 64 parts");
  CHECK(d[2]["message"] == "TOML syntax error: arrays and inline tables nested more than 64 deep");
}

TEST_CASE("check: a 10 MB file, a directory and a missing file are I/O errors (exit 2), the rest is still checked",
          "[cli][check]") {
  TempDir dir;
  auto big = dir.write("big.toml", std::string(10u << 20, '#'));
  auto missing = dir.path() + "/missing.toml";
  auto r = run_kernels({"check", big, dir.path(), missing, source_path(kErrors)});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.out, big + ": error[io]: " + big + " is too large (10485760 bytes; the limit is 1048576)\n"));
  CHECK(contains(r.out, dir.path() + ": error[io]: " + dir.path() + " is a directory, not a file\n"));
  CHECK(contains(r.out, missing + ": error[io]: cannot open " + missing + ": No such file or directory\n"));
  CHECK(contains(r.out, "error[unknown-device]: Unknown device type: metal"));
  CHECK(contains(r.out, "4 files checked: 6 errors, 1 warning, 0 notes\n"));
}

TEST_CASE("check: an unreadable file is an I/O error", "[cli][check]") {
  TempDir dir;
  auto path = dir.write("secret.toml", "[kernel_mapping]\n");
  std::string expected;
  if (::geteuid() == 0) {
    // root reads anything: use a dangling symlink instead.
    std::string link = dir.path() + "/dangling.toml";
    REQUIRE(::symlink((dir.path() + "/nowhere").c_str(), link.c_str()) == 0);
    path = link;
    expected = "cannot open " + link + ": No such file or directory";
  } else {
    ::chmod(path.c_str(), 0);
    expected = "cannot open " + path + ": Permission denied";
  }
  auto r = run_kernels({"check", "--format", "json", path});
  CHECK(r.exit_code == 2);
  auto d = nlohmann::json::parse(r.out)["diagnostics"];
  REQUIRE(d.size() == 1);
  CHECK(d[0]["code"] == "io");
  CHECK(d[0]["message"] == expected);
}

TEST_CASE("check: colour only when asked or on a TTY, -q hides notes and the summary", "[cli][check]") {
  auto plain = run_kernels({"check", "tests/data/check/warnings-only.toml"}, kernels::test::in_source_dir());
  CHECK_FALSE(contains(plain.out, "\x1b["));
  auto colour = run_kernels({"check", "--color", "always", "tests/data/check/warnings-only.toml"},
                            kernels::test::in_source_dir());
  CHECK(contains(colour.out, "\x1b[1;33mwarning[version-conflict]\x1b[0m"));
  auto quiet = run_kernels({"-q", "check", "tests/data/check/warnings-only.toml"}, kernels::test::in_source_dir());
  CHECK(quiet.exit_code == 0);
  CHECK_FALSE(contains(quiet.out, "registration-unchecked"));
  CHECK_FALSE(contains(quiet.out, "files checked"));
  CHECK(contains(quiet.out, "warning[version-conflict]"));
}

TEST_CASE("check: usage errors exit 2", "[cli][check]") {
  CHECK(run_kernels({"check"}).exit_code == 2);
  auto r = run_kernels({"check", "--format", "xml", "x.toml"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "--format"));
  auto help = run_kernels({"check", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(contains(help.out, "Examples:"));
  CHECK(contains(help.out, "kernels check --format github kernels.toml"));
}

TEST_CASE("check: a long source line is shown as a window around the column", "[cli][check]") {
  TempDir dir;
  std::string line = "x = \"" + std::string(150, 'a') + "\" y";  // 158 characters, 'y' at column 158
  auto path = dir.write("long.toml", line + "\n");
  auto r = run_kernels({"check", path});
  CHECK(r.exit_code == 1);
  // 100 characters at most: from 50 before the caret, marked with "...".
  std::string expected = path + ":1:158: error[syntax]: TOML syntax error: expected the end of the line, found 'y'\n" +
                         " 1 | ..." + line.substr(107) + "\n" + "   | " + std::string(3 + 50, ' ') + "^\n";
  CHECK(r.out.find(expected) == 0);
}

// ---------------------------------------------------------------- issue 17: --strict, --ignore, --select

TEST_CASE("check --strict: warnings fail, notes never do, in every format", "[cli][check][strict]") {
  const std::string file = "tests/data/check/warnings-only.toml";  // a warning and a note
  auto plain = run_kernels({"check", file}, kernels::test::in_source_dir());
  CHECK(plain.exit_code == 0);
  auto strict = run_kernels({"check", "--strict", file}, kernels::test::in_source_dir());
  CHECK(strict.exit_code == 1);
  CHECK(contains(strict.out, "warning[version-conflict]"));
  CHECK(contains(strict.out, "1 file checked: 0 errors, 1 warning, 1 note; --strict: warnings fail\n"));
  for (const char* format : {"json", "github"}) {
    INFO(format);
    auto r = run_kernels({"check", "--strict", "--format", format, file}, kernels::test::in_source_dir());
    CHECK(r.exit_code == 1);
  }
  // Only the note left: --strict passes.
  auto note_only =
      run_kernels({"check", "--strict", "--ignore", "version-conflict", file}, kernels::test::in_source_dir());
  CHECK(note_only.exit_code == 0);
  CHECK_FALSE(contains(note_only.out, "version-conflict"));
  CHECK(contains(note_only.out, "note[registration-unchecked]"));
  CHECK(note_only.out.find("1 file checked: 0 errors, 0 warnings, 1 note (1 left out by --ignore/--select)\n") !=
        std::string::npos);
  // Errors fail with or without --strict.
  CHECK(run_kernels({"check", "--strict", kErrors}, kernels::test::in_source_dir()).exit_code == 1);
  CHECK(run_kernels({"check", "--strict", "examples/llama.toml"}, kernels::test::in_source_dir()).exit_code == 0);
}

TEST_CASE("check --ignore and --select: repeatable, comma lists, every format", "[cli][check][strict]") {
  // errors.toml: unregistered-layer 6:1, missing-version 7:7, unknown-key 7:45, unknown-device 11:10.
  auto ignored = run_kernels({"check", "--format", "json", "--ignore", "unregistered-layer,missing-version", "--ignore",
                              "unknown-device", kErrors},
                             kernels::test::in_source_dir());
  CHECK(ignored.exit_code == 0);  // only the warning is left
  auto doc = nlohmann::json::parse(ignored.out);
  REQUIRE(doc["diagnostics"].size() == 1);
  CHECK(doc["diagnostics"][0]["code"] == "unknown-key");
  CHECK(doc["diagnostics"][0]["line"] == 7);
  CHECK(doc["diagnostics"][0]["column"] == 45);
  CHECK(doc["summary"] == nlohmann::json({{"files", 1}, {"errors", 0}, {"warnings", 1}, {"notes", 0}}));
  // ... and --strict fails on it.
  CHECK(run_kernels({"check", "--strict", "--ignore=unregistered-layer,missing-version,unknown-device", kErrors},
                    kernels::test::in_source_dir())
            .exit_code == 1);

  auto selected = run_kernels({"check", "--format", "github", "--select", "unknown-device", kErrors},
                              kernels::test::in_source_dir());
  CHECK(selected.exit_code == 1);
  CHECK(selected.out == "::error file=" + kErrors +
                            ",line=11,col=10::[unknown-device] Unknown device type: metal%0Ahint: "
                            "Apple GPUs are the device 'mps'\n");
  auto warning_only = run_kernels({"check", "--select", "unknown-key", kErrors}, kernels::test::in_source_dir());
  CHECK(warning_only.exit_code == 0);
  CHECK(warning_only.out ==
        kErrors +
            ":7:45: warning[unknown-key]: unknown key 'verison' in the kernel table of 'MLP'; did you mean 'version'?\n"
            " 7 | MLP = { repo = \"kernels-community/mlp:MLP\", verison = 1 }\n"
            "   |                                             ^\n"
            "1 file checked: 0 errors, 1 warning, 0 notes (3 left out by --ignore/--select)\n");
  // --select and --ignore together: the selection less the ignored.
  auto both = run_kernels(
      {"check", "--format", "json", "--select", "unknown-key,unknown-device", "--ignore", "unknown-key", kErrors},
      kernels::test::in_source_dir());
  CHECK(both.exit_code == 1);
  auto d = nlohmann::json::parse(both.out)["diagnostics"];
  REQUIRE(d.size() == 1);
  CHECK(d[0]["code"] == "unknown-device");
  // The option takes one code per use: FILE after it is a file.
  CHECK(run_kernels({"check", "--ignore", "unknown-key", "tests/data/check/warnings-only.toml"},
                    kernels::test::in_source_dir())
            .exit_code == 0);
}

TEST_CASE("check --ignore/--select: an unknown code is a usage error with a did-you-mean and the list",
          "[cli][check][strict]") {
  auto r = run_kernels({"check", "--ignore", "unknown-keys", kErrors}, kernels::test::in_source_dir());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(
      r.err.find(
          "error: kernels check: --ignore: 'unknown-keys' is not a diagnostic code; did you mean 'unknown-key'?\n"
          "note: kernels check: known codes (man kernels-check, DIAGNOSTIC CODES): io, syntax, empty-file, no-kernels, "
          "unknown-top-level, wrong-type,") == 0);
  CHECK(contains(r.err, ", version-conflict, registration-unchecked\n"));
  auto s = run_kernels({"check", "--select", "unknown-key,bogus", kErrors}, kernels::test::in_source_dir());
  CHECK(s.exit_code == 2);
  CHECK(s.out.empty());
  CHECK(s.err.find(
            "error: kernels check: --select: 'bogus' is not a diagnostic code\nnote: kernels check: known codes") == 0);
  // io and syntax cannot be ignored: such a file was never checked.
  auto io =
      run_kernels({"check", "--ignore", "syntax", "tests/data/check/not-toml.toml"}, kernels::test::in_source_dir());
  CHECK(io.exit_code == 2);
  CHECK(io.err ==
        "error: kernels check: --ignore: syntax cannot be ignored: a file that cannot be read or parsed has not "
        "been checked at all\n");
  // ... and --select does not hide them.
  auto sel = run_kernels({"check", "--format", "json", "--select", "unknown-key", "tests/data/check/not-toml.toml",
                          "/nonexistent/kernels.toml"},
                         kernels::test::in_source_dir());
  CHECK(sel.exit_code == 2);
  auto d = nlohmann::json::parse(sel.out)["diagnostics"];
  REQUIRE(d.size() == 2);
  CHECK(d[0]["code"] == "syntax");
  CHECK(d[1]["code"] == "io");
}

// ---------------------------------------------------------------- issue 17: top-level tables, nothing configured

TEST_CASE("check: a misspelt [kernel_mapping] is an error that fails CI", "[cli][check][top-level]") {
  TempDir dir;
  auto path = dir.write("kernels.toml", "[kernel_maping]\nRMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n");
  auto r = run_kernels({"check", path});
  CHECK(r.exit_code == 1);
  CHECK(r.out == path +
                     ":1:2: error[unknown-top-level]: unknown top-level table [kernel_maping]: nothing in it is "
                     "read; did you mean [kernel_mapping]?\n"
                     " 1 | [kernel_maping]\n"
                     "   |  ^\n"
                     "1 file checked: 1 error, 0 warnings, 0 notes\n");
  auto gh = run_kernels({"check", "--format", "github", path});
  CHECK(gh.exit_code == 1);
  CHECK(gh.out == "::error file=" + path +
                      ",line=1,col=2::[unknown-top-level] unknown top-level table [kernel_maping]: "
                      "nothing in it is read; did you mean [kernel_mapping]?\n");
  // Unknown keys inside a table stay warnings (exit 0).
  auto inner = dir.write("inner.toml", "[kernel_mapping]\nRMSNorm = { repo = \"o/r:X\", version = 1, extra = 2 }\n");
  CHECK(run_kernels({"check", inner}).exit_code == 0);
}

TEST_CASE("check: a file that configures nothing is an error with a minimal mapping as its hint",
          "[cli][check][top-level]") {
  TempDir dir;
  auto path = dir.write("model-only.toml", "[model]\nlayers = [\"RMSNorm\"]\n");
  auto r = run_kernels({"check", path});
  CHECK(r.exit_code == 1);
  CHECK(r.out == path +
                     ": error[no-kernels]: no kernels are configured: the file has no [kernel_mapping] entries, "
                     "[[fusion]] or [[layer]]\n"
                     "  = hint: a minimal KernelConfig maps one layer to a Hub kernel:\n"
                     "          [kernel_mapping]\n"
                     "          RMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n"
                     "          ([[layer]] and [[fusion]] entries configure kernels too; see kernels-check(1))\n"
                     "1 file checked: 1 error, 0 warnings, 0 notes\n");
  auto empty =
      run_kernels({"check", "--format", "json", "tests/data/check/empty.toml"}, kernels::test::in_source_dir());
  CHECK(empty.exit_code == 1);
  auto d = nlohmann::json::parse(empty.out)["diagnostics"];
  REQUIRE(d.size() == 1);
  CHECK(d[0]["code"] == "empty-file");
  CHECK(d[0]["hint"].get<std::string>().rfind(
            "a minimal KernelConfig maps one layer to a Hub kernel:\n[kernel_mapping]\n", 0) == 0);
  // Like any check, --ignore can waive it.
  CHECK(run_kernels({"check", "--ignore", "no-kernels", path}).exit_code == 0);
}
