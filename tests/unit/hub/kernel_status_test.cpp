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

TEST_CASE("kernel-status.toml: deep nesting is a clear error, not a crash", "[hub][status][limits]") {
  // Regression: 20k nested arrays crashed lock and info (toml11 recursed without a limit).
  std::string deep = "kind = \"redirect\"\ndestination = \"a/b\"\nx = " + std::string(20000, '[') +
                     std::string(20000, ']') + "\n";
  auto r = parse_kernel_status(deep, "org/old");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "bad-status");
  CHECK_THAT(r.error().message, Catch::Contains("not valid TOML: line 3"));
}

TEST_CASE("kernel-status.toml: a destination or revision that is no Hub id is refused", "[hub][status][limits]") {
  // Regression: "evil/x/../k2" went into kernels.lock, "../../api/whoami-v2?" sent the token to that path.
  for (const char* bad : {"evil/x/../k2", "../../api/whoami-v2?", "org/na me", "org/\\u001b[2Jx"}) {
    auto r = parse_kernel_status("kind = \"redirect\"\ndestination = \"" + std::string(bad) + "\"\n", "org/old");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("the destination is not a Hub repo id"));
  }
  for (const char* bad : {"../../x", "a b", "main\\n", "-x", ""}) {
    auto r = parse_kernel_status(std::string("kind = \"redirect\"\ndestination = \"a/b\"\nrevision = \"") + bad + "\"\n",
                                 "org/old");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("the revision "));
  }
}
