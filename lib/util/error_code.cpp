#include "util/error_code.hpp"

#include <array>

namespace kernels {
namespace {

struct Row {
  std::string_view name;
  std::string_view meaning;
};

constexpr std::array kRows{
#define KERNELS_ERROR_CODE_ROW(e, name, meaning) Row{name, meaning},
    KERNELS_ERROR_CODES(KERNELS_ERROR_CODE_ROW)
#undef KERNELS_ERROR_CODE_ROW
};

}  // namespace

std::size_t error_code_count() { return kRows.size(); }

std::string_view error_code_name(ErrorCode code) { return kRows[static_cast<std::size_t>(code)].name; }

std::string_view error_code_meaning(ErrorCode code) { return kRows[static_cast<std::size_t>(code)].meaning; }

std::optional<ErrorCode> find_error_code(std::string_view name) {
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    if (kRows[i].name == name) return static_cast<ErrorCode>(i);
  }
  return std::nullopt;
}

}  // namespace kernels
