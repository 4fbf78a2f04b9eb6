#include "hub/errors.hpp"

#include <nlohmann/json.hpp>

#include "hub/url.hpp"
#include "util/terminal_text.hpp"

namespace kernels::hub {

namespace {

// The most of the server's own explanation a message quotes.
constexpr std::size_t kMaxServerMessageBytes = 300;

std::string raw_server_message(const HttpResponse& response) {
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

// A URL, path or revision in a message: it may have come from the server (a
// redirect's Location, a tree entry), so on one line, escaped and bounded.
std::string field(const std::string& text) {
  std::string out;
  EscapeOptions options;
  options.escape_newline_tab = true;
  if (append_escaped(out, text, options, 500) < text.size()) out += "\xE2\x80\xA6";
  return out;
}

// A URL on another host than the Hub (LFS storage, reached by a redirect)
// carries a signature in its query, which is a credential: left out.
std::string shown_url(const std::string& url, const std::string& endpoint) {
  auto query = url.find('?');
  if (query == std::string::npos || url_origin(url) == url_origin(endpoint)) return field(url);
  return field(url.substr(0, query)) + "?...";
}

}  // namespace

// Server text is escaped, on one line and bounded here, at the source: a
// newline in it would otherwise start a line of its own under the CLI's
// "error: " prefix. (The CLI's output filter removes the token.)
std::string server_message(const HttpResponse& response) {
  return one_line(raw_server_message(response), kMaxServerMessageBytes);
}

Error hub_error(const HttpResponse& response, const ErrorContext& c) {
  // The Hub's X-Error-Code, when it is one of ours (RepoNotFound, GatedRepo...).
  std::optional<ErrorCode> code = find_error_code(response.header("x-error-code"));
  const bool no_code = response.header("x-error-code").empty();
  std::string server = server_message(response);
  std::string suffix = server.empty() ? "" : " (the Hub said: " + server + ")";
  const std::string repo = field(c.repo);
  const std::string path = field(c.path);
  const std::string revision = field(c.revision);
  const std::string url = shown_url(c.url, c.endpoint);

  if (code == ErrorCode::gated_repo) {
    return Error{ErrorCode::gated_repo,
                 "Repository " + repo + " on " + c.endpoint +
                     " is gated: accept its conditions on the Hub, then log in (HF_TOKEN or --token-file)" + suffix};
  }
  if (code == ErrorCode::repo_not_found ||
      (response.status == 401 && no_code && server != "Invalid credentials in Authorization header")) {
    return Error{ErrorCode::repo_not_found, "Repository " + repo + " not found on " + c.endpoint +
                                                ": check the name, or log in (HF_TOKEN or "
                                                "--token-file) if it is private" +
                                                (c.sent_token ? "; the token sent was not given access" : "")};
  }
  if (response.status == 401) {
    return Error{ErrorCode::unauthorized, "The Hub at " + c.endpoint +
                                              " rejected the token: check HF_TOKEN, HF_TOKEN_PATH or --token-file, "
                                              "or create a new token" +
                                              suffix};
  }
  if (code == ErrorCode::revision_not_found) {
    return Error{ErrorCode::revision_not_found, "Revision '" + revision + "' not found in " + repo +
                                                    ": pick an existing branch, tag or commit (`kernels versions " +
                                                    repo + "` lists the versions)"};
  }
  if (code == ErrorCode::entry_not_found || (response.status == 404 && !c.path.empty())) {
    return Error{ErrorCode::entry_not_found,
                 "File " + path + " not found in " + repo + (c.revision.empty() ? "" : " at revision " + revision)};
  }
  if (response.status == 404) {
    return Error{ErrorCode::repo_not_found,
                 "Repository " + repo + " not found on " + c.endpoint +
                     ": check the name, or log in (HF_TOKEN or --token-file) if it is private"};
  }
  if (response.status == 403) {
    return Error{ErrorCode::forbidden, "Access to " + repo + " on " + c.endpoint + " is forbidden (403)" + suffix};
  }
  std::string tries = c.attempts > 1 ? " after " + std::to_string(c.attempts) + " attempts" : "";
  if (response.status == 429) {
    return Error{ErrorCode::rate_limited, "The Hub at " + c.endpoint + " is rate-limiting requests (429)" + tries +
                                              ": wait a while and try again, or log in to get a higher limit" + suffix};
  }
  if (response.status >= 500) {
    return Error{ErrorCode::server_error, "The Hub at " + c.endpoint + " failed with HTTP " +
                                              std::to_string(response.status) + tries + " for " + c.method + " " + url +
                                              ": try again later" + suffix};
  }
  return Error{ErrorCode::http, "HTTP " + std::to_string(response.status) + " for " + c.method + " " + url + suffix};
}

}  // namespace kernels::hub
