#include "cli/report.hpp"

#include <iostream>
#include <string>

#include "cli/exit_codes.hpp"
#include "cli/term.hpp"

namespace kernels::cli {
namespace {

void report(Style style, const char* severity, std::string_view command, std::string_view message) {
  const std::string prefix = paint(terminal().color_stderr, style, severity) + ": kernels" +
                             (command.empty() ? "" : " " + std::string(command)) + ": ";
  std::string out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = message.find('\n', start);
    out += prefix;
    out += message.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    out += '\n';
    if (end == std::string_view::npos || end + 1 == message.size()) break;
    start = end + 1;
  }
  std::cerr << out << std::flush;
}

}  // namespace

void report_error(std::string_view command, std::string_view message) {
  report(Style::BoldRed, "error", command, message);
}

int report_error(std::string_view command, const Error& error) {
  report_error(command, error.message);
  const int status = exit_status(error.code);
  if (terminal().verbosity > 0) {
    report(Style::BoldCyan, "note", command,
           "error code " + std::string(error_code_name(error.code)) + ", exit status " + std::to_string(status) +
               " (kernels(1), ERRORS)");
  }
  return status;
}

void report_warning(std::string_view command, std::string_view message) {
  report(Style::BoldYellow, "warning", command, message);
}

void report_note(std::string_view command, std::string_view message) {
  if (terminal().verbosity < 0) return;
  report(Style::BoldCyan, "note", command, message);
}

}  // namespace kernels::cli
