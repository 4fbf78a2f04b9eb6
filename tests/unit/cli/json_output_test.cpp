// print_json_streaming prints the bytes print_json prints for the whole
// document, with the array's items passed one at a time (`kernels info
// --format json` of a million files).
#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>

#include "cli/json_output.hpp"

using kernels::cli::json_document;
using kernels::cli::print_json;
using kernels::cli::print_json_streaming;
using ojson = nlohmann::ordered_json;

namespace {

template <typename Fn>
std::string captured(Fn fn) {
  std::ostringstream out;
  auto* old = std::cout.rdbuf(out.rdbuf());
  fn();
  std::cout.rdbuf(old);
  return out.str();
}

std::vector<ojson> items(std::size_t n) {
  std::vector<ojson> out;
  for (std::size_t i = 0; i < n; ++i) {
    ojson item{{"path", "dir/f" + std::to_string(i) + (i % 3 ? ".py" : " caf\xc3\xa9 \"q\" \\ \x01 \xff")},
               {"size", i * 1000},
               {"oid", std::string(40, 'a')}};
    if (i % 4 == 0) item["lfs"] = ojson{{"oid", std::string(64, 'b')}, {"size", i}};
    out.push_back(item);
  }
  return out;
}

}  // namespace

TEST_CASE("print_json_streaming: the same bytes as print_json of the whole document", "[cli][json]") {
  for (std::size_t n : {0u, 1u, 2u, 7u}) {
    INFO(n << " items");
    ojson whole = json_document();
    whole["repo_id"] = "org/files";
    whole["variants"] = {"torch-cpu", "a \"files\": [] lookalike"};
    whole["files"] = ojson::array();
    for (const auto& item : items(n)) whole["files"].push_back(item);
    whole["total_size"] = 42;
    whole["after"] = ojson{{"nested", ojson::array({1, 2})}};

    ojson streamed = whole;
    streamed["files"] = ojson::array();
    const std::string expected = captured([&] { print_json(whole); });
    const std::string got = captured([&] {
      print_json_streaming(streamed, "files", [&](const auto& emit) {
        for (const auto& item : items(n)) emit(item);
      });
    });
    CHECK(got == expected);
  }
}
