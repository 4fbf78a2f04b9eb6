#!/usr/bin/env python3
"""Time the bundled kernels' shapes through PyTorch eager and torch.compile and
print them beside `kernels bench --json-out` results from the same run, as ratios.

Run it on a machine with a CUDA GPU and PyTorch:

    scripts/bench-vs-torch.py --kernels build/cli/kernels --dtype bf16
    scripts/bench-vs-torch.py --json bench.json          # results measured just before

With --kernels it first runs `kernels bench --json-out` itself (same process
lifetime of the machine, same clocks). Timing method, the same as kernels
bench: one call per sample between two CUDA events, inputs rotated over enough
buffer sets that one pass touches at least 4x the L2 (cold L2), warmup then
median of the samples. torch.compile uses dynamic=False (a kernel specialised
for each shape, as torch.compile does by default for a static shape).

Event timing of one call includes what the host does around the launch, and
the two sides are launched differently: `kernels bench` from C++ with almost
no host time per call, torch.compile through its Python wrapper (tens of us a
call). At kernel times under about 100 us that alone moves the event-timed
median by a few tenths of a per cent. So for the shapes that `kernels bench`
also times in a CUDA graph (up to 256 MiB moved) torch.compile is timed that
way too: the same number of calls on the same number of rotating buffer sets,
each call writing a fresh output, captured in one graph, replay time divided by
the calls. Both columns are printed; neither replaces the other.

In both, each call writes a fresh output, as kernels bench's calls write the
output of their own buffer set: a call's result is kept until as many calls as
there are buffer sets have followed. (A result dropped at once hands the next
call the same memory, whose lines the previous call may have left in the L2.)
"""
import argparse
import collections
import json
import math
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn.functional as F


def gated(act, first):
    def fn(x):
        d = x.shape[-1] // 2
        if first:
            return act(x[..., :d]) * x[..., d:]
        return x[..., :d] * act(x[..., d:])
    return fn


def fast_gelu(x):  # transformers FastGELUActivation
    return 0.5 * x * (1.0 + torch.tanh(x * 0.7978845608 * (1.0 + 0.044715 * x * x)))


def new_gelu(x):  # transformers NewGELUActivation
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def quick_gelu(x):  # transformers QuickGELUActivation
    return x * torch.sigmoid(1.702 * x)


def rms_norm(x, w, eps=1e-6):  # transformers LlamaRMSNorm.forward
    h = x.to(torch.float32)
    var = h.pow(2).mean(-1, keepdim=True)
    h = h * torch.rsqrt(var + eps)
    return w * h.to(x.dtype)


def fused_add_rms_norm(x, r, w, eps=1e-6):
    r = x + r
    return rms_norm(r, w, eps), r


KERNELS = {
    "SiluAndMul": ("gated", gated(F.silu, True)),
    "MulAndSilu": ("gated", gated(F.silu, False)),
    "GeluAndMul": ("gated", gated(F.gelu, True)),
    "GeluTanhAndMul": ("gated", gated(lambda t: F.gelu(t, approximate="tanh"), True)),
    "FatreluAndMul": ("gated", gated(lambda t: F.threshold(t, 0.0, 0.0), True)),
    "FastGELU": ("elementwise", fast_gelu),
    "NewGELU": ("elementwise", new_gelu),
    "QuickGELU": ("elementwise", quick_gelu),
    "RMSNorm": ("norm", rms_norm),
    "FusedAddRMSNorm": ("fused_norm", fused_add_rms_norm),
}
DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}


def make_inputs(kind, tokens, width, dtype, sets):
    gen = torch.Generator(device="cuda").manual_seed(42)
    out = []
    for _ in range(sets):
        if kind == "gated":
            out.append((torch.randn(tokens, 2 * width, device="cuda", dtype=dtype, generator=gen),))
        elif kind == "elementwise":
            out.append((torch.randn(tokens, width, device="cuda", dtype=dtype, generator=gen),))
        else:
            x = torch.randn(tokens, width, device="cuda", dtype=dtype, generator=gen)
            w = torch.rand(width, device="cuda", dtype=dtype, generator=gen) + 0.5
            if kind == "norm":
                out.append((x, w))
            else:
                out.append((x, torch.randn(tokens, width, device="cuda", dtype=dtype, generator=gen), w))
    return out


def time_ms(fn, inputs, warmup, iterations):
    kept = collections.deque(maxlen=len(inputs))  # each call writes fresh memory (see the top)
    for i in range(warmup):
        kept.append(fn(*inputs[i % len(inputs)]))
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(iterations)]
    ends = [torch.cuda.Event(enable_timing=True) for _ in range(iterations)]
    for i in range(iterations):
        args = inputs[(warmup + i) % len(inputs)]
        starts[i].record()
        result = fn(*args)
        ends[i].record()
        kept.append(result)
    torch.cuda.synchronize()
    samples = sorted(s.elapsed_time(e) for s, e in zip(starts, ends))
    n = len(samples)
    mid = (n - 1) / 2
    return samples[int(math.floor(mid))] + (samples[int(math.ceil(mid))] - samples[int(math.floor(mid))]) * (mid - math.floor(mid))


