#include "hub/client.hpp"

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <thread>

#include <openssl/evp.h>

#include "hub/cache_writer.hpp"
#include "hub/decode.hpp"
#include "hub/repo_id.hpp"
#include "hub/url.hpp"
#include "util/file.hpp"
#include "util/number.hpp"
#include "util/terminal_text.hpp"

namespace kernels::hub {

namespace {

std::mt19937_64& thread_rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

std::string unquote_etag(std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag.erase(0, 2);
  etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
  return etag;
}

// `why` and the URL may quote the server (a Location, a Link, a tree path):
// each on one bounded, escaped line.
Error bad_response(const ErrorContext& c, const std::string& why) {
  return Error{ErrorCode::bad_response, "The Hub at " + c.endpoint + " sent an unexpected answer to " + c.method + " " +
                                            one_line(c.url, 500) + ": " + one_line(why, 600) +
                                            "; try again, and report it if it persists"};
}

// `bytes` hash to `etag`: the git blob id (40 hex) or the sha256 (64 hex).
bool bytes_match_etag(std::string_view bytes, const std::string& etag) {
  if (!is_blob_name(etag)) return false;
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), etag.size() == 40 ? EVP_sha1() : EVP_sha256(), nullptr) != 1) return false;
  if (etag.size() == 40) {
    std::string header = "blob " + std::to_string(bytes.size());
    if (EVP_DigestUpdate(ctx.get(), header.data(), header.size() + 1) != 1) return false;  // with its NUL
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), digest, &n) != 1) {
    return false;
  }
  static const char* hex = "0123456789abcdef";
  std::string got;
  for (unsigned int i = 0; i < n; ++i) {
    got += hex[digest[i] >> 4];
    got += hex[digest[i] & 15];
  }
  return got == etag;
}

// The cache kernels writes (as `kernels download` does: config.kernels_cache),
// opened for `repo`; null when offline, when there is none, or when it cannot
// be written (recording is best effort: it never fails a call).
std::unique_ptr<CacheWriter> open_writer(const HubConfig& config, const std::string& repo) {
  if (config.offline || config.kernels_cache.empty()) return nullptr;
  auto w = CacheWriter::open(config.kernels_cache, repo, config.repo_type);
  if (!w.ok()) return nullptr;
  (void)(*w)->tag_root();
  return std::move(*w);
}

}  // namespace

HubClient::HubClient(HubConfig config, RetryPolicy retry, HttpTimeouts timeouts)
    : config_(std::move(config)), retry_(retry), http_(config_.user_agent, timeouts), offline_(config_) {}

std::string HubClient::api_url(const std::string& repo) const {
  return config_.endpoint + (config_.repo_type == RepoType::Kernel ? "/api/kernels/" : "/api/models/") + repo;
}

std::string HubClient::resolve_url(const std::string& repo, const std::string& revision,
                                   const std::string& path) const {
  return config_.endpoint + (config_.repo_type == RepoType::Kernel ? "/kernels/" : "/") + repo + "/resolve/" +
         percent_encode(revision, "") + "/" + percent_encode(path, "/");
}

void HubClient::add_auth(HttpRequest& request) const {
  if (config_.token && url_origin(request.url) == url_origin(config_.endpoint)) {
    request.headers.emplace_back("Authorization", "Bearer " + *config_.token);
  }
}

// A retry waits only when both the retry deadline and the command's
// deadline (--timeout) leave room for the wait.
bool HubClient::may_wait(std::chrono::milliseconds spent, std::chrono::milliseconds wait) const {
  if (spent + wait > retry_.deadline) return false;
  auto left = http_.time_left();
  return !left || wait < *left;
}

Result<HttpResponse> HubClient::send(HttpRequest request, ErrorContext& context) const {
  add_auth(request);
  context.sent_token = config_.token && url_origin(request.url) == url_origin(config_.endpoint);
  auto started = std::chrono::steady_clock::now();
  for (int attempt = 0;; ++attempt) {
    context.attempts = attempt + 1;
    auto result = http_.perform(request);
    bool retry = false;
    std::optional<std::chrono::seconds> retry_after;
    if (!result.ok()) {
      retry = result.error().code == ErrorCode::network;
    } else if (retryable_status(result->status)) {
      retry = true;
      retry_after = parse_retry_after(result->header("retry-after"));
    }
    if (!retry || attempt >= retry_.max_retries) {
      if (!result.ok() && (result.error().code == ErrorCode::network || result.error().code == ErrorCode::connect)) {
        return Error{ErrorCode::network,
                     "Cannot reach the Hub at " + config_.endpoint + " (" + one_line(result.error().message, 500) +
                         ")" + (attempt > 0 ? " after " + std::to_string(attempt + 1) + " attempts" : "") +
                         ": check the network, HF_ENDPOINT/--endpoint, or work offline (--offline)"};
      }
      return result;
    }
    std::chrono::milliseconds wait = retry_after ? std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after)
                                                 : backoff_delay(retry_, attempt, thread_rng());
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (!may_wait(spent, wait)) return result;  // the caller reports the last answer
    std::this_thread::sleep_for(wait);
  }
}

