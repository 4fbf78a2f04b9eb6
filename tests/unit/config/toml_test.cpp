#include <catch2/catch.hpp>

#include <string>

#include "config/toml.hpp"

namespace toml = kernels::toml;

namespace {

toml::Value ok(const std::string& text) {
  auto r = toml::parse(text);
  if (auto* e = std::get_if<toml::SyntaxError>(&r))
    FAIL("unexpected syntax error at " << e->pos.line << ":" << e->pos.column << ": " << e->message);
  return std::get<toml::Value>(std::move(r));
}

toml::SyntaxError bad(const std::string& text) {
  auto r = toml::parse(text);
  REQUIRE(std::holds_alternative<toml::SyntaxError>(r));
  return std::get<toml::SyntaxError>(r);
}

}  // namespace

TEST_CASE("toml: keys keep source order and positions", "[config][toml]") {
  auto doc = ok("zeta = 1\nalpha = 'a'\n[table]\n  mid = true\n");
  REQUIRE(doc.table.size() == 3);
  CHECK(doc.table[0].key == "zeta");
  CHECK(doc.table[1].key == "alpha");
  CHECK(doc.table[2].key == "table");
  CHECK(doc.table[1].key_pos.line == 2);
  CHECK(doc.table[1].key_pos.column == 1);
  CHECK(doc.table[1].value.pos.column == 9);
  const auto& t = doc.table[2].value;
  CHECK(t.pos.line == 3);
  CHECK(t.pos.column == 1);
  REQUIRE(t.table.size() == 1);
  CHECK(t.table[0].key_pos.line == 4);
  CHECK(t.table[0].key_pos.column == 3);
  CHECK(t.table[0].value.boolean);
}

TEST_CASE("toml: columns count code points", "[config][toml]") {
  auto doc = ok("\"\xC3\xA9t\xC3\xA9\" = 1\n");  // "été" = 1
  CHECK(doc.table[0].key == "\xC3\xA9t\xC3\xA9");
  CHECK(doc.table[0].value.pos.column == 9);
}

TEST_CASE("toml: values of every type", "[config][toml]") {
  auto doc =
      ok("s = \"a\\tb\\u00e9\"\nl = 'C:\\path'\nm = \"\"\"\nline1\\\n   line2\"\"\"\nlit = '''\nx\ny'''\n"
         "i = +1_000\nh = 0xff\no = 0o17\nb = 0b101\nf = 6.5e-1\ninf = -inf\n"
         "d = 1979-05-27T07:32:00Z\nld = 1979-05-27\nlt = 07:32:00.5\nsp = 1979-05-27 07:32:00\n"
         "arr = [1, [2, 3], ] # trailing comma\ninl = { a.b = 1, c = \"x\" }\n");
  CHECK(doc.find("s")->text == "a\tb\xC3\xA9");
  CHECK(doc.find("l")->text == "C:\\path");
  CHECK(doc.find("m")->text == "line1line2");
  CHECK(doc.find("lit")->text == "x\ny");
  CHECK(doc.find("i")->integer == 1000);
  CHECK(doc.find("h")->integer == 255);
  CHECK(doc.find("o")->integer == 15);
  CHECK(doc.find("b")->integer == 5);
  CHECK(doc.find("f")->number == Approx(0.65));
  CHECK(doc.find("inf")->number < -1e308);
  CHECK(doc.find("d")->type == toml::Type::OffsetDateTime);
  CHECK(doc.find("ld")->type == toml::Type::LocalDate);
  CHECK(doc.find("lt")->type == toml::Type::LocalTime);
  CHECK(doc.find("sp")->type == toml::Type::LocalDateTime);
  const auto* arr = doc.find("arr");
  REQUIRE(arr->array.size() == 2);
  CHECK(arr->array[1].array[1].integer == 3);
  const auto* inl = doc.find("inl");
  CHECK(inl->find("a")->find("b")->integer == 1);
  CHECK(inl->table_kind == toml::TableKind::Inline);
}

TEST_CASE("toml: arrays of tables and sub-tables", "[config][toml]") {
  auto doc = ok("[[layer]]\nname = 'a'\n[[layer]]\nname = 'b'\n[layer.sub]\nx = 1\n[x.y.z]\n[x]\nw = 2\n");
  const auto* layers = doc.find("layer");
  REQUIRE(layers->array.size() == 2);
  CHECK(layers->array[1].find("name")->text == "b");
  CHECK(layers->array[1].find("sub")->find("x")->integer == 1);
  CHECK(layers->array[1].pos.line == 3);
  CHECK(doc.find("x")->find("w")->integer == 2);
}

