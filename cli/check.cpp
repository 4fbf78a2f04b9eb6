// kernels check FILE...: validate KernelConfig TOML files and report every
// problem (lib/config does the checking; this file parses options and prints).
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/exit_codes.hpp"
#include "cli/term.hpp"
#include "config/config.hpp"
#include "hub/repo_id.hpp"
#include "util/file.hpp"

namespace kernels::cli {
namespace {

constexpr const char* kFooter = R"(Checks each FILE against the KernelConfig TOML format (man kernels-check): TOML
syntax, unknown keys, layer registration, devices, repo ids, versions and revisions,
fusions and [[layer]] entries. Every problem is reported, in source order, as
file:line:column with a severity and a stable code; messages transformers has for
the same fault are quoted exactly.

Examples:
  kernels check kernels.toml
  kernels check --format json configs/*.toml
  kernels check --format github kernels.toml    # annotations in a GitHub Actions job

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O error
(an unreadable, missing or oversized file; the other files are still checked).)";

struct Options {
  std::vector<std::string> files;
  DiagnosticFormat format = DiagnosticFormat::Human;
};

int run(const Options& o) {
  const Terminal& term = terminal();
  int status = kExitOk;
  nlohmann::json all = nlohmann::json::array();
  std::size_t errors = 0, warnings = 0, notes = 0;
  for (const auto& file : o.files) {
    auto text = read_file(file, config::kMaxConfigBytes);
    FileDiagnostics fd;
    fd.file = file;
    config::CheckResult checked;
    if (!text.ok()) {
      // `kernels check org/name` is a common slip: say what check takes.
      std::string hint;
      std::error_code ec;
      if (!std::filesystem::exists(file, ec) && hub::validate_repo_id(file).ok())
        hint = "`kernels check` takes a KernelConfig file (kernels.toml); " + file +
               " looks like a Hub repo id: `kernels info " + file + "` or `kernels variants " + file +
               "` inspect a repository";
      fd.diagnostics.push_back(config::Diagnostic{"io", config::Severity::Error, 0, 0, text.error().message, hint});
      status = kExitUsage;
    } else {
      checked = config::check_config(file, *text);
      fd.source = *text;
      fd.diagnostics = checked.diagnostics;
      if (config::has_errors(fd.diagnostics) && status == kExitOk) status = kExitProblems;
    }
    for (const auto& d : fd.diagnostics) {
      if (d.severity == config::Severity::Error) ++errors;
      else if (d.severity == config::Severity::Warning) ++warnings;
      else ++notes;
    }
    switch (o.format) {
      case DiagnosticFormat::Human:
        print_human(std::cout, fd, term.color_stdout, term.verbosity < 0);
        break;
      case DiagnosticFormat::Github:
        print_github(std::cout, fd);
        break;
      case DiagnosticFormat::Json:
        for (auto& j : diagnostics_json(fd)) all.push_back(std::move(j));
        break;
    }
  }
  auto plural = [](std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  if (o.format == DiagnosticFormat::Json) {
    nlohmann::json doc;
    doc["diagnostics"] = std::move(all);
    doc["summary"] = {{"files", o.files.size()}, {"errors", errors}, {"warnings", warnings}, {"notes", notes}};
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (o.format == DiagnosticFormat::Human && term.verbosity >= 0) {
    std::string summary = plural(o.files.size(), "file") + " checked: " + plural(errors, "error") + ", " +
                          plural(warnings, "warning") + ", " + plural(notes, "note");
    std::cout << paint(term.color_stdout, errors ? Style::BoldRed : Style::BoldGreen, summary) << '\n';
  }
  return status;
}

}  // namespace

void register_check(CLI::App& app, int* exit_code) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("check", "Check KernelConfig TOML files and report every problem");
  cmd->footer(kFooter);
  cmd->add_option("FILE", opts->files, "KernelConfig TOML file(s) to check")->required();
  std::map<std::string, DiagnosticFormat> formats{
      {"human", DiagnosticFormat::Human}, {"json", DiagnosticFormat::Json}, {"github", DiagnosticFormat::Github}};
  cmd->add_option("--format", opts->format, "Output format: human (default), json, github")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->option_text("human|json|github");
  cmd->callback([opts, exit_code] { *exit_code = run(*opts); });
}

}  // namespace kernels::cli
