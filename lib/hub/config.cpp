#include "hub/config.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>

#include <cerrno>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "hub/http.hpp"
#include "util/file.hpp"

namespace kernels::hub {

namespace {

std::string strip(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// A token file's content: "\r" and "\n" removed, then stripped.
std::string clean_token(std::string text) {
  text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }), text.end());
  return strip(std::move(text));
}

std::string expand_user(const std::string& path, const EnvLookup& env) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    auto home = env("HOME");
    if (home) return *home + path.substr(1);
  }
  return path;
}

std::optional<std::string> non_empty(const std::optional<std::string>& v) {
  if (v && !v->empty()) return v;
  return std::nullopt;
}

}  // namespace

const char* repo_type_name(RepoType type) { return type == RepoType::Kernel ? "kernel" : "model"; }

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

bool env_truthy(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string v = *value;
  for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return v == "1" || v == "ON" || v == "YES" || v == "TRUE";
}

std::string make_user_agent(bool telemetry, const std::string& origin) {
  std::string ua = std::string("kernels-cli/") + KERNELS_VERSION;
  if (telemetry) {
    ua += "; curl/" + curl_version_string();
    struct utsname u {};
    if (uname(&u) == 0) {
      std::string os = u.sysname;
      for (char& c : os) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ua += std::string("; platform/") + u.machine + "-" + os;
    }
  }
  ua += "; file_type/kernel";
  if (!origin.empty()) ua += "; origin/" + origin;
  return ua;
}

Result<HubConfig> load_hub_config(const EnvLookup& env, const HubOverrides& overrides) {
  HubConfig c;

  std::string endpoint = overrides.endpoint ? *overrides.endpoint : non_empty(env("HF_ENDPOINT")).value_or("");
  if (endpoint.empty()) endpoint = "https://huggingface.co";
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (endpoint.rfind("https://", 0) != 0 && endpoint.rfind("http://", 0) != 0) {
    return Error{ErrorCode::usage, "Hub endpoint '" + endpoint + "' is not an http:// or https:// URL (from " +
                                       (overrides.endpoint ? "--endpoint" : "HF_ENDPOINT") + ")"};
  }
  c.endpoint = endpoint;

  // HF_HOME: $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface.
  if (auto home = non_empty(env("HF_HOME"))) {
    c.hf_home = expand_user(*home, env);
  } else if (auto xdg = non_empty(env("XDG_CACHE_HOME"))) {
    c.hf_home = expand_user(*xdg, env) + "/huggingface";
  } else {
    c.hf_home = expand_user("~/.cache/huggingface", env);
  }
  if (auto cache = non_empty(env("HF_HUB_CACHE"))) {
    c.hub_cache = expand_user(*cache, env);
  } else if (auto legacy = non_empty(env("HUGGINGFACE_HUB_CACHE"))) {
    c.hub_cache = expand_user(*legacy, env);
  } else {
    c.hub_cache = c.hf_home + "/hub";
  }
  c.kernels_cache = non_empty(env("KERNELS_CACHE")) ? expand_user(*env("KERNELS_CACHE"), env) : c.hub_cache;

  c.offline = overrides.offline || env_truthy(env("HF_HUB_OFFLINE")) || env_truthy(env("TRANSFORMERS_OFFLINE"));
  c.telemetry = !(env_truthy(env("HF_HUB_DISABLE_TELEMETRY")) || env_truthy(env("DISABLE_TELEMETRY")) ||
                  env_truthy(env("DO_NOT_TRACK")));
  c.user_agent = make_user_agent(c.telemetry, env("HF_HUB_USER_AGENT_ORIGIN").value_or(""));
  if (overrides.repo_type) c.repo_type = *overrides.repo_type;

  // Token: --token-file, then HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the
  // token file (HF_TOKEN_PATH or $HF_HOME/token) unless implicit tokens are off.
  if (overrides.token_file) {
    auto text = read_file(*overrides.token_file, 1 << 16);
    if (!text.ok())
      return Error{ErrorCode::io, "cannot read the token file given with --token-file: " + text.error().message};
    std::string token = clean_token(*text);
    if (token.empty()) return Error{ErrorCode::usage, "the token file " + *overrides.token_file + " is empty"};
    c.token = token;
    c.token_source = *overrides.token_file;
    return c;
  }
  if (env_truthy(env("HF_HUB_DISABLE_IMPLICIT_TOKEN"))) return c;
  for (const char* name : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
    if (auto v = env(name)) {
      std::string token = clean_token(*v);
      if (!token.empty()) {
        c.token = token;
        c.token_source = name;
        return c;
      }
    }
  }
  std::string token_path =
      non_empty(env("HF_TOKEN_PATH")) ? expand_user(*env("HF_TOKEN_PATH"), env) : c.hf_home + "/token";
  // As huggingface_hub: a missing token file means no token; one that is
  // there but cannot be read is an error (else a private repo would read as
  // "not found" with no hint why).
  struct stat st {};
  if (::stat(token_path.c_str(), &st) != 0 && errno == ENOENT) return c;
  auto text = read_file(token_path, 1 << 16);
  if (!text.ok()) {
    return Error{ErrorCode::io, "cannot read the token file (" +
                                    std::string(non_empty(env("HF_TOKEN_PATH")) ? "HF_TOKEN_PATH" : "$HF_HOME/token") +
                                    "): " + text.error().message + "; fix its permissions, or set HF_TOKEN"};
  }
  {
    std::string token = clean_token(*text);
    if (!token.empty()) {
      c.token = token;
      c.token_source = token_path;
    }
  }
  return c;
}

}  // namespace kernels::hub
