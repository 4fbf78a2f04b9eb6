#include <catch2/catch.hpp>

#include "lockfile/python_json.hpp"
#include "lockfile/writer.hpp"

using kernels::ErrorCode;

using kernels::lockfile::Lock;
using kernels::lockfile::LockedKernel;
using kernels::lockfile::python_json_string;
using kernels::lockfile::serialize_lock;
using kernels::lockfile::VariantLock;

TEST_CASE("serialize_lock writes the reference's 443-byte example exactly", "[lockfile][writer]") {
  Lock lock{{LockedKernel{
      "example-org/relu",
      "0123456789abcdef0123456789abcdef01234567",
      {VariantLock{"torch-cpu", "sha256-683793b97c71d5454330b912468b7eb58e01c34532564e5b6b62665eee875509"},
       VariantLock{"torch-cuda", "sha256-69090d057a84547e7fe6a06b1fc37ae9085b3167fbeb88c304c67da3c38bc406"}}}}};
  // Reference §1.1; `printf '<this>' | wc -c` = 443 and `| sha256sum` = 815c9a3d...6106402, as the reference says.
  const std::string expected =
      "[\n  {\n    \"repo_id\": \"example-org/relu\",\n    \"sha\": \"0123456789abcdef0123456789abcdef01234567\",\n"
      "    \"variants\": {\n      \"torch-cpu\": {\n        \"hash\": "
      "\"sha256-683793b97c71d5454330b912468b7eb58e01c34532564e5b6b62665eee875509\",\n        \"hash_type\": "
      "\"git_lfs_concat\"\n      },\n      \"torch-cuda\": {\n        \"hash\": "
      "\"sha256-69090d057a84547e7fe6a06b1fc37ae9085b3167fbeb88c304c67da3c38bc406\",\n        \"hash_type\": "
      "\"git_lfs_concat\"\n      }\n    }\n  }\n]";
  REQUIRE(expected.size() == 443);
  auto text = serialize_lock(lock);
  REQUIRE(text.ok());
  CHECK(*text == expected);
}

TEST_CASE("serialize_lock: no kernels is [], a kernel without variants has {}", "[lockfile][writer]") {
  CHECK(*serialize_lock(Lock{}) == "[]");  // python3 -c 'import json; print(json.dumps([], indent=2))'
  Lock lock{{LockedKernel{"b/c", "d", {}}}};
  CHECK(*serialize_lock(lock) ==
        "[\n  {\n    \"repo_id\": \"b/c\",\n    \"sha\": \"d\",\n    \"variants\": {}\n  }\n]");
}

TEST_CASE("serialize_lock escapes like Python's json.dumps(indent=2)", "[lockfile][writer]") {
  // Expected text printed by python3 (3.11):
  //   locks = [{"repo_id": "org/ünï", "sha": "q\"uote\\back\x7f",
  //             "variants": {"torch-\u00e9\U0001F600": {"hash": "a\n\r\t\b\f\x01\x1f/", "hash_type":
  //             "git_lfs_concat"}}},
  //            {"repo_id": "b/c", "sha": "d", "variants": {}}]
  //   print(repr(json.dumps(locks, indent=2)))
  Lock lock{{LockedKernel{"org/\xC3\xBCn\xC3\xAF",
                          "q\"uote\\back\x7f",
                          {VariantLock{"torch-\xC3\xA9\xF0\x9F\x98\x80", "a\n\r\t\b\f\x01\x1f/"}}},
             LockedKernel{"b/c", "d", {}}}};
  const std::string expected =
      "[\n  {\n    \"repo_id\": \"org/\\u00fcn\\u00ef\",\n    \"sha\": \"q\\\"uote\\\\back\\u007f\",\n"
      "    \"variants\": {\n      \"torch-\\u00e9\\ud83d\\ude00\": {\n"
      "        \"hash\": \"a\\n\\r\\t\\b\\f\\u0001\\u001f/\",\n        \"hash_type\": \"git_lfs_concat\"\n"
      "      }\n    }\n  },\n  {\n    \"repo_id\": \"b/c\",\n    \"sha\": \"d\",\n    \"variants\": {}\n  }\n]";
  CHECK(*serialize_lock(lock) == expected);
}

