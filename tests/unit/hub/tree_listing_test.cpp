// The compact tree listing (hub/tree_listing.hpp) and what consumes it whole:
// entries come back exactly as they went in, views stay valid while the
// listing grows, its memory stays near 48 bytes an entry plus the paths, and
// the outputs made from it (trees/<commit>.json, the variant hashes) equal
// what the former per-entry code made, computed here independently.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "hub/cache_writer.hpp"
#include "hub/hf_cache.hpp"
#include "hub/tree_listing.hpp"
#include "lockfile/hash.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using namespace kernels;
using namespace kernels::hub;

namespace {

TreeEntry entry(bool dir, std::string path, std::string oid, std::uint64_t size,
                std::optional<LfsInfo> lfs = std::nullopt) {
  return TreeEntry{dir, std::move(path), std::move(oid), size, std::move(lfs)};
}

void check_same(const TreeEntry& got, const TreeEntry& want) {
  INFO(want.path);
  CHECK(got.is_directory == want.is_directory);
  CHECK(got.path == want.path);
  CHECK(got.oid == want.oid);
  CHECK(got.size == want.size);
  REQUIRE(got.lfs.has_value() == want.lfs.has_value());
  if (want.lfs) {
    CHECK(got.lfs->oid == want.lfs->oid);
    CHECK(got.lfs->size == want.lfs->size);
    CHECK(got.lfs->pointer_size == want.lfs->pointer_size);
  }
}

std::string hex_of(std::mt19937_64& rng, std::size_t digits) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < digits; ++i) s += hex[rng() % 16];
  return s;
}

// A listing with what a hostile or unusual server may send besides the
// usual: upper-case and odd-length ids, non-hex ids, paths with "//", "."
// and non-ASCII, paths listed twice, LFS files, directories.
std::vector<TreeEntry> varied_listing(std::size_t files, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> variants = {"torch-cpu", "torch-cuda", "torch-cuda-x",
                                             "torch210-cxx11-cu128-x86_64-linux"};
  std::vector<TreeEntry> out;
  out.push_back(entry(true, "build", hex_of(rng, 40), 0));
  std::string last_file = "build/torch-cpu/first.py";
  for (std::size_t i = 0; i < files; ++i) {
    const std::string& v = variants[rng() % variants.size()];
    std::string path = "build/" + v + "/m" + std::to_string(rng() % 7) + "/f" + std::to_string(i) + ".py";
    switch (rng() % 23) {
      case 0: path = "build/" + v + "//double/f" + std::to_string(i); break;
      case 1: path = "build/" + v + "/./dot/f" + std::to_string(i); break;
      case 2: path = "build/" + v + "/caf\xc3\xa9/\xe6\x97\xa5" + std::to_string(i) + ".txt"; break;
      case 3: path = "build/" + v + "/__pycache__/x" + std::to_string(i) + ".pyc"; break;
      case 4: path = "src/other" + std::to_string(i) + ".cpp"; break;
      case 5: path = last_file; break;     // listed twice
      case 6: path = "build/" + v; break;  // a file directly under build/
      default: break;
    }
    std::string oid = hex_of(rng, 40);
    if (rng() % 17 == 0) std::transform(oid.begin(), oid.end(), oid.begin(), ::toupper);
    std::optional<LfsInfo> lfs;
    if (rng() % 5 == 0) {
      std::string sha = hex_of(rng, 64);
      if (rng() % 11 == 0) sha = hex_of(rng, 62);  // hex, but not a sha256's length
      lfs = LfsInfo{sha, rng() % 100000000, 120 + rng() % 20};
    }
    out.push_back(entry(false, path, oid, rng() % 1000000, lfs));
    last_file = path;
    if (rng() % 13 == 0) out.push_back(entry(true, "build/" + v + "/m" + std::to_string(i % 7), hex_of(rng, 40), 0));
  }
  return out;
}

