#include "tests/hub/emulator.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tests/hub/git_store.hpp"

namespace kernels::hub_emulator {

namespace {

using json = nlohmann::ordered_json;

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string join_decoded(const std::vector<std::string>& segs, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < segs.size(); ++i) out += (i == from ? "" : "/") + percent_decode(segs[i]);
  return out;
}

bool truthy(const std::string& v) {
  std::string l = v;
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == "true" || l == "1";
}

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 96 || s[0] == '.' || s.find("..") != std::string::npos) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; });
}

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                const std::string& commit = "") {
  res.status = status;
  if (!code.empty()) res.set_header("X-Error-Code", code);
  res.set_header("X-Error-Message", message);
  if (!commit.empty()) res.set_header("X-Repo-Commit", commit);
  res.set_content(json{{"error", message}}.dump(), "application/json");
}

void send_json(httplib::Response& res, const json& j) {
  res.status = 200;
  res.set_content(j.dump(), "application/json");
}

// The part of a body of `size` bytes that a GET asks for with "Range: bytes=...".
struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  bool partial = false;        // 206 + Content-Range
  bool unsatisfiable = false;  // 416 + Content-Range: bytes */size
};

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
}

// One range "first-[last]" or "-suffix". Anything else (several ranges,
// another unit, a last before the first) is ignored and the whole body
// sent, as RFC 9110 allows.
ByteRange requested_range(const httplib::Request& req, std::uint64_t size) {
  ByteRange whole{0, size, false, false};
  std::string header = req.get_header_value("Range");
  if (header.rfind("bytes=", 0) != 0) return whole;
  std::string spec = header.substr(6);
  auto dash = spec.find('-');
  if (dash == std::string::npos || spec.find(',') != std::string::npos) return whole;
  std::string first = spec.substr(0, dash), last = spec.substr(dash + 1);
  if (first.empty()) {
    if (!all_digits(last)) return whole;
    std::uint64_t n = std::stoull(last);
    if (n == 0 || size == 0) return ByteRange{0, 0, false, true};
    n = std::min(n, size);
    return ByteRange{size - n, n, true, false};
  }
  if (!all_digits(first) || (!last.empty() && !all_digits(last))) return whole;
  std::uint64_t from = std::stoull(first);
  std::uint64_t to = last.empty() ? size - 1 : std::stoull(last);
  if (!last.empty() && to < from) return whole;
  if (from >= size) return ByteRange{0, 0, false, true};
  to = std::min(to, size - 1);
  return ByteRange{from, to - from + 1, true, false};
}

// Sets the status and range headers for a body of `size` bytes and returns
// the part to send; false after answering 416.
bool start_body(const httplib::Request& req, httplib::Response& res, std::uint64_t size, ByteRange& range) {
  range = requested_range(req, size);
  // httplib 0.11 cuts a body again for a request with a Range header (and
  // has no 416 past the end), so the range is applied here and its parsed
  // copy dropped; the Request object itself is not const.
  const_cast<httplib::Request&>(req).ranges.clear();
  if (!res.has_header("Accept-Ranges")) res.set_header("Accept-Ranges", "bytes");
  if (range.unsatisfiable) {
    res.status = 416;
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    res.set_content("", "text/plain");
    return false;
  }
  res.status = range.partial ? 206 : 200;
  if (range.partial) {
    res.set_header("Content-Range", "bytes " + std::to_string(range.offset) + "-" +
                                        std::to_string(range.offset + range.length - 1) + "/" + std::to_string(size));
  }
  return true;
}

