#include "config/toml.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "util/utf8.hpp"

namespace kernels::toml {

const Value* Value::find(std::string_view key) const {
  auto it = index.find(std::string(key));
  return it == index.end() ? nullptr : &table[it->second].value;
}

Value* Value::find(std::string_view key) {
  auto it = index.find(std::string(key));
  return it == index.end() ? nullptr : &table[it->second].value;
}

std::string type_name(Type type) {
  switch (type) {
    case Type::String: return "string";
    case Type::Integer: return "integer";
    case Type::Float: return "float";
    case Type::Boolean: return "boolean";
    case Type::OffsetDateTime: return "offset date-time";
    case Type::LocalDateTime: return "local date-time";
    case Type::LocalDate: return "local date";
    case Type::LocalTime: return "local time";
    case Type::Array: return "array";
    case Type::Table: return "table";
  }
  return "value";
}

namespace {

// "a table", "an integer", ...
std::string a_type(Type t) {
  std::string name = type_name(t);
  bool vowel = name[0] == 'a' || name[0] == 'e' || name[0] == 'i' || name[0] == 'o' || name[0] == 'u';
  return (vowel ? "an " : "a ") + name;
}

struct Failure {
  SyntaxError error;
};

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string describe_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (c == '\n') return "end of line";
  if (c == '\r') return "carriage return";
  if (c == '\t') return "tab";
  if (u < 0x20 || u == 0x7F) {
    static const char* hex = "0123456789ABCDEF";
    return std::string("control character U+00") + hex[u >> 4] + hex[u & 15];
  }
  if (u >= 0x80) return "non-ASCII character";
  return std::string("'") + c + "'";
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Value run() {
    Value root;
    root.type = Type::Table;
    root.table_kind = TableKind::Root;
    root.pos = {1, 1};
    if (starts("\xEF\xBB\xBF")) {  // a UTF-8 byte order mark: not part of the document
      i_ = 3;
      line_start_ = 3;
    }
    Value* current = &root;
    while (true) {
      skip_ws();
      if (eof()) break;
      char c = peek();
      if (c == '#') {
        skip_comment();
      } else if (c == '\n' || c == '\r') {
        newline();
        continue;
      } else if (c == '[') {
        current = header(root);
      } else {
        key_value(*current, 0);
      }
      end_of_line();
    }
    return root;
  }

  Pos here() {
    // Column = code points from the start of the line, computed incrementally.
    if (col_cache_line_ != line_ || col_cache_off_ > i_) {
      col_cache_line_ = line_;
      col_cache_off_ = line_start_;
      col_cache_col_ = 1;
    }
    col_cache_col_ += utf8_length(s_.substr(col_cache_off_, i_ - col_cache_off_));
    col_cache_off_ = i_;
    return Pos{line_, static_cast<std::uint32_t>(col_cache_col_)};
  }

 private:
  [[noreturn]] void fail(const std::string& message) { throw Failure{{here(), message}}; }
  [[noreturn]] void fail_at(Pos pos, const std::string& message) { throw Failure{{pos, message}}; }

