#!/usr/bin/env python3
"""Drive the real huggingface_hub client against kernels-hub-emulator.

Run where huggingface_hub is installed (not on the build machine: it has no
PyPI and Debian has no package). Starts the emulator on a fresh root with the
sample repositories (--init-samples), a tree page size of 4 and a token, then
checks the calls the kernels tooling relies on, printing PASS/FAIL per check:

    python3 tests/hub/real_client_check.py --emulator build/tests/hub/kernels-hub-emulator \
        [--lib DIR] [--kernels build/cli/kernels]

--lib is put on LD_LIBRARY_PATH for the emulator (and the git it runs) only.
--kernels, when given, also checks that the C++ tool reads the cache that
huggingface_hub wrote (kernels versions --offline). Exit status 1 if any
check failed.
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

TOKEN = "hf_device_check_token"
REPO = "kernels-community/relu"
RESULTS = []


def check(name):
    def wrap(fn):
        try:
            detail = fn()
            RESULTS.append((name, True))
            print(f"PASS {name}: {detail}", flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported, then the next check runs
            RESULTS.append((name, False))
            print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        return fn
    return wrap


def start_emulator(args, root, lfs_host):
    env = dict(os.environ)
    if args.lib:
        env["LD_LIBRARY_PATH"] = os.path.abspath(args.lib)
    if args.git_dir:
        env["PATH"] = os.path.abspath(args.git_dir) + os.pathsep + env.get("PATH", "")
    cmd = [args.emulator, "--root", root, "--init-samples", "--port", "0", "--lfs-host", lfs_host,
           "--page-size", "4", "--token", TOKEN, "--log"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    first = proc.stdout.readline()
    m = re.search(r"at (http://[\d.]+:\d+) \(LFS storage at (http://[\d.]+:\d+)\)", first)
    if not m:
        proc.kill()
        return None, None, None, first + proc.stdout.read()
    log = []
    threading.Thread(target=lambda: [log.append(line.rstrip("\n")) for line in proc.stdout], daemon=True).start()
    return proc, m.group(1), log, m.group(2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--lib")
    ap.add_argument("--git-dir", help="folder with a git binary, put first on the emulator's PATH")
    ap.add_argument("--kernels")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="hubcheck-")
    root = os.path.join(work, "root")
    proc, endpoint, log, lfs = start_emulator(args, root, "127.0.0.2")
    if proc is None:
        print(f"note: emulator could not use 127.0.0.2 ({lfs.strip()[:200]}); LFS host falls back to 127.0.0.1")
        proc, endpoint, log, lfs = start_emulator(args, root + "2", "127.0.0.1")
        if proc is None:
            print("FAIL emulator did not start:", lfs)
            return 1
    print(f"emulator: {endpoint}, LFS storage: {lfs}")

    hf_home = os.path.join(work, "hf_home")
    os.environ.update({"HF_ENDPOINT": endpoint, "HF_HOME": hf_home, "HF_HUB_DISABLE_TELEMETRY": "1",
                       "HF_HUB_DISABLE_XET": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1"})
    os.environ.pop("HF_TOKEN", None)
    import huggingface_hub
    from huggingface_hub import HfApi, hf_hub_download, snapshot_download
    from huggingface_hub.errors import (EntryNotFoundError, HfHubHTTPError, RepositoryNotFoundError,
                                        RevisionNotFoundError)
    print(f"huggingface_hub {huggingface_hub.__version__}, python {sys.version.split()[0]}")
    api = HfApi(endpoint=endpoint)
    cache = os.path.join(hf_home, "hub")
    state = {}

    @check("list_repo_refs(repo_type='kernel')")
    def _():
        refs = api.list_repo_refs(REPO, repo_type="kernel")
        branches = {b.name: b.target_commit for b in refs.branches}
        tags = {t.name: t.target_commit for t in refs.tags}
        assert set(branches) == {"main", "v1", "v2"}, branches
        assert set(tags) == {"v1.0"}, tags
        state.update(branches=branches, tags=tags)
        return f"branches={sorted(branches)} tags={sorted(tags)}"

    @check("repo_info / kernel_info at a branch, an annotated tag and a sha")
    def _():
        v1 = api.repo_info(REPO, repo_type="kernel", revision="v1")
        assert v1.sha == state["branches"]["v1"], (v1.sha, state["branches"])
        tag = api.repo_info(REPO, repo_type="kernel", revision="v1.0")
        assert tag.sha == state["tags"]["v1.0"], tag.sha
        sha = api.repo_info(REPO, repo_type="kernel", revision=v1.sha)
        assert sha.sha == v1.sha
        kinfo = api.kernel_info(REPO, revision="v2") if hasattr(api, "kernel_info") else None
        return f"v1={v1.sha[:12]} type={type(v1).__name__} kernel_info={'yes ' + kinfo.sha[:12] if kinfo else 'n/a'}"

    @check("list_repo_tree(recursive=True) across pages (page size 4)")
    def _():
        before = sum(1 for line in log if "cursor=" in line)
        items = list(api.list_repo_tree(REPO, repo_type="kernel", revision="v2", recursive=True))
        pages = sum(1 for line in log if "cursor=" in line) - before
        files = [i for i in items if type(i).__name__ == "RepoFile"]
        lfs = [f for f in files if f.lfs]
        assert pages >= 2, pages
        assert lfs and all(re.fullmatch(r"[0-9a-f]{64}", f.lfs.sha256) for f in lfs)
        variants = list(api.list_repo_tree(REPO, repo_type="kernel", revision="v2", path_in_repo="build"))
        state["tree_v2"] = {f.path: f for f in files}
        return (f"{len(items)} entries ({len(files)} files, {len(lfs)} LFS) in {pages + 1} pages; "
                f"build/: {[v.path for v in variants]}")

    @check("hf_hub_download of a plain file (kernel type); refs file has no newline")
    def _():
        path = hf_hub_download(REPO, "build/torch-cpu/relu/__init__.py", repo_type="kernel", revision="v1",
                               cache_dir=cache)
        data = open(path, "rb").read()
        ref = open(os.path.join(cache, "kernels--kernels-community--relu", "refs", "v1"), "rb").read()
        assert ref == state["branches"]["v1"].encode(), ref
        blob = os.path.basename(os.path.realpath(path))
        git_oid = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        assert blob == git_oid, (blob, git_oid)
        return f"{len(data)} bytes, blob name = git sha1 {blob[:12]}, link -> {os.readlink(path)}"

    @check("hf_hub_download of an LFS file with a token: 302 to the LFS host, no Authorization there")
    def _():
        name = "build/torch210-cxx11-cu128-x86_64-linux/relu/_relu.abi3.so"
        mark = len(log)
        path = hf_hub_download(REPO, name, repo_type="kernel", revision="v2", cache_dir=cache, token=TOKEN)
        data = open(path, "rb").read()
        digest = hashlib.sha256(data).hexdigest()
        assert digest == state["tree_v2"][name].lfs.sha256
        assert os.path.basename(os.path.realpath(path)) == digest
        lines = log[mark:]
        lfs_lines = [line for line in lines if line.startswith("lfs ")]
        hub_lines = [line for line in lines if line.startswith("hub ") and "_relu.abi3.so" in line]
        assert lfs_lines and all(line.endswith("auth=no") for line in lfs_lines), lines
        assert hub_lines and all(line.endswith("auth=yes") for line in hub_lines), lines
        return f"{len(data)} bytes sha256 {digest[:12]}; requests: {lines}"

    @check("snapshot_download(repo_type='kernel') at v1")
    def _():
        snap = snapshot_download(REPO, repo_type="kernel", revision="v1", cache_dir=cache)
        files = sorted(os.path.relpath(os.path.join(d, f), snap) for d, _, fs in os.walk(snap) for f in fs)
        tree = [i.path for i in api.list_repo_tree(REPO, repo_type="kernel", revision="v1", recursive=True)
                if type(i).__name__ == "RepoFile"]
        assert files == sorted(tree), (files, tree)
        return f"{len(files)} files in {snap}"

    @check("private repository: RepositoryNotFoundError without a token, listed with one")
    def _():
        try:
            api.list_repo_refs("acme/private-kernel", repo_type="kernel")
            raise AssertionError("no error without a token")
        except RepositoryNotFoundError:
            pass
        refs = api.list_repo_refs("acme/private-kernel", repo_type="kernel", token=TOKEN)
        path = hf_hub_download("acme/private-kernel", "build/torch210-cxx11-cu128-x86_64-linux/secret/__init__.py",
                               repo_type="kernel", revision="v1", cache_dir=cache, token=TOKEN)
        return f"with token: branches={[b.name for b in refs.branches]}, downloaded {os.path.getsize(path)} bytes"

    @check("errors: RepositoryNotFound, RevisionNotFound, EntryNotFound, bad token")
    def _():
        seen = []
        for fn, exc in [
            (lambda: api.repo_info("kernels-community/nope", repo_type="kernel"), RepositoryNotFoundError),
            (lambda: api.repo_info(REPO, repo_type="kernel", revision="v9"), RevisionNotFoundError),
            (lambda: api.list_repo_tree(REPO, repo_type="kernel", revision="v9").__next__(), RevisionNotFoundError),
            (lambda: hf_hub_download(REPO, "nope.txt", repo_type="kernel", revision="v1", cache_dir=cache),
             EntryNotFoundError),
            (lambda: api.list_repo_refs(REPO, repo_type="kernel", token="hf_wrong"), HfHubHTTPError),
        ]:
            try:
                fn()
                raise AssertionError(f"no {exc.__name__}")
            except exc as e:
                seen.append(f"{type(e).__name__}: {str(e).splitlines()[0][:90]}")
        return " | ".join(seen)

    @check("kernel-status.toml redirect file and 404 for a repo without one")
    def _():
        path = hf_hub_download("kernels-community/relu-old", "kernel-status.toml", repo_type="kernel",
                               cache_dir=cache)
        text = open(path).read()
        assert 'destination = "kernels-community/relu"' in text
        try:
            hf_hub_download(REPO, "kernel-status.toml", repo_type="kernel", cache_dir=cache)
            raise AssertionError("kernel-status.toml found in relu")
        except EntryNotFoundError:
            pass
        return text.replace("\n", "; ")

    @check("model mirror: model_info(files_metadata=True) siblings and a model-path download")
    def _():
        info = api.model_info(REPO, revision="v1", files_metadata=True)
        sib = [s for s in info.siblings if s.lfs]
        assert info.sha == state["branches"]["v1"]
        assert sib and all(len(s.lfs.sha256) == 64 for s in sib)
        path = hf_hub_download(REPO, "README.md", revision="v1", cache_dir=cache)
        assert os.path.exists(os.path.join(cache, "models--kernels-community--relu", "refs", "v1"))
        return f"{len(info.siblings)} siblings ({len(sib)} LFS); README {os.path.getsize(path)} bytes"

    if args.kernels:
        @check("C++ kernels reads the cache huggingface_hub wrote (versions --offline)")
        def _():
            env = dict(os.environ, HF_HUB_OFFLINE="1")
            r = subprocess.run([args.kernels, "versions", REPO, "--offline"], capture_output=True, text=True,
                               env=env, timeout=60)
            assert r.returncode == 0, r.stderr
            assert f"Version 1: {state['branches']['v1']}" in r.stdout, r.stdout
            return r.stdout.replace("\n", " / ")

    proc.terminate()
    proc.wait(timeout=10)
    failed = [n for n, ok in RESULTS if not ok]
    print(f"{len(RESULTS) - len(failed)}/{len(RESULTS)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