// Closes the client's connection without answering: finds the accepted
// socket by its two ends and shuts it down.
void drop_connection(const httplib::Request& req) {
  for (int fd = 3; fd < 4096; ++fd) {
    sockaddr_in local{}, peer{};
    socklen_t len = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0 || local.sin_family != AF_INET) continue;
    len = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;
    char addr[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &peer.sin_addr, addr, sizeof addr);
    if (ntohs(peer.sin_port) == req.remote_port && req.remote_addr == addr && ntohs(local.sin_port) == req.local_port) {
      shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

// An LFS object's descriptor, closed when the last response using it is done.
struct OpenFile {
  int fd = -1;
  explicit OpenFile(int f) : fd(f) {}
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile() { ::close(fd); }
};

// Serves `size` bytes that `read(pos, n, out)` fills, 256 KiB at a time,
// through a content provider, so that a large LFS object is never held in
// memory (the range, if any, is already applied: start_body).
// `flip_at` (when < size) has its byte inverted; after `cut_after` bytes of
// this answer the connection is closed; with `slow_ms`, 4 KiB go at a time,
// slow_ms apart (a transfer held open for a test to act mid-way).
using BodyReader = std::function<bool(std::uint64_t pos, std::size_t n, char* out)>;
void provide_body(httplib::Response& res, std::uint64_t size, BodyReader read, std::uint64_t flip_at,
                  std::uint64_t cut_after, int slow_ms = 0) {
  auto provider = [read = std::move(read), flip_at, cut_after, slow_ms](std::size_t offset, std::size_t length,
                                                                        httplib::DataSink& sink) {
    std::vector<char> buf(slow_ms > 0 ? 4 * 1024 : 256 * 1024);
    std::uint64_t sent = 0;
    while (sent < length) {
      if (slow_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms));
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), length - sent));
      if (sent + n > cut_after) n = static_cast<std::size_t>(cut_after - sent);
      if (n == 0) return false;  // the cut: httplib closes the connection
      std::uint64_t pos = offset + sent;
      if (!read(pos, n, buf.data())) return false;
      if (flip_at >= pos && flip_at < pos + n) buf[static_cast<std::size_t>(flip_at - pos)] ^= static_cast<char>(0xff);
      if (!sink.write(buf.data(), n)) return false;
      sent += n;
    }
    return true;
  };
  res.set_content_provider(static_cast<std::size_t>(size), "application/octet-stream", std::move(provider));
}

constexpr std::uint64_t kNone = ~std::uint64_t{0};

}  // namespace

struct HubEmulator::Impl {
  HubEmulator* owner;
  httplib::Server hub;
  httplib::Server lfs;
  mutable std::mutex mutex;
  Faults faults;
  std::atomic<std::uint64_t> fault_counter{0};  // requests since the knobs were last set
  std::atomic<bool> cut_done{false};            // the cut_target fault has fired since the knobs were set
  std::vector<LoggedRequest> log;
  std::map<std::string, std::shared_ptr<GitStore>> stores;

  Faults current_faults() const {
    std::lock_guard lock(mutex);
    return faults;
  }

  void record(LoggedRequest entry) {
    if (owner->observer_) owner->observer_(entry);
    std::lock_guard lock(mutex);
    if (log.size() < 200000) log.push_back(std::move(entry));
  }

  std::shared_ptr<GitStore> store(const std::string& org, const std::string& name) {
    if (!valid_name(org) || !valid_name(name)) return nullptr;
    std::string id = org + "/" + name;
    std::string dir = owner->options_.root + "/" + id;
    std::lock_guard lock(mutex);
    auto it = stores.find(id);
    if (it != stores.end()) return it->second;
    if (!std::filesystem::exists(dir + "/HEAD")) return nullptr;
    auto s = std::make_shared<GitStore>(dir);
    stores[id] = s;
    return s;
  }

  // Token checks shared by every hub route. Returns false when it answered.
  bool check_token(const httplib::Request& req, httplib::Response& res, bool& valid) {
    valid = false;
    std::string auth = req.get_header_value("Authorization");
    if (auth.empty()) return true;
    std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
    if (owner->options_.tokens.count(token) == 0) {
      send_error(res, 401, "", "Invalid credentials in Authorization header");
      return false;
    }
    valid = true;
    return true;
  }

  bool check_access(const GitStore& s, bool valid_token, httplib::Response& res) {
    if (s.is_private() && !valid_token) {
      send_error(res, 401, "RepoNotFound", "Repository not found");
      return false;
    }
    if (s.is_gated() && !valid_token) {
      send_error(res, 401, "GatedRepo", "Access to this repository is restricted: you must be authenticated");
      return false;
    }
    return true;
  }

  std::string base_url(const httplib::Request& req) const {
    std::string host = req.get_header_value("Host");
    return host.empty() ? owner->endpoint() : "http://" + host;
  }

  json tree_item(const StoredEntry& e) {
    if (e.is_directory) return json{{"type", "directory"}, {"oid", e.oid}, {"size", 0}, {"path", e.path}};
    json j{{"type", "file"}, {"oid", e.oid}, {"size", e.lfs ? e.lfs->size : e.blob_size}, {"path", e.path}};
    if (e.lfs) j["lfs"] = json{{"oid", e.lfs->oid}, {"size", e.lfs->size}, {"pointerSize", e.blob_size}};
    return j;
  }

