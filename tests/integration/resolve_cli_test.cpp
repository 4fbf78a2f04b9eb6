// `kernels resolve` end to end on files in tests/data/resolve/ and examples/.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "tests/support/process.hpp"

using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::source_path;

namespace {

const std::string kModel = "tests/data/resolve/model.toml";

nlohmann::json resolve_json(std::vector<std::string> extra) {
  std::vector<std::string> args{"resolve", kModel, "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_kernels(args, kernels::test::in_source_dir());
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["version"] == 1);  // the --format json shape version (kernels(1), JSON OUTPUT)
  return doc;
}

}  // namespace

TEST_CASE("resolve: human output for the Llama example on a Hopper GPU", "[cli][resolve]") {
  auto r =
      run_kernels({"resolve", "examples/llama.toml", "--device", "cuda", "--capability", "90", "--mode", "inference"},
                  kernels::test::in_source_dir());
  CHECK(r.exit_code == 0);
  CHECK(
      r.out ==
      "device cuda, capability 90, mode inference (Mode.INFERENCE)\n"
      "RMSNorm -> kernels-community/layer-norm-hopper:LlamaRMSNorm (version 1)\n"
      "    [[layer]] at examples/llama.toml:39:1, registered as inference for capability [90, 100]\n"
      "    beats [kernel_mapping] at examples/llama.toml:22:1 (kernels-community/layer-norm:LlamaRMSNorm, version 1): "
      "the range [90, 100] is narrower than its range (any capability)\n"
      "    at model.layers.*.post_attention_layernorm: fused into RMSNormMLP\n"
      "MLP -> original forward\n"
      "    No layer mapping for `MLP`\n"
      "    at model.layers.*.mlp: fused into RMSNormMLP\n"
      "SiLU -> kernels-community/activation:Silu (version 1)\n"
      "    [kernel_mapping] at examples/llama.toml:23:1, registered as inference\n"
      "rotary_pos_emb -> kernels-community/rotary:apply_rotary_transformers (version 1)\n"
      "    [kernel_mapping] at examples/llama.toml:26:8, registered as inference\n"
      "RMSNormMLP -> kernels-community/fused-norm-mlp:RMSNormMLP (version 1)\n"
      "    [[fusion]] at examples/llama.toml:30:1, registered as inference\n"
      "    fuses RMSNorm (model.layers.*.post_attention_layernorm) + MLP (model.layers.*.mlp)\n");
  CHECK(r.err.empty());
}

TEST_CASE("resolve --format json: repo, pin and the winning registration per layer", "[cli][resolve]") {
  auto doc = resolve_json({"--device", "cuda", "--capability", "90"});
  CHECK(doc["device"] == "cuda");
  CHECK(doc["capability"] == 90);
  CHECK(doc["mode"] == "inference");
  CHECK(doc["python_mode"] == "Mode.INFERENCE");
  auto layers = doc["layers"];
  REQUIRE(layers.size() == 3);
  CHECK(layers[0]["layer"] == "RMSNorm");
  CHECK(layers[0]["kernel"]["repo_id"] == "kernels-community/layer-norm");
  CHECK(layers[0]["kernel"]["layer_name"] == "LlamaRMSNorm");
  CHECK(layers[0]["kernel"]["version"] == 1);
  CHECK(layers[0]["kernel"]["revision"].is_null());
  CHECK(layers[0]["kernel"]["source"] ==
        nlohmann::json({{"section", "kernel_mapping"}, {"file", kModel}, {"line", 5}, {"column", 1}}));
  CHECK(layers[1]["layer"] == "MLP");
  CHECK(layers[1]["kernel"].is_null());
  CHECK(layers[1]["reason"] == "No layer mapping for `MLP`");
  CHECK(layers[1]["error"] == false);
  CHECK(layers[2]["kernel"]["repo_id"] == "kernels-community/activation-hopper");
  CHECK(layers[2]["kernel"]["version"] == 2);
  CHECK(layers[2]["kernel"]["registered_mode"] == "fallback");
  CHECK(layers[2]["kernel"]["capability"] == nlohmann::json::array({90, 100}));
  CHECK(layers[2]["kernel"]["source"]["line"] == 15);
  CHECK(layers[0]["fused_into"] == nlohmann::json::array());
}