TEST_CASE("serialize_lock keeps the order it is given and writes hash_type as held", "[lockfile][writer]") {
  Lock lock{{LockedKernel{"z/z", "1", {VariantLock{"torch-xpu", "h1"}, VariantLock{"torch-cpu", "h2", "other"}}},
             LockedKernel{"a/a", "2", {}}}};
  auto text = serialize_lock(lock);
  REQUIRE(text.ok());
  CHECK(text->find("z/z") < text->find("a/a"));
  CHECK(text->find("torch-xpu") < text->find("torch-cpu"));
  CHECK(text->find("\"hash_type\": \"other\"") != std::string::npos);
  CHECK(text->back() == ']');
}

TEST_CASE("serialize_lock refuses strings that are not UTF-8", "[lockfile][writer]") {
  for (const std::string& bad :
       {std::string("\xFF"), std::string("a\xC3"), std::string("\xC0\xAF"),  // truncated, overlong
        std::string("\xED\xA0\x80"),                                         // a surrogate
        std::string("\xF4\x90\x80\x80")}) {                                  // above U+10FFFF
    auto r = serialize_lock(Lock{{LockedKernel{"o/" + bad, "s", {}}}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::utf8);
  }
}

TEST_CASE("serialize_lock writes the format the lock holds", "[lockfile][writer]") {
  // Same entry, both formats: variant-hashes leaves version/revision out, kernels-data the variants
  // (kernels_data_test.cpp has the rest of kernels-data).
  LockedKernel k{"b/c", "0123456789abcdef0123456789abcdef01234567", {VariantLock{"torch-cpu", "h"}}};
  k.version = 3;
  Lock lock{{k}};
  CHECK(*serialize_lock(lock) ==
        "[\n  {\n    \"repo_id\": \"b/c\",\n    \"sha\": \"0123456789abcdef0123456789abcdef01234567\",\n"
        "    \"variants\": {\n      \"torch-cpu\": {\n        \"hash\": \"h\",\n        \"hash_type\": "
        "\"git_lfs_concat\"\n      }\n    }\n  }\n]");
  lock.format = kernels::lockfile::LockFormat::KernelsData;
  CHECK(*serialize_lock(lock) ==
        "[\n  {\n    \"dependency\": {\n      \"repo-id\": \"b/c\",\n      \"version\": 3\n    },\n"
        "    \"lock\": {\n      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n    }\n  }\n]");
  // The variant-hashes writer takes any sha (Python's does); the kernels-data one only a commit id.
  lock.kernels[0].sha = "d";
  CHECK(serialize_lock(lock).error().code == ErrorCode::format);
}

TEST_CASE("python_json_string: edges of the ASCII and Unicode ranges", "[lockfile][writer]") {
  // python3: json.dumps(s) for each s
  CHECK(*python_json_string("") == "\"\"");
  CHECK(*python_json_string(" ~") == "\" ~\"");
  CHECK(*python_json_string(std::string("\0", 1)) == "\"\\u0000\"");
  CHECK(*python_json_string("\xC2\x80") == "\"\\u0080\"");                 // U+0080
  CHECK(*python_json_string("\xEF\xBF\xBF") == "\"\\uffff\"");             // U+FFFF
  CHECK(*python_json_string("\xF0\x90\x80\x80") == "\"\\ud800\\udc00\"");  // U+10000
  CHECK(*python_json_string("\xF4\x8F\xBF\xBF") == "\"\\udbff\\udfff\"");  // U+10FFFF
  CHECK(*python_json_string("/<>&'") == "\"/<>&'\"");
}
