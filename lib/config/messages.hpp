// Messages copied from the Python libraries so that users recognise them
// (transformers' KernelConfig messages). Each function
// renders the message exactly as Python's f-string does.
#pragma once

#include <string>
#include <vector>

namespace kernels::config::messages {

// transformers' MAPPING_FORMAT constant (begins with a newline, ends with 8 spaces).
const std::string& mapping_format();

std::string m1_not_a_dict(const std::string& python_type);                   // M1
std::string m2_not_registered(const std::string& layer);                     // M2
std::string m3_device(const std::string& device);                            // M3
std::string m5_trust_remote_code(const std::string& value_str);              // M5
std::string m6_no_version();                                                 // M6
std::string m7_repo(const std::string& layer, const std::string& repo_str);  // M7
std::string m8_format(const std::string& value_str);                         // M8

// kernels LayerRepository.
std::string both_version_and_revision();     // "Either a revision or a version must be specified, not both."
std::string neither_version_nor_revision();  // "Either a revision or a version must be specified."
// kernels register/Device.
std::string unknown_device(const std::string& device);       // "Unknown device type: metal"
std::string capability_range(long long min, long long max);  // "min_capability (90) must be <= max_capability (80)"

// transformers fusion (Stage A).
std::string fusion_parents(const std::vector<std::string>& patterns);
std::string fusion_no_match(const std::string& parent_pattern, const std::string& kernel);
std::string fusion_missing_children(const std::string& module, const std::vector<std::string>& children,
                                    const std::string& kernel);

// kernels kernelize with use_fallback=False.
std::string device_repr(const std::string& device);  // Device(type='cuda', properties=None)
std::string no_layer_mapping(const std::string& layer);
std::string no_device_mapping(const std::string& layer, const std::string& device);
std::string no_capability_mapping(const std::string& layer, const std::string& device);
std::string no_mode_repository(const std::string& layer, const std::string& mode_str);

}  // namespace kernels::config::messages
