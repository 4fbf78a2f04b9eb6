// Command-line options shared by every command that talks to the Hub
// (versions, info, lock, download): --endpoint, --token-file, --offline,
// --repo-type. The token itself is never an option (`ps` would show it):
// it comes from HF_TOKEN, the token file, or --token-file.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "hub/client.hpp"
#include "util/result.hpp"

namespace kernels::cli {

struct HubOptions {
  std::string endpoint;    // "" = HF_ENDPOINT or https://huggingface.co
  std::string token_file;  // "" = HF_TOKEN, HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH, $HF_HOME/token
  bool offline = false;
  std::string repo_type = "kernel";
  unsigned timeout_seconds = 0;  // --timeout: the whole command's deadline (0: none)
};

// Adds the options to `cmd`, bound to `options`.
void add_hub_options(CLI::App* cmd, HubOptions& options);

// The configuration (environment + options) and a client on it. With
// --verbose, the client logs each request (method, URL, status, time) to
// stderr; never a header, so never the token.
Result<std::unique_ptr<hub::HubClient>> make_hub_client(const HubOptions& options);

// For the commands that take one ORG/NAME: the id checked, then the client.
// Every error here is a usage error (exit 2).
Result<std::unique_ptr<hub::HubClient>> make_repo_client(const std::string& repo, const HubOptions& options);

// Text for the help footers of Hub commands.
extern const char* const kHubEnvironmentHelp;

}  // namespace kernels::cli
