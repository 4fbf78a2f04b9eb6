#include "variants/select.hpp"

#include <algorithm>
#include <tuple>

#include "util/number.hpp"

namespace kernels::variants {

namespace {

std::string version_or_none(const std::optional<Version>& v) { return v ? to_string(*v) : "None"; }

std::string abi_text(const std::optional<bool>& abi) {
  if (!abi) return "None";
  return *abi ? "True" : "False";
}

bool versioned(BackendKind k) {
  return k == BackendKind::Cuda || k == BackendKind::Rocm || k == BackendKind::Xpu || k == BackendKind::Cann;
}

// The reason a variant is rejected, or "" when it is accepted (§5.3, in order).
std::string rejection(const Variant& v, const System& s) {
  if (v.framework == Framework::Noarch) {
    std::string sysname = noarch_name(s.backend);
    if (v.noarch_backend == sysname || v.noarch_backend == "universal") return "";
    return "backend (" + v.noarch_backend + ") does not match system backend (" + sysname + ") and is not universal";
  }
  if (v.cpu != s.cpu) return "CPU (" + v.cpu + ") does not match system CPU (" + s.cpu + ")";
  if (v.os != s.os) return "OS (" + v.os + ") does not match system OS (" + s.os + ")";
  switch (v.framework) {
    case Framework::Torch:
      if (!s.torch || *s.torch != *v.framework_version) {
        return "Torch version (" + to_string(*v.framework_version) + ") does not match environment Torch version (" +
               version_or_none(s.torch) + ")";
      }
      if (v.cxx11_abi && (!s.cxx11_abi || *s.cxx11_abi != *v.cxx11_abi)) {
        return "Torch CXX11 ABI (" + abi_text(v.cxx11_abi) + ") does not match environment Torch CXX11 ABI (" +
               abi_text(s.cxx11_abi) + ")";
      }
      break;
    case Framework::TorchStableAbi:
      if (!s.torch || *v.framework_version > *s.torch) {
        return "Torch stable ABI version (" + to_string(*v.framework_version) +
               ") is too new for environment Torch version (" + version_or_none(s.torch) + ")";
      }
      break;
    case Framework::TvmFfi:
      if (!s.tvm_ffi || *s.tvm_ffi != *v.framework_version) {
        return "tvm-ffi version (" + to_string(*v.framework_version) +
               ") does not match environment tvm-ffi version (" + version_or_none(s.tvm_ffi) + ")";
      }
      break;
    case Framework::Noarch: break;
  }
  const Backend& b = *v.backend;
  if (b.kind == BackendKind::Cuda && s.backend.kind == BackendKind::Cuda) {
    if (b.version->major != s.backend.version->major || b.version->minor > s.backend.version->minor) {
      return "CUDA version (" + to_string(*b.version) + ") is not compatible with system CUDA version (" +
             to_string(*s.backend.version) + ")";
    }
    return "";
  }
  if (b.name() != s.backend.name()) {
    return "backend (" + b.name() + ") does not match selected backend (" + s.backend.name() + ")";
  }
  return "";
}

std::string archs_rejection(const Variant& v, const std::optional<std::vector<std::string>>& archs, const System& s) {
  if (!archs || !is_cuda_variant(v) || s.backend.kind != BackendKind::Cuda) return "";
  for (const auto& g : s.gpus) {
    if (archs_cover(*archs, g.capability)) continue;
    std::string list;
    for (const auto& a : *archs) list += (list.empty() ? "" : ", ") + a;
    return "compute capability " + capability_text(g.capability) + " of GPU " + std::to_string(g.index) +
           (g.name.empty() ? "" : " (" + g.name + ")") + " is not in the variant's backend.archs (" + list + ")";
  }
  return "";
}

using Key = std::tuple<int, int, int, int, int>;

Key sort_key(const Variant& v, bool accepted) {
  int d = accepted ? 0 : 1;
  if (v.framework == Framework::Noarch) return {d, 2, 0, 0, v.noarch_backend == "universal" ? 1 : 0};
  int b = versioned(v.backend->kind) ? -v.backend->version->minor : 0;
  switch (v.framework) {
    case Framework::TorchStableAbi: return {d, 0, -v.framework_version->major, -v.framework_version->minor, b};
    case Framework::Torch: return {d, 1, 0, v.cxx11_abi ? 1 : 0, b};
    default: return {d, 2, 0, 0, b};
  }
}

struct Parse {
  int major = 0, minor = 0;
  std::string suffix;  // "", "a", "f"
  bool ptx = false;
};

std::optional<Parse> parse_arch(std::string text) {
  Parse p;
  const std::string ptx = "+PTX";
  if (text.size() > ptx.size() && text.compare(text.size() - ptx.size(), ptx.size(), ptx) == 0) {
    p.ptx = true;
    text.resize(text.size() - ptx.size());
  }
  if (!text.empty() && (text.back() == 'a' || text.back() == 'f')) {
    p.suffix = text.substr(text.size() - 1);
    text.pop_back();
  }
  auto dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 2 || dot + 1 >= text.size() || text.size() - dot - 1 > 1) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != dot && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  }
  p.major = *parse_decimal<int>(text.substr(0, dot));  // one or two digits, checked above
  p.minor = text[dot + 1] - '0';
  return p;
}

}  // namespace

