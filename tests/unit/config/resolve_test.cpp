// Resolution: transformers' KernelConfig resolution and its test cases
// #13, #14, #23, #26, #31, #34–#37, #40, translated to TOML.
#include <catch2/catch.hpp>

#include "check_test_support.hpp"
#include "config/resolve.hpp"

using kernels::ErrorCode;

using namespace kernels::config;
using namespace kernels::config::test;

namespace {

Config load(const std::string& text) {
  auto r = check(text);
  INFO(text);
  REQUIRE_FALSE(has_errors(r.diagnostics));
  return std::move(r.config);
}

Resolution resolve_ok(const Config& c, const ResolveRequest& req) {
  auto r = resolve(c, req);
  REQUIRE(r.ok());
  return std::move(r.value());
}

const LayerResolution& layer(const Resolution& r, const std::string& name) {
  for (const auto& l : r.layers)
    if (l.layer == name) return l;
  FAIL("no layer " << name);
  return r.layers.front();
}

// A [[layer]] entry.
std::string entry(const std::string& name, const std::string& device, const std::string& mode, const std::string& repo,
                  const std::string& capability = "") {
  return "[[layer]]\nname = \"" + name + "\"\ndevice = \"" + device + "\"\nmode = \"" + mode + "\"\nrepo = \"" + repo +
         "\"\nversion = 1\n" + (capability.empty() ? "" : "capability = " + capability + "\n");
}

const std::string kLinear = "[model]\nlayers = [\"Linear\"]\n";

}  // namespace

TEST_CASE("resolve #1: a bare repo string on cuda registers for the requested mode", "[config][resolve]") {
  auto c = load(kModel + "[kernel_mapping]\nRMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n");
  auto r = resolve_ok(c, {"cuda", 90, false, false});
  REQUIRE(r.layers.size() == 3);  // the model's three layers, in [model] order
  CHECK(r.layers[0].layer == "RMSNorm");
  REQUIRE(r.layers[0].kernel);
  const auto& k = *r.layers[0].kernel;
  CHECK(k.kernel.repo_id == "kernels-community/layer-norm");
  CHECK(k.kernel.layer_name == "LlamaRMSNorm");
  CHECK(k.kernel.version == 1);
  CHECK(k.mode == Mode::Inference);
  CHECK(k.origin == Origin::KernelMapping);
  CHECK(k.pos.line == 4);
  CHECK(k.pos.column == 1);
  CHECK(r.layers[1].layer == "MLP");
  CHECK_FALSE(r.layers[1].kernel);
  CHECK(r.layers[1].reason == "No layer mapping for `MLP`");
  CHECK_FALSE(r.layers[1].error);
}

TEST_CASE("resolve #13, #14: per-device entries apply only on their device", "[config][resolve]") {
  auto c = load(kModel +
                "[kernel_mapping.RMSNorm]\ncuda = \"org/cuda-norm:N\"\nrocm = \"org/rocm-norm:N\"\n"
                "[kernel_mapping.MLP]\nrocm = \"org/rocm-mlp:M\"\n");
  auto cuda = resolve_ok(c, {"cuda", 80, false, false});
  CHECK(layer(cuda, "RMSNorm").kernel->kernel.repo_id == "org/cuda-norm");
  CHECK_FALSE(layer(cuda, "MLP").kernel);
  CHECK(layer(cuda, "MLP").reason == "No layer mapping for `MLP`");
  auto rocm = resolve_ok(c, {"rocm", 94, false, false});
  CHECK(layer(rocm, "RMSNorm").kernel->kernel.repo_id == "org/rocm-norm");
  CHECK(layer(rocm, "MLP").kernel->kernel.repo_id == "org/rocm-mlp");
  auto xpu = resolve_ok(c, {"xpu", std::nullopt, false, false});
  CHECK(layer(xpu, "RMSNorm").reason == "No layer mapping for `RMSNorm`");
}

TEST_CASE("resolve #23: training with torch.compile registers TRAINING|TORCH_COMPILE", "[config][resolve]") {
  auto c = load(kModel + "[kernel_mapping]\nRMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n");
  auto r = resolve_ok(c, {"cuda", 90, true, true});
  CHECK(r.mode == Mode::TrainingCompile);
  CHECK(layer(r, "RMSNorm").kernel->mode == Mode::TrainingCompile);
  CHECK(python_mode(r.mode) == "Mode.TRAINING|TORCH_COMPILE");
}