  bool eof() const { return i_ >= s_.size(); }
  char peek(std::size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  bool starts(std::string_view p) const { return s_.substr(i_, p.size()) == p; }

  void skip_ws() {
    while (!eof() && (peek() == ' ' || peek() == '\t')) ++i_;
  }

  void newline() {
    if (peek() == '\r') {
      if (peek(1) != '\n') fail("a carriage return must be followed by a line feed");
      ++i_;
    }
    ++i_;
    ++line_;
    line_start_ = i_;
  }

  void skip_comment() {
    ++i_;  // '#'
    while (!eof() && peek() != '\n') {
      auto u = static_cast<unsigned char>(peek());
      if (peek() == '\r' && peek(1) == '\n') break;
      if ((u < 0x20 && u != '\t') || u == 0x7F) fail(describe_char(peek()) + " is not allowed in a comment");
      ++i_;
    }
  }

  // After a key/value pair or a header: only whitespace and a comment until the end of the line.
  void end_of_line() {
    skip_ws();
    if (eof()) return;
    if (peek() == '#') skip_comment();
    if (eof()) return;
    if (peek() == '\n' || peek() == '\r') {
      newline();
      return;
    }
    fail("expected the end of the line, found " + describe_char(peek()));
  }

  // Whitespace, newlines and comments (inside arrays).
  void skip_ws_nl_comments() {
    while (!eof()) {
      char c = peek();
      if (c == ' ' || c == '\t') {
        ++i_;
      } else if (c == '\n' || c == '\r') {
        newline();
      } else if (c == '#') {
        skip_comment();
      } else {
        break;
      }
    }
  }

  struct Key {
    std::string name;
    Pos pos;
  };

  std::vector<Key> dotted_key() {
    std::vector<Key> keys;
    while (true) {
      skip_ws();
      if (keys.size() >= kMaxNesting) fail("a dotted key with more than " + std::to_string(kMaxNesting) + " parts");
      keys.push_back(simple_key());
      skip_ws();
      if (peek() != '.') break;
      ++i_;
    }
    return keys;
  }

  Key simple_key() {
    Key k;
    k.pos = here();
    char c = peek();
    if (c == '"') {
      if (starts("\"\"\"")) fail("a key cannot be a multi-line string");
      k.name = line_string('"');
    } else if (c == '\'') {
      if (starts("'''")) fail("a key cannot be a multi-line string");
      k.name = line_string('\'');
    } else if (is_bare_key_char(c)) {
      std::size_t b = i_;
      while (!eof() && is_bare_key_char(peek())) ++i_;
      k.name = std::string(s_.substr(b, i_ - b));
    } else if (eof() || c == '\n' || c == '\r') {
      fail("expected a key, found the end of the line");
    } else {
      fail("expected a key (letters, digits, '_', '-', or a quoted string), found " + describe_char(c));
    }
    return k;
  }

  static std::string dotted_name(const std::vector<Key>& keys, std::size_t upto) {
    std::string out;
    for (std::size_t k = 0; k <= upto && k < keys.size(); ++k) {
      if (k) out += '.';
      out += keys[k].name;
    }
    return out;
  }

  static Value& add_entry(Value& table, const std::string& key, Pos key_pos, Value value) {
    table.index.emplace(key, table.table.size());
    table.table.push_back(Entry{key, key_pos, std::move(value)});
    return table.table.back().value;
  }

  static Value new_table(TableKind kind, Pos pos) {
    Value v;
    v.type = Type::Table;
    v.table_kind = kind;
    v.pos = pos;
    return v;
  }

  Value* header(Value& root) {
    Pos open = here();
    bool array = starts("[[");
    i_ += array ? 2 : 1;
    auto keys = dotted_key();
    if (array) {
      if (!starts("]]")) fail("expected ']]' to close the array-of-tables header");
      i_ += 2;
    } else {
      if (peek() != ']') fail("expected ']' to close the table header");
      ++i_;
    }
    Value* t = &root;
    for (std::size_t k = 0; k + 1 < keys.size(); ++k) {
      Value* next = t->find(keys[k].name);
      if (!next) {
        next = &add_entry(*t, keys[k].name, keys[k].pos, new_table(TableKind::ImplicitHeader, keys[k].pos));
      } else if (next->is_array() && next->array_of_tables) {
        next = &next->array.back();
      } else if (!next->is_table()) {
        fail_at(keys[k].pos, "'" + dotted_name(keys, k) + "' is already " + a_type(next->type) + ", not a table");
      } else if (next->table_kind == TableKind::Inline) {
        fail_at(keys[k].pos, "cannot extend the inline table '" + dotted_name(keys, k) + "'");
      }
      t = next;
    }
    const Key& last = keys.back();
    Value* existing = t->find(last.name);
    std::string name = dotted_name(keys, keys.size());
    if (array) {
      if (!existing) {
        Value arr;
        arr.type = Type::Array;
        arr.array_of_tables = true;
        arr.pos = open;
        existing = &add_entry(*t, last.name, last.pos, std::move(arr));
      } else if (!(existing->is_array() && existing->array_of_tables)) {
        fail_at(last.pos, "'" + name + "' is already " +
                              (existing->is_array() ? std::string("a static array") : a_type(existing->type)) +
                              ", it cannot be an array of tables");
      }
      existing->array.push_back(new_table(TableKind::ArrayElement, open));
      return &existing->array.back();
    }
    if (!existing) return &add_entry(*t, last.name, last.pos, new_table(TableKind::Header, open));
    if (existing->is_table() && existing->table_kind == TableKind::ImplicitHeader) {
      existing->table_kind = TableKind::Header;
      existing->pos = open;
      return existing;
    }
    if (existing->is_table()) fail_at(last.pos, "table '" + name + "' is defined more than once");
    fail_at(last.pos, "'" + name + "' is already " + a_type(existing->type) + ", not a table");
  }

  void key_value(Value& table, std::size_t depth) {
    auto keys = dotted_key();
    if (peek() != '=') {
      if (eof() || peek() == '\n' || peek() == '\r')
        fail("expected '=' after the key '" + dotted_name(keys, keys.size()) + "'");
      fail("expected '=' after the key '" + dotted_name(keys, keys.size()) + "', found " + describe_char(peek()));
    }
    ++i_;
    skip_ws();
    Value* t = &table;
    for (std::size_t k = 0; k + 1 < keys.size(); ++k) {
      Value* next = t->find(keys[k].name);
      if (!next) {
        next = &add_entry(*t, keys[k].name, keys[k].pos, new_table(TableKind::Dotted, keys[k].pos));
      } else if (!next->is_table()) {
        fail_at(keys[k].pos, "'" + dotted_name(keys, k) + "' is already " + a_type(next->type) + ", not a table");
      } else if (next->table_kind != TableKind::Dotted) {
        fail_at(keys[k].pos,
                "table '" + dotted_name(keys, k) + "' is already defined; dotted keys cannot extend it here");
      }
      t = next;
    }
    const Key& last = keys.back();
    if (t->find(last.name)) fail_at(last.pos, "duplicate key '" + dotted_name(keys, keys.size()) + "'");
    Value v = value(depth);
    add_entry(*t, last.name, last.pos, std::move(v));
  }

  Value value(std::size_t depth) {
    Value v;
    v.pos = here();
    if (eof() || peek() == '\n' || peek() == '\r' || peek() == '#') fail("expected a value after '='");
    char c = peek();
    if (c == '"' || c == '\'') {
      v.type = Type::String;
      if (starts("\"\"\"")) v.text = ml_string('"');
      else if (starts("'''")) v.text = ml_string('\'');
      else if (c == '"') v.text = line_string('"');
      else v.text = line_string('\'');
    } else if (starts("true") && !is_bare_key_char(peek(4))) {
      v.type = Type::Boolean;
      v.boolean = true;
      i_ += 4;
    } else if (starts("false") && !is_bare_key_char(peek(5))) {
      v.type = Type::Boolean;
      i_ += 5;
    } else if (c == '[') {
      array(v, depth + 1);
    } else if (c == '{') {
      inline_table(v, depth + 1);
    } else if (is_digit(c) || c == '+' || c == '-' || c == 'i' || c == 'n') {
      number_or_date(v);
    } else {
      fail("expected a value (string, number, boolean, date, array or inline table), found " + describe_char(c));
    }
    return v;
  }

  void check_depth(std::size_t depth) {
    if (depth > kMaxNesting) fail("arrays and inline tables nested more than " + std::to_string(kMaxNesting) + " deep");
  }

  void array(Value& v, std::size_t depth) {
    check_depth(depth);
    v.type = Type::Array;
    ++i_;  // '['
    while (true) {
      skip_ws_nl_comments();
      if (eof()) fail_at(v.pos, "unterminated array: no ']' before the end of the file");
      if (peek() == ']') {
        ++i_;
        return;
      }
      v.array.push_back(value(depth));
      skip_ws_nl_comments();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() == ']') {
        ++i_;
        return;
      }
      if (eof()) fail_at(v.pos, "unterminated array: no ']' before the end of the file");
      fail("expected ',' or ']' in the array, found " + describe_char(peek()));
    }
  }