// trees/<commit>.json as the former tree_cache_json made it: an ordered_json
// document, dumped by nlohmann.
std::string reference_tree_cache_json(const std::vector<TreeEntry>& listing) {
  std::map<std::string, const TreeEntry*> files;
  for (const auto& e : listing)
    if (!e.is_directory) files[e.path] = &e;
  nlohmann::ordered_json doc;
  doc["format_version"] = 1;
  doc["files"] = nlohmann::ordered_json::object();
  for (const auto& [path, e] : files) {
    nlohmann::ordered_json info;
    info["size"] = e->size;
    info["blob_id"] = e->oid;
    if (e->lfs) {
      info["lfs_sha256"] = e->lfs->oid;
      info["lfs_size"] = e->lfs->size;
    }
    doc["files"][path] = std::move(info);
  }
  return doc.dump(1, ' ', true, nlohmann::ordered_json::error_handler_t::replace);
}

// The variant hashes as the former code made them: each file copied out as
// (relpath, hex), grouped by variant in first-appearance order, hashed by
// git_lfs_concat_hash (which sorts). Python's PurePosixPath(path).parts.
std::vector<lockfile::VariantLock> reference_variants(const std::vector<TreeEntry>& listing) {
  std::vector<std::pair<std::string, std::vector<lockfile::HashedFile>>> groups;
  for (const auto& e : listing) {
    if (e.is_directory || e.path.rfind("build/torch", 0) != 0) continue;
    if (e.path.size() >= 4 && e.path.compare(e.path.size() - 4, 4, ".pyc") == 0) continue;
    std::vector<std::string> parts;
    std::string part;
    for (char c : e.path + "/") {
      if (c != '/') {
        part += c;
        continue;
      }
      if (!part.empty() && part != ".") parts.push_back(part);
      part.clear();
    }
    if (std::find(parts.begin(), parts.end(), "__pycache__") != parts.end()) continue;
    std::string relpath;
    for (std::size_t i = 2; i < parts.size(); ++i) relpath += (i > 2 ? "/" : "") + parts[i];
    if (relpath.empty()) relpath = ".";
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == parts[1]; });
    if (it == groups.end()) it = groups.insert(groups.end(), {parts[1], {}});
    it->second.push_back(lockfile::HashedFile{relpath, e.lfs ? e.lfs->oid : e.oid});
  }
  std::vector<lockfile::VariantLock> out;
  for (auto& [name, files] : groups) {
    auto hash = lockfile::git_lfs_concat_hash(files);
    REQUIRE(hash.ok());
    out.push_back(lockfile::VariantLock{name, *hash, "git_lfs_concat"});
  }
  return out;
}

}  // namespace

TEST_CASE("tree listing: every entry comes back exactly, whatever its ids", "[hub][tree_listing]") {
  const std::string big_path(700 * 1024, 'p');  // a block of its own
  std::vector<TreeEntry> entries = {
      entry(true, "build", "", 0),
      entry(false, "a.py", std::string(40, 'f'), 12),
      entry(false, "UPPER", std::string(40, 'F'), 1),  // upper case: kept as text
      entry(false, "short", "abc", std::numeric_limits<std::uint64_t>::max()),
      entry(false, "not-hex", "zz" + std::string(38, '0'), 0),
      entry(false, "", "", 0),
      entry(false, std::string("nul\0byte", 8), std::string(40, '0'), 7),
      entry(false, "caf\xc3\xa9 \xff", std::string(40, '9'), 5),
      entry(false, "lfs.so", std::string(40, 'a'), 1u << 30, LfsInfo{std::string(64, 'b'), 1u << 30, 134}),
      entry(false, "lfs-text.so", std::string(40, 'a'), 3, LfsInfo{"not-a-sha", 3, 0}),
      entry(false, "lfs-upper.so", "", 3, LfsInfo{std::string(64, 'B'), 3, 1}),
      entry(false, big_path, std::string(40, 'c'), 2),
      entry(false, "after-big", std::string(40, 'd'), 3),
  };
  const TreeListing listing = TreeListing::from(entries);
  REQUIRE(listing.size() == entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) check_same(listing[i].to_entry(), entries[i]);
  auto back = listing.to_entries();
  REQUIRE(back.size() == entries.size());
  CHECK(back[3].size == std::numeric_limits<std::uint64_t>::max());
  // Ids held as bytes compare and print as their lowercase hex.
  CHECK(listing[1].oid.is_raw());
  CHECK(listing[1].oid == std::string(40, 'f'));
  CHECK(listing[1].oid != std::string(40, 'F'));
  CHECK_FALSE(listing[2].oid.is_raw());
  CHECK(listing[2].oid == std::string(40, 'F'));
  CHECK(listing[8].content_hash() == std::string(64, 'b'));
  CHECK(listing[1].content_hash().str() == std::string(40, 'f'));
  CHECK(listing[0].oid.empty());
  CHECK(listing.path(11).size() == big_path.size());

  TreeListing moved = TreeListing::from(entries);
  TreeListing taken(std::move(moved));
  CHECK(taken.size() == entries.size());
  CHECK(moved.size() == 0);  // NOLINT(bugprone-use-after-move): a moved-from listing is empty
  CHECK(moved.memory_bytes() == 0);
  moved.push_back(entries[1]);
  check_same(moved[0].to_entry(), entries[1]);
}

