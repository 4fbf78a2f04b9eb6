#include "config/resolve.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "config/messages.hpp"

namespace kernels::config {

const char* origin_name(Origin o) {
  switch (o) {
    case Origin::Layer: return "layer";
    case Origin::KernelMapping: return "kernel_mapping";
    case Origin::Fusion: return "fusion";
  }
  return "layer";
}

namespace {

constexpr std::int64_t kMaxCapability = std::numeric_limits<std::int64_t>::max();  // Python's sys.maxsize

// One capability interval's Mode table (kernels' DeviceRepos; for devices
// without capabilities there is one slot with the full range).
struct Slot {
  Capability range{0, kMaxCapability};
  bool ranged = false;
  std::map<Mode, Registration> modes;
  std::vector<Registration> replaced;  // the registrations of the earlier Mode tables this one replaced
  std::uint64_t seq = 0;               // when the Mode table was last (re)placed: ties go to the later one
};

struct DeviceSlots {
  std::vector<Slot> slots;
};

class Registry {
 public:
  Slot& slot(const std::string& layer, const std::string& device, const std::optional<Capability>& cap) {
    note_layer(layer);
    auto& slots = layers_[layer][device].slots;
    Capability range = cap.value_or(Capability{0, kMaxCapability});
    for (auto& s : slots)
      if (s.range == range) return s;
    slots.push_back(Slot{range, cap.has_value(), {}, {}, 0});
    return slots.back();
  }

  // register_kernel_mapping: the Mode table of the slot is replaced.
  void replace(const std::string& layer, const std::string& device, const std::optional<Capability>& cap,
               std::map<Mode, Registration> modes) {
    Slot& s = slot(layer, device, cap);
    for (auto& [mode, r] : s.modes) s.replaced.push_back(std::move(r));
    s.modes = std::move(modes);
    s.seq = ++seq_;
  }

  void note_layer(const std::string& layer) {
    if (std::find(order_.begin(), order_.end(), layer) == order_.end()) order_.push_back(layer);
  }

  const std::vector<std::string>& order() const { return order_; }

