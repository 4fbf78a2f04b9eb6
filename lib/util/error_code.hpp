// The code of every Error that crosses a module edge: one enum for the whole
// tool, so that callers compare codes (e.code == ErrorCode::offline) instead of
// strings, and cli/exit_codes maps each code to an exit status in one switch.
// Each code has a stable name, the word JSON output and logs show (the Hub's
// own X-Error-Code names are kept as the Hub spells them), and a line saying
// what it means. A new code goes here, in cli/exit_codes.cpp (the compiler
// insists: the switch has no default) and in kernels(1), ERRORS.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace kernels {

// X(enumerator, name, meaning)
#define KERNELS_ERROR_CODES(X)                                                                      \
  X(io, "io", "a file or directory could not be read, written or listed")                           \
  X(usage, "usage", "an argument or option the command cannot use")                                 \
  X(format, "format", "a file or answer that is well-formed but not in the expected format")        \
  X(parse, "parse", "a file or answer that could not be parsed (TOML, JSON, a lockfile)")           \
  X(utf8, "utf8", "text that is not valid UTF-8 where UTF-8 is required")                           \
  X(encoding, "encoding", "base64, hex, PEM or DER that does not decode")                           \
  X(duplicate, "duplicate", "the same key or entry twice where it must be unique")                  \
  X(limit, "limit", "a size, depth or count past one of the documented limits")                     \
  X(internal, "internal", "a broken invariant: a bug in kernels")                                   \
  X(bad_path, "bad-path", "a path that is absolute, escapes its root or names something unsafe")    \
  X(spawn, "spawn", "a helper process (git, python) could not be started or failed")                \
  X(time, "time", "no verified signing time (no signed entry timestamp, no RFC 3161 timestamp)")    \
  X(network, "network", "the connection failed or broke mid-answer (retried)")                      \
  X(connect, "connect", "the host does not resolve or refuses connections")                         \
  X(too_large, "too-large", "an answer past its size cap")                                          \
  X(aborted, "aborted", "a transfer stopped by its own caller")                                     \
  X(timeout, "timeout", "the command's --timeout deadline passed")                                  \
  X(url, "url", "an unsupported scheme or a malformed URL")                                         \
  X(http, "http", "an HTTP failure status the other codes do not name")                             \
  X(bad_status, "bad-status", "a kernel-status.toml that is not valid or names a bad destination")  \
  X(bad_response, "bad-response", "a Hub answer that is not the documented shape")                  \
  X(offline, "offline", "offline (HF_HUB_OFFLINE, --offline) and the HF cache does not have it")    \
  X(bad_cache, "bad-cache", "an HF cache entry that is damaged or not what huggingface_hub writes") \
  X(unsafe_cache, "unsafe-cache", "an HF cache path that is a symlink or escapes the cache")        \
  X(absent, "absent", "an HF cache record that is not there")                                       \
  X(repo_not_found, "RepoNotFound", "the Hub has no such repository, or not for this token")        \
  X(revision_not_found, "RevisionNotFound", "the repository has no such branch, tag or commit")     \
  X(entry_not_found, "EntryNotFound", "the revision has no such file or folder")                    \
  X(version_not_found, "VersionNotFound", "no vN branch matches the requested version")             \
  X(not_locked, "not-locked", "a kernel the lockfile does not list")                                \
  X(gated_repo, "GatedRepo", "the repository is gated and its conditions are not accepted")         \
  X(unauthorized, "Unauthorized", "the Hub rejected the token")                                     \
  X(forbidden, "Forbidden", "the Hub refused access (403)")                                         \
  X(rate_limited, "RateLimited", "the Hub is rate-limiting (429)")                                  \
  X(server_error, "ServerError", "the Hub failed (5xx), after retries")                             \
  X(metadata, "metadata", "a build variant's metadata.json that is missing or wrong")               \
  X(variant, "variant", "a build variant name that does not follow the grammar")                    \
  X(no_variant, "no-variant", "no build variant of the kernel fits this system")                    \
  X(dependency, "dependency", "[tool.kernels.dependencies] that is missing or has bad entries")     \
  X(cycle, "cycle", "kernel dependencies that form a cycle")                                        \
  X(download, "download", "a locked file that could not be installed in the HF cache")              \
  X(hash, "hash", "a lock hash or file hash that could not be computed")                            \
  X(hash_mismatch, "hash-mismatch", "content whose hash differs from the locked hash")              \
  X(digest, "digest", "a kernel digest that is missing, malformed or does not match")               \
  X(signature, "signature", "a signature that does not verify")                                     \
  X(certificate, "certificate", "a signing certificate that fails the Fulcio chain or policy")      \
  X(key, "key", "a public key that cannot be used")                                                 \
  X(policy, "policy", "a signer identity that differs from the expected one")                       \
  X(trusted_root, "trusted_root", "a Sigstore trusted root that is missing or malformed")           \
  X(tlog, "tlog", "a transparency-log entry that is missing or does not match")                     \
  X(checkpoint, "checkpoint", "a Rekor checkpoint that does not verify")                            \
  X(inclusion_proof, "inclusion_proof", "a Rekor inclusion proof that does not verify")             \
  X(set, "set", "a Rekor signed entry timestamp that does not verify")                              \
  X(sct, "sct", "a certificate's signed certificate timestamp that does not verify")                \
  X(timestamp, "timestamp", "a signing time outside the certificate's validity")                    \
  X(rekor_body, "rekor_body", "a Rekor entry body that does not match the bundle")                  \
  X(unsupported, "unsupported", "a bundle, key or algorithm this version does not support")         \
  X(cuda, "cuda", "a CUDA runtime call failed")                                                     \
  X(driver, "driver", "the NVIDIA driver is missing or too old")                                    \
  X(no_device, "no-device", "no GPU of the requested kind is present")                              \
  X(no_cuda_build, "no-cuda-build", "this binary was built without CUDA")                           \
  X(memory, "memory", "a device or host allocation failed")                                         \
  X(shape, "shape", "a benchmark shape that does not fit the kernel or the device")                 \
  X(kernel_call, "kernel-call", "a bundled kernel that failed or returned wrong results")

enum class ErrorCode {
#define KERNELS_ERROR_CODE_ENUM(e, name, meaning) e,
  KERNELS_ERROR_CODES(KERNELS_ERROR_CODE_ENUM)
#undef KERNELS_ERROR_CODE_ENUM
};

// How many codes there are; the enumerators are 0 .. count-1.
std::size_t error_code_count();
// The stable name: "bad-path", "RepoNotFound".
std::string_view error_code_name(ErrorCode code);
// What the code means, one line.
std::string_view error_code_meaning(ErrorCode code);
// The code whose name is `name` (exactly), or nullopt. The Hub's X-Error-Code
// header goes through this: a name the tool does not know is not a code.
std::optional<ErrorCode> find_error_code(std::string_view name);

}  // namespace kernels
