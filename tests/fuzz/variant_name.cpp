// Build-variant names as they come from a Hub tree listing or a lock:
// parse_variant and parse_backend on each line of the input, then the
// selection `kernels download` and `kernels variants` make over all the lines
// (with "name archs..." lines giving metadata.json backend.archs) on a few
// fixed machines. (cuda_compat.hpp's can_run is left out: that header and
// select.hpp both declare kernels::variants::Verdict, so no file can include
// the two.)
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_support.hpp"
#include "variants/probe.hpp"
#include "variants/select.hpp"
#include "variants/variant.hpp"

namespace variants = kernels::variants;
using kernels::fuzz::require;

namespace {

std::vector<variants::System> machines() {
  variants::System cuda;
  cuda.cpu = "x86_64";
  cuda.os = "linux";
  cuda.cuda_driver = variants::Version{12, 8};
  cuda.gpus = {{0, "", 90}, {1, "", 80}};
  cuda.torch = variants::Version{2, 12};
  cuda.cxx11_abi = true;
  cuda.tvm_ffi = variants::Version{0, 1};
  cuda.backend = variants::Backend{variants::BackendKind::Cuda, variants::Version{12, 8}};
  variants::System mac;
  mac.cpu = "aarch64";
  mac.os = "darwin";
  mac.backend = variants::Backend{variants::BackendKind::Metal, std::nullopt};
  variants::System bare;  // no Torch known, CPU only
  bare.cpu = "x86_64";
  bare.os = "linux";
  return {cuda, mac, bare};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<variants::System> systems = machines();
  const auto lines = kernels::fuzz::split(kernels::fuzz::text_of(data, size), '\n', 64);

  std::vector<variants::Candidate> candidates;
  for (auto line : lines) {
    auto words = kernels::fuzz::split(line, ' ', 16);
    std::string name(words[0]);
    if (auto v = variants::parse_variant(name); v.ok()) {
      (void)variants::is_cuda_variant(*v);
      if (v->backend) {
        (void)variants::family_name(v->backend->kind);
        (void)variants::noarch_name(*v->backend);
        (void)v->backend->name();
      }
    }
    if (auto b = variants::parse_backend(name); b.ok()) (void)b->name();
    (void)variants::parse_major_minor(name);

    variants::Candidate c{name, std::nullopt};
    if (words.size() > 1) {
      c.archs = std::vector<std::string>(words.begin() + 1, words.end());
      for (int capability : {0, 75, 90, 100, 121}) (void)variants::archs_cover(*c.archs, capability);
    }
    candidates.push_back(std::move(c));
  }

  for (const auto& s : systems) {
    auto judged = variants::judge_variants(candidates, s);
    require(judged.size() == candidates.size(), "every candidate is judged once");
    for (const auto& j : judged) {
      (void)variants::trace_line(j);
      (void)variants::verdict_name(j.verdict);
    }
    if (const auto* best = variants::preferred(judged)) {
      require(best->verdict == variants::Verdict::Preferred, "the preferred judgement says so");
    }
  }
  return 0;
}
