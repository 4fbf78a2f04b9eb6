#include "lockfile/python_probe.hpp"

#include <chrono>
#include <cstdlib>
#include <vector>
#include <sstream>

#include "util/bounded_run.hpp"

namespace kernels::lockfile {
namespace {

// find_spec on a top-level name locates the package without running its
// __init__; locking.py is read as text. A kernels whose locking module
// reads kernels-data's KernelLocks reads the new format (upstream branch
// kernel-deps-flat-lock); every released one reads variant-hashes.
constexpr const char* kProbe = R"(import importlib.util, os, sys
sys.path = [p for p in sys.path if p not in ("", ".", os.getcwd())]
spec = importlib.util.find_spec("kernels")
if spec is None or not spec.submodule_search_locations:
    print("none"); sys.exit(0)
root = list(spec.submodule_search_locations)[0]
if not os.path.isfile(os.path.join(root, "__init__.py")):
    print("none"); sys.exit(0)
try:
    import importlib.metadata as md
    version = md.version("kernels")
except Exception:
    version = ""
try:
    with open(os.path.join(root, "locking.py"), encoding="utf-8") as f:
        src = f.read()
except OSError:
    src = ""
print("version=" + version)
print("path=" + root)
print("reads=" + ("kernels-data" if "KernelLocks" in src else "variant-hashes"))
)";

}  // namespace

std::optional<PythonKernels> parse_python_probe(const std::string& python, const std::string& out) {
  PythonKernels found;
  found.python = python;
  bool have_reads = false;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("version=", 0) == 0) {
      found.version = line.substr(8, 64);
    } else if (line.rfind("path=", 0) == 0) {
      found.path = line.substr(5, 4096);
    } else if (line.rfind("reads=", 0) == 0) {
      auto f = parse_format_name(line.substr(6));
      if (!f) return std::nullopt;
      found.reads = *f;
      have_reads = true;
    }
  }
  if (!have_reads) return std::nullopt;
  return found;
}

std::optional<PythonKernels> probe_python_kernels() {
  std::vector<std::string> pythons = {"python3", "python"};
  if (const char* chosen = std::getenv("KERNELS_PYTHON")) pythons = {chosen};
  for (const auto& python : pythons) {
    if (python.empty() || python == "none") return std::nullopt;
    auto r = bounded_run({python, "-c", kProbe}, std::chrono::seconds(10), 64 * 1024);
    if (!r.ok()) {
      if (r.error().code == ErrorCode::spawn) continue;  // not on PATH: try the next name
      return std::nullopt;
    }
    if (r->exit_code != 0 || r->truncated) return std::nullopt;
    return parse_python_probe(python, r->out);
  }
  return std::nullopt;
}

}  // namespace kernels::lockfile
