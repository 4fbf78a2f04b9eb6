#include "hub/tree_listing.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

namespace kernels::hub {
namespace {

constexpr std::uint8_t kDirectory = 1;
constexpr std::uint8_t kOidText = 2;  // the oid bytes hold a Span of arena text
constexpr std::uint8_t kLfs = 4;
constexpr std::uint32_t kNoLfs = 0xffffffff;

// Arena blocks grow from 4 KiB to 1 MiB (a small listing stays small); a
// text of a quarter block or more gets a block of its own.
constexpr std::size_t kFirstBlock = std::size_t{4} << 10;
constexpr std::size_t kMaxBlock = std::size_t{1} << 20;

constexpr char kHex[] = "0123456789abcdef";

bool lower_hex(std::string_view s, std::size_t size) {
  if (s.size() != size) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

int nibble(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

void unhex(std::string_view hex, unsigned char* out) {
  for (std::size_t i = 0; i < hex.size() / 2; ++i)
    out[i] = static_cast<unsigned char>(nibble(hex[2 * i]) * 16 + nibble(hex[2 * i + 1]));
}

// Fixed-size chunks that never move: chunk k holds 64 << k slots up to
// kChunkMax, then kChunkMax each, so a listing of ten entries allocates
// 64 slots and one of a million grows without copying.
template <typename T>
class Chunks {
 public:
  static constexpr std::size_t kFirst = 64;
  static constexpr std::size_t kDoublings = 8;  // 64 .. 16384
  static constexpr std::size_t kMax = kFirst << kDoublings;
  static constexpr std::size_t kGrowing = kFirst * ((std::size_t{1} << (kDoublings + 1)) - 1);  // slots in them

  T& push() {
    auto [chunk, offset] = locate(size_);
    if (chunk == chunks_.size()) chunks_.emplace_back(new T[chunk_size(chunk)]);
    ++size_;
    return chunks_[chunk][offset];
  }
  const T& operator[](std::size_t i) const {
    auto [chunk, offset] = locate(i);
    return chunks_[chunk][offset];
  }
  T& operator[](std::size_t i) {
    auto [chunk, offset] = locate(i);
    return chunks_[chunk][offset];
  }
  std::size_t size() const { return size_; }
  std::size_t memory_bytes() const {
    std::size_t n = 0;
    for (std::size_t c = 0; c < chunks_.size(); ++c) n += chunk_size(c) * sizeof(T);
    return n;
  }

 private:
  static std::size_t chunk_size(std::size_t chunk) { return chunk <= kDoublings ? kFirst << chunk : kMax; }
  static std::pair<std::size_t, std::size_t> locate(std::size_t i) {
    if (i >= kGrowing) return {kDoublings + 1 + (i - kGrowing) / kMax, (i - kGrowing) % kMax};
    // Chunk k starts at kFirst * (2^k - 1).
    const std::size_t k = static_cast<std::size_t>(std::bit_width(i / kFirst + 1)) - 1;
    return {k, i - kFirst * ((std::size_t{1} << k) - 1)};
  }
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace

struct TreeListing::Slot {
  std::uint64_t size;
  Span path;
  std::uint32_t lfs;  // index of the LfsSlot when flags & kLfs
  std::uint8_t flags;
  unsigned char oid[20];  // raw git oid, or a Span when flags & kOidText
};

struct TreeListing::LfsSlot {
  std::uint64_t size;
  std::uint64_t pointer_size;
  unsigned char oid[32];  // raw sha256, or a Span when text
  bool text;
};

struct TreeListing::Impl {
  static_assert(sizeof(Span) <= sizeof(Slot::oid), "a Span fits where a raw oid goes");
  Chunks<Slot> slots;
  Chunks<LfsSlot> lfs;
  std::vector<std::unique_ptr<char[]>> blocks;
  std::vector<std::size_t> block_sizes;
  std::size_t current = SIZE_MAX;  // the block small texts go into
  std::size_t used = 0;            // bytes of it in use
  std::size_t next_block = kFirstBlock;
  bool reordered = false;
  std::vector<std::uint32_t> order;  // entry -> slot, once reordered
};

std::string ObjectIdRef::str() const {
  std::string out;
  append_to(out);
  return out;
}

void ObjectIdRef::append_to(std::string& out) const {
  if (!raw_) {
    out.append(data_, size_);
    return;
  }
  for (std::size_t i = 0; i < size_; ++i) {
    auto b = static_cast<unsigned char>(data_[i]);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
}

bool operator==(const ObjectIdRef& a, std::string_view text) {
  if (!a.raw_) return a.bytes() == text;
  if (text.size() != 2 * a.size_) return false;
  for (std::size_t i = 0; i < a.size_; ++i) {
    auto b = static_cast<unsigned char>(a.data_[i]);
    if (text[2 * i] != kHex[b >> 4] || text[2 * i + 1] != kHex[b & 15]) return false;
  }
  return true;
}

TreeEntry TreeEntryView::to_entry() const {
  TreeEntry e;
  e.is_directory = is_directory;
  e.path = std::string(path);
  e.oid = oid.str();
  e.size = size;
  if (lfs) e.lfs = LfsInfo{lfs->oid.str(), lfs->size, lfs->pointer_size};
  return e;
}

// impl_ is made on the first add: an empty or moved-from listing holds nothing.
TreeListing::TreeListing() = default;
TreeListing::TreeListing(TreeListing&& other) noexcept
    : impl_(std::move(other.impl_)), count_(std::exchange(other.count_, 0)) {}
TreeListing& TreeListing::operator=(TreeListing&& other) noexcept {
  std::swap(impl_, other.impl_);
  std::swap(count_, other.count_);
  return *this;
}
TreeListing::~TreeListing() = default;

TreeListing::TreeListing(std::initializer_list<TreeEntry> entries) {
  for (const auto& e : entries) push_back(e);
}

TreeListing TreeListing::from(const std::vector<TreeEntry>& entries) {
  TreeListing out;
  for (const auto& e : entries) out.push_back(e);
  return out;
}

TreeListing::Span TreeListing::store(std::string_view s) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  Impl& m = *impl_;
  if (s.empty()) return Span{};
  if (s.size() >= kMaxBlock / 4) {  // a block of its own; the current one stays current
    m.blocks.emplace_back(new char[s.size()]);
    m.block_sizes.push_back(s.size());
    std::memcpy(m.blocks.back().get(), s.data(), s.size());
    return Span{static_cast<std::uint32_t>(m.blocks.size() - 1), 0, static_cast<std::uint32_t>(s.size())};
  }
  if (m.current == SIZE_MAX || m.block_sizes[m.current] - m.used < s.size()) {
    m.blocks.emplace_back(new char[m.next_block]);
    m.block_sizes.push_back(m.next_block);
    m.current = m.blocks.size() - 1;
    m.used = 0;
    m.next_block = std::min(kMaxBlock, m.next_block * 2);
  }
  std::memcpy(m.blocks[m.current].get() + m.used, s.data(), s.size());
  Span span{static_cast<std::uint32_t>(m.current), static_cast<std::uint32_t>(m.used),
            static_cast<std::uint32_t>(s.size())};
  m.used += s.size();
  return span;
}

std::string_view TreeListing::text(const Span& span) const {
  if (span.length == 0) return {};
  return {impl_->blocks[span.block].get() + span.offset, span.length};
}

TreeListing::Slot& TreeListing::new_slot() {
  if (!impl_) impl_ = std::make_unique<Impl>();
  if (impl_->reordered) impl_->order.push_back(static_cast<std::uint32_t>(impl_->slots.size()));
  Slot& s = impl_->slots.push();
  ++count_;
  return s;
}

std::size_t TreeListing::slot_of(std::size_t i) const { return impl_->reordered ? impl_->order[i] : i; }

std::string_view TreeListing::path(std::size_t i) const { return text(impl_->slots[slot_of(i)].path); }

void TreeListing::add_folder_prefix(std::size_t i, std::size_t length) {
  Span prefix = impl_->slots[slot_of(i)].path;
  prefix.length = static_cast<std::uint32_t>(std::min<std::size_t>(length, prefix.length));
  Slot& s = new_slot();
  s.size = 0;
  s.path = prefix;
  s.lfs = kNoLfs;
  s.flags = kDirectory | kOidText;
  std::memset(s.oid, 0, sizeof s.oid);  // an empty Span: no oid
}

void TreeListing::reorder(const std::vector<std::uint32_t>& order) {
  std::vector<std::uint32_t> slots;
  slots.reserve(order.size());
  for (std::uint32_t i : order) slots.push_back(static_cast<std::uint32_t>(slot_of(i)));
  if (!impl_) impl_ = std::make_unique<Impl>();
  impl_->order = std::move(slots);
  impl_->reordered = true;
  count_ = impl_->order.size();
}

void TreeListing::add(bool is_directory, std::string_view path, std::string_view oid, std::uint64_t size) {
  Span path_span = store(path);
  bool raw = lower_hex(oid, 40);
  Span oid_span = raw ? Span{} : store(oid);
  Slot& s = new_slot();
  s.size = size;
  s.path = path_span;
  s.lfs = kNoLfs;
  s.flags = static_cast<std::uint8_t>((is_directory ? kDirectory : 0) | (raw ? 0 : kOidText));
  if (raw) {
    unhex(oid, s.oid);
  } else {
    std::memset(s.oid, 0, sizeof s.oid);
    std::memcpy(s.oid, &oid_span, sizeof oid_span);
  }
}

void TreeListing::add_lfs(bool is_directory, std::string_view path, std::string_view oid, std::uint64_t size,
                          std::string_view lfs_oid, std::uint64_t lfs_size, std::uint64_t pointer_size) {
  bool raw = lower_hex(lfs_oid, 64);
  Span oid_span = raw ? Span{} : store(lfs_oid);
  if (!impl_) impl_ = std::make_unique<Impl>();
  LfsSlot& l = impl_->lfs.push();
  l.size = lfs_size;
  l.pointer_size = pointer_size;
  l.text = !raw;
  if (raw) {
    unhex(lfs_oid, l.oid);
  } else {
    std::memset(l.oid, 0, sizeof l.oid);
    std::memcpy(l.oid, &oid_span, sizeof oid_span);
  }
  add(is_directory, path, oid, size);
  Slot& s = impl_->slots[impl_->slots.size() - 1];
  s.lfs = static_cast<std::uint32_t>(impl_->lfs.size() - 1);
  s.flags |= kLfs;
}

void TreeListing::push_back(const TreeEntry& e) {
  if (e.lfs) {
    add_lfs(e.is_directory, e.path, e.oid, e.size, e.lfs->oid, e.lfs->size, e.lfs->pointer_size);
  } else {
    add(e.is_directory, e.path, e.oid, e.size);
  }
}

void TreeListing::push_back(const TreeEntryView& e) {
  // `e` may be a view of this listing: nothing it points to moves while adding.
  std::string oid = e.oid.str();
  if (e.lfs) {
    add_lfs(e.is_directory, e.path, oid, e.size, e.lfs->oid.str(), e.lfs->size, e.lfs->pointer_size);
  } else {
    add(e.is_directory, e.path, oid, e.size);
  }
}

TreeEntryView TreeListing::operator[](std::size_t i) const {
  const Slot& s = impl_->slots[slot_of(i)];
  TreeEntryView v;
  v.is_directory = (s.flags & kDirectory) != 0;
  v.path = text(s.path);
  v.size = s.size;
  if (s.flags & kOidText) {
    Span span;
    std::memcpy(&span, s.oid, sizeof span);
    v.oid = ObjectIdRef::from_text(text(span));
  } else {
    v.oid = ObjectIdRef::from_raw(s.oid, sizeof s.oid);
  }
  if (s.flags & kLfs) {
    const LfsSlot& l = impl_->lfs[s.lfs];
    LfsView lv;
    lv.size = l.size;
    lv.pointer_size = l.pointer_size;
    if (l.text) {
      Span span;
      std::memcpy(&span, l.oid, sizeof span);
      lv.oid = ObjectIdRef::from_text(text(span));
    } else {
      lv.oid = ObjectIdRef::from_raw(l.oid, sizeof l.oid);
    }
    v.lfs = lv;
  }
  return v;
}

std::vector<TreeEntry> TreeListing::to_entries() const {
  std::vector<TreeEntry> out;
  out.reserve(count_);
  for (const auto& e : *this) out.push_back(e.to_entry());
  return out;
}

std::size_t TreeListing::memory_bytes() const {
  if (!impl_) return 0;
  std::size_t n =
      impl_->slots.memory_bytes() + impl_->lfs.memory_bytes() + impl_->order.capacity() * sizeof(std::uint32_t);
  for (std::size_t b : impl_->block_sizes) n += b;
  return n;
}

}  // namespace kernels::hub
