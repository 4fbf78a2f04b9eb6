// check_config(): every rule of the KernelConfig TOML format, kernels-check(1), "Rules kernels
// check enforces". Walks the parsed document once per section; every problem
// becomes a Diagnostic; diagnostics are sorted into source order at the end.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "config/config.hpp"
#include "config/dependencies.hpp"
#include "config/fusion_match.hpp"
#include "config/messages.hpp"
#include "config/python_repr.hpp"
#include "config/repo_string.hpp"
#include "util/edit_distance.hpp"

namespace kernels::config {

const std::vector<std::string>& kernel_mapping_devices() {
  static const std::vector<std::string> d{"cuda", "rocm", "xpu", "npu", "neuron", "tpu"};
  return d;
}

const std::vector<std::string>& kernels_devices() {
  static const std::vector<std::string> d{"cpu", "cuda", "rocm", "mps", "xpu", "npu", "neuron", "tpu"};
  return d;
}

std::string mode_name(Mode m) {
  switch (m) {
    case Mode::Fallback: return "fallback";
    case Mode::Inference: return "inference";
    case Mode::Training: return "training";
    case Mode::InferenceCompile: return "inference+torch_compile";
    case Mode::TrainingCompile: return "training+torch_compile";
  }
  return "fallback";
}

std::optional<Mode> parse_mode(std::string_view text) {
  for (Mode m : {Mode::Fallback, Mode::Inference, Mode::Training, Mode::InferenceCompile, Mode::TrainingCompile})
    if (mode_name(m) == text) return m;
  return std::nullopt;
}

std::string python_mode(Mode m) {
  switch (m) {
    case Mode::Fallback: return "Mode.FALLBACK";
    case Mode::Inference: return "Mode.INFERENCE";
    case Mode::Training: return "Mode.TRAINING";
    case Mode::InferenceCompile: return "Mode.INFERENCE|TORCH_COMPILE";
    case Mode::TrainingCompile: return "Mode.TRAINING|TORCH_COMPILE";
  }
  return "Mode.FALLBACK";
}

namespace {

using toml::Type;
using toml::Value;

const std::vector<std::string> kTopKeys{"model", "kernel_config", "kernel_mapping", "fusion", "layer"};
const std::vector<std::string> kModelKeys{"layers", "modules"};
const std::vector<std::string> kKernelConfigKeys{"use_local_kernel"};
const std::vector<std::string> kRepoTableKeys{"repo", "version", "revision", "trust_remote_code"};
const std::vector<std::string> kFusionKeys{"repo", "version", "revision", "trust_remote_code", "members"};
const std::vector<std::string> kMemberKeys{"layer", "path"};
const std::vector<std::string> kLayerKeys{"name", "device",  "capability", "mode",
                                          "repo", "version", "revision",   "trust_remote_code"};

// "a string", "an integer", ...
std::string a_type(Type t) {
  std::string name = toml::type_name(t);
  bool vowel = name[0] == 'a' || name[0] == 'e' || name[0] == 'i' || name[0] == 'o' || name[0] == 'u';
  return (vowel ? "an " : "a ") + name;
}

std::string pos_text(Pos p) { return "line " + std::to_string(p.line); }

// The hint of a file that configures nothing (several lines: the printers indent them).
const std::string kMinimalMapping =
    "a minimal KernelConfig maps one layer to a Hub kernel:\n"
    "[kernel_mapping]\n"
    "RMSNorm = \"kernels-community/layer-norm:LlamaRMSNorm\"\n"
    "([[layer]] and [[fusion]] entries configure kernels too; see kernels-check(1))";

enum class Section { Mapping, Fusion, Layer };

class Checker {
 public:
  explicit Checker(const std::string& file) { cfg_.file = file; }

