// Shared by the integration tests of the Hub commands: one emulator for the
// test binary, and environments that point the built `kernels` at it with a
// scratch HF_HOME (so the developer's token and cache never leak in).
#pragma once

#include <map>
#include <string>

#include "tests/hub/test_hub.hpp"
#include "tests/support/process.hpp"

namespace kernels::hub_cli_test {

inline hub_emulator::TestHub& cli_hub() {
  static hub_emulator::TestHub hub;
  return hub;
}

inline test::RunOptions hub_env(const std::string& hf_home, std::map<std::string, std::string> extra = {}) {
  test::RunOptions o;
  o.env = std::move(extra);
  o.env["HF_ENDPOINT"] = cli_hub().endpoint();
  o.env["HF_HOME"] = hf_home;
  return o;
}

}  // namespace kernels::hub_cli_test
