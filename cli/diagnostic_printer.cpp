#include "cli/diagnostic_printer.hpp"

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

// The text of 1-based line `n` of `source` (without its line ending).
std::string_view source_line(std::string_view source, std::uint32_t n) {
  std::size_t start = 0;
  for (std::uint32_t line = 1; line < n; ++line) {
    auto nl = source.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  auto end = source.find('\n', start);
  std::string_view text = source.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

// Spaces (tabs where the source has tabs) up to code point `column`.
std::string caret_padding(std::string_view line, std::uint32_t column) {
  std::string pad;
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < line.size() && col < column; ++i) {
    auto u = static_cast<unsigned char>(line[i]);
    if ((u & 0xC0) == 0x80) continue;  // continuation byte
    pad += line[i] == '\t' ? '\t' : ' ';
    ++col;
  }
  while (col++ < column) pad += ' ';
  return pad;
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
  for (const Diagnostic& d : f.diagnostics) {
    if (quiet && d.severity == Severity::Note) continue;
    std::string where = f.file + (d.line ? ":" + std::to_string(d.line) + ":" + std::to_string(d.column) : "") + ":";
    out << paint(color, Style::Bold, where) << ' '
        << paint(color, severity_style(d.severity), std::string(config::severity_name(d.severity)) + "[" + d.code + "]")
        << ": " << d.message << '\n';
    if (d.line) {
      std::string_view text = source_line(f.source, d.line);
      std::string num = std::to_string(d.line);
      std::string gutter(num.size(), ' ');
      out << paint(color, Style::Cyan, " " + num + " | ") << text << '\n';
      out << paint(color, Style::Cyan, " " + gutter + " | ") << caret_padding(text, d.column)
          << paint(color, severity_style(d.severity), "^") << '\n';
    }
    if (!d.hint.empty()) out << "  " << paint(color, Style::Cyan, "= hint:") << ' ' << d.hint << '\n';
  }
}

void print_github(std::ostream& out, const FileDiagnostics& f) {
  for (const Diagnostic& d : f.diagnostics) {
    const char* command = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "notice";
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
