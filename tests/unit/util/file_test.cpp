#include <catch2/catch.hpp>

#include <filesystem>
#include <sys/stat.h>

#include "tests/support/process.hpp"
#include "util/file.hpp"

using kernels::read_file;
using kernels::write_file_atomic;
using kernels::test::TempDir;

TEST_CASE("read_file reads a file whole, bytes unchanged", "[util][file]") {
  TempDir dir;
  std::string data("a\0b\r\nc", 6);
  auto path = dir.write("x.bin", data);
  auto r = read_file(path);
  REQUIRE(r.ok());
  CHECK(*r == data);
}

TEST_CASE("read_file names the path and the reason when it fails", "[util][file]") {
  TempDir dir;
  auto missing = read_file(dir.path() + "/nope.toml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "io");
  CHECK(missing.error().message == "cannot open " + dir.path() + "/nope.toml: No such file or directory");

  auto directory = read_file(dir.path());
  REQUIRE_FALSE(directory.ok());
  CHECK(directory.error().message == dir.path() + " is a directory, not a file");

  auto big = dir.write("big", std::string(100, 'x'));
  auto too_big = read_file(big, 10);
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().message == big + " is too large (100 bytes; the limit is 10)");
}

TEST_CASE("read_file refuses a FIFO at once instead of waiting for a writer", "[util][file]") {
  TempDir dir;
  std::string fifo = dir.path() + "/kernels.lock";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto r = read_file(fifo);  // with a blocking open this call would never return
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == fifo + " is not a regular file");
}

TEST_CASE("write_file_atomic replaces the whole file and leaves no temporary", "[util][file]") {
  TempDir dir;
  auto path = dir.write("kernels.lock", "old");
  REQUIRE(write_file_atomic(path, "new contents").ok());
  CHECK(*read_file(path) == "new contents");
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("write_file_atomic fails cleanly and leaves the old file untouched", "[util][file]") {
  TempDir dir;
  auto path = dir.write("sub/kernels.lock", "old");
  if (::geteuid() == 0) {
    // root ignores directory permissions: make the target's parent vanish instead.
    auto r = write_file_atomic(dir.path() + "/missing-dir/kernels.lock", "x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("cannot create a temporary file in " + dir.path() + "/missing-dir") == 0);
  } else {
    ::chmod((dir.path() + "/sub").c_str(), 0555);
    auto r = write_file_atomic(path, "new");
    ::chmod((dir.path() + "/sub").c_str(), 0755);
    REQUIRE_FALSE(r.ok());
  }
  CHECK(*read_file(path) == "old");
}
