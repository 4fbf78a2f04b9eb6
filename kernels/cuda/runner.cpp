// The bench on a CUDA device: probe and calibrate the machine, then for each
// kernel x dtype x shape verify against the CPU reference and time the fused
// kernel and the unfused reference with CUDA events over rotating buffers
// (cold L2), plus CUDA-graph launches for small shapes.
#include <cuda_runtime.h>
#include <sys/utsname.h>

#include <algorithm>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "kernels/bench/bench.hpp"
#include "kernels/cuda/launch.hpp"
#include "kernels/ref/check.hpp"
#include "variants/cuda_compat.hpp"

namespace kernels::gpu {
namespace {

Error cuda_error(cudaError_t e, const std::string& what) {
  return Error{ErrorCode::cuda, what + ": " + cudaGetErrorString(e) + " (" + cudaGetErrorName(e) + ")"};
}

#define KB_TRY(expr, what)                                  \
  do {                                                      \
    cudaError_t kb_e = (expr);                              \
    if (kb_e != cudaSuccess) return cuda_error(kb_e, what); \
  } while (0)

#define KB_TRY_STATUS(expr)              \
  do {                                   \
    Status kb_s = (expr);                \
    if (!kb_s.ok()) return kb_s.error(); \
  } while (0)

struct Events {
  std::vector<cudaEvent_t> ev;
  explicit Events(size_t n) : ev(n, nullptr) {
    for (auto& e : ev) cudaEventCreate(&e);
  }
  ~Events() {
    for (auto e : ev)
      if (e) cudaEventDestroy(e);
  }
};

struct DeviceMemory {
  void* p = nullptr;
  ~DeviceMemory() {
    if (p) cudaFree(p);
  }
};

// Times `n` calls of fn(i), each between two events; returns ms per call.
template <class F>
Result<std::vector<double>> time_calls(cudaStream_t s, int warmup, int n, F&& fn) {
  for (int i = 0; i < warmup; ++i) KB_TRY_STATUS(fn(i));
  Events ev(2 * size_t(n));
  for (int i = 0; i < n; ++i) {
    KB_TRY(cudaEventRecord(ev.ev[2 * i], s), "cudaEventRecord");
    KB_TRY_STATUS(fn(warmup + i));
    KB_TRY(cudaEventRecord(ev.ev[2 * i + 1], s), "cudaEventRecord");
  }
  KB_TRY(cudaStreamSynchronize(s), "kernel execution");
  std::vector<double> ms(size_t(n), 0.0);
  for (int i = 0; i < n; ++i) {
    float t = 0;
    KB_TRY(cudaEventElapsedTime(&t, ev.ev[2 * i], ev.ev[2 * i + 1]), "cudaEventElapsedTime");
    ms[size_t(i)] = t;
  }
  return ms;
}

// Captures `count` calls fn(i) into one CUDA graph; returns µs per call (median of replays).
template <class F>
Result<double> time_graph(cudaStream_t s, int count, int replays, F&& fn) {
  cudaGraph_t graph = nullptr;
  KB_TRY(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
  for (int i = 0; i < count; ++i) {
    Status st = fn(i);
    if (!st.ok()) {
      cudaStreamEndCapture(s, &graph);
      if (graph) cudaGraphDestroy(graph);
      return st.error();
    }
  }
  KB_TRY(cudaStreamEndCapture(s, &graph), "cudaStreamEndCapture");
  cudaGraphExec_t exec = nullptr;
  cudaError_t e = cudaGraphInstantiate(&exec, graph, 0);
  cudaGraphDestroy(graph);
  if (e != cudaSuccess) return cuda_error(e, "cudaGraphInstantiate");
  std::vector<double> per;
  Events ev(2);
  for (int r = 0; r < replays + 2; ++r) {
    cudaEventRecord(ev.ev[0], s);
    cudaGraphLaunch(exec, s);
    cudaEventRecord(ev.ev[1], s);
    e = cudaStreamSynchronize(s);
    if (e != cudaSuccess) break;
    float t = 0;
    cudaEventElapsedTime(&t, ev.ev[0], ev.ev[1]);
    if (r >= 2) per.push_back(double(t) * 1000.0 / count);
  }
  cudaGraphExecDestroy(exec);
  if (e != cudaSuccess) return cuda_error(e, "graph replay");
  return summarize(per).median;
}

Result<Machine> probe(const BenchPlan& plan) {
  Machine m;
  int driver = 0, runtime = 0;
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  m.runtime_cuda = variants::cuda_version_from_int(runtime);
  struct utsname u {};
  if (uname(&u) == 0) {
    m.os = std::string(u.sysname) + " " + u.release;
    m.cpu = u.machine;
  }
  if (driver == 0)
    return Error{ErrorCode::no_device,
                 "no CUDA driver found: is the NVIDIA driver installed and a GPU visible? "
                 "(kernels bench needs a CUDA GPU)"};
  m.driver_cuda = variants::cuda_version_from_int(driver);
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e == cudaErrorInsufficientDriver || m.driver_cuda.major < m.runtime_cuda.major)
    return Error{ErrorCode::driver, "the CUDA driver is too old: it supports CUDA " +
                                        variants::to_string(m.driver_cuda) + " and this binary needs CUDA " +
                                        variants::to_string(m.runtime_cuda) + " or newer; update the NVIDIA driver"};
  if (e != cudaSuccess || count == 0)
    return Error{ErrorCode::no_device, std::string("no CUDA device found") +
                                           (e != cudaSuccess ? std::string(" (") + cudaGetErrorString(e) + ")" : "")};
  cudaDeviceProp p{};
  KB_TRY(cudaGetDeviceProperties(&p, 0), "cudaGetDeviceProperties");
  m.gpu = p.name;
  m.sm_count = p.multiProcessorCount;
  m.cc_major = p.major;
  m.cc_minor = p.minor;
  m.l2_bytes = uint64_t(p.l2CacheSize);
  m.memory_bytes = uint64_t(p.totalGlobalMem);
  int clock_khz = 0, bus_bits = 0;  // the datasheet peak: double data rate x bus width
  if (cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, 0) == cudaSuccess &&
      cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0) == cudaSuccess)
    m.peak_gbps = 2.0 * double(clock_khz) * 1e3 * double(bus_bits) / 8.0 / 1e9;
  cudaGetLastError();
  m.loadable_variants = variants::loadable_cuda_tags(m.driver_cuda);
  if (plan.variant) {
    VariantCheck vc;
    vc.name = *plan.variant;
    auto v = variants::parse_variant(*plan.variant);
    if (!v.ok()) {
      vc.reason = v.error().message;
    } else {
      vc.valid = true;
      variants::MachineFacts f{m.cpu, "linux", m.driver_cuda};
      auto verdict = variants::can_run(*v, f);
      vc.can_run = verdict.can_run;
      vc.reason = verdict.reason;
    }
    m.variant = vc;
  }
  return m;
}

