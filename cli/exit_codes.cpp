#include "cli/exit_codes.hpp"

namespace kernels::cli {

// No default: a code added to util/error_code.hpp without a line here does
// not compile (-Wswitch, an error in the developer build).
int exit_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::repo_not_found:
    case ErrorCode::revision_not_found:
    case ErrorCode::entry_not_found:
    case ErrorCode::version_not_found:
    case ErrorCode::not_locked:
    case ErrorCode::gated_repo:
    case ErrorCode::unauthorized:
    case ErrorCode::forbidden:
    case ErrorCode::offline:
    case ErrorCode::cycle:
    case ErrorCode::no_variant:
    case ErrorCode::hash_mismatch:
    case ErrorCode::digest:
    case ErrorCode::signature:
    case ErrorCode::certificate:
    case ErrorCode::policy:
    case ErrorCode::tlog:
    case ErrorCode::checkpoint:
    case ErrorCode::inclusion_proof:
    case ErrorCode::set:
    case ErrorCode::sct:
    case ErrorCode::timestamp:
    case ErrorCode::rekor_body:
    case ErrorCode::time:
    case ErrorCode::kernel_call: return kExitProblems;
    case ErrorCode::io:
    case ErrorCode::usage:
    case ErrorCode::format:
    case ErrorCode::parse:
    case ErrorCode::utf8:
    case ErrorCode::encoding:
    case ErrorCode::duplicate:
    case ErrorCode::limit:
    case ErrorCode::internal:
    case ErrorCode::bad_path:
    case ErrorCode::spawn:
    case ErrorCode::network:
    case ErrorCode::connect:
    case ErrorCode::too_large:
    case ErrorCode::aborted:
    case ErrorCode::timeout:
    case ErrorCode::url:
    case ErrorCode::http:
    case ErrorCode::bad_status:
    case ErrorCode::bad_response:
    case ErrorCode::bad_cache:
    case ErrorCode::unsafe_cache:
    case ErrorCode::absent:
    case ErrorCode::rate_limited:
    case ErrorCode::server_error:
    case ErrorCode::metadata:
    case ErrorCode::variant:
    case ErrorCode::dependency:
    case ErrorCode::download:
    case ErrorCode::hash:
    case ErrorCode::key:
    case ErrorCode::trusted_root:
    case ErrorCode::unsupported:
    case ErrorCode::cuda:
    case ErrorCode::driver:
    case ErrorCode::no_device:
    case ErrorCode::no_cuda_build:
    case ErrorCode::memory:
    case ErrorCode::shape: return kExitUsage;
  }
  return kExitUsage;  // not a declared code: a cast from a wrong number
}

}  // namespace kernels::cli
