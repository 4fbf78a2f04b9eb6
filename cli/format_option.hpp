// `--format human|json`, the output contract every command shares, plus the
// `--json` alias that versions and info have had since before it. A bad value
// is a usage error that says what is allowed (CLI11's IsMember check).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace kernels::cli {

// Adds --format (bound to `format`, "human" by default) and, with
// `json_alias`, a --json flag that means --format json.
void add_format_option(CLI::App* cmd, std::string& format, bool json_alias, const std::string& json_shape);

}  // namespace kernels::cli
