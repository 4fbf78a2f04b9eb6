#include "variants/probe.hpp"

#include <dlfcn.h>
#include <sys/utsname.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>

#include "util/bounded_run.hpp"
#include "util/number.hpp"
#include "variants/cuda_compat.hpp"

namespace kernels::variants {

std::optional<Version> parse_major_minor(const std::string& text) {
  auto dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 4 || dot + 1 >= text.size() || text.size() - dot - 1 > 4) {
    return std::nullopt;
  }
  std::string major = text.substr(0, dot), minor = text.substr(dot + 1);
  if (major.find_first_not_of("0123456789") != std::string::npos ||
      minor.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  auto ma = parse_decimal<int>(major);
  auto mi = parse_decimal<int>(minor);
  if (!ma || !mi) return std::nullopt;
  return Version{*ma, *mi};
}

namespace {

struct CudaProbe {
  std::optional<Version> driver;
  std::vector<Gpu> gpus;
};

// The driver API, looked up at run time: a machine without a GPU has no libcuda.
CudaProbe probe_libcuda() {
  CudaProbe out;
  void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) return out;
  using Init = int (*)(unsigned);
  using IntOut = int (*)(int*);
  using DeviceGet = int (*)(int*, int);
  using Attribute = int (*)(int*, int, int);
  using Name = int (*)(char*, int, int);
  auto init = reinterpret_cast<Init>(dlsym(lib, "cuInit"));
  auto version = reinterpret_cast<IntOut>(dlsym(lib, "cuDriverGetVersion"));
  auto count = reinterpret_cast<IntOut>(dlsym(lib, "cuDeviceGetCount"));
  auto device_get = reinterpret_cast<DeviceGet>(dlsym(lib, "cuDeviceGet"));
  auto attribute = reinterpret_cast<Attribute>(dlsym(lib, "cuDeviceGetAttribute"));
  auto name = reinterpret_cast<Name>(dlsym(lib, "cuDeviceGetName"));
  int v = 0;
  if (version != nullptr && version(&v) == 0 && v > 0) out.driver = cuda_version_from_int(v);
  int n = 0;
  if (out.driver && init != nullptr && init(0) == 0 && count != nullptr && count(&n) == 0 && device_get != nullptr &&
      attribute != nullptr) {
    constexpr int kMajor = 75, kMinor = 76;  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR / _MINOR
    for (int i = 0; i < n && i < 64; ++i) {
      int dev = 0, major = 0, minor = 0;
      if (device_get(&dev, i) != 0 || attribute(&major, kMajor, dev) != 0 || attribute(&minor, kMinor, dev) != 0) {
        continue;
      }
      Gpu g;
      g.index = i;
      g.capability = major * 10 + minor;
      char buf[256] = {};
      if (name != nullptr && name(buf, sizeof buf - 1, dev) == 0) g.name = buf;
      out.gpus.push_back(g);
    }
  }
  dlclose(lib);
  return out;
}

std::optional<Version> probe_rocm() {
  std::ifstream in("/opt/rocm/.info/version");
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  // "6.3.1-48" -> 6.3
  auto first = line.find('.');
  if (first == std::string::npos) return std::nullopt;
  auto second = line.find_first_not_of("0123456789", first + 1);
  return parse_major_minor(line.substr(0, second));
}

constexpr const char* kTorchScript = R"(import json, platform
out = {}
try:
    import torch
    out["torch"] = torch.__version__
    out["cxx11"] = bool(torch.compiled_with_cxx11_abi()) if platform.system() == "Linux" else None
    out["cuda"] = torch.version.cuda
    out["hip"] = getattr(torch.version, "hip", None)
    out["xpu"] = getattr(torch.version, "xpu", None)
    mps = getattr(torch.backends, "mps", None)
    out["mps"] = bool(mps is not None and mps.is_available())
except Exception:
    pass
try:
    import tvm_ffi
    out["tvm_ffi"] = tvm_ffi.__version__
except Exception:
    pass
print(json.dumps(out))
)";

// "2.11.0+cu130" -> 2.11
std::optional<Version> leading_version(const std::string& text) {
  auto first = text.find('.');
  if (first == std::string::npos) return std::nullopt;
  auto end = text.find_first_not_of("0123456789", first + 1);
  return parse_major_minor(text.substr(0, end));
}

struct PythonTorch {
  std::optional<Version> torch, tvm_ffi, cuda, hip, xpu;
  std::optional<bool> cxx11;
  bool mps = false;
};

