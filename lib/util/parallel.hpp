// A bounded pool for independent work items: `parallel_for(count, jobs, fn)`
// runs fn(0) ... fn(count - 1) on at most `jobs` threads (the calling thread
// is one of them), each thread taking the next index off an atomic counter.
// fn must not throw; results go into storage the caller indexes by item.
#pragma once

#include <cstddef>
#include <functional>

namespace kernels {

// The number of hardware threads, at least 1.
std::size_t hardware_jobs();

void parallel_for(std::size_t count, std::size_t jobs, const std::function<void(std::size_t)>& fn);

}  // namespace kernels