TEST_CASE("toml: syntax errors carry a position and an explanation", "[config][toml]") {
  auto e = bad("a = 1\nb = \n");
  CHECK(e.pos.line == 2);
  CHECK(e.pos.column == 5);
  CHECK(e.message == "expected a value after '='");

  e = bad("a = 1\na = 2\n");
  CHECK(e.pos.line == 2);
  CHECK(e.pos.column == 1);
  CHECK(e.message == "duplicate key 'a'");

  e = bad("[t]\n[t]\n");
  CHECK(e.pos.line == 2);
  CHECK(e.pos.column == 2);
  CHECK(e.message == "table 't' is defined more than once");

  e = bad("s = \"abc\n");
  CHECK(e.pos.line == 1);
  CHECK(e.pos.column == 5);
  CHECK(e.message == "unterminated string: a single-line string ends at the end of the line");

  e = bad("x = \"\\q\"\n");
  CHECK(e.pos.column == 6);
  CHECK(e.message.find("invalid escape sequence '\\q'") == 0);

  e = bad("key value\n");
  CHECK(e.pos.column == 5);
  CHECK(e.message == "expected '=' after the key 'key', found 'v'");

  e = bad("n = 012\n");
  CHECK(e.message == "leading zeros are not allowed in a number");

  e = bad("n = 9223372036854775808\n");
  CHECK(e.message == "integer out of range (a TOML integer is a signed 64-bit number)");

  e = bad("t = { a = 1,\n b = 2 }\n");
  CHECK(e.pos.line == 1);
  CHECK(e.message == "an inline table must be on one line (no newline before its '}')");

  e = bad("a = [1, 2\n");
  CHECK(e.pos.column == 5);
  CHECK(e.message == "unterminated array: no ']' before the end of the file");

  e = bad("d = 2023-02-30\n");
  CHECK(e.message == "date out of range");

  e = bad("a = 1\rb = 2\n");
  CHECK(e.message == "a carriage return must be followed by a line feed");
}

TEST_CASE("toml: tables defined by dotted keys or inline cannot be reopened", "[config][toml]") {
  CHECK(bad("a = { b = 1 }\n[a]\n").message == "table 'a' is defined more than once");
  CHECK(bad("a = { b = 1 }\n[a.c]\n").message == "cannot extend the inline table 'a'");
  CHECK(bad("[a]\nb.c = 1\n[a.b]\n").message == "table 'a.b' is defined more than once");
  CHECK(bad("a = [1]\n[[a]]\n").message == "'a' is already a static array, it cannot be an array of tables");
  CHECK(bad("[a.b]\n[a]\nb.c = 1\n").message == "table 'b' is already defined; dotted keys cannot extend it here");
}

TEST_CASE("toml: invalid UTF-8 is rejected with its position", "[config][toml]") {
  auto e = bad("a = 1\nb = \"\xC3\xA9\xFF\"\n");
  CHECK(e.pos.line == 2);
  CHECK(e.pos.column == 7);  // b, space, =, space, ", é, then the bad byte
  CHECK(e.message == "invalid UTF-8 (a TOML file must be UTF-8 encoded)");
}

TEST_CASE("toml: absurd nesting is an error, not a stack overflow", "[config][toml]") {
  auto e = bad("a = " + std::string(10000, '[') + std::string(10000, ']') + "\n");
  CHECK(e.message == "arrays and inline tables nested more than 64 deep");
  CHECK(e.pos.column == 5 + 64);

  std::string inl = "a = ";
  for (int i = 0; i < 10000; ++i) inl += "{b=";
  e = bad(inl + "1\n");
  CHECK(e.message == "arrays and inline tables nested more than 64 deep");

  std::string header = "[";
  for (int i = 0; i < 10000; ++i) header += "t.";
  e = bad(header + "t]\n");
  CHECK(e.message == "a dotted key with more than 64 parts");
  CHECK(e.pos.column == 2 + 64 * 2);  // the 65th key

  // Exactly at the limit is fine.
  CHECK_NOTHROW(ok("a = " + std::string(64, '[') + std::string(64, ']') + "\n"));
}

TEST_CASE("toml: a value cannot become a table, a byte order mark is skipped", "[config][toml]") {
  auto e = bad("a = 1\na.b = 2\n");
  CHECK(e.pos.line == 2);
  CHECK(e.pos.column == 1);
  CHECK(e.message == "'a' is already an integer, not a table");
  CHECK(bad("[[a]]\n[a]\n").message == "'a' is already an array, not a table");
  auto doc = ok("\xEF\xBB\xBFkey = 1\n");
  REQUIRE(doc.table.size() == 1);
  CHECK(doc.table[0].key == "key");
  CHECK(doc.table[0].value.pos.column == 7);
}
