// The kernels-data lock format (kernels-data's KernelLocks, serde_json pretty),
// read and written. Every expected text here is written by hand from the
// serde_json rules (2-space indent, ": ", one member per line, raw UTF-8,
// lowercase \u00XX for other control bytes, no final newline) and the
// upstream fixtures of huggingface/kernels 97dab31e; none was produced by
// running this code.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "lockfile/reader.hpp"
#include "lockfile/serde_json.hpp"
#include "lockfile/writer.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using kernels::ErrorCode;

using kernels::read_file;
using kernels::lockfile::dependency_less;
using kernels::lockfile::detect_lock_format;
using kernels::lockfile::Lock;
using kernels::lockfile::LockedKernel;
using kernels::lockfile::LockFormat;
using kernels::lockfile::parse_lock;
using kernels::lockfile::read_lock;
using kernels::lockfile::serde_json_string;
using kernels::lockfile::serialize_lock;
using kernels::lockfile::VariantLock;
using kernels::test::data_path;

namespace {

constexpr const char* kC1 = "0123456789abcdef0123456789abcdef01234567";
constexpr const char* kC2 = "89abcdef0123456789abcdef0123456789abcdef";

LockedKernel at_version(std::string repo_id, std::uint64_t version, std::string commit = kC1) {
  LockedKernel k;
  k.repo_id = std::move(repo_id);
  k.sha = std::move(commit);
  k.version = version;
  return k;
}

LockedKernel at_revision(std::string repo_id, std::string revision, std::string commit = kC1) {
  LockedKernel k;
  k.repo_id = std::move(repo_id);
  k.sha = std::move(commit);
  k.revision = std::move(revision);
  return k;
}

Lock kernels_data(std::vector<LockedKernel> kernels) { return Lock{std::move(kernels), LockFormat::KernelsData}; }

std::string format_error(const std::string& text) {
  auto r = parse_lock(text, "kernels.lock");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::format);
  return r.error().message;
}

// One kernels-data entry on one line; the columns the tests name are counted on it:
// [{"dependency": {"repo-id": "a/b", "version": 1}, "lock": {"commit": "0123...4567"}}]
//  ^2             ^17        ^29    ^36        ^47  ^51     ^59         ^70
std::string entry(const std::string& dependency, const std::string& lock) {
  return "{\"dependency\": " + dependency + ", \"lock\": " + lock + "}";
}
std::string one_line(const std::string& dependency, const std::string& lock) {
  return "[" + entry(dependency, lock) + "]";
}
const std::string kDep = R"({"repo-id": "a/b", "version": 1})";
const std::string kLock = std::string(R"({"commit": ")") + kC1 + "\"}";
// "[" + kEntry + ", " puts the next value at column 116 (kEntry spans columns 2 to 113).
const std::string kEntry = entry(kDep, kLock);

}  // namespace

TEST_CASE("kernels-data: the upstream fixtures read and write back byte for byte", "[lockfile][kernels-data]") {
  for (const char* name : {"upstream-kernels/kernels-data/kernel_locking/kernels.lock",
                           "upstream-kernels/kernels-data/layer_locking/kernels.lock"}) {
    INFO(name);
    auto bytes = read_file(data_path(name));
    REQUIRE(bytes.ok());
    auto lock = read_lock(data_path(name));
    REQUIRE(lock.ok());
    CHECK(lock->format == LockFormat::KernelsData);
    CHECK(detect_lock_format(*bytes) == LockFormat::KernelsData);
    auto again = serialize_lock(*lock);
    REQUIRE(again.ok());
    CHECK(*again == *bytes);
  }
  // Values from `git show 97dab31e:kernels/tests/kernel_locking/kernels.lock`.
  auto lock = read_lock(data_path("upstream-kernels/kernels-data/kernel_locking/kernels.lock"));
  REQUIRE(lock.ok());
  CHECK(lock->kernels ==
        std::vector<LockedKernel>{at_version("kernels-community/einops", 1, "0bd00775195dda6f84c16c31f6d94564232d08b3"),
                                  at_version("kernels-community/relu", 1, "d649efb56fb249ac8f7a57fa1866728ad0c60e52"),
                                  at_version("kernels-test/kernel-deps", 1, "b1c7a501401316a27653d46107b98259ee79d888"),
                                  at_version("kernels-test/versions", 2, "f609e51b856b3d874b0ae8445913e200f02c1735")});
  CHECK(lock->find("kernels-community/relu") == &lock->kernels[1]);
}

