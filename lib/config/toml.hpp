// A TOML 1.0 reader that keeps what a checker needs and general-purpose
// readers drop: the source position of every key and value, and source order
// of the keys in every table. Nesting depth is bounded (no stack exhaustion on
// hostile input); the first syntax error stops the parse and carries a
// position and an explanation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace kernels::toml {

// 1-based line and column; the column counts Unicode code points.
struct Pos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

enum class Type { String, Integer, Float, Boolean, OffsetDateTime, LocalDateTime, LocalDate, LocalTime, Array, Table };

// How a table came to be; decides what may extend it later (TOML 1.0 §Table).
enum class TableKind {
  Root,
  Header,          // [a.b]
  ImplicitHeader,  // `a` of [a.b] before [a] itself appears
  Dotted,          // a.b = 1 creates table `a`
  Inline,          // { ... }: closed once written
  ArrayElement,    // one [[a]] element
};

struct Entry;

struct Value {
  Type type = Type::Table;
  Pos pos;                   // where the value starts (a header table: its '[')
  std::string text;          // String: the decoded string; Float and date-times: the source text
  std::int64_t integer = 0;  // Integer
  double number = 0;         // Float
  bool boolean = false;      // Boolean
  std::vector<Value> array;  // Array
  std::vector<Entry> table;  // Table, in source order
  TableKind table_kind = TableKind::Root;
  bool array_of_tables = false;  // an Array made by [[...]] (may be extended by [[...]])

  bool is_table() const { return type == Type::Table; }
  bool is_array() const { return type == Type::Array; }
  bool is_string() const { return type == Type::String; }
  // The value of `key` in a table, or nullptr.
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);

  // Index of table entries by key; maintained by the reader.
  std::unordered_map<std::string, std::size_t> index;
};

struct Entry {
  std::string key;
  Pos key_pos;
  Value value;
};

struct SyntaxError {
  Pos pos;
  std::string message;
};

// Limits that keep hostile input harmless.
inline constexpr std::size_t kMaxNesting = 64;  // arrays/inline tables inside each other, keys in a dotted key

// Parses a whole document. `text` must be valid UTF-8 (checked first by the caller or here).
std::variant<Value, SyntaxError> parse(std::string_view text);

// A TOML type's name for messages: "string", "integer", "float", "boolean", "date-time", ..., "array", "table".
std::string type_name(Type type);

}  // namespace kernels::toml
