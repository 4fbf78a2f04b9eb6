// Helpers for the checker's tests: run check_config on a document and render
// diagnostics as "line:column severity[code] message" for readable comparisons.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace kernels::config::test {

// Lines 1-2 of most test documents: a model that registers three layers.
inline const std::string kModel = "[model]\nlayers = [\"RMSNorm\", \"MLP\", \"rotary_pos_emb\"]\n";

inline CheckResult check(const std::string& text) { return check_config("k.toml", text); }

inline std::string render(const Diagnostic& d) {
  return std::to_string(d.line) + ":" + std::to_string(d.column) + " " + severity_name(d.severity) + "[" + d.code +
         "] " + d.message;
}

inline std::vector<std::string> rendered(const CheckResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(render(d));
  return out;
}

// "L:C severity[code] message" built from its parts.
inline std::string diag(int line, int column, const std::string& severity, const std::string& code,
                        const std::string& message) {
  return std::to_string(line) + ":" + std::to_string(column) + " " + severity + "[" + code + "] " + message;
}

// 1-based column of the first occurrence of `needle` in the ASCII `line`.
inline int column_of(const std::string& line, const std::string& needle) {
  auto p = line.find(needle);
  return p == std::string::npos ? -1 : static_cast<int>(p) + 1;
}

// transformers' MAPPING_FORMAT, typed from transformers' KernelConfig.
inline const std::string kMappingFormat = R"(
        For single device form remote
        {
            "RMSNorm":
                "kernels-community/layer_norm:LlamaRMSNorm",
            ...
        },
        For multiple devices form remote
        {
            "RMSNorm": {
                "cuda":
                    "kernels-community/layer_norm:LlamaRMSNorm",
                "rocm":
                    "kernels-community/layer_norm:LlamaRMSNorm",
                ...
            },
            ...
        }
        You can also pass metadata along to inform about specific kernel information
        {
            "RMSNorm":
                ("kernels-community/layer_norm:LlamaRMSNorm", {"version": 1, "trust_remote_code": True}),
            ...
        },
        For single device form local
        {
            "RMSNorm":
                "/abs/path:LlamaRMSNorm",
            ...
        },
        For multiple devices form local
        {
            "RMSNorm": {
                "cuda":
                    "/abs/path:LlamaRMSNorm",
                "rocm":
                    "/abs/path:LlamaRMSNorm",
                ...
            },
            ...
        }
        )";

inline std::string m7(const std::string& layer, const std::string& got) {
  return "Kernel mapping for '" + layer +
         "' must be a valid repo name with a layer name (e.g., 'org/repo:layer_name' or '/abs/path:layer_name'), "
         "got: " +
         got;
}

}  // namespace kernels::config::test
