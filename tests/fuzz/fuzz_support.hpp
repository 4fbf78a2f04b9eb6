// Helpers shared by the fuzz targets in this directory.
//
// Each target file defines LLVMFuzzerTestOneInput. libFuzzer calls it
// directly; fuzz_replay (replay.cpp) compiles each file with
// -DLLVMFuzzerTestOneInput=kernels_fuzz_<target> so that every target can
// live in one executable that ctest runs over the checked-in corpus.
//
// Inputs are arbitrary bytes: not UTF-8, not NUL-terminated, possibly empty.
// Targets only ever look at them through (data, size).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace kernels::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The parts of `text` between `separator` bytes (empty parts kept), at most
// `max_parts` of them: the last part holds the rest. Lets one input drive a
// function of several string arguments or a list of names.
inline std::vector<std::string_view> split(std::string_view text, char separator, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    auto at = text.find(separator);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + 1);
  }
  parts.push_back(text);
  return parts;
}

// An invariant a library header promises. A broken one is a finding, so it
// aborts: libFuzzer saves the input, and the replay test fails.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace kernels::fuzz
