#include "lockfile/serde_json.hpp"

#include "util/utf8.hpp"

namespace kernels::lockfile {

Result<std::string> serde_json_string(std::string_view text) {
  if (auto bad = find_invalid_utf8(text))
    return Error{ErrorCode::utf8, "not valid UTF-8 at byte " + std::to_string(*bad) + " of \"" +
                                      std::string(text.substr(0, *bad)) + "...\""};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (byte) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0xF]);
        } else {
          out.push_back(c);  // UTF-8 continuation and lead bytes included: valid, checked above
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace kernels::lockfile
