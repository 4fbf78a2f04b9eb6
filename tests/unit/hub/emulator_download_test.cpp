// The emulator's download routes (huggingface_hub's hf_hub_download): HEAD metadata on resolve
// for git and LFS files, Range on both hosts, LFS objects streamed from disk,
// and the kernels-test/download fixture's metadata.json files.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

#include "hub/http.hpp"
#include "tests/hub/git_store.hpp"
#include "tests/unit/hub/hub_test_support.hpp"

using namespace kernels;
using kernels::hub_emulator::TestHub;

namespace {

TestHub& download_hub() {
  static TestHub hub;
  return hub;
}

hub::HttpResponse fetch(const std::string& url, const std::string& method = "GET", const std::string& range = "") {
  static hub::HttpClient http("emulator-download-test");
  hub::HttpRequest r;
  r.method = method;
  r.url = url;
  r.accept_compressed = false;
  if (!range.empty()) r.headers.emplace_back("Range", range);
  auto res = http.perform(r);
  REQUIRE(res.ok());
  return *res;
}

const std::string kCu128 = "torch210-cxx11-cu128-x86_64-linux";

std::string resolve_url(TestHub& hub, const std::string& path, const std::string& rev = "v1") {
  return hub.endpoint() + "/kernels/kernels-test/download/resolve/" + rev + "/" + path;
}

const hub_emulator::VariantFile& so_file(TestHub& hub, const std::string& variant) {
  for (const auto& f : hub.download_variants.at(variant).files) {
    if (f.lfs) return f;
  }
  FAIL("no LFS file in " << variant);
  throw std::logic_error("unreachable");
}

// `openssl dgst -sha256 -binary FILE | base64`: the digest value computed by other tools.
std::string openssl_base64(const std::string& content) {
  hub_emulator::ScratchDir dir;
  std::string file = dir.path() + "/f";
  { std::ofstream(file, std::ios::binary) << content; }
  auto r = hub_emulator::run_capture({"sh", "-c", "openssl dgst -sha256 -binary \"$0\" | base64 -w0", file});
  REQUIRE(r.status == 0);
  return r.out;
}

}  // namespace

TEST_CASE("emulator HEAD on a git file: 200, quoted git sha1 ETag, X-Repo-Commit, Content-Length", "[hub][emulator]") {
  auto& hub = download_hub();
  const auto& init = hub.download_variants.at(kCu128).files.at(0);
  auto head = fetch(resolve_url(hub, "build/" + kCu128 + "/" + init.path), "HEAD");
  CHECK(head.status == 200);
  CHECK(head.header("etag") == "\"" + hub_emulator::git_blob_oid(init.content) + "\"");
  CHECK(head.header("x-repo-commit") == hub.download_commit);
  CHECK(head.header("content-length") == std::to_string(init.content.size()));
  CHECK(head.body.empty());
  auto blobs = hub_test::git_ls_tree(hub.git_dir("kernels-test/download"), hub.download_commit);
  CHECK(blobs.at("build/" + kCu128 + "/" + init.path).oid == hub_emulator::git_blob_oid(init.content));
}

TEST_CASE("emulator HEAD on an LFS file: 302 to the LFS host with X-Linked-Etag, X-Linked-Size, X-Repo-Commit",
          "[hub][emulator]") {
  auto& hub = download_hub();
  const auto& so = so_file(hub, kCu128);
  std::string sha = hub_emulator::sha256_hex(so.content);
  auto head = fetch(resolve_url(hub, "build/" + kCu128 + "/" + so.path), "HEAD");
  CHECK(head.status == 302);
  CHECK(head.header("location") == hub.emulator().lfs_endpoint() + "/lfs/kernels-test/download/" + sha);
  CHECK(head.header("x-linked-etag") == "\"" + sha + "\"");
  CHECK(head.header("x-linked-size") == std::to_string(so.content.size()));
  CHECK(head.header("x-repo-commit") == hub.download_commit);
  CHECK(head.header("location").rfind("http://127.0.0.2:", 0) == 0);
}

