#include "util/bounded_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace kernels {

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<BoundedRunResult> bounded_run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                     std::size_t max_output) {
  if (argv.empty()) return Error{ErrorCode::spawn, "no program to run"};
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Error{ErrorCode::spawn, std::string("pipe: ") + std::strerror(errno)};
  Fd read_end{pipe_fds[0]};
  Fd write_end{pipe_fds[1]};
  // A status pipe: the child writes errno there when exec fails.
  int status_fds[2];
  if (::pipe2(status_fds, O_CLOEXEC) != 0) return Error{ErrorCode::spawn, std::string("pipe: ") + std::strerror(errno)};
  Fd status_read{status_fds[0]};
  Fd status_write{status_fds[1]};

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) return Error{ErrorCode::spawn, std::string("fork: ") + std::strerror(errno)};
  if (pid == 0) {
    ::setpgid(0, 0);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 2);
    }
    ::dup2(write_end.fd, 1);
    ::execvp(args[0], args.data());
    int err = errno;
    (void)!::write(status_write.fd, &err, sizeof err);
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(write_end.fd);
  write_end.fd = -1;
  ::close(status_write.fd);
  status_write.fd = -1;

  int exec_errno = 0;
  ssize_t got = ::read(status_read.fd, &exec_errno, sizeof exec_errno);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    ::waitpid(pid, nullptr, 0);
    return Error{ErrorCode::spawn, "cannot run " + argv[0] + ": " + std::strerror(exec_errno)};
  }

  BoundedRunResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{read_end.fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) {
      timed_out = true;
      break;
    }
    ssize_t n = ::read(read_end.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::size_t room = max_output - std::min(max_output, result.out.size());
    std::size_t take = std::min(room, static_cast<std::size_t>(n));
    result.out.append(buf, take);
    if (take < static_cast<std::size_t>(n)) {
      result.truncated = true;
      break;  // stop reading: the child is killed below
    }
  }
  if (timed_out || result.truncated) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(timeout.count()) / 1000.0);
    return Error{ErrorCode::timeout, argv[0] + " did not finish within " + secs + " s; it was stopped"};
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace kernels
