// The one table of kernels check's codes (config/diagnostic.hpp) and
// kernels-check(1): the page lists every code with its default severity,
// once in the summary block (in the table's order) and once in its
// Errors/Warnings/Notes section.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "check_test_support.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using namespace kernels::config;
using namespace kernels::config::test;

namespace {

std::string unescape(std::string s) {
  for (std::size_t p; (p = s.find("\\-")) != std::string::npos;) s.erase(p, 1);
  return s;
}

std::string man_page() {
  auto text = kernels::read_file(kernels::test::source_path("man/kernels-check.1"));
  REQUIRE(text.ok());
  return *text;
}

}  // namespace

TEST_CASE("check codes: one row per Code, unique kebab-case names, found by name", "[config][codes]") {
  std::set<std::string> names;
  for (const auto& c : check_codes()) {
    INFO(c.name);
    CHECK(names.insert(std::string(c.name)).second);
    CHECK(c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos);
    CHECK(find_code(c.name) == c.code);
    CHECK(&code_info(c.code) == &c);
  }
  CHECK(names.size() == 35);
  CHECK_FALSE(find_code("unknown-keys"));
  CHECK_FALSE(find_code(""));
  CHECK(code_info(Code::UnknownKey).severity == Severity::Warning);
  CHECK(code_info(Code::UnknownTopLevel).severity == Severity::Error);
  CHECK(code_info(Code::NoKernels).severity == Severity::Error);
  CHECK(code_info(Code::RegistrationUnchecked).severity == Severity::Note);
  // Only what means "not checked at all" escapes --ignore/--select.
  for (const auto& c : check_codes()) CHECK(c.filterable == (c.code != Code::Io && c.code != Code::Syntax));
}

TEST_CASE("check codes: kernels-check(1) lists every code with its default severity, in the table's order",
          "[config][codes]") {
  std::string page = man_page();
  auto begin = page.find(".\\\" codes-begin\n");
  auto end = page.find(".\\\" codes-end\n");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  std::istringstream block(page.substr(begin, end - begin));
  std::string line;
  std::getline(block, line);  // the marker
  std::vector<std::pair<std::string, std::string>> listed;
  while (std::getline(block, line)) {
    std::istringstream words(unescape(line));
    std::string name, severity, extra;
    words >> name >> severity;
    CHECK_FALSE(words >> extra);
    listed.emplace_back(name, severity);
  }
  std::vector<std::pair<std::string, std::string>> table;
  for (const auto& c : check_codes()) table.emplace_back(std::string(c.name), severity_name(c.severity));
  CHECK(listed == table);
}

TEST_CASE("check codes: kernels-check(1) describes every code under its severity's heading", "[config][codes]") {
  std::istringstream page(man_page());
  std::map<std::string, std::string> described;  // code -> "error", "warning", "note"
  std::string section, line, previous;
  bool in_codes = false;
  while (std::getline(page, line)) {
    if (line.rfind(".SH ", 0) == 0) in_codes = line == ".SH DIAGNOSTIC CODES";
    if (!in_codes) continue;
    if (line == ".SS Errors") section = "error";
    else if (line == ".SS Warnings") section = "warning";
    else if (line == ".SS Notes") section = "note";
    else if (previous == ".TP" && line.rfind(".B ", 0) == 0) {
      std::string name = unescape(line.substr(3));
      CHECK(described.emplace(name, section).second);
    }
    previous = line;
  }
  std::map<std::string, std::string> table;
  for (const auto& c : check_codes()) table.emplace(std::string(c.name), severity_name(c.severity));
  CHECK(described == table);
}

TEST_CASE("check codes: every diagnostic check_config gives carries its code's default severity", "[config][codes]") {
  const std::vector<std::string> documents{
      "",
      "[model]\nlayers = [\"A\"]\n",
      "[kernel_maping]\nA = \"o/r:A\"\n",
      "[kernel_mapping]\nA = { repo = \"o/r:A\", verison = 1 }\nB = {}\n",
      "[kernel_mapping]\nA = \"o/r:A\"\nB = { repo = \"o/r:B\", version = 2 }\n",
      "x = [\n",
  };
  std::set<std::string> seen;
  for (const auto& text : documents) {
    for (const auto& d : check(text).diagnostics) {
      INFO(text << " -> " << render(d));
      auto code = find_code(d.code);
      REQUIRE(code);
      CHECK(d.severity == code_info(*code).severity);
      seen.insert(d.code);
    }
  }
  CHECK(seen == std::set<std::string>{"empty-file", "no-kernels", "unknown-top-level", "missing-version", "unknown-key",
                                      "empty-mapping", "version-conflict", "registration-unchecked", "syntax"});
}
