#include <catch2/catch.hpp>

#include <ostream>
#include <sstream>
#include <string>

#include "cli/term.hpp"

using kernels::cli::paint;
using kernels::cli::register_secret;
using kernels::cli::Style;
using kernels::cli::TerminalFilter;

namespace {

// Registered once for the whole test binary (the registry is process-wide).
const std::string& secret() {
  static const std::string token = [] {
    std::string t = "hf_UnitTestSecretToken0123456789abcd";
    register_secret(t);
    return t;
  }();
  return token;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("filter: paint() colours pass unchanged, plain text too", "[cli][term_filter]") {
  std::stringbuf dest;
  {
    TerminalFilter filter(&dest);
    std::ostream out(&filter);
    for (Style s : {Style::Bold, Style::Red, Style::Dim, Style::BoldRed, Style::BoldGreen}) {
      out << paint(true, s, "word") << " ";
    }
    out << "tab\there, UTF-8 caf\xc3\xa9\n";
    out.flush();
    CHECK(dest.str() ==
          "\x1b[1mword\x1b[0m \x1b[31mword\x1b[0m \x1b[2mword\x1b[0m \x1b[1;31mword\x1b[0m \x1b[1;32mword\x1b[0m "
          "tab\there, UTF-8 caf\xc3\xa9\n");
  }
}

TEST_CASE("filter: other escape sequences and carriage returns are escaped", "[cli][term_filter]") {
  std::stringbuf dest;
  TerminalFilter filter(&dest);
  std::ostream out(&filter);
  out << "path \x1b[2Jx\n"
      << "done\rerror: forged\n"
      << "title \x1b]0;pwned\x07 csi \xc2\x9b"
         "2J bel \a\n";
  out.flush();
  std::string shown = dest.str();
  CHECK(shown == "path \\x1b[2Jx\ndone\\rerror: forged\ntitle \\x1b]0;pwned\\x07 csi \\u009b2J bel \\x07\n");
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\r') == std::string::npos);
}

TEST_CASE("filter: a token split across writes is still redacted", "[cli][term_filter]") {
  const std::string& token = secret();
  SECTION("two writes on one line") {
    std::stringbuf dest;
    TerminalFilter filter(&dest);
    std::ostream out(&filter);
    out << "the Hub said: Bearer " << token.substr(0, 13);
    out << token.substr(13) << " end\n";
    CHECK(dest.str() == "the Hub said: Bearer hf_*** end\n");
  }
  SECTION("a flush between the halves (std::cerr flushes after every <<)") {
    std::stringbuf dest;
    TerminalFilter filter(&dest);
    std::ostream out(&filter);
    out << std::unitbuf;
    out << "x " << token.substr(0, 5);
    out << token.substr(5, 10);
    CHECK(dest.str() == "x ");  // the possible start of the token waits
    out << token.substr(15) << "\n";
    CHECK(dest.str() == "x hf_***\n");
  }
  SECTION("a held start that turns out not to be the token is printed") {
    std::stringbuf dest;
    TerminalFilter filter(&dest);
    std::ostream out(&filter);
    out << "fetch" << std::flush;
    CHECK(dest.str() == "fetc");
    out << "ed\n";
    CHECK(dest.str() == "fetched\n");
    out << "last h" << std::flush;
    filter.finish();
    CHECK(dest.str() == "fetched\nlast h");
  }
}

TEST_CASE("filter: a colour sequence or a UTF-8 character split by a flush stays whole", "[cli][term_filter]") {
  std::stringbuf dest;
  TerminalFilter filter(&dest);
  std::ostream out(&filter);
  out << "a\x1b[1;3" << std::flush << "1mred\x1b[0m "
      << "caf\xc3" << std::flush << "\xa9\n";
  CHECK(dest.str() == "a\x1b[1;31mred\x1b[0m caf\xc3\xa9\n");
}

TEST_CASE("filter: a line longer than the cap is passed on in pieces, still filtered", "[cli][term_filter]") {
  const std::string& token = secret();
  std::stringbuf dest;
  TerminalFilter filter(&dest);  // the default 64 KiB cap
  std::ostream out(&filter);
  // The token straddles the cap; control bytes on both sides of it.
  std::string line(TerminalFilter::kDefaultCap - 10, 'a');
  line += token + "\x1b[2J" + std::string(3 * TerminalFilter::kDefaultCap, 'b') + "\r";
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  std::string before_newline = dest.str();
  CHECK(before_newline.size() > 3 * TerminalFilter::kDefaultCap);  // not held until a newline
  out << "\n";
  std::string shown = dest.str();
  CHECK(shown.find(token) == std::string::npos);
  CHECK(shown.find(token.substr(0, 12)) == std::string::npos);
  CHECK(count(shown, "hf_***") == 1);
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\r') == std::string::npos);
  CHECK(shown.find("\\x1b[2J") != std::string::npos);
  CHECK(shown.size() == line.size() - token.size() + 6 + 3 + 1 + 1);  // hf_***, "\x1b" for ESC, "\r", "\n"
  CHECK(shown.back() == '\n');

  // Single bytes (overflow()) past the cap, no newline at all.
  std::stringbuf dest2;
  TerminalFilter small(&dest2, 64);
  std::ostream out2(&small);
  for (int i = 0; i < 1000; ++i) out2.put(i % 100 == 0 ? '\r' : 'c');
  CHECK(dest2.str().size() > 900);
  small.finish();
  CHECK(dest2.str().size() == 1000 + 10);
  CHECK(dest2.str().find('\r') == std::string::npos);
}

TEST_CASE("filter: write_unfiltered passes the CLI's own control bytes, in order", "[cli][term_filter]") {
  std::stringbuf dest;
  TerminalFilter filter(&dest);
  std::ostream out(&filter);
  out << "pending \r";
  kernels::cli::write_unfiltered(out, "\r[####....] 1/2 files\x1b[K");
  out << "\n";
  CHECK(dest.str() == "pending \\r\r[####....] 1/2 files\x1b[K\n");
  std::ostringstream plain;
  kernels::cli::write_unfiltered(plain, "\r");
  CHECK(plain.str() == "\r");
}

TEST_CASE("filter: nothing is lost at the end", "[cli][term_filter]") {
  std::stringbuf dest;
  {
    TerminalFilter filter(&dest);
    std::ostream out(&filter);
    out << "no newline, \x1b[2";
  }
  CHECK(dest.str() == "no newline, \\x1b[2");
}
