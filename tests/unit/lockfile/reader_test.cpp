#include <catch2/catch.hpp>

#include "lockfile/reader.hpp"
#include "lockfile/writer.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using kernels::ErrorCode;

using kernels::read_file;
using kernels::lockfile::Lock;
using kernels::lockfile::parse_lock;
using kernels::lockfile::read_lock;
using kernels::lockfile::serialize_lock;
using kernels::lockfile::VariantLock;
using kernels::test::data_path;
using kernels::test::TempDir;

namespace {

std::string format_error(const std::string& text) {
  auto r = parse_lock(text, "kernels.lock");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::format);
  return r.error().message;
}

std::string syntax_error(const std::string& text) {
  auto r = parse_lock(text, "kernels.lock");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::parse);
  return r.error().message;
}

}  // namespace

TEST_CASE("kernels.lock files written by Python read and write back byte for byte", "[lockfile][reader]") {
  for (const char* name :
       {"upstream-kernels/kernel_locking/kernels.lock", "upstream-kernels/layer_locking/kernels.lock"}) {
    INFO(name);
    auto bytes = read_file(data_path(name));
    REQUIRE(bytes.ok());
    auto lock = read_lock(data_path(name));
    REQUIRE(lock.ok());
    auto again = serialize_lock(*lock);
    REQUIRE(again.ok());
    CHECK(*again == *bytes);
  }
}

TEST_CASE("read_lock keeps the entries and variants of the upstream fixture in file order", "[lockfile][reader]") {
  // Counts and values from the fixture (grep '"hash_type"' | wc -l: 56 = 52 + 4).
  auto lock = read_lock(data_path("upstream-kernels/kernel_locking/kernels.lock"));
  REQUIRE(lock.ok());
  REQUIRE(lock->kernels.size() == 2);
  const auto& relu = lock->kernels[0];
  CHECK(relu.repo_id == "kernels-community/relu");
  CHECK(relu.sha == "d649efb56fb249ac8f7a57fa1866728ad0c60e52");
  REQUIRE(relu.variants.size() == 52);
  CHECK(relu.variants.front().name == "torch210-cpu-aarch64-darwin");
  CHECK(relu.variants.front().hash == "sha256-d39147b57a44ceda745fb101e028e87030c33b8375a049b75ab9ec5dd606fa64");
  CHECK(relu.variants.back().name == "torch213-metal-aarch64-darwin");
  const auto& versions = lock->kernels[1];
  CHECK(versions.repo_id == "kernels-test/versions");
  CHECK(versions.sha == "f609e51b856b3d874b0ae8445913e200f02c1735");
  REQUIRE(versions.variants.size() == 4);
  CHECK(versions.variants[0] == VariantLock{"torch-cpu",
                                            "sha256-d9fced49c3beeb47ce5b996c28f760bec579cf444f9fe1040725686b13b1336e",
                                            "git_lfs_concat"});
  CHECK(versions.variants[3].name == "torch-xpu");
  CHECK(lock->find("kernels-test/versions") == &versions);
  CHECK(lock->find("nobody/else") == nullptr);
  CHECK(relu.find_variant("torch211-cxx11-cu128-x86_64-linux") != nullptr);
}

TEST_CASE("parse_lock reads what Python's reader reads", "[lockfile][reader]") {
  // Other entry keys are ignored, hash_type defaults to git_lfs_concat, any
  // whitespace or key order works, non-ASCII escapes decode, order is kept.
  auto lock = parse_lock(R"([{"note": 1, "variants": {"torch-xpu": {"hash": "h1"},
      "torch-cpu": {"hash_type": "git_lfs_concat", "hash": "h2"}}, "sha": "s", "repo_id": "o/\u00fc"},
      {"repo_id": "a/b", "sha": "t", "variants": {}}])",
                         "kernels.lock");
  REQUIRE(lock.ok());
  REQUIRE(lock->kernels.size() == 2);
  CHECK(lock->kernels[0].repo_id == "o/\xC3\xBC");
  CHECK(lock->kernels[0].variants ==
        std::vector<VariantLock>{{"torch-xpu", "h1", "git_lfs_concat"}, {"torch-cpu", "h2", "git_lfs_concat"}});
  CHECK(lock->kernels[1].variants.empty());
  CHECK(parse_lock("[]", "kernels.lock")->kernels.empty());
  CHECK(parse_lock(" \n[ ]\n", "kernels.lock")->kernels.empty());
}