TEST_CASE("resolve #26: KernelConfig entries cannot apply on cpu or mps", "[config][resolve]") {
  auto c =
      load(kModel +
           "[kernel_config]\nuse_local_kernel = true\n[kernel_mapping]\nRMSNorm = \"/abs/path/kernel:LlamaRMSNorm\"\n");
  auto r = resolve_ok(c, {"cpu", std::nullopt, false, false});
  const auto& l = layer(r, "RMSNorm");
  CHECK_FALSE(l.kernel);
  CHECK(l.error);
  CHECK(l.reason == "Only cuda, rocm, xpu, npu, neuron and tpu devices supported, got: cpu");
  auto cuda = resolve_ok(c, {"cuda", 90, false, false});
  CHECK(layer(cuda, "RMSNorm").kernel->kernel.local);
  CHECK(layer(cuda, "RMSNorm").kernel->kernel.repo_id == "/abs/path/kernel");
}

TEST_CASE("resolve #31: an unsupported device is a usage error with the kernels message", "[config][resolve]") {
  auto c = load(kModel + "[kernel_mapping]\nRMSNorm = \"a/b:C\"\n");
  auto r = resolve(c, {"metal", std::nullopt, false, false});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::usage);
  CHECK(r.error().message ==
        "Unsupported device type 'metal'. Supported device types are: cpu, cuda, mps, neuron, npu, rocm, tpu, xpu");
  auto cap = resolve(c, {"xpu", 90, false, false});
  REQUIRE_FALSE(cap.ok());
  CHECK(cap.error().message == "--capability applies only to cuda and rocm devices, not to 'xpu'");
}

TEST_CASE("resolve #34: a TRAINING-only registration", "[config][resolve]") {
  auto c = load(kLinear + entry("Linear", "cuda", "training", "org/a:A"));
  CHECK(layer(resolve_ok(c, {"cuda", 90, false, false}), "Linear").kernel->kernel.repo_id == "org/a");
  CHECK(layer(resolve_ok(c, {"cuda", 90, true, false}), "Linear").kernel->kernel.repo_id == "org/a");
  auto r = resolve_ok(c, {"cuda", 90, true, true});
  const auto& tc = layer(r, "Linear");
  CHECK_FALSE(tc.kernel);
  CHECK(tc.reason == "No repository for `Linear` for configuration mode=Mode.TRAINING|TORCH_COMPILE");
}

TEST_CASE("resolve #35: training never falls back to inference", "[config][resolve]") {
  auto c = load(kLinear + entry("Linear", "cuda", "inference", "org/a:A") +
                entry("Linear", "cuda", "inference+torch_compile", "org/a:A"));
  auto r = resolve_ok(c, {"cuda", 90, true, false});
  const auto& t = layer(r, "Linear");
  CHECK_FALSE(t.kernel);
  CHECK(t.reason == "No repository for `Linear` for configuration mode=Mode.TRAINING");
}

TEST_CASE("resolve #36: inference with torch.compile picks the fallback over plain inference", "[config][resolve]") {
  auto c = load(kLinear + entry("Linear", "cuda", "fallback", "org/f:F") +
                entry("Linear", "cuda", "inference", "org/i:I") + entry("Linear", "cuda", "training", "org/t:T"));
  CHECK(layer(resolve_ok(c, {"cuda", 90, false, true}), "Linear").kernel->kernel.repo_id == "org/f");
  CHECK(layer(resolve_ok(c, {"cuda", 90, false, false}), "Linear").kernel->kernel.repo_id == "org/i");
  CHECK(layer(resolve_ok(c, {"cuda", 90, true, false}), "Linear").kernel->kernel.repo_id == "org/t");
}

TEST_CASE("resolve #37: the smallest capability range containing the device wins", "[config][resolve]") {
  auto c = load(kLinear + entry("Linear", "cuda", "inference", "org/a:A", "[80, 89]") +
                entry("Linear", "cuda", "inference", "org/b:B", "[75, 89]"));
  auto r86 = resolve_ok(c, {"cuda", 86, false, false});
  CHECK(layer(r86, "Linear").kernel->kernel.repo_id == "org/a");
  CHECK(layer(r86, "Linear").kernel->capability == std::optional<Capability>(Capability{80, 89}));
  CHECK(layer(resolve_ok(c, {"cuda", 75, false, false}), "Linear").kernel->kernel.repo_id == "org/b");
  auto r = resolve_ok(c, {"cuda", 90, false, false});
  const auto& r90 = layer(r, "Linear");
  CHECK_FALSE(r90.kernel);
  CHECK(r90.reason ==
        "No layer mapping for `Linear` device `Device(type='cuda', properties=None)` with the right properties");
  // Without a capability only unranged registrations match.
  CHECK_FALSE(layer(resolve_ok(c, {"cuda", std::nullopt, false, false}), "Linear").kernel);
  // On another device: no entry for the device type.
  CHECK(layer(resolve_ok(c, {"rocm", 90, false, false}), "Linear").reason ==
        "No layer mapping for `Linear` with device type `Device(type='rocm', properties=None)`");
}