  void info(const httplib::Request& req, httplib::Response& res, const std::string& repo, GitStore& s,
            const std::string& revision, bool model) {
    auto commit = s.resolve(revision);
    if (!commit) return send_error(res, 404, "RevisionNotFound", "Invalid rev id: " + revision);
    std::string org = repo.substr(0, repo.find('/'));
    json j{{"_id", *commit},
           {"id", repo},
           {"author", org},
           {"sha", *commit},
           {"lastModified", s.commit_date(*commit)},
           {"private", s.is_private()},
           {"gated", s.is_gated() ? json("manual") : json(false)},
           {"disabled", false},
           {"likes", 0},
           {"downloads", 0},
           {"tags", json::array()}};
    if (model) {
      bool blobs = req.has_param("blobs") && truthy(req.get_param_value("blobs"));
      json siblings = json::array();
      for (const auto& e : *s.tree(*commit)) {
        if (e.is_directory) continue;
        json sib{{"rfilename", e.path}};
        if (blobs) {
          sib["size"] = e.lfs ? e.lfs->size : e.blob_size;
          sib["blobId"] = e.oid;
          if (e.lfs) sib["lfs"] = json{{"size", e.lfs->size}, {"sha256", e.lfs->oid}, {"pointerSize", e.blob_size}};
        }
        siblings.push_back(sib);
      }
      j["siblings"] = siblings;
    }
    send_json(res, j);
  }

  void refs(const httplib::Request& req, httplib::Response& res, GitStore& s) {
    json branches = json::array(), tags = json::array(), pulls = json::array();
    for (const auto& r : s.refs()) {
      json item{{"name", r.name}, {"ref", r.ref}, {"targetCommit", r.commit}};
      (r.is_pull_request ? pulls : r.is_tag ? tags : branches).push_back(std::move(item));
    }
    json j{{"branches", branches}, {"converts", json::array()}, {"tags", tags}};
    if (req.has_param("include_prs") && truthy(req.get_param_value("include_prs"))) j["pullRequests"] = pulls;
    send_json(res, j);
  }

  void tree(const httplib::Request& req, httplib::Response& res, GitStore& s, const std::string& revision,
            const std::string& path) {
    auto commit = s.resolve(revision);
    if (!commit) return send_error(res, 404, "RevisionNotFound", "Invalid rev id: " + revision);
    auto entries = s.tree(*commit);
    std::string prefix = path.empty() ? "" : path + "/";
    if (!path.empty()) {
      bool is_dir = std::any_of(entries->begin(), entries->end(),
                                [&](const StoredEntry& e) { return e.is_directory && e.path == path; });
      if (!is_dir)
        return send_error(res, 404, "EntryNotFound", path + " does not exist on \"" + revision + "\"", *commit);
    }
    bool recursive = req.has_param("recursive") && truthy(req.get_param_value("recursive"));
    bool expand = req.has_param("expand") && truthy(req.get_param_value("expand"));
    // The whole recursive listing is every entry: no selection (a million
    // entries, a thousand pages, would otherwise be walked a thousand times).
    const bool everything = prefix.empty() && recursive;
    std::vector<const StoredEntry*> selected;
    for (std::size_t i = 0; !everything && i < entries->size(); ++i) {
      const auto& e = (*entries)[i];
      if (e.path.rfind(prefix, 0) != 0) continue;
      if (!recursive && e.path.find('/', prefix.size()) != std::string::npos) continue;
      selected.push_back(&e);
    }
    const std::size_t total = everything ? entries->size() : selected.size();
    auto at = [&](std::size_t i) -> const StoredEntry& { return everything ? (*entries)[i] : *selected[i]; };
    std::size_t page = std::max<std::size_t>(
        1, expand ? std::min<std::size_t>(50, owner->options_.page_size) : owner->options_.page_size);
    std::size_t offset = 0;
    if (req.has_param("cursor")) {
      std::string c = req.get_param_value("cursor");
      if (c.empty() || c.find_first_not_of("0123456789") != std::string::npos) {
        return send_error(res, 400, "", "Invalid cursor");
      }
      offset = std::stoull(c);
    }
    json items = json::array();
    for (std::size_t i = offset; i < total && i < offset + page; ++i) {
      json item = tree_item(at(i));
      if (expand) {
        auto last = s.last_commit(*commit, at(i).path);
        item["lastCommit"] = json{{"id", last.id}, {"title", last.title}, {"date", last.date}};
      }
      items.push_back(std::move(item));
    }
    if (offset + page < total) {
      std::string raw_path = req.target.substr(0, req.target.find('?'));
      std::string next = base_url(req) + raw_path + "?recursive=" + (recursive ? "true" : "false") +
                         "&expand=" + (expand ? "true" : "false") + "&cursor=" + std::to_string(offset + page);
      res.set_header("Link", "<" + next + ">; rel=\"next\"");
    }
    send_json(res, items);
  }