TEST_CASE("emulator LFS host: whole object, bytes=N- as 206 with Content-Range, 416 past the end", "[hub][emulator]") {
  auto& hub = download_hub();
  const auto& so = so_file(hub, kCu128);
  std::string url =
      hub.emulator().lfs_endpoint() + "/lfs/kernels-test/download/" + hub_emulator::sha256_hex(so.content);
  const std::size_t size = so.content.size();
  auto whole = fetch(url);
  CHECK(whole.status == 200);
  CHECK(whole.body == so.content);
  CHECK(whole.header("content-length") == std::to_string(size));
  CHECK(whole.header("accept-ranges") == "bytes");

  auto tail = fetch(url, "GET", "bytes=1000-");
  CHECK(tail.status == 206);
  CHECK(tail.header("content-range") == "bytes 1000-" + std::to_string(size - 1) + "/" + std::to_string(size));
  CHECK(tail.body == so.content.substr(1000));

  auto last_byte = fetch(url, "GET", "bytes=" + std::to_string(size - 1) + "-");
  CHECK(last_byte.status == 206);
  CHECK(last_byte.body == so.content.substr(size - 1));

  auto middle = fetch(url, "GET", "bytes=10-19");
  CHECK(middle.status == 206);
  CHECK(middle.header("content-range") == "bytes 10-19/" + std::to_string(size));
  CHECK(middle.body == so.content.substr(10, 10));

  auto suffix = fetch(url, "GET", "bytes=-5");
  CHECK(suffix.status == 206);
  CHECK(suffix.body == so.content.substr(size - 5));

  auto past = fetch(url, "GET", "bytes=" + std::to_string(size) + "-");
  CHECK(past.status == 416);
  CHECK(past.header("content-range") == "bytes */" + std::to_string(size));
  CHECK(past.body.empty());

  auto missing = fetch(hub.emulator().lfs_endpoint() + "/lfs/kernels-test/download/" + std::string(64, 'a'));
  CHECK(missing.status == 404);
}

TEST_CASE("emulator resolve of a git file: bytes=N- as 206 with Content-Range, 416 past the end", "[hub][emulator]") {
  auto& hub = download_hub();
  std::string url = resolve_url(hub, "README.md");
  const std::string readme = "# download fixtures\n";
  auto part = fetch(url, "GET", "bytes=2-");
  CHECK(part.status == 206);
  CHECK(part.header("content-range") ==
        "bytes 2-" + std::to_string(readme.size() - 1) + "/" + std::to_string(readme.size()));
  CHECK(part.body == readme.substr(2));
  CHECK(part.header("x-repo-commit") == hub.download_commit);
  auto past = fetch(url, "GET", "bytes=" + std::to_string(readme.size()) + "-");
  CHECK(past.status == 416);
  CHECK(past.header("content-range") == "bytes */" + std::to_string(readme.size()));
  auto several = fetch(url, "GET", "bytes=0-1,4-5");  // not served as multipart: the whole body
  CHECK(several.status == 200);
  CHECK(several.body == readme);
}

TEST_CASE("emulator streams a large LFS object from disk in chunks, ranges across chunk borders", "[hub][emulator]") {
  hub_emulator::ScratchDir root;
  hub_emulator::FixtureRepo repo(root.path(), "o/big");
  std::string content(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 2654435761u) >> 13);
  repo.write_lfs("big.bin", content);
  std::string commit = repo.commit("main");
  hub_emulator::EmulatorOptions options;
  options.root = root.path();
  hub_emulator::HubEmulator emulator(options);
  emulator.start();
  std::string sha = hub_emulator::sha256_hex(content);
  auto head = fetch(emulator.endpoint() + "/kernels/o/big/resolve/main/big.bin", "HEAD");
  REQUIRE(head.status == 302);
  CHECK(head.header("x-linked-size") == std::to_string(content.size()));
  auto whole = fetch(head.header("location"));
  CHECK(whole.status == 200);
  CHECK(whole.body.size() == content.size());
  CHECK(hub_emulator::sha256_hex(whole.body) == sha);
  const std::size_t from = 256 * 1024 - 3;  // starts 3 bytes before the first chunk border
  auto part = fetch(head.header("location"), "GET", "bytes=" + std::to_string(from) + "-");
  CHECK(part.status == 206);
  CHECK(part.body == content.substr(from));
}

