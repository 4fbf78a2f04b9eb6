// The Hugging Face Hub client: the calls kernels needs, blocking, and safe
// to call from several threads at once on one HubClient (the HttpClient
// underneath pools its curl handles and shares DNS and TLS sessions between threads, and
// the client itself holds no mutable state besides atomic counters).
//
// Repositories are of type kernel (/api/kernels/..., /kernels/.../resolve)
// unless the configuration says model (/api/models/..., /.../resolve).
// 429, 408 and 5xx answers and network failures (resets, truncated bodies,
// timeouts; not a refused connection) are retried (RetryPolicy:
// Retry-After or exponential backoff with jitter, bounded attempts, total
// deadline); other failures are not. Redirects: relative and same-host ones
// are followed with the Authorization header, one to another host (LFS
// storage) is followed without it. Offline (config.offline), every call is
// answered by a CacheSource over the HF cache or fails with code "offline",
// saying what is missing; no request is sent. JSON answers are decoded in
// hub/decode.*; lock logic sees this class only as a RepoSource.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hub/cache_source.hpp"
#include "hub/config.hpp"
#include "hub/errors.hpp"
#include "hub/hf_cache.hpp"
#include "hub/http.hpp"
#include "hub/retry.hpp"
#include "hub/source.hpp"
#include "hub/types.hpp"
#include "util/result.hpp"

namespace kernels::hub {

class HubClient final : public RepoSource {
 public:
  explicit HubClient(HubConfig config, RetryPolicy retry = {}, HttpTimeouts timeouts = {});

  const HubConfig& config() const { return config_; }
  bool offline() const override { return config_.offline; }

  // GET /api/{type}s/{repo}/refs.
  Result<Refs> list_refs(const std::string& repo) const override;

  // GET /api/{type}s/{repo}[/revision/{rev}]; an empty revision asks for the default branch.
  Result<RepoInfo> repo_info(const std::string& repo, const std::string& revision = "") const override;

  // GET /api/{type}s/{repo}/tree/{rev}[/{path}]?recursive=..&expand=false,
  // following Link: rel="next" pages, each decoded into the listing as it
  // arrives (tree_listing.hpp: a million entries in about 110 MB). Entries
  // in the Hub's order.
  Result<TreeListing> list_tree(const std::string& repo, const std::string& revision,
                                const std::string& path_in_repo = "", bool recursive = true) const;

  // HEAD /{prefix}{repo}/resolve/{rev}/{path}.
  Result<FileMetadata> file_metadata(const std::string& repo, const std::string& revision,
                                     const std::string& path) const;

  // GET the file's bytes (through the LFS redirect when there is one).
  Result<std::string> download(const std::string& repo, const std::string& revision, const std::string& path,
                               std::size_t max_bytes = std::size_t{1} << 30) const;

  // Streams the file's bytes to `sink` (no whole file in memory): GET on
  // /resolve, following redirects to http(s) URLs only, with the
  // Authorization header on the Hub's own origin and never on another
  // (LFS storage). `offset` > 0 sends `Range: bytes=<offset>-`; the caller
  // reads the status (206 or 200) and Content-Range from the head it gets.
  // 408/429/5xx answers and network failures before the first body byte are
  // retried; a failure after body bytes reached the sink is returned (code
  // "network") so the caller can resume from what it has. A final answer
  // other than 2xx is a Hub error (EntryNotFound, ...). Offline: code
  // "offline". The head reaches `sink.on_head` only for the final 2xx answer.
  Result<HttpResponse> stream_file(const std::string& repo, const std::string& revision, const std::string& path,
                                   std::uint64_t offset, const HttpClient::StreamSink& sink) const;

  // The complete recursive listing of the repository at `commit` (40 hex),
  // in the Hub's order (git tree order, folders before their contents,
  // folders included). Online: list_tree(repo, commit, "", true), then
  // recorded as trees/<commit>.json in the cache kernels writes
  // (config.kernels_cache; a failure to record is ignored). Offline: read
  // back from trees/<commit>.json (folders then carry no oid, LFS files no
  // pointer size); without a usable one, code "offline" saying what the
  // snapshot holds and that the listing is unknown. Unlike list_tree offline,
  // never answers from what a snapshot happens to hold.
  Result<TreeListing> list_commit_tree(const std::string& repo, const std::string& commit) const override;

