#include "lockfile/variant_tree.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace kernels::lockfile {

bool has_pycache_component(const std::string& path) {
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    std::size_t end = slash == std::string::npos ? path.size() : slash;
    if (path.compare(start, end - start, "__pycache__") == 0) return true;
    if (slash == std::string::npos) return false;
    start = slash + 1;
  }
}

Result<std::vector<TreeItem>> walk_variant_tree(const std::string& dir) {
  std::vector<TreeItem> items;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return Error{ErrorCode::io, "cannot list " + dir + ": " + ec.message()};
  for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& entry = *it;
    std::string name = entry.path().filename().string();
    fs::file_status own = entry.symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(own)) {
      if (name == "__pycache__") it.disable_recursion_pending();
      continue;
    }
    TreeItem item;
    item.path = entry.path().string();
    item.relpath = entry.path().lexically_relative(dir).generic_string();
    if (has_pycache_component(item.relpath)) continue;
    if (fs::is_symlink(own)) {
      item.link = fs::read_symlink(entry.path(), ec).string();
      ec.clear();
      std::error_code target_ec;
      fs::file_status target = fs::status(entry.path(), target_ec);
      if (target_ec || !fs::exists(target)) {
        item.kind = TreeItem::Kind::Dangling;
      } else if (fs::is_directory(target)) {
        item.kind = TreeItem::Kind::DirLink;
      } else if (fs::is_regular_file(target)) {
        item.kind = TreeItem::Kind::FileLink;
        item.size = fs::file_size(entry.path(), target_ec);
      } else {
        item.kind = TreeItem::Kind::Special;
      }
    } else if (fs::is_regular_file(own)) {
      item.kind = TreeItem::Kind::File;
      item.size = fs::file_size(entry.path(), ec);
      if (ec) break;
    } else {
      item.kind = TreeItem::Kind::Special;
    }
    items.push_back(std::move(item));
    if (items.size() > kMaxVariantItems)
      return Error{ErrorCode::io,
                   dir + " holds more than " + std::to_string(kMaxVariantItems) + " files; refusing to walk it"};
  }
  if (ec) return Error{ErrorCode::io, "cannot list " + dir + ": " + ec.message()};
  std::sort(items.begin(), items.end(), [](const TreeItem& a, const TreeItem& b) { return a.relpath < b.relpath; });
  return items;
}

}  // namespace kernels::lockfile