  const std::map<std::string, DeviceSlots>* find(const std::string& layer) const {
    auto it = layers_.find(layer);
    return it == layers_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, std::map<std::string, DeviceSlots>> layers_;
  std::vector<std::string> order_;
  std::uint64_t seq_ = 0;
};

const std::vector<Mode>& priority(Mode requested) {
  static const std::vector<Mode> inference{Mode::Inference, Mode::InferenceCompile, Mode::Training,
                                           Mode::TrainingCompile, Mode::Fallback};
  static const std::vector<Mode> inference_tc{Mode::InferenceCompile, Mode::TrainingCompile, Mode::Fallback};
  static const std::vector<Mode> training{Mode::Training, Mode::TrainingCompile, Mode::Fallback};
  static const std::vector<Mode> training_tc{Mode::TrainingCompile, Mode::Fallback};
  switch (requested) {
    case Mode::Inference: return inference;
    case Mode::InferenceCompile: return inference_tc;
    case Mode::Training: return training;
    default: return training_tc;
  }
}

}  // namespace

const char* beaten_name(Beaten b) {
  switch (b) {
    case Beaten::Replaced: return "replaced";
    case Beaten::Narrower: return "narrower";
    case Beaten::Later: return "later";
    case Beaten::ModeOrder: return "mode-order";
  }
  return "replaced";
}

Result<Resolution> resolve(const Config& config, const ResolveRequest& request) {
  const auto& devices = kernels_devices();
  if (std::find(devices.begin(), devices.end(), request.device) == devices.end())
    return Error{ErrorCode::usage, "Unsupported device type '" + request.device +
                                       "'. Supported device types are: cpu, cuda, mps, neuron, npu, rocm, tpu, xpu"};
  const bool has_capabilities = request.device == "cuda" || request.device == "rocm";
  if (request.capability && !has_capabilities)
    return Error{ErrorCode::usage,
                 "--capability applies only to cuda and rocm devices, not to '" + request.device + "'"};
  if (request.capability && *request.capability < 0)
    return Error{ErrorCode::usage, "--capability must be >= 0 (major*10+minor, e.g. 90 for 9.0)"};

  Resolution out;
  out.mode = request.training ? (request.compile ? Mode::TrainingCompile : Mode::Training)
                              : (request.compile ? Mode::InferenceCompile : Mode::Inference);
  Registry reg;
  if (config.model_layers)
    for (const auto& l : *config.model_layers) reg.note_layer(l);

  // 1. [[layer]] entries, grouped by (name, device, capability) into one Mode table each.
  {
    std::map<std::tuple<std::string, std::string, std::int64_t, std::int64_t, bool>, std::map<Mode, Registration>>
        groups;
    std::vector<std::tuple<std::string, std::string, std::optional<Capability>>> group_order;
    for (const auto& l : config.layers) {
      Capability c = l.capability.value_or(Capability{0, kMaxCapability});
      auto key = std::make_tuple(l.name, l.device, c.min, c.max, l.capability.has_value());
      if (!groups.count(key)) group_order.emplace_back(l.name, l.device, l.capability);
      // The same mode twice in one table is check's duplicate-layer error; resolve runs on checked configs.
      groups[key][l.mode] = Registration{l.kernel, l.mode, Origin::Layer, l.pos, l.capability, {}};
    }
    for (const auto& [name, device, cap] : group_order) {
      Capability c = cap.value_or(Capability{0, kMaxCapability});
      reg.replace(name, device, cap, groups[std::make_tuple(name, device, c.min, c.max, cap.has_value())]);
    }
  }

  // 2. [kernel_mapping], then 3. [[fusion]]: create_compatible_mapping for the requested device and mode.
  std::map<std::string, std::string> errors;  // layer -> message (M3 on cpu/mps)
  auto add_compatible = [&](const std::string& layer, const KernelRef& k, Origin origin, Pos pos,
                            const std::vector<FusionMember>& members) {
    const auto& allowed = kernel_mapping_devices();
    if (std::find(allowed.begin(), allowed.end(), request.device) == allowed.end()) {
      reg.note_layer(layer);
      errors[layer] = messages::m3_device(request.device);
      return;
    }
    std::map<Mode, Registration> modes;
    modes[out.mode] = Registration{k, out.mode, origin, pos, std::nullopt, members};
    reg.replace(layer, request.device, std::nullopt, std::move(modes));
  };
  for (const auto& m : config.mapping) {
    if (m.kernel) {
      add_compatible(m.layer, *m.kernel, Origin::KernelMapping, m.pos, {});
      continue;
    }
    reg.note_layer(m.layer);
    for (const auto& [device, k] : m.per_device)  // positioned at the `cuda = ...` value, not the key above it
      if (device == request.device) add_compatible(m.layer, k, Origin::KernelMapping, k.pos, {});
  }
  for (const auto& f : config.fusions) {
    add_compatible(f.kernel.layer_name, f.kernel, Origin::Fusion, f.pos, f.members);
    for (const auto& m : f.members) reg.note_layer(m.layer);  // the members are named layers too
  }

  // Selection (kernelize): device, smallest containing capability range, mode priority.
  for (const auto& layer : reg.order()) {
    LayerResolution r;
    r.layer = layer;
    if (auto e = errors.find(layer); e != errors.end()) {
      r.reason = e->second;
      r.error = true;
      out.layers.push_back(std::move(r));
      continue;
    }
    const auto* by_device = reg.find(layer);
    auto dev = by_device ? by_device->find(request.device) : decltype(by_device->end()){};
    if (!by_device) {
      r.reason = messages::no_layer_mapping(layer);
    } else if (dev == by_device->end()) {
      r.reason = messages::no_device_mapping(layer, request.device);
    } else {
      const Slot* best = nullptr;
      std::vector<const Slot*> candidates;
      auto width = [](const Slot& x) { return static_cast<std::uint64_t>(x.range.max - x.range.min); };
      for (const auto& s : dev->second.slots) {
        bool contains = has_capabilities ? (request.capability ? s.range.min <= *request.capability &&
                                                                     *request.capability <= s.range.max
                                                               : !s.ranged)
                                         : true;
        if (!contains) continue;
        candidates.push_back(&s);
        if (!best || width(s) < width(*best) || (width(s) == width(*best) && s.seq > best->seq)) best = &s;
      }
      if (!best) {
        r.reason = messages::no_capability_mapping(layer, request.device);
      } else {
        const auto& order = priority(out.mode);
        for (Mode m : order) {
          auto it = best->modes.find(m);
          if (it != best->modes.end()) {
            r.kernel = it->second;
            break;
          }
        }
        if (!r.kernel) {
          r.reason = messages::no_mode_repository(layer, python_mode(out.mode));
        } else {
          for (const auto& old : best->replaced) r.beaten.push_back({old, Beaten::Replaced});
          auto after = std::find(order.begin(), order.end(), r.kernel->mode);
          for (auto m = after + 1; m < order.end(); ++m)
            if (auto it = best->modes.find(*m); it != best->modes.end())
              r.beaten.push_back({it->second, Beaten::ModeOrder});
          for (const Slot* s : candidates) {
            if (s == best) continue;
            const Beaten why = width(*s) == width(*best) ? Beaten::Later : Beaten::Narrower;
            for (Mode m : order)
              if (auto it = s->modes.find(m); it != s->modes.end()) r.beaten.push_back({it->second, why});
          }
        }
      }
    }
    out.layers.push_back(std::move(r));
  }
  // Fusion members: which fused kernels (that resolved) take them over, and where.
  for (const auto& f : config.fusions) {
    bool resolved = false;
    for (const auto& l : out.layers)
      if (l.layer == f.kernel.layer_name && l.kernel && l.kernel->origin == Origin::Fusion) resolved = true;
    if (!resolved) continue;
    for (const auto& m : f.members)
      for (auto& l : out.layers)
        if (l.layer == m.layer) l.fused_into.emplace_back(f.kernel.layer_name, m.path);
  }
  return out;
}

}  // namespace kernels::config
