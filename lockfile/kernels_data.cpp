#include "lockfile/kernels_data.hpp"

#include <initializer_list>
#include <optional>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

namespace kernels::lockfile::detail {
namespace {

using Json = nlohmann::ordered_json;

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Reads one entry of a kernels-data lock; errors start with the position of
// the value they are about.
class EntryReader {
 public:
  EntryReader(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  Result<LockedKernel> read(const Json& entry, const JsonPosition& at, std::size_t index) {
    what_ = "entry " + std::to_string(index + 1);
    if (!entry.is_object())
      return fail(at.offset,
                  std::string("is ") + json_type_name(entry) + ", expected an object with \"dependency\" and \"lock\"");
    // Name the entry as early as possible, so that every message says which it is.
    auto dep_it = entry.find("dependency");
    if (dep_it != entry.end() && dep_it->is_object()) {
      auto id = dep_it->find("repo-id");
      if (id != dep_it->end() && id->is_string()) what_ += " (" + id->get<std::string>() + ")";
    }
    if (auto s = check_keys(entry, at, "", {"dependency", "lock"}, "(an entry has \"dependency\" and \"lock\")");
        !s.ok())
      return s.error();
    if (dep_it == entry.end()) return fail(at.offset, "has no \"dependency\"");
    auto lock_it = entry.find("lock");
    if (lock_it == entry.end()) return fail(at.offset, "has no \"lock\"");

    LockedKernel kernel;
    const JsonPosition& dep_at = position(at.member("dependency"), at);
    if (auto s = read_dependency(*dep_it, dep_at, kernel); !s.ok()) return s.error();
    auto commit = read_commit(*lock_it, position(at.member("lock"), at));
    if (!commit.ok()) return commit.error();
    kernel.sha = std::move(*commit);
    return kernel;
  }

  Error fail(std::size_t offset, const std::string& message) const {
    return Error{ErrorCode::format, source_ + ":" + line_column(text_, offset) + ": " + what_ + " " + message};
  }

  // The position of a value, or of its parent when the scan has none.
  static const JsonPosition& position(const JsonPosition* p, const JsonPosition& parent) { return p ? *p : parent; }

 private:
  // deny_unknown_fields, and serde's refusal of a field given twice.
  // `object_is` is "" for the entry itself, else "\"dependency\" " etc.
  Status check_keys(const Json& object, const JsonPosition& at, const std::string& object_is,
                    std::initializer_list<std::string_view> known, const char* hint) const {
    for (const auto& [key, value] : object.items()) {
      (void)value;
      bool is_known = false;
      for (auto k : known) is_known = is_known || key == k;
      if (!is_known)
        return fail(position(at.member(key), at).key_offset, object_is + "has an unknown key \"" + key + "\" " + hint);
    }
    // nlohmann keeps one member per key; the scan saw them all.
    std::vector<std::string_view> seen;
    for (const auto& [key, member] : at.members) {
      for (auto s : seen)
        if (s == key) return fail(member.key_offset, object_is + "has the key \"" + key + "\" twice");
      seen.push_back(key);
    }
    return ok_status();
  }

  Status read_dependency(const Json& dep, const JsonPosition& at, LockedKernel& kernel) const {
    if (!dep.is_object())
      return fail(at.offset, std::string("\"dependency\" is ") + json_type_name(dep) +
                                 ", expected an object with \"repo-id\" and \"version\" or \"revision\"");
    if (auto s = check_keys(dep, at, "\"dependency\" ", {"repo-id", "version", "revision"},
                            "(a dependency has \"repo-id\" and \"version\" or \"revision\")");
        !s.ok())
      return s.error();
    auto id = dep.find("repo-id");
    if (id == dep.end()) return fail(at.offset, "\"dependency\" has no \"repo-id\"");
    if (!id->is_string())
      return fail(position(at.member("repo-id"), at).offset,
                  std::string("\"dependency\": \"repo-id\" is ") + json_type_name(*id) + ", expected a string");
    kernel.repo_id = id->get<std::string>();
    auto version = dep.find("version");
    auto revision = dep.find("revision");
    if (version != dep.end() && revision != dep.end())
      return fail(at.offset, "\"dependency\": `version` and `revision` are mutually exclusive");
    if (version == dep.end() && revision == dep.end())
      return fail(at.offset, "\"dependency\": either `version` or `revision` must be specified");
    if (version != dep.end()) {
      // usize: a JSON integer without a sign (nlohmann reads "-0" as a signed
      // integer and anything past u64 as a double, as serde_json does).
      if (!version->is_number_unsigned()) {
        std::size_t offset = position(at.member("version"), at).offset;
        return fail(offset, "\"dependency\": \"version\" is " + describe(*version, offset) +
                                ", expected a non-negative integer");
      }
      kernel.version = version->get<std::uint64_t>();
    } else {
      if (!revision->is_string())
        return fail(position(at.member("revision"), at).offset, std::string("\"dependency\": \"revision\" is ") +
                                                                    json_type_name(*revision) + ", expected a string");
      kernel.revision = revision->get<std::string>();
    }
    return ok_status();
  }

  Result<std::string> read_commit(const Json& lock, const JsonPosition& at) const {
    if (!lock.is_object())
      return fail(at.offset,
                  std::string("\"lock\" is ") + json_type_name(lock) + ", expected an object with \"commit\"");
    if (auto s = check_keys(lock, at, "\"lock\" ", {"commit"}, "(a lock has \"commit\")"); !s.ok()) return s.error();
    auto commit = lock.find("commit");
    if (commit == lock.end()) return fail(at.offset, "\"lock\" has no \"commit\"");
    std::size_t offset = position(at.member("commit"), at).offset;
    if (!commit->is_string())
      return fail(offset, std::string("\"lock\": \"commit\" is ") + json_type_name(*commit) + ", expected a string");
    std::string oid = commit->get<std::string>();
    bool valid = oid.size() == 40 || oid.size() == 64;
    for (char c : oid) valid = valid && is_hex(c);
    if (!valid)
      return fail(offset, "\"lock\": \"commit\": Invalid git object id, expected 40 or 64 hexadecimal digits: " + oid);
    for (char& c : oid) c = ascii_lower(c);
    return oid;
  }

  // A number as written in the file ("-1", "1.5"), anything else by its type.
  std::string describe(const Json& value, std::size_t offset) const {
    if (!value.is_number()) return json_type_name(value);
    std::size_t end = offset;
    while (end < text_.size() && std::string_view(",]} \t\r\n").find(text_[end]) == std::string_view::npos) ++end;
    return std::string(text_.substr(offset, end - offset));
  }

  std::string_view text_;
  const std::string& source_;
  std::string what_;  // "entry 2 (org/name)"
};

}  // namespace

const char* json_type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::binary: return "binary data";
    case Json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

bool is_canonical_oid(std::string_view commit) {
  if (commit.size() != 40 && commit.size() != 64) return false;
  for (char c : commit)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Result<Lock> read_kernels_data(const Json& document, const JsonPosition& at, std::string_view text,
                               const std::string& source) {
  Lock lock;
  lock.format = LockFormat::KernelsData;
  lock.kernels.reserve(document.size());
  // Indices into lock.kernels, by dependency: BTreeMap's refusal of a dependency seen before.
  auto less = [&lock](std::size_t a, std::size_t b) { return dependency_less(lock.kernels[a], lock.kernels[b]); };
  std::set<std::size_t, decltype(less)> seen(less);
  EntryReader reader(text, source);
  for (std::size_t i = 0; i < document.size(); ++i) {
    const JsonPosition& entry_at = EntryReader::position(at.element(i), at);
    auto kernel = reader.read(document[i], entry_at, i);
    if (!kernel.ok()) return kernel.error();
    lock.kernels.push_back(std::move(*kernel));
    auto [it, inserted] = seen.insert(i);
    if (!inserted) {
      const LockedKernel& k = lock.kernels[i];
      return reader.fail(EntryReader::position(entry_at.member("dependency"), entry_at).offset,
                         "duplicate dependency: " + describe_dependency(k) + " of " + k.repo_id +
                             " is already locked by entry " + std::to_string(*it + 1));
    }
  }
  return lock;
}

}  // namespace kernels::lockfile::detail
