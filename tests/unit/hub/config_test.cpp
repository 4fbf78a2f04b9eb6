#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "hub/config.hpp"
#include "tests/hub/test_hub.hpp"
#include "util/file.hpp"

using kernels::ErrorCode;

using namespace kernels::hub;

namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("defaults follow huggingface_hub: endpoint, HF_HOME under XDG or ~/.cache", "[hub][config]") {
  auto c = load_hub_config(env_of({{"HOME", "/home/u"}}));
  REQUIRE(c.ok());
  CHECK(c->endpoint == "https://huggingface.co");
  CHECK(c->hf_home == "/home/u/.cache/huggingface");
  CHECK(c->hub_cache == "/home/u/.cache/huggingface/hub");
  CHECK(c->kernels_cache == c->hub_cache);
  CHECK_FALSE(c->token);
  CHECK_FALSE(c->offline);
  CHECK(c->repo_type == RepoType::Kernel);

  auto x = load_hub_config(env_of({{"HOME", "/home/u"}, {"XDG_CACHE_HOME", "/xdg"}}));
  CHECK(x->hf_home == "/xdg/huggingface");
  auto h = load_hub_config(env_of({{"HOME", "/home/u"}, {"HF_HOME", "~/hf"}, {"KERNELS_CACHE", "/k"}}));
  CHECK(h->hf_home == "/home/u/hf");
  CHECK(h->hub_cache == "/home/u/hf/hub");
  CHECK(h->kernels_cache == "/k");
  auto hc = load_hub_config(env_of({{"HF_HOME", "/hf"}, {"HF_HUB_CACHE", "/cache"}}));
  CHECK(hc->hub_cache == "/cache");
}

TEST_CASE("HF_ENDPOINT loses its trailing slash, --endpoint wins, a non-URL is refused", "[hub][config]") {
  auto c = load_hub_config(env_of({{"HF_ENDPOINT", "http://127.0.0.1:9/"}}));
  CHECK(c->endpoint == "http://127.0.0.1:9");
  HubOverrides o;
  o.endpoint = "https://mirror.example//";
  CHECK(load_hub_config(env_of({{"HF_ENDPOINT", "http://x"}}), o)->endpoint == "https://mirror.example");
  auto bad = load_hub_config(env_of({{"HF_ENDPOINT", "ftp://x"}}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("HF_ENDPOINT") != std::string::npos);
}

TEST_CASE("token order: --token-file, HF_TOKEN, HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH, $HF_HOME/token",
          "[hub][config]") {
  kernels::hub_emulator::ScratchDir dir;
  REQUIRE(kernels::write_file_atomic(dir.path() + "/token", "  from-home\r\n").ok());
  REQUIRE(kernels::write_file_atomic(dir.path() + "/other", "from-path\n").ok());
  REQUIRE(kernels::write_file_atomic(dir.path() + "/cli", "from-cli\n").ok());
  std::map<std::string, std::string> vars{{"HF_HOME", dir.path()}};
  CHECK(*load_hub_config(env_of(vars))->token == "from-home");
  vars["HF_TOKEN_PATH"] = dir.path() + "/other";
  CHECK(*load_hub_config(env_of(vars))->token == "from-path");
  vars["HUGGING_FACE_HUB_TOKEN"] = "legacy";
  CHECK(*load_hub_config(env_of(vars))->token == "legacy");
  vars["HF_TOKEN"] = "env";
  auto c = load_hub_config(env_of(vars));
  CHECK(*c->token == "env");
  CHECK(c->token_source == "HF_TOKEN");
  HubOverrides o;
  o.token_file = dir.path() + "/cli";
  CHECK(*load_hub_config(env_of(vars), o)->token == "from-cli");
  o.token_file = dir.path() + "/missing";
  auto missing = load_hub_config(env_of(vars), o);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("--token-file") != std::string::npos);
  vars["HF_HUB_DISABLE_IMPLICIT_TOKEN"] = "1";
  CHECK_FALSE(load_hub_config(env_of(vars))->token);
}

TEST_CASE("offline and telemetry switches use huggingface_hub's truthy values", "[hub][config]") {
  CHECK(env_truthy(std::string("1")));
  CHECK(env_truthy(std::string("yes")));
  CHECK(env_truthy(std::string("On")));
  CHECK(env_truthy(std::string("TRUE")));
  CHECK_FALSE(env_truthy(std::string("0")));
  CHECK_FALSE(env_truthy(std::string("")));
  CHECK_FALSE(env_truthy(std::nullopt));
  CHECK(load_hub_config(env_of({{"HF_HUB_OFFLINE", "1"}}))->offline);
  CHECK(load_hub_config(env_of({{"TRANSFORMERS_OFFLINE", "true"}}))->offline);
  HubOverrides o;
  o.offline = true;
  CHECK(load_hub_config(env_of({}), o)->offline);

  auto on = load_hub_config(env_of({}));
  CHECK(on->user_agent.rfind(std::string("kernels-cli/") + KERNELS_VERSION + "; curl/", 0) == 0);
  CHECK(on->user_agent.find("; platform/") != std::string::npos);
  auto off = load_hub_config(env_of({{"HF_HUB_DISABLE_TELEMETRY", "1"}, {"HF_HUB_USER_AGENT_ORIGIN", "ci"}}));
  CHECK(off->user_agent == std::string("kernels-cli/") + KERNELS_VERSION + "; file_type/kernel; origin/ci");
  CHECK(load_hub_config(env_of({{"DO_NOT_TRACK", "1"}}))->user_agent.find("platform/") == std::string::npos);
}

TEST_CASE("a token file that is there but unreadable is an error, not no token", "[hub][config][limits]") {
  // Regression: it was ignored, and a private repo then read as "not found".
  kernels::hub_emulator::ScratchDir dir;
  std::filesystem::create_directories(dir.path() + "/token");  // unreadable as a file, even for root
  std::map<std::string, std::string> vars{{"HF_HOME", dir.path()}};
  auto c = load_hub_config(env_of(vars));
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == ErrorCode::io);
  CHECK_THAT(c.error().message,
             Catch::StartsWith("cannot read the token file ($HF_HOME/token): " + dir.path() + "/token is a directory"));
}