TEST_CASE("resolve: ranges of equal width go to the later registration", "[config][resolve]") {
  auto c = load(kLinear + entry("Linear", "cuda", "inference", "org/a:A", "[80, 89]") +
                entry("Linear", "cuda", "inference", "org/b:B", "[85, 94]"));
  CHECK(layer(resolve_ok(c, {"cuda", 86, false, false}), "Linear").kernel->kernel.repo_id == "org/b");
  CHECK(layer(resolve_ok(c, {"cuda", 80, false, false}), "Linear").kernel->kernel.repo_id == "org/a");
}

TEST_CASE("resolve #40: [kernel_mapping] replaces the Mode table of an unranged [[layer]] registration",
          "[config][resolve]") {
  auto c = load(kLinear + entry("Linear", "cuda", "training", "org/a:A") + "[kernel_mapping]\nLinear = \"org/b:B\"\n");
  auto inference = resolve_ok(c, {"cuda", 90, false, false});
  CHECK(layer(inference, "Linear").kernel->kernel.repo_id == "org/b");
  CHECK(layer(inference, "Linear").kernel->origin == Origin::KernelMapping);
  // In training, [kernel_mapping] registers as TRAINING and replaces A's table.
  auto training = resolve_ok(c, {"cuda", 90, true, false});
  CHECK(layer(training, "Linear").kernel->kernel.repo_id == "org/b");
  CHECK(layer(training, "Linear").kernel->mode == Mode::Training);
  // Without [kernel_mapping] the TRAINING entry serves inference too (#34).
  auto only_layer = load(kLinear + entry("Linear", "cuda", "training", "org/a:A"));
  CHECK(layer(resolve_ok(only_layer, {"cuda", 90, false, false}), "Linear").kernel->kernel.repo_id == "org/a");
}

TEST_CASE("resolve: a ranged [[layer]] registration beats [kernel_mapping] inside its range", "[config][resolve]") {
  auto c = load(kLinear + entry("Linear", "cuda", "inference", "org/hopper:A", "[90, 100]") +
                "[kernel_mapping]\nLinear = \"org/generic:B\"\n");
  auto r90 = resolve_ok(c, {"cuda", 90, false, false});
  CHECK(layer(r90, "Linear").kernel->kernel.repo_id == "org/hopper");
  CHECK(layer(r90, "Linear").kernel->origin == Origin::Layer);
  CHECK(layer(r90, "Linear").kernel->pos.line == 3);
  CHECK(layer(resolve_ok(c, {"cuda", 80, false, false}), "Linear").kernel->kernel.repo_id == "org/generic");
}

TEST_CASE("resolve: fusion wins over an earlier mapping of the same name", "[config][resolve]") {
  auto c = load(
      "[kernel_mapping]\nRMSNormMLP = \"org/plain:RMSNormMLP\"\n"
      "[[fusion]]\nrepo = \"acme/fused:RMSNormMLP\"\nmembers = [{ layer = \"RMSNorm\", path = \"m.l.*.norm\" },"
      " { layer = \"MLP\", path = \"m.l.*.mlp\" }]\n");
  auto r = resolve_ok(c, {"cuda", 90, false, false});
  const auto& l = layer(r, "RMSNormMLP");
  REQUIRE(l.kernel);
  CHECK(l.kernel->origin == Origin::Fusion);
  CHECK(l.kernel->kernel.repo_id == "acme/fused");
  CHECK(l.kernel->kernel.version == 1);
  CHECK(l.kernel->pos.line == 3);
  REQUIRE(l.kernel->members.size() == 2);
  CHECK(l.kernel->members[1].layer == "MLP");
  // The members learn which fused kernel takes them over, and where.
  using Fused = std::vector<std::pair<std::string, std::string>>;
  CHECK(layer(r, "MLP").fused_into == Fused{{"RMSNormMLP", "m.l.*.mlp"}});
  CHECK(layer(r, "RMSNorm").fused_into == Fused{{"RMSNormMLP", "m.l.*.norm"}});
  // On cpu the fusion cannot apply, so nothing is fused.
  auto cpu = resolve_ok(c, {"cpu", std::nullopt, false, false});
  CHECK(layer(cpu, "RMSNormMLP").error);
  CHECK(layer(cpu, "MLP").fused_into.empty());
}