TEST_CASE("tree listing: views stay valid while it grows, and a million-entry scale costs ~48 bytes plus the path",
          "[hub][tree_listing]") {
  TreeListing listing;
  std::size_t path_bytes = 0;
  const std::size_t count = 200000;  // past the growing chunks (32704 slots) into the fixed ones
  listing.add(false, "build/first.py", std::string(40, 'e'), 1);
  const TreeEntryView first = listing[0];
  for (std::size_t i = 1; i < count; ++i) {
    std::string path =
        "build/torch210-cxx11-cu128-x86_64-linux/bench/d" + std::to_string(i / 999) + "/f" + std::to_string(i) + ".py";
    path_bytes += path.size();
    if (i % 100 == 0) {
      listing.add_lfs(false, path, std::string(40, 'a'), i, std::string(64, 'b'), i, 130);
    } else {
      listing.add(i % 1000 == 1, path, std::string(40, '1'), i);
    }
  }
  REQUIRE(listing.size() == count);
  CHECK(first.path == "build/first.py");  // not moved by 200k appends
  CHECK(first.oid == std::string(40, 'e'));
  for (std::size_t i : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{32703}, std::size_t{32704},
                        std::size_t{49088}, count - 1}) {
    INFO(i);
    const TreeEntryView e = listing[i];
    CHECK(e.path == "build/torch210-cxx11-cu128-x86_64-linux/bench/d" + std::to_string(i / 999) + "/f" +
                        std::to_string(i) + ".py");
    CHECK(e.size == i);
    CHECK(e.lfs.has_value() == (i % 100 == 0));
  }
  // The regression this guards: TreeEntry values took about 260 bytes an
  // entry (two heap strings, an optional LFS record) against 48 + the path here.
  const double per_entry = static_cast<double>(listing.memory_bytes()) / static_cast<double>(count);
  const double path_per_entry = static_cast<double>(path_bytes) / static_cast<double>(count);
  INFO("bytes an entry: " << per_entry << ", of which path " << path_per_entry);
  // Slack: the last arena block and slot chunk, partly used (under 2 MB here).
  CHECK(per_entry < 48 + path_per_entry + 0.01 * 56 + 12);
  CHECK(per_entry < 120);
}