Result<HubClient::Fetched> HubClient::fetch(const std::string& method, const std::string& url, ErrorContext& context,
                                            bool cross_origin, std::size_t max_bytes) const {
  std::string current = url;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    HttpRequest request;
    request.method = method;
    request.url = current;
    request.max_body_bytes = max_bytes;
    request.timeout = kApiRequestTimeout;
    if (method == "HEAD") request.accept_compressed = false;
    context.method = method;
    context.url = current;
    auto response = send(std::move(request), context);
    if (!response.ok()) return response.error();
    long status = response->status;
    bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (!redirect || !response->has_header("location")) return Fetched{std::move(*response), current};
    std::string next = resolve_location(current, response->header("location"));
    bool same_origin = url_origin(next) == url_origin(config_.endpoint);
    if (!same_origin && !cross_origin) return Fetched{std::move(*response), current};
    current = next;
  }
  return bad_response(context, "more than " + std::to_string(kMaxRedirects) + " redirects");
}

Result<std::string> HubClient::get_json_text(const std::string& url, ErrorContext& context,
                                             std::size_t max_bytes) const {
  auto fetched = fetch("GET", url, context, false, max_bytes);
  if (!fetched.ok()) return fetched.error();
  if (fetched->response.status < 200 || fetched->response.status >= 300) {
    return hub_error(fetched->response, context);
  }
  return std::move(fetched->response.body);
}

Result<Refs> HubClient::list_refs(const std::string& repo) const {
  if (config_.offline) return offline_.list_refs(repo);
  ErrorContext context{config_.endpoint, repo, "", "", "GET", "", false, 1};
  auto text = get_json_text(api_url(repo) + "/refs", context, kMaxRefsBytes);
  if (!text.ok()) return text.error();
  auto refs = decode_refs(*text, config_.limits);
  if (!refs.ok()) return bad_response(context, refs.error().message);
  return *refs;
}

Result<RepoInfo> HubClient::repo_info(const std::string& repo, const std::string& revision) const {
  if (config_.offline) return offline_.repo_info(repo, revision);
  ErrorContext context{config_.endpoint, repo, revision, "", "GET", "", false, 1};
  std::string url = api_url(repo) + (revision.empty() ? "" : "/revision/" + percent_encode(revision, ""));
  auto text = get_json_text(url, context, kMaxRepoInfoBytes);
  if (!text.ok()) return text.error();
  auto info = decode_repo_info(*text);
  if (!info.ok()) return bad_response(context, info.error().message);
  return *info;
}

Result<TreeListing> HubClient::list_tree(const std::string& repo, const std::string& revision,
                                         const std::string& path_in_repo, bool recursive) const {
  if (config_.offline) return offline_.list_tree(repo, revision, path_in_repo, recursive);
  ErrorContext context{config_.endpoint, repo, revision, path_in_repo, "GET", "", false, 1};
  std::string url = api_url(repo) + "/tree/" + percent_encode(revision.empty() ? "main" : revision, "") +
                    (path_in_repo.empty() ? "" : "/" + percent_encode(path_in_repo, "")) +
                    "?recursive=" + (recursive ? "true" : "false") + "&expand=false";
  TreeListing entries;
  std::set<std::string> seen_urls;
  std::size_t pages = 0;
  while (!url.empty()) {
    if (!seen_urls.insert(url).second) return bad_response(context, "the tree pages link back to " + url);
    if (++pages > config_.limits.tree_pages) {
      return bad_response(context,
                          "the tree listing goes on past " + std::to_string(config_.limits.tree_pages) + " pages");
    }
    auto fetched = fetch("GET", url, context, false, kMaxTreePageBytes);
    if (!fetched.ok()) return fetched.error();
    const HttpResponse& r = fetched->response;
    if (r.status < 200 || r.status >= 300) {
      if (r.header("x-error-code").empty() && r.status == 404 && !path_in_repo.empty()) {
        return Error{ErrorCode::entry_not_found,
                     "Folder " + path_in_repo + " not found in " + repo + " at revision " + revision};
      }
      Error e = hub_error(r, context);
      if (e.code == ErrorCode::entry_not_found)
        e.message = "Folder " + path_in_repo + " not found in " + repo + " at revision " + revision;
      return e;
    }
    auto page = append_tree_page(r.body, entries, config_.limits.tree_entries);
    if (!page.ok()) return bad_response(context, page.error().message);
    std::string next = next_link(r.header("link"));
    url = next.empty() ? "" : resolve_location(fetched->url, next);
    // Pages come from where the listing started, as redirects do: a next
    // link elsewhere would put another server's entries into the lock.
    if (!url.empty() && url_origin(url) != url_origin(fetched->url)) {
      return bad_response(context, "a tree page links to another host (" + url_origin(url) + ")");
    }
  }
  return entries;
}

