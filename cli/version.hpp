// What `kernels --version` prints: the version, the commit and build type it
// was built from, the CUDA machine code it carries, and the libraries it runs
// with (libcurl and OpenSSL as loaded at run time, the header-only ones as
// compiled in). Bug reports start here.
#pragma once

#include <string>

namespace kernels::cli {

std::string version_text();

}  // namespace kernels::cli