TEST_CASE("tree listing: folders from path prefixes, and a reordering", "[hub][tree_listing]") {
  TreeListing listing{entry(false, "b/c/d.py", std::string(40, '1'), 4), entry(false, "a.py", std::string(40, '2'), 2)};
  listing.add_folder_prefix(0, 1);  // "b"
  listing.add_folder_prefix(0, 3);  // "b/c"
  listing.reorder({1, 2, 3, 0});
  std::vector<std::string> paths;
  for (const auto& e : listing) paths.push_back((e.is_directory ? "dir " : "") + std::string(e.path));
  CHECK(paths == std::vector<std::string>{"a.py", "dir b", "dir b/c", "b/c/d.py"});
  CHECK(listing[1].oid.empty());
  listing.add(false, "z", std::string(40, '3'), 1);  // still appends after a reordering
  REQUIRE(listing.size() == 5);
  CHECK(listing[4].path == "z");
  CHECK(listing[3].oid == std::string(40, '1'));
}

TEST_CASE("trees/<commit>.json from the compact listing equals the former nlohmann document, byte for byte",
          "[hub][tree_listing][cache_writer]") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    INFO("seed " << seed);
    auto entries = varied_listing(3000, seed);
    entries.push_back(entry(false, "ctl\x01\x1f\x7f\"\\", std::string(40, '5'), 1));
    entries.push_back(entry(false, "bad utf-8 \xc3\x28 \xff", "odd \"oid\"", 2));
    entries.push_back(entry(false, "\xf0\x9f\x98\x80 emoji", std::string(40, '6'), 3));
    const TreeListing listing = TreeListing::from(entries);
    const std::string expected = reference_tree_cache_json(entries);
    CHECK(tree_cache_json(listing) == expected);
    // In pieces of about 64 KiB, never the whole document in one.
    std::size_t pieces = 0, largest = 0;
    std::string joined;
    emit_tree_cache_json(listing, [&](std::string_view piece) {
      ++pieces;
      largest = std::max(largest, piece.size());
      joined += piece;
      return true;
    });
    CHECK(joined == expected);
    CHECK(pieces > 1);
    CHECK(largest < 70 * 1024);
  }
  CHECK(tree_cache_json({}) == reference_tree_cache_json({}));
}

