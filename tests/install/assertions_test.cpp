// Proves that assert() is active in the tested build: NDEBUG is not defined here, and an
// assert(false) in a child process aborts it. Exit 0 yes, 1 no although KERNELS_ASSERTIONS
// promised it, 77 (ctest: skipped) no in a build that did not ask for assertions.
#include <sys/wait.h>
#include <unistd.h>

#include <cassert>
#include <csignal>
#include <cstdio>
#include <cstdlib>

int main() {
#ifdef NDEBUG
#ifdef KERNELS_EXPECT_ASSERTIONS
  std::fputs("NDEBUG is defined although KERNELS_ASSERTIONS is ON: assert() is off\n", stderr);
  return 1;
#else
  std::fputs("NDEBUG is defined (a release build without KERNELS_ASSERTIONS): skipped\n", stderr);
  return 77;
#endif
#else
  pid_t child = fork();
  if (child < 0) {
    std::perror("fork");
    return 1;
  }
  if (child == 0) {
    std::fclose(stderr);  // the assertion message is expected; keep the test's output clean
    assert(false && "this assertion must fire");
    std::_Exit(0);
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child) {
    std::perror("waitpid");
    return 1;
  }
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT) {
    std::fputs("assert(false) did not abort the process\n", stderr);
    return 1;
  }
  std::puts("NDEBUG is not defined and assert(false) aborts");
  return 0;
#endif
}