  void resolve(const httplib::Request& req, httplib::Response& res, const std::string& repo, GitStore& s,
               const std::string& revision, const std::string& path) {
    auto commit = s.resolve(revision);
    if (!commit) return send_error(res, 404, "RevisionNotFound", "Invalid rev id: " + revision);
    auto entries = s.tree(*commit);
    auto it = std::find_if(entries->begin(), entries->end(),
                           [&](const StoredEntry& e) { return !e.is_directory && e.path == path; });
    if (it == entries->end()) return send_error(res, 404, "EntryNotFound", "Entry not found", *commit);
    res.set_header("X-Repo-Commit", *commit);
    res.set_header("Accept-Ranges", "bytes");
    if (it->lfs) {
      res.status = 302;
      res.set_header("Location", owner->lfs_endpoint() + "/lfs/" + repo + "/" + it->lfs->oid);
      res.set_header("X-Linked-Etag", "\"" + it->lfs->oid + "\"");
      res.set_header("X-Linked-Size", std::to_string(it->lfs->size));
      res.set_header("ETag", "\"" + it->oid + "\"");
      return;
    }
    auto blob = s.blob(it->oid);
    if (!blob) return send_error(res, 500, "", "cannot read blob " + it->oid);
    res.set_header("ETag", "\"" + it->oid + "\"");
    ByteRange range;
    if (!start_body(req, res, blob->size(), range)) return;
    res.set_content(blob->substr(range.offset, range.length), "application/octet-stream");
  }

  void route(const httplib::Request& req, httplib::Response& res) {
    std::string raw_path = req.target.substr(0, req.target.find('?'));
    auto seg = split_path(raw_path);
    bool valid_token = false;
    if (!check_token(req, res, valid_token)) return;

    if (seg.size() >= 2 && seg[0] == "api" && seg[1] == "agent-harnesses") {
      return send_error(res, 404, "", "Not found");
    }
    if (seg.size() == 4 && seg[0] == "api" && seg[1] == "organizations" && seg[3] == "overview") {
      std::string org = percent_decode(seg[2]);
      if (!valid_name(org) || !std::filesystem::is_directory(owner->options_.root + "/" + org)) {
        return send_error(res, 404, "", "Organization not found");
      }
      bool trusted = owner->options_.trusted_orgs.count(org) != 0;
      return send_json(res, json{{"name", org},
                                 {"fullname", org},
                                 {"isVerified", false},
                                 {"numModels", 0},
                                 {"trustedKernelPublisher", trusted}});
    }

    bool api = seg.size() >= 4 && seg[0] == "api" && (seg[1] == "kernels" || seg[1] == "models");
    bool kernel_resolve = seg.size() >= 6 && seg[0] == "kernels" && seg[3] == "resolve";
    bool model_resolve = !kernel_resolve && seg.size() >= 5 && seg[2] == "resolve";
    if (!api && !kernel_resolve && !model_resolve) return send_error(res, 404, "", "Not found");

    std::size_t first = api ? 2 : (kernel_resolve ? 1 : 0);
    std::string org = percent_decode(seg[first]), name = percent_decode(seg[first + 1]);
    std::string repo = org + "/" + name;
    auto renamed = owner->options_.renames.find(repo);
    if (renamed != owner->options_.renames.end()) {
      std::string from = "/" + repo + "/";
      std::string target = req.target;
      auto at = target.find(from);
      res.status = 307;
      res.set_header("Location", target.replace(at, from.size(), "/" + renamed->second + "/"));
      return;
    }
    auto s = store(org, name);
    if (!s) return send_error(res, 401, "RepoNotFound", "Repository not found");
    if (!check_access(*s, valid_token, res)) return;

    if (api) {
      bool model = seg[1] == "models";
      std::size_t n = seg.size();
      if (n == 4) return info(req, res, repo, *s, "main", model);
      if (seg[4] == "revision" && n >= 6) return info(req, res, repo, *s, join_decoded(seg, 5), model);
      if (seg[4] == "refs" && n == 5) return refs(req, res, *s);
      if (seg[4] == "tree" && n >= 6) return tree(req, res, *s, percent_decode(seg[5]), join_decoded(seg, 6));
      return send_error(res, 404, "", "Not found");
    }
    std::size_t rev_at = kernel_resolve ? 4 : 3;
    return resolve(req, res, repo, *s, percent_decode(seg[rev_at]), join_decoded(seg, rev_at + 1));
  }