TEST_CASE("kernels-data: serde_json's pretty layout, one entry and none", "[lockfile][kernels-data]") {
  // lock.rs's example (reference §1, F3 details).
  CHECK(*serialize_lock(
            kernels_data({at_version("kernels-community/relu", 1, "d649efb56fb249ac8f7a57fa1866728ad0c60e52")})) ==
        "[\n"
        "  {\n"
        "    \"dependency\": {\n"
        "      \"repo-id\": \"kernels-community/relu\",\n"
        "      \"version\": 1\n"
        "    },\n"
        "    \"lock\": {\n"
        "      \"commit\": \"d649efb56fb249ac8f7a57fa1866728ad0c60e52\"\n"
        "    }\n"
        "  }\n"
        "]");
  CHECK(*serialize_lock(kernels_data({})) == "[]");
  // A revision is written instead of the version; a 64-digit (SHA-256) commit as is; u64's maximum in full.
  const std::string c64 = std::string(kC1) + "0123456789abcdef01234567";
  REQUIRE(c64.size() == 64);
  CHECK(*serialize_lock(kernels_data({at_revision("o/n", "34fa", c64), at_version("o/m", 18446744073709551615u)})) ==
        "[\n"
        "  {\n"
        "    \"dependency\": {\n"
        "      \"repo-id\": \"o/m\",\n"
        "      \"version\": 18446744073709551615\n"
        "    },\n"
        "    \"lock\": {\n"
        "      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n"
        "    }\n"
        "  },\n"
        "  {\n"
        "    \"dependency\": {\n"
        "      \"repo-id\": \"o/n\",\n"
        "      \"revision\": \"34fa\"\n"
        "    },\n"
        "    \"lock\": {\n"
        "      \"commit\": \"0123456789abcdef0123456789abcdef012345670123456789abcdef01234567\"\n"
        "    }\n"
        "  }\n"
        "]");
}

TEST_CASE("kernels-data: non-ASCII is written as raw UTF-8", "[lockfile][kernels-data]") {
  // "org/ünï", revision "bränch😀" (U+1F600).
  Lock lock = kernels_data({at_revision("org/\xC3\xBCn\xC3\xAF", "br\xC3\xA4nch\xF0\x9F\x98\x80")});
  const std::string expected =
      "[\n"
      "  {\n"
      "    \"dependency\": {\n"
      "      \"repo-id\": \"org/\xC3\xBCn\xC3\xAF\",\n"
      "      \"revision\": \"br\xC3\xA4nch\xF0\x9F\x98\x80\"\n"
      "    },\n"
      "    \"lock\": {\n"
      "      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n"
      "    }\n"
      "  }\n"
      "]";
  auto text = serialize_lock(lock);
  REQUIRE(text.ok());
  CHECK(*text == expected);
  auto back = parse_lock(*text, "kernels.lock");
  REQUIRE(back.ok());
  CHECK(*back == lock);
  // \u escapes in the file decode, and are written raw.
  auto escaped = parse_lock(
      one_line(R"({"repo-id": "org/\u00fcn\u00ef", "revision": "br\u00e4nch\ud83d\ude00"})", kLock), "kernels.lock");
  REQUIRE(escaped.ok());
  CHECK(*serialize_lock(*escaped) == expected);
}

TEST_CASE("kernels-data: quotes, backslashes and control bytes are escaped as serde_json does",
          "[lockfile][kernels-data]") {
  // serde_json: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00XX in lowercase hex; DEL and '/' raw.
  Lock lock = kernels_data({at_revision("q\"uote\\back/slash\x7f", std::string("a\n\r\t\b\f\x01\x1b\x1f\0z", 11))});
  const std::string expected =
      "[\n"
      "  {\n"
      "    \"dependency\": {\n"
      "      \"repo-id\": \"q\\\"uote\\\\back/slash\x7f\",\n"
      "      \"revision\": \"a\\n\\r\\t\\b\\f\\u0001\\u001b\\u001f\\u0000z\"\n"
      "    },\n"
      "    \"lock\": {\n"
      "      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n"
      "    }\n"
      "  }\n"
      "]";
  auto text = serialize_lock(lock);
  REQUIRE(text.ok());
  CHECK(*text == expected);
  auto back = parse_lock(*text, "kernels.lock");
  REQUIRE(back.ok());
  CHECK(*back == lock);
}

