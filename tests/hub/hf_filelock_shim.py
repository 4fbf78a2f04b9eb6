"""Lets huggingface_hub >= 1.4 download with an old filelock (Debian 12 has 3.9.0).

huggingface_hub.utils._fixes.WeakFileLock calls FileLock(path, timeout=..., mode=0o664);
filelock < 3.10 has no `mode` (huggingface_hub's file locks). install() replaces that FileLock with one
that drops `mode`, and only when the installed filelock lacks it: with a filelock that has
`mode` nothing changes. Import after setting HF_* variables (huggingface_hub reads them at
import), before the first download.
"""
import inspect


def install():
    """Returns True when the shim was needed and installed."""
    import filelock
    if "mode" in inspect.signature(filelock.FileLock.__init__).parameters:
        return False
    from huggingface_hub.utils import _fixes

    def file_lock(lock_file, timeout=-1, mode=None, **kwargs):  # noqa: ARG001 - mode is what old filelock lacks
        return filelock.FileLock(lock_file, timeout=timeout, **kwargs)

    _fixes.FileLock = file_lock
    return True
