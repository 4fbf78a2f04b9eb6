#include "hub/errors.hpp"

#include <nlohmann/json.hpp>

namespace kernels::hub {

std::string server_message(const HttpResponse& response) {
  std::string msg = response.header("x-error-message");
  if (!msg.empty()) return msg;
  auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_object()) {
    auto it = json.find("error");
    if (it != json.end() && it->is_string()) return it->get<std::string>();
    if (it != json.end() && it->is_array() && !it->empty() && it->front().is_string()) {
      return it->front().get<std::string>();
    }
  }
  if (json.is_discarded() && !response.body.empty() && response.body.size() < 300 &&
      response.body.find('<') == std::string::npos) {
    return response.body;
  }
  return {};
}

Error hub_error(const HttpResponse& response, const ErrorContext& c) {
  std::string code = response.header("x-error-code");
  std::string server = server_message(response);
  std::string suffix = server.empty() ? "" : " (the Hub said: " + server + ")";
  const std::string& repo = c.repo;

  if (code == "GatedRepo") {
    return Error{code, "Repository " + repo + " on " + c.endpoint +
                           " is gated: accept its conditions on the Hub, then log in (HF_TOKEN or --token-file)" +
                           suffix};
  }
  if (code == "RepoNotFound" ||
      (response.status == 401 && code.empty() && server != "Invalid credentials in Authorization header")) {
    return Error{"RepoNotFound",
                 "Repository " + repo + " not found on " + c.endpoint + ": check the name, or log in (HF_TOKEN or "
                 "--token-file) if it is private" + (c.sent_token ? "; the token sent was not given access" : "")};
  }
  if (response.status == 401) {
    return Error{"Unauthorized", "The Hub at " + c.endpoint +
                                     " rejected the token: check HF_TOKEN, HF_TOKEN_PATH or --token-file, "
                                     "or create a new token" + suffix};
  }
  if (code == "RevisionNotFound") {
    return Error{code, "Revision '" + c.revision + "' not found in " + repo +
                           ": pick an existing branch, tag or commit (`kernels versions " + repo +
                           "` lists the versions)"};
  }
  if (code == "EntryNotFound" || (response.status == 404 && !c.path.empty())) {
    return Error{"EntryNotFound", "File " + c.path + " not found in " + repo +
                                      (c.revision.empty() ? "" : " at revision " + c.revision)};
  }
  if (response.status == 404) {
    return Error{"RepoNotFound", "Repository " + repo + " not found on " + c.endpoint +
                                     ": check the name, or log in (HF_TOKEN or --token-file) if it is private"};
  }
  if (response.status == 403) {
    return Error{"Forbidden", "Access to " + repo + " on " + c.endpoint + " is forbidden (403)" + suffix};
  }
  std::string tries = c.attempts > 1 ? " after " + std::to_string(c.attempts) + " attempts" : "";
  if (response.status == 429) {
    return Error{"RateLimited", "The Hub at " + c.endpoint + " is rate-limiting requests (429)" + tries +
                                    ": wait a while and try again, or log in to get a higher limit" + suffix};
  }
  if (response.status >= 500) {
    return Error{"ServerError", "The Hub at " + c.endpoint + " failed with HTTP " +
                                    std::to_string(response.status) + tries + " for " + c.method + " " + c.url +
                                    ": try again later" + suffix};
  }
  return Error{"http", "HTTP " + std::to_string(response.status) + " for " + c.method + " " + c.url + suffix};
}

}  // namespace kernels::hub