  void handle_hub(const httplib::Request& req, httplib::Response& res) {
    ++owner->hub_requests_;
    std::uint64_t n = ++fault_counter;
    Faults f = current_faults();
    if (f.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(f.latency_ms));
    auto hits = [n](int every) { return every > 0 && n % static_cast<std::uint64_t>(every) == 0; };
    LoggedRequest entry{
        "hub", req.method, req.target, req.get_header_value("Authorization"), req.get_header_value("User-Agent"), 0};
    if (hits(f.reset_every)) {
      drop_connection(req);
      res.status = 500;
      entry.status = -1;
      record(entry);
      return;
    }
    if (hits(f.rate_limit_every)) {
      res.set_header("Retry-After", std::to_string(f.retry_after_s));
      send_error(res, 429, "", "You have been rate-limited");
    } else if (hits(f.error_500_every)) {
      send_error(res, 500, "", "Internal Error");
    } else {
      route(req, res);
    }
    bool is_json = res.get_header_value("Content-Type") == "application/json";
    if (!f.tree_next.empty() && req.target.find("/tree/") != std::string::npos) {
      res.set_header("Link", "<" + f.tree_next + std::to_string(n) + ">; rel=\"next\"");
    }
    if (f.drip_ms > 0 && is_json) {
      auto body = std::make_shared<std::string>(std::move(res.body));
      res.body.clear();
      int ms = f.drip_ms;
      res.set_content_provider(body->size(), "application/json",
                               [body, ms](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                 std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                                 return sink.is_writable() && sink.write(body->data() + offset, 1);
                               });
    }
    if (hits(f.malformed_json_every) && is_json && res.body.size() > 1) {
      res.set_content(res.body.substr(0, res.body.size() / 2), "application/json");
    }
    bool body_get =
        req.method == "GET" && (res.status == -1 || res.status == 200 || res.status == 206) && !res.body.empty();
    if (body_get && !f.corrupt_target.empty() && req.target.find(f.corrupt_target) != std::string::npos) {
      res.body[res.body.size() / 2] = static_cast<char>(res.body[res.body.size() / 2] ^ 0xff);
    }
    if (body_get && !f.cut_target.empty() && req.target.find(f.cut_target) != std::string::npos &&
        !cut_done.exchange(true)) {
      auto body = std::make_shared<std::string>(std::move(res.body));
      res.body.clear();
      provide_body(
          res, body->size(),
          [body](std::uint64_t pos, std::size_t count, char* out) {
            std::copy_n(body->data() + pos, count, out);
            return true;
          },
          kNone, f.cut_after_bytes);
    }
    if (hits(f.truncate_every) && req.method == "GET" && res.body.size() > 1) {
      auto body = std::make_shared<std::string>(std::move(res.body));
      res.body.clear();
      res.set_content_provider(body->size(), "application/octet-stream",
                               [body](std::size_t, std::size_t, httplib::DataSink& sink) {
                                 sink.write(body->data(), body->size() / 2);
                                 return false;
                               });
    }
    entry.status = res.status == -1 ? (req.ranges.empty() ? 200 : 206) : res.status;
    record(entry);
  }

