#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "util/parallel.hpp"

TEST_CASE("parallel_for runs every index once on at most `jobs` threads", "[util][parallel]") {
  for (std::size_t jobs : {1, 2, 7}) {
    std::vector<std::atomic<int>> seen(100);
    std::mutex m;
    std::set<std::thread::id> threads;
    kernels::parallel_for(seen.size(), jobs, [&](std::size_t i) {
      seen[i].fetch_add(1);
      std::lock_guard<std::mutex> lock(m);
      threads.insert(std::this_thread::get_id());
    });
    for (auto& s : seen) CHECK(s.load() == 1);
    CHECK(threads.size() <= jobs);
  }
  int calls = 0;
  kernels::parallel_for(0, 4, [&](std::size_t) { ++calls; });
  CHECK(calls == 0);
  CHECK(kernels::hardware_jobs() >= 1);
}
