// kernels resolve FILE --device D ...: which kernel every layer of a
// KernelConfig gets on one device, capability and mode (lib/config/resolve).
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/term.hpp"
#include "config/config.hpp"
#include "config/resolve.hpp"
#include "util/file.hpp"

namespace kernels::cli {
namespace {

constexpr const char* kFooter = R"(For every layer the file names ([model].layers, [[layer]], [kernel_mapping],
[[fusion]]), shows the kernel it gets on the given device: repo id, layer name in the
repo, version or revision, and the registration (file:line) that won. A layer without
a kernel keeps its original forward; the reason is the kernels library's message.
Registration order: [[layer]] entries, then [kernel_mapping], then [[fusion]]; for
cuda/rocm the smallest capability range containing --capability wins (ties: the later
registration); then the first mode in the kernels library's priority list.
Without --capability, only registrations without a capability range match on cuda/rocm.

Examples:
  kernels resolve kernels.toml --device cuda --capability 9.0   # or 90
  kernels resolve kernels.toml --device cuda --capability 80 --mode training --compile
  kernels resolve kernels.toml --device rocm --no-fallback --format json

Exit status: 0 resolved, 1 the file has errors or (with --no-fallback) a layer has no
kernel, or the mapping cannot apply on the device, 2 usage or I/O error.)";

enum class Format { Human, Json };

struct Options {
  std::string file;
  std::string device;
  std::optional<std::int64_t> capability;
  std::string mode = "inference";
  bool compile = false;
  bool no_fallback = false;
  Format format = Format::Human;
};

std::string pin(const config::KernelRef& k) {
  if (k.local) return "local";
  if (k.revision) return "revision " + *k.revision;
  return "version " + std::to_string(k.kernel_version());
}

std::string section_label(config::Origin o) {
  switch (o) {
    case config::Origin::Layer: return "[[layer]]";
    case config::Origin::KernelMapping: return "[kernel_mapping]";
    case config::Origin::Fusion: return "[[fusion]]";
  }
  return "";
}

nlohmann::json kernel_json(const config::Registration& r, const std::string& file) {
  const auto& k = r.kernel;
  nlohmann::json j;
  j["repo_id"] = k.repo_id;
  j["layer_name"] = k.layer_name;
  j["version"] = (!k.local && !k.revision) ? nlohmann::json(k.kernel_version()) : nlohmann::json(nullptr);
  j["revision"] = k.revision ? nlohmann::json(*k.revision) : nlohmann::json(nullptr);
  j["trust_remote_code"] = k.trust_remote_code;
  j["local"] = k.local;
  j["registered_mode"] = config::mode_name(r.mode);
  j["capability"] =
      r.capability ? nlohmann::json::array({r.capability->min, r.capability->max}) : nlohmann::json(nullptr);
  j["source"] = {
      {"section", config::origin_name(r.origin)}, {"file", file}, {"line", r.pos.line}, {"column", r.pos.column}};
  if (r.origin == config::Origin::Fusion) {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& m : r.members) members.push_back({{"layer", m.layer}, {"path", m.path}});
    j["members"] = std::move(members);
  }
  return j;
}

// One line on what the winner `w` beat: where the loser is and why it lost.
std::string beaten_line(const config::BeatenRegistration& b, const config::Registration& w, config::Mode requested,
                        const std::string& file) {
  const auto& r = b.registration;
  auto range = [](const std::optional<config::Capability>& c) {
    return c ? "[" + std::to_string(c->min) + ", " + std::to_string(c->max) + "]"
             : std::string("range (any capability)");
  };
  std::string where = section_label(r.origin) + " at " + file + ":" + std::to_string(r.pos.line) + ":" +
                      std::to_string(r.pos.column) + " (" + r.kernel.repo_id + ":" + r.kernel.layer_name + ", " +
                      pin(r.kernel) + ")";
  switch (b.why) {
    case config::Beaten::Replaced:
      return "overrides " + where + ": a later registration for the same device and capability range replaces it";
    case config::Beaten::Narrower:
      return "beats " + where + ": the range " + range(w.capability) + " is narrower than its " + range(r.capability);
    case config::Beaten::Later:
      return "beats " + where + ": the range " + range(w.capability) + " is as narrow as its " + range(r.capability) +
             " and registered later";
    case config::Beaten::ModeOrder:
      return "beats " + where + ": registered as " + config::mode_name(r.mode) + ", which comes after " +
             config::mode_name(w.mode) + " for " + config::mode_name(requested);
  }
  return where;
}

