#!/usr/bin/env bash
# ctest: `kernels completions bash|zsh|fish` prints scripts that parse (bash -n; zsh -n
# and fish -n where those shells are installed) and that name every command `kernels
# --help` lists, every man/kernels-*.1 command, and every option each command's --help
# lists. Then a few completions are run: bash's function directly, fish's `complete -C`,
# zsh's compdef registration.  Usage: completions_test.sh KERNELS_BINARY
set -euo pipefail
# Under pipefail, `... | grep -q` fails at random: grep -q exits at its first match and
# the writer before it may die of SIGPIPE. Pipelines below end in `grep ... >/dev/null`.
kernels=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for shell in bash zsh fish; do
  "$kernels" completions "$shell" >"$tmp/$shell" || fail "kernels completions $shell exited $?"
  [ -s "$tmp/$shell" ] || fail "kernels completions $shell printed nothing"
done
"$kernels" completions tcsh >/dev/null 2>&1 && fail "kernels completions tcsh should be a usage error"

bash -n "$tmp/bash" || fail "bash -n rejects the bash completion"
if command -v zsh >/dev/null 2>&1; then
  zsh -n "$tmp/zsh" || fail "zsh -n rejects the zsh completion"
else
  echo "zsh not installed: zsh -n skipped"
fi
if command -v fish >/dev/null 2>&1; then
  fish -n "$tmp/fish" || fail "fish -n rejects the fish completion"
else
  echo "fish not installed: fish -n skipped"
fi

# The commands, as `kernels --help` lists them (CLI11's formatter, not the completion walker).
help_section() {  # the first word of each entry of SECTION in a CLI11 help text on stdin
  awk -v section="$1" '$0 == section ":" { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [^ ]/ { print $1 }'
}
mapfile -t commands < <("$kernels" --help | help_section Subcommands)
[ "${#commands[@]}" -ge 10 ] || fail "kernels --help lists only ${#commands[@]} commands"
for page in "$(dirname "$0")"/../../man/kernels-*.1; do
  name=$(basename "$page" .1); name=${name#kernels-}
  printf '%s\n' "${commands[@]}" | grep -x -- "$name" >/dev/null || fail "man page $page: no command $name in kernels --help"
done

options_of() {  # every -x and --long name in the Options section of a help text on stdin
  help_section Options | tr ',' '\n' | grep -E '^--?[A-Za-z0-9]' || true
}
check_names() {  # CMD NAME...: NAME appears for CMD in every script
  local cmd=$1; shift
  local name
  for name in "$@"; do
    grep -Eq "^      ${cmd:-\"\"}\) _kernels_words \"([^\"]* )?${name}( [^\"]*)?\"" "$tmp/bash" ||
      fail "bash: $name not offered after '${cmd:-kernels}'"
    grep -Fq -- "$name" "$tmp/zsh" || fail "zsh: $name missing"
    local cond="not __fish_seen_subcommand_from"
    [ -n "$cmd" ] && cond="__fish_seen_subcommand_from $cmd'"
    local flag="-l ${name#--}"
    [ "${#name}" -eq 2 ] && flag="-s ${name#-}"
    grep -F -- "$cond" "$tmp/fish" | grep -E -- "$flag( |$)" >/dev/null || fail "fish: $name not offered after '${cmd:-kernels}'"
  done
}
mapfile -t global < <("$kernels" --help | options_of)
check_names "" "${global[@]}"
for cmd in "${commands[@]}"; do
  for shell in bash zsh fish; do
    grep -Fq -- "$cmd" "$tmp/$shell" || fail "$shell: command $cmd missing"
  done
  grep -Eq "^    '${cmd}:" "$tmp/zsh" || fail "zsh: command $cmd not described"
  grep -Eq -- "-a ${cmd} -d " "$tmp/fish" || fail "fish: command $cmd not offered"
  mapfile -t opts < <("$kernels" "$cmd" --help | options_of)
  [ "${#opts[@]}" -ge 1 ] || fail "kernels $cmd --help lists no options"
  check_names "$cmd" "${opts[@]}"
done

# Bash: run the completion function as bash would.
cat >"$tmp/run.bash" <<'BASH'
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
_kernels
printf '%s\n' "${COMPREPLY[@]}"
BASH
expect_bash() {  # WANTED WORD...: completing WORD... offers WANTED
  local wanted=$1; shift
  bash "$tmp/run.bash" "$tmp/bash" "$@" | grep -x -- "$wanted" >/dev/null || fail "bash: '$*' does not offer $wanted"
}
expect_bash lock kernels lo
expect_bash verify-bundle kernels --color never verify-
expect_bash json kernels check --format ""
expect_bash github kernels check --format = g
expect_bash never kernels lock --color n
expect_bash --lock-format kernels lock --lock-
expect_bash model kernels info --repo-type m
expect_bash resolve kernels help res
[ -z "$(bash "$tmp/run.bash" "$tmp/bash" kernels lock --jobs "")" ] || fail "bash: lock --jobs offers words"

if command -v fish >/dev/null 2>&1; then
  fish_offers() { fish --no-config -c "source '$tmp/fish'; complete -C '$1'" | cut -f1; }
  fish_offers "kernels lo" | grep -x lock >/dev/null || fail "fish: 'kernels lo' does not offer lock"
  fish_offers "kernels check --format " | grep -x github >/dev/null || fail "fish: check --format does not offer github"
  fish_offers "kernels lock --lock-" | grep -x -- --lock-format >/dev/null || fail "fish: lock --lock- does not offer --lock-format"
fi
if command -v zsh >/dev/null 2>&1; then
  got=$(zsh -f -c "autoload -U compinit; compinit -u -D; source '$tmp/zsh'; print -r -- \$_comps[kernels]")
  [ "$got" = "_kernels" ] || fail "zsh: sourcing the script does not register _kernels for kernels (got '$got')"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "completions: ${#commands[@]} commands checked in bash, zsh and fish"
