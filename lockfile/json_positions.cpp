#include "lockfile/json_positions.hpp"

#include <nlohmann/json.hpp>

namespace kernels::lockfile::detail {
namespace {

class Scanner {
 public:
  Scanner(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  JsonPosition value(int depth) {
    skip_ws();
    JsonPosition pos;
    pos.offset = i_;
    if (i_ >= text_.size()) return pos;
    char c = text_[i_];
    if ((c == '{' || c == '[') && depth >= max_depth_) {
      skip_container();
    } else if (c == '{') {
      ++i_;
      while (next_is_not('}')) {
        std::size_t key_start = i_;
        std::string key = string_token();
        skip_ws();
        if (i_ < text_.size()) ++i_;  // ':'
        JsonPosition child = value(depth + 1);
        child.key_offset = key_start;
        pos.members.emplace_back(std::move(key), std::move(child));
      }
    } else if (c == '[') {
      ++i_;
      while (next_is_not(']')) pos.elements.push_back(value(depth + 1));
    } else if (c == '"') {
      string_token();
    } else {
      while (i_ < text_.size() && std::string_view(",]} \t\r\n").find(text_[i_]) == std::string_view::npos) ++i_;
    }
    return pos;
  }

 private:
  void skip_ws() {
    while (i_ < text_.size() && (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\r' || text_[i_] == '\n')) ++i_;
  }

  // Inside a container: skips a ',' and answers whether another item follows;
  // consumes the closing bracket when it does not.
  bool next_is_not(char close) {
    skip_ws();
    if (i_ < text_.size() && text_[i_] == ',') ++i_;
    skip_ws();
    if (i_ >= text_.size()) return false;
    if (text_[i_] == close) {
      ++i_;
      return false;
    }
    return true;
  }

  // Reads a string token at i_ and returns its decoded value.
  std::string string_token() {
    std::size_t start = i_;
    bool escaped = false;
    ++i_;
    while (i_ < text_.size() && text_[i_] != '"') {
      if (text_[i_] == '\\') {
        escaped = true;
        ++i_;
      }
      ++i_;
    }
    ++i_;
    std::string_view token = text_.substr(start, std::min(i_, text_.size()) - start);
    if (!escaped) return std::string(token.substr(1, token.size() >= 2 ? token.size() - 2 : 0));
    try {
      return nlohmann::json::parse(token).get<std::string>();
    } catch (const nlohmann::json::exception&) {
      return std::string(token);
    }
  }

  // Skips a whole object or array without recursion.
  void skip_container() {
    std::size_t depth = 0;
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (c == '"') {
        string_token();
        continue;
      }
      ++i_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return;
    }
  }

  std::string_view text_;
  int max_depth_;
  std::size_t i_ = 0;
};

}  // namespace

const JsonPosition* JsonPosition::element(std::size_t index) const {
  return index < elements.size() ? &elements[index] : nullptr;
}

const JsonPosition* JsonPosition::member(std::string_view key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    if (it->first == key) return &it->second;
  return nullptr;
}

JsonPosition locate_json(std::string_view text, int max_depth) { return Scanner(text, max_depth).value(0); }

std::string line_column(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

}  // namespace kernels::lockfile::detail