TEST_CASE("resolve: capability and mode pick the registration", "[cli][resolve]") {
  auto ampere = resolve_json({"--device", "cuda", "--capability", "86"});
  auto silu = ampere["layers"][2];
  CHECK(silu["kernel"]["repo_id"] == "kernels-community/activation");
  CHECK(silu["kernel"]["revision"] == "0123456789abcdef0123456789abcdef01234567");
  CHECK(silu["kernel"]["version"].is_null());
  CHECK(silu["kernel"]["registered_mode"] == "training");  // inference falls back to TRAINING

  auto compiled = resolve_json({"--device", "cuda", "--capability", "86", "--mode", "training", "--compile"});
  CHECK(compiled["python_mode"] == "Mode.TRAINING|TORCH_COMPILE");
  CHECK(compiled["layers"][2]["kernel"].is_null());
  CHECK(compiled["layers"][2]["reason"] ==
        "No repository for `SiluAndMul` for configuration mode=Mode.TRAINING|TORCH_COMPILE");
  CHECK(compiled["layers"][0]["kernel"]["registered_mode"] == "training+torch_compile");

  auto volta = resolve_json({"--device", "cuda", "--capability", "70"});
  CHECK(volta["layers"][2]["reason"] ==
        "No layer mapping for `SiluAndMul` device `Device(type='cuda', properties=None)` with the right properties");
}

TEST_CASE("resolve --no-fallback: a layer without a kernel is an error with the kernels message", "[cli][resolve]") {
  auto r = run_kernels({"resolve", kModel, "--device", "cuda", "--capability", "90", "--no-fallback"},
                       kernels::test::in_source_dir());
  CHECK(r.exit_code == 1);
  CHECK(r.err == "error: kernels resolve: No layer mapping for `MLP`\n");
  CHECK(r.out.find("MLP -> error\n    No layer mapping for `MLP`\n") != std::string::npos);
  auto ok = run_kernels({"resolve", "tests/data/resolve/cpu-mapping.toml", "--device", "cuda", "--no-fallback"},
                        kernels::test::in_source_dir());
  CHECK(ok.exit_code == 0);
}

TEST_CASE("resolve: KernelConfig entries on cpu fail with transformers' device message", "[cli][resolve]") {
  auto r = run_kernels({"resolve", "tests/data/resolve/cpu-mapping.toml", "--device", "cpu", "--format", "json"},
                       kernels::test::in_source_dir());
  CHECK(r.exit_code == 1);
  auto layer = nlohmann::json::parse(r.out)["layers"][0];
  CHECK(layer["error"] == true);
  CHECK(layer["reason"] == "Only cuda, rocm, xpu, npu, neuron and tpu devices supported, got: cpu");
}

TEST_CASE("resolve: a file with errors is not resolved", "[cli][resolve]") {
  auto r = run_kernels({"resolve", "tests/data/resolve/bad.toml", "--device", "cuda"}, kernels::test::in_source_dir());
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(
      r.err.find("tests/data/resolve/bad.toml:2:11: error[invalid-repo]: Kernel mapping for 'RMSNorm' must be a valid "
                 "repo name with a layer name") == 0);
  CHECK(
      r.err.find("kernels resolve: tests/data/resolve/bad.toml has errors; `kernels check tests/data/resolve/bad.toml` "
                 "lists every problem\n") != std::string::npos);
}

TEST_CASE("a KernelConfig with errors exits 1 in check, resolve and lock --config alike", "[cli][resolve][lock]") {
  const std::string bad = "tests/data/resolve/bad.toml";
  auto check = run_kernels({"check", bad}, kernels::test::in_source_dir());
  auto resolve = run_kernels({"resolve", bad, "--device", "cuda"}, kernels::test::in_source_dir());
  auto lock = run_kernels({"lock", "--config", bad, "--offline", "--output", "/nonexistent-dir/never.lock"},
                          kernels::test::in_source_dir());
  CHECK(check.exit_code == 1);
  CHECK(resolve.exit_code == 1);
  CHECK(lock.exit_code == 1);
  CHECK(lock.err.find(bad + ":2:11: error[invalid-repo]") == 0);
}