Result<FileMetadata> HubClient::file_metadata(const std::string& repo, const std::string& revision,
                                              const std::string& path) const {
  if (config_.offline) return offline_.file_metadata(repo, revision, path);
  ErrorContext context{config_.endpoint, repo, revision, path, "HEAD", "", false, 1};
  auto fetched = fetch("HEAD", resolve_url(repo, revision, path), context, false, 0);
  if (!fetched.ok()) return fetched.error();
  const HttpResponse& r = fetched->response;
  bool redirect = r.status >= 300 && r.status < 400;
  if (!redirect && (r.status < 200 || r.status >= 300)) return hub_error(r, context);
  FileMetadata m;
  m.commit = r.header("x-repo-commit");
  m.etag = unquote_etag(r.has_header("x-linked-etag") ? r.header("x-linked-etag") : r.header("etag"));
  std::string size =
      r.has_header("x-linked-size") ? r.header("x-linked-size") : (redirect ? "" : r.header("content-length"));
  m.location = redirect ? resolve_location(fetched->url, r.header("location")) : fetched->url;
  if (m.commit.empty()) return bad_response(context, "no X-Repo-Commit header");
  if (!is_commit_hash(m.commit)) return bad_response(context, "X-Repo-Commit is not a 40-hex commit");
  if (m.etag.empty()) return bad_response(context, "no ETag header");
  auto parsed_size = parse_decimal<std::uint64_t>(size);
  if (!parsed_size) return bad_response(context, "no usable size (X-Linked-Size or Content-Length)");
  m.size = *parsed_size;
  return m;
}

Result<std::string> HubClient::download(const std::string& repo, const std::string& revision, const std::string& path,
                                        std::size_t max_bytes) const {
  if (config_.offline) return offline_.download(repo, revision, path, max_bytes);
  ErrorContext context{config_.endpoint, repo, revision, path, "GET", "", false, 1};
  auto fetched = fetch("GET", resolve_url(repo, revision, path), context, true, max_bytes);
  if (!fetched.ok()) return fetched.error();
  if (fetched->response.status < 200 || fetched->response.status >= 300) {
    return hub_error(fetched->response, context);
  }
  return std::move(fetched->response.body);
}

