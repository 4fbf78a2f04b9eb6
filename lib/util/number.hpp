// Decimal numbers from untrusted text (headers, variant names, probe output):
// digits only, no sign or spaces, and nullopt instead of an exception when the
// value does not fit (std::stoi threw out_of_range on "cu99999999999").
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kernels {

template <class T>
std::optional<T> parse_decimal(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace kernels