TEST_CASE("parse_lock: a duplicate key keeps its first place and its last value, as in Python", "[lockfile][reader]") {
  // python3 -c 'import json; print(json.loads("{\"a\": 1, \"b\": 2, \"a\": 3}"))'  -> {'a': 3, 'b': 2}
  auto lock = parse_lock(R"([{"repo_id": "o/n", "sha": "s", "variants": {
      "torch-a": {"hash": "1"}, "torch-b": {"hash": "2"}, "torch-a": {"hash": "3"}}}])",
                         "kernels.lock");
  REQUIRE(lock.ok());
  CHECK(lock->kernels[0].variants ==
        std::vector<VariantLock>{{"torch-a", "3", "git_lfs_concat"}, {"torch-b", "2", "git_lfs_concat"}});
}

TEST_CASE("parse_lock: malformed JSON is reported with line and column", "[lockfile][reader]") {
  // Columns counted by hand: the second ',' of line 3; the '}' where "tru" stops being a literal.
  CHECK_THAT(syntax_error("[\n  {\n    \"repo_id\": \"a/b\",,\n"),
             Catch::StartsWith("kernels.lock:3:22: not valid JSON: "));
  CHECK_THAT(syntax_error("[{\"repo_id\": tru}]"), Catch::StartsWith("kernels.lock:1:17: not valid JSON: "));
  CHECK_THAT(syntax_error("[]\n]"), Catch::StartsWith("kernels.lock:2:1: not valid JSON: "));
  CHECK(syntax_error("") == "kernels.lock:1:1: the file is empty, expected a JSON array");
  CHECK(syntax_error("\n \n") == "kernels.lock:1:1: the file is empty, expected a JSON array");
  CHECK_THAT(syntax_error("\xEF\xBB\xBF[]"), Catch::Contains("byte order mark"));
  CHECK_THAT(syntax_error("[\"\xFF\"]"), Catch::StartsWith("kernels.lock:1:"));
}

TEST_CASE("parse_lock: JSON of the wrong shape says what and where", "[lockfile][reader]") {
  // Columns counted by hand: they point at the value in question (at the key for an unknown key).
  CHECK(format_error("\n  {}") ==
        "kernels.lock:2:3: the file holds an object, expected a JSON array of locked kernels");
  CHECK(format_error("[1]") ==
        "kernels.lock:1:2: entry 1 is a number, expected an object with \"repo_id\", \"sha\" and \"variants\"");
  CHECK(format_error(R"([{"sha": "s", "variants": {}}])") == "kernels.lock:1:2: entry 1 has no \"repo_id\"");
  CHECK(format_error(R"([{"repo_id": "a/b", "sha": "s", "variants": {}}, {"repo_id": "c/d", "variants": {}}])") ==
        "kernels.lock:1:50: entry 2 (c/d) has no \"sha\"");
  CHECK(format_error(R"([{"repo_id": 7, "sha": "s", "variants": {}}])") ==
        "kernels.lock:1:14: entry 1 \"repo_id\" is a number, expected a string");
  CHECK(format_error(R"([{"repo_id": "a/b", "sha": "s"}])") == "kernels.lock:1:2: entry 1 (a/b) has no \"variants\"");
  CHECK(format_error(R"([{"repo_id": "a/b", "sha": "s", "variants": []}])") ==
        "kernels.lock:1:45: entry 1 (a/b) \"variants\" is an array, expected an object");
  CHECK(format_error(R"([{"repo_id": "a/b", "sha": "s", "variants": {"torch-cpu": "sha256-x"}}])") ==
        "kernels.lock:1:59: entry 1 (a/b) variant \"torch-cpu\" is a string, expected an object with \"hash\" and "
        "\"hash_type\"");
  CHECK(
      format_error(R"([{"repo_id": "a/b", "sha": "s", "variants": {"torch-cpu": {"hash_type": "git_lfs_concat"}}}])") ==
      "kernels.lock:1:59: entry 1 (a/b) variant \"torch-cpu\" has no \"hash\"");
  CHECK(
      format_error(R"([{"repo_id": "a/b", "sha": "s", "variants": {"torch-cpu": {"hash": "h", "size": 3}}}])") ==
      "kernels.lock:1:73: entry 1 (a/b) variant \"torch-cpu\" has an unknown key \"size\" (a variant has \"hash\" and "
      "\"hash_type\")");
  CHECK(format_error(R"([{"repo_id": "a/b", "sha": "s", "variants": {"torch-cpu": {"hash": null}}}])") ==
        "kernels.lock:1:68: entry 1 (a/b) variant \"torch-cpu\": \"hash\" is null, expected a string");
}

