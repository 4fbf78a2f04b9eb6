#include <catch2/catch.hpp>

#include "config/python_repr.hpp"

using namespace kernels::config;
namespace toml = kernels::toml;

namespace {
toml::Value value_of(const std::string& text) {
  auto r = toml::parse("v = " + text + "\n");
  REQUIRE(std::holds_alternative<toml::Value>(r));
  return std::get<toml::Value>(r).table.at(0).value;
}
}  // namespace

// Expected strings are what CPython 3.11 prints for the equivalent object.
TEST_CASE("python_str renders values as Python's str() does", "[config][python_repr]") {
  CHECK(python_str(value_of("'yes'")) == "yes");
  CHECK(python_str(value_of("1")) == "1");
  CHECK(python_str(value_of("-7")) == "-7");
  CHECK(python_str(value_of("true")) == "True");
  CHECK(python_str(value_of("1.5")) == "1.5");
  CHECK(python_str(value_of("1.0")) == "1.0");
  CHECK(python_str(value_of("100.0")) == "100.0");
  CHECK(python_str(value_of("1e16")) == "1e+16");
  CHECK(python_str(value_of("1e15")) == "1000000000000000.0");
  CHECK(python_str(value_of("0.0001")) == "0.0001");
  CHECK(python_str(value_of("0.00001")) == "1e-05");
  CHECK(python_str(value_of("-inf")) == "-inf");
  CHECK(python_str(value_of("nan")) == "nan");
  CHECK(python_str(value_of("['a', 1, false]")) == "['a', 1, False]");
  CHECK(python_str(value_of("{ inference = 'org/r:X', n = [2] }")) == "{'inference': 'org/r:X', 'n': [2]}");
}

TEST_CASE("python_repr quotes like CPython", "[config][python_repr]") {
  CHECK(python_repr(std::string("abc")) == "'abc'");
  CHECK(python_repr(std::string("it's")) == "\"it's\"");
  CHECK(python_repr(std::string("'\"")) == "'\\'\"'");
  CHECK(python_repr(std::string("a\\w+")) == "'a\\\\w+'");
  CHECK(python_repr(std::string("t\tn\n")) == "'t\\tn\\n'");
  CHECK(python_list({"a", "b"}) == "['a', 'b']");
  CHECK(python_list({}) == "[]");
}

TEST_CASE("python_type names the Python class", "[config][python_repr]") {
  CHECK(python_type(value_of("['RMSNorm']")) == "<class 'list'>");
  CHECK(python_type(value_of("'x'")) == "<class 'str'>");
  CHECK(python_type(value_of("3")) == "<class 'int'>");
  CHECK(python_type(value_of("true")) == "<class 'bool'>");
  CHECK(python_type(value_of("2024-01-01")) == "<class 'datetime.date'>");
}
