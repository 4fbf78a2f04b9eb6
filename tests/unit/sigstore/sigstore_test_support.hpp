// Shared helpers for the Sigstore unit tests: reading the conformance
// cases copied into tests/data/sigstore-conformance.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/process.hpp"

namespace kernels::sigstore_test {

inline std::string read_data(const std::string& relative) {
  std::ifstream in(kernels::test::data_path(relative), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string conformance(const std::string& case_name, const std::string& file = "bundle.sigstore.json") {
  return read_data("sigstore-conformance/" + case_name + "/" + file);
}

inline std::string artifact_a_txt() { return read_data("sigstore-conformance/a.txt"); }

}  // namespace kernels::sigstore_test
