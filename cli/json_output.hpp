// The JSON half of the output contract (--format json). Every command's JSON
// document is one object on stdout whose "version" member is the shape's
// version, kJsonVersion, as `cargo metadata` does: a consumer checks it
// before reading anything else. A member is only ever added within a version;
// renaming or removing one raises it. Text from files and the Hub may not be
// UTF-8: it is written with U+FFFD in place of bad bytes, never an abort.
#pragma once

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>

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

// The bytes print_json(doc) would print with the top-level array member
// `key` (an empty array in `doc`) holding the items that `each(emit)` passes
// to emit(item), one at a time: a million items are printed without being
// held as JSON values (about 1 KB each) all at once.
template <typename Json, typename Each>
void print_json_streaming(const Json& doc, const std::string& key, Each each) {
  const std::string text = doc.dump(2, ' ', false, Json::error_handler_t::replace);
  // Top-level members sit two spaces in; inside a string a quote is escaped.
  const std::string member = "\n  " + Json(key).dump() + ": []";
  const auto at = text.find(member);
  if (at == std::string::npos) {
    std::cout << text << "\n";
    return;
  }
  std::cout << text.substr(0, at + member.size() - 1);  // up to the '['
  bool first = true;
  each([&](const Json& item) {
    std::string s = item.dump(2, ' ', false, Json::error_handler_t::replace);
    std::string indented;
    indented.reserve(s.size() + 64);
    for (char c : s) {
      indented += c;
      if (c == '\n') indented += "    ";  // two levels deep; JSON strings hold no raw newline
    }
    std::cout << (first ? "\n    " : ",\n    ") << indented;
    first = false;
  });
  std::cout << (first ? "]" : "\n  ]") << text.substr(at + member.size()) << "\n";
}

}  // namespace kernels::cli
