#include "cli/hub_options.hpp"

#include <iostream>
#include <mutex>

#include "cli/exit_codes.hpp"
#include "cli/term.hpp"
#include "hub/repo_id.hpp"
#include "hub/url.hpp"

namespace kernels::cli {

const char* const kHubEnvironmentHelp =
    "Environment: HF_ENDPOINT, HF_TOKEN (or HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH, $HF_HOME/token),\n"
    "HF_HOME, HF_HUB_CACHE, KERNELS_CACHE, HF_HUB_OFFLINE=1, HF_HUB_DISABLE_TELEMETRY=1.";

void add_hub_options(CLI::App* cmd, HubOptions& options) {
  cmd->add_option("--endpoint", options.endpoint, "Hub URL (default: HF_ENDPOINT or https://huggingface.co)")
      ->option_text("URL");
  cmd->add_option("--token-file", options.token_file,
                  "Read the access token from this file (default: HF_TOKEN, then $HF_HOME/token)")
      ->option_text("PATH");
  cmd->add_flag("--offline", options.offline, "Use only the local HF cache (as HF_HUB_OFFLINE=1)");
  cmd->add_option("--repo-type", options.repo_type,
                  "Repository type: kernel (default; /api/kernels/...) or model, for hubs that serve kernels as models")
      ->check(CLI::IsMember({"kernel", "model"}))
      ->option_text("kernel|model");
  cmd->add_option("--timeout", options.timeout_seconds,
                  "Give up after this many seconds in all (default: none; every request is bounded anyway: "
                  "a 10 s connect, 120 s for an API answer, a transfer under 1 KiB/s for 30 s is dropped)")
      ->check(CLI::Range(1u, 7u * 24u * 3600u))
      ->option_text("SECONDS");
}

Result<std::unique_ptr<hub::HubClient>> make_hub_client(const HubOptions& options) {
  hub::HubOverrides overrides;
  if (!options.endpoint.empty()) overrides.endpoint = options.endpoint;
  if (!options.token_file.empty()) overrides.token_file = options.token_file;
  overrides.offline = options.offline;
  overrides.repo_type = options.repo_type == "model" ? hub::RepoType::Model : hub::RepoType::Kernel;
  auto config = hub::load_hub_config(hub::process_env(), overrides);
  if (!config.ok()) return config.error();
  if (config->token) register_secret(*config->token);
  hub::HttpTimeouts timeouts;
  if (options.timeout_seconds > 0) {
    timeouts.deadline_seconds = std::chrono::seconds(options.timeout_seconds);
    timeouts.deadline = std::chrono::steady_clock::now() + timeouts.deadline_seconds;
  }
  auto client = std::make_unique<hub::HubClient>(std::move(*config), hub::RetryPolicy{}, timeouts);
  if (terminal().verbosity >= 1) {
    static std::mutex log_mutex;
    bool color = terminal().color_stderr;
    std::string hub_origin = hub::url_origin(client->config().endpoint);
    client->set_request_logger([color, hub_origin](const hub::RequestLog& log) {
      std::string status = log.status != 0 ? std::to_string(log.status) : "failed (" + log.error + ")";
      // Storage hosts (LFS) get signed URLs: their query is a credential, so it is left out.
      std::string url = log.url;
      if (hub::url_origin(url) != hub_origin && url.find('?') != std::string::npos) {
        url = url.substr(0, url.find('?')) + "?...";
      }
      std::lock_guard lock(log_mutex);
      std::cerr << paint(color, Style::Dim,
                         "hub: " + log.method + " " + url + " -> " + status + " (" +
                             std::to_string(log.elapsed.count()) + " ms)")
                << "\n";
    });
  }
  return client;
}

Result<std::unique_ptr<hub::HubClient>> make_repo_client(const std::string& repo, const HubOptions& options) {
  if (auto valid = hub::validate_repo_id(repo); !valid.ok()) return valid.error();
  return make_hub_client(options);
}

}  // namespace kernels::cli
