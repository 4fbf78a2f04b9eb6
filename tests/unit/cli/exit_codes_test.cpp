#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "cli/exit_codes.hpp"

using kernels::ErrorCode;
using kernels::cli::exit_status;

TEST_CASE("exit status: 1 for what is missing or wrong, 2 for what stopped the work", "[cli][exit]") {
  for (auto c :
       {ErrorCode::repo_not_found, ErrorCode::revision_not_found, ErrorCode::version_not_found, ErrorCode::offline,
        ErrorCode::hash_mismatch, ErrorCode::signature, ErrorCode::no_variant, ErrorCode::cycle, ErrorCode::not_locked})
    CHECK(exit_status(c) == kernels::cli::kExitProblems);
  for (auto c : {ErrorCode::io, ErrorCode::usage, ErrorCode::parse, ErrorCode::network, ErrorCode::timeout,
                 ErrorCode::server_error, ErrorCode::internal, ErrorCode::no_device, ErrorCode::limit})
    CHECK(exit_status(c) == kernels::cli::kExitUsage);
}

// kernels(1), ERRORS, lists each code with its exit status as `.BR name " (N)"`;
// the page and the table must not drift apart.
TEST_CASE("exit status: kernels(1) lists every error code with the status it gives", "[cli][exit]") {
  std::ifstream in(std::string(KERNELS_SOURCE_DIR) + "/man/kernels.1");
  REQUIRE(in);
  std::stringstream page;
  page << in.rdbuf();
  const std::string text = page.str();
  REQUIRE(text.find(".SH ERRORS") != std::string::npos);
  for (std::size_t i = 0; i < kernels::error_code_count(); ++i) {
    auto code = static_cast<ErrorCode>(i);
    std::string roff;
    for (char ch : kernels::error_code_name(code)) {
      if (ch == '-') roff += '\\';
      roff += ch;
    }
    std::string line = ".BR " + roff + " \" (" + std::to_string(exit_status(code)) + ")\"\n";
    INFO(line);
    CHECK(text.find(line) != std::string::npos);
  }
}
