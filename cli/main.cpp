// kernels: check, resolve and lock Hugging Face kernel
// repositories. main() parses the global options, hands over to the
// subcommand and maps every failure to the documented exit status.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/term.hpp"
#include "cli/version.hpp"
#include "util/edit_distance.hpp"
#include "util/file.hpp"

namespace kernels::cli {
void register_completions(CLI::App& app, int* exit_code);
}  // namespace kernels::cli

namespace {

constexpr const char* kDescription =
    "kernels: check a kernel mapping, resolve it against the Hugging Face Hub, lock it,\n"
    "inspect kernel repositories, and prove on the GPU that a bundled kernel works.";

constexpr const char* kFooter =
    "Run `kernels help COMMAND` or `kernels COMMAND --help` for a command's options and examples.\n"
    "Exit status: 0 success, 1 the command ran and found problems, 2 usage, input or I/O error.";

}  // namespace

int main(int argc, char** argv) {
  using namespace kernels::cli;
  // Everything printed from here on is filtered (cli/term.hpp) and flushed at exit.
  install_output_filters();
  kernels::remove_temporaries_on_signals();  // Ctrl-C mid-write leaves no .tmp file
  CLI::App app{kDescription, "kernels"};
  app.footer(kFooter);
  app.set_version_flag("--version", version_text());
  app.require_subcommand(0, 1);

  bool quiet = false;
  bool verbose = false;
  ColorMode color = ColorMode::Auto;
  std::map<std::string, ColorMode> color_names{
      {"auto", ColorMode::Auto}, {"always", ColorMode::Always}, {"never", ColorMode::Never}};
  app.add_flag("-q,--quiet", quiet, "Print only results and errors")->configurable(false);
  app.add_flag("-v,--verbose", verbose, "Print more about what is being done")->excludes("--quiet");
  app.add_option("--color", color, "Colour output: auto (default; honours NO_COLOR), always, never")
      ->transform(CLI::CheckedTransformer(color_names, CLI::ignore_case))
      ->option_text("auto|always|never");
  bool offline = false;
  app.add_flag("--offline", offline,
               "Use only the local HF cache, in every command (as HF_HUB_OFFLINE=1; commands that talk to the Hub "
               "also take it after their name)");
  // Global options may come before or after the subcommand.
  app.fallthrough();

  int exit_code = kExitOk;
  for (Register reg : kCommands) reg(app, &exit_code);

  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "Show help for kernels or for one command");
  help->add_option("command", help_topic, "The command to explain");
  register_completions(app, &exit_code);

  app.parse_complete_callback([&] {
    terminal() = make_terminal(color, quiet ? -1 : (verbose ? 1 : 0));
    // Before any command runs: the Hub configuration reads it from the environment.
    if (offline) setenv("HF_HUB_OFFLINE", "1", 1);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    // A first word that is no command: most likely a mistyped one.
    std::vector<std::string> extras = app.remaining();
    if (app.get_subcommands().empty() && !extras.empty() && !extras.front().empty() && extras.front().front() != '-') {
      std::vector<std::string> names;
      for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
      std::string message = "'" + extras.front() + "' is not a kernels command";
      if (auto guess = kernels::nearest(extras.front(), names)) message += "; did you mean '" + *guess + "'?";
      kernels::cli::report_error("", message);
      std::cerr << "Run `kernels help` for the list of commands.\n";
      return kExitUsage;
    }
    app.exit(e);
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  if (app.got_subcommand(help)) {
    if (help_topic.empty()) {
      // The overview: App::help() would describe the `help` subcommand itself.
      std::cout << app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
      return kExitOk;
    }
    for (CLI::App* sub : app.get_subcommands({})) {
      if (sub->get_name() == help_topic) {
        std::cout << sub->help();
        return kExitOk;
      }
    }
    kernels::cli::report_error("", "no command named '" + help_topic + "'; run `kernels --help` for the list");
    return kExitUsage;
  }
  if (app.get_subcommands().empty()) {
    std::cerr << app.help();
    return kExitUsage;
  }
  return exit_code;
}
