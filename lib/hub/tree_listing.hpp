// A repository's tree listing held compactly: the Hub's recursive listing of
// a commit can have a million entries (HubLimits::tree_entries), which as
// TreeEntry values (two heap strings and an optional LFS record each) took
// about 260 bytes an entry. Here an entry is a 48-byte slot: its size, its
// path as a span of one arena (1 MiB blocks, never moved), and its git oid as
// 20 bytes; an LFS record (sha256 as 32 bytes, both sizes) is a 56-byte slot
// of its own, for the entries that have one. Slots live in fixed-size chunks,
// so growing never copies what is there (no doubling, no transient 2x).
//
// Nothing is lost: an id that is not lowercase hex of its usual length
// (40 for a git oid, 64 for an LFS sha256; upper case, another length, not
// hex, empty) is kept as the text the server sent, in the arena, and given
// back as that text. TreeEntryView::to_entry() is the TreeEntry that went in.
//
// Entries are read through TreeEntryView, a view whose string_views point
// into the listing: valid as long as the listing lives (appending does not
// move what is there).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/types.hpp"

namespace kernels::hub {

// An object id (git oid or LFS sha256) as a TreeListing holds it: raw bytes
// (shown as lowercase hex) or the text as sent.
class ObjectIdRef {
 public:
  ObjectIdRef() = default;
  static ObjectIdRef from_text(std::string_view text) { return ObjectIdRef(text.data(), text.size(), false); }
  static ObjectIdRef from_raw(const unsigned char* bytes, std::size_t size) {
    return ObjectIdRef(reinterpret_cast<const char*>(bytes), size, true);
  }

  bool empty() const { return size_ == 0; }
  bool is_raw() const { return raw_; }
  // The raw bytes (is_raw()), or the text.
  std::string_view bytes() const { return {data_, size_}; }
  // The id's text: lowercase hex of raw bytes, or the text as sent.
  std::string str() const;
  void append_to(std::string& out) const;
  std::size_t text_size() const { return raw_ ? 2 * size_ : size_; }

  friend bool operator==(const ObjectIdRef& a, std::string_view text);
  friend bool operator==(std::string_view text, const ObjectIdRef& a) { return a == text; }
  friend bool operator!=(const ObjectIdRef& a, std::string_view text) { return !(a == text); }

 private:
  ObjectIdRef(const char* data, std::size_t size, bool raw) : data_(data), size_(size), raw_(raw) {}
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool raw_ = false;
};

struct LfsView {
  ObjectIdRef oid;  // sha256 of the content
  std::uint64_t size = 0;
  std::uint64_t pointer_size = 0;
};

// One entry of a TreeListing (see TreeEntry for the fields' meaning).
struct TreeEntryView {
  bool is_directory = false;
  std::string_view path;
  ObjectIdRef oid;
  std::uint64_t size = 0;
  std::optional<LfsView> lfs;

  // The hash kernels.lock uses: lfs.oid for LFS files, else the blob oid.
  ObjectIdRef content_hash() const { return lfs ? lfs->oid : oid; }
  TreeEntry to_entry() const;
};

class TreeListing {
 public:
  TreeListing();
  TreeListing(TreeListing&&) noexcept;
  TreeListing& operator=(TreeListing&&) noexcept;
  ~TreeListing();
  // Copies in every entry (tests, small listings).
  static TreeListing from(const std::vector<TreeEntry>& entries);
  TreeListing(std::initializer_list<TreeEntry> entries);

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  TreeEntryView operator[](std::size_t i) const;

  // Appends one entry; `oid` and `lfs_oid` as sent (see the top of this file).
  void add(bool is_directory, std::string_view path, std::string_view oid, std::uint64_t size);
  void add_lfs(bool is_directory, std::string_view path, std::string_view oid, std::uint64_t size,
               std::string_view lfs_oid, std::uint64_t lfs_size, std::uint64_t pointer_size);
  void push_back(const TreeEntry& e);
  void push_back(const TreeEntryView& e);

  // Every entry as a TreeEntry (tests).
  std::vector<TreeEntry> to_entries() const;

  // Entry i's path alone (cheaper than operator[], for sorting).
  std::string_view path(std::size_t i) const;

  // Rearranging, without copying paths (the HF cache's record is read in
  // its own order, then put in git's): a folder entry whose path is the
  // first `length` bytes of entry i's path, appended; then the entries
  // `order` names (indices as they are before the call; any subset, any
  // order) become the listing, in that order.
  void add_folder_prefix(std::size_t i, std::size_t length);
  void reorder(const std::vector<std::uint32_t>& order);

  // Bytes allocated for the entries (slots, LFS slots, arena blocks).
  std::size_t memory_bytes() const;

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = TreeEntryView;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = TreeEntryView;
    const_iterator() = default;
    const_iterator(const TreeListing* listing, std::size_t i) : listing_(listing), i_(i) {}
    TreeEntryView operator*() const { return (*listing_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      auto old = *this;
      ++i_;
      return old;
    }
    std::size_t index() const { return i_; }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }
    bool operator!=(const const_iterator& o) const { return i_ != o.i_; }

   private:
    const TreeListing* listing_ = nullptr;
    std::size_t i_ = 0;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, count_}; }

 private:
  struct Span {
    std::uint32_t block = 0;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  struct Slot;
  struct LfsSlot;
  Span store(std::string_view text);
  std::string_view text(const Span& span) const;
  Slot& new_slot();
  std::size_t slot_of(std::size_t i) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t count_ = 0;
};

}  // namespace kernels::hub