std::optional<PythonTorch> probe_python(const std::string& python) {
  auto run = bounded_run({python, "-c", kTorchScript}, std::chrono::seconds(20), 64 * 1024);
  if (!run.ok() || run->exit_code != 0 || run->truncated) return std::nullopt;
  auto j = nlohmann::json::parse(run->out, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  PythonTorch out;
  auto text = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.torch = leading_version(text("torch"));
  out.tvm_ffi = leading_version(text("tvm_ffi"));
  out.cuda = leading_version(text("cuda"));
  out.hip = leading_version(text("hip"));
  std::string xpu = text("xpu");  // "20250301" -> 2025.3, as the kernels library reads it
  if (xpu.size() >= 6 && xpu.find_first_not_of("0123456789") == std::string::npos) {
    out.xpu = Version{*parse_decimal<int>(xpu.substr(0, 4)), *parse_decimal<int>(xpu.substr(5, 1))};
  }
  if (auto it = j.find("cxx11"); it != j.end() && it->is_boolean()) out.cxx11 = it->get<bool>();
  if (auto it = j.find("mps"); it != j.end() && it->is_boolean()) out.mps = it->get<bool>();
  return out;
}

Backend versioned(BackendKind kind, Version v) {
  Backend b;
  b.kind = kind;
  b.version = v;
  return b;
}

}  // namespace

Result<System> probe_system(const ProbeOptions& options) {
  System s;
  utsname u{};
  if (uname(&u) == 0) {
    s.cpu = u.machine;
    s.os = u.sysname;
    for (char& c : s.os) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s.cpu == "arm64") s.cpu = "aarch64";
    if (s.os == "windows" && s.cpu == "AMD64") s.cpu = "x86_64";
  }

  std::optional<Version> forced_cuda;
  bool no_cuda = options.cuda == "none";
  if (!options.cuda.empty() && !no_cuda) {
    forced_cuda = parse_major_minor(options.cuda);
    if (!forced_cuda)
      return Error{ErrorCode::usage, "--cuda takes a version X.Y (e.g. 12.8) or none, not \"" + options.cuda + "\""};
  }
  if (options.capability && (*options.capability < 10 || *options.capability > 999)) {
    return Error{ErrorCode::usage,
                 "--capability takes major*10+minor (e.g. 90 for 9.0), not " + std::to_string(*options.capability)};
  }

  const char* driver_env = std::getenv("KERNELS_CUDA_DRIVER");
  if (driver_env != nullptr && *driver_env != '\0') {
    if (std::string(driver_env) != "none") s.cuda_driver = parse_major_minor(driver_env);
  } else {
    CudaProbe cuda = probe_libcuda();
    s.cuda_driver = cuda.driver;
    s.gpus = std::move(cuda.gpus);
  }
  if (options.capability) {
    if (s.gpus.empty()) s.gpus.push_back(Gpu{0, "", *options.capability});
    for (auto& g : s.gpus) g.capability = *options.capability;
  }
  s.rocm = probe_rocm();

  std::optional<PythonTorch> py;
  if (options.torch == "none") {
    s.torch_source = "--torch";
  } else if (!options.torch.empty()) {
    s.torch = parse_major_minor(options.torch);
    if (!s.torch)
      return Error{ErrorCode::usage, "--torch takes a version X.Y (e.g. 2.11) or none, not \"" + options.torch + "\""};
    if (s.os == "linux") s.cxx11_abi = true;  // every Torch >= 2.6 wheel for Linux
    s.torch_source = "--torch";
  } else {
    py = probe_python(options.python);
    if (py) {
      s.torch = py->torch;
      s.cxx11_abi = py->cxx11;
      s.tvm_ffi = py->tvm_ffi;
      if (s.torch) s.torch_source = options.python;
    }
  }

  // The backend: --cuda; else what Torch was built for; else the machine's driver.
  if (forced_cuda) {
    s.backend = versioned(BackendKind::Cuda, *forced_cuda);
    s.backend_source = "--cuda";
  } else if (py && py->torch && !no_cuda) {
    s.backend_source = "torch";
    if (py->cuda) s.backend = versioned(BackendKind::Cuda, *py->cuda);
    else if (py->hip) s.backend = versioned(BackendKind::Rocm, *py->hip);
    else if (py->mps) s.backend.kind = BackendKind::Metal;
    else if (py->xpu) s.backend = versioned(BackendKind::Xpu, *py->xpu);
    else s.backend.kind = BackendKind::Cpu;
  } else if (s.cuda_driver && !no_cuda) {
    s.backend = versioned(BackendKind::Cuda, *s.cuda_driver);
    s.backend_source = "driver";
  } else if (s.rocm) {
    s.backend = versioned(BackendKind::Rocm, *s.rocm);
    s.backend_source = "rocm";
  } else {
    s.backend.kind = BackendKind::Cpu;
    s.backend_source = no_cuda ? "--cuda none" : "no GPU found";
  }
  return s;
}

}  // namespace kernels::variants