  static void freeze(Value& t) {
    t.table_kind = TableKind::Inline;
    for (auto& e : t.table)
      if (e.value.is_table() && e.value.table_kind == TableKind::Dotted) freeze(e.value);
  }

  void inline_table(Value& v, std::size_t depth) {
    check_depth(depth);
    v.type = Type::Table;
    v.table_kind = TableKind::Dotted;  // dotted keys inside may extend it while it is open
    ++i_;                              // '{'
    skip_ws();
    if (peek() == '}') {
      ++i_;
      freeze(v);
      return;
    }
    while (true) {
      skip_ws();
      if (eof() || peek() == '\n' || peek() == '\r')
        fail("an inline table must be on one line (no newline before its '}')");
      key_value(v, depth);
      skip_ws();
      if (peek() == ',') {
        ++i_;
        skip_ws();
        if (peek() == '}') fail("no trailing comma is allowed in an inline table");
        continue;
      }
      if (peek() == '}') {
        ++i_;
        freeze(v);
        return;
      }
      if (eof() || peek() == '\n' || peek() == '\r')
        fail("an inline table must be on one line (no newline before its '}')");
      fail("expected ',' or '}' in the inline table, found " + describe_char(peek()));
    }
  }

  void check_string_char(bool multiline) {
    auto u = static_cast<unsigned char>(peek());
    if (u == '\t') return;
    if (multiline && (u == '\n' || u == '\r')) return;
    if (u == '\n' || u == '\r') fail("unterminated string: a single-line string ends at the end of the line");
    if (u < 0x20 || u == 0x7F) fail(describe_char(peek()) + " must be escaped in a string");
  }

