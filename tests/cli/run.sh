#!/usr/bin/env bash
# CLI and output tests: options, exit codes, suppressions, JSON, SARIF,
# log files, graph export, install. Each test asserts on real output.
set -u
cd "$(dirname "$0")/../.."
B=$PWD/build
UL=$B/ulockdep
DEMO=$B/examples/iommu_abba
T=$(mktemp -d /tmp/ulockdep-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

skip=0
ok()   { if [ "$RT_OK" = 1 ]; then echo "PASS $1"; pass=$((pass + 1)); else bad "$1" "the runtime is not working"; fi; }
bad()  { echo "FAIL $1: $2"; fail=$((fail + 1)); }
skip() { echo "SKIP $1: $2"; skip=$((skip + 1)); }
# check NAME CONDITION-COMMAND...: the test passes if the command succeeds
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n" "$*"; fi; }

# Every CLI test presupposes a runtime that works: prove it first, or fail them all.
RT_OK=1
"$UL" --json "$T/gate.json" -- "$DEMO" >/dev/null 2>&1
grep -q '"kind":"circular"' "$T/gate.json" 2>/dev/null || RT_OK=0
[ "$RT_OK" = 1 ] || bad runtime_loaded "the demo under the launcher reported nothing: is build/libulockdep.so the runtime?"

cc -O1 -g -pthread -o "$T/multi_proc" tests/cli/progs/multi_proc.c
cc -O1 -g -pthread -o "$T/exit7" tests/cli/progs/exit7.c
cc -O1 -g -pthread -o "$T/cond_wait_bug" tests/cli/progs/cond_wait_bug.c

# exit status: the program's own passes through; --exitcode N on reports
"$UL" -- "$T/exit7" 2>/dev/null; check exit_passthrough test $? -eq 7
"$UL" --exitcode 66 -- "$DEMO" >/dev/null 2>&1; check exitcode_on_report test $? -eq 66
"$UL" --exitcode 66 -- "$T/exit7" 2>/dev/null; check exitcode_no_report test $? -eq 7
"$UL" --abort-on-report -- "$DEMO" >/dev/null 2>&1; check abort_on_report test $? -eq 134
ULOCKDEP_OPTIONS="exitcode=5" LD_PRELOAD=$B/libulockdep.so "$DEMO" >/dev/null 2>&1
check bare_preload_exitcode test $? -eq 5

# option errors name the valid options; the program does not start
out=$("$UL" --no-such-flag -- "$T/exit7" 2>&1); rc=$?
check unknown_option test $rc -eq 1 -a -n "$(echo "$out" | grep 'valid options' | grep deadlock_action)"
out=$(ULOCKDEP_OPTIONS="deadlock_timeout_ms=soon" LD_PRELOAD=$B/libulockdep.so "$T/exit7" 2>&1); rc=$?
check env_bad_value test $rc -eq 1 -a -n "$(echo "$out" | grep "bad value 'soon'")"
check help_lists_options bash -c "'$UL' --help | grep -q -- '--deadlock-timeout-ms'"
check man_lists_options bash -c "grep -q 'deadlock\\\\-timeout\\\\-ms' '$B/ulockdep.1'"

# wait checking: on by default (kind wait in JSON and SARIF), --wait-check=0 turns it off, a
# suppression rule of kind wait matches it
"$UL" --exitcode 66 --json "$T/w.json" --sarif "$T/w.sarif" -- "$T/cond_wait_bug" >/dev/null 2>&1; rc=$?
check wait_default_on bash -c "test $rc -eq 66 && grep -q '\"kind\":\"wait\"' '$T/w.json' && grep -q '\"ruleId\":\"wait\"' '$T/w.sarif'"
"$UL" --exitcode 66 --wait-check=0 -- "$T/cond_wait_bug" >/dev/null 2>&1; check wait_check_off test $? -eq 0
echo 'wait outer_lock # accepted' > "$T/w.supp"
"$UL" --exitcode 66 --suppressions "$T/w.supp" -- "$T/cond_wait_bug" >/dev/null 2>&1; check wait_suppressed test $? -eq 0

# the README documents every option of the table
missing=""
for name in $(grep -o '^OPT([a-z_]*' src/common/options.def | sed 's/OPT(//'); do
  [ "$name" = status_file ] && continue
  grep -q -- "--${name//_/-}" README.md || missing="$missing $name"
done
check readme_lists_options test -z "$missing"

# JSON: one object per line, fields present
"$UL" --json "$T/r.json" -- "$DEMO" >/dev/null 2>&1
check json_fields bash -c "grep -q '\"kind\":\"circular\"' '$T/r.json' && grep -q '\"locks\":\\[' '$T/r.json' \
  && grep -q '\"message\":\"WARNING: possible circular locking dependency detected\"' '$T/r.json' \
  && grep -q '\"stacks\":' '$T/r.json' && grep -q '\"thread\":' '$T/r.json' && test \$(wc -l < '$T/r.json') -eq 1"

# JSON lines from eight processes never interleave
"$UL" --json "$T/multi.json" -- "$T/multi_proc" >/dev/null 2>&1
n=$(wc -l < "$T/multi.json"); good=$(grep -c '^{"kind":"circular".*}$' "$T/multi.json")
check json_multi_process test "$n" -eq 8 -a "$good" -eq 8

# log file with %p: reports go there, not to stderr
err=$("$UL" --log-file "$T/log.%p" -- "$DEMO" 2>&1 >/dev/null)
check log_file bash -c "ls '$T'/log.* >/dev/null 2>&1 && grep -q 'possible circular' '$T'/log.* && ! echo '$err' | grep -q WARNING"

# suppressions: a rule by lock class silences the report and is counted
printf '# accepted: the order is fixed upstream\ncircular device_domain_lock # seed 002, fixed in 5.3\n' > "$T/supp"
err=$("$UL" --json "$T/s.json" --suppressions "$T/supp" -- "$DEMO" 2>&1 >/dev/null)
check suppress_by_class bash -c "test ! -s '$T/s.json' && echo '$err' | grep -q '1 suppressed' && echo '$err' | grep -q 'seed 002, fixed in 5.3'"
printf 'circular domain_context_mapping_one # by function in a stack\n' > "$T/supp2"
"$UL" --json "$T/s2.json" --suppressions "$T/supp2" -- "$DEMO" >/dev/null 2>&1
check suppress_by_function test ! -s "$T/s2.json"
printf 'recursive device_domain_lock # another kind does not match\n' > "$T/supp3"
"$UL" --json "$T/s3.json" --suppressions "$T/supp3" -- "$DEMO" >/dev/null 2>&1
check suppress_kind_must_match test -s "$T/s3.json"
printf 'circular device_domain_lock\n' > "$T/bad1"
out=$("$UL" --suppressions "$T/bad1" -- "$T/exit7" 2>&1); rc=$?
check suppress_needs_reason bash -c "test $rc -eq 1 && echo '$out' | grep -q '$T/bad1:1: bad suppression: missing'"
printf '# ok\n\nbogus_kind foo # why\n' > "$T/bad2"
out=$("$UL" --suppressions "$T/bad2" -- "$T/exit7" 2>&1); rc=$?
check suppress_bad_kind bash -c "test $rc -eq 1 && echo '$out' | grep -q '$T/bad2:3: bad suppression: unknown report kind'"
out=$("$UL" --print-suppressions -- "$DEMO" 2>&1)
check print_suppressions bash -c "echo '$out' | grep -q '^circular iommu_alloc\\* # <reason>'"

# SARIF 2.1.0 with locations from the stacks
"$UL" --sarif "$T/r.sarif" -- "$DEMO" >/dev/null 2>&1
check sarif bash -c "grep -q '\"version\":\"2.1.0\"' '$T/r.sarif' && grep -q '\"ruleId\":\"circular\"' '$T/r.sarif' \
  && grep -q '\"uri\":\"iommu_abba.c\"' '$T/r.sarif' && grep -q '\"startLine\":' '$T/r.sarif'"
if command -v python3 >/dev/null; then
  check sarif_is_json python3 -c "import json,sys; d=json.load(open('$T/r.sarif')); assert d['runs'][0]['results']"
else
  skip sarif_is_json "python3 not installed"
fi

# graph export: DOT and JSON, cycle edges marked
"$UL" --graph "$T/g" -- "$DEMO" >/dev/null 2>&1
check graph_files bash -c "grep -q 'color=red' '$T/g.dot' && grep -q '\"in_cycle\":true' '$T/g.json' && grep -q device_domain_lock '$T/g.json'"
if command -v dot >/dev/null; then
  "$UL" graph "$T/g.json" -o "$T/g.svg"; check graph_render grep -q '<svg' "$T/g.svg"
else
  skip graph_render "Graphviz (dot) not installed"
fi

# symbolization: file:line by default, through llvm-symbolizer too, none when off
out=$("$UL" -- "$DEMO" 2>&1)
check symbolize_default bash -c "echo '$out' | grep -q 'probe_thread+0x[0-9a-f]*/0x[0-9a-f]* (iommu_abba.c:[0-9]*)'"
if command -v llvm-symbolizer >/dev/null; then
  out=$("$UL" --symbolizer llvm-symbolizer -- "$DEMO" 2>&1)
  check symbolizer_llvm bash -c "echo '$out' | grep -q 'probe_thread+0x[0-9a-f]*/0x[0-9a-f]* (iommu_abba.c:[0-9]*)'"
else
  skip symbolizer_llvm "llvm-symbolizer not installed"
fi
out=$("$UL" --symbolize=0 -- "$DEMO" 2>&1)
check symbolize_off bash -c "echo '$out' | grep -q 'probe_thread+0x' && ! echo '$out' | grep -q 'iommu_abba.c:'"

# a clean run prints its summary only when asked (verbosity=1)
err=$("$UL" -- "$T/exit7" 2>&1 >/dev/null)
check summary_quiet_when_clean test -z "$err"
err=$("$UL" --verbosity=1 -- "$T/exit7" 2>&1 >/dev/null)
check summary_verbose_clean bash -c "echo '$err' | grep -q '0 reports' && echo '$err' | grep -q 'lock classes: 1'"

# summary at exit names the files
err=$("$UL" --json "$T/sum.json" -- "$DEMO" 2>&1 >/dev/null)
check summary bash -c "echo '$err' | grep -q 'ulockdep summary' && echo '$err' | grep -q 'JSON: $T/sum.json' && echo '$err' | grep -q 'lock classes: '"

# static mode: link the runtime in with --wrap
if cc -static -O1 -g -pthread -o "$T/static_demo" examples/iommu_abba.c $(cat "$B/ulockdep-wrap.flags") \
     "$B/libulockdep-wrap.a" 2>/dev/null; then
  out=$("$T/static_demo" 2>&1)
  check static_mode bash -c "echo '$out' | grep -q 'possible circular locking dependency' && echo '$out' | grep -q '(device_domain_lock)' \
    && echo '$out' | grep -q 'probe_thread+0x' && ! echo '$out' | grep -q start_thread"
  # wait checking in a static binary (needs the interceptors libc reaches only weakly)
  cc -static -O1 -g -pthread -o "$T/static_wait" tests/cli/progs/cond_wait_bug.c $(cat "$B/ulockdep-wrap.flags") \
    "$B/libulockdep-wrap.a" 2>/dev/null
  out=$("$T/static_wait" 2>&1)
  check static_wait bash -c "echo '$out' | grep -q 'possible deadlock through a wait detected'"
  out=$("$UL" -- "$T/static_demo" 2>&1); rc=$?
  check static_launcher_message bash -c "test $rc -eq 1 && echo '$out' | grep -q 'statically linked'"
  # the wrap list names only what the archive wraps: a program calling
  # malloc_usable_size (listed among the runtime's reals, not wrapped) links
  printf '#include <malloc.h>\n#include <stdlib.h>\nint main(void){void*p=malloc(9);size_t n=malloc_usable_size(p);free(p);return n<9;}\n' > "$T/mus.c"
  check static_wrap_list_exact bash -c "cc -static -O1 -o '$T/mus' '$T/mus.c' \$(cat '$B/ulockdep-wrap.flags') '$B/libulockdep-wrap.a' -pthread && '$T/mus'"
else
  bad static_mode "cannot link a static binary (libc6-dev static libs missing?)"
fi

# install into a prefix, run an example from there, uninstall
make -s install PREFIX="$T/prefix" >/dev/null
out=$("$T/prefix/bin/ulockdep" -- "$DEMO" 2>&1)
check install_runs bash -c "echo '$out' | grep -q 'possible circular locking dependency' \
  && test -f '$T/prefix/lib/pkgconfig/ulockdep.pc' && test -f '$T/prefix/share/man/man1/ulockdep.1' \
  && test -f '$T/prefix/include/ulockdep.h' && test -f '$T/prefix/include/ulockdep/lockdep.h'"
if command -v pkg-config >/dev/null; then
  flags=$(PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig" pkg-config --cflags --libs ulockdep)
  check pkg_config bash -c "echo '$flags' | grep -q -- '-lulockdep'"
else
  skip pkg_config "pkg-config not installed"
fi
make -s uninstall PREFIX="$T/prefix" >/dev/null
check uninstall test ! -e "$T/prefix/bin/ulockdep" -a ! -e "$T/prefix/lib/ulockdep/libulockdep.so"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
