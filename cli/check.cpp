// kernels check FILE...: validate KernelConfig TOML files and report every
// problem (lib/config does the checking; this file parses options and prints).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/term.hpp"
#include "config/config.hpp"
#include "hub/repo_id.hpp"
#include "util/edit_distance.hpp"
#include "util/file.hpp"
#include "util/terminal_text.hpp"

namespace kernels::cli {
namespace {

constexpr const char* kFooter = R"(Checks each FILE against the KernelConfig TOML format (man kernels-check): TOML
syntax, unknown keys, layer registration, devices, repo ids, versions and revisions,
fusions and [[layer]] entries. Every problem is reported, in source order, as
file:line:column with a severity and a stable code; messages transformers has for
the same fault are quoted exactly.

--strict makes warnings fail too; --ignore CODE leaves out a code, --select CODE
keeps only the codes named (repeat either, or give a comma list; man kernels-check
lists every code). io and syntax are always reported.

Examples:
  kernels check kernels.toml
  kernels check --format json configs/*.toml
  kernels check --format github kernels.toml    # annotations in a GitHub Actions job
  kernels check --strict kernels.toml           # CI: warnings fail too
  kernels check --ignore version-conflict,unknown-key kernels.toml

Exit status: 0 no errors (warnings allowed unless --strict), 1 errors found (or
warnings, with --strict), 2 usage or I/O error (an unknown code given to --ignore or
--select; an unreadable, missing or oversized file: the other files are still checked).)";

struct Options {
  std::vector<std::string> files;
  DiagnosticFormat format = DiagnosticFormat::Human;
  bool strict = false;
  std::vector<std::string> ignore;  // code names as given (comma lists already split)
  std::vector<std::string> select;
};

// The codes of --ignore or --select, or nullopt after a usage error on stderr.
std::optional<std::set<config::Code>> parse_codes(const std::vector<std::string>& names, const std::string& option) {
  std::set<config::Code> out;
  std::vector<std::string> known;
  for (const auto& c : config::check_codes()) known.emplace_back(c.name);
  for (const auto& raw : names) {
    std::string name = raw;
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.erase(name.begin());
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    if (name.empty()) continue;  // "a,,b", a trailing comma
    auto code = config::find_code(name);
    if (!code) {
      std::string message = option + ": '" + one_line(name, 100) + "' is not a diagnostic code";
      if (auto near = nearest(name, known)) message += "; did you mean '" + *near + "'?";
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      report_error("check", message);
      report_note("check", "known codes (man kernels-check, DIAGNOSTIC CODES): " + list);
      return std::nullopt;
    }
    if (option == "--ignore" && !config::code_info(*code).filterable) {
      report_error("check", "--ignore: " + name +
                                " cannot be ignored: a file that cannot be read or parsed has not been checked at all");
      return std::nullopt;
    }
    out.insert(*code);
  }
  return out;
}

struct Filter {
  std::set<config::Code> ignore;
  std::set<config::Code> select;  // empty: every code

  bool keep(const config::Diagnostic& d) const {
    auto code = config::find_code(d.code);
    if (!code || !config::code_info(*code).filterable) return true;
    if (!select.empty() && !select.count(*code)) return false;
    return !ignore.count(*code);
  }
};

int run(const Options& o, const Filter& filter) {
  const Terminal& term = terminal();
  int status = kExitOk;
  nlohmann::json all = nlohmann::json::array();
  std::size_t errors = 0, warnings = 0, notes = 0, dropped = 0;
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
      fd.diagnostics.push_back(config::make_diagnostic(config::Code::Io, 0, 0, text.error().message, hint));
      status = kExitUsage;
    } else {
      checked = config::check_config(file, *text);
      fd.source = *text;
      for (auto& d : checked.diagnostics) {
        if (filter.keep(d)) fd.diagnostics.push_back(std::move(d));
        else ++dropped;
      }
      // Notes never fail a check, --strict or not.
      bool fails = std::any_of(fd.diagnostics.begin(), fd.diagnostics.end(), [&](const config::Diagnostic& d) {
        return d.severity == config::Severity::Error || (o.strict && d.severity == config::Severity::Warning);
      });
      if (fails && status == kExitOk) status = kExitProblems;
    }
    for (const auto& d : fd.diagnostics) {
      if (d.severity == config::Severity::Error) ++errors;
      else if (d.severity == config::Severity::Warning) ++warnings;
      else ++notes;
    }
    switch (o.format) {
      case DiagnosticFormat::Human: print_human(std::cout, fd, term.color_stdout, term.verbosity < 0); break;
      case DiagnosticFormat::Github: print_github(std::cout, fd); break;
      case DiagnosticFormat::Json:
        for (auto& j : diagnostics_json(fd)) all.push_back(std::move(j));
        break;
    }
  }
  auto plural = [](std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); };
  if (o.format == DiagnosticFormat::Json) {
    auto doc = json_document<nlohmann::json>();
    doc["diagnostics"] = std::move(all);
    doc["summary"] = {{"files", o.files.size()}, {"errors", errors}, {"warnings", warnings}, {"notes", notes}};
    print_json(doc);
  } else if (o.format == DiagnosticFormat::Human && term.verbosity >= 0) {
    std::string summary = plural(o.files.size(), "file") + " checked: " + plural(errors, "error") + ", " +
                          plural(warnings, "warning") + ", " + plural(notes, "note");
    if (dropped) summary += " (" + std::to_string(dropped) + " left out by --ignore/--select)";
    if (o.strict && warnings) summary += "; --strict: warnings fail";
    bool failed = errors || (o.strict && warnings);
    std::cout << paint(term.color_stdout, failed ? Style::BoldRed : Style::BoldGreen, summary) << '\n';
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
  cmd->add_flag("--strict", opts->strict, "Warnings fail too (exit status 1); notes never do");
  cmd->add_option("--ignore", opts->ignore, "Leave out diagnostics with this code (repeatable; a,b,c)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("CODE");
  cmd->add_option("--select", opts->select, "Report only diagnostics with this code (repeatable; a,b,c)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("CODE");
  cmd->callback([opts, exit_code] {
    auto ignore = parse_codes(opts->ignore, "--ignore");
    auto select = ignore ? parse_codes(opts->select, "--select") : std::nullopt;
    if (!ignore || !select) {
      *exit_code = kExitUsage;
      return;
    }
    *exit_code = run(*opts, Filter{std::move(*ignore), std::move(*select)});
  });
}

}  // namespace kernels::cli
