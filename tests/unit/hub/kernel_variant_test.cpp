// The fixture builder's metadata.json and digest (tests/hub/kernel_variant.hpp)
// against kernels-data's digest rules and vectors.
#include <catch2/catch.hpp>

#include "tests/hub/git_store.hpp"
#include "tests/hub/kernel_variant.hpp"
#include "tests/hub/test_hub.hpp"

using namespace kernels::hub_emulator;

TEST_CASE("variant digest: sha256 base64 with padding matches the reference vector", "[hub][emulator]") {
  CHECK(sha256_base64("hello world") == "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
  CHECK(base64("a") == "YQ==");
  CHECK(base64("ab") == "YWI=");
  CHECK(base64("") == "");
  CHECK(hex_to_base64(sha256_hex("hello world")) == "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
}

TEST_CASE("variant digest skips top-level metadata files, __pycache__ and .pyc, keeps the rest", "[hub][emulator]") {
  CHECK_FALSE(digest_covers("metadata.json"));
  CHECK_FALSE(digest_covers("metadata.json.sigstore"));
  CHECK(digest_covers("relu/metadata.json"));  // nested copies are hashed
  CHECK_FALSE(digest_covers("relu/__pycache__/x.cpython-311.opt"));
  CHECK_FALSE(digest_covers("__pycache__/x"));
  CHECK_FALSE(digest_covers("relu/x.pyc"));
  CHECK(digest_covers("relu/.pyc"));   // no extension
  CHECK(digest_covers("relu/x.PYC"));  // case-sensitive
  CHECK(digest_covers("relu/__pycache__x/y.py"));
  auto d = variant_digest(
      {{"b/x.py", "hello world"}, {"a.so", ""}, {"b/__pycache__/x.pyc", "junk"}, {"metadata.json", "{}"}});
  REQUIRE(d.size() == 2);
  CHECK(d.begin()->first == "a.so");
  CHECK(d.at("b/x.py") == "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
  auto upper = variant_digest({{"b", "1"}, {"B", "2"}, {"a", "3"}});
  CHECK(upper.begin()->first == "B");  // bytewise: 'B' (0x42) < 'a' < 'b'
}

TEST_CASE("metadata.json bytes: serde pretty printing in kebab-case field order", "[hub][emulator]") {
  VariantMetadata meta;
  meta.name = "relu";
  meta.id = "_relu_1";
  meta.backend = "cuda";
  meta.archs = std::vector<std::string>{"8.0", "9.0"};
  meta.python_depends = {"einops"};
  std::string text = metadata_json(meta, {{"relu/__init__.py", "AAAA"}});
  CHECK(text ==
        "{\n"
        "  \"name\": \"relu\",\n"
        "  \"id\": \"_relu_1\",\n"
        "  \"version\": 1,\n"
        "  \"license\": \"Apache-2.0\",\n"
        "  \"python-depends\": [\n"
        "    \"einops\"\n"
        "  ],\n"
        "  \"kernel-depends\": [],\n"
        "  \"backend\": {\n"
        "    \"type\": \"cuda\",\n"
        "    \"archs\": [\n"
        "      \"8.0\",\n"
        "      \"9.0\"\n"
        "    ]\n"
        "  },\n"
        "  \"digest\": {\n"
        "    \"algorithm\": \"sha256\",\n"
        "    \"files\": {\n"
        "      \"relu/__init__.py\": \"AAAA\"\n"
        "    }\n"
        "  }\n"
        "}");
  meta.digest = DigestKind::none;
  meta.archs.reset();
  meta.python_depends.clear();
  CHECK(metadata_json(meta, {}) ==
        "{\n  \"name\": \"relu\",\n  \"id\": \"_relu_1\",\n  \"version\": 1,\n  \"license\": \"Apache-2.0\",\n"
        "  \"python-depends\": [],\n  \"kernel-depends\": [],\n  \"backend\": {\n    \"type\": \"cuda\"\n  }\n}");
}

TEST_CASE("write_variant commits files, LFS pointers and metadata.json, wrong_entry spoils one hash",
          "[hub][emulator]") {
  ScratchDir root;
  FixtureRepo repo(root.path(), "o/k");
  VariantMetadata meta;
  meta.name = "k";
  meta.id = "_k_1";
  meta.backend = "cpu";
  meta.digest = DigestKind::wrong_entry;
  std::vector<VariantFile> files = {{"k/__init__.py", "x = 1\n"}, {"k/_k.so", std::string(2000, '\7'), true}};
  std::string text = write_variant(repo, "torch-cpu", files, meta);
  std::string commit = repo.commit("main");
  auto shown = run_git(repo.git_dir(), {"show", commit + ":build/torch-cpu/metadata.json"});
  CHECK(shown.out == text);
  auto pointer = run_git(repo.git_dir(), {"show", commit + ":build/torch-cpu/k/_k.so"});
  CHECK(pointer.out == lfs_pointer(sha256_hex(files[1].content), 2000));
  CHECK(text.find("\"k/_k.so\": \"" + sha256_base64(files[1].content) + "\"") != std::string::npos);
  CHECK(text.find(sha256_base64(files[0].content)) == std::string::npos);  // the first key is the wrong one
}
