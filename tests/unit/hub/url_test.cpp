#include <catch2/catch.hpp>

#include "hub/url.hpp"

using namespace kernels::hub;

// Expected values: Python's urllib.parse.quote, by hand.
TEST_CASE("percent_encode matches Python's quote", "[hub][url]") {
  CHECK(percent_encode("refs/pr/1", "") == "refs%2Fpr%2F1");
  CHECK(percent_encode("build/torch-cpu/x y.py") == "build/torch-cpu/x%20y.py");
  CHECK(percent_encode("a_b.c-d~e") == "a_b.c-d~e");
  CHECK(percent_encode("é") == "%C3%A9");
  CHECK(percent_encode("a+b&c=d?#") == "a%2Bb%26c%3Dd%3F%23");
}

TEST_CASE("percent_decode reverses percent_encode and keeps bad escapes", "[hub][url]") {
  CHECK(percent_decode("refs%2Fpr%2F1") == "refs/pr/1");
  CHECK(percent_decode("%C3%A9") == "é");
  CHECK(percent_decode("100%") == "100%");
  CHECK(percent_decode("%zz") == "%zz");
}

TEST_CASE("url_origin and resolve_location", "[hub][url]") {
  CHECK(url_origin("HTTP://127.0.0.1:8080/api/x?y") == "http://127.0.0.1:8080");
  CHECK(url_origin("no-scheme") == "");
  CHECK(resolve_location("http://h:1/a/b?q", "/c/d") == "http://h:1/c/d");
  CHECK(resolve_location("http://h:1/a/b?q", "https://other/x") == "https://other/x");
  CHECK(resolve_location("http://h:1/a/b", "c") == "http://h:1/a/c");
  CHECK(resolve_location("https://h/a", "//cdn/x") == "https://cdn/x");
}