Result<HttpResponse> HubClient::stream_file(const std::string& repo, const std::string& revision,
                                            const std::string& path, std::uint64_t offset,
                                            const HttpClient::StreamSink& sink) const {
  if (config_.offline) {
    return Error{ErrorCode::offline,
                 "Offline mode: " + path + " of " + repo + " at " + revision +
                     " is not in the cache and cannot be downloaded; unset HF_HUB_OFFLINE / drop --offline"};
  }
  ErrorContext context{config_.endpoint, repo, revision, path, "GET", "", false, 1};
  std::string current = resolve_url(repo, revision, path);
  auto started = std::chrono::steady_clock::now();
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    for (int attempt = 0;; ++attempt) {
      HttpRequest request;
      request.url = current;
      request.accept_compressed = false;  // the stored bytes, so that Range offsets mean bytes of the file
      if (offset > 0) request.headers.emplace_back("Range", "bytes=" + std::to_string(offset) + "-");
      add_auth(request);
      context.url = current;
      context.attempts = attempt + 1;
      context.sent_token = config_.token && url_origin(current) == url_origin(config_.endpoint);
      bool passthrough = false;
      bool body_started = false;
      std::string error_body;
      HttpClient::StreamSink inner;
      inner.on_head = [&](const HttpResponse& head) {
        if (head.status < 200 || head.status >= 300) return true;  // redirect or error: body kept here, bounded
        passthrough = true;
        return !sink.on_head || sink.on_head(head);
      };
      inner.on_body = [&](std::string_view chunk) {
        if (!passthrough) {
          if (error_body.size() < (64u << 10)) error_body.append(chunk.substr(0, (64u << 10) - error_body.size()));
          return true;
        }
        body_started = true;
        return !sink.on_body || sink.on_body(chunk);
      };
      auto result = http_.stream(request, inner);
      auto spent = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      };
      if (!result.ok()) {
        if (result.error().code == ErrorCode::network && !body_started && attempt < retry_.max_retries) {
          auto wait = backoff_delay(retry_, attempt, thread_rng());
          if (may_wait(spent(), wait)) {
            std::this_thread::sleep_for(wait);
            continue;
          }
        }
        if (result.error().code == ErrorCode::connect || (result.error().code == ErrorCode::network && !body_started)) {
          return Error{ErrorCode::network,
                       "Cannot reach " + url_origin(current) + " (" + result.error().message + ")" +
                           (attempt > 0 ? " after " + std::to_string(attempt + 1) + " attempts" : "") +
                           ": check the network, HF_ENDPOINT/--endpoint, or work offline (--offline)"};
        }
        return result.error();
      }
      HttpResponse& r = *result;
      long status = r.status;
      bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
      if (redirect && r.has_header("location")) {
        std::string next = resolve_location(current, r.header("location"));
        if (next.rfind("http://", 0) != 0 && next.rfind("https://", 0) != 0) {
          return bad_response(
              context, "a redirect to " + next.substr(0, next.find(':')) + ": (only http and https are followed)");
        }
        current = next;
        break;  // next hop
      }
      if (retryable_status(status) && attempt < retry_.max_retries) {
        auto retry_after = parse_retry_after(r.header("retry-after"));
        std::chrono::milliseconds wait = retry_after
                                             ? std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after)
                                             : backoff_delay(retry_, attempt, thread_rng());
        if (may_wait(spent(), wait)) {
          std::this_thread::sleep_for(wait);
          continue;
        }
      }
      if (status < 200 || status >= 300) {
        r.body = std::move(error_body);
        return hub_error(r, context);
      }
      return std::move(r);
    }
  }
  return bad_response(context, "more than " + std::to_string(kMaxRedirects) + " redirects");
}

Result<TreeListing> HubClient::list_commit_tree(const std::string& repo, const std::string& commit) const {
  if (config_.offline || !is_commit_hash(commit)) return offline_.list_commit_tree(repo, commit);
  auto entries = list_tree(repo, commit, "", true);
  if (!entries.ok()) return entries;
  if (auto writer = open_writer(config_, repo)) (void)writer->write_tree_listing(commit, *entries);
  return entries;
}

Result<HubClient::FileAnswer> HubClient::get_file(const std::string& repo, const std::string& revision,
                                                  const std::string& path, std::size_t max_bytes,
                                                  std::string* missing_at) const {
  ErrorContext context{config_.endpoint, repo, revision, path, "GET", "", false, 1};
  auto first = fetch("GET", resolve_url(repo, revision, path), context, false, max_bytes);
  if (!first.ok()) return first.error();
  HttpResponse& r = first->response;
  FileAnswer answer;
  std::string commit = r.header("x-repo-commit");
  if (is_commit_hash(commit)) answer.commit = commit;
  answer.etag = unquote_etag(r.has_header("x-linked-etag") ? r.header("x-linked-etag") : r.header("etag"));
  long status = r.status;
  bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  if (redirect && r.has_header("location")) {  // to storage on another host (fetch followed same-host ones)
    std::string next = resolve_location(first->url, r.header("location"));
    if (next.rfind("http://", 0) != 0 && next.rfind("https://", 0) != 0) {
      return bad_response(context,
                          "a redirect to " + next.substr(0, next.find(':')) + ": (only http and https are followed)");
    }
    auto second = fetch("GET", next, context, true, max_bytes);
    if (!second.ok()) return second.error();
    if (second->response.status < 200 || second->response.status >= 300) return hub_error(second->response, context);
    answer.body = std::move(second->response.body);
    return answer;
  }
  if (status < 200 || status >= 300) {
    Error e = hub_error(r, context);
    if (missing_at != nullptr && e.code == ErrorCode::entry_not_found) *missing_at = answer.commit;
    return e;
  }
  answer.body = std::move(r.body);
  return answer;
}

