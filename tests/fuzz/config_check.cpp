// The whole of `kernels check` on one file: check_config (TOML, then every
// KernelConfig rule), the three diagnostic printers (source lines and carets
// over arbitrary bytes), and what `lock --config` and `resolve` do with the
// Config a check builds.
#include <sstream>
#include <string>

#include "cli/diagnostic_printer.hpp"
#include "config/config.hpp"
#include "config/dependencies.hpp"
#include "config/resolve.hpp"
#include "lockfile/config_dependencies.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace config = kernels::config;
namespace cli = kernels::cli;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = kernels::fuzz::text_of(data, size);
  config::CheckResult checked = config::check_config("fuzz.toml", text);

  cli::FileDiagnostics file{"fuzz.toml", text, checked.diagnostics};
  std::ostringstream out;
  cli::print_human(out, file, /*color=*/true, /*quiet=*/false);
  cli::print_github(out, file);
  (void)cli::diagnostics_json(file).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  // The commands that use a Config go on only when the check found no error.
  if (config::has_errors(checked.diagnostics)) return 0;
  for (const auto& dependency : config::hub_dependencies(checked.config)) (void)config::pin_text(dependency);
  (void)kernels::lockfile::dependencies_from_config(checked.config);
  for (const auto& device : config::kernels_devices()) {
    for (bool training : {false, true}) {
      // A known capability for inference, an unknown one for training.
      config::ResolveRequest request{device, training ? std::nullopt : std::optional<std::int64_t>(90), training,
                                     !training};
      (void)config::resolve(checked.config, request);
    }
  }
  return 0;
}
