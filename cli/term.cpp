#include "cli/term.hpp"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace kernels::cli {

Terminal make_terminal(ColorMode mode, int verbosity) {
  Terminal t;
  t.verbosity = verbosity;
  t.stdout_is_tty = ::isatty(STDOUT_FILENO) == 1;
  t.stderr_is_tty = ::isatty(STDERR_FILENO) == 1;
  switch (mode) {
    case ColorMode::Always:
      t.color_stdout = t.color_stderr = true;
      break;
    case ColorMode::Never:
      break;
    case ColorMode::Auto: {
      const char* no_color = std::getenv("NO_COLOR");
      const char* term = std::getenv("TERM");
      bool allowed = (no_color == nullptr || *no_color == '\0') && !(term && std::strcmp(term, "dumb") == 0);
      t.color_stdout = allowed && t.stdout_is_tty;
      t.color_stderr = allowed && t.stderr_is_tty;
      break;
    }
  }
  return t;
}

std::string paint(bool on, Style style, std::string_view text) {
  if (!on) return std::string(text);
  const char* code = "";
  switch (style) {
    case Style::Bold: code = "1"; break;
    case Style::Red: code = "31"; break;
    case Style::Yellow: code = "33"; break;
    case Style::Green: code = "32"; break;
    case Style::Cyan: code = "36"; break;
    case Style::Dim: code = "2"; break;
    case Style::BoldRed: code = "1;31"; break;
    case Style::BoldYellow: code = "1;33"; break;
    case Style::BoldCyan: code = "1;36"; break;
    case Style::BoldGreen: code = "1;32"; break;
  }
  return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
}

Terminal& terminal() {
  static Terminal t;
  return t;
}

}  // namespace kernels::cli
