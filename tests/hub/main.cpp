// kernels-hub-emulator: serves a directory of git repositories as a
// Hugging Face Hub on loopback, for the demo and for trying kernels
// without the Hub. Stops on SIGINT or SIGTERM.
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <mutex>

#include "tests/hub/emulator.hpp"
#include "tests/hub/samples.hpp"

int main(int argc, char** argv) {
  using namespace kernels::hub_emulator;
  CLI::App app{
      "kernels-hub-emulator: a Hugging Face Hub on loopback, serving the bare git repositories\n"
      "ROOT/<org>/<name> (LFS objects in <repo>/lfs/objects/, as git-lfs keeps them)",
      "kernels-hub-emulator"};
  app.footer(
      "Examples:\n"
      "  kernels-hub-emulator --root /tmp/hub --init-samples --port 8080\n"
      "  HF_ENDPOINT=http://127.0.0.1:8080 kernels versions kernels-community/relu\n"
      "  kernels-hub-emulator --root /tmp/hub --trusted-org kernels-community --trusted-org acme\n"
      "A repository is private when <repo>/hub-private exists, gated when <repo>/hub-gated exists.");
  EmulatorOptions options;
  Faults faults;
  bool init_samples = false;
  std::vector<std::string> tokens;
  std::vector<std::string> trusted_orgs;
  app.add_option("--root", options.root, "Directory of repositories (ROOT/<org>/<name>)")->required();
  app.add_option("--host", options.host, "Address of the Hub (default 127.0.0.1)");
  app.add_option("--port", options.port, "Port of the Hub (0: any free port)");
  app.add_option("--lfs-host", options.lfs_host, "Address of the LFS storage host (default 127.0.0.2)");
  app.add_option("--lfs-port", options.lfs_port, "Port of the LFS storage host (0: any free port)");
  app.add_option("--page-size", options.page_size, "Tree listing page size (default 1000)");
  app.add_option("--token", tokens, "A token the Hub accepts (repeatable); needed for private repositories");
  app.add_option("--trusted-org", trusted_orgs,
                 "An organisation whose overview says trustedKernelPublisher: true (repeatable; default: "
                 "kernels-community)");
  app.add_option("--latency-ms", faults.latency_ms, "Delay added to every request");
  app.add_option("--rate-limit-every", faults.rate_limit_every, "Answer every Nth request with 429");
  app.add_option("--retry-after", faults.retry_after_s, "Retry-After seconds sent with a 429");
  app.add_option("--error-500-every", faults.error_500_every, "Answer every Nth request with 500");
  app.add_option("--reset-every", faults.reset_every, "Drop the connection of every Nth request");
  app.add_option("--truncate-every", faults.truncate_every, "Cut the body of every Nth GET short");
  app.add_option("--malformed-json-every", faults.malformed_json_every, "Send broken JSON for every Nth request");
  app.add_flag("--init-samples", init_samples, "Write a few sample kernel repositories into ROOT first");
  bool log_requests = false;
  app.add_flag("--log", log_requests,
               "Print each request: host, method, target, status, whether it carried an Authorization header");
  CLI11_PARSE(app, argc, argv);
  options.tokens.insert(tokens.begin(), tokens.end());
  if (trusted_orgs.empty()) trusted_orgs.push_back("kernels-community");
  options.trusted_orgs.insert(trusted_orgs.begin(), trusted_orgs.end());

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // the server threads inherit the mask

  try {
    if (init_samples) write_sample_repos(options.root);
    HubEmulator emulator(options);
    emulator.set_faults(faults);
    if (log_requests) {
      emulator.set_observer([](const LoggedRequest& r) {
        static std::mutex mutex;
        std::lock_guard lock(mutex);
        std::cout << r.server << " " << r.method << " " << r.target << " " << r.status
                  << " auth=" << (r.authorization.empty() ? "no" : "yes") << std::endl;
      });
    }
    emulator.start();
    std::cout << "kernels-hub-emulator: serving " << options.root << " at " << emulator.endpoint()
              << " (LFS storage at " << emulator.lfs_endpoint() << ")" << std::endl;
    int sig = 0;
    sigwait(&signals, &sig);
    emulator.stop();
  } catch (const std::exception& e) {
    std::cerr << "kernels-hub-emulator: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