TEST_CASE("parse_lock: positions in a multi-line lock point at the offending value", "[lockfile][reader]") {
  // Line 7 is `        "hash": 5,`: eight spaces, "hash" in columns 9-14, the 5 in column 17.
  CHECK(format_error("[\n  {\n    \"repo_id\": \"a/b\",\n    \"sha\": \"s\",\n    \"variants\": {\n"
                     "      \"torch-cpu\": {\n        \"hash\": 5,\n        \"hash_type\": \"git_lfs_concat\"\n"
                     "      }\n    }\n  }\n]") ==
        "kernels.lock:7:17: entry 1 (a/b) variant \"torch-cpu\": \"hash\" is a number, expected a string");
  // Escaped keys and a duplicate key: the position is that of the value a reader keeps (the last):
  // line 2 is `  "torch-\u00e9": 2}}]`, the 2 in column 19.
  CHECK(format_error("[{\"repo_id\": \"a/b\", \"sha\": \"s\", \"variants\": {\"torch-\\u00e9\": {\"hash\": \"1\"},\n"
                     "  \"torch-\\u00e9\": 2}}]") ==
        "kernels.lock:2:19: entry 1 (a/b) variant \"torch-\xC3\xA9\" is a number, expected an object with \"hash\" and "
        "\"hash_type\"");
  // A deeply nested value is refused where it passes the depth limit: the
  // "hash" array opens at column 68 at depth 5, so level 65 opens at column 128.
  std::string deep =
      "[{\"repo_id\": \"a/b\", \"sha\": \"s\", \"variants\": {\"torch-cpu\": {\"hash\": " + std::string(10000, '[') +
      std::string(10000, ']') + "}}}]";
  auto r = parse_lock(deep, "kernels.lock");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "kernels.lock:1:128: nested deeper than 64 levels; a kernels.lock is at most 5 deep");
}

