// Reads kernels.lock in either of its two formats (lock.hpp), telling them
// apart by the shape of the first entry; an entry of the other shape later in
// the file is an error that names it. An empty array reads as variant-hashes.
//
//  - variant-hashes, as Python's kernels library reads it (KernelLock.from_json):
//    a JSON array of {"repo_id", "sha", "variants": {name: {"hash", "hash_type"?}}}.
//    Other keys of an entry are ignored; a variant with a key other than hash
//    and hash_type is an error; a missing hash_type means "git_lfs_concat".
//    Entry and variant order are kept as in the file.
//  - kernels-data, as kernels-data's KernelLocks reads it (kernels_data.hpp):
//    [{"dependency": {"repo-id", "version" | "revision"}, "lock": {"commit"}}],
//    no unknown keys anywhere, exactly one of version (an unsigned integer) and
//    revision, a commit of 40 or 64 hex digits (lowercased here), no
//    dependency twice. Entries are kept in file order (the writer sorts).
//
// The old per-file shape of 2025 ({"repo_id", "sha", "files": [...]},
// hf-kernels.lock) is recognised and refused with a message that says what it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

// Parses lock file contents. `source_name` (usually the path) starts every
// error message, followed by the line and column in question. Errors: code
// "parse" for malformed JSON ("NAME:3:22: not valid JSON: ..."), code
// "format" for JSON that is not a lock ("NAME:7:17: entry 1 (org/name)
// variant "torch-cpu": "hash" is a number, expected a string"; "NAME:4:17:
// entry 2 (org/name) duplicate dependency: version 1 of org/name is already
// locked by entry 1").
Result<Lock> parse_lock(std::string_view text, const std::string& source_name);

// read_file(path) then parse_lock. A missing or unreadable file: code "io".
Result<Lock> read_lock(const std::string& path);

// The format of lock file contents, by the shape of the first entry alone
// (the entries are not checked; parse_lock does that): what a project's
// existing lock is written in. nullopt for an empty array, for text that is
// not valid JSON or not an array, and for a first entry of neither shape.
std::optional<LockFormat> detect_lock_format(std::string_view text);

}  // namespace kernels::lockfile
