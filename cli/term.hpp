// Terminal presentation shared by all subcommands: colour choice, styles,
// verbosity, and the filter every byte printed passes through. Diagnostics
// go to stderr, results to stdout.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <streambuf>
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

// ---------------------------------------------------------------- output filter
//
// Text from a server or from the HF cache (paths, commit ids, error bodies,
// redirect targets, repo ids) is printed by many commands; the filter makes
// all of it safe in one place. Installed on std::cout, std::cerr and
// std::clog by install_output_filters(), it buffers output per line and, for
// each piece it passes on, replaces every registered secret with "hf_***" and
// then escapes every control byte (util/terminal_text.hpp) except '\n', '\t'
// and the SGR colour sequences paint() writes (ESC '[' digits/';' 'm'): any
// other escape sequence, '\r' included, reaches the terminal as visible text.
// Bounding free text and keeping it on one line is the source's job
// (hub/errors.cpp uses one_line()).

// Adds a secret (the access token) to be removed from everything printed from
// now on; secrets shorter than 8 bytes are ignored. Thread-safe.
void register_secret(std::string secret);

class TerminalFilter : public std::streambuf {
 public:
  static constexpr std::size_t kDefaultCap = std::size_t{64} << 10;

  // Writes what it lets through to `destination` (not owned). Pieces are
  // passed on at each '\n', at each flush and when `cap` bytes are waiting
  // without a newline. At a flush or at the cap, a tail that may be the start
  // of a secret, of a UTF-8 character or of a colour sequence waits for the
  // next write (or for finish()). Safe to use from several threads.
  explicit TerminalFilter(std::streambuf* destination, std::size_t cap = kDefaultCap);
  ~TerminalFilter() override;
  TerminalFilter(const TerminalFilter&) = delete;
  TerminalFilter& operator=(const TerminalFilter&) = delete;

  // Passes on everything still waiting, tails included, and flushes the destination.
  void finish();
  // Passes on what is waiting, then writes `bytes` to the destination as they
  // are: for the CLI's own control sequences (a progress bar's "\r", "\x1b[K").
  void write_unfiltered(std::string_view bytes);
  std::streambuf* destination() const { return destination_; }

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  enum class Drain { Lines, Flush, All };
  void drain(Drain how);                    // mutex_ held
  void emit_lines(std::string_view lines);  // complete lines: redacted, then emit()
  void emit(std::string_view text);
  std::streambuf* destination_;
  std::size_t cap_;
  std::string pending_;
  std::string escaped_;
  std::mutex mutex_;
};

// Puts a TerminalFilter in front of std::cout, std::cerr and std::clog, and
// registers an atexit handler that flushes them and puts the original
// buffers back (so std::exit and a return from main() lose nothing). Call
// once, first thing in main(). A second call does nothing.
void install_output_filters();
// Flushes and removes the filters (the atexit handler); safe to call twice.
void uninstall_output_filters();

// Writes `bytes` to `out` without filtering when `out` has a TerminalFilter,
// else writes them normally. Only for control sequences the CLI itself makes,
// never for text that holds anything from outside.
void write_unfiltered(std::ostream& out, std::string_view bytes);

}  // namespace kernels::cli
