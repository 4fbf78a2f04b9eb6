// Making untrusted text safe to show on a terminal: control characters and
// escape sequences made visible, secrets removed, free text cut to one
// bounded line. Generic: nothing here knows where the text came from.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kernels {

struct EscapeOptions {
  // Also escape '\n' and '\t' (as "\n", "\t"); otherwise they pass.
  bool escape_newline_tab = false;
  // Let SGR sequences (ESC '[' digits and ';' 'm': colours) pass unchanged;
  // every other escape sequence is escaped.
  bool keep_sgr = false;
};

// Appends `text` to `out`: C0 controls (but '\t' and '\n', see options),
// DEL and C1 controls become visible escapes: "\r", "\t", "\n" for those three,
// "\xNN" for the other C0 controls and DEL (ESC is "\x1b"), "\u00NN" for the
// C1 controls U+0080..U+009F; each byte that is not part of valid UTF-8 is
// "\xNN". Everything else is copied. Backslashes are not escaped.
// Stops before the first escape or character that would take `out` past
// `max_out` bytes; returns how many bytes of `text` it consumed.
std::size_t append_escaped(std::string& out, std::string_view text, const EscapeOptions& options = {},
                           std::size_t max_out = std::string::npos);

// `text` with control characters escaped as append_escaped() does ('\t' and '\n' pass).
std::string escape_control(std::string_view text);

// `text` as one line: surrounding whitespace trimmed, control characters,
// '\n' and '\t' included, escaped, and the result cut at a character (or
// escape) boundary to at most `max_bytes` bytes, followed by "…" when cut.
std::string one_line(std::string_view text, std::size_t max_bytes);

// `text` with every occurrence of each secret replaced by "hf_***". A secret
// shorter than 8 bytes is ignored (it would match ordinary words). A prefix of
// a secret, 8 bytes or longer, directly followed by "…" (what one_line()
// leaves of a secret it cut) is replaced too.
std::string redact(std::string text, const std::vector<std::string>& secrets);

inline constexpr std::size_t kMinSecretBytes = 8;
inline constexpr std::string_view kRedacted = "hf_***";

}  // namespace kernels
