#!/usr/bin/env bash
# Adversarial suite: each program runs plainly and under ulockdep. A test
# passes when stdout and exit status are identical, the JSON reports are
# exactly the expected kinds, any expected notice appears once, and both runs
# end within a generous timeout (a hang fails; no duration is asserted).
# Header lines of each tests/adversarial/*.c:
#   // expect: none | KIND...     reports under ulockdep, by JSON kind, in order
#                                 (N*KIND: N reports of that kind)
#   // opts: a=b:c=d              ULOCKDEP_OPTIONS
#   // notice: TEXT               exactly one "ulockdep: ...TEXT" line on stderr
#   // stderr: TEXT               TEXT appears in stderr under ulockdep (repeatable)
#   // stderr-count: N TEXT       TEXT appears on exactly N lines of stderr
#   // after: CMD                 a shell command run in the build directory after
#                                 the ulockdep run; it must succeed
#   // ulimit-v: KB               both runs under this address-space limit
#   // lib: NAME.c                built as $B/NAME.so next to the program
#   // cflags: FLAGS              extra compiler/linker flags
set -u
cd "$(dirname "$0")/../.."
B=$PWD/build/adversarial
LIB=${ADV_LIB:-$PWD/build/libulockdep.so} # ADV_LIB: check another build
CC=${CC:-cc}
TMO=${ADV_TIMEOUT:-90}
mkdir -p "$B"
T=$(mktemp -d /tmp/ulockdep-adv.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
only=${1:-}

source tests/lib/gate.sh
rt_gate "$LIB"
[ "$RT_OK" = 1 ] || fail=$((fail + 1))

hdr() { sed -n "s|^// $1: *||p" "$2" | head -1; }

for src in tests/adversarial/*.c; do
  case $src in *lib_*.c) continue ;; esac
  name=$(basename "$src" .c)
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  expect=$(hdr expect "$src"); opts=$(hdr opts "$src"); notice=$(hdr notice "$src")
  lim=$(hdr ulimit-v "$src"); errtexts=$(sed -n "s|^// stderr: *||p" "$src"); errcount=$(hdr stderr-count "$src"); after=$(hdr after "$src"); lib=$(hdr lib "$src"); cflags=$(hdr cflags "$src")
  if [ -n "$lib" ]; then
    $CC -O1 -g -shared -fPIC -pthread -I"$PWD/include" -o "$B/${lib%.c}.so" "tests/adversarial/$lib" \
      || { echo "FAIL $name: build $lib"; fail=$((fail + 1)); continue; }
  fi
  # shellcheck disable=SC2086
  $CC -std=gnu17 -O1 -g -Wall -Wextra -pthread -Iinclude -o "$B/$name" "$src" $cflags \
    || { echo "FAIL $name: build"; fail=$((fail + 1)); continue; }
  run() { # $1: 1 = under ulockdep
    ( [ -n "$lim" ] && ulimit -v "$lim"
      cd "$B" || exit 99
      if [ "$1" = 1 ]; then # only the program is preloaded, not timeout
        exec timeout -k 5 "$TMO" env LD_PRELOAD="$LIB" ULOCKDEP_OPTIONS="json=$T/$name.json${opts:+:$opts}" "./$name"
      fi
      exec timeout -k 5 "$TMO" "./$name" )
  }
  rm -f "$T/$name.json"
  run 0 >"$T/p.out" 2>"$T/p.err" </dev/null; prc=$?
  run 1 >"$T/u.out" 2>"$T/u.err" </dev/null; urc=$?
  why=""
  if [ $prc -eq 124 ] || [ $prc -eq 137 ]; then why="plain run hung"
  elif [ $urc -eq 124 ] || [ $urc -eq 137 ]; then why="hung under ulockdep"
  elif [ $prc -ne $urc ]; then why="exit status $prc plain, $urc under ulockdep"
  elif ! cmp -s "$T/p.out" "$T/u.out"; then why="stdout differs: $(diff "$T/p.out" "$T/u.out" | head -3 | tr '\n' ' ')"
  fi
  got=$(sed -n 's/^{"kind":"\([a-z_]*\)".*/\1/p' "$T/$name.json" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')
  [ "$expect" = none ] && expect=""
  if [[ $expect =~ ^([0-9]+)\*([a-z_]+)$ ]]; then
    expect=$(yes "${BASH_REMATCH[2]}" | head -n "${BASH_REMATCH[1]}" | tr '\n' ' ' | sed 's/ $//')
  fi
  if [ -z "$why" ] && [ "$got" != "$expect" ]; then why="reports '$got', expected '${expect:-none}'"; fi
  if [ -z "$why" ] && [ -n "$notice" ]; then
    n=$(grep -c "^ulockdep: .*$notice" "$T/u.err")
    [ "$n" -eq 1 ] || why="notice '$notice' seen $n times"
  fi
  while [ -z "$why" ] && IFS= read -r errtext; do
    [ -n "$errtext" ] && ! grep -qF -- "$errtext" "$T/u.err" && why="stderr lacks '$errtext'"
  done <<< "$errtexts"
  if [ -z "$why" ] && [ -n "$errcount" ]; then
    n=$(grep -cF -- "${errcount#* }" "$T/u.err")
    [ "$n" -eq "${errcount%% *}" ] || why="'${errcount#* }' on $n lines of stderr, expected ${errcount%% *}"
  fi
  if [ -z "$why" ] && [ -n "$after" ] && ! (cd "$B" && eval "$after") >"$T/after.out" 2>&1; then
    why="after-check failed: $after: $(head -3 "$T/after.out" | tr '\n' ' ')"
  fi
  [ -z "$why" ] && [ "$RT_OK" != 1 ] && why="the runtime is not working"
  if [ -z "$why" ]; then echo "PASS adv_$name"; pass=$((pass + 1))
  else echo "FAIL adv_$name: $why"; sed 's/^/  | /' "$T/u.err" | head -8; fail=$((fail + 1)); fi
done
# The launcher: Ctrl-C at the terminal reaches the program once (the
# launcher must not forward what the program's process group already got).
if [ -z "$only" ] || [ "$only" = ctrl_c ]; then
  $CC -O1 -o "$B/pty_run" tests/adversarial/launcher/pty_run.c &&
    $CC -O1 -o "$B/count_sigint" tests/adversarial/launcher/count_sigint.c
  out=$(timeout -k 5 "$TMO" "$B/pty_run" "$PWD/build/ulockdep" "$B/count_sigint" 2>&1)
  if [ $? -eq 3 ]; then
    echo "SKIP adv_ctrl_c: no pseudo-terminal here"
  elif [ "$RT_OK" = 1 ] && echo "$out" | grep -q "SIGINT count: 1" && echo "$out" | grep -q "status 0"; then
    echo "PASS adv_ctrl_c"; pass=$((pass + 1))
  else
    echo "FAIL adv_ctrl_c: $(echo "$out" | tr -d '\r' | grep -a "count\|status" | tr '\n' ' ')"; fail=$((fail + 1))
  fi
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
