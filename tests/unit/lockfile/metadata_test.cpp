#include <catch2/catch.hpp>

#include "lockfile/metadata.hpp"
#include "tests/support/process.hpp"

using kernels::ErrorCode;

using namespace kernels::lockfile;

namespace {

const char* kGood = R"({
  "name": "relu",
  "id": "_relu_0a1b2c3",
  "version": 1,
  "license": "Apache-2.0",
  "python-depends": [],
  "kernel-depends": [
    {"repo-id": "kernels-community/einops", "version": 1},
    {"repo-id": "org/other", "revision": "abc123"}
  ],
  "backend": {"type": "cuda", "archs": ["8.0", "9.0a"]},
  "digest": {
    "algorithm": "sha512",
    "files": {"__init__.py": "AAAA", "_ops.py": "BBBB"}
  },
  "provenance": {"kernel-builder": {"version": "0.9"}}
})";

std::string error_of(const std::string& text) {
  auto m = parse_metadata(text, "m.json");
  REQUIRE_FALSE(m.ok());
  return m.error().message;
}

}  // namespace

TEST_CASE("metadata.json: digest, backend and kernel-depends, the raw bytes kept", "[lockfile][metadata]") {
  auto m = parse_metadata(kGood, "m.json");
  REQUIRE(m.ok());
  CHECK(m->raw == kGood);
  REQUIRE(m->backend);
  CHECK(m->backend->type == "cuda");
  CHECK(m->backend->archs == std::vector<std::string>{"8.0", "9.0a"});
  REQUIRE(m->kernel_depends.size() == 2);
  CHECK(m->kernel_depends[0].repo_id == "kernels-community/einops");
  CHECK(m->kernel_depends[0].version == 1u);
  CHECK(m->kernel_depends[1].revision == "abc123");
  CHECK_FALSE(m->kernel_depends[1].version);
  REQUIRE(m->digest);
  CHECK(m->digest->algorithm == DigestAlgorithm::Sha512);
  CHECK(m->digest->files == std::map<std::string, std::string>{{"__init__.py", "AAAA"}, {"_ops.py", "BBBB"}});
}

TEST_CASE("metadata.json: no digest (absent or null), no backend, unknown fields", "[lockfile][metadata]") {
  auto m = parse_metadata(R"({"python-depends": [], "future-field": {"x": [1, 2]}})", "m.json");
  REQUIRE(m.ok());
  CHECK_FALSE(m->digest);
  CHECK_FALSE(m->backend);
  CHECK(m->kernel_depends.empty());
  auto n = parse_metadata(R"({"digest": null, "backend": {"type": "cpu"}})", "m.json");
  REQUIRE(n.ok());
  CHECK_FALSE(n->digest);
  CHECK_FALSE(n->backend->archs);
}

TEST_CASE("metadata.json: malformed JSON, BOM, depth and duplicate keys are parse errors with positions",
          "[lockfile][metadata]") {
  CHECK(error_of("{\n  \"digest\": {,}\n}").rfind("m.json:2:14: not valid JSON: ", 0) == 0);
  CHECK(error_of("\xEF\xBB\xBF{}").find("byte order mark") != std::string::npos);
  std::string deep(100000, '[');
  CHECK(error_of("{\"a\": " + deep).rfind("m.json:1:", 0) == 0);
  CHECK(error_of("{\"a\": " + deep).find("nested deeper than 32 levels") != std::string::npos);
  // Brackets inside strings do not count towards the depth.
  CHECK(parse_metadata("{\"a\": \"" + std::string(100, '[') + "\\\"\"}", "m.json").ok());
  CHECK(error_of("{\"digest\": {\"algorithm\": \"sha256\", \"files\": {\"a\": \"x\", \"a\": \"y\"}}}") ==
        "m.json:1:56: the key \"a\" appears twice in one object");
  CHECK(error_of("{\"digest\": null,\n \"digest\": {}}") ==
        "m.json:2:2: the key \"digest\" appears twice in one object");
  CHECK(parse_metadata(std::string(kMaxMetadataBytes + 1, ' '), "m.json").error().message.find("larger than") !=
        std::string::npos);
}

TEST_CASE("metadata.json: wrongly shaped verify fields are format errors naming the place", "[lockfile][metadata]") {
  CHECK(error_of("[]") == "m.json:1:1: holds an array, expected an object");
  CHECK(error_of(R"({"digest": {"algorithm": "md5", "files": {}}})") ==
        "m.json:1:26: unknown digest algorithm \"md5\" (expected sha256 or sha512)");
  CHECK(error_of(R"({"digest": {"files": {}}})") == "m.json:1:12: \"digest\" has no \"algorithm\"");
  CHECK(error_of(R"({"digest": {"algorithm": "sha256"}})") == "m.json:1:12: \"digest\" has no \"files\"");
  CHECK(error_of(R"({"digest": {"algorithm": "sha256", "files": []}})") ==
        "m.json:1:45: \"digest\".\"files\" is an array, expected an object of path: base64 hash");
  CHECK(error_of(R"({"digest": {"algorithm": "sha256", "files": {"a": 1}}})") ==
        "m.json:1:51: \"digest\".\"files\" entry \"a\" is a number, expected a string");
  CHECK(error_of(R"({"digest": "sha256"})") == "m.json:1:12: \"digest\" is a string, expected an object");
  CHECK(error_of(R"({"backend": {"type": "vulkan"}})") ==
        "m.json:1:22: unknown backend type \"vulkan\" (expected cann, cpu, cuda, metal, neuron, rocm, tpu or xpu)");
  CHECK(error_of(R"({"backend": {"type": "cuda", "archs": [8.0]}})") ==
        "m.json:1:40: \"backend\".\"archs\" item 1 is a number, expected a string");
  CHECK(error_of(R"({"kernel-depends": [{"repo-id": "a/b", "version": 1, "revision": "x"}]})") ==
        "m.json:1:21: \"kernel-depends\" item 1 needs exactly one of \"version\" and \"revision\"");
  CHECK(
      error_of(R"({"kernel-depends": [{"repo-id": "a/b", "version": "1"}]})") ==
      "m.json:1:51: \"kernel-depends\" item 1: \"version\" is a string, expected a whole number (a version such as 1)");
  CHECK(
      error_of(R"({"kernel-depends": [{"repo": "a/b"}]})") ==
      "m.json:1:22: \"kernel-depends\" item 1 has an unknown key \"repo\" (expected repo-id and version or revision)");
}

TEST_CASE("metadata.json: read_metadata_bytes bounds the read", "[lockfile][metadata]") {
  kernels::test::TempDir tmp;
  auto small = read_metadata_bytes(tmp.write("m.json", "{}"));
  REQUIRE(small.ok());
  CHECK(*small == "{}");
  auto missing = read_metadata_bytes(tmp.path() + "/none.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::io);
}
