// A Hugging Face Hub emulator on loopback, serving the bare git
// repositories under a root directory (see fixture_repo.hpp) with the
// Hub's API shapes (the reference notes on the Hub API, §11-§12):
//   GET  /api/{kernels|models}/{org}/{name}[/revision/{rev}]   repo info
//   GET  /api/{kernels|models}/{org}/{name}/refs[?include_prs=1]  (pullRequests: refs/pr/<N>)
//   GET  /api/{kernels|models}/{org}/{name}/tree/{rev}[/{path}]?recursive=&expand=&cursor=
//        (expand=true: pages of at most 50, items with lastCommit {id, title, date})
//   HEAD|GET /kernels/{org}/{name}/resolve/{rev}/{path} and /{org}/{name}/resolve/...
//   GET  /api/organizations/{org}/overview (trustedKernelPublisher from trusted_orgs),
//        /api/agent-harnesses (404)
// A revision may be a branch, a tag, refs/pr/<N> (sent as refs%2Fpr%2F<N>) or a full commit id.
// LFS files answer with a 302 to a second server on another loopback
// address (127.0.0.2 by default) that serves their content from the file
// on disk, in chunks, and needs no token. Both hosts answer
// "Range: bytes=N-" (and N-M, -S) with 206 + Content-Range, and a range
// that starts past the end with 416 + "Content-Range: bytes */SIZE". Private and gated repositories need a known token;
// an unknown token gets 401. Fault knobs make the main host slow or failing.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kernels::hub_emulator {

struct EmulatorOptions {
  std::string root;  // ROOT/<org>/<name> are bare git repositories
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
  std::string lfs_host = "127.0.0.2";
  int lfs_port = 0;
  std::size_t page_size = 1000;                // tree page size (50 with expand=true)
  std::set<std::string> tokens;                // tokens the hub accepts
  std::map<std::string, std::string> renames;  // old repo id → new (answered with a relative 307)
  // Organisations whose overview says "trustedKernelPublisher": true (false for every other one).
  std::set<std::string> trusted_orgs;
};

struct LoggedRequest;

// Fault knobs for the main host; 0 turns a knob off. "every N" counts the
// main host's requests from 1 since the knobs were last set, so every=1
// hits every request and every=2 the 2nd, 4th, ...
struct Faults {
  int latency_ms = 0;        // added to every request (LFS host too)
  int rate_limit_every = 0;  // 429 + Retry-After: retry_after_s
  int retry_after_s = 0;
  int error_500_every = 0;       // 500
  int reset_every = 0;           // connection closed without a response
  int truncate_every = 0;        // body cut short of its Content-Length
  int malformed_json_every = 0;  // a JSON answer cut in half (complete HTTP response)
  // Body faults of file downloads, on both hosts (resolve of a regular file
  // on the hub, an LFS object on the storage host), for GETs whose request
  // target contains the string (a repo path such as "build/torch-cpu/x.py"
  // matches the hub's resolve URL; an LFS sha256 matches the storage URL):
  std::string corrupt_target;       // every such body has its middle byte (offset size/2) flipped
  std::string cut_target;           // the first such GET since the knobs were set: the connection is
  std::size_t cut_after_bytes = 0;  // closed after this many body bytes; later GETs are served whole
  // Hostile pagination: every tree answer carries Link: <tree_next + N>; rel="next",
  // N a fresh number each time (an endless listing; or, pointing at the
  // storage host, a listing that wanders off to another origin).
  std::string tree_next;
  int drip_ms = 0;  // JSON answers are sent one byte every drip_ms milliseconds
  // LFS objects whose storage URL contains slow_target (an LFS sha256) are
  // sent 4 KiB at a time, slow_ms apart: a download held mid-transfer.
  std::string slow_target;
  int slow_ms = 0;
};

struct LoggedRequest {
  std::string server;  // "hub" or "lfs"
  std::string method;
  std::string target;         // raw path and query
  std::string authorization;  // the Authorization header as received ("" when none)
  std::string user_agent;
  int status = 0;
};

class HubEmulator {
 public:
  // Called after every request (both hosts), from the server's threads.
  using RequestObserver = std::function<void(const LoggedRequest&)>;

  explicit HubEmulator(EmulatorOptions options);
  ~HubEmulator();
  HubEmulator(const HubEmulator&) = delete;
  HubEmulator& operator=(const HubEmulator&) = delete;

  // Binds both servers and starts serving; throws std::runtime_error when a port cannot be bound.
  void start();
  void stop();

  std::string endpoint() const;      // "http://127.0.0.1:<port>"
  std::string lfs_endpoint() const;  // "http://127.0.0.2:<port>"
  int port() const { return port_; }
  int lfs_port() const { return lfs_port_; }

  void set_faults(const Faults& faults);
  // Set before start().
  void set_observer(RequestObserver observer) { observer_ = std::move(observer); }
  std::vector<LoggedRequest> requests() const;
  std::uint64_t request_count() const { return hub_requests_.load(); }
  void clear_log();

  struct Impl;

 private:
  EmulatorOptions options_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  int lfs_port_ = 0;
  std::atomic<std::uint64_t> hub_requests_{0};
  RequestObserver observer_;
  std::thread hub_thread_;
  std::thread lfs_thread_;
};

}  // namespace kernels::hub_emulator
