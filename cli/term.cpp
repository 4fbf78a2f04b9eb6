#include "cli/term.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <unistd.h>
#include <vector>

#include "util/terminal_text.hpp"

namespace kernels::cli {

Terminal make_terminal(ColorMode mode, int verbosity) {
  Terminal t;
  t.verbosity = verbosity;
  t.stdout_is_tty = ::isatty(STDOUT_FILENO) == 1;
  t.stderr_is_tty = ::isatty(STDERR_FILENO) == 1;
  switch (mode) {
    case ColorMode::Always: t.color_stdout = t.color_stderr = true; break;
    case ColorMode::Never: break;
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

// ---------------------------------------------------------------- output filter

namespace {

std::mutex& secrets_mutex() {
  static std::mutex m;
  return m;
}
std::vector<std::string>& secrets() {
  static std::vector<std::string> s;
  return s;
}
std::atomic<bool> have_secrets{false};

// Bytes passed on without a closer look: printable ASCII, '\t' and '\n'.
constexpr std::array<bool, 256> make_plain() {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7f; ++c) t[static_cast<std::size_t>(c)] = true;
  t['\t'] = t['\n'] = true;
  return t;
}
constexpr std::array<bool, 256> kPlain = make_plain();

bool all_plain(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = s + text.size();
  for (; s != end; ++s)
    if (!kPlain[*s]) return false;
  return true;
}

// How many bytes at the end of `text` may be the start of something a later
// write completes: a secret (mutex held by the caller), a UTF-8 character,
// an SGR sequence. Those wait, so that they are judged whole.
std::size_t unfinished_tail(std::string_view text, const std::vector<std::string>& secret_list) {
  const std::size_t n = text.size();
  std::size_t hold = 0;
  for (const std::string& secret : secret_list) {
    if (secret.size() < kMinSecretBytes) continue;
    for (std::size_t k = std::min(secret.size() - 1, n); k > hold; --k) {
      if (text.compare(n - k, k, secret, 0, k) == 0) {
        hold = k;
        break;
      }
    }
  }
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    unsigned char c = s[n - back];
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: look further back
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
    if (len > back) hold = std::max(hold, back);
    break;
  }
  constexpr std::size_t kMaxSgr = 32;
  for (std::size_t back = 1; back <= kMaxSgr && back <= n; ++back) {
    unsigned char c = s[n - back];
    if (c == 0x1b) {
      bool prefix = back == 1 || s[n - back + 1] == '[';
      for (std::size_t k = n - back + 2; prefix && k < n; ++k) prefix = (s[k] >= '0' && s[k] <= '9') || s[k] == ';';
      if (prefix) hold = std::max(hold, back);
      break;
    }
    if (!((c >= '0' && c <= '9') || c == ';' || c == '[')) break;
  }
  return hold;
}

// Whether redact() could change `text`: a secret in it, or the "…" after which
// it also looks for a cut one.
bool may_hold_secret(std::string_view text, const std::vector<std::string>& secret_list) {
  if (text.find("\xE2\x80\xA6") != std::string_view::npos) return true;
  for (const std::string& secret : secret_list)
    if (secret.size() >= kMinSecretBytes && text.find(secret) != std::string_view::npos) return true;
  return false;
}

}  // namespace

void register_secret(std::string secret) {
  if (secret.size() < kMinSecretBytes) return;
  std::lock_guard lock(secrets_mutex());
  auto& list = secrets();
  if (std::find(list.begin(), list.end(), secret) != list.end()) return;
  list.push_back(std::move(secret));
  have_secrets.store(true, std::memory_order_release);
}

TerminalFilter::TerminalFilter(std::streambuf* destination, std::size_t cap)
    : destination_(destination), cap_(std::max<std::size_t>(cap, 64)) {}

TerminalFilter::~TerminalFilter() { finish(); }

void TerminalFilter::emit(std::string_view text) {
  if (text.empty()) return;
  if (all_plain(text)) {
    destination_->sputn(text.data(), static_cast<std::streamsize>(text.size()));
    return;
  }
  escaped_.clear();
  EscapeOptions options;
  options.keep_sgr = true;
  append_escaped(escaped_, text, options);
  destination_->sputn(escaped_.data(), static_cast<std::streamsize>(escaped_.size()));
  if (escaped_.capacity() > 4 * cap_) std::string().swap(escaped_);
}

void TerminalFilter::emit_lines(std::string_view lines) {
  if (have_secrets.load(std::memory_order_acquire)) {
    std::lock_guard lock(secrets_mutex());
    if (may_hold_secret(lines, secrets())) {
      emit(redact(std::string(lines), secrets()));
      return;
    }
  }
  emit(lines);
}

void TerminalFilter::drain(Drain how) {
  if (pending_.empty()) return;
  std::size_t n = 0;
  bool cut = how == Drain::Flush || (how == Drain::Lines && pending_.size() >= cap_);
  if (have_secrets.load(std::memory_order_acquire)) {
    std::lock_guard lock(secrets_mutex());
    pending_ = redact(std::move(pending_), secrets());
    if (cut) n = pending_.size() - unfinished_tail(pending_, secrets());
  } else if (cut) {
    n = pending_.size() - unfinished_tail(pending_, {});
  }
  if (how == Drain::All) {
    n = pending_.size();
  } else if (!cut) {
    std::size_t newline = pending_.rfind('\n');
    n = newline == std::string::npos ? 0 : newline + 1;
  }
  if (n == 0) return;
  emit(std::string_view(pending_).substr(0, n));
  pending_.erase(0, n);
}

TerminalFilter::int_type TerminalFilter::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  std::lock_guard lock(mutex_);
  char c = traits_type::to_char_type(ch);
  pending_.push_back(c);
  if (c == '\n' || pending_.size() >= cap_) drain(Drain::Lines);
  return ch;
}

