#!/usr/bin/env python3
"""Check that huggingface_hub finds, offline, what another tool wrote into an HF cache.

    python3 tests/hub/python_cache_check.py --cache DIR --repo ORG/NAME --commit SHA \\
        [--revision v1] [--expect-dir DIR] [FILE ...]

DIR is the hub cache (what HF_HUB_CACHE names: it holds kernels--ORG--NAME/). FILEs are
repo paths (build/<variant>/...); without any, every file under snapshots/<SHA>/ is checked.
With HF_HUB_OFFLINE=1 (set here, before huggingface_hub is imported), for each file:
  - hf_hub_download(repo_type="kernel", revision=SHA, filename=FILE) returns it, and its
    bytes hash to the blob's name (git blob sha1 for a regular file, sha256 for an LFS file);
  - try_to_load_from_cache(..., revision=SHA, repo_type="kernel") returns the same path;
  - the snapshot entry is a relative symlink into blobs/, as huggingface_hub writes it;
  - with --expect-dir, the bytes equal EXPECT_DIR/FILE;
  - with --revision, hf_hub_download(revision=REV) finds it through refs/REV, which holds
    SHA with no newline;
then snapshot_download(revision=SHA, allow_patterns=[FILE ...]) returns snapshots/SHA with
every file (huggingface_hub >= 1.22 needs trees/SHA.json for that offline: without it, it goes
to the network and fails), and blobs/ holds no *.incomplete leftovers. Prints one line per failure and
exits 1 if there was any, else prints a summary and exits 0.
"""
import argparse
import glob
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", required=True, help="hub cache directory (HF_HUB_CACHE)")
    ap.add_argument("--repo", required=True, help="kernel repo id, ORG/NAME")
    ap.add_argument("--commit", required=True, help="40-hex commit the files were downloaded at")
    ap.add_argument("--revision", help="a branch or tag whose refs/ file must point at the commit")
    ap.add_argument("--expect-dir", help="directory holding the expected bytes of each FILE")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()

    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import huggingface_hub
    from huggingface_hub import hf_hub_download, snapshot_download, try_to_load_from_cache
    import hf_filelock_shim
    hf_filelock_shim.install()

    cache = os.path.abspath(args.cache)
    repo_dir = os.path.join(cache, "kernels--" + args.repo.replace("/", "--"))
    snapshot = os.path.join(repo_dir, "snapshots", args.commit)
    failures = []

    def fail(message):
        failures.append(message)
        print(f"FAIL {message}", flush=True)

    files = list(args.files)
    if not files:
        for d, _, names in os.walk(snapshot):
            files += [os.path.relpath(os.path.join(d, n), snapshot).replace(os.sep, "/") for n in names]
        files.sort()
        if not files:
            fail(f"no files under {snapshot}")

    if args.revision:
        ref = os.path.join(repo_dir, "refs", args.revision)
        try:
            content = open(ref, "rb").read()
            if content != args.commit.encode():
                fail(f"refs/{args.revision} holds {content!r}, expected {args.commit} without a newline")
        except OSError as e:
            fail(f"refs/{args.revision}: {e}")

    for name in files:
        try:
            path = hf_hub_download(args.repo, name, repo_type="kernel", revision=args.commit, cache_dir=cache)
        except Exception as e:  # noqa: BLE001 - every failure is one line
            fail(f"{name}: hf_hub_download: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
            continue
        data = open(path, "rb").read()
        real = os.path.realpath(path)
        blob = os.path.basename(real)
        if os.path.dirname(real) != os.path.realpath(os.path.join(repo_dir, "blobs")):
            fail(f"{name}: resolves to {real}, not into {repo_dir}/blobs")
        sha256 = hashlib.sha256(data).hexdigest()
        git_sha1 = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        if blob not in (sha256, git_sha1):
            fail(f"{name}: blob {blob} is neither the sha256 ({sha256}) nor the git sha1 ({git_sha1}) of its bytes")
        entry = os.path.join(snapshot, name)
        if not os.path.islink(entry):
            fail(f"{name}: snapshot entry is not a symlink")
        elif os.path.isabs(os.readlink(entry)):
            fail(f"{name}: snapshot symlink is absolute ({os.readlink(entry)}); huggingface_hub writes relative ones")
        cached = try_to_load_from_cache(args.repo, name, cache_dir=cache, revision=args.commit, repo_type="kernel")
        if not isinstance(cached, str) or os.path.realpath(cached) != real:
            fail(f"{name}: try_to_load_from_cache returned {cached!r}, expected {path}")
        if args.expect_dir:
            try:
                expected = open(os.path.join(args.expect_dir, name), "rb").read()
                if expected != data:
                    fail(f"{name}: {len(data)} bytes in the cache differ from the expected {len(expected)} bytes")
            except OSError as e:
                fail(f"{name}: expected copy: {e}")
        if args.revision:
            try:
                by_rev = hf_hub_download(args.repo, name, repo_type="kernel", revision=args.revision, cache_dir=cache)
                if os.path.realpath(by_rev) != real:
                    fail(f"{name}: revision {args.revision} gives {by_rev}, not {path}")
            except Exception as e:  # noqa: BLE001
                fail(f"{name}: hf_hub_download(revision={args.revision!r}): {type(e).__name__}: {e}")

    if files:
        try:
            patterns = [glob.escape(f) for f in files]
            snap = snapshot_download(args.repo, repo_type="kernel", revision=args.commit, cache_dir=cache,
                                     allow_patterns=patterns)
            if os.path.realpath(snap) != os.path.realpath(snapshot):
                fail(f"snapshot_download returned {snap}, expected {snapshot}")
            for name in files:
                if not os.path.isfile(os.path.join(snap, name)):
                    fail(f"{name}: missing from snapshot_download's folder")
        except Exception as e:  # noqa: BLE001
            hint = ""
            trees = os.path.join(repo_dir, "trees", args.commit + ".json")
            if not os.path.exists(trees):
                hint = (f" (no {os.path.relpath(trees, cache)}: huggingface_hub >= 1.22 lists the tree at a commit from"
                        " that file offline and goes to the network without it)")
            fail(f"snapshot_download(allow_patterns={len(files)} files): {type(e).__name__}: "
                 f"{str(e).splitlines()[0] if str(e) else ''}{hint}")

    leftovers = glob.glob(os.path.join(glob.escape(repo_dir), "blobs", "*.incomplete"))
    for leftover in leftovers:
        fail(f"leftover partial download {leftover}")

    if failures:
        return 1
    print(f"ok: {len(files)} files of {args.repo}@{args.commit[:12]} found offline by huggingface_hub "
          f"{huggingface_hub.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
