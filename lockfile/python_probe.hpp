// Which kernels.lock format the Python `kernels` package on PATH reads, so
// that a new lock is one the project's own Python can load. Asked of
// $KERNELS_PYTHON when set ("none": ask nobody), else the first of python3
// and python on PATH, without importing kernels (which would import torch):
// importlib finds the package, its locking.py is read for kernels-data's
// reader (`KernelLocks`), importlib.metadata gives the version. The current
// directory is taken off sys.path first (a project folder named kernels/ is
// not the package). Bounded: 10 s, 64 KiB of answer.
#pragma once

#include <optional>
#include <string>

#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

struct PythonKernels {
  std::string python;   // the interpreter asked, e.g. "python3"
  std::string version;  // the kernels package's version, "" when unknown
  std::string path;     // where the package is
  LockFormat reads = LockFormat::VariantHashes;
};

// The installed package, nullopt when no interpreter or no kernels package
// is found (or the interpreter fails or hangs: nothing can be concluded).
std::optional<PythonKernels> probe_python_kernels();

// Parses the probe script's answer: lines "version=", "path=", "reads=".
// nullopt for "none" or anything malformed.
std::optional<PythonKernels> parse_python_probe(const std::string& python, const std::string& out);

}  // namespace kernels::lockfile
