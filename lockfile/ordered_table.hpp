// A map that keeps insertion order, for toml11: parsing with it as the table
// type keeps a TOML table's keys in document order, as Python's tomllib does.
// Lookups are linear, which suits the small tables of a pyproject.toml.
// Internal to lockfile/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

namespace kernels::lockfile::detail {

template <class Key, class T, class... Unused>
class InsertionOrderedMap {
 public:
  using key_type = Key;
  using mapped_type = T;
  using value_type = std::pair<Key, T>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;
  using size_type = std::size_t;

  InsertionOrderedMap() = default;
  InsertionOrderedMap(std::initializer_list<value_type> init) {
    for (const auto& v : init) insert(v);
  }
  template <class It>
  InsertionOrderedMap(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }

  iterator begin() noexcept { return items_.begin(); }
  iterator end() noexcept { return items_.end(); }
  const_iterator begin() const noexcept { return items_.begin(); }
  const_iterator end() const noexcept { return items_.end(); }
  const_iterator cbegin() const noexcept { return items_.cbegin(); }
  const_iterator cend() const noexcept { return items_.cend(); }
  bool empty() const noexcept { return items_.empty(); }
  size_type size() const noexcept { return items_.size(); }
  void clear() noexcept { items_.clear(); }

  iterator find(const Key& key) {
    return std::find_if(begin(), end(), [&](const value_type& v) { return v.first == key; });
  }
  const_iterator find(const Key& key) const {
    return std::find_if(begin(), end(), [&](const value_type& v) { return v.first == key; });
  }
  size_type count(const Key& key) const { return find(key) == end() ? 0 : 1; }
  bool contains(const Key& key) const { return find(key) != end(); }

  T& at(const Key& key) {
    auto it = find(key);
    if (it == end()) throw std::out_of_range("InsertionOrderedMap::at: no such key");
    return it->second;
  }
  const T& at(const Key& key) const {
    auto it = find(key);
    if (it == end()) throw std::out_of_range("InsertionOrderedMap::at: no such key");
    return it->second;
  }
  T& operator[](const Key& key) {
    auto it = find(key);
    if (it != end()) return it->second;
    items_.emplace_back(key, T{});
    return items_.back().second;
  }

  std::pair<iterator, bool> insert(value_type v) {
    auto it = find(v.first);
    if (it != end()) return {it, false};
    items_.push_back(std::move(v));
    return {std::prev(end()), true};
  }
  template <class... Args>
  std::pair<iterator, bool> emplace(Args&&... args) {
    return insert(value_type(std::forward<Args>(args)...));
  }
  size_type erase(const Key& key) {
    auto it = find(key);
    if (it == end()) return 0;
    items_.erase(it);
    return 1;
  }

  friend bool operator==(const InsertionOrderedMap& a, const InsertionOrderedMap& b) {
    return a.items_ == b.items_;
  }

 private:
  std::vector<value_type> items_;
};

}  // namespace kernels::lockfile::detail