def graph_ms(fn, inputs, launches, replays=10):
    """Per-call time of `launches` calls of fn, inputs rotating, captured in one CUDA graph."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):  # capture wants the first calls made off the default stream
        for i in range(3):
            fn(*inputs[i % len(inputs)])
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        # Results kept: each call writes fresh memory, as kernels bench's calls write
        # rotating outputs. A result dropped at once would hand the next call the same
        # block, and an output small enough to stay in the L2 would then be written
        # there again and again instead of going to memory.
        results = [fn(*inputs[i % len(inputs)]) for i in range(launches)]
    graph.replay()
    torch.cuda.synchronize()
    samples = []
    for _ in range(replays):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        graph.replay()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end) / launches)
    del graph, results
    samples.sort()
    return samples[len(samples) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--json", help="results of `kernels bench --json-out` measured just before")
    src.add_argument("--kernels", help="path of the kernels binary: run `kernels bench --json-out` first")
    ap.add_argument("--dtype", default="bf16", help="bf16, fp16, fp32 or all (default bf16)")
    ap.add_argument("--names", nargs="*", default=[], help="kernel names (default all)")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--iterations", type=int, default=100)
    ap.add_argument("--out", help="write the comparison as JSON here")
    args = ap.parse_args()

    path = args.json
    if args.kernels:
        path = os.path.join(tempfile.mkdtemp(), "kernels-bench.json")
        cmd = [args.kernels, "bench", *args.names, "--dtype", args.dtype, "--json-out", path,
               "--warmup", str(args.warmup), "--iterations", str(args.iterations)]
        print("+", " ".join(cmd), flush=True)
        rc = subprocess.run(cmd).returncode
        if rc not in (0, 1):
            sys.exit(rc)
    with open(path) as f:
        report = json.load(f)
    if args.json:  # keep the rows asked for
        keep = lambda r: ((args.dtype == "all" or r["dtype"] == args.dtype)
                          and (not args.names or r["kernel"] in args.names))
        report["results"] = [r for r in report["results"] if keep(r)]

    torch._dynamo.config.cache_size_limit = 4096
    if hasattr(torch._dynamo.config, "recompile_limit"):
        torch._dynamo.config.recompile_limit = 4096
    l2 = torch.cuda.get_device_properties(0).L2_cache_size
    rows = []
    print(f"\n{'kernel':16}{'dtype':6}{'shape':13}{'kernels us':>11}{'eager us':>10}{'compile us':>11}"
          f"{'eager/k':>9}{'compile/k':>10}{'k graph':>11}{'c graph':>11}{'cg/kg':>9}")
    compiled_cache = {}
    for r in report["results"]:
        name, dt, tokens, width = r["kernel"], r["dtype"], r["tokens"], r["width"]
        if name not in KERNELS or tokens == 0:
            continue
        kind, fn = KERNELS[name]
        dtype = DTYPES[dt]
        graph_us = r.get("graphUsPerLaunch")
        # As kernels bench: its buffer sets, and for a graph its number of launches.
        sets = r.get("rotatingBufferSets") or max(1, min(2048, math.ceil(4 * l2 / max(1, r["bytesMoved"]))))
        inputs = make_inputs(kind, tokens, width, dtype, sets)
        key = name
        if key not in compiled_cache:
            compiled_cache[key] = torch.compile(fn, dynamic=False)
        cfn = compiled_cache[key]
        with torch.no_grad():
            eager = time_ms(fn, inputs, args.warmup, args.iterations)
            comp = time_ms(cfn, inputs, max(args.warmup, 3), args.iterations)
            comp_graph = None
            if graph_us:
                try:
                    comp_graph = graph_ms(cfn, inputs, min(max(sets, 20), 1000))
                except RuntimeError as e:  # a capture that fails leaves the column empty, said once per shape
                    print(f"  {name} {dt} {tokens}x{width}: torch.compile not capturable in a graph: {e}", flush=True)
        ours = r["timingResults"]["median_ms"]
        row = {"kernel": name, "dtype": dt, "tokens": tokens, "width": width, "kernels_ms": ours,
               "eager_ms": eager, "compiled_ms": comp, "eager_over_kernels": eager / ours,
               "compiled_over_kernels": comp / ours}
        graph_cols = ""
        if graph_us and comp_graph:
            row.update({"kernels_graph_ms": graph_us / 1e3, "compiled_graph_ms": comp_graph,
                        "compiled_graph_over_kernels_graph": comp_graph / (graph_us / 1e3)})
            graph_cols = f"{graph_us:11.2f}{comp_graph * 1e3:11.2f}{comp_graph * 1e3 / graph_us:9.2f}"
        rows.append(row)
        print(f"{name:16}{dt:6}{f'{tokens}x{width}':13}{ours * 1e3:11.2f}{eager * 1e3:10.2f}{comp * 1e3:11.2f}"
              f"{eager / ours:9.2f}{comp / ours:10.2f}{graph_cols}", flush=True)
        del inputs
        torch.cuda.empty_cache()
    behind = [r for r in rows if r["compiled_over_kernels"] < 1.0]
    print(f"\n{len(rows) - len(behind)} of {len(rows)} shapes at least as fast as torch.compile"
          f" (GPU {torch.cuda.get_device_name(0)}, torch {torch.__version__})")
    for r in behind:
        print(f"  slower: {r['kernel']} {r['dtype']} {r['tokens']}x{r['width']}: "
              f"{r['kernels_ms'] * 1e3:.2f} us vs compiled {r['compiled_ms'] * 1e3:.2f} us")
    graphed = [r for r in rows if "compiled_graph_over_kernels_graph" in r]
    graph_behind = [r for r in graphed if r["compiled_graph_over_kernels_graph"] < 1.0]
    if graphed:
        print(f"\nIn CUDA graphs (per call): {len(graphed) - len(graph_behind)} of {len(graphed)} shapes at least"
              " as fast as torch.compile")
    for r in graph_behind:
        print(f"  slower: {r['kernel']} {r['dtype']} {r['tokens']}x{r['width']}: "
              f"{r['kernels_graph_ms'] * 1e3:.2f} us vs compiled {r['compiled_graph_ms'] * 1e3:.2f} us")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__,
                       "machineInfo": report.get("machineInfo"), "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
