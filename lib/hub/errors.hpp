// Turns a failed Hub response into an Error a user can act on. The code is
// the Hub's X-Error-Code when it sent one (RepoNotFound, RevisionNotFound,
// EntryNotFound, GatedRepo), else one of Unauthorized, Forbidden,
// RateLimited, ServerError, http. Messages name the repository, revision
// or file and say what to do; they never contain a token.
#pragma once

#include <string>

#include "hub/http.hpp"
#include "util/result.hpp"

namespace kernels::hub {

struct ErrorContext {
  std::string endpoint;
  std::string repo;      // "org/name"
  std::string revision;  // "" when the call had none
  std::string path;      // file or folder, "" when none
  std::string method;
  std::string url;
  bool sent_token = false;
  int attempts = 1;
};

Error hub_error(const HttpResponse& response, const ErrorContext& context);

// The server's own explanation: X-Error-Message, else {"error": ...} in the
// body, else a short non-HTML body; "" when none.
std::string server_message(const HttpResponse& response);

}  // namespace kernels::hub