std::streamsize TerminalFilter::xsputn(const char* s, std::streamsize count) {
  if (count <= 0) return 0;
  std::lock_guard lock(mutex_);
  std::string_view in(s, static_cast<std::size_t>(count));
  // The common case, whole lines with nothing waiting: judged in place, no copy.
  if (pending_.empty()) {
    std::size_t newline = in.rfind('\n');
    if (newline != std::string_view::npos) {
      emit_lines(in.substr(0, newline + 1));
      in.remove_prefix(newline + 1);
    }
  }
  while (!in.empty()) {
    std::size_t take = std::min(in.size(), cap_);
    pending_.append(in.data(), take);
    if (pending_.size() >= cap_ || std::memchr(in.data(), '\n', take) != nullptr) drain(Drain::Lines);
    in.remove_prefix(take);
  }
  return count;
}

int TerminalFilter::sync() {
  std::lock_guard lock(mutex_);
  drain(Drain::Flush);
  return destination_->pubsync() == 0 ? 0 : -1;
}

void TerminalFilter::finish() {
  std::lock_guard lock(mutex_);
  drain(Drain::All);
  destination_->pubsync();
}

void TerminalFilter::write_unfiltered(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  drain(Drain::All);
  destination_->sputn(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

namespace {

struct Installed {
  std::ostream* stream;
  std::streambuf* original;
  std::unique_ptr<TerminalFilter> filter;
};

std::mutex& install_mutex() {
  static std::mutex m;
  return m;
}

std::vector<Installed>& installed() {
  static std::vector<Installed> list;
  return list;
}

}  // namespace

void install_output_filters() {
  std::lock_guard lock(install_mutex());
  static bool done = false;
  if (done) return;
  done = true;
  auto& list = installed();  // constructed before the atexit handler, so destroyed after it runs
  for (std::ostream* stream : {&std::cout, &std::cerr, &std::clog}) {
    auto filter = std::make_unique<TerminalFilter>(stream->rdbuf());
    std::streambuf* original = stream->rdbuf(filter.get());
    list.push_back(Installed{stream, original, std::move(filter)});
  }
  std::atexit([] { uninstall_output_filters(); });
}

void uninstall_output_filters() {
  std::lock_guard lock(install_mutex());
  for (Installed& i : installed()) {
    if (i.stream->rdbuf() == i.filter.get()) {
      i.filter->finish();
      i.stream->rdbuf(i.original);
    }
    i.filter->finish();  // anything another thread wrote in between
  }
}

void write_unfiltered(std::ostream& out, std::string_view bytes) {
  if (auto* filter = dynamic_cast<TerminalFilter*>(out.rdbuf())) {
    out.flush();  // what the stream itself buffered (nothing, for these streams) goes first
    filter->write_unfiltered(bytes);
    return;
  }
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
}

}  // namespace kernels::cli
