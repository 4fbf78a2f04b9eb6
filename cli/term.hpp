// Terminal presentation shared by all subcommands: colour choice, styles,
// verbosity. Diagnostics go to stderr, results to stdout.
#pragma once

#include <string>
#include <string_view>

namespace kernels::cli {

enum class ColorMode { Auto, Always, Never };

struct Terminal {
  bool color_stdout = false;
  bool color_stderr = false;
  bool stdout_is_tty = false;
  bool stderr_is_tty = false;
  int verbosity = 0;  // -1 quiet, 0 normal, 1 verbose
};

// Decides colour for each stream: `never`, `always`, or (auto) a TTY whose
// TERM is not "dumb" and with NO_COLOR unset or empty (https://no-color.org).
Terminal make_terminal(ColorMode mode, int verbosity);

enum class Style { Bold, Red, Yellow, Green, Cyan, Dim, BoldRed, BoldYellow, BoldCyan, BoldGreen };

// Wraps `text` in the ANSI escape for `style` when `on`, else returns it unchanged.
std::string paint(bool on, Style style, std::string_view text);

// The process-wide terminal, set once by main() after parsing options.
Terminal& terminal();

}  // namespace kernels::cli
