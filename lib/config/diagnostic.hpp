// A problem found in a KernelConfig file: where, how bad, a stable code, the
// message, and optionally a hint on how to fix it. Every code `kernels check`
// reports is in one table (diagnostic.cpp, check_codes()): its name and its
// default severity. kernels-check(1) lists the same
// codes (a unit test compares the page with the table), and `kernels check
// --ignore/--select` accept exactly these names.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kernels::config {

enum class Severity { Error, Warning, Note };

// "error", "warning", "note".
const char* severity_name(Severity s);

// The codes of `kernels check`, in the order kernels-check(1) lists them.
enum class Code {
  // Errors.
  Io,
  Syntax,
  EmptyFile,
  NoKernels,
  UnknownTopLevel,
  WrongType,
  MissingKey,
  MappingNotTable,
  UnregisteredLayer,
  UnsupportedDevice,
  TrustRemoteCodeType,
  MissingVersion,
  VersionAndRevision,
  InvalidVersion,
  InvalidRevision,
  InvalidRepo,
  InvalidRepoId,
  InvalidLayerName,
  LocalPath,
  LocalMetadata,
  InvalidMapping,
  FusionNoMembers,
  FusionPath,
  FusionParents,
  FusionNoMatch,
  FusionMissingChild,
  UnknownDevice,
  CapabilityDevice,
  InvalidCapability,
  UnknownMode,
  DuplicateLayer,
  // Warnings.
  UnknownKey,
  EmptyMapping,
  VersionConflict,
  // Notes.
  RegistrationUnchecked,
};

struct CodeInfo {
  Code code;
  std::string_view name;  // stable, kebab-case: "unknown-key"
  Severity severity;      // the severity kernels check gives it
  // false: --ignore and --select never drop it (io, syntax: a file that
  // cannot be read or parsed has not been checked at all).
  bool filterable = true;
};

// Every code, in the order of the enum.
std::span<const CodeInfo> check_codes();
const CodeInfo& code_info(Code code);
// The code named `name`, or nullopt.
std::optional<Code> find_code(std::string_view name);

struct Diagnostic {
  std::string code;  // stable, kebab-case; kernels check's codes are check_codes()
  Severity severity = Severity::Error;
  std::uint32_t line = 0;    // 1-based; 0 = the file as a whole
  std::uint32_t column = 0;  // 1-based, in code points; 0 = the file as a whole
  std::string message;
  std::string hint;  // empty: none; may hold several lines
};

// A diagnostic with `code`'s name and default severity.
Diagnostic make_diagnostic(Code code, std::uint32_t line, std::uint32_t column, std::string message,
                           std::string hint = "");

bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace kernels::config