  void escape(std::string& out, bool multiline) {
    Pos at = here();
    ++i_;  // backslash
    char c = peek();
    switch (c) {
      case 'b':
        out += '\b';
        ++i_;
        return;
      case 't':
        out += '\t';
        ++i_;
        return;
      case 'n':
        out += '\n';
        ++i_;
        return;
      case 'f':
        out += '\f';
        ++i_;
        return;
      case 'r':
        out += '\r';
        ++i_;
        return;
      case '"':
        out += '"';
        ++i_;
        return;
      case '\\':
        out += '\\';
        ++i_;
        return;
      case 'u':
      case 'U': {
        std::size_t len = c == 'u' ? 4 : 8;
        ++i_;
        std::uint32_t cp = 0;
        for (std::size_t k = 0; k < len; ++k) {
          char h = peek();
          if (!is_hex(h)) fail_at(at, std::string("\\") + c + " needs exactly " + std::to_string(len) + " hex digits");
          cp = cp * 16 + static_cast<std::uint32_t>(is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
          ++i_;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail_at(at, "escape is not a Unicode scalar value");
        append_utf8(out, cp);
        return;
      }
      default:
        if (multiline && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
          // Line-ending backslash: trim whitespace and newlines up to the next non-blank.
          std::size_t save = i_;
          while (peek() == ' ' || peek() == '\t') ++i_;
          if (peek() != '\n' && peek() != '\r') {
            i_ = save;
            fail_at(at, "a backslash followed by spaces must end the line in a multi-line string");
          }
          while (!eof() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
            if (peek() == '\n' || peek() == '\r') newline();
            else ++i_;
          }
          return;
        }
        fail_at(at, "invalid escape sequence '\\" + (eof() ? std::string() : std::string(1, c)) +
                        "' (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)");
    }
  }

  // A single-line string, basic ('"', escapes) or literal ("'", none).
  std::string line_string(char quote) {
    const bool escapes = quote == '"';
    Pos open = here();
    ++i_;
    std::string out;
    while (true) {
      if (eof()) fail_at(open, "unterminated string");
      char c = peek();
      if (c == quote) {
        ++i_;
        return out;
      }
      if (escapes && c == '\\') {
        escape(out, false);
        continue;
      }
      if (c == '\n' || c == '\r')
        fail_at(open, "unterminated string: a single-line string ends at the end of the line");
      check_string_char(false);
      out += c;
      ++i_;
    }
  }

  // A multi-line string, basic ('"""', escapes) or literal ("'''", none).
  std::string ml_string(char quote) {
    const std::string delimiter(3, quote);
    const bool escapes = quote == '"';
    Pos open = here();
    i_ += 3;
    if (peek() == '\n' || peek() == '\r') newline();
    std::string out;
    while (true) {
      if (eof()) fail_at(open, "unterminated multi-line string");
      char c = peek();
      if (starts(delimiter)) {
        // Up to two quotes may precede the closing delimiter.
        std::size_t extra = 0;
        while (extra < 2 && peek(3 + extra) == quote) ++extra;
        out.append(extra, quote);
        i_ += 3 + extra;
        return out;
      }
      if (escapes && c == '\\') {
        escape(out, true);
        continue;
      }
      if (c == '\n' || c == '\r') {
        newline();
        out += '\n';
        continue;
      }
      check_string_char(true);
      out += c;
      ++i_;
    }
  }

  // Digits with single underscores between them; returns them without underscores.
  std::string digits(bool (*ok)(char), const char* what) {
    std::string out;
    bool prev_underscore = true;  // no leading underscore
    while (!eof() && (ok(peek()) || peek() == '_')) {
      if (peek() == '_') {
        if (prev_underscore) fail(std::string("an underscore in ") + what + " must be between two digits");
        prev_underscore = true;
      } else {
        out += peek();
        prev_underscore = false;
      }
      ++i_;
    }
    if (out.empty()) fail(std::string("expected digits in ") + what);
    if (prev_underscore) fail(std::string("an underscore in ") + what + " must be between two digits");
    return out;
  }

  static bool dec(char c) { return is_digit(c); }
  static bool hex(char c) { return is_hex(c); }
  static bool oct(char c) { return c >= '0' && c <= '7'; }
  static bool bin(char c) { return c == '0' || c == '1'; }

  bool looks_like_date() const {
    return is_digit(peek()) && is_digit(peek(1)) && is_digit(peek(2)) && is_digit(peek(3)) && peek(4) == '-';
  }
  bool looks_like_time() const { return is_digit(peek()) && is_digit(peek(1)) && peek(2) == ':'; }

  int two_digits(const char* what) {
    if (!is_digit(peek()) || !is_digit(peek(1))) fail(std::string("expected two digits for the ") + what);
    int v = (peek() - '0') * 10 + (peek(1) - '0');
    i_ += 2;
    return v;
  }

  void time_part(Pos start) {
    int h = two_digits("hour");
    if (peek() != ':') fail("expected ':' in the time");
    ++i_;
    int m = two_digits("minute");
    if (peek() != ':') fail("expected ':' and seconds in the time (HH:MM:SS)");
    ++i_;
    int sec = two_digits("second");
    if (h > 23 || m > 59 || sec > 60) fail_at(start, "time out of range");
    if (peek() == '.') {
      ++i_;
      if (!is_digit(peek())) fail("expected digits after '.' in the time");
      while (is_digit(peek())) ++i_;
    }
  }

  void number_or_date(Value& v) {
    std::size_t begin = i_;
    Pos start = here();
    if (looks_like_date()) {
      int y = (peek() - '0') * 1000 + (peek(1) - '0') * 100 + (peek(2) - '0') * 10 + (peek(3) - '0');
      i_ += 5;
      int mo = two_digits("month");
      if (peek() != '-') fail("expected '-' in the date (YYYY-MM-DD)");
      ++i_;
      int d = two_digits("day");
      static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] + (mo == 2 && leap ? 1 : 0))
        fail_at(start, "date out of range");
      v.type = Type::LocalDate;
      bool has_time = (peek() == 'T' || peek() == 't') ||
                      (peek() == ' ' && is_digit(peek(1)) && is_digit(peek(2)) && peek(3) == ':');
      if (has_time) {
        ++i_;
        time_part(start);
        v.type = Type::LocalDateTime;
        if (peek() == 'Z' || peek() == 'z') {
          ++i_;
          v.type = Type::OffsetDateTime;
        } else if (peek() == '+' || peek() == '-') {
          ++i_;
          int oh = two_digits("offset hour");
          if (peek() != ':') fail("expected ':' in the time offset");
          ++i_;
          int om = two_digits("offset minute");
          if (oh > 23 || om > 59) fail_at(start, "time offset out of range");
          v.type = Type::OffsetDateTime;
        }
      }
      v.text = std::string(s_.substr(begin, i_ - begin));
      return;
    }
    if (looks_like_time()) {
      time_part(start);
      v.type = Type::LocalTime;
      v.text = std::string(s_.substr(begin, i_ - begin));
      return;
    }
    bool negative = false;
    bool signed_ = false;
    if (peek() == '+' || peek() == '-') {
      negative = peek() == '-';
      signed_ = true;
      ++i_;
    }
    if (starts("inf") || starts("nan")) {
      bool inf = starts("inf");
      i_ += 3;
      v.type = Type::Float;
      v.number = inf ? (negative ? -HUGE_VAL : HUGE_VAL) : std::nan("");
      v.text = std::string(s_.substr(begin, i_ - begin));
      return;
    }
    if (!is_digit(peek())) fail_at(start, "expected a number");
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'o' || peek(1) == 'b')) {
      if (signed_) fail_at(start, "hexadecimal, octal and binary integers cannot have a sign");
      char base = peek(1);
      i_ += 2;
      std::string ds = base == 'x'   ? digits(hex, "a hexadecimal integer")
                       : base == 'o' ? digits(oct, "an octal integer")
                                     : digits(bin, "a binary integer");
      int radix = base == 'x' ? 16 : base == 'o' ? 8 : 2;
      std::uint64_t u = 0;
      auto [p, ec] = std::from_chars(ds.data(), ds.data() + ds.size(), u, radix);
      if (ec != std::errc() || p != ds.data() + ds.size() || u > static_cast<std::uint64_t>(INT64_MAX))
        fail_at(start, "integer out of range (a TOML integer is a signed 64-bit number)");
      v.type = Type::Integer;
      v.integer = static_cast<std::int64_t>(u);
      return;
    }
    std::string int_part = digits(dec, "a number");
    if (int_part.size() > 1 && int_part[0] == '0') fail_at(start, "leading zeros are not allowed in a number");
    bool is_float = false;
    std::string literal = (negative ? "-" : "") + int_part;
    if (peek() == '.') {
      ++i_;
      if (!is_digit(peek())) fail("expected digits after the decimal point");
      literal += "." + digits(dec, "a fraction");
      is_float = true;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++i_;
      literal += 'e';
      if (peek() == '+' || peek() == '-') {
        literal += peek();
        ++i_;
      }
      literal += digits(dec, "an exponent");
      is_float = true;
    }
    if (is_bare_key_char(peek()) || peek() == '.' || peek() == ':')
      fail("invalid character " + describe_char(peek()) + " in a number");
    if (is_float) {
      v.type = Type::Float;
      v.number = std::strtod(literal.c_str(), nullptr);
      v.text = std::string(s_.substr(begin, i_ - begin));
      return;
    }
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), n);
    if (ec != std::errc() || p != literal.data() + literal.size())
      fail_at(start, "integer out of range (a TOML integer is a signed 64-bit number)");
    v.type = Type::Integer;
    v.integer = n;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  std::uint32_t col_cache_line_ = 0;
  std::size_t col_cache_off_ = 0;
  std::size_t col_cache_col_ = 1;
};

}  // namespace

std::variant<Value, SyntaxError> parse(std::string_view text) {
  if (auto bad = find_invalid_utf8(text)) {
    // Position of the offending byte: count lines and code points before it.
    std::uint32_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t k = 0; k < *bad; ++k)
      if (text[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    auto col = static_cast<std::uint32_t>(utf8_length(text.substr(line_start, *bad - line_start)) + 1);
    return SyntaxError{{line, col}, "invalid UTF-8 (a TOML file must be UTF-8 encoded)"};
  }
  Parser p(text);
  try {
    return p.run();
  } catch (const Failure& f) {
    return f.error;
  }
}

}  // namespace kernels::toml
