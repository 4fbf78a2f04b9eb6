// The selection rules, case by case, from tests/data/variants/selection.txt
// (written by hand from the reference's §5.3-§5.4), and the archs rule.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include "tests/support/process.hpp"
#include "variants/probe.hpp"
#include "variants/select.hpp"

using namespace kernels::variants;

namespace {

struct Expected {
  std::string name;
  std::string verdict;
  std::string reason;
};

struct Block {
  int line = 0;
  System system;
  std::vector<Candidate> candidates;
  std::vector<Expected> expected;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

std::optional<Version> version_or_none(const std::string& v) {
  if (v == "None") return std::nullopt;
  auto parsed = parse_major_minor(v);
  REQUIRE(parsed);
  return parsed;
}

std::vector<Block> read_blocks() {
  std::ifstream in(kernels::test::data_path("variants/selection.txt"));
  REQUIRE(in);
  std::vector<Block> blocks;
  Block* open = nullptr;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first == "system") {
      blocks.emplace_back();
      open = &blocks.back();
      open->line = number;
      for (std::string kv; words >> kv;) {
        auto eq = kv.find('=');
        REQUIRE(eq != std::string::npos);
        std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "cpu") open->system.cpu = v;
        else if (k == "os") open->system.os = v;
        else if (k == "torch") open->system.torch = version_or_none(v);
        else if (k == "tvm") open->system.tvm_ffi = version_or_none(v);
        else if (k == "cxx11") {
          if (v != "None") open->system.cxx11_abi = v == "True";
        } else if (k == "backend") {
          auto b = parse_backend(v);
          REQUIRE(b.ok());
          open->system.backend = *b;
        } else if (k == "gpus") {
          int i = 0;
          for (const auto& c : split(v, ',')) open->system.gpus.push_back(Gpu{i++, "", std::stoi(c)});
        } else {
          FAIL("unknown system key " << k << " on line " << number);
        }
      }
    } else if (first == "end") {
      open = nullptr;
    } else {
      REQUIRE(open != nullptr);
      Candidate c{first, std::nullopt};
      Expected e{first, "", ""};
      std::string word;
      words >> word;
      if (word.rfind("archs=", 0) == 0) {
        c.archs = split(word.substr(6), ',');
        words >> word;
      }
      e.verdict = word;
      std::getline(words, e.reason);
      if (!e.reason.empty() && e.reason[0] == ' ') e.reason.erase(0, 1);
      open->candidates.push_back(c);
      open->expected.push_back(e);
    }
  }
  REQUIRE(open == nullptr);
  return blocks;
}

}  // namespace

TEST_CASE("variant selection: the fixture table, order and reasons, from shuffled input", "[variants][select]") {
  auto blocks = read_blocks();
  REQUIRE(blocks.size() >= 10);
  std::mt19937 rng(42);
  for (const auto& block : blocks) {
    for (int round = 0; round < 3; ++round) {
      auto input = block.candidates;
      if (round == 1) std::reverse(input.begin(), input.end());
      if (round == 2) std::shuffle(input.begin(), input.end(), rng);
      auto judged = judge_variants(input, block.system);
      INFO("block at line " << block.line << ", round " << round);
      REQUIRE(judged.size() == block.expected.size());
      for (std::size_t i = 0; i < judged.size(); ++i) {
        const auto& e = block.expected[i];
        INFO("position " << i << ": expected " << e.name << ", got " << judged[i].name);
        CHECK(judged[i].name == e.name);
        CHECK(verdict_name(judged[i].verdict) == e.verdict);
        if (e.verdict == "rejected" && !e.reason.empty()) {
          if (e.reason.size() > 3 && e.reason.compare(e.reason.size() - 3, 3, "...") == 0) {
            CHECK(judged[i].reason.rfind(e.reason.substr(0, e.reason.size() - 3), 0) == 0);
          } else {
            CHECK(judged[i].reason == e.reason);
          }
        }
        if (e.verdict != "rejected") CHECK(judged[i].reason.empty());
      }
    }
  }
}

TEST_CASE("variant selection: preferred and the kernels library's trace lines", "[variants][select]") {
  System s;
  s.cpu = "x86_64";
  s.os = "linux";
  s.torch = Version{2, 12};
  s.cxx11_abi = true;
  s.backend = *parse_backend("cu130");
  auto judged =
      judge_variants({{"torch-universal", {}}, {"torch212-cxx11-cu130-x86_64-linux", {}}, {"torch-cpu", {}}}, s);
  REQUIRE(preferred(judged) != nullptr);
  CHECK(preferred(judged)->name == "torch212-cxx11-cu130-x86_64-linux");
  CHECK(trace_line(judged[0]) == "torch212-cxx11-cu130-x86_64-linux compatible, preferred \xE2\x9C\x85");
  CHECK(trace_line(judged[1]) == "torch-universal compatible \xE2\x9C\x85");
  CHECK(trace_line(judged[2]) == "torch-cpu: backend (cpu) does not match system backend (cuda) and is not universal");

  auto none = judge_variants({{"torch-cpu", {}}}, s);
  CHECK(preferred(none) == nullptr);
  CHECK(judge_variants({}, s).empty());
}

TEST_CASE("variant selection: backend.archs coverage", "[variants][select]") {
  CHECK(archs_cover({"8.0", "9.0"}, 90));
  CHECK(archs_cover({"9.0a"}, 90));
  CHECK_FALSE(archs_cover({"9.0a"}, 100));
  CHECK(archs_cover({"10.0f"}, 103));
  CHECK_FALSE(archs_cover({"10.0f"}, 120));
  CHECK_FALSE(archs_cover({"10.3f"}, 100));
  CHECK(archs_cover({"8.0+PTX"}, 120));
  CHECK_FALSE(archs_cover({"9.0+PTX"}, 89));
  CHECK(archs_cover({"12.0"}, 120));
  CHECK_FALSE(archs_cover({"8.0", "8.6"}, 89));
  // Nothing that parses: no constraint.
  CHECK(archs_cover({"sm_90", ""}, 90));
  CHECK(archs_cover({}, 90));
  // A CPU variant's archs are not GPU capabilities.
  System s;
  s.cpu = "x86_64";
  s.os = "linux";
  s.backend = *parse_backend("cpu");
  s.gpus = {Gpu{0, "", 90}};
  auto j = judge_variants({{"torch-cpu", std::vector<std::string>{"8.0"}}}, s);
  CHECK(j[0].verdict == Verdict::Preferred);
}