Status calibrate(Machine& m, cudaStream_t s) {
  // Device-to-device copy: 1 GiB (less on small GPUs), bytes read + written.
  size_t free_b = 0, total_b = 0;
  cudaMemGetInfo(&free_b, &total_b);
  size_t bytes = std::min<size_t>(size_t{1} << 30, free_b / 4);
  DeviceMemory a, b;
  if (cudaMalloc(&a.p, bytes) != cudaSuccess || cudaMalloc(&b.p, bytes) != cudaSuccess)
    return Error{ErrorCode::memory, "cannot allocate the copy-bandwidth buffers"};
  KB_TRY(cudaMemsetAsync(a.p, 1, bytes, s), "cudaMemsetAsync");
  auto copies = time_calls(s, 3, 20, [&](int) -> Status {
    cudaError_t e = cudaMemcpyAsync(b.p, a.p, bytes, cudaMemcpyDeviceToDevice, s);
    if (e != cudaSuccess) return cuda_error(e, "cudaMemcpyAsync");
    return ok_status();
  });
  if (!copies.ok()) return copies.error();
  double ms = summarize(*copies).median;
  m.copy_bytes = bytes;
  m.copy_gbps = 2.0 * double(bytes) / (ms * 1e-3) / 1e9;
  // The copy kernels on the same buffers, each timed the same way; the best
  // one is the kernel side of the roof.
  bytes &= ~size_t{15};
  for (int k = 0; k < copy_kernel_count(); ++k) {
    auto kernel = time_calls(s, 3, 20, [&](int) -> Status { return launch_copy_kernel(k, a.p, b.p, bytes, s); });
    if (!kernel.ok()) return kernel.error();
    double gbps = 2.0 * double(bytes) / (summarize(*kernel).median * 1e-3) / 1e9;
    m.copy_kernels.push_back({copy_kernel_name(k), gbps});
  }
  // The empty-kernel floor: one launch between events, and per launch in a graph.
  auto empty = [&](int) -> Status {
    launch_empty(s);
    cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? ok_status() : Status(cuda_error(e, "empty kernel"));
  };
  auto single = time_calls(s, 20, 201, empty);
  if (!single.ok()) return single.error();
  m.launch_event_us = summarize(*single).median * 1000.0;
  auto graph = time_graph(s, 1000, 10, empty);
  if (!graph.ok()) return graph.error();
  m.launch_graph_us = *graph;
  return ok_status();
}

