#include "config/diagnostic.hpp"

#include <algorithm>
#include <array>

namespace kernels::config {
namespace {

using S = Severity;

// The one table of kernels check's codes. kernels-check(1), DIAGNOSTIC CODES,
// lists the same lines (tests/unit/config/check_codes_test.cpp compares them).
constexpr std::array<CodeInfo, 35> kCodes{{
    {Code::Io, "io", S::Error, false},
    {Code::Syntax, "syntax", S::Error, false},
    {Code::EmptyFile, "empty-file", S::Error},
    {Code::NoKernels, "no-kernels", S::Error},
    {Code::UnknownTopLevel, "unknown-top-level", S::Error},
    {Code::WrongType, "wrong-type", S::Error},
    {Code::MissingKey, "missing-key", S::Error},
    {Code::MappingNotTable, "mapping-not-table", S::Error},
    {Code::UnregisteredLayer, "unregistered-layer", S::Error},
    {Code::UnsupportedDevice, "unsupported-device", S::Error},
    {Code::TrustRemoteCodeType, "trust-remote-code-type", S::Error},
    {Code::MissingVersion, "missing-version", S::Error},
    {Code::VersionAndRevision, "version-and-revision", S::Error},
    {Code::InvalidVersion, "invalid-version", S::Error},
    {Code::InvalidRevision, "invalid-revision", S::Error},
    {Code::InvalidRepo, "invalid-repo", S::Error},
    {Code::InvalidRepoId, "invalid-repo-id", S::Error},
    {Code::InvalidLayerName, "invalid-layer-name", S::Error},
    {Code::LocalPath, "local-path", S::Error},
    {Code::LocalMetadata, "local-metadata", S::Error},
    {Code::InvalidMapping, "invalid-mapping", S::Error},
    {Code::FusionNoMembers, "fusion-no-members", S::Error},
    {Code::FusionPath, "fusion-path", S::Error},
    {Code::FusionParents, "fusion-parents", S::Error},
    {Code::FusionNoMatch, "fusion-no-match", S::Error},
    {Code::FusionMissingChild, "fusion-missing-child", S::Error},
    {Code::UnknownDevice, "unknown-device", S::Error},
    {Code::CapabilityDevice, "capability-device", S::Error},
    {Code::InvalidCapability, "invalid-capability", S::Error},
    {Code::UnknownMode, "unknown-mode", S::Error},
    {Code::DuplicateLayer, "duplicate-layer", S::Error},
    {Code::UnknownKey, "unknown-key", S::Warning},
    {Code::EmptyMapping, "empty-mapping", S::Warning},
    {Code::VersionConflict, "version-conflict", S::Warning},
    {Code::RegistrationUnchecked, "registration-unchecked", S::Note},
}};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kCodes.size(); ++i)
    if (static_cast<std::size_t>(kCodes[i].code) != i) return false;
  return true;
}
static_assert(in_enum_order(), "kCodes must list every Code once, in the enum's order");
static_assert(static_cast<std::size_t>(Code::RegistrationUnchecked) + 1 == kCodes.size(), "a Code without a row");

}  // namespace

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::span<const CodeInfo> check_codes() { return kCodes; }

const CodeInfo& code_info(Code code) { return kCodes[static_cast<std::size_t>(code)]; }

std::optional<Code> find_code(std::string_view name) {
  for (const auto& c : kCodes)
    if (c.name == name) return c.code;
  return std::nullopt;
}

Diagnostic make_diagnostic(Code code, std::uint32_t line, std::uint32_t column, std::string message, std::string hint) {
  const CodeInfo& info = code_info(code);
  return Diagnostic{std::string(info.name), info.severity, line, column, std::move(message), std::move(hint)};
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

}  // namespace kernels::config