  CheckResult run(std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      add(Code::EmptyFile, Pos{}, "the file is empty", kMinimalMapping);
      return finish();
    }
    auto parsed = toml::parse(text);
    if (auto* err = std::get_if<toml::SyntaxError>(&parsed)) {
      add(Code::Syntax, err->pos, "TOML syntax error: " + err->message);
      return finish();
    }
    const Value& root = std::get<Value>(parsed);
    bool unknown_top = false;
    for (const auto& e : root.table) unknown_top = unknown_top_level(e) || unknown_top;
    if (const auto* e = entry(root, "model")) model(*e);
    if (const auto* e = entry(root, "kernel_config")) kernel_config(*e);
    if (const auto* e = entry(root, "kernel_mapping")) kernel_mapping(*e);
    if (const auto* e = entry(root, "fusion")) fusions(*e);
    if (const auto* e = entry(root, "layer")) layers(*e);
    if (!cfg_.model_layers) registration_note(root);
    version_conflicts();
    // An unknown top-level table already says why nothing is configured (most
    // often a misspelt [kernel_mapping]); one error for the one fault.
    if (!unknown_top && !configures_something(root)) {
      const toml::Entry* km = entry(root, "kernel_mapping");
      add(Code::NoKernels, km ? km->key_pos : Pos{},
          km ? "[kernel_mapping] has no entries and the file has no [[fusion]] or [[layer]]: no kernels are configured"
             : "no kernels are configured: the file has no [kernel_mapping] entries, [[fusion]] or [[layer]]",
          kMinimalMapping);
    }
    return finish();
  }

 private:
  static const toml::Entry* entry(const Value& table, std::string_view key) {
    for (const auto& e : table.table)
      if (e.key == key) return &e;
    return nullptr;
  }

  void add(Code code, Pos pos, std::string message, std::string hint = "") {
    diags_.push_back(make_diagnostic(code, pos.line, pos.column, std::move(message), std::move(hint)));
  }

  CheckResult finish() {
    std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return CheckResult{std::move(cfg_), std::move(diags_)};
  }

  void unknown_key(const toml::Entry& e, const std::vector<std::string>& known, const std::string& where) {
    if (std::find(known.begin(), known.end(), e.key) != known.end()) return;
    std::string message = "unknown key '" + e.key + "'" + (where.empty() ? "" : " in " + where);
    std::string hint;
    if (auto near = nearest(e.key, known)) {
      message += "; did you mean '" + *near + "'?";
    } else {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      hint = "known keys here: " + list;
    }
    add(Code::UnknownKey, e.key_pos, message, hint);
  }

  // A top-level key the format does not define is an error, not a warning as
  // inside tables: a misspelt [kernel_mapping] would otherwise leave the whole
  // mapping ignored while the check passes. True when `e` is unknown.
  bool unknown_top_level(const toml::Entry& e) {
    if (std::find(kTopKeys.begin(), kTopKeys.end(), e.key) != kTopKeys.end()) return false;
    const Value& v = e.value;
    bool header =
        v.is_table() && (v.table_kind == toml::TableKind::Header || v.table_kind == toml::TableKind::ImplicitHeader);
    std::string written = e.key;
    // [kernel.mapping] makes a table `kernel` holding `mapping`: show what was written.
    if (v.is_table() && v.table_kind == toml::TableKind::ImplicitHeader && v.table.size() == 1)
      written += "." + v.table.front().key;
    std::string shown = v.is_array() && v.array_of_tables ? "[[" + written + "]]"
                        : header                          ? "[" + written + "]"
                                                          : "'" + e.key + "'";
    bool table = header || v.array_of_tables;
    std::string message = "unknown top-level " + std::string(table ? "table " : "key ") + shown +
                          (table ? ": nothing in it is read" : ": it is not read");
    std::string hint;
    if (auto near = top_level_suggestion(e)) {
      message += "; did you mean " + *near + "?";
    } else {
      hint = "the top-level tables are [model], [kernel_config], [kernel_mapping], [[fusion]] and [[layer]]";
    }
    add(Code::UnknownTopLevel, e.key_pos, message, hint);
    return true;
  }

  // The known top-level table (or a key of one) that `e` most likely meant.
  static std::optional<std::string> top_level_suggestion(const toml::Entry& e) {
    auto render = [](const std::string& key) {
      return key == "fusion" || key == "layer" ? "[[" + key + "]]" : "[" + key + "]";
    };
    const Value& v = e.value;
    // use_local_kernel = true, layers = [...] written above their table.
    if (!v.is_table() && !v.array_of_tables) {
      if (e.key == "use_local_kernel") return std::string("use_local_kernel under [kernel_config]");
      if (e.key == "layers" || e.key == "modules") return e.key + " under [model]";
    }
    if (auto near = nearest(e.key, kTopKeys)) return render(*near);
    // Case and separators: [KernelMapping], [kernel mapping].
    auto squash = [](std::string_view s) {
      std::string out;
      for (char c : s)
        if (c != '_' && c != '-' && c != '.' && c != ' ')
          out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      return out;
    };
    for (const auto& k : kTopKeys)
      if (squash(e.key) == squash(k)) return render(k);
    // [kernel.mapping]: a dot where an underscore belongs.
    if (v.is_table() && v.table.size() == 1)
      if (auto near = nearest(e.key + "_" + v.table.front().key, kTopKeys)) return render(*near);
    return std::nullopt;
  }