uint64_t align256(uint64_t v) { return (v + 255) / 256 * 256; }

Result<BenchRow> run_row(const Machine& m, const BenchPlan& plan, Op op, DType t, Shape shape, cudaStream_t s) {
  BenchRow row;
  row.op = op;
  row.dtype = t;
  row.shape = shape;
  row.bytes = bytes_moved(op, t, uint64_t(shape.tokens), uint64_t(shape.width));
  row.tolerance_ulps = tolerance_ulps(op, t);

  KernelCall c;
  c.op = op;
  c.dtype = t;
  c.tokens = shape.tokens;
  c.width = shape.width;
  const size_t e = dtype_size(t);
  BufferSizes sz = buffer_sizes(op, uint64_t(shape.tokens), uint64_t(shape.width));
  const uint64_t bx = align256(sz.in * e), bo = align256(sz.out * e), bw = align256(sz.weight * e),
                 br = align256(sz.residual * e);
  const uint64_t set_bytes = std::max<uint64_t>(256, bx + bo + bw + br);
  const uint64_t scratch = align256(unfused_scratch_bytes(op, t, uint64_t(shape.tokens), uint64_t(shape.width)));
  // Enough sets that one pass over them is >= 4x the L2: every call starts cold.
  // Shapes timed in a graph get at least two sets, so no launch reuses the previous one's buffers.
  const bool graphed = row.bytes <= kGraphMaxBytes && shape.tokens > 0;
  uint64_t sets = std::clamp<uint64_t>((4 * m.l2_bytes + set_bytes - 1) / set_bytes, graphed ? 2 : 1, 2048);
  size_t free_b = 0, total_b = 0;
  cudaMemGetInfo(&free_b, &total_b);
  uint64_t budget = uint64_t(double(free_b) * 0.85);
  if (set_bytes + scratch > budget)
    return Error{ErrorCode::memory, row.workload() + " needs " + std::to_string((set_bytes + scratch) >> 20) +
                                        " MiB of device memory and " + std::to_string(free_b >> 20) + " MiB are free"};
  sets = std::max<uint64_t>(1, std::min<uint64_t>(sets, (budget - scratch) / set_bytes));
  row.rotating_sets = int(sets);

  DeviceMemory pool;
  KB_TRY(cudaMalloc(&pool.p, sets * set_bytes + scratch), "cudaMalloc");
  char* base = static_cast<char*>(pool.p);
  void* scratch_p = base + sets * set_bytes;
  auto at = [&](uint64_t k) {
    KernelCall k_call = c;
    char* sb = base + k * set_bytes;
    k_call.x = sb;
    k_call.out = sb + bx;
    k_call.weight = sb + bx + bo;
    k_call.residual = sb + bx + bo + bw;
    return k_call;
  };

  // Inputs for set 0, copied to the others on the device. Everything goes
  // through s: s does not wait for the legacy default stream, where a plain
  // cudaMemset or a pageable cudaMemcpy (which may return before its DMA has
  // landed) could still be running when the kernel being verified reads its
  // inputs or writes its output. (A verification of fp32 GeluAndMul 64x4097
  // failed once on the H100 with plain calls there; this race is the one
  // cause found.)
  HostBuffers host;
  size_buffers(c, host);
  fill_inputs(c, host, 42);
  KernelCall c0 = at(0);
  auto up = [&](void* dst, const std::vector<uint8_t>& v) {
    return v.empty() ? cudaSuccess : cudaMemcpyAsync(dst, v.data(), v.size(), cudaMemcpyHostToDevice, s);
  };
  KB_TRY(up(c0.x, host.x), "upload x");
  KB_TRY(up(const_cast<void*>(c0.weight), host.weight), "upload weight");
  KB_TRY(up(c0.residual, host.residual), "upload residual");
  if (!host.out.empty()) KB_TRY(cudaMemsetAsync(c0.out, 0xff, host.out.size(), s), "poison output");
  for (uint64_t k = 1; k < sets; ++k)
    KB_TRY(cudaMemcpyAsync(base + k * set_bytes, base, set_bytes, cudaMemcpyDeviceToDevice, s), "copy inputs");

  // Verify on set 0.
  KB_TRY_STATUS(launch(c0, s));
  KB_TRY(cudaStreamSynchronize(s), "kernel execution");
  auto down = [&](std::vector<uint8_t>& dst, const void* src) {
    return dst.empty() ? cudaSuccess : cudaMemcpy(dst.data(), src, dst.size(), cudaMemcpyDeviceToHost);
  };
  // Only the outputs come back: out, or x and residual for FusedAddRMSNorm.
  HostBuffers got;
  got.out.resize(host.out.size());
  KB_TRY(down(got.out, c0.out), "download out");
  if (op == Op::FusedAddRMSNorm) {
    got.x.resize(host.x.size());
    got.residual.resize(host.residual.size());
    KB_TRY(down(got.x, c0.x), "download x");
    KB_TRY(down(got.residual, c0.residual), "download residual");
  }
  // Large shapes: compute the CPU reference while the GPU is timed (their
  // kernels keep the launch queue full). Small ones: afterwards, so that no
  // CPU contention delays the launches being timed.
  unsigned hw = std::thread::hardware_concurrency();
  unsigned ref_threads = hw > 2 ? hw - 2 : 1u;
  const bool overlap = row.bytes >= kGraphMaxBytes;
  auto check_now = [&] {
    reference(c, host, ref_threads);
    return compare_outputs(c, got, host);
  };
  std::future<Comparison> checked;
  if (overlap) checked = std::async(std::launch::async, check_now);

  auto fused = [&](int i) { return launch(at(uint64_t(i) % sets), s); };
  int ref_launches = 0;
  auto unfused = [&](int i) { return launch_unfused(at(uint64_t(i) % sets), scratch_p, s, &ref_launches); };
  auto kt = time_calls(s, plan.warmup, plan.iterations, fused);
  Result<std::vector<double>> rt = std::vector<double>{};
  if (kt.ok()) rt = time_calls(s, plan.warmup, plan.iterations, unfused);
  Result<double> gt = 0.0;
  if (kt.ok() && rt.ok() && graphed) gt = time_graph(s, int(std::clamp<uint64_t>(sets, 20, 1000)), 10, fused);
  // The fastest copy kernel moving the same bytes through the same rotating
  // sets (the first half of a set copied onto its second half), timed on
  // the basis gbps() uses: the roof at this size.
  const int copy_k = m.best_copy_kernel();
  const uint64_t half = (row.bytes / 2) & ~uint64_t{15};
  Result<double> ct = 0.0;
  if (kt.ok() && rt.ok() && gt.ok() && copy_k >= 0 && half > 0) {
    auto copy = [&](int i) {
      char* sb = base + (uint64_t(i) % sets) * set_bytes;
      return launch_copy_kernel(copy_k, sb, sb + half, half, s);
    };
    if (graphed) {
      ct = time_graph(s, int(std::clamp<uint64_t>(sets, 20, 1000)), 10, copy);
    } else {
      auto times = time_calls(s, plan.warmup, plan.iterations, copy);
      if (times.ok()) ct = summarize(*times).median * 1e3;
      else ct = times.error();
    }
  }
  row.comparison = overlap ? checked.get() : check_now();
  if (!kt.ok()) return kt.error();
  if (!rt.ok()) return rt.error();
  if (!gt.ok()) return gt.error();
  if (!ct.ok()) return ct.error();
  if (*ct > 0) row.size_copy_gbps = double(2 * half) / (*ct * 1e-6) / 1e9;
  row.kernel = summarize(*kt);
  row.reference = summarize(*rt);
  row.reference_launches = ref_launches;
  if (graphed) row.graph_us = *gt;
  row.verified = row.comparison.max_ulps <= row.tolerance_ulps;
  return row;
}

}  // namespace

bool built_with_cuda() { return true; }

Result<BenchReport> run_bench(const BenchPlan& plan, const BenchHooks& hooks) {
  auto m = probe(plan);
  if (!m.ok()) return m.error();
  BenchReport rep;
  rep.warmup = plan.warmup;
  rep.iterations = plan.iterations;
  cudaStream_t s = nullptr;
  KB_TRY(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreate");
  struct StreamGuard {
    cudaStream_t s;
    ~StreamGuard() { cudaStreamDestroy(s); }
  } guard{s};
  KB_TRY_STATUS(calibrate(*m, s));
  rep.machine = *m;
  if (hooks.machine) hooks.machine(rep.machine);
  for (Op op : plan.ops) {
    for (DType t : plan.dtypes) {
      std::vector<Shape> shapes = plan.shapes.empty() ? default_shapes(op, t) : plan.shapes;
      for (const Shape& shape : shapes) {
        auto row = run_row(rep.machine, plan, op, t, shape, s);
        if (!row.ok()) return row.error();
        if (hooks.row) hooks.row(*row);
        rep.rows.push_back(*row);
      }
    }
  }
  return rep;
}

}  // namespace kernels::gpu
