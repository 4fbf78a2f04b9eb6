// Reads kernels.lock as Python's kernels library does (KernelLock.from_json):
// a JSON array of {"repo_id", "sha", "variants": {name: {"hash", "hash_type"?}}}.
// Other keys of an entry are ignored; a variant with a key other than hash
// and hash_type is an error; a missing hash_type means "git_lfs_concat".
// Entry and variant order are kept as in the file.
//
// The two other shapes a kernels.lock has had are recognised and refused with
// a message that says what they are: the old per-file format of 2025
// ({"repo_id", "sha", "files": [...]}, hf-kernels.lock) and the newer
// {"dependency", "lock"} format of kernels-data.
#pragma once

#include <string>
#include <string_view>

#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

// Parses lock file contents. `source_name` (usually the path) starts every
// error message, followed by the line and column in question. Errors: code
// "parse" for malformed JSON ("NAME:3:22: not valid JSON: ..."), code
// "format" for JSON that is not a lock ("NAME:7:17: entry 1 (org/name)
// variant "torch-cpu": "hash" is a number, expected a string").
Result<Lock> parse_lock(std::string_view text, const std::string& source_name);

// read_file(path) then parse_lock. A missing or unreadable file: code "io".
Result<Lock> read_lock(const std::string& path);

}  // namespace kernels::lockfile
