#include <catch2/catch.hpp>

#include "sigstore/json.hpp"
#include "sigstore/time.hpp"

using namespace kernels::sigstore;

TEST_CASE("bounded JSON: depth and size limits hold before parsing", "[sigstore][json]") {
  std::string deep(100000, '[');
  auto d = parse_json_bounded(deep, "bundle");
  REQUIRE(!d.ok());
  CHECK(d.error().message == "bundle is nested deeper than 32 levels");
  // Brackets inside strings do not count.
  auto s = parse_json_bounded("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}", "x", 1000, 2);
  CHECK(s.ok());
  auto big = parse_json_bounded(std::string(2000, ' '), "bundle", 1000);
  REQUIRE(!big.ok());
  CHECK(big.error().message.find("too large") != std::string::npos);
  auto trunc = parse_json_bounded("{\"a\": [1, 2", "bundle");
  REQUIRE(!trunc.ok());
  CHECK(trunc.error().message.find("bundle is not valid JSON") == 0);
}

TEST_CASE("int64 fields: protobuf JSON strings or numbers, never negative", "[sigstore][json]") {
  auto j = nlohmann::json::parse(R"({"a":"123","b":45,"c":"-1","d":-2,"e":"1e3","f":"99999999999999999999","g":""})");
  CHECK(*int64_field(j, "a", "a") == 123);
  CHECK(*int64_field(j, "b", "b") == 45);
  CHECK(int64_field(j, "c", "c").error().message == "c is negative (-1)");
  CHECK(int64_field(j, "d", "d").error().message == "d is negative (-2)");
  CHECK(!int64_field(j, "e", "e").ok());
  CHECK(!int64_field(j, "f", "f").ok());
  CHECK(!int64_field(j, "g", "g").ok());
  CHECK(int64_field(j, "missing", "x.missing").error().message == "missing field x.missing");
}

TEST_CASE("RFC 3339: the trusted root's forms", "[sigstore][time]") {
  CHECK(parse_rfc3339("1970-01-01T00:00:00Z")->seconds == 0);
  CHECK(parse_rfc3339("2021-01-12T11:53:27Z")->seconds == 1610452407);
  auto frac = parse_rfc3339("2022-10-31T23:59:59.999Z");
  REQUIRE(frac.ok());
  CHECK(frac->seconds == 1667260799);
  CHECK(frac->nanos == 999000000);
  CHECK(parse_rfc3339("2021-01-12T12:53:27+01:00")->seconds == 1610452407);
  CHECK(!parse_rfc3339("2021-01-12 11:53:27Z").ok());
  CHECK(!parse_rfc3339("2021-02-30T00:00:00Z").ok());
  CHECK(!parse_rfc3339("2021-01-12T11:53:27").ok());
  CHECK(!parse_rfc3339("2021-01-12T11:53:27Zjunk").ok());
  CHECK(format_rfc3339(1610452407) == "2021-01-12T11:53:27Z");
}
