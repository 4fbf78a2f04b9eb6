// URL pieces for the Hub: percent-encoding exactly as Python's urllib.parse.quote
// does it, and splitting an absolute URL into its origin.
#pragma once

#include <string>
#include <string_view>

namespace kernels::hub {

// Percent-encodes every byte except ASCII letters, digits, "_.-~" and the
// characters in `safe` (Python's quote(s, safe=...)). quote(rev, safe="")
// turns "refs/pr/1" into "refs%2Fpr%2F1"; quote(path) keeps "/".
std::string percent_encode(std::string_view text, std::string_view safe = "/");

// Decodes %XX escapes; a malformed escape is kept as it is.
std::string percent_decode(std::string_view text);

// "scheme://host[:port]" of an absolute http(s) URL, lower-cased; empty when
// `url` is not absolute.
std::string url_origin(std::string_view url);

// Resolves a redirect target against the URL that answered with it:
// absolute URLs are returned as they are, "/path" keeps the origin, and any
// other relative reference replaces the last path segment.
std::string resolve_location(std::string_view base_url, std::string_view location);

}  // namespace kernels::hub
