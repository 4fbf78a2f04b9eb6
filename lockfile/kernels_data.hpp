// The kernels-data lock format, as kernels-data's KernelLocks reads it
// (huggingface/kernels, crate kernels-data, src/lock.rs, config/kernel_deps.rs,
// git.rs): a JSON array of
//   {"dependency": {"repo-id": STR, "version": UINT | "revision": STR},
//    "lock": {"commit": OID}}
// with serde's deny_unknown_fields on every object, exactly one of version and
// revision, a commit of 40 or 64 hex digits (lowercased on read) and no
// dependency twice. Internal to lockfile/: parse_lock and serialize_lock use it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "lockfile/json_positions.hpp"
#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile::detail {

// "an object", "a number", ...: what a JSON value is, for messages.
const char* json_type_name(const nlohmann::ordered_json& value);

// Whether `commit` is a git object id as kernels-data's Oid holds it:
// exactly 40 or 64 lowercase hexadecimal digits.
bool is_canonical_oid(std::string_view commit);

// Reads `document`, a JSON array whose entries all have the kernels-data
// shape, into a Lock of format KernelsData, entries in file order. `at` holds
// the positions of `text` (located at least 4 deep). Errors: code "format",
// "SOURCE:LINE:COL: entry N (repo-id) ...".
Result<Lock> read_kernels_data(const nlohmann::ordered_json& document, const JsonPosition& at, std::string_view text,
                               const std::string& source);

}  // namespace kernels::lockfile::detail
