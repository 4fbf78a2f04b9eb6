#!/usr/bin/env python3
"""Check that every test a document's tables name is a ctest test of this build.

    doc_test_names.py DOC.md CTEST BUILD_DIR

docs/RELIABILITY.md says, row by row, which test fails when a behaviour breaks.
A renamed or deleted test would leave a row pointing at nothing; this check
makes that a failing test instead.

In every Markdown table whose header has a "Test" column, the cell is split at
"; " into names. A name counts when it is, once "…" and a trailing
" (remark)" are allowed for:
  - the exact ctest name (`unit: ...`, `integration: ...`, `fuzz-replay: ...`);
  - with a trailing " (...)" remark removed, the exact name;
  - ending in "…", a prefix of at least one ctest name.
Names under a prefix this build does not register (`gpu:` without CUDA) are
not checked. Exit status 0 when every name is found, 1 otherwise (each missing
name printed with the nearest ctest names), 2 for a usage error.
"""
import difflib
import re
import subprocess
import sys

PREFIXES = ("unit: ", "integration: ", "fuzz-replay: ", "gpu: ", "docs: ")


def canonical(name):
    """ctest lists Catch2's tests as `unit:NAME` and add_test's as `fuzz-replay: NAME`;
    the documents write `unit: NAME`. Compare with no space after the prefix."""
    return re.sub(r"^([a-z-]+):\s*", r"\1:", name)


def ctest_names(ctest, build_dir):
    out = subprocess.run([ctest, "-N", "--test-dir", build_dir], check=True,
                         capture_output=True, text=True).stdout
    return {canonical(m.group(1)) for m in re.finditer(r"^\s*Test\s+#\d+: (.*)$", out, re.M)}


def table_names(text):
    """(line number, name) for each name in a "Test" column."""
    found = []
    column = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("|"):
            column = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if column is None:
            column = cells.index("Test") if "Test" in cells else -1
            continue
        if column < 0 or column >= len(cells) or set(cells[0]) <= set("-: "):
            continue
        for name in cells[column].split("; "):
            name = name.strip()
            if name and name != "—":
                found.append((number, name))
    return found


def matches(name, known):
    name = canonical(name)
    if name in known:
        return True
    bare = re.sub(r" \([^()]*\)$", "", name)
    if bare in known:
        return True
    for candidate in (name, bare):
        if candidate.endswith("…"):
            stem = candidate[:-1].rstrip()
            if any(k.startswith(stem) for k in known):
                return True
    return False


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    doc, ctest, build_dir = argv[1:]
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    known = ctest_names(ctest, build_dir)
    # gpu tests exist only in a build with CUDA; every other prefix must be there.
    registered = {p for p in PREFIXES if p != "gpu: " or any(k.startswith(canonical(p)) for k in known)}
    names = table_names(text)
    missing = []
    for number, name in names:
        prefix = next((p for p in PREFIXES if name.startswith(p)), None)
        if prefix is None:
            missing.append((number, name, "no ctest prefix (" + ", ".join(p.strip() for p in PREFIXES) + ")"))
        elif prefix in registered and not matches(name, known):
            near = difflib.get_close_matches(name, known, n=2, cutoff=0.5)
            missing.append((number, name, "nearest: " + " | ".join(near) if near else "no test is close"))
    for number, name, why in missing:
        print(f"{doc}:{number}: no ctest test {name!r}; {why}")
    print(f"{len(names) - len(missing)} of {len(names)} test names in {doc} are tests of this build")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