  bool configures_something(const Value& root) const {
    if (const auto* km = entry(root, "kernel_mapping"); km && !(km->value.is_table() && km->value.table.empty()))
      return true;  // entries, or a kernel_mapping of the wrong type (reported as such)
    for (const char* key : {"fusion", "layer"})
      if (const auto* e = entry(root, key); e && !(e->value.is_array() && e->value.array.empty())) return true;
    return false;
  }

  void wrong_type(const toml::Entry& e, const std::string& what, const std::string& expected) {
    add(Code::WrongType, e.value.pos, what + " must be " + expected + ", not " + a_type(e.value.type));
  }

  std::optional<std::vector<std::string>> string_list(const toml::Entry& e, const std::string& what) {
    if (!e.value.is_array()) {
      wrong_type(e, what, "an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (const auto& v : e.value.array) {
      if (v.is_string()) {
        out.push_back(v.text);
      } else {
        add(Code::WrongType, v.pos, what + " must be an array of strings; this element is " + a_type(v.type));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }

  // ------------------------------------------------------------------ [model], [kernel_config]
  void model(const toml::Entry& m) {
    if (!m.value.is_table()) return wrong_type(m, "[model]", "a table");
    for (const auto& e : m.value.table) {
      unknown_key(e, kModelKeys, "[model]");
      if (e.key == "layers") {
        cfg_.model_layers = string_list(e, "[model].layers");
        if (cfg_.model_layers) registered_.insert(cfg_.model_layers->begin(), cfg_.model_layers->end());
        else cfg_.model_layers.reset();
      } else if (e.key == "modules") {
        cfg_.model_modules = string_list(e, "[model].modules");
      }
    }
  }

  void kernel_config(const toml::Entry& k) {
    if (!k.value.is_table()) return wrong_type(k, "[kernel_config]", "a table");
    for (const auto& e : k.value.table) {
      unknown_key(e, kKernelConfigKeys, "[kernel_config]");
      if (e.key == "use_local_kernel") {
        if (e.value.type != Type::Boolean) wrong_type(e, "use_local_kernel", "true or false");
        else cfg_.use_local_kernel = e.value.boolean;
      }
    }
  }

  void registration_note(const Value& root) {
    Pos first{};
    for (const auto& e : root.table)
      if (e.key == "kernel_mapping" || e.key == "fusion" || e.key == "layer") {
        first = e.key_pos;
        break;
      }
    if (first.line == 0) return;
    add(Code::RegistrationUnchecked, first, "layer registration was not checked: the file has no [model] layers",
        "add [model] layers = [...] (the model's kernel_layer_name values) to check every layer name");
  }

  bool check_registered(const std::string& layer, Pos pos) {
    if (!cfg_.model_layers || registered_.count(layer)) return true;
    // Suggestions cost an edit distance per registered name; skip them for huge lists.
    std::optional<std::string> near;
    if (cfg_.model_layers->size() <= 1000) near = nearest(layer, *cfg_.model_layers);
    add(Code::UnregisteredLayer, pos, messages::m2_not_registered(layer),
        near ? "did you mean '" + *near + "'? ([model].layers lists the registered names)"
             : "[model].layers lists the names the model registers");
    return false;
  }

  // ------------------------------------------------------------------ repo strings and metadata
  // Rule 5 (and M7). `label` is the layer name M7 quotes.
  std::optional<KernelRef> repo_string(const std::string& label, const Value& v) {
    const std::string& s = v.text;
    if (s.find('/') == std::string::npos || s.find(':') == std::string::npos) {
      add(Code::InvalidRepo, v.pos, messages::m7_repo(label, s),
          cfg_.use_local_kernel ? "write \"/abs/path:LayerName\"" : "write \"org/repo:LayerName\"");
      return std::nullopt;
    }
    KernelRef k;
    k.repo = s;
    auto colon = s.find(':');
    k.repo_id = s.substr(0, colon);
    k.layer_name = s.substr(colon + 1);
    k.local = cfg_.use_local_kernel;
    k.pos = v.pos;
    bool ok = true;
    if (k.local) {
      if (k.repo_id.empty() || k.repo_id[0] != '/') {
        add(Code::LocalPath, v.pos,
            "with use_local_kernel = true the part before ':' must be an absolute path, got: " + k.repo_id,
            "write \"/abs/path/to/kernel:LayerName\"");
        ok = false;
      }
    } else if (auto problem = hub_repo_id_problem(k.repo_id); !problem.empty()) {
      add(Code::InvalidRepoId, v.pos, "'" + k.repo_id + "' is not a valid Hub repo id: " + problem,
          k.repo_id.size() && k.repo_id[0] == '/' ? "local kernels need [kernel_config] use_local_kernel = true" : "");
      ok = false;
    }
    if (!is_python_identifier(k.layer_name)) {
      add(Code::InvalidLayerName, v.pos,
          "'" + k.layer_name + "' (after the first ':' in '" + s +
              "') is not a Python identifier, so it cannot name a layer in the kernel",
          "the part after ':' is a class name such as LlamaRMSNorm");
      ok = false;
    }
    if (!ok) return std::nullopt;
    return k;
  }

  // A table with `repo`: [kernel_mapping] tuple form, [[fusion]] and [[layer]].
  // Fills version/revision/trust_remote_code into `k` (whose repo part is already read).
  bool metadata(const Value& t, KernelRef& k, Section section) {
    bool ok = true;
    const toml::Entry* version = nullptr;
    const toml::Entry* revision = nullptr;
    for (const auto& e : t.table) {
      if (e.key == "trust_remote_code") {
        if (e.value.type != Type::Boolean) {
          add(Code::TrustRemoteCodeType, e.value.pos, messages::m5_trust_remote_code(python_str(e.value)),
              "write trust_remote_code = true or false");
          ok = false;
        } else {
          k.trust_remote_code = e.value.boolean;
        }
      } else if (e.key == "version") {
        version = &e;
        if (e.value.type != Type::Integer || e.value.integer < 1) {
          add(Code::InvalidVersion, e.value.pos, "version must be an integer >= 1, got: " + python_str(e.value),
              "a kernel version is the N of its vN branch, e.g. version = 1");
          ok = false;
        } else {
          k.version = e.value.integer;
        }
      } else if (e.key == "revision") {
        revision = &e;
        if (!e.value.is_string() || e.value.text.empty()) {
          add(Code::InvalidRevision, e.value.pos,
              "revision must be a non-empty string (a branch, tag or commit sha), got: " + python_repr(e.value));
          ok = false;
        } else {
          k.revision = e.value.text;
        }
      }
    }
    if (k.local) {
      for (const auto* e : {version, revision})
        if (e) {
          add(Code::LocalMetadata, e->key_pos,
              "a local kernel (use_local_kernel = true) has no " + e->key + ": it is loaded from its path as is");
          ok = false;
        }
      k.version.reset();
      k.revision.reset();
      return ok;
    }
    if (version && revision) {
      const toml::Entry* later =
          version->key_pos.line > revision->key_pos.line || (version->key_pos.line == revision->key_pos.line &&
                                                             version->key_pos.column > revision->key_pos.column)
              ? version
              : revision;
      add(Code::VersionAndRevision, later->key_pos, messages::both_version_and_revision(),
          "keep version (follows the vN branch) or revision (pins a commit), not both");
      return false;
    }
    if (!version && !revision) {
      if (section == Section::Fusion) {
        k.version = 1;  // like a bare repo string
      } else if (section == Section::Mapping) {
        add(Code::MissingVersion, t.pos, messages::m6_no_version(),
            "add version = 1 (or revision = \"...\"), or write the repo as a plain string for version 1");
        return false;
      } else {
        add(Code::MissingVersion, t.pos, messages::neither_version_nor_revision(),
            "add version = 1 (or revision = \"...\")");
        return false;
      }
    }
    return ok;
  }

  // A [kernel_mapping] value in the string or the repo-table form.
  std::optional<KernelRef> mapping_kernel(const std::string& layer, const Value& v) {
    if (v.is_string()) {
      auto k = repo_string(layer, v);
      if (k && !k->local) k->version = 1;
      return k;
    }
    // A table with `repo` (the caller checked).
    for (const auto& e : v.table) unknown_key(e, kRepoTableKeys, "the kernel table of '" + layer + "'");
    const Value* repo = v.find("repo");
    std::optional<KernelRef> k;
    if (!repo->is_string()) {
      add(Code::InvalidRepo, repo->pos, messages::m7_repo(layer, python_str(*repo)));
    } else {
      k = repo_string(layer, *repo);
    }
    if (cfg_.use_local_kernel) {
      add(Code::LocalMetadata, v.pos,
          "with use_local_kernel = true a kernel is a plain \"/abs/path:Layer\" string, not a table",
          "local kernels have no version, revision or trust_remote_code");
      return std::nullopt;
    }
    KernelRef scratch;
    bool ok = metadata(v, k ? *k : scratch, Section::Mapping);
    if (!ok) return std::nullopt;
    return k;
  }

  // ------------------------------------------------------------------ [kernel_mapping]
  void kernel_mapping(const toml::Entry& km) {
    if (!km.value.is_table()) {
      add(Code::MappingNotTable, km.value.pos, messages::m1_not_a_dict(python_type(km.value)),
          "write [kernel_mapping] followed by LayerName = \"org/repo:Layer\" lines");
      return;
    }
    for (const auto& e : km.value.table) {
      MappingEntry m;
      m.layer = e.key;
      m.pos = e.key_pos;
      bool ok = check_registered(e.key, e.key_pos);
      const Value& v = e.value;
      if (v.is_string() || (v.is_table() && v.find("repo"))) {
        m.kernel = mapping_kernel(e.key, v);
        ok = ok && m.kernel.has_value();
      } else if (v.is_table()) {
        if (v.table.empty())
          add(Code::EmptyMapping, e.key_pos, "'" + e.key + "' maps no device, so it has no kernel anywhere",
              "add a device key (cuda = \"org/repo:Layer\") or remove the entry");
        for (const auto& d : v.table) {
          const auto& devices = kernel_mapping_devices();
          if (std::find(devices.begin(), devices.end(), d.key) == devices.end()) {
            std::string hint;
            if (d.key == "version" || d.key == "revision" || d.key == "trust_remote_code")
              hint = "a table with a version, revision or trust_remote_code needs repo = \"org/repo:Layer\"";
            else if (auto near = nearest(d.key, kRepoTableKeys); near && *near == "repo")
              hint = "did you mean 'repo'? Without it the table is read as a per-device mapping";
            else if (auto dn = nearest(d.key, devices)) hint = "did you mean '" + *dn + "'?";
            else if (d.key == "metal")
              hint = "Apple GPUs are the device 'mps', which KernelConfig does not accept; use a [[layer]] entry";
            else if (d.key == "mps" || d.key == "cpu")
              hint = "KernelConfig does not accept '" + d.key + "'; use a [[layer]] entry for it";
            add(Code::UnsupportedDevice, d.key_pos, messages::m3_device(d.key), hint);
            ok = false;
            continue;
          }
          const Value& dv = d.value;
          std::optional<KernelRef> k;
          if (dv.is_string() || (dv.is_table() && dv.find("repo"))) {
            k = mapping_kernel(e.key, dv);
          } else {
            add(Code::InvalidRepo, dv.pos, messages::m7_repo(e.key, python_str(dv)),
                dv.is_table() ? "a device maps to one kernel: \"org/repo:Layer\" or { repo = ..., version = ... }; "
                                "modes need [[layer]] entries"
                              : "");
          }
          if (k) m.per_device.emplace_back(d.key, std::move(*k));
          else ok = false;
        }
      } else {
        add(Code::InvalidMapping, v.pos, messages::m8_format(python_str(v)),
            "a mapping value is \"org/repo:Layer\", { repo = ..., version = ... } or a table of devices");
        ok = false;
      }
      (void)ok;
      if (m.kernel || !m.per_device.empty()) cfg_.mapping.push_back(std::move(m));
    }
  }

  // ------------------------------------------------------------------ [[fusion]]
  const std::vector<const Value*>* tables_of(const toml::Entry& e, const std::string& name,
                                             std::vector<const Value*>& out) {
    if (!e.value.is_array()) {
      wrong_type(e, "'" + name + "'", "an array of tables, written [[" + name + "]]");
      return nullptr;
    }
    for (const auto& v : e.value.array) {
      if (v.is_table()) out.push_back(&v);
      else
        add(Code::WrongType, v.pos,
            "each '" + name + "' entry must be a table ([[" + name + "]]), not " + a_type(v.type));
    }
    return &out;
  }

  void missing_key(Pos pos, const std::string& where, const std::string& key, const std::string& hint) {
    add(Code::MissingKey, pos, where + " needs '" + key + "'", hint);
  }

  void fusions(const toml::Entry& fe) {
    std::vector<const Value*> tables;
    if (!tables_of(fe, "fusion", tables)) return;
    for (const Value* t : tables) fusion(*t);
  }

  void fusion(const Value& t) {
    for (const auto& e : t.table) unknown_key(e, kFusionKeys, "[[fusion]]");
    Fusion f;
    f.pos = t.pos;
    bool ok = true;
    // Members first: M7 names the fused layers.
    std::vector<std::string> paths;
    std::vector<Pos> path_pos;
    std::string label;
    const toml::Entry* members = nullptr;
    for (const auto& e : t.table)
      if (e.key == "members") members = &e;
    if (!members) {
      missing_key(t.pos, "[[fusion]]", "members",
                  "members = [ { layer = \"RMSNorm\", path = \"model.layers.*.post_attention_layernorm\" }, ... ]");
      ok = false;
    } else if (!members->value.is_array()) {
      wrong_type(*members, "members", "an array of { layer = ..., path = ... } tables");
      ok = false;
    } else {
      for (const auto& mv : members->value.array) {
        if (!mv.is_table()) {
          add(Code::WrongType, mv.pos,
              "a fusion member must be a table { layer = ..., path = ... }, not " + a_type(mv.type));
          ok = false;
          continue;
        }
        for (const auto& e : mv.table) unknown_key(e, kMemberKeys, "a fusion member");
        FusionMember m;
        m.pos = mv.pos;
        const Value* layer = mv.find("layer");
        const Value* path = mv.find("path");
        if (!layer) {
          missing_key(mv.pos, "a fusion member", "layer", "the layer's registered name, e.g. layer = \"RMSNorm\"");
          ok = false;
        } else if (!layer->is_string()) {
          add(Code::WrongType, layer->pos, "a member's layer must be a string");
          ok = false;
        } else {
          m.layer = layer->text;
          label += (label.empty() ? "" : "+") + m.layer;
          if (!check_registered(m.layer, layer->pos)) ok = false;
        }
        if (!path) {
          missing_key(mv.pos, "a fusion member", "path", "the module path, e.g. path = \"model.layers.*.mlp\"");
          ok = false;
        } else if (!path->is_string()) {
          add(Code::WrongType, path->pos, "a member's path must be a string");
          ok = false;
        } else {
          m.path = path->text;
          if (m.path.find('.') == std::string::npos) {
            add(Code::FusionPath, path->pos,
                "fusion member path '" + m.path + "' has no '.': a member is a child of a parent module",
                "give the full dotted path from the model root, e.g. \"model.layers.*.mlp\"");
            ok = false;
          } else {
            paths.push_back(m.path);
            path_pos.push_back(path->pos);
          }
        }
        f.members.push_back(std::move(m));
      }
      if (members->value.array.empty()) {
        add(Code::FusionNoMembers, members->value.pos, messages::fusion_parents({}),
            "a fusion needs at least one member { layer = ..., path = ... }");
        ok = false;
      }
    }
    if (label.empty()) label = "fusion";
    // The fused kernel.
    const Value* repo = t.find("repo");
    std::optional<KernelRef> k;
    if (!repo) {
      missing_key(t.pos, "[[fusion]]", "repo", "repo = \"org/repo:FusedKernel\"");
    } else if (!repo->is_string()) {
      add(Code::WrongType, repo->pos, "repo must be a string \"org/repo:Kernel\", not " + a_type(repo->type));
    } else {
      k = repo_string(label, *repo);
    }
    KernelRef scratch;
    if (!metadata(t, k ? *k : scratch, Section::Fusion)) ok = false;
    if (!k) ok = false;
    // Parents and module matching (rule 6).
    std::string kernel_name;
    if (k) kernel_name = k->layer_name;
    else if (repo && repo->is_string() && repo->text.find(':') != std::string::npos)
      kernel_name = repo->text.substr(repo->text.find(':') + 1);
    if (!paths.empty() && !ok_paths(paths, path_pos, members, kernel_name)) ok = false;
    if (ok && k) {
      f.kernel = std::move(*k);
      cfg_.fusions.push_back(std::move(f));
    }
  }

  bool ok_paths(const std::vector<std::string>& paths, const std::vector<Pos>& path_pos, const toml::Entry* members,
                const std::string& kernel) {
    std::string parent = paths[0].substr(0, paths[0].rfind('.'));
    for (std::size_t i = 1; i < paths.size(); ++i) {
      if (paths[i].substr(0, paths[i].rfind('.')) != parent) {
        add(Code::FusionParents, path_pos[i], messages::fusion_parents(paths),
            "every member path must have the same parent, e.g. model.layers.*.input_layernorm and model.layers.*.mlp");
        return false;
      }
    }
    if (!cfg_.model_modules) return true;
    std::vector<std::string> children;
    children.reserve(paths.size());
    for (const auto& p : paths) children.push_back(p.substr(p.rfind('.') + 1));
    if (!module_index_) module_index_.emplace(*cfg_.model_modules);
    FusionMatch m = module_index_->match(parent, children);
    if (m.matched.empty()) {
      add(Code::FusionNoMatch, path_pos[0], messages::fusion_no_match(parent, kernel),
          "'*' stands for one path segment; [model].modules lists the module paths");
      return false;
    }
    if (!m.incomplete.empty()) {
      add(Code::FusionMissingChild, members->value.pos,
          messages::fusion_missing_children(m.incomplete[0], children, kernel),
          std::to_string(m.incomplete.size()) + " of " + std::to_string(m.matched.size()) + " modules matching '" +
              parent + "' lack some of these children");
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------------ [[layer]]
  void layers(const toml::Entry& le) {
    std::vector<const Value*> tables;
    if (!tables_of(le, "layer", tables)) return;
    for (const Value* t : tables) layer(*t);
  }

  void layer(const Value& t) {
    for (const auto& e : t.table) unknown_key(e, kLayerKeys, "[[layer]]");
    LayerEntry l;
    l.pos = t.pos;
    bool ok = true;
    const Value* name = t.find("name");
    if (!name) {
      missing_key(t.pos, "[[layer]]", "name", "the layer's registered name, e.g. name = \"SiluAndMul\"");
      ok = false;
    } else if (!name->is_string() || name->text.empty()) {
      add(Code::WrongType, name->pos, "name must be a non-empty string");
      ok = false;
    } else {
      l.name = name->text;
      if (!check_registered(l.name, name->pos)) ok = false;
    }
    const Value* device = t.find("device");
    if (!device) {
      missing_key(t.pos, "[[layer]]", "device", "one of cpu, cuda, rocm, mps, xpu, npu, neuron, tpu");
      ok = false;
    } else if (!device->is_string()) {
      add(Code::WrongType, device->pos, "device must be a string such as \"cuda\"");
      ok = false;
    } else {
      const auto& devices = kernels_devices();
      if (std::find(devices.begin(), devices.end(), device->text) == devices.end()) {
        auto near = nearest(device->text, devices);
        add(Code::UnknownDevice, device->pos, messages::unknown_device(device->text),
            device->text == "metal" ? "Apple GPUs are the device 'mps'"
            : near                  ? "did you mean '" + *near + "'?"
                                    : "one of cpu, cuda, rocm, mps, xpu, npu, neuron, tpu");
        ok = false;
      } else {
        l.device = device->text;
      }
    }
    if (const Value* cap = t.find("capability")) {
      bool two_ints = cap->is_array() && cap->array.size() == 2 && cap->array[0].type == Type::Integer &&
                      cap->array[1].type == Type::Integer && cap->array[0].integer >= 0 && cap->array[1].integer >= 0;
      if (!two_ints) {
        add(Code::InvalidCapability, cap->pos,
            "capability must be [min, max]: two integers >= 0 (major*10+minor), got: " + python_str(*cap),
            "e.g. capability = [80, 89] for compute capability 8.0 to 8.9");
        ok = false;
      } else if (cap->array[0].integer > cap->array[1].integer) {
        add(Code::InvalidCapability, cap->pos, messages::capability_range(cap->array[0].integer, cap->array[1].integer),
            "an inverted range never matches any device");
        ok = false;
      } else {
        l.capability = Capability{cap->array[0].integer, cap->array[1].integer};
      }
      if (!l.device.empty() && l.device != "cuda" && l.device != "rocm") {
        add(Code::CapabilityDevice, cap->pos,
            "capability ranges apply only to cuda and rocm devices, not to '" + l.device + "'",
            "remove capability, or use device = \"cuda\" or \"rocm\"");
        ok = false;
      }
    }
    if (const Value* mode = t.find("mode")) {
      std::optional<Mode> m = mode->is_string() ? parse_mode(mode->text) : std::nullopt;
      if (!m) {
        std::vector<std::string> names{"fallback", "inference", "training", "inference+torch_compile",
                                       "training+torch_compile"};
        std::optional<std::string> near = mode->is_string() ? nearest(mode->text, names) : std::nullopt;
        add(Code::UnknownMode, mode->pos,
            "unknown mode " + python_repr(*mode) +
                ": one of fallback, inference, training, inference+torch_compile, training+torch_compile",
            near ? "did you mean '" + *near + "'?" : "");
        ok = false;
      } else {
        l.mode = *m;
      }
    }
    const Value* repo = t.find("repo");
    std::optional<KernelRef> k;
    if (!repo) {
      missing_key(t.pos, "[[layer]]", "repo", "repo = \"org/repo:Layer\"");
    } else if (!repo->is_string()) {
      add(Code::WrongType, repo->pos, "repo must be a string \"org/repo:Layer\", not " + a_type(repo->type));
    } else {
      k = repo_string(l.name.empty() ? "layer" : l.name, *repo);
    }
    KernelRef scratch;
    if (!metadata(t, k ? *k : scratch, Section::Layer)) ok = false;
    if (!k) ok = false;
    if (!ok) return;
    l.kernel = std::move(*k);
    auto key = std::make_tuple(l.name, l.device, l.capability.has_value(), l.capability.value_or(Capability{}).min,
                               l.capability.value_or(Capability{}).max, l.mode);
    auto [it, inserted] = layer_keys_.emplace(key, l.pos);
    if (!inserted) {
      add(Code::DuplicateLayer, l.pos,
          "this [[layer]] repeats the one at " + pos_text(it->second) + " (same name, device, capability and mode)",
          "Python would silently keep only the later one; remove one of them");
      return;
    }
    cfg_.layers.push_back(std::move(l));
  }

  // ------------------------------------------------------------------ rule 8
  void version_conflicts() {
    auto deps = hub_dependencies(cfg_);
    // Per repo id: the first mention of each distinct pin.
    std::map<std::string, std::vector<const HubDependency*>> pins;
    for (const auto& d : deps) {
      auto& list = pins[d.repo_id];
      const HubDependency* other = nullptr;
      bool known = false;
      for (const auto* p : list) {
        if (same_pin(*p, d)) known = true;
        else if (!other) other = p;
      }
      if (other)
        add(Code::VersionConflict, d.pos,
            d.repo_id + " is used at " + pin_text(d) + " here and at " + pin_text(*other) + " on " +
                pos_text(other->pos),
            "kernels lock pins one commit per repo id and will refuse this file");
      if (!known) list.push_back(&d);
    }
  }

  Config cfg_;
  std::optional<ModuleIndex> module_index_;  // built at the first fusion to match (modules are final by then)
  std::vector<Diagnostic> diags_;
  std::set<std::string> registered_;
  std::map<std::tuple<std::string, std::string, bool, std::int64_t, std::int64_t, Mode>, Pos> layer_keys_;
};

}  // namespace

CheckResult check_config(const std::string& file, std::string_view text) { return Checker(file).run(text); }

}  // namespace kernels::config