bool is_cuda_variant(const Variant& v) {
  if (v.framework == Framework::Noarch) return v.noarch_backend == "cuda";
  return v.backend && v.backend->kind == BackendKind::Cuda;
}

std::string noarch_name(const Backend& backend) {
  if (backend.kind == BackendKind::Cann) return "npu";
  return family_name(backend.kind);
}

std::string capability_text(int capability) {
  return std::to_string(capability / 10) + "." + std::to_string(capability % 10);
}

bool archs_cover(const std::vector<std::string>& archs, int capability) {
  int major = capability / 10, minor = capability % 10;
  bool any = false;
  for (const auto& a : archs) {
    auto p = parse_arch(a);
    if (!p) continue;
    any = true;
    if (p->major == major && p->minor == minor) return true;
    if (p->suffix == "f" && p->major == major && minor >= p->minor) return true;
    if (p->ptx && (major > p->major || (major == p->major && minor >= p->minor))) return true;
  }
  return !any;
}

std::vector<Judgement> judge_variants(const std::vector<Candidate>& candidates, const System& system) {
  struct Row {
    Judgement j;
    Key key;
    int parsed;  // 0 parsed, 1 not a variant name
  };
  std::vector<Row> rows;
  for (const auto& c : candidates) {
    Row r;
    r.j.name = c.name;
    auto v = parse_variant(c.name);
    if (!v.ok()) {
      r.j.reason = "not a build variant name: " + v.error().message;
      r.key = {2, 0, 0, 0, 0};
      r.parsed = 1;
    } else {
      r.j.variant = *v;
      r.j.reason = rejection(*v, system);
      if (r.j.reason.empty()) r.j.reason = archs_rejection(*v, c.archs, system);
      bool accepted = r.j.reason.empty();
      r.j.verdict = accepted ? Verdict::Compatible : Verdict::Rejected;
      r.key = sort_key(*v, accepted);
      r.parsed = 0;
    }
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.parsed, a.key, a.j.name) < std::tie(b.parsed, b.key, b.j.name);
  });
  std::vector<Judgement> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(std::move(r.j));
  if (!out.empty() && out.front().verdict == Verdict::Compatible) out.front().verdict = Verdict::Preferred;
  return out;
}

const Judgement* preferred(const std::vector<Judgement>& judged) {
  return !judged.empty() && judged.front().verdict == Verdict::Preferred ? &judged.front() : nullptr;
}

std::string trace_line(const Judgement& j) {
  switch (j.verdict) {
    case Verdict::Preferred: return j.name + " compatible, preferred \xE2\x9C\x85";
    case Verdict::Compatible: return j.name + " compatible \xE2\x9C\x85";
    case Verdict::Rejected: break;
  }
  return j.name + ": " + j.reason;
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Preferred: return "preferred";
    case Verdict::Compatible: return "compatible";
    case Verdict::Rejected: break;
  }
  return "rejected";
}

}  // namespace kernels::variants
