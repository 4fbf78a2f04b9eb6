#include <catch2/catch.hpp>

#include "util/utf8.hpp"

using kernels::find_invalid_utf8;
using kernels::utf8_length;

TEST_CASE("find_invalid_utf8 accepts ASCII and well-formed multi-byte text", "[util][utf8]") {
  CHECK_FALSE(find_invalid_utf8("").has_value());
  CHECK_FALSE(find_invalid_utf8("RMSNorm = 1").has_value());
  CHECK_FALSE(find_invalid_utf8("\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80").has_value());  // été € 😀
}

TEST_CASE("find_invalid_utf8 points at the first bad byte", "[util][utf8]") {
  CHECK(find_invalid_utf8("ab\xFF") == 2u);            // never valid
  CHECK(find_invalid_utf8("a\xC0\x80") == 1u);         // overlong NUL
  CHECK(find_invalid_utf8("\xE0\x80\x80") == 0u);      // overlong 3-byte
  CHECK(find_invalid_utf8("xy\xED\xA0\x80") == 2u);    // UTF-16 surrogate U+D800
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);  // above U+10FFFF
  CHECK(find_invalid_utf8("ok\xE2\x82") == 2u);        // truncated at the end
  CHECK(find_invalid_utf8("\x80") == 0u);              // lone continuation byte
}

TEST_CASE("utf8_length counts code points, not bytes", "[util][utf8]") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("abc") == 3);
  CHECK(utf8_length("\xC3\xA9t\xC3\xA9") == 3);  // été
  CHECK(utf8_length("\xF0\x9F\x98\x80!") == 2);  // 😀!
}
