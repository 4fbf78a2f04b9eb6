// parse_dependencies: [tool.kernels.dependencies] of a pyproject.toml, what
// `kernels lock` reads first. Any bytes give dependencies or an error.
#include <string>

#include "lockfile/dependencies.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto deps = kernels::lockfile::parse_dependencies(kernels::fuzz::text_of(data, size), "pyproject.toml");
  if (!deps.ok()) {
    require(!deps.error().message.empty(), "an error has a message");
    return 0;
  }
  for (const auto& d : *deps) {
    require(d.version.has_value() != d.revision.has_value(), "exactly one of version and revision");
    (void)d.ref();
  }
  return 0;
}
