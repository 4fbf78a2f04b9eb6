// One walk of a variant directory (snapshots/<commit>/build/<variant>/),
// shared by the two checks of `kernels verify`: the lock hash (files that
// are links into blobs/) and the metadata.json digest (regular files, file
// symlinks followed). Directory symlinks are listed but never followed, and
// nothing under a `__pycache__` directory is listed (both checks skip it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace kernels::lockfile {

struct TreeItem {
  enum class Kind {
    File,      // a regular file, not a link
    FileLink,  // a symlink whose target (followed) is a regular file
    DirLink,   // a symlink to a directory (not followed)
    Dangling,  // a symlink whose target does not exist (or loops)
    Special,   // a FIFO, socket, device, or a symlink to one
  };
  Kind kind = Kind::File;
  std::string relpath;     // '/'-separated, relative to the variant directory
  std::string path;        // the full path, for opening
  std::string link;        // for links: the link's own target text
  std::uint64_t size = 0;  // for File and FileLink: the (target's) size
};

inline constexpr std::size_t kMaxVariantItems = 200000;

// Every non-directory entry under `dir`, sorted by relpath bytes. Errors
// (code "io"): `dir` unreadable, a subdirectory that cannot be listed, or
// more than kMaxVariantItems entries.
Result<std::vector<TreeItem>> walk_variant_tree(const std::string& dir);

// True when some '/'-separated component of `path` is "__pycache__".
bool has_pycache_component(const std::string& path);

}  // namespace kernels::lockfile
