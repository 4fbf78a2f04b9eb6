#include "hub/http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace kernels::hub {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Idle handles kept for reuse; more than this many idle at once are freed.
constexpr std::size_t kMaxIdleHandles = 64;

}  // namespace

// The state of one transfer, seen by the libcurl callbacks.
struct HttpClient::Transfer {
  HttpResponse response;
  CURL* curl = nullptr;
  const StreamSink* sink = nullptr;  // null: collect the body in response.body
  std::size_t max_body = 0;
  bool too_large = false;
  bool aborted = false;
  bool head_delivered = false;

  // Hands the head to the sink once, before the first body byte.
  bool deliver_head() {
    if (head_delivered) return true;
    head_delivered = true;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    if (sink != nullptr && sink->on_head && !sink->on_head(response)) {
      aborted = true;
      return false;
    }
    return true;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    if (!t->deliver_head()) return 0;
    if (t->sink != nullptr) {
      if (t->sink->on_body && !t->sink->on_body(std::string_view(data, n))) {
        t->aborted = true;
        return 0;  // aborts the transfer
      }
      return n;
    }
    if (t->response.body.size() + n > t->max_body) {
      t->too_large = true;
      return 0;
    }
    t->response.body.append(data, n);
    return n;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.rfind("HTTP/", 0) == 0) {
      t->response.headers.clear();  // a new response (e.g. after 100 Continue)
      return n;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    t->response.headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
    return n;
  }
};

struct HttpClient::Share {
  CURLSH* handle = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Share*>(user)->locks[data].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) { static_cast<Share*>(user)->locks[data].unlock(); }

  Share() {
    handle = curl_share_init();
    curl_share_setopt(handle, CURLSHOPT_LOCKFUNC, &Share::lock);
    curl_share_setopt(handle, CURLSHOPT_UNLOCKFUNC, &Share::unlock);
    curl_share_setopt(handle, CURLSHOPT_USERDATA, this);
    // Not CURL_LOCK_DATA_CONNECT: a connection cache shared by concurrent
    // transfers is unsupported by libcurl. Each pooled handle keeps its own.
    curl_share_setopt(handle, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(handle, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~Share() { curl_share_cleanup(handle); }
};

// Easy handles not in use. A handle is owned by exactly one transfer between
// acquire() and release().
struct HttpClient::Pool {
  mutable std::mutex mutex;
  std::vector<CURL*> idle;

  CURL* acquire() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* c = idle.back();
        idle.pop_back();
        return c;
      }
    }
    return curl_easy_init();
  }
  void release(CURL* c) {
    curl_easy_reset(c);  // options back to defaults; live connections stay
    std::lock_guard lock(mutex);
    if (idle.size() < kMaxIdleHandles) {
      idle.push_back(c);
      return;
    }
    curl_easy_cleanup(c);
  }
  // Handles must go before the share they are attached to.
  ~Pool() {
    for (CURL* c : idle) curl_easy_cleanup(c);
  }
};

std::string HttpResponse::header(std::string_view name) const {
  std::string key = lower(name);
  for (const auto& [k, v] : headers) {
    if (k == key) return v;
  }
  return {};
}

bool HttpResponse::has_header(std::string_view name) const {
  std::string key = lower(name);
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == key; });
}

HttpClient::HttpClient(std::string user_agent, HttpTimeouts timeouts)
    : user_agent_(std::move(user_agent)), timeouts_(timeouts) {
  global_init();
  share_ = std::make_unique<Share>();
  pool_ = std::make_unique<Pool>();
}

HttpClient::~HttpClient() {
  pool_.reset();  // the handles first, then the share
  share_.reset();
}

std::size_t HttpClient::idle_handles() const {
  std::lock_guard lock(pool_->mutex);
  return pool_->idle.size();
}

Result<HttpResponse> HttpClient::perform(const HttpRequest& request) const {
  Transfer transfer;
  transfer.max_body = request.max_body_bytes;
  return run(request, transfer);
}

