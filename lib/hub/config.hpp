// Hub configuration, read from the environment exactly as huggingface_hub
// reads it (HF_ENDPOINT, HF_TOKEN, HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH,
// HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE, telemetry switches, KERNELS_CACHE),
// with command-line overrides on top. The token is kept here and only ever
// leaves as an Authorization header: no function returns it for printing.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "util/result.hpp"

namespace kernels::hub {

enum class RepoType { Kernel, Model };

// "kernel" / "model".
const char* repo_type_name(RepoType type);

// Limits on what the Hub may send (kernels(1), LIMITS): past them a call
// fails with code "bad-response" saying which was reached.
inline constexpr int kMaxRedirects = 5;   // per request
inline constexpr int kMaxJsonDepth = 64;  // arrays/objects inside each other in an answer
// Body bytes (after gzip/deflate decoding) of one answer read whole.
inline constexpr std::size_t kMaxRefsBytes = std::size_t{32} << 20;
inline constexpr std::size_t kMaxRepoInfoBytes = std::size_t{16} << 20;
inline constexpr std::size_t kMaxTreePageBytes = std::size_t{16} << 20;  // a real page of 1000 entries: ~300 KB
// One request whose answer is read whole (JSON, small files), headers and body.
inline constexpr std::chrono::milliseconds kApiRequestTimeout{120000};

// Counts the Hub's answers may reach; a field so that tests can lower them.
struct HubLimits {
  std::size_t tree_pages = 10000;      // Link: rel="next" pages of one listing
  std::size_t tree_entries = 1000000;  // entries of one listing
  std::size_t refs = 100000;           // branches, or tags, of one repository
};

struct HubConfig {
  std::string endpoint = "https://huggingface.co";  // no trailing "/"
  std::optional<std::string> token;
  std::string token_source;  // where the token came from ("HF_TOKEN", a file path); "" when none
  bool offline = false;
  RepoType repo_type = RepoType::Kernel;
  std::string hf_home;        // $HF_HOME
  std::string hub_cache;      // $HF_HUB_CACHE
  std::string kernels_cache;  // $KERNELS_CACHE, or hub_cache
  bool telemetry = true;
  std::string user_agent;
  HubLimits limits;
};

// Command-line settings that win over the environment.
struct HubOverrides {
  std::optional<std::string> endpoint;    // --endpoint
  std::optional<std::string> token_file;  // --token-file
  bool offline = false;                   // --offline
  std::optional<RepoType> repo_type;      // --repo-type
};

// Reads one environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment.
EnvLookup process_env();

// True for "1", "ON", "YES", "TRUE" in any case (huggingface_hub's truthy set).
bool env_truthy(const std::optional<std::string>& value);

// Builds the configuration. Errors (code "usage"/"io"): an endpoint that is
// not http(s)://, an unreadable --token-file.
Result<HubConfig> load_hub_config(const EnvLookup& env, const HubOverrides& overrides = {});

// "kernels-cli/<version>; curl/<v>; platform/<arch>-<os>; file_type/kernel":
// the telemetry parts (curl, platform) are left out when `telemetry` is off,
// `origin` (HF_HUB_USER_AGENT_ORIGIN) is appended when not empty.
std::string make_user_agent(bool telemetry, const std::string& origin);

}  // namespace kernels::hub
