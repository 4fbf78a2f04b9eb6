#include <catch2/catch.hpp>

#include "sigstore/encoding.hpp"

using kernels::ErrorCode;

using namespace kernels::sigstore;

TEST_CASE("base64: RFC 4648 vectors both ways", "[sigstore][encoding]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    auto d = base64_decode(encoded);
    REQUIRE(d.ok());
    CHECK(*d == plain);
  }
  // Unpadded and URL-safe forms, as protobuf JSON accepts them.
  CHECK(*base64_decode("Zm8") == "fo");
  CHECK(*base64_decode("-_8=") == std::string("\xfb\xff", 2));
}

TEST_CASE("base64: hostile input is an error, never garbage", "[sigstore][encoding]") {
  CHECK(base64_decode("INVALID!!!BASE64!!!ENCODING====").error().code == ErrorCode::encoding);
  CHECK(!base64_decode("Zm9v Ym").ok());  // spaces (line breaks are skipped, as `base64` wraps)
  CHECK(*base64_decode("Zm9v\r\nYmFy\n") == "foobar");
  CHECK(!base64_decode("Z").ok());      // dangling character
  CHECK(!base64_decode("Zm=v").ok());   // '=' inside
  CHECK(!base64_decode("Zh==").ok());   // non-zero trailing bits
  CHECK(!base64_decode("Zg===").ok());  // three pads
  std::string big(4000, 'A');
  auto limited = base64_decode(big, 100);
  REQUIRE(!limited.ok());
  CHECK(limited.error().message.find("too large") != std::string::npos);
}

TEST_CASE("hex: round trip and bad digits", "[sigstore][encoding]") {
  CHECK(hex_encode(std::string("\x00\xab\xff", 3)) == "00abff");
  CHECK(*hex_decode("00ABff") == std::string("\x00\xab\xff", 3));
  CHECK(!hex_decode("abc").ok());
  CHECK(!hex_decode("zz").ok());
}

TEST_CASE("PEM: blocks, labels and malformed blocks", "[sigstore][encoding]") {
  std::string two = pem_encode("one", "CERTIFICATE") + "junk between\n" + pem_encode("two", "CERTIFICATE");
  auto blocks = pem_decode(two, "CERTIFICATE");
  REQUIRE(blocks.ok());
  REQUIRE(blocks->size() == 2);
  CHECK((*blocks)[0] == "one");
  CHECK((*blocks)[1] == "two");
  CHECK(!pem_decode(two, "CERTIFICATE", 1).ok());                                 // block limit
  CHECK(!pem_decode(two, "PUBLIC KEY").ok());                                     // no block of that label
  CHECK(!pem_decode("-----BEGIN CERTIFICATE-----\nAAAA\n", "CERTIFICATE").ok());  // unterminated
  CHECK(!pem_decode("-----BEGIN CERTIFICATE-----\nAAAA\n-----END PUBLIC KEY-----\n", "CERTIFICATE").ok());
  CHECK(!pem_decode("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "CERTIFICATE").ok());
  CHECK(!pem_decode("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "CERTIFICATE").ok());  // empty
}

TEST_CASE("sha256: the empty string and 'abc'", "[sigstore][encoding]") {
  CHECK(hex_encode(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_encode(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
