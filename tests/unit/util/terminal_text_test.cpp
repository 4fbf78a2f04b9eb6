#include <catch2/catch.hpp>

#include <string>

#include "util/terminal_text.hpp"

using kernels::escape_control;
using kernels::one_line;
using kernels::redact;

TEST_CASE("escape_control makes C0 controls, DEL and ESC visible, keeps tab and newline", "[util][terminal_text]") {
  CHECK(escape_control("plain text, / \\ and \"quotes\"") == "plain text, / \\ and \"quotes\"");
  CHECK(escape_control("a\tb\nc") == "a\tb\nc");
  CHECK(escape_control("over\rwrite") == "over\\rwrite");
  CHECK(escape_control("\x1b[2Jcleared") == "\\x1b[2Jcleared");
  CHECK(escape_control("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(escape_control(std::string("nul\0bell\a", 9)) == "nul\\x00bell\\x07");
  CHECK(escape_control("del\x7f") == "del\\x7f");
  CHECK(escape_control("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
}

TEST_CASE("escape_control keeps valid UTF-8, escapes C1 controls and invalid bytes", "[util][terminal_text]") {
  CHECK(escape_control("caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x80") == "caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x80");
  CHECK(escape_control("csi\xc2\x9b"
                       "2J") == "csi\\u009b2J");                                  // U+009B, the 8-bit CSI
  CHECK(escape_control("\xc2\x80\xc2\x9f\xc2\xa0") == "\\u0080\\u009f\xc2\xa0");  // U+00A0 is no control
  CHECK(escape_control("lone \x9b byte") == "lone \\x9b byte");
  CHECK(escape_control("cut \xe2\x80") == "cut \\xe2\\x80");
  CHECK(escape_control("overlong \xc0\xaf") == "overlong \\xc0\\xaf");
  CHECK(escape_control("surrogate \xed\xa0\x80") == "surrogate \\xed\\xa0\\x80");
  CHECK(escape_control("") == "");
}

TEST_CASE("append_escaped can let SGR colour sequences through and nothing else", "[util][terminal_text]") {
  kernels::EscapeOptions options;
  options.keep_sgr = true;
  std::string out;
  kernels::append_escaped(out, "\x1b[1;31merror\x1b[0m \x1b[m \x1b[2J \x1b[K \x1b[31", options);
  CHECK(out == "\x1b[1;31merror\x1b[0m \x1b[m \\x1b[2J \\x1b[K \\x1b[31");
}

TEST_CASE("one_line escapes newlines and tabs, trims, and cuts at a character boundary", "[util][terminal_text]") {
  CHECK(one_line("  first\nerror: forged\r\n", 300) == "first\\nerror: forged");
  CHECK(one_line("a\tb", 300) == "a\\tb");
  CHECK(one_line("\n \t", 300) == "");
  CHECK(one_line("abcdef", 6) == "abcdef");
  CHECK(one_line("abcdefg", 6) == "abcdef\xe2\x80\xa6");
  // A two-byte character is never split, nor is an escape.
  CHECK(one_line("abcde\xc3\xa9z", 6) == "abcde\xe2\x80\xa6");
  CHECK(one_line("abcd\x1b[2J", 6) == "abcd\xe2\x80\xa6");
  CHECK(one_line("ab\x1b[2J", 6) == "ab\\x1b\xe2\x80\xa6");
  std::string long_text(10000, 'x');
  std::string cut = one_line(long_text, 300);
  CHECK(cut.size() == 300 + 3);
  CHECK(cut.substr(300) == "\xe2\x80\xa6");
}

TEST_CASE("redact replaces every secret, ignores short ones, and catches a secret one_line cut",
          "[util][terminal_text]") {
  const std::string token = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  CHECK(redact("Authorization: Bearer " + token + " and again " + token + ".", {token}) ==
        "Authorization: Bearer hf_*** and again hf_***.");
  CHECK(redact("nothing here", {token}) == "nothing here");
  CHECK(redact("the word short stays", {"short"}) == "the word short stays");
  CHECK(redact("x", {}) == "x");
  // Two secrets, one inside the other: the longer one is replaced whole.
  CHECK(redact("key=" + token + "X", {token, token + "X"}) == "key=hf_***");
  // one_line cut the message in the middle of the token.
  std::string message = std::string(280, '.') + " Bearer " + token;
  std::string cut = one_line(message, 300);
  REQUIRE(cut.find(token) == std::string::npos);
  REQUIRE(cut.find(token.substr(0, 10)) != std::string::npos);
  std::string shown = redact(cut, {token});
  CHECK(shown.find(token.substr(0, 10)) == std::string::npos);
  CHECK(shown.size() >= 3);
  CHECK(shown.substr(shown.size() - 9) == "hf_***\xe2\x80\xa6");
  // A prefix shorter than 8 bytes before "…" is left: it says nothing.
  CHECK(redact("hf_AbCd\xe2\x80\xa6", {token}) == "hf_AbCd\xe2\x80\xa6");
}
