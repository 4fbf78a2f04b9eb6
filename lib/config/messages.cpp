#include "config/messages.hpp"

#include "config/python_repr.hpp"

namespace kernels::config::messages {

const std::string& mapping_format() {
  static const std::string text =
      "\n"
      "        For single device form remote\n"
      "        {\n"
      "            \"RMSNorm\":\n"
      "                \"kernels-community/layer_norm:LlamaRMSNorm\",\n"
      "            ...\n"
      "        },\n"
      "        For multiple devices form remote\n"
      "        {\n"
      "            \"RMSNorm\": {\n"
      "                \"cuda\":\n"
      "                    \"kernels-community/layer_norm:LlamaRMSNorm\",\n"
      "                \"rocm\":\n"
      "                    \"kernels-community/layer_norm:LlamaRMSNorm\",\n"
      "                ...\n"
      "            },\n"
      "            ...\n"
      "        }\n"
      "        You can also pass metadata along to inform about specific kernel information\n"
      "        {\n"
      "            \"RMSNorm\":\n"
      "                (\"kernels-community/layer_norm:LlamaRMSNorm\", {\"version\": 1, \"trust_remote_code\": "
      "True}),\n"
      "            ...\n"
      "        },\n"
      "        For single device form local\n"
      "        {\n"
      "            \"RMSNorm\":\n"
      "                \"/abs/path:LlamaRMSNorm\",\n"
      "            ...\n"
      "        },\n"
      "        For multiple devices form local\n"
      "        {\n"
      "            \"RMSNorm\": {\n"
      "                \"cuda\":\n"
      "                    \"/abs/path:LlamaRMSNorm\",\n"
      "                \"rocm\":\n"
      "                    \"/abs/path:LlamaRMSNorm\",\n"
      "                ...\n"
      "            },\n"
      "            ...\n"
      "        }\n"
      "        ";
  return text;
}

std::string m1_not_a_dict(const std::string& python_type) {
  return "Kernel mapping must be a dict of the following format: " + mapping_format() + ", got: " + python_type;
}

std::string m2_not_registered(const std::string& layer) {
  return "Layer " + layer +
         " is not registered in the model, please register it first using use_kernel_forward_from_hub";
}

std::string m3_device(const std::string& device) {
  return "Only cuda, rocm, xpu, npu, neuron and tpu devices supported, got: " + device;
}

std::string m5_trust_remote_code(const std::string& value_str) {
  return "Expected a bool value for `trust_remote_code` but got " + value_str;
}

std::string m6_no_version() {
  return "Expected valid combination for version/revision (mutually exclusive but one of them) to be passed when "
         "passed as tuple, but got revision= None and version= None";
}

std::string m7_repo(const std::string& layer, const std::string& repo_str) {
  return "Kernel mapping for '" + layer +
         "' must be a valid repo name with a layer name (e.g., 'org/repo:layer_name' or '/abs/path:layer_name'), "
         "got: " +
         repo_str;
}

std::string m8_format(const std::string& value_str) {
  return "Kernel mapping must follow the format: " + mapping_format() + ", got: " + value_str;
}

std::string both_version_and_revision() { return "Either a revision or a version must be specified, not both."; }
std::string neither_version_nor_revision() { return "Either a revision or a version must be specified."; }
std::string unknown_device(const std::string& device) { return "Unknown device type: " + device; }

std::string capability_range(long long min, long long max) {
  return "min_capability (" + std::to_string(min) + ") must be <= max_capability (" + std::to_string(max) + ")";
}

std::string fusion_parents(const std::vector<std::string>& patterns) {
  return "All patterns for a fused kernel must share the same parent module, got " + python_list(patterns);
}

std::string fusion_no_match(const std::string& parent_pattern, const std::string& kernel) {
  std::string regex;
  for (char c : parent_pattern) regex += c == '*' ? std::string("\\w+") : std::string(1, c);
  return "No module matched pattern " + python_repr(regex) + " for fused kernel " + python_repr(kernel) +
         ". Provide the full dotted path from the model root.";
}

std::string fusion_missing_children(const std::string& module, const std::vector<std::string>& children,
                                    const std::string& kernel) {
  return "Module " + python_repr(module) + " does not have the expected child modules " + python_list(children) +
         " required for the fused kernel " + python_repr(kernel);
}

std::string device_repr(const std::string& device) { return "Device(type='" + device + "', properties=None)"; }

std::string no_layer_mapping(const std::string& layer) { return "No layer mapping for `" + layer + "`"; }

std::string no_device_mapping(const std::string& layer, const std::string& device) {
  return "No layer mapping for `" + layer + "` with device type `" + device_repr(device) + "`";
}

std::string no_capability_mapping(const std::string& layer, const std::string& device) {
  return "No layer mapping for `" + layer + "` device `" + device_repr(device) + "` with the right properties";
}

std::string no_mode_repository(const std::string& layer, const std::string& mode_str) {
  return "No repository for `" + layer + "` for configuration mode=" + mode_str;
}

}  // namespace kernels::config::messages
