#!/usr/bin/env bash
# ctest: `cmake --install BUILD --prefix PREFIX` installs bin/kernels (which runs), every
# man page under share/man/man1 (found by `man` with MANPATH=PREFIX/share/man) and the
# bash, zsh and fish completions, identical to what the installed binary prints.
# Usage: install_test.sh CMAKE BUILD_DIR PREFIX SOURCE_DIR HAVE_COMPLETIONS(ON|OFF) ASSERTIONS(ON|OFF)
set -euo pipefail
cmake=$1 build=$2 prefix=$3 source=$4 have_completions=$5 assertions=$6
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

rm -rf "$prefix"
"$cmake" --install "$build" --prefix "$prefix" >/dev/null

[ -x "$prefix/bin/kernels" ] || fail "bin/kernels missing or not executable"
for page in "$source"/man/*.1; do
  [ -f "$prefix/share/man/man1/$(basename "$page")" ] || fail "share/man/man1/$(basename "$page") missing"
done
for page in kernels.1 kernels-lock.1; do
  [ -f "$prefix/share/man/man1/$page" ] || fail "share/man/man1/$page missing"
done
if command -v man >/dev/null 2>&1; then
  found=$(MANPATH="$prefix/share/man" man -w kernels 2>/dev/null || true)
  [ "$found" = "$prefix/share/man/man1/kernels.1" ] || fail "man -w kernels with MANPATH=PREFIX/share/man: '$found'"
fi

version=$("$prefix/bin/kernels" --version) || fail "bin/kernels --version exited $?"
grep -Eq '^kernels [0-9]+\.[0-9]+\.[0-9]+$' <<<"$(head -n1 <<<"$version")" || fail "first line of --version: $version"
if [ "$assertions" = ON ]; then
  grep -q '^build: .*, assertions on$' <<<"$version" || fail "KERNELS_ASSERTIONS is ON but --version says: $version"
fi

if [ "$have_completions" = ON ]; then
  declare -A files=([bash]=share/bash-completion/completions/kernels [zsh]=share/zsh/site-functions/_kernels
                    [fish]=share/fish/vendor_completions.d/kernels.fish)
  for shell in bash zsh fish; do
    file="$prefix/${files[$shell]}"
    if [ ! -s "$file" ]; then
      fail "${files[$shell]} missing or empty"
    elif ! cmp -s "$file" <("$prefix/bin/kernels" completions "$shell"); then
      fail "${files[$shell]} differs from \`kernels completions $shell\` (stale build?)"
    fi
  done
else
  echo "completions not generated in this build (cross-compiling): not checked"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "installed under $prefix: $(cd "$prefix" && find . -type f | sort | tr '\n' ' ')"