  // kernel-status.toml at `revision`: a redirect, or nullopt when the file
  // (or, as in the kernels library, the repository) does not exist. Single
  // hop: the destination's own kernel-status.toml is not read.
  // Online, what was seen is recorded as hf_hub_download records it: the
  // file (blob, snapshots/<commit>/kernel-status.toml, refs/<revision>), or
  // for an EntryNotFound 404 carrying X-Repo-Commit the empty marker
  // .no_exist/<commit>/kernel-status.toml and refs/<revision>; a failure to
  // record is ignored. Offline: refs/<revision> (or a 40-hex revision) gives
  // the commit; the cached file is parsed, a .no_exist marker means no
  // redirect; anything else (the repo not cached at all included) is code
  // "offline": whether it redirects cannot be known.
  Result<std::optional<Redirect>> kernel_status(const std::string& repo,
                                                const std::string& revision = "main") const override;

  // Writes refs/<ref> = `commit` into the cache kernels writes (no trailing
  // newline, atomic, untouched when equal), so that an offline run finds
  // the revision. Ok without writing when offline, when no cache is
  // configured, or when `ref` is the commit itself; errors say why the
  // write failed (callers may ignore them).
  Status record_ref(const std::string& repo, const std::string& ref, const std::string& commit) const override;

  // A small file at `commit` (40 hex): from snapshots/<commit>/<path> when
  // cached, online or offline, without a request (as huggingface_hub does
  // for a commit revision); else online downloaded, checked against its
  // ETag, and stored into the cache (blob, snapshot link; a failure to store
  // is ignored); offline, code "offline" naming the file. At most
  // `max_bytes`. Safe to call from several threads, for the same file too.
  Result<std::string> cached_file(const std::string& repo, const std::string& commit, const std::string& path,
                                  std::size_t max_bytes) const override;

  // Requests sent so far (retries and redirect hops included).
  std::uint64_t request_count() const { return http_.request_count(); }

  // Called after every request with method, URL, status and time; never headers.
  void set_request_logger(std::function<void(const RequestLog&)> logger) { http_.set_logger(std::move(logger)); }

  std::string api_url(const std::string& repo) const;
  std::string resolve_url(const std::string& repo, const std::string& revision, const std::string& path) const;

  const HfCache& cache() const { return offline_.cache(); }

 private:
  struct Fetched {
    HttpResponse response;
    std::string url;  // the URL that gave `response`
  };
  // One request with retries; never follows redirects.
  Result<HttpResponse> send(HttpRequest request, ErrorContext& context) const;
  // Follows redirects: same-origin always; cross-origin when `cross_origin`
  // (then without Authorization); stops at the first cross-origin one otherwise.
  Result<Fetched> fetch(const std::string& method, const std::string& url, ErrorContext& context, bool cross_origin,
                        std::size_t max_bytes) const;
  Result<std::string> get_json_text(const std::string& url, ErrorContext& context, std::size_t max_bytes) const;
  void add_auth(HttpRequest& request) const;
  bool may_wait(std::chrono::milliseconds spent, std::chrono::milliseconds wait) const;

  // GET /resolve/{rev}/{path} whole: the body with the answer's commit and
  // etag (from the Hub's own answer, before any redirect to storage). For an
  // EntryNotFound answer that carried X-Repo-Commit, `missing_at` gets it.
  struct FileAnswer {
    std::string commit;  // "" when the Hub sent no 40-hex X-Repo-Commit
    std::string etag;    // unquoted; "" when none
    std::string body;
  };
  Result<FileAnswer> get_file(const std::string& repo, const std::string& revision, const std::string& path,
                              std::size_t max_bytes, std::string* missing_at) const;
  // Stores a downloaded file into the cache (blob + snapshot link, refs/<revision>
  // when `revision` is a name) when its bytes match its etag. Best effort.
  void record_file(const std::string& repo, const std::string& revision, const std::string& path,
                   const FileAnswer& answer) const;
  HubConfig config_;
  RetryPolicy retry_;
  HttpClient http_;
  CacheSource offline_;  // every answer while config_.offline, and cached files online
};

// The build variants a tree listing (recursive or of build/ alone) shows: the
// folders directly under build/, in listing order. A listing without folder
// entries (one from the HF cache) names them through its files' paths.
std::vector<std::string> build_variants_of(const TreeListing& listing);

// The build variants at `commit` (build_variants_of the build/ listing); none
// when the repository has no build/ folder.
Result<std::vector<std::string>> list_build_variants(const HubClient& client, const std::string& repo,
                                                     const std::string& commit);

}  // namespace kernels::hub
