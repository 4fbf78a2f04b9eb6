// The JSON half of the output contract (--format json). Every command's JSON
// document is one object on stdout whose "version" member is the shape's
// version, kJsonVersion, as `cargo metadata` does: a consumer checks it
// before reading anything else. A member is only ever added within a version;
// renaming or removing one raises it. Text from files and the Hub may not be
// UTF-8: it is written with U+FFFD in place of bad bytes, never an abort.
#pragma once

#include <nlohmann/json.hpp>

#include <iostream>

namespace kernels::cli {

inline constexpr int kJsonVersion = 1;

// {"version": kJsonVersion}, to add the command's members to.
template <typename Json = nlohmann::ordered_json>
Json json_document() {
  Json doc = Json::object();
  doc["version"] = kJsonVersion;
  return doc;
}

// Pretty-printed (two spaces), one document per run, a newline after it.
template <typename Json>
void print_json(const Json& doc) {
  std::cout << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace kernels::cli
