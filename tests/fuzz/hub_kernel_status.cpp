// parse_kernel_status: kernel-status.toml as the Hub serves it, read with
// the project's TOML reader and its destination checked before `kernels lock`
// follows a redirect. Any bytes give a redirect, none, or a "bad-status" error.
#include <string>

#include "hub/decode.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::ErrorCode;

using kernels::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto status = kernels::hub::parse_kernel_status(std::string(kernels::fuzz::text_of(data, size)), "org/name");
  if (!status.ok()) {
    require(status.error().code == ErrorCode::bad_status, "errors are bad-status");
  } else if (*status) {
    require(!(*status)->destination.empty(), "a redirect has a destination");
  }
  return 0;
}
