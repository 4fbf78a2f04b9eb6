// When to try a Hub request again, and how long to wait first.
#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <string>

namespace kernels::hub {

struct RetryPolicy {
  int max_retries = 5;                         // attempts = max_retries + 1
  std::chrono::milliseconds base_delay{1000};  // 1, 2, 4, 8, 8 s (before jitter)
  std::chrono::milliseconds max_delay{8000};
  std::chrono::milliseconds deadline{60000};  // no retry starts past this, counted from the first attempt
};

// 408, 429, 500, 502, 503, 504: the statuses huggingface_hub retries.
bool retryable_status(long status);

// The wait before retry number `retry` (0-based): exponential from
// base_delay, capped at max_delay, with jitter drawn from [d/2, d].
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, std::mt19937_64& rng);

// A Retry-After header in integer seconds; nullopt for anything else
// (HTTP dates are ignored, as huggingface_hub does).
std::optional<std::chrono::seconds> parse_retry_after(const std::string& value);

}  // namespace kernels::hub
