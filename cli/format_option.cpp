#include "cli/format_option.hpp"

namespace kernels::cli {

void add_format_option(CLI::App* cmd, std::string& format, bool json_alias, const std::string& json_shape) {
  auto* opt = cmd->add_option("--format", format, "Output: human (default) or json: " + json_shape)
                  ->check(CLI::IsMember({"human", "json"}))
                  ->option_text("human|json");
  if (json_alias)
    cmd->add_flag_callback(
           "--json", [&format] { format = "json"; }, "Same as --format json")
        ->excludes(opt);
}

}  // namespace kernels::cli