TEST_CASE("serde_json_string: edges", "[lockfile][kernels-data]") {
  CHECK(*serde_json_string("") == "\"\"");
  CHECK(*serde_json_string(" ~\x7f/<>&'") == "\" ~\x7f/<>&'\"");
  CHECK(*serde_json_string(std::string("\0", 1)) == "\"\\u0000\"");
  CHECK(*serde_json_string("\x0b\x0e\x1a") == "\"\\u000b\\u000e\\u001a\"");
  CHECK(*serde_json_string("\xC2\x80\xEF\xBF\xBF\xF4\x8F\xBF\xBF") == "\"\xC2\x80\xEF\xBF\xBF\xF4\x8F\xBF\xBF\"");
  for (const std::string& bad : {std::string("\xFF"), std::string("a\xC3"), std::string("\xC0\xAF"),
                                 std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80")}) {
    auto r = serde_json_string(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::utf8);
  }
}

TEST_CASE("kernels-data: entries are written in Rust's order of dependencies", "[lockfile][kernels-data]") {
  // Given out of order. Expected: "a-b/c" ('-' 0x2d) < "a/b" ('/' 0x2f); for a/b the versions 2 < 10
  // numerically, then the revisions "X" (0x58) < "x" (0x78); "a/b" < "a/c" < "a/z" < "a/é" (0xc3).
  Lock lock =
      kernels_data({at_revision("a/b", "x"), at_version("a/c", 1), at_version("a/b", 10), at_version("a/\xC3\xA9", 0),
                    at_version("a-b/c", 7, kC2), at_version("a/b", 2), at_revision("a/b", "X"), at_version("a/z", 3)});
  auto text = serialize_lock(lock);
  REQUIRE(text.ok());
  CHECK(*text ==
        "[\n"
        "  {\n    \"dependency\": {\n      \"repo-id\": \"a-b/c\",\n      \"version\": 7\n    },\n"
        "    \"lock\": {\n      \"commit\": \"89abcdef0123456789abcdef0123456789abcdef\"\n    }\n  },\n"
        "  {\n    \"dependency\": {\n      \"repo-id\": \"a/b\",\n      \"version\": 2\n    },\n"
        "    \"lock\": {\n      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n    }\n  },\n"
        "  {\n    \"dependency\": {\n      \"repo-id\": \"a/b\",\n      \"version\": 10\n    },\n"
        "    \"lock\": {\n      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n    }\n  },\n"
        "  {\n    \"dependency\": {\n      \"repo-id\": \"a/b\",\n      \"revision\": \"X\"\n    },\n"
        "    \"lock\": {\n      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n    }\n  },\n"
        "  {\n    \"dependency\": {\n      \"repo-id\": \"a/b\",\n      \"revision\": \"x\"\n    },\n"
        "    \"lock\": {\n      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n    }\n  },\n"
        "  {\n    \"dependency\": {\n      \"repo-id\": \"a/c\",\n      \"version\": 1\n    },\n"
        "    \"lock\": {\n      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n    }\n  },\n"
        "  {\n    \"dependency\": {\n      \"repo-id\": \"a/z\",\n      \"version\": 3\n    },\n"
        "    \"lock\": {\n      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n    }\n  },\n"
        "  {\n    \"dependency\": {\n      \"repo-id\": \"a/\xC3\xA9\",\n      \"version\": 0\n    },\n"
        "    \"lock\": {\n      \"commit\": \"0123456789abcdef0123456789abcdef01234567\"\n    }\n  }\n"
        "]");
  // The reader keeps file order; writing what it read sorts again, to the same bytes.
  auto back = parse_lock(*text, "kernels.lock");
  REQUIRE(back.ok());
  CHECK(back->kernels[0].repo_id == "a-b/c");
  CHECK(*serialize_lock(*back) == *text);
  auto unsorted =
      parse_lock("[" + entry(R"({"repo-id": "z/z", "version": 1})", kLock) + ", " + kEntry + "]", "kernels.lock");
  REQUIRE(unsorted.ok());
  REQUIRE(unsorted->kernels.size() == 2);
  CHECK(unsorted->kernels[0].repo_id == "z/z");
  CHECK(unsorted->kernels[1].repo_id == "a/b");

  CHECK(dependency_less(at_version("a/b", 2), at_version("a/b", 10)));
  CHECK(dependency_less(at_version("a/b", 18446744073709551615u), at_revision("a/b", "")));
  CHECK(dependency_less(at_revision("a/b", "z"), at_version("a/c", 0)));
  CHECK_FALSE(dependency_less(at_version("a/b", 2, kC1), at_version("a/b", 2, kC2)));  // commits are not compared
}

TEST_CASE("kernels-data: 500 entries are written sorted and read back", "[lockfile][kernels-data]") {
  // 23 repos, versions and revisions mixed, given in the order i * 7919 mod 500 (7919 is prime).
  std::vector<LockedKernel> entries;
  for (std::size_t n = 0; n < 500; ++n) {
    std::size_t i = n * 7919 % 500;
    char commit[41];
    std::snprintf(commit, sizeof commit, "%040zx", i);
    std::string repo = "org/k" + std::to_string(i % 23);
    entries.push_back(i % 3 == 0 ? at_revision(repo, "r" + std::to_string(i), commit) : at_version(repo, i, commit));
  }
  Lock lock = kernels_data(entries);
  auto text = serialize_lock(lock);
  REQUIRE(text.ok());
  CHECK(text->size() > 500 * 150);
  CHECK(text->back() == ']');
  // The smallest dependency: org/k0 (k0 < k1 < k10 ...), whose versions are the multiples of 23 that
  // 3 does not divide (0 and 69 are revisions): version 23, commit 0x17.
  const std::string first =
      "[\n  {\n    \"dependency\": {\n      \"repo-id\": \"org/k0\",\n      \"version\": 23\n    },\n"
      "    \"lock\": {\n      \"commit\": \"0000000000000000000000000000000000000017\"\n    }\n  },\n";
  CHECK(text->substr(0, first.size()) == first);
  auto back = parse_lock(*text, "kernels.lock");
  REQUIRE(back.ok());
  REQUIRE(back->kernels.size() == 500);
  for (std::size_t j = 1; j < back->kernels.size(); ++j) {
    INFO(j);
    REQUIRE(dependency_less(back->kernels[j - 1], back->kernels[j]));
  }
  std::sort(entries.begin(), entries.end(), dependency_less);
  CHECK(back->kernels == entries);
  CHECK(*serialize_lock(*back) == *text);
}

TEST_CASE("kernels-data: what the reader takes", "[lockfile][kernels-data]") {
  // Any whitespace and key order; an uppercase commit is lowercased; version 0 and u64's maximum.
  auto lock = parse_lock(R"([ {"lock": {"commit": "0123456789ABCDEF0123456789abcdefABCDEF67"},
                               "dependency": {"version": 0, "repo-id": "a/b"}},
                             {"dependency": {"revision": "", "repo-id": ""},
                              "lock": {"commit": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF"}},
                             {"dependency": {"repo-id": "a/b", "version": 18446744073709551615},
                              "lock": {"commit": "0123456789abcdef0123456789abcdef01234567"}} ])",
                         "kernels.lock");
  REQUIRE(lock.ok());
  CHECK(lock->format == LockFormat::KernelsData);
  REQUIRE(lock->kernels.size() == 3);
  CHECK(lock->kernels[0] == at_version("a/b", 0, "0123456789abcdef0123456789abcdefabcdef67"));
  CHECK(lock->kernels[1] == at_revision("", "", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
  CHECK(lock->kernels[2] == at_version("a/b", 18446744073709551615u));
  // Same repo, version 2 and revision "2": two dependencies. Same version, two repos: two.
  CHECK(parse_lock("[" + entry(R"({"repo-id": "a/b", "version": 2})", kLock) + ", " +
                       entry(R"({"repo-id": "a/b", "revision": "2"})", kLock) + ", " +
                       entry(R"({"repo-id": "a/c", "version": 2})", kLock) + "]",
                   "kernels.lock")
            .ok());
}

TEST_CASE("kernels-data: unknown keys are refused in every object", "[lockfile][kernels-data]") {
  CHECK(format_error(R"([{"x": 1, "dependency": {"repo-id": "a/b", "version": 1}, "lock": {}}])") ==
        "kernels.lock:1:3: entry 1 (a/b) has an unknown key \"x\" (an entry has \"dependency\" and \"lock\")");
  CHECK(format_error(one_line(R"({"repo-id": "a/b", "version": 1, "frobnicate": true})", kLock)) ==
        "kernels.lock:1:50: entry 1 (a/b) \"dependency\" has an unknown key \"frobnicate\" (a dependency has "
        "\"repo-id\" and \"version\" or \"revision\")");
  CHECK(format_error(one_line(kDep, std::string(R"({"commit": ")") + kC1 + R"(", "hash": "sha256-x"})")) ==
        "kernels.lock:1:114: entry 1 (a/b) \"lock\" has an unknown key \"hash\" (a lock has \"commit\")");
  // repo_id is variant-hashes' spelling, not kernels-data's.
  CHECK(format_error(one_line(R"({"repo_id": "a/b", "version": 1})", kLock)) ==
        "kernels.lock:1:18: entry 1 \"dependency\" has an unknown key \"repo_id\" (a dependency has \"repo-id\" and "
        "\"version\" or \"revision\")");
  // serde refuses a key given twice (nlohmann would keep the last).
  CHECK(format_error(one_line(R"({"repo-id": "a/b", "version": 1, "version": 2})", kLock)) ==
        "kernels.lock:1:50: entry 1 (a/b) \"dependency\" has the key \"version\" twice");
  CHECK(format_error("[" + kEntry.substr(0, kEntry.size() - 1) + ", \"lock\": {}}]") ==
        "kernels.lock:1:115: entry 1 (a/b) has the key \"lock\" twice");
}

TEST_CASE("kernels-data: a dependency has exactly one of version and revision", "[lockfile][kernels-data]") {
  CHECK(format_error(one_line(R"({"repo-id": "a/b", "version": 1, "revision": "main"})", kLock)) ==
        "kernels.lock:1:17: entry 1 (a/b) \"dependency\": `version` and `revision` are mutually exclusive");
  CHECK(format_error(one_line(R"({"repo-id": "a/b"})", kLock)) ==
        "kernels.lock:1:17: entry 1 (a/b) \"dependency\": either `version` or `revision` must be specified");
  CHECK(format_error(one_line(R"({"version": 1})", kLock)) ==
        "kernels.lock:1:17: entry 1 \"dependency\" has no \"repo-id\"");
  CHECK(format_error(one_line(R"({"repo-id": 5, "version": 1})", kLock)) ==
        "kernels.lock:1:29: entry 1 \"dependency\": \"repo-id\" is a number, expected a string");
  CHECK(format_error(one_line(R"({"repo-id": "a/b", "revision": 3})", kLock)) ==
        "kernels.lock:1:48: entry 1 (a/b) \"dependency\": \"revision\" is a number, expected a string");
  CHECK(format_error(one_line(R"("a/b")", kLock)) ==
        "kernels.lock:1:17: entry 1 \"dependency\" is a string, expected an object with \"repo-id\" and \"version\" "
        "or \"revision\"");
}

TEST_CASE("kernels-data: a version is a non-negative integer", "[lockfile][kernels-data]") {
  auto version_error = [](const std::string& version) {
    return format_error(one_line(R"({"repo-id": "a/b", "version": )" + version + "}", kLock));
  };
  CHECK(version_error("-1") ==
        "kernels.lock:1:47: entry 1 (a/b) \"dependency\": \"version\" is -1, expected a "
        "non-negative integer");
  CHECK(version_error("1.5") ==
        "kernels.lock:1:47: entry 1 (a/b) \"dependency\": \"version\" is 1.5, expected a "
        "non-negative integer");
  CHECK(version_error("\"1\"") ==
        "kernels.lock:1:47: entry 1 (a/b) \"dependency\": \"version\" is a string, "
        "expected a non-negative integer");
  // serde_json reads these as floats (or -0 as -0.0), which a usize refuses.
  for (const char* v : {"1.0", "1e2", "-0", "18446744073709551616", "null", "true", "[1]"}) {
    INFO(v);
    CHECK_THAT(version_error(v),
               Catch::StartsWith("kernels.lock:1:47: entry 1 (a/b) \"dependency\": \"version\" is ") &&
                   Catch::EndsWith(", expected a non-negative integer"));
  }
}

TEST_CASE("kernels-data: a commit is 40 or 64 hex digits", "[lockfile][kernels-data]") {
  auto commit_error = [](const std::string& commit) {
    return format_error(one_line(kDep, R"({"commit": ")" + commit + "\"}"));
  };
  const std::string c39 = std::string(kC1).substr(0, 39);
  CHECK(commit_error(c39) ==
        "kernels.lock:1:70: entry 1 (a/b) \"lock\": \"commit\": Invalid git object id, expected "
        "40 or 64 hexadecimal digits: " +
            c39);
  const std::string not_hex = "g123456789abcdef0123456789abcdef01234567";
  CHECK(commit_error(not_hex) ==
        "kernels.lock:1:70: entry 1 (a/b) \"lock\": \"commit\": Invalid git object id, "
        "expected 40 or 64 hexadecimal digits: " +
            not_hex);
  const std::string c64 = std::string(kC1) + "0123456789abcdef01234567";
  for (const std::string& bad : {std::string(""), std::string("d0610aa"), std::string(kC1) + "0", c64 + "0",
                                 c64.substr(0, 63), c39 + " ", " " + c39}) {
    INFO(bad);
    CHECK_THAT(commit_error(bad),
               Catch::Contains("Invalid git object id, expected 40 or 64 hexadecimal digits: " + bad));
  }
  CHECK(format_error(one_line(kDep, R"({"commit": 7})")) ==
        "kernels.lock:1:70: entry 1 (a/b) \"lock\": \"commit\" is a number, expected a string");
  CHECK(format_error(one_line(kDep, R"({})")) == "kernels.lock:1:59: entry 1 (a/b) \"lock\" has no \"commit\"");
  CHECK(format_error(one_line(kDep, R"([])")) ==
        "kernels.lock:1:59: entry 1 (a/b) \"lock\" is an array, expected an object with \"commit\"");
}

TEST_CASE("kernels-data: a dependency locked twice is refused", "[lockfile][kernels-data]") {
  std::string c = "{\"commit\": \"" + std::string(kC1) + "\"}";
  CHECK(format_error("[{\"dependency\": {\"repo-id\": \"a/b\", \"version\": 2}, \"lock\": " + c +
                     "},\n"
                     " {\"dependency\": {\"repo-id\": \"a/b\", \"version\": 2}, \"lock\": " +
                     c + "}]") ==
        "kernels.lock:2:17: entry 2 (a/b) duplicate dependency: version 2 of a/b is already locked by entry 1");
  CHECK(format_error("[{\"dependency\": {\"repo-id\": \"a/b\", \"revision\": \"main\"}, \"lock\": " + c +
                     "},\n"
                     " {\"dependency\": {\"repo-id\": \"a/c\", \"version\": 1}, \"lock\": " +
                     c +
                     "},\n"
                     " {\"dependency\": {\"revision\": \"main\", \"repo-id\": \"a/b\"}, \"lock\": " +
                     c + "}]") ==
        "kernels.lock:3:17: entry 3 (a/b) duplicate dependency: revision \"main\" of a/b is already locked by entry 1");
}

TEST_CASE("kernels-data: the shape of the file and of its entries", "[lockfile][kernels-data]") {
  // A top-level object is refused, as KernelLocks refuses one.
  CHECK(format_error("{\"dependency\": " + kDep + ", \"lock\": " + kLock + "}") ==
        "kernels.lock:1:1: the file holds an object, expected a JSON array of locked kernels");
  CHECK(format_error(R"([{"lock": {"commit": "0123456789abcdef0123456789abcdef01234567"}}])") ==
        "kernels.lock:1:2: entry 1 has no \"dependency\"");
  CHECK(format_error(R"([{"dependency": {"repo-id": "a/b", "version": 1}}])") ==
        "kernels.lock:1:2: entry 1 (a/b) has no \"lock\"");
  // Entry 1 decides the format; a later entry of neither shape is read as one of it.
  CHECK(format_error("[" + kEntry + ", 1]") ==
        "kernels.lock:1:116: entry 2 is a number, expected an object with \"dependency\" and \"lock\"");
  CHECK(format_error("[" + kEntry + ", {}]") == "kernels.lock:1:116: entry 2 has no \"dependency\"");
}

TEST_CASE("kernels-data: entries of both formats in one file are refused", "[lockfile][kernels-data]") {
  CHECK(
      format_error("[" + kEntry + R"(, {"repo_id": "c/d", "sha": "s", "variants": {}}])") ==
      "kernels.lock:1:116: entry 2 (c/d) is a variant-hashes ({\"repo_id\", \"sha\", \"variants\"}) entry, but entry 1 "
      "(a/b) is kernels-data ({\"dependency\", \"lock\"}); a kernels.lock holds entries of one format");
  CHECK(format_error("[\n  {\"repo_id\": \"c/d\", \"sha\": \"s\", \"variants\": {}},\n  {\"dependency\": " + kDep +
                     ", \"lock\": " + kLock + "}\n]") ==
        "kernels.lock:3:3: entry 2 (a/b) is a kernels-data ({\"dependency\", \"lock\"}) entry, but entry 1 (c/d) is "
        "variant-hashes ({\"repo_id\", \"sha\", \"variants\"}); a kernels.lock holds entries of one format");
  // The old per-file format after a kernels-data entry.
  CHECK_THAT(format_error("[" + kEntry + R"(, {"repo_id": "c/d", "sha": "s", "files": []}])"),
             Catch::StartsWith("kernels.lock:1:116: entry 2 (c/d) is a variant-hashes"));
}

TEST_CASE("detect_lock_format tells the formats apart by the first entry", "[lockfile][kernels-data]") {
  auto vh = read_file(data_path("upstream-kernels/kernel_locking/kernels.lock"));
  REQUIRE(vh.ok());
  CHECK(detect_lock_format(*vh) == LockFormat::VariantHashes);
  auto kd = read_file(data_path("upstream-kernels/kernels-data/layer_locking/kernels.lock"));
  REQUIRE(kd.ok());
  CHECK(detect_lock_format(*kd) == LockFormat::KernelsData);
  CHECK(detect_lock_format(one_line(R"({"repo-id": "a/b"})", "{}")) == LockFormat::KernelsData);  // shape only
  CHECK(detect_lock_format(R"([{"repo_id": 1}])") == LockFormat::VariantHashes);
  for (const char* text : {"[]", " [ ] ", "", "garbage", "[", "{}", "[1]", "[{}]", "[[]]", "\"x\"",
                           "\xEF\xBB\xBF[{\"repo_id\": \"a\", \"sha\": \"s\", \"variants\": {}}]"}) {
    INFO(text);
    CHECK_FALSE(detect_lock_format(text).has_value());
  }
  CHECK_FALSE(detect_lock_format(std::string(1000, '[') + std::string(1000, ']')).has_value());
}

TEST_CASE("kernels-data: the writer refuses what the reader would", "[lockfile][kernels-data]") {
  auto error_code = [](const Lock& lock) {
    auto r = serialize_lock(lock);
    REQUIRE_FALSE(r.ok());
    return r.error().code;
  };
  LockedKernel both = at_version("a/b", 1);
  both.revision = "main";
  LockedKernel neither = at_version("a/b", 1);
  neither.version.reset();
  CHECK(error_code(kernels_data({at_version("z/z", 1), both})) == ErrorCode::format);
  auto r = serialize_lock(kernels_data({at_version("z/z", 1), neither}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "cannot write a kernels-data lock: entry 2 (a/b) has neither a version nor a revision");
  CHECK(error_code(kernels_data({at_version("a/b", 1, "0123456789ABCDEF0123456789abcdef01234567")})) ==
        ErrorCode::format);
  CHECK(error_code(kernels_data({at_version("a/b", 1, std::string(kC1).substr(0, 39))})) == ErrorCode::format);
  CHECK(error_code(kernels_data({at_version("a/b", 1, "")})) == ErrorCode::format);
  auto dup = serialize_lock(kernels_data({at_version("a/b", 2), at_version("a/c", 2), at_version("a/b", 2, kC2)}));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == ErrorCode::duplicate);
  CHECK(dup.error().message == "cannot write a kernels-data lock: a/b version 2 is locked twice (entries 1 and 3)");
  CHECK(error_code(kernels_data({at_revision("a/b", "x"), at_revision("a/b", "x")})) == ErrorCode::duplicate);
  CHECK(error_code(kernels_data({at_version("o/\xFF", 1)})) == ErrorCode::utf8);
  CHECK(error_code(kernels_data({at_revision("o/n", "\xC3")})) == ErrorCode::utf8);
  // Variants are not part of the format: not written, so not read back.
  LockedKernel with_variants = at_version("a/b", 1);
  with_variants.variants.push_back(VariantLock{"torch-cpu", "sha256-x"});
  CHECK(*serialize_lock(kernels_data({with_variants})) == *serialize_lock(kernels_data({at_version("a/b", 1)})));
}
