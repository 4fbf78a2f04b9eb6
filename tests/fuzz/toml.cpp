// kernels::toml::parse, the TOML reader under `kernels check` and
// pyproject.toml: any bytes give a document or a SyntaxError, never a crash
// or a stack overflow (nesting is bounded at kMaxNesting).
#include <variant>
#include <vector>

#include "config/toml.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::fuzz::require;
namespace toml = kernels::toml;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = toml::parse(kernels::fuzz::text_of(data, size));
  if (auto* error = std::get_if<toml::SyntaxError>(&parsed)) {
    require(!error->message.empty(), "a syntax error has a message");
    return 0;
  }
  // Walk the document without recursion (its depth is the parser's promise,
  // not this walker's) and check what a TOML table guarantees: unique keys,
  // each found again through the index.
  std::vector<const toml::Value*> pending{&std::get<toml::Value>(parsed)};
  while (!pending.empty()) {
    const toml::Value* v = pending.back();
    pending.pop_back();
    (void)toml::type_name(v->type);
    if (v->is_table()) {
      require(v->index.size() == v->table.size(), "one index entry per table key");
      for (const auto& entry : v->table) {
        require(v->find(entry.key) == &entry.value, "every key is found at its own entry");
        pending.push_back(&entry.value);
      }
    } else if (v->is_array()) {
      for (const auto& item : v->array) pending.push_back(&item);
    }
  }
  return 0;
}
