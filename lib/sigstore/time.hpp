// Times as a verifier compares them: Unix seconds (UTC). RFC 3339 strings
// from the trusted root ("2021-01-12T11:53:27Z", fractions allowed) are
// parsed strictly; a fraction is kept as nanoseconds so that closed
// intervals compare exactly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kernels::sigstore {

struct Timestamp {
  std::int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
  std::int32_t nanos = 0;    // 0..999999999
  friend bool operator<(const Timestamp& a, const Timestamp& b) {
    return a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos;
  }
  friend bool operator<=(const Timestamp& a, const Timestamp& b) { return !(b < a); }
  friend bool operator==(const Timestamp& a, const Timestamp& b) = default;
};

// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)". Error code "parse".
Result<Timestamp> parse_rfc3339(std::string_view text);
std::string format_rfc3339(std::int64_t seconds);  // "2024-03-19T17:26:26Z"

// Days since the epoch for a proleptic Gregorian date (no validation).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

}  // namespace kernels::sigstore
