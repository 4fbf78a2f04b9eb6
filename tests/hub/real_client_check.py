#!/usr/bin/env python3
"""Drive the real huggingface_hub client against kernels-hub-emulator.

Run where huggingface_hub is importable. Starts the emulator on a fresh root
with the sample repositories (--init-samples), a tree page size of 4, a token
and trusted organisations acme and kernels-community, then checks the calls
the kernels tooling relies on, printing PASS/FAIL per check:

    python3 tests/hub/real_client_check.py --emulator build/tests/hub/kernels-hub-emulator \
        [--lib DIR] [--kernels build/cli/kernels]

On a Debian 12 machine without PyPI: apt-get install python3-httpx python3-filelock
python3-tqdm python3-yaml python3-packaging python3-typing-extensions python3-fsspec, put a
huggingface_hub v1.x source tree's src/ on PYTHONPATH and run it with /usr/bin/python3.
Debian's filelock 3.9 lacks FileLock(..., mode=) that huggingface_hub >= 1.4 passes;
hf_filelock_shim.py (beside this script) then drops `mode`, and only then (see there).

--lib is put on LD_LIBRARY_PATH for the emulator (and the git it runs) only.
--kernels, when given, also checks that the C++ tool reads the cache that
huggingface_hub wrote (kernels versions --offline). Exit status 1 if any
check failed.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

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
    os.makedirs(os.path.join(root, "untrusted-org"), exist_ok=True)  # an organisation not in --trusted-org
    cmd = [args.emulator, "--root", root, "--init-samples", "--port", "0", "--lfs-host", lfs_host,
           "--page-size", "4", "--token", TOKEN, "--trusted-org", "acme", "--trusted-org", "kernels-community",
           "--log"]
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
    import hf_filelock_shim
    shimmed = hf_filelock_shim.install()
    print(f"huggingface_hub {huggingface_hub.__version__}, python {sys.version.split()[0]}"
          f"{', filelock shim (no FileLock mode=)' if shimmed else ''}")
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


    @check("list_repo_refs(include_pull_requests=True): refs/pr/1 in pull_requests, absent by default")
    def _():
        plain = api.list_repo_refs(REPO, repo_type="kernel")
        assert plain.pull_requests is None, plain.pull_requests
        refs = api.list_repo_refs(REPO, repo_type="kernel", include_pull_requests=True)
        prs = {p.ref: p.target_commit for p in refs.pull_requests}
        assert list(prs) == ["refs/pr/1"], prs
        assert refs.pull_requests[0].name == "refs/pr/1"
        assert prs["refs/pr/1"] not in state["branches"].values()
        assert {b.name for b in refs.branches} == {"main", "v1", "v2"}
        state["pr1"] = prs["refs/pr/1"]
        return f"pull_requests={refs.pull_requests}"

    @check("revision refs/pr/1: repo_info, list_repo_tree and hf_hub_download (refs/refs/pr/1 in the cache)")
    def _():
        mark = len(log)
        info = api.repo_info(REPO, repo_type="kernel", revision="refs/pr/1")
        assert info.sha == state["pr1"], info.sha
        tree = [i.path for i in api.list_repo_tree(REPO, repo_type="kernel", revision="refs/pr/1")]
        assert "README.md" in tree, tree
        path = hf_hub_download(REPO, "README.md", repo_type="kernel", revision="refs/pr/1", cache_dir=cache)
        assert b"pull request" in open(path, "rb").read()
        ref = open(os.path.join(cache, "kernels--kernels-community--relu", "refs", "refs", "pr", "1"), "rb").read()
        assert ref == state["pr1"].encode(), ref
        encoded = [line for line in log[mark:] if "refs%2Fpr%2F1" in line]
        assert encoded and all(" 200 " in line or " 302 " in line for line in encoded), log[mark:]
        return f"sha {info.sha[:12]}; {len(encoded)} requests with refs%2Fpr%2F1"

    @check("get_organization_overview: trustedKernelPublisher from --trusted-org")
    def _():
        trusted = {org: getattr(api.get_organization_overview(org), "trustedKernelPublisher", None)
                   for org in ("kernels-community", "acme", "untrusted-org")}
        assert trusted == {"kernels-community": True, "acme": True, "untrusted-org": False}, trusted
        return str(trusted)

    @check("get_hf_file_metadata: git file 200 (ETag = blob sha1, size), LFS file 302 (sha256, size, location)")
    def _():
        from huggingface_hub import get_hf_file_metadata, hf_hub_url
        v1 = state["branches"]["v1"]
        plain = get_hf_file_metadata(hf_hub_url(REPO, "README.md", repo_type="kernel", revision=v1))
        tree = {i.path: i for i in api.list_repo_tree(REPO, repo_type="kernel", revision=v1, recursive=True)
                if type(i).__name__ == "RepoFile"}
        assert plain.commit_hash == v1 and plain.etag == tree["README.md"].blob_id, plain
        assert plain.size == tree["README.md"].size, plain
        so = next(p for p, f in tree.items() if f.lfs)
        lfs = get_hf_file_metadata(hf_hub_url(REPO, so, repo_type="kernel", revision=v1))
        assert lfs.etag == tree[so].lfs.sha256 and lfs.size == tree[so].lfs.size, lfs
        assert lfs.commit_hash == v1 and lfs.location.startswith(state.get("lfs", "http://127.0.0.")), lfs
        state["lfs_file"] = (so, lfs)
        return f"git etag {plain.etag[:12]} size {plain.size}; LFS etag {lfs.etag[:12]} size {lfs.size} at {lfs.location}"

    @check("http_get resume: Range bytes=N- answered 206 by the LFS host and by resolve")
    def _():
        import io
        from huggingface_hub import hf_hub_url
        from huggingface_hub.file_download import http_get
        so, meta = state["lfs_file"]
        full = open(hf_hub_download(REPO, so, repo_type="kernel", revision=state["branches"]["v1"], cache_dir=cache),
                    "rb").read()
        readme = hf_hub_url(REPO, "README.md", repo_type="kernel", revision=state["branches"]["v1"])
        text = open(hf_hub_download(REPO, "README.md", repo_type="kernel", revision="v1", cache_dir=cache), "rb").read()
        mark = len(log)
        buf = io.BytesIO(full[:1000])
        buf.seek(1000)
        http_get(meta.location, buf, resume_size=1000, expected_size=meta.size)
        assert buf.getvalue() == full, (len(buf.getvalue()), len(full))
        buf2 = io.BytesIO(text[:5])
        buf2.seek(5)
        http_get(readme, buf2, resume_size=5, expected_size=len(text))
        assert buf2.getvalue() == text
        statuses = [line.split()[-2] for line in log[mark:]]
        assert statuses == ["206", "206"], log[mark:]
        return f"resumed {len(full) - 1000} of {len(full)} LFS bytes and {len(text) - 5} README bytes: {log[mark:]}"

    @check("416 for a range past the end (HfHubHTTPError from the client)")
    def _():
        from huggingface_hub.utils import get_session, hf_raise_for_status
        so, meta = state["lfs_file"]
        r = get_session().get(meta.location, headers={"Range": f"bytes={meta.size}-"})
        assert r.status_code == 416 and r.headers["Content-Range"] == f"bytes */{meta.size}", r.headers
        try:
            hf_raise_for_status(r)
            raise AssertionError("no error for 416")
        except HfHubHTTPError as e:
            return f"{r.status_code} Content-Range {r.headers['Content-Range']}: {str(e).splitlines()[0][:80]}"

    @check("snapshot_download(allow_patterns=one variant) then metadata.json digest matches the files")
    def _():
        import base64
        import json
        variant = "build/torch210-cxx11-cu128-x86_64-linux"
        snap = snapshot_download(REPO, repo_type="kernel", revision="v2", cache_dir=cache,
                                 allow_patterns=[variant + "/*"])
        vdir = os.path.join(snap, variant)
        meta = json.load(open(os.path.join(vdir, "metadata.json")))
        files = {}
        for d, _, names in os.walk(vdir):
            for n in names:
                rel = os.path.relpath(os.path.join(d, n), vdir).replace(os.sep, "/")
                if rel in ("metadata.json", "metadata.json.sigstore") or "__pycache__" in rel.split("/") \
                        or n.endswith(".pyc"):
                    continue
                files[rel] = base64.b64encode(hashlib.sha256(open(os.path.join(d, n), "rb").read()).digest()).decode()
        assert meta["digest"] == {"algorithm": "sha256", "files": dict(sorted(files.items()))}, (meta, files)
        assert list(meta) == ["name", "id", "version", "license", "python-depends", "kernel-depends", "backend",
                              "digest"], list(meta)
        others = [p for p in os.listdir(os.path.join(snap, "build")) if p != os.path.basename(variant)]
        return f"{len(files)} files hashed as metadata.json says; other variants in the snapshot: {others}"

    @check("python_cache_check.py accepts the cache huggingface_hub filled and reports a corrupted blob")
    def _():
        v1 = state["branches"]["v1"]
        script = os.path.join(HERE, "python_cache_check.py")
        env = dict(os.environ)
        env.pop("HF_HUB_OFFLINE", None)
        ok = subprocess.run([sys.executable, script, "--cache", cache, "--repo", REPO, "--commit", v1,
                             "--revision", "v1"], capture_output=True, text=True, env=env, timeout=120)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        broken = os.path.join(work, "broken-cache")
        shutil.copytree(cache, broken, symlinks=True)
        name = "build/torch-cpu/relu/_ops.py"
        blob = os.path.realpath(os.path.join(broken, "kernels--kernels-community--relu", "snapshots", v1, name))
        os.chmod(blob, 0o644)
        open(blob, "ab").write(b"# tampered\n")
        bad = subprocess.run([sys.executable, script, "--cache", broken, "--repo", REPO, "--commit", v1, name,
                              "build/torch-cpu/relu/absent.py"], capture_output=True, text=True, env=env, timeout=120)
        lines = [line for line in bad.stdout.splitlines() if line.startswith("FAIL")]
        assert bad.returncode == 1, bad.stdout + bad.stderr
        assert any(name in line and "neither" in line for line in lines), lines
        assert any("absent.py" in line for line in lines), lines
        return f"{ok.stdout.strip()} | corrupted: {len(lines)} failure lines"

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
