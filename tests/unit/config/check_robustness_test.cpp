// The checker on thousands of corrupted variants of a real config: it must
// return (no exception, no sanitizer report under scripts/test --sanitize) and
// every diagnostic must point inside the file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using namespace kernels::config;

namespace {

// A small deterministic generator (xorshift64), so a failure reproduces.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(next() % n) : 0; }
};

std::string mutate(std::string text, Rng& rng) {
  static const std::string pieces[] = {"[",    "]",  "{",  "}",  "\"",  "'",      "=",   ",",
                                       ".",    "\n", "#",  "\\", "[[",  "\"\"\"", "'''", "\xC3",
                                       "\xFF", "0x", "1e", "-",  "inf", "true",   "\t",  "\r"};
  int edits = 1 + static_cast<int>(rng.below(4));
  for (int e = 0; e < edits && !text.empty(); ++e) {
    std::size_t at = rng.below(text.size());
    switch (rng.below(3)) {
      case 0: text.erase(at, 1 + rng.below(8)); break;
      case 1: text.insert(at, pieces[rng.below(std::size(pieces))]); break;
      default: text[at] = static_cast<char>(rng.below(128)); break;
    }
  }
  return text;
}

}  // namespace

TEST_CASE("check_config survives corrupted configs and keeps positions inside the file",
          "[config][check][robustness]") {
  auto original = kernels::read_file(kernels::test::source_path("examples/all-features.toml"));
  REQUIRE(original.ok());
  Rng rng{0x9E3779B97F4A7C15ull};
  int with_errors = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = mutate(*original, rng);
    auto lines = static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n') + 1);
    CheckResult r;
    REQUIRE_NOTHROW(r = check_config("fuzz.toml", text));
    for (const auto& d : r.diagnostics) {
      INFO("variant " << i << ": " << d.code << " at " << d.line << ":" << d.column);
      CHECK(d.line <= lines);
      CHECK((d.line == 0) == (d.column == 0));
      CHECK_FALSE(d.message.empty());
    }
    if (has_errors(r.diagnostics)) ++with_errors;
  }
  // The corruptions are real: most variants are rejected.
  CHECK(with_errors > 1500);
}