TEST_CASE("download fixture: metadata.json per variant in serde's field order, digests as OpenSSL computes them",
          "[hub][emulator]") {
  auto& hub = download_hub();
  REQUIRE(hub.download_variants.size() == 7);
  for (const auto& [variant, fixture] : hub.download_variants) {
    INFO(variant);
    auto served = fetch(resolve_url(hub, "build/" + variant + "/metadata.json"));
    REQUIRE(served.status == 200);
    CHECK(served.body == fixture.metadata);
    auto meta = nlohmann::ordered_json::parse(served.body);
    std::vector<std::string> keys;
    for (const auto& item : meta.items()) keys.push_back(item.key());
    std::vector<std::string> expected_keys = {"name",           "id",     "version", "license", "python-depends",
                                              "kernel-depends", "backend"};
    if (variant != "torch210-cxx11-cpu-x86_64-linux") expected_keys.push_back("digest");
    CHECK(keys == expected_keys);
    CHECK(meta["name"] == "relu");
    CHECK(meta["kernel-depends"] == nlohmann::ordered_json::array());
    CHECK(served.body.substr(0, 4) == "{\n  ");  // two-space pretty printing
    if (!meta.contains("digest")) continue;
    CHECK(meta["digest"]["algorithm"] == "sha256");
    const auto& files = meta["digest"]["files"];
    std::vector<std::string> expected_paths;
    for (const auto& f : fixture.files) {
      if (f.path.find("__pycache__") == std::string::npos) expected_paths.push_back(f.path);
    }
    std::sort(expected_paths.begin(), expected_paths.end());
    std::vector<std::string> paths;
    for (const auto& item : files.items()) paths.push_back(item.key());
    CHECK(paths == expected_paths);
    for (const auto& f : fixture.files) {
      if (!files.contains(f.path)) continue;
      bool deliberately_wrong = variant == "torch211-cxx11-cu130-x86_64-linux" && f.path == expected_paths.front();
      if (deliberately_wrong) {
        CHECK(files[f.path] != openssl_base64(f.content));
      } else {
        CHECK(files[f.path] == openssl_base64(f.content));
      }
    }
  }
  auto cu128 = nlohmann::json::parse(hub.download_variants.at(kCu128).metadata);
  CHECK(cu128["backend"] == nlohmann::json({{"type", "cuda"}, {"archs", {"8.0", "9.0"}}}));
  auto cu126 = nlohmann::json::parse(hub.download_variants.at("torch210-cxx11-cu126-x86_64-linux").metadata);
  CHECK(std::find(cu126["backend"]["archs"].begin(), cu126["backend"]["archs"].end(), "9.0") ==
        cu126["backend"]["archs"].end());
  auto rocm = nlohmann::json::parse(hub.download_variants.at("torch210-cxx11-rocm71-x86_64-linux").metadata);
  CHECK(rocm["backend"]["type"] == "rocm");
  auto noarch = nlohmann::json::parse(hub.download_variants.at("torch-cuda").metadata);
  CHECK_FALSE(noarch["backend"].contains("archs"));
  // The __pycache__ file is in the repository, only the digest leaves it out.
  auto pyc = fetch(resolve_url(hub, "build/torch210-cxx11-cu126-x86_64-linux/relu/__pycache__/x.pyc"), "HEAD");
  CHECK(pyc.status == 200);
}
