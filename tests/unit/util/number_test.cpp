#include <catch2/catch.hpp>

#include <cstdint>

#include "util/number.hpp"

using kernels::parse_decimal;

TEST_CASE("parse_decimal: digits only, and out-of-range is nullopt, not an exception", "[util][number]") {
  CHECK(parse_decimal<int>("0") == 0);
  CHECK(parse_decimal<int>("2147483647") == 2147483647);
  CHECK_FALSE(parse_decimal<int>("2147483648"));
  CHECK_FALSE(parse_decimal<int>("99999999999"));  // "cu99999999999" in a variant name threw out_of_range
  CHECK(parse_decimal<std::uint64_t>("18446744073709551615") == UINT64_MAX);
  CHECK_FALSE(parse_decimal<std::uint64_t>("18446744073709551616"));  // an X-Linked-Size of 20 digits
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1.0", "0x10", "1e3"}) CHECK_FALSE(parse_decimal<int>(bad));
}
