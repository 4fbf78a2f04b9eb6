#include <catch2/catch.hpp>

#include "hub/client.hpp"

using namespace kernels::hub;

TEST_CASE("kernel-status.toml: a redirect with and without revision", "[hub][status]") {
  auto r = parse_kernel_status("kind = \"redirect\"\ndestination = \"org/new\"\n", "org/old");
  REQUIRE(r.ok());
  REQUIRE(*r);
  CHECK((*r)->destination == "org/new");
  CHECK((*r)->revision == "main");
  auto rev = parse_kernel_status("kind = \"redirect\"\ndestination = \"org/new\"\nrevision = \"v2\"\n", "org/old");
  CHECK((*rev)->revision == "v2");
}

TEST_CASE("kernel-status.toml: bad files are errors that say why", "[hub][status]") {
  auto kind = parse_kernel_status("kind = \"archived\"\n", "org/old");
  REQUIRE_FALSE(kind.ok());
  CHECK(kind.error().message.find("kind must be \"redirect\"") != std::string::npos);
  auto dest = parse_kernel_status("kind = \"redirect\"\ndestination = \"\"\n", "org/old");
  REQUIRE_FALSE(dest.ok());
  CHECK(dest.error().message.find("destination") != std::string::npos);
  auto syntax = parse_kernel_status("kind = ", "org/old");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error().code == "bad-status");
  CHECK_FALSE(parse_kernel_status("destination = \"a/b\"\n", "org/old").ok());
}
