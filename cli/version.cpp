#include "cli/version.hpp"

#include <CLI/Version.hpp>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include "hub/http.hpp"
#include "sigstore/trusted_root.hpp"

namespace kernels::cli {

extern const char* const kBuildCommit;  // build_info.cpp, generated at build time

#ifdef NDEBUG
constexpr const char* kAssertions = "off";
#else
constexpr const char* kAssertions = "on";  // a Debug build, or KERNELS_ASSERTIONS (scripts/build)
#endif

std::string version_text() {
  std::string out = std::string("kernels ") + KERNELS_VERSION + "\n";
  out += std::string("commit: ") + kBuildCommit + "\n";
  out += std::string("build: ") + KERNELS_BUILD_TYPE + ", " + KERNELS_COMPILER + ", assertions " + kAssertions + "\n";
  out += std::string("CUDA kernels: ") + KERNELS_CUDA_DESCRIPTION + "\n";
  out += "libraries: libcurl " + hub::curl_version_string() + ", " + OpenSSL_version(OPENSSL_VERSION) +
         ", nlohmann-json " + std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
         std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." + std::to_string(NLOHMANN_JSON_VERSION_PATCH) + ", CLI11 " +
         CLI11_VERSION + "\n";
  out += "signatures: " + std::string(sigstore::production_trusted_root_source());
  return out;
}

}  // namespace kernels::cli