void HubClient::record_file(const std::string& repo, const std::string& revision, const std::string& path,
                            const FileAnswer& answer) const {
  if (answer.commit.empty() || !bytes_match_etag(answer.body, answer.etag)) return;
  auto writer = open_writer(config_, repo);
  if (!writer) return;
  if (!writer->store_blob(answer.etag, answer.body).ok()) return;
  if (!writer->link(answer.commit, path, answer.etag).ok()) return;
  if (!revision.empty() && !is_commit_hash(revision)) (void)writer->write_ref(revision, answer.commit);
}

Result<std::optional<Redirect>> HubClient::kernel_status(const std::string& repo, const std::string& revision) const {
  if (config_.offline) return offline_.kernel_status(repo, revision);
  const std::string rev = revision.empty() ? "main" : revision;
  std::string missing_at;
  auto answer = get_file(repo, rev, "kernel-status.toml", 1 << 20, &missing_at);
  if (!answer.ok()) {
    const ErrorCode code = answer.error().code;
    if (code == ErrorCode::entry_not_found) {
      if (!missing_at.empty()) {
        if (auto writer = open_writer(config_, repo)) {
          if (writer->mark_missing(missing_at, "kernel-status.toml").ok() && !is_commit_hash(rev)) {
            (void)writer->write_ref(rev, missing_at);
          }
        }
      }
      return std::optional<Redirect>{};
    }
    if (code == ErrorCode::repo_not_found) return std::optional<Redirect>{};
    return answer.error();
  }
  record_file(repo, rev, "kernel-status.toml", *answer);
  return parse_kernel_status(answer->body, repo);
}

Status HubClient::record_ref(const std::string& repo, const std::string& ref, const std::string& commit) const {
  if (config_.offline || config_.kernels_cache.empty() || is_commit_hash(ref)) return ok_status();
  auto writer = CacheWriter::open(config_.kernels_cache, repo, config_.repo_type);
  if (!writer.ok()) return writer.error();
  return (*writer)->write_ref(ref, commit);
}

Result<std::string> HubClient::cached_file(const std::string& repo, const std::string& commit, const std::string& path,
                                           std::size_t max_bytes) const {
  // A commit's file is answered from the cache when it is there, online too
  // (as huggingface_hub does for a commit revision).
  auto cached = offline_.cached_file(repo, commit, path, max_bytes);
  if (config_.offline || cached.ok() || cached.error().code != ErrorCode::offline) return cached;
  auto answer = get_file(repo, commit, path, max_bytes, nullptr);
  if (!answer.ok()) return answer.error();
  if (is_blob_name(answer->etag) && !bytes_match_etag(answer->body, answer->etag)) {
    return Error{ErrorCode::bad_response, "The Hub at " + config_.endpoint + " sent " + path + " of " + repo + " at " +
                                              short_commit(commit) + " with bytes that do not hash to its ETag " +
                                              answer->etag + "; try again, and report it if it persists"};
  }
  if (answer->commit == commit) record_file(repo, commit, path, *answer);
  return std::move(answer->body);
}

Result<std::vector<std::string>> list_build_variants(const HubClient& client, const std::string& repo,
                                                     const std::string& commit) {
  auto tree = client.list_tree(repo, commit, "build", false);
  if (!tree.ok()) {
    if (tree.error().code == ErrorCode::entry_not_found) return std::vector<std::string>{};
    return tree.error();
  }
  return build_variants_of(*tree);
}

std::vector<std::string> build_variants_of(const TreeListing& listing) {
  constexpr std::string_view kBuild = "build/";
  std::vector<std::string> folders;
  std::vector<std::string> from_files;
  std::set<std::string, std::less<>> seen;
  for (const auto& e : listing) {
    if (e.path.compare(0, kBuild.size(), kBuild) != 0) continue;
    const std::size_t end = e.path.find('/', kBuild.size());
    if (e.is_directory) {
      if (end == std::string_view::npos && e.path.size() > kBuild.size())
        folders.emplace_back(e.path.substr(kBuild.size()));
    } else if (end != std::string_view::npos && end > kBuild.size()) {
      std::string_view name = e.path.substr(kBuild.size(), end - kBuild.size());
      if (seen.find(name) == seen.end()) {
        seen.emplace(name);
        from_files.emplace_back(name);
      }
    }
  }
  return folders.empty() ? from_files : folders;
}

}  // namespace kernels::hub