  void handle_lfs(const httplib::Request& req, httplib::Response& res) {
    Faults f = current_faults();
    if (f.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(f.latency_ms));
    LoggedRequest entry{
        "lfs", req.method, req.target, req.get_header_value("Authorization"), req.get_header_value("User-Agent"), 0};
    auto seg = split_path(req.target.substr(0, req.target.find('?')));
    std::shared_ptr<GitStore> s;
    if (seg.size() == 4 && seg[0] == "lfs") s = store(seg[1], seg[2]);
    const std::string oid = seg.size() == 4 ? seg[3] : "";
    bool hex = oid.size() == 64 && oid.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!s || !hex) {
      send_error(res, 404, "", "Not found");
    } else {
      int fd = ::open(s->lfs_object_path(oid).c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st {};
      if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) ::close(fd);
        send_error(res, 404, "", "Object not found");
      } else {
        auto file = std::make_shared<OpenFile>(fd);
        auto size = static_cast<std::uint64_t>(st.st_size);
        res.set_header("ETag", "\"" + oid + "\"");
        ByteRange range;
        if (start_body(req, res, size, range)) {
          bool get = req.method == "GET";
          bool corrupt = get && !f.corrupt_target.empty() && req.target.find(f.corrupt_target) != std::string::npos;
          bool cut = get && !f.cut_target.empty() && req.target.find(f.cut_target) != std::string::npos &&
                     !cut_done.exchange(true);
          bool slow = get && !f.slow_target.empty() && req.target.find(f.slow_target) != std::string::npos;
          // The flipped byte is the object's middle one, whichever range is asked for.
          std::uint64_t flip = corrupt && size / 2 >= range.offset ? size / 2 - range.offset : kNone;
          provide_body(
              res, range.length,
              [file, at = range.offset](std::uint64_t pos, std::size_t n, char* out) {
                return ::pread(file->fd, out, n, static_cast<off_t>(at + pos)) == static_cast<ssize_t>(n);
              },
              flip, cut ? f.cut_after_bytes : kNone, slow ? f.slow_ms : 0);
        }
      }
    }
    entry.status = res.status == -1 ? (req.ranges.empty() ? 200 : 206) : res.status;
    record(entry);
  }
};

HubEmulator::HubEmulator(EmulatorOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  impl_->owner = this;
}

HubEmulator::~HubEmulator() { stop(); }

void HubEmulator::start() {
  signal(SIGPIPE, SIG_IGN);
  for (httplib::Server* server : {&impl_->hub, &impl_->lfs}) {
    server->set_tcp_nodelay(true);
    server->set_keep_alive_max_count(1000);
    server->set_keep_alive_timeout(5);
    server->set_read_timeout(10);
    server->set_write_timeout(10);
  }
  impl_->hub.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { impl_->handle_hub(req, res); });
  impl_->lfs.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { impl_->handle_lfs(req, res); });
  port_ = options_.port == 0 ? impl_->hub.bind_to_any_port(options_.host)
                             : (impl_->hub.bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port_ <= 0) throw std::runtime_error("hub emulator: cannot listen on " + options_.host);
  lfs_port_ = options_.lfs_port == 0
                  ? impl_->lfs.bind_to_any_port(options_.lfs_host)
                  : (impl_->lfs.bind_to_port(options_.lfs_host, options_.lfs_port) ? options_.lfs_port : -1);
  if (lfs_port_ <= 0) throw std::runtime_error("hub emulator: cannot listen on " + options_.lfs_host);
  hub_thread_ = std::thread([this] { impl_->hub.listen_after_bind(); });
  lfs_thread_ = std::thread([this] { impl_->lfs.listen_after_bind(); });
  // stop() only works on a running server: wait until both accept.
  for (int i = 0; i < 5000 && !(impl_->hub.is_running() && impl_->lfs.is_running()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void HubEmulator::stop() {
  if (hub_thread_.joinable()) {
    impl_->hub.stop();
    hub_thread_.join();
  }
  if (lfs_thread_.joinable()) {
    impl_->lfs.stop();
    lfs_thread_.join();
  }
}

std::string HubEmulator::endpoint() const { return "http://" + options_.host + ":" + std::to_string(port_); }
std::string HubEmulator::lfs_endpoint() const {
  return "http://" + options_.lfs_host + ":" + std::to_string(lfs_port_);
}

void HubEmulator::set_faults(const Faults& faults) {
  std::lock_guard lock(impl_->mutex);
  impl_->faults = faults;
  impl_->fault_counter = 0;
  impl_->cut_done = false;
}

std::vector<LoggedRequest> HubEmulator::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

void HubEmulator::clear_log() {
  std::lock_guard lock(impl_->mutex);
  impl_->log.clear();
}

}  // namespace kernels::hub_emulator