Result<HttpResponse> HttpClient::stream(const HttpRequest& request, const StreamSink& sink) const {
  Transfer transfer;
  transfer.sink = &sink;
  return run(request, transfer);
}

Result<HttpResponse> HttpClient::run(const HttpRequest& request, Transfer& transfer) const {
  auto started = std::chrono::steady_clock::now();
  // The tighter of this request's own bound and what the command has left.
  std::chrono::milliseconds limit = request.timeout.count() > 0 ? request.timeout : timeouts_.total;
  bool limited_by_deadline = false;
  if (auto left = time_left()) {
    if (left->count() <= 0) return deadline_error(request.method + " " + request.url);
    if (limit.count() == 0 || *left < limit) {
      limit = *left;
      limited_by_deadline = true;
    }
  }
  requests_.fetch_add(1);

  CURL* curl = pool_->acquire();
  if (curl == nullptr) return Error{ErrorCode::network, "could not start an HTTP transfer (curl_easy_init failed)"};
  transfer.curl = curl;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_SHARE, share_->handle);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts_.connect.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, std::max(1L, timeouts_.low_speed_bytes));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(timeouts_.low_speed.count()));
  if (limit.count() > 0)
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<std::int64_t>(1, limit.count())));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  if (transfer.sink != nullptr) curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 256L * 1024L);
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  // gzip and deflate only, as huggingface_hub sends (no brotli: slow to produce at high quality).
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, request.accept_compressed ? "gzip, deflate" : "identity");

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    headers = curl_slist_append(headers, line.c_str());
  }
  if (headers != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) transfer.deliver_head();  // a response without a body
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  curl_slist_free_all(headers);
  pool_->release(curl);
  transfer.curl = nullptr;

  HttpResponse& response = transfer.response;
  RequestLog log{request.method,
                 request.url,
                 response.status,
                 {},
                 std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)};
  if (code == CURLE_OK && transfer.aborted) code = CURLE_WRITE_ERROR;  // on_head refused a body-less answer
  if (code != CURLE_OK) {
    std::string why = transfer.too_large ? "response larger than " + std::to_string(request.max_body_bytes) + " bytes"
                      : transfer.aborted
                          ? std::string("transfer stopped by the receiver")
                          : (error_buffer[0] != '\0' ? std::string(error_buffer) : curl_easy_strerror(code));
    log.status = 0;
    log.error = why;
    if (logger_) logger_(log);
    if (code == CURLE_OPERATION_TIMEDOUT && limited_by_deadline)
      return deadline_error(request.method + " " + request.url);
    // A URL that cannot work (a scheme other than http/https, a malformed
    // URL) fails the same way on every retry: code "url", never retried.
    if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT) {
      return Error{ErrorCode::url, request.method + " " + request.url + ": " + why};
    }
    // Nothing listens or the name does not resolve: "connect", which is not
    // worth retrying; every other transport failure is "network".
    bool unreachable =
        code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY;
    ErrorCode kind = transfer.too_large ? ErrorCode::too_large
                     : transfer.aborted ? ErrorCode::aborted
                     : unreachable      ? ErrorCode::connect
                                        : ErrorCode::network;
    return Error{kind, request.method + " " + request.url + ": " + why};
  }
  if (logger_) logger_(log);
  return std::move(response);
}

std::optional<std::chrono::milliseconds> HttpClient::time_left() const {
  if (!timeouts_.deadline) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*timeouts_.deadline - std::chrono::steady_clock::now());
}

Error HttpClient::deadline_error(const std::string& during) const {
  return Error{ErrorCode::timeout, "the command ran out of time (--timeout " +
                                       std::to_string(timeouts_.deadline_seconds.count()) + " s) during " + during};
}

std::string curl_version_string() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  return info != nullptr && info->version != nullptr ? info->version : "unknown";
}

}  // namespace kernels::hub
