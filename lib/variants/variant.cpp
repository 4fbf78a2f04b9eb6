#include "variants/variant.hpp"

#include <cctype>
#include <vector>

#include "util/number.hpp"

namespace kernels::variants {
namespace {

Error bad(std::string_view name, const std::string& why) {
  return Error{ErrorCode::variant, "invalid build variant '" + std::string(name) + "': " + why};
}

std::vector<std::string> split_dash(std::string_view s) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == '-') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Digits "XY..Z" split greedily: everything but the last digit is the major.
std::optional<Version> split_last_digit(std::string_view digits) {
  if (digits.size() < 2 || !all_digits(digits)) return std::nullopt;
  auto major = parse_decimal<int>(digits.substr(0, digits.size() - 1));
  if (!major) return std::nullopt;
  Version v;
  v.major = *major;
  v.minor = digits.back() - '0';
  return v;
}

// Digits "X YZ..": the first digit is the major (torch29 = 2.9, torch210 = 2.10).
std::optional<Version> split_first_digit(std::string_view digits) {
  if (digits.size() < 2 || !all_digits(digits)) return std::nullopt;
  auto minor = parse_decimal<int>(digits.substr(1));
  if (!minor) return std::nullopt;
  Version v;
  v.major = digits.front() - '0';
  v.minor = *minor;
  return v;
}

// tvm-ffi's lazy major: `(\d+?)(\d+)` takes one digit for the major.
Result<Variant> finish_arch(std::string_view name, Variant v, const std::vector<std::string>& parts, size_t from) {
  if (parts.size() - from != 3)
    return bad(
        name, "expected BACKEND-CPU-OS after the framework, found " + std::to_string(parts.size() - from) + " part(s)");
  auto backend = parse_backend(parts[from]);
  if (!backend.ok()) return bad(name, backend.error().message);
  if (parts[from + 1].empty() || parts[from + 2].empty()) return bad(name, "empty CPU or OS part");
  v.backend = *backend;
  v.cpu = parts[from + 1];
  v.os = parts[from + 2];
  return v;
}

}  // namespace

std::string to_string(const Version& v) { return std::to_string(v.major) + "." + std::to_string(v.minor); }

std::string family_name(BackendKind kind) {
  switch (kind) {
    case BackendKind::Cpu: return "cpu";
    case BackendKind::Metal: return "metal";
    case BackendKind::Neuron: return "neuron";
    case BackendKind::Tpu: return "tpu";
    case BackendKind::Cuda: return "cuda";
    case BackendKind::Rocm: return "rocm";
    case BackendKind::Xpu: return "xpu";
    case BackendKind::Cann: return "npu";
  }
  return "cpu";
}

std::string Backend::name() const {
  auto versioned = [&](const char* prefix) {
    return std::string(prefix) + std::to_string(version->major) + std::to_string(version->minor);
  };
  switch (kind) {
    case BackendKind::Cpu: return "cpu";
    case BackendKind::Metal: return "metal";
    case BackendKind::Neuron: return "neuron";
    case BackendKind::Tpu: return "tpu";
    case BackendKind::Cuda: return versioned("cu");
    case BackendKind::Rocm: return versioned("rocm");
    case BackendKind::Xpu: return versioned("xpu");
    case BackendKind::Cann: return versioned("cann");
  }
  return "cpu";
}

Result<Backend> parse_backend(std::string_view tag) {
  if (tag == "cpu") return Backend{BackendKind::Cpu, std::nullopt};
  if (tag == "metal") return Backend{BackendKind::Metal, std::nullopt};
  if (tag == "neuron") return Backend{BackendKind::Neuron, std::nullopt};
  if (tag == "tpu") return Backend{BackendKind::Tpu, std::nullopt};
  struct Prefix {
    const char* text;
    BackendKind kind;
  };
  // rocm before the others is irrelevant (no shared prefixes), but "cann" vs
  // "cu" both start with 'c': match the full prefix text.
  for (Prefix p : {Prefix{"cu", BackendKind::Cuda}, Prefix{"rocm", BackendKind::Rocm}, Prefix{"xpu", BackendKind::Xpu},
                   Prefix{"cann", BackendKind::Cann}}) {
    if (starts_with(tag, p.text)) {
      auto v = split_last_digit(tag.substr(std::string_view(p.text).size()));
      if (!v) break;
      return Backend{p.kind, *v};
    }
  }
  return Error{ErrorCode::variant, "unknown backend '" + std::string(tag) +
                                       "' (expected cpu, metal, neuron, tpu, cuXY, rocmXY, xpuXY or cannXY)"};
}

Result<Variant> parse_variant(std::string_view name) {
  auto parts = split_dash(name);
  Variant v;
  if (starts_with(name, "torch-stable-abi")) {
    if (parts.size() < 3 || parts[2].substr(0, 3) != "abi") return bad(name, "expected torch-stable-abiXY");
    auto ver = split_first_digit(std::string_view(parts[2]).substr(3));
    if (!ver) return bad(name, "stable ABI version must be digits, e.g. torch-stable-abi211");
    v.framework = Framework::TorchStableAbi;
    v.framework_version = *ver;
    return finish_arch(name, v, parts, 3);
  }
  if (parts[0] == "torch") {
    if (parts.size() < 2) return bad(name, "noarch variant needs a backend name, e.g. torch-cuda");
    v.framework = Framework::Noarch;
    v.noarch_backend = std::string(name.substr(6));
    return v;
  }
  if (starts_with(parts[0], "torch")) {
    auto ver = split_first_digit(std::string_view(parts[0]).substr(5));
    if (!ver) return bad(name, "torch version must be digits, e.g. torch212");
    v.framework = Framework::Torch;
    v.framework_version = *ver;
    size_t from = 1;
    if (parts.size() > 1 && (parts[1] == "cxx11" || parts[1] == "cxx98")) {
      v.cxx11_abi = parts[1] == "cxx11";
      from = 2;
    }
    return finish_arch(name, v, parts, from);
  }
  if (parts[0] == "tvm" && parts.size() > 1 && starts_with(parts[1], "ffi")) {
    auto ver = split_first_digit(std::string_view(parts[1]).substr(3));
    if (!ver) return bad(name, "tvm-ffi version must be digits, e.g. tvm-ffi01");
    v.framework = Framework::TvmFfi;
    v.framework_version = *ver;
    return finish_arch(name, v, parts, 2);
  }
  return bad(name, "expected torchXY-..., torch-stable-abiXY-..., tvm-ffiXY-... or torch-<backend>");
}

}  // namespace kernels::variants
