#include "hub/retry.hpp"

#include <algorithm>
#include <cctype>

namespace kernels::hub {

bool retryable_status(long status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, std::mt19937_64& rng) {
  long long d = policy.base_delay.count();
  for (int i = 0; i < retry && d < policy.max_delay.count(); ++i) d *= 2;
  d = std::min<long long>(d, policy.max_delay.count());
  if (d <= 1) return std::chrono::milliseconds(d);
  std::uniform_int_distribution<long long> jitter(d / 2, d);
  return std::chrono::milliseconds(jitter(rng));
}

std::optional<std::chrono::seconds> parse_retry_after(const std::string& value) {
  std::string v = value;
  v.erase(std::remove_if(v.begin(), v.end(), [](unsigned char c) { return std::isspace(c); }), v.end());
  if (v.empty() || v.size() > 9) return std::nullopt;
  if (!std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) return std::nullopt;
  return std::chrono::seconds(std::stol(v));
}

}  // namespace kernels::hub
