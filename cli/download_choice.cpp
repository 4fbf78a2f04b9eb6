#include "cli/download_choice.hpp"

#include <dlfcn.h>
#include <sys/utsname.h>

#include <cctype>
#include <cstdlib>

namespace kernels::cli {

namespace {

std::optional<variants::Version> driver_from_libcuda() {
  void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) return std::nullopt;
  using GetVersion = int (*)(int*);
  auto fn = reinterpret_cast<GetVersion>(dlsym(lib, "cuDriverGetVersion"));
  int version = 0;
  std::optional<variants::Version> out;
  if (fn != nullptr && fn(&version) == 0 && version > 0) out = variants::cuda_version_from_int(version);
  dlclose(lib);
  return out;
}

std::optional<variants::Version> parse_version(const std::string& text) {
  auto dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= text.size() || dot > 3 || text.size() - dot - 1 > 3 ||
      text.substr(0, dot).find_first_not_of("0123456789") != std::string::npos ||
      text.substr(dot + 1).find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return variants::Version{std::stoi(text.substr(0, dot)), std::stoi(text.substr(dot + 1))};
}

}  // namespace

variants::MachineFacts machine_facts() {
  variants::MachineFacts facts;
  utsname u{};
  if (uname(&u) == 0) {
    facts.cpu = u.machine;
    if (facts.cpu == "arm64") facts.cpu = "aarch64";
    facts.os = u.sysname;
    for (char& c : facts.os) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const char* forced = std::getenv("KERNELS_CUDA_DRIVER");
  if (forced != nullptr && *forced != '\0') {
    if (std::string(forced) != "none") facts.cuda_driver = parse_version(forced);
    return facts;
  }
  facts.cuda_driver = driver_from_libcuda();
  return facts;
}

Result<std::vector<std::string>> choose_download_variants(const variants::MachineFacts& facts,
                                                          const std::vector<std::string>& names) {
  std::vector<std::string> chosen;
  std::string refused;
  for (const auto& name : names) {
    auto v = variants::parse_variant(name);
    if (!v.ok()) {
      refused += "\n  " + name + ": " + v.error().message;
      continue;
    }
    auto verdict = variants::can_run(*v, facts);
    bool cpu_only = (v->framework == variants::Framework::Noarch && v->noarch_backend == "cpu") ||
                    (v->backend && v->backend->kind == variants::BackendKind::Cpu);
    if (verdict.can_run && cpu_only && facts.cuda_driver) {
      refused += "\n  " + name + ": a CPU variant, and this machine has a CUDA driver";
      continue;
    }
    if (!verdict.can_run) {
      refused += "\n  " + name + ": " + verdict.reason;
      continue;
    }
    chosen.push_back(name);
  }
  if (chosen.empty()) {
    std::string machine = facts.cpu + "-" + facts.os + ", " +
                          (facts.cuda_driver ? "CUDA driver " + variants::to_string(*facts.cuda_driver)
                                             : std::string("no CUDA driver"));
    return Error{"no-variant", "Cannot find a build variant for this system (" + machine + ") among " +
                                   std::to_string(names.size()) + ":" + refused +
                                   "\n(--all-variants downloads every variant)"};
  }
  return chosen;
}

}  // namespace kernels::cli