int run(const Options& o) {
  const Terminal& term = terminal();
  auto text = read_file(o.file, config::kMaxConfigBytes);
  if (!text.ok()) {
    return report_error("resolve", text.error());
  }
  auto checked = config::check_config(o.file, *text);
  if (config::has_errors(checked.diagnostics)) {
    FileDiagnostics fd{o.file, *text, {}};
    for (const auto& d : checked.diagnostics)
      if (d.severity == config::Severity::Error) fd.diagnostics.push_back(d);
    print_human(std::cerr, fd, term.color_stderr, true);
    report_error("resolve", o.file + " has errors; `kernels check " + o.file + "` lists every problem");
    return kExitProblems;
  }
  if ((o.device == "cuda" || o.device == "rocm") && !o.capability && term.verbosity >= 0)
    report_warning("resolve", "no --capability for " + o.device +
                                  ": only registrations without a capability range can match, and on a real GPU the "
                                  "answer may differ (e.g. --capability 9.0)");
  config::ResolveRequest request{o.device, o.capability, o.mode == "training", o.compile};
  auto resolved = config::resolve(checked.config, request);
  if (!resolved.ok()) {
    return report_error("resolve", resolved.error());
  }
  int status = kExitOk;
  for (const auto& l : resolved->layers)
    if (l.error || (o.no_fallback && !l.kernel)) status = kExitProblems;

  if (o.format == Format::Json) {
    auto doc = json_document<nlohmann::json>();
    doc["file"] = o.file;
    doc["device"] = o.device;
    doc["capability"] = o.capability ? nlohmann::json(*o.capability) : nlohmann::json(nullptr);
    doc["mode"] = config::mode_name(resolved->mode);
    doc["python_mode"] = config::python_mode(resolved->mode);
    doc["use_fallback"] = !o.no_fallback;
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : resolved->layers) {
      nlohmann::json j;
      j["layer"] = l.layer;
      j["kernel"] = l.kernel ? kernel_json(*l.kernel, o.file) : nlohmann::json(nullptr);
      j["reason"] = l.kernel ? nlohmann::json(nullptr) : nlohmann::json(l.reason);
      j["error"] = l.error || (o.no_fallback && !l.kernel);
      nlohmann::json fused = nlohmann::json::array();
      for (const auto& [kernel, path] : l.fused_into) fused.push_back({{"kernel", kernel}, {"path", path}});
      j["fused_into"] = std::move(fused);
      nlohmann::json beaten = nlohmann::json::array();
      for (const auto& b : l.beaten)
        beaten.push_back({{"why", config::beaten_name(b.why)}, {"kernel", kernel_json(b.registration, o.file)}});
      j["beaten"] = std::move(beaten);
      layers.push_back(std::move(j));
    }
    doc["layers"] = std::move(layers);
    print_json(doc);
  } else {
    bool c = term.color_stdout;
    std::cout << "device " << o.device;
    if (o.capability) std::cout << ", capability " << *o.capability;
    std::cout << ", mode " << config::mode_name(resolved->mode) << " (" << config::python_mode(resolved->mode) << ")\n";
    for (const auto& l : resolved->layers) {
      if (l.kernel) {
        const auto& r = *l.kernel;
        std::cout << paint(c, Style::Bold, l.layer) << " -> "
                  << paint(c, Style::Green, r.kernel.repo_id + ":" + r.kernel.layer_name) << " (" << pin(r.kernel)
                  << (r.kernel.trust_remote_code ? ", trust_remote_code" : "") << ")\n";
        std::cout << "    " << section_label(r.origin) << " at " << o.file << ":" << r.pos.line << ":" << r.pos.column
                  << ", registered as " << config::mode_name(r.mode);
        if (r.capability) std::cout << " for capability [" << r.capability->min << ", " << r.capability->max << "]";
        std::cout << '\n';
        for (const auto& b : l.beaten) std::cout << "    " << beaten_line(b, r, resolved->mode, o.file) << '\n';
        if (r.origin == config::Origin::Fusion) {
          std::cout << "    fuses";
          for (std::size_t i = 0; i < r.members.size(); ++i)
            std::cout << (i ? " +" : "") << ' ' << r.members[i].layer << " (" << r.members[i].path << ")";
          std::cout << '\n';
        }
      } else {
        bool err = l.error || o.no_fallback;
        std::cout << paint(c, Style::Bold, l.layer) << " -> "
                  << paint(c, err ? Style::BoldRed : Style::Yellow, err ? "error" : "original forward") << '\n';
        std::cout << "    " << l.reason << '\n';
        if (err) report_error("resolve", l.reason);
      }
      for (const auto& [kernel, path] : l.fused_into)
        std::cout << "    at " << path << ": fused into " << kernel << '\n';
    }
  }
  return status;
}

// --capability "9.0" or "8.6" -> "90", "86"; "90" as it is. Anything else: a
// message naming the accepted forms (CLI11 prints it; exit 2).
std::string normalize_capability(std::string& text) {
  const std::string bad = "'" + text +
                          "' is not a compute capability; give MAJOR.MINOR (9.0, 8.6, 12.0) or "
                          "MAJOR*10+MINOR (90, 86, 120)";
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 4 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  const auto dot = text.find('.');
  if (dot == std::string::npos) return digits(text) ? std::string() : bad;
  const std::string major = text.substr(0, dot), minor = text.substr(dot + 1);
  if (!digits(major) || minor.size() != 1 || !digits(minor)) return bad;
  text = std::to_string(std::stoi(major) * 10 + (minor[0] - '0'));
  return {};
}

}  // namespace

void register_resolve(CLI::App& app, int* exit_code) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("resolve", "Show which kernel every layer gets on a device, capability and mode");
  cmd->footer(kFooter);
  cmd->add_option("FILE", opts->file, "KernelConfig TOML file")->required();
  cmd->add_option("--device", opts->device, "Device type: cpu, cuda, rocm, mps, xpu, npu, neuron, tpu")->required();
  cmd->add_option("--capability", opts->capability,
                  "cuda/rocm compute capability: 9.0 (as torch.cuda.get_device_capability says it) or 90 "
                  "(major*10+minor, as the KernelConfig writes ranges)")
      ->transform(CLI::Validator(normalize_capability, "CAPABILITY"))
      ->option_text("9.0|90");
  cmd->add_option("--mode", opts->mode, "inference (default) or training")
      ->check(CLI::IsMember({"inference", "training"}));
  cmd->add_flag("--compile", opts->compile, "Resolve for torch.compile (Mode.TORCH_COMPILE)");
  cmd->add_flag("--no-fallback", opts->no_fallback,
                "A layer without a kernel is an error (kernelize(use_fallback=False))");
  std::map<std::string, Format> formats{{"human", Format::Human}, {"json", Format::Json}};
  cmd->add_option("--format", opts->format, "Output format: human (default) or json")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->option_text("human|json");
  cmd->callback([opts, exit_code] { *exit_code = run(*opts); });
}

}  // namespace kernels::cli