TEST_CASE("resolve --capability takes 9.0 as well as 90, and cuda without it warns", "[cli][resolve]") {
  auto dotted = resolve_json({"--device", "cuda", "--capability", "9.0"});
  CHECK(dotted["capability"] == 90);
  CHECK(dotted == resolve_json({"--device", "cuda", "--capability", "90"}));
  CHECK(resolve_json({"--device", "cuda", "--capability", "8.6"})["capability"] == 86);
  for (const char* bad : {"9.x", "9.10", "nine", "-1", "9."}) {
    auto r = run_kernels({"resolve", kModel, "--device", "cuda", "--capability", bad}, kernels::test::in_source_dir());
    INFO(bad << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
  }
  auto bad =
      run_kernels({"resolve", kModel, "--device", "cuda", "--capability", "9.x"}, kernels::test::in_source_dir());
  CHECK(bad.err.find("give MAJOR.MINOR (9.0, 8.6, 12.0) or MAJOR*10+MINOR (90, 86, 120)") != std::string::npos);

  auto none = run_kernels({"resolve", kModel, "--device", "cuda"}, kernels::test::in_source_dir());
  CHECK(none.exit_code == 0);
  CHECK(none.err.find("warning: kernels resolve: no --capability for cuda") != std::string::npos);
  auto quiet = run_kernels({"-q", "resolve", kModel, "--device", "cuda"}, kernels::test::in_source_dir());
  CHECK(quiet.err.find("warning") == std::string::npos);
  auto cpu = run_kernels({"resolve", kModel, "--device", "xpu"}, kernels::test::in_source_dir());
  CHECK(cpu.err.find("--capability") == std::string::npos);
}

TEST_CASE("resolve: usage errors exit 2", "[cli][resolve]") {
  auto metal = run_kernels({"resolve", kModel, "--device", "metal"}, kernels::test::in_source_dir());
  CHECK(metal.exit_code == 2);
  CHECK(metal.err ==
        "error: kernels resolve: Unsupported device type 'metal'. Supported device types are: cpu, cuda, mps, neuron, "
        "npu, "
        "rocm, tpu, xpu\n");
  auto cap = run_kernels({"resolve", kModel, "--device", "cpu", "--capability", "90"}, kernels::test::in_source_dir());
  CHECK(cap.exit_code == 2);
  CHECK(cap.err == "error: kernels resolve: --capability applies only to cuda and rocm devices, not to 'cpu'\n");
  CHECK(run_kernels({"resolve", kModel}, kernels::test::in_source_dir()).exit_code == 2);  // --device is required
  CHECK(run_kernels({"resolve", kModel, "--device", "cuda", "--mode", "eval"}, kernels::test::in_source_dir())
            .exit_code == 2);
  auto missing = run_kernels({"resolve", "no/such.toml", "--device", "cuda"}, kernels::test::in_source_dir());
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "error: kernels resolve: cannot open no/such.toml: No such file or directory\n");
  auto help = run_kernels({"help", "resolve"});
  CHECK(help.out.find("Examples:") != std::string::npos);
}

TEST_CASE("resolve explains what the winner overrode and out-ranked, with the per-device value's position",
          "[cli][resolve]") {
  const std::string file = "tests/data/resolve/overrides.toml";
  auto r = run_kernels({"resolve", file, "--device", "cuda", "--capability", "9.0"}, kernels::test::in_source_dir());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto has = [&](const std::string& line) {
    INFO(r.out);
    CHECK(r.out.find(line + "\n") != std::string::npos);
  };
  has("    overrides [[layer]] at " + file +
      ":9:1 (kernels-community/rms-old:RMSNorm, version 1): a later "
      "registration for the same device and capability range replaces it");
  has("    overrides [[layer]] at " + file +
      ":15:1 (kernels-community/rms-train:RMSNorm, version 1): a later "
      "registration for the same device and capability range replaces it");
  has("    beats [[layer]] at " + file +
      ":28:1 (kernels-community/gelu-hopper:Gelu, version 1): registered as "
      "fallback, which comes after training for inference");
  has("    beats [[layer]] at " + file +
      ":22:1 (kernels-community/gelu:Gelu, version 1): the range [90, 100] is "
      "narrower than its range (any capability)");
  // cuda = "..." on line 6, its string at column 8; not the [kernel_mapping.SiluAndMul] header.
  has("    [kernel_mapping] at " + file + ":6:8, registered as inference");

  auto j =
      nlohmann::json::parse(run_kernels({"resolve", file, "--device", "cuda", "--capability", "90", "--format", "json"},
                                        kernels::test::in_source_dir())
                                .out);
  std::map<std::string, nlohmann::json> by_layer;
  for (const auto& l : j["layers"]) by_layer[l["layer"]] = l;
  const auto& gelu = by_layer.at("Gelu")["beaten"];
  REQUIRE(gelu.size() == 2);
  CHECK(gelu[0]["why"] == "mode-order");
  CHECK(gelu[0]["kernel"]["repo_id"] == "kernels-community/gelu-hopper");
  CHECK(gelu[0]["kernel"]["source"]["line"] == 28);
  CHECK(gelu[1]["why"] == "narrower");
  CHECK(gelu[1]["kernel"]["capability"].is_null());
  REQUIRE(by_layer.at("RMSNorm")["beaten"].size() == 2);
  CHECK(by_layer.at("RMSNorm")["beaten"][1]["why"] == "replaced");
  CHECK(by_layer.at("RMSNorm")["beaten"][1]["kernel"]["registered_mode"] == "training");
  CHECK(by_layer.at("SiluAndMul")["beaten"].empty());
  CHECK(by_layer.at("SiluAndMul")["kernel"]["source"]["line"] == 6);

  // On an Ampere GPU the [90, 100] tables do not hold the capability: nothing to out-rank.
  auto ampere =
      run_kernels({"resolve", file, "--device", "cuda", "--capability", "80"}, kernels::test::in_source_dir());
  CHECK(ampere.out.find("beats") == std::string::npos);
}
