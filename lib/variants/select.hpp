// Which build variants a System (system.hpp) can load, and which one it
// prefers: the kernels library's acceptance rules and ordering (reference
// lockfile-and-variants §5.3-§5.4), with its reasons word for word, plus
// the newer rule that a CUDA variant whose metadata.json lists
// backend.archs must cover every GPU's compute capability.
//
// Ties: Python sorts a set, so equal keys come out in an order that varies
// between processes; here they are broken by the variant name (bytewise).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "variants/system.hpp"
#include "variants/variant.hpp"

namespace kernels::variants {

struct Candidate {
  std::string name;                               // the folder under build/
  std::optional<std::vector<std::string>> archs;  // metadata.json backend.archs, when known
};

enum class Verdict { Preferred, Compatible, Rejected };

struct Judgement {
  std::string name;
  Verdict verdict = Verdict::Rejected;
  std::string reason;              // set when rejected
  std::optional<Variant> variant;  // unset: not a variant name
};

// Every candidate judged, in preference order: accepted ones first (the
// first of them Preferred), then the rejected ones, then names that do not
// parse as variants (which the kernels library skips).
std::vector<Judgement> judge_variants(const std::vector<Candidate>& candidates, const System& system);

// The preferred judgement, or nullptr when none is accepted.
const Judgement* preferred(const std::vector<Judgement>& judged);

// The kernels library's trace line: "<name> compatible, preferred ✅",
// "<name> compatible ✅" or "<name>: <reason>".
std::string trace_line(const Judgement& j);

// A CUDA build: an arch variant with a cuXY backend, or torch-cuda.
bool is_cuda_variant(const Variant& v);

// "preferred", "compatible", "rejected".
const char* verdict_name(Verdict v);

// Does a backend.archs list cover compute capability `capability` (90 = 9.0)?
// "9.0" and "9.0a" cover 9.0 only; "10.0f" covers 10.x with x >= 0;
// "8.0+PTX" covers 8.0 and everything newer. Entries that do not parse are
// ignored; a list with no entry that parses covers everything.
bool archs_cover(const std::vector<std::string>& archs, int capability);

}  // namespace kernels::variants
