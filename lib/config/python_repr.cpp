#include "config/python_repr.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace kernels::config {

std::string python_repr(const std::string& s) {
  bool has_single = s.find('\'') != std::string::npos;
  bool has_double = s.find('"') != std::string::npos;
  char q = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == q || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += q;
  return out;
}

namespace {

// Python's repr(float): shortest round-trip digits, positional for
// 1e-4 <= |x| < 1e16, otherwise scientific with at least two exponent digits.
std::string python_float(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  auto epos = sci.find('e');
  std::string mant = sci.substr(0, epos);
  int exp = std::stoi(sci.substr(epos + 1));
  bool neg = !mant.empty() && mant[0] == '-';
  if (neg) mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  std::string out = neg ? "-" : "";
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      std::string ip = digits.substr(0, std::min<std::size_t>(digits.size(), static_cast<std::size_t>(exp) + 1));
      while (ip.size() < static_cast<std::size_t>(exp) + 1) ip += '0';
      std::string fp =
          digits.size() > static_cast<std::size_t>(exp) + 1 ? digits.substr(static_cast<std::size_t>(exp) + 1) : "0";
      out += ip + "." + fp;
    } else {
      out += "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  return out + ebuf;
}

std::string render(const toml::Value& v, bool repr) {
  using toml::Type;
  switch (v.type) {
    case Type::String: return repr ? python_repr(v.text) : v.text;
    case Type::Integer: return std::to_string(v.integer);
    case Type::Float: return python_float(v.number);
    case Type::Boolean: return v.boolean ? "True" : "False";
    case Type::OffsetDateTime:
    case Type::LocalDateTime:
    case Type::LocalDate:
    case Type::LocalTime: return v.text;
    case Type::Array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.array.size(); ++i) {
        if (i) out += ", ";
        out += render(v.array[i], true);
      }
      return out + "]";
    }
    case Type::Table: {
      std::string out = "{";
      for (std::size_t i = 0; i < v.table.size(); ++i) {
        if (i) out += ", ";
        out += python_repr(v.table[i].key) + ": " + render(v.table[i].value, true);
      }
      return out + "}";
    }
  }
  return "";
}

}  // namespace

std::string python_str(const toml::Value& v) { return render(v, false); }
std::string python_repr(const toml::Value& v) { return render(v, true); }

std::string python_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += python_repr(items[i]);
  }
  return out + "]";
}

std::string python_type(const toml::Value& v) {
  using toml::Type;
  const char* name = "object";
  switch (v.type) {
    case Type::String: name = "str"; break;
    case Type::Integer: name = "int"; break;
    case Type::Float: name = "float"; break;
    case Type::Boolean: name = "bool"; break;
    case Type::OffsetDateTime:
    case Type::LocalDateTime: name = "datetime.datetime"; break;
    case Type::LocalDate: name = "datetime.date"; break;
    case Type::LocalTime: name = "datetime.time"; break;
    case Type::Array: name = "list"; break;
    case Type::Table: name = "dict"; break;
  }
  return std::string("<class '") + name + "'>";
}

}  // namespace kernels::config
