#include "cli/diagnostic_printer.hpp"

#include <algorithm>
#include <vector>

#include "cli/term.hpp"

namespace kernels::cli {
namespace {

using config::Diagnostic;
using config::Severity;

Style severity_style(Severity s) {
  switch (s) {
    case Severity::Error: return Style::BoldRed;
    case Severity::Warning: return Style::BoldYellow;
    case Severity::Note: return Style::BoldCyan;
  }
  return Style::Bold;
}

// Line lookup for one file: the offset where each line starts.
class Lines {
 public:
  explicit Lines(std::string_view source) : source_(source) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < source.size(); ++i)
      if (source[i] == '\n') starts_.push_back(i + 1);
  }
  // The text of 1-based line `n` (without its line ending).
  std::string_view line(std::uint32_t n) const {
    if (n == 0 || n > starts_.size()) return {};
    std::size_t start = starts_[n - 1];
    std::size_t end = n < starts_.size() ? starts_[n] - 1 : source_.size();
    std::string_view text = source_.substr(start, end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
  }

 private:
  std::string_view source_;
  std::vector<std::size_t> starts_;
};

// The source line as shown: at most kWindow code points around `column`
// ("..." marks a cut), and the caret's column within what is shown.
constexpr std::size_t kWindow = 100;

struct Shown {
  std::string text;
  std::string pad;  // spaces (tabs where the source has tabs) up to the caret
};

Shown window(std::string_view line, std::uint32_t column) {
  std::vector<std::string_view> cps;  // code points
  for (std::size_t i = 0; i < line.size();) {
    std::size_t n = 1;
    while (i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0) == 0x80) ++n;
    cps.push_back(line.substr(i, n));
    i += n;
  }
  std::size_t caret = column ? column - 1 : 0;  // 0-based code point index
  std::size_t begin = 0, end = cps.size();
  if (cps.size() > kWindow) {
    begin = caret > kWindow / 2 ? caret - kWindow / 2 : 0;
    end = std::min(cps.size(), begin + kWindow);
  }
  Shown out;
  if (begin > 0) {
    out.text = "...";
    out.pad = "   ";
  }
  for (std::size_t i = begin; i < end; ++i) {
    out.text += cps[i];
    if (i < caret) out.pad += cps[i] == "\t" ? '\t' : ' ';
  }
  if (end < cps.size()) out.text += "...";
  for (std::size_t i = std::max(end, begin); i < caret; ++i) out.pad += ' ';
  return out;
}

std::string escape_github_data(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string escape_github_property(const std::string& s) {
  std::string out;
  for (char c : escape_github_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

}  // namespace

void print_human(std::ostream& out, const FileDiagnostics& f, bool color, bool quiet) {
  Lines lines(f.source);
  for (const Diagnostic& d : f.diagnostics) {
    if (quiet && d.severity == Severity::Note) continue;
    std::string where = f.file + (d.line ? ":" + std::to_string(d.line) + ":" + std::to_string(d.column) : "") + ":";
    out << paint(color, Style::Bold, where) << ' '
        << paint(color, severity_style(d.severity), std::string(config::severity_name(d.severity)) + "[" + d.code + "]")
        << ": " << d.message << '\n';
    if (d.line) {
      std::string_view text = lines.line(d.line);
      std::string num = std::to_string(d.line);
      std::string gutter(num.size(), ' ');
      Shown shown = window(text, d.column);
      out << paint(color, Style::Cyan, " " + num + " | ") << shown.text << '\n';
      out << paint(color, Style::Cyan, " " + gutter + " | ") << shown.pad
          << paint(color, severity_style(d.severity), "^") << '\n';
    }
    if (!d.hint.empty()) {
      // A hint of several lines (an example to copy): each later line under the first.
      std::string_view hint = d.hint;
      std::size_t nl = hint.find('\n');
      out << "  " << paint(color, Style::Cyan, "= hint:") << ' ' << hint.substr(0, nl) << '\n';
      while (nl != std::string_view::npos) {
        hint.remove_prefix(nl + 1);
        nl = hint.find('\n');
        out << "          " << hint.substr(0, nl) << '\n';
      }
    }
  }
}

void print_github(std::ostream& out, const FileDiagnostics& f) {
  for (const Diagnostic& d : f.diagnostics) {
    const char* command = d.severity == Severity::Error     ? "error"
                          : d.severity == Severity::Warning ? "warning"
                                                            : "notice";
    out << "::" << command << " file=" << escape_github_property(f.file);
    if (d.line) out << ",line=" << d.line << ",col=" << d.column;
    std::string message = "[" + d.code + "] " + d.message;
    if (!d.hint.empty()) message += "\nhint: " + d.hint;
    out << "::" << escape_github_data(message) << '\n';
  }
}

nlohmann::json diagnostics_json(const FileDiagnostics& f) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic& d : f.diagnostics) {
    nlohmann::json j;
    j["file"] = f.file;
    j["line"] = d.line ? nlohmann::json(d.line) : nlohmann::json(nullptr);
    j["column"] = d.line ? nlohmann::json(d.column) : nlohmann::json(nullptr);
    j["severity"] = config::severity_name(d.severity);
    j["code"] = d.code;
    j["message"] = d.message;
    j["hint"] = d.hint.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.hint);
    list.push_back(std::move(j));
  }
  return list;
}

}  // namespace kernels::cli