TEST_CASE("parse_lock refuses the old per-file format and reads the kernels-data format", "[lockfile][reader]") {
  // F0 (hf-kernels, 2025-01) and F3 (kernels-data lock.rs), shapes from reference §1.3.
  CHECK_THAT(
      format_error(R"([{"repo_id": "a/b", "sha": "s", "files": [{"filename": "build/torch-cpu/x", "blob_id": "b"}]}])"),
      Catch::StartsWith("kernels.lock:1:2: entry 1 (a/b) uses the old per-file lock format of hf-kernels"));
  auto lock = parse_lock(R"([{"dependency": {"repo-id": "kernels-community/relu", "version": 1},
                               "lock": {"commit": "d649efb56fb249ac8f7a57fa1866728ad0c60e52"}}])",
                         "kernels.lock");
  REQUIRE(lock.ok());
  CHECK(lock->format == kernels::lockfile::LockFormat::KernelsData);
  REQUIRE(lock->kernels.size() == 1);
  CHECK(lock->kernels[0].repo_id == "kernels-community/relu");
  CHECK(lock->kernels[0].sha == "d649efb56fb249ac8f7a57fa1866728ad0c60e52");
  CHECK(lock->kernels[0].version == 1u);
  CHECK_FALSE(lock->kernels[0].revision.has_value());
  CHECK(lock->kernels[0].variants.empty());
  // A kernels-data entry in a variant-hashes lock is named, not read.
  CHECK(
      format_error(R"([{"repo_id": "a/b", "sha": "s", "variants": {}}, {"dependency": {"repo-id": "c/d", "version": 1},
                          "lock": {"commit": "d649efb56fb249ac8f7a57fa1866728ad0c60e52"}}])") ==
      "kernels.lock:1:50: entry 2 (c/d) is a kernels-data ({\"dependency\", \"lock\"}) entry, but entry 1 (a/b) is "
      "variant-hashes ({\"repo_id\", \"sha\", \"variants\"}); a kernels.lock holds entries of one format");
  // Variant-hashes locks read as that format, [] included.
  CHECK(parse_lock("[]", "kernels.lock")->format == kernels::lockfile::LockFormat::VariantHashes);
  CHECK(read_lock(data_path("upstream-kernels/layer_locking/kernels.lock"))->format ==
        kernels::lockfile::LockFormat::VariantHashes);
}

TEST_CASE("read_lock of a missing file is an io error naming it", "[lockfile][reader]") {
  TempDir dir;
  auto r = read_lock(dir.path() + "/kernels.lock");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::io);
  CHECK_THAT(r.error().message, Catch::Contains(dir.path() + "/kernels.lock"));
}

TEST_CASE("parse_lock never crashes: every truncation and many corruptions of a real lock", "[lockfile][reader]") {
  auto bytes = read_file(data_path("upstream-kernels/layer_locking/kernels.lock"));
  REQUIRE(bytes.ok());
  const std::string& text = *bytes;
  std::size_t failures = 0;
  auto attempt = [&](const std::string& input) {
    auto r = parse_lock(input, "kernels.lock");
    if (!r.ok()) {
      ++failures;
      // Every error is positioned: "kernels.lock:LINE:COLUMN: ..."
      REQUIRE(r.error().message.rfind("kernels.lock:", 0) == 0);
      REQUIRE(std::isdigit(static_cast<unsigned char>(r.error().message[13])));
    }
  };
  for (std::size_t n = 0; n < text.size(); ++n) attempt(text.substr(0, n));
  for (std::size_t i = 0; i < text.size(); ++i)
    for (char c : {'"', '\\', '{', '}', '[', ']', ',', ':', '1', '\0', '\xFF'}) {
      std::string corrupted = text;
      corrupted[i] = c;
      attempt(corrupted);
    }
  CHECK(failures > text.size());  // every proper prefix fails, and so do most corruptions
}

TEST_CASE("parse_lock: a number past a double is a parse error, not an abort", "[lockfile][reader][limits]") {
  // Regression: `lock --check` died on [1e999] (nlohmann's out_of_range was not caught).
  auto r = kernels::lockfile::parse_lock("[1e999]", "kernels.lock");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::parse);
  CHECK(r.error().message == "kernels.lock: not valid JSON: number overflow parsing '1e999'");
}

TEST_CASE("parse_lock: nesting deeper than any lock is refused before parsing", "[lockfile][reader][limits]") {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto r = kernels::lockfile::parse_lock(deep, "kernels.lock");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "kernels.lock:1:65: nested deeper than 64 levels; a kernels.lock is at most 5 deep");
}