TEST_CASE("resolve: [[layer]] devices outside KernelConfig's list (mps, cpu) resolve", "[config][resolve]") {
  auto c = load(kLinear + "[[layer]]\nname = \"Linear\"\ndevice = \"mps\"\nrepo = \"org/metal:L\"\nversion = 1\n");
  auto r = resolve_ok(c, {"mps", std::nullopt, false, false});
  CHECK(layer(r, "Linear").kernel->kernel.repo_id == "org/metal");
  CHECK(layer(r, "Linear").kernel->mode == Mode::Fallback);
}

TEST_CASE("resolve explains: what the winner replaced, and what it out-ranked by mode or by a narrower range",
          "[config][resolve]") {
  const std::string model = "[model]\nlayers = [\"RMSNorm\", \"MLP\", \"Gelu\"]\n";
  auto c = load(model + entry("RMSNorm", "cuda", "fallback", "org/old:N") +
                entry("RMSNorm", "cuda", "training", "org/train:N") + entry("Gelu", "cuda", "fallback", "org/any:G") +
                entry("Gelu", "cuda", "fallback", "org/hopper:G", "[90, 100]") +
                entry("Gelu", "cuda", "training", "org/hopper-train:G", "[90, 100]") +
                "[kernel_mapping]\nRMSNorm = \"org/new:N\"\n[kernel_mapping.MLP]\ncuda = \"org/mlp:M\"\n");
  auto r = resolve_ok(c, {"cuda", 90, false, false});

  // [kernel_mapping] replaces the whole Mode table of (RMSNorm, cuda, any range): both [[layer]]s.
  const auto& norm = layer(r, "RMSNorm");
  REQUIRE(norm.kernel);
  CHECK(norm.kernel->kernel.repo_id == "org/new");
  REQUIRE(norm.beaten.size() == 2);
  for (const auto& b : norm.beaten) CHECK(b.why == Beaten::Replaced);
  CHECK(norm.beaten[0].registration.kernel.repo_id == "org/old");
  CHECK(norm.beaten[1].registration.kernel.repo_id == "org/train");
  CHECK(norm.beaten[0].registration.pos.line < norm.beaten[1].registration.pos.line);

  // [90, 100] holds 90 and is narrower than no range; inside it training comes before fallback for
  // inference.
  const auto& gelu = layer(r, "Gelu");
  REQUIRE(gelu.kernel);
  CHECK(gelu.kernel->kernel.repo_id == "org/hopper-train");
  std::vector<std::pair<std::string, Beaten>> got;
  for (const auto& b : gelu.beaten) got.emplace_back(b.registration.kernel.repo_id, b.why);
  CHECK(got ==
        std::vector<std::pair<std::string, Beaten>>{{"org/hopper", Beaten::ModeOrder}, {"org/any", Beaten::Narrower}});
  CHECK(std::string(beaten_name(Beaten::ModeOrder)) == "mode-order");

  // A per-device value is positioned at its `cuda = ...` line, not the table header.
  const auto& mlp = layer(r, "MLP");
  REQUIRE(mlp.kernel);
  CHECK(mlp.beaten.empty());
  CHECK(mlp.kernel->pos.line > norm.kernel->pos.line + 1);
  CHECK(mlp.kernel->pos.column == 8);

  // Off the range, [90, 100] does not hold the capability: nothing was beaten by range.
  auto ampere = resolve_ok(c, {"cuda", 80, false, false});
  CHECK(layer(ampere, "Gelu").kernel->kernel.repo_id == "org/any");
  CHECK(layer(ampere, "Gelu").beaten.empty());
}

TEST_CASE("resolve explains: of two ranges as narrow that hold the capability, the later one wins",
          "[config][resolve]") {
  auto c = load("[model]\nlayers = [\"Gelu\"]\n" + entry("Gelu", "cuda", "fallback", "org/first:G", "[80, 89]") +
                entry("Gelu", "cuda", "fallback", "org/second:G", "[85, 94]"));
  auto r = resolve_ok(c, {"cuda", 86, false, false});
  const auto& gelu = layer(r, "Gelu");
  REQUIRE(gelu.kernel);
  CHECK(gelu.kernel->kernel.repo_id == "org/second");
  REQUIRE(gelu.beaten.size() == 1);
  CHECK(gelu.beaten[0].registration.kernel.repo_id == "org/first");
  CHECK(gelu.beaten[0].why == Beaten::Later);
  CHECK(std::string(beaten_name(Beaten::Later)) == "later");
}