TEST_CASE("write_tree_listing streams the record, keeps an equal one and replaces a different one of the same size",
          "[hub][tree_listing][cache_writer]") {
  test::TempDir tmp;
  const std::string commit = "0123456789abcdef0123456789abcdef01234567";
  auto w = CacheWriter::open(tmp.path(), "org/big", RepoType::Kernel);
  REQUIRE(w.ok());
  auto entries = varied_listing(4000, 7);
  const TreeListing listing = TreeListing::from(entries);
  REQUIRE((*w)->write_tree_listing(commit, listing).ok());
  const std::string record = tmp.path() + "/kernels--org--big/trees/" + commit + ".json";
  CHECK(*read_file(record) == reference_tree_cache_json(entries));
  struct stat before {};
  REQUIRE(::stat(record.c_str(), &before) == 0);
  REQUIRE((*w)->write_tree_listing(commit, listing).ok());
  struct stat kept {};
  REQUIRE(::stat(record.c_str(), &kept) == 0);
  CHECK(kept.st_ino == before.st_ino);  // equal bytes: not rewritten

  // One size changed by a digit of the same width: same length, other bytes.
  entries.push_back(entry(false, "zz-once.txt", std::string(40, '7'), 7));
  std::vector<TreeEntry> changed = entries;
  changed.back().size = 8;
  REQUIRE((*w)->write_tree_listing(commit, TreeListing::from(entries)).ok());
  REQUIRE(::stat(record.c_str(), &before) == 0);
  REQUIRE((*w)->write_tree_listing(commit, TreeListing::from(changed)).ok());
  struct stat replaced {};
  REQUIRE(::stat(record.c_str(), &replaced) == 0);
  CHECK(replaced.st_size == before.st_size);
  CHECK(replaced.st_ino != before.st_ino);
  CHECK(*read_file(record) == reference_tree_cache_json(changed));
  std::size_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(tmp.path() + "/kernels--org--big/trees")) {
    CHECK(f.path().filename().string().find(".tmp") == std::string::npos);
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("the variant hashes of a compact listing equal those of the copied-out files, hostile paths and ids included",
          "[hub][tree_listing][lockfile][hash]") {
  for (std::uint64_t seed : {11u, 12u, 13u, 14u}) {
    INFO("seed " << seed);
    auto entries = varied_listing(5000, seed);
    std::shuffle(entries.begin() + 1, entries.end(), std::mt19937_64(seed));  // any order a server sends
    auto got = lockfile::git_lfs_concat_variants(TreeListing::from(entries));
    REQUIRE(got.ok());
    auto want = reference_variants(entries);
    REQUIRE(got->size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) CHECK((*got)[i] == want[i]);
  }
}

TEST_CASE("parse_tree_cache reads back a record in git order, unsorted keys and repeated paths as a JSON object would",
          "[hub][tree_listing][cache]") {
  auto entries = varied_listing(2000, 21);
  // Only what a record can hold: paths check_repo_path accepts, lowercase ids.
  std::vector<TreeEntry> files;
  std::set<std::string> seen;
  for (auto e : entries) {
    if (e.is_directory || !check_repo_path(e.path).ok() || e.path.rfind("build/torch", 0) != 0) continue;
    if (std::count(e.path.begin(), e.path.end(), '/') < 2) continue;  // build/<variant> is a folder here
    if (!seen.insert(e.path).second) continue;
    std::transform(e.oid.begin(), e.oid.end(), e.oid.begin(), ::tolower);
    if (e.lfs && e.lfs->oid.size() != 64) e.lfs.reset();
    if (e.lfs) e.lfs->pointer_size = 0;
    files.push_back(e);
  }
  const std::string record = tree_cache_json(TreeListing::from(files));
  auto parsed = parse_tree_cache(record, 100000);
  INFO((parsed.ok() ? std::string() : parsed.error().message));
  REQUIRE(parsed.ok());
  // Git's order: folders before their contents, a folder's name compared as if it ended in '/'.
  std::vector<std::string> git_order;
  for (const auto& e : *parsed) git_order.push_back(std::string(e.path) + (e.is_directory ? "/" : ""));
  CHECK(std::is_sorted(git_order.begin(), git_order.end()));
  std::map<std::string, TreeEntry> by_path;
  for (const auto& e : files) by_path[e.path] = e;
  std::size_t file_count = 0;
  for (const auto& e : *parsed) {
    if (e.is_directory) {
      CHECK(e.oid.empty());
      continue;
    }
    ++file_count;
    REQUIRE(by_path.count(std::string(e.path)) == 1);
    check_same(e.to_entry(), by_path[std::string(e.path)]);
  }
  CHECK(file_count == files.size());
  // Written back, the record is the same bytes.
  CHECK(tree_cache_json(*parsed) == record);

  // Keys out of order, one twice (the last wins, as in a JSON object), an unknown member.
  const std::string a(40, 'a'), b(40, 'b');
  auto mixed = parse_tree_cache(
      R"({"files": {"z/y.py": {"size": 1, "blob_id": ")" + a + R"("}, "a.py": {"size": 2, "blob_id": ")" + a +
          R"("}, "z/y.py": {"size": 3, "blob_id": ")" + b + R"("}}, "other": [1, {"x": 2}], "format_version": 1})",
      100);
  REQUIRE(mixed.ok());
  REQUIRE(mixed->size() == 3);
  CHECK((*mixed)[0].path == "a.py");
  CHECK((*mixed)[1].path == "z");
  CHECK((*mixed)[1].is_directory);
  CHECK((*mixed)[2].path == "z/y.py");
  CHECK((*mixed)[2].size == 3);
  CHECK((*mixed)[2].oid == b);
  // A bad entry overwritten by a good one is no error; the other way round is.
  const std::string good = R"({"size": 1, "blob_id": ")" + a + R"("})";
  CHECK(parse_tree_cache(R"({"format_version": 1, "files": {"x": 5, "x": )" + good + "}}", 10).ok());
  auto bad = parse_tree_cache(R"({"format_version": 1, "files": {"x": )" + good + R"(, "x": 5}})", 10);
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::Contains("is not an object"));
}
