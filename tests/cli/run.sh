#!/usr/bin/env bash
# CLI and output tests: options, exit codes, suppressions, JSON, SARIF,
# log files, graph export, install. Each test asserts on real output.
set -u
cd "$(dirname "$0")/../.."
B=${UL_BUILD:-$PWD/build}
UL=$B/ulockdep
DEMO=$B/examples/iommu_abba
T=$(mktemp -d /tmp/ulockdep-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 711 "$T" # tests that run as nobody reach their own world-writable directories
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
cc -O1 -g -pthread -Iinclude -o "$T/outputs" tests/cli/progs/outputs.c
P=$T/outputs

# exit status: the program's own passes through; --exitcode N on reports
"$UL" -- "$T/exit7" 2>/dev/null; check exit_passthrough test $? -eq 7
"$UL" --exitcode 66 -- "$DEMO" >/dev/null 2>&1; check exitcode_on_report test $? -eq 66
"$UL" --exitcode 66 -- "$T/exit7" 2>/dev/null; check exitcode_no_report test $? -eq 7
"$UL" --abort-on-report -- "$DEMO" >/dev/null 2>&1; check abort_on_report test $? -eq 134
ULOCKDEP_OPTIONS="exitcode=5" LD_PRELOAD=$B/libulockdep.so "$DEMO" >/dev/null 2>&1
check bare_preload_exitcode test $? -eq 5

# signals: the launcher keeps what the program would see without it
cc -O1 -g -o "$T/signals" tests/cli/progs/signals.c
"$T/signals" ignchld "$UL" -- "$T/exit7" 2>/dev/null; check exit_with_sigchld_ignored test $? -eq 7
"$T/signals" ignchld "$UL" -- "$T/signals" segv 2>/dev/null; check signal_with_sigchld_ignored test $? -eq 139
plain=$(trap '' HUP INT; "$T/signals" show) out=$(trap '' HUP INT; "$UL" -- "$T/signals" show 2>&1)
check ignored_signals_inherited bash -c "test '$plain' = 'HUP ignored INT ignored CHLD default' && test '$out' = '$plain'"
"$UL" -- "$T/signals" usr1 2>/dev/null & lpid=$!
sleep 0.5; kill -USR1 $lpid; wait $lpid; rc=$?
check usr1_forwarded test $rc -eq 3
pkill -f "$T/signals usr1" 2>/dev/null
out=$(ulimit -s 64; "$UL" -- "$T/exit7" 2>&1); rc=$?
check launcher_small_stack test $rc -eq 7

# C++ at -O2: lock names and "at:" lines point at the user's lines, not at gthr-default.h
if command -v g++ >/dev/null; then
	g++ -O2 -g -pthread -o "$T/cxx_names" tests/cli/progs/cxx_names.cc
	out=$("$UL" -- "$T/cxx_names" 2>&1)
	check cxx_o2_site_names bash -c "echo \"\$0\" | grep -q 'possible circular' && echo \"\$0\" | grep -q ', at: move_money.*(cxx_names.cc:[0-9]*)' && ! echo \"\$0\" | grep ', at: ' | grep -q 'gthr-default.h'" "$out"
	g++ -O2 -g -pthread -o "$T/cxx_lambda" tests/cli/progs/cxx_lambda.cc
	out=$("$UL" -- "$T/cxx_lambda" 2>&1)
	check cxx_o2_lambda_names bash -c "echo \"\$0\" | grep -q 'possible circular' && echo \"\$0\" | grep -q '(lock@operator() (cxx_lambda.cc:[0-9]*)' && ! echo \"\$0\" | grep -q 'lock@libstdc'" "$out"
else
	skip cxx_o2_site_names "g++ is not installed"
	skip cxx_o2_lambda_names "g++ is not installed"
fi

# a program built with AddressSanitizer runs: its runtime goes first in LD_PRELOAD
if echo 'int main(void){return 0;}' | cc -fsanitize=address -x c - -o "$T/asan_probe" 2>/dev/null; then
	cc -fsanitize=address -g -O1 -pthread -o "$T/asan_abba" tests/cli/progs/abba_once.c
	out=$("$UL" --exitcode 66 --json "$T/asan.json" -- "$T/asan_abba" 2>&1); rc=$?
	check asan_program bash -c "test $rc -eq 66 && grep -q '\"kind\":\"circular\"' '$T/asan.json' && echo \"\$0\" | grep -q '^done'" "$out"
	cc -fsanitize=address -g -O1 -o "$T/asan_child" tests/cli/progs/asan_child.c
	out=$("$UL" -- "$T/asan_child" 2>&1); rc=$?
	check asan_not_inherited bash -c "test $rc -eq 0 && echo \"\$0\" | grep -q libulockdep && ! echo \"\$0\" | grep -q libasan" "$out"
else
	skip asan_program "cc -fsanitize=address does not link here"
	skip asan_not_inherited "cc -fsanitize=address does not link here"
fi

# option errors name the valid options; the program does not start
out=$("$UL" --no-such-flag -- "$T/exit7" 2>&1); rc=$?
check unknown_option test $rc -eq 1 -a -n "$(echo "$out" | grep 'valid options' | grep deadlock_action)"
out=$(ULOCKDEP_OPTIONS="deadlock_timeout_ms=soon" LD_PRELOAD=$B/libulockdep.so "$T/exit7" 2>&1); rc=$?
check env_bad_value test $rc -eq 1 -a -n "$(echo "$out" | grep "bad value 'soon'")"
check help_lists_options bash -c "'$UL' --help | grep -q -- '--deadlock-timeout-ms'"
check man_lists_options bash -c "grep -q 'deadlock\\\\-timeout\\\\-ms' '$B/ulockdep.1'"

# wait checking: on by default (kind wait in JSON and SARIF), --wait-check=0 and
# --no-wait-check turn it off, a suppression rule of kind wait matches it
"$UL" --exitcode 66 --json "$T/w.json" --sarif "$T/w.sarif" -- "$T/cond_wait_bug" >/dev/null 2>&1; rc=$?
check wait_check_on_by_default bash -c "test $rc -eq 66 && grep -q '\"kind\":\"wait\"' '$T/w.json' && grep -q '\"ruleId\":\"wait\"' '$T/w.sarif'"
"$UL" --exitcode 66 --wait-check=0 -- "$T/cond_wait_bug" >/dev/null 2>&1; check wait_check_off test $? -eq 0
"$UL" --exitcode 66 --no-wait-check -- "$T/cond_wait_bug" >/dev/null 2>&1; check no_wait_check test $? -eq 0
ULOCKDEP_OPTIONS=wait_check=0 LD_PRELOAD=$B/libulockdep.so "$T/cond_wait_bug" 2>&1 | grep -q 'through a wait'
check wait_check_off_env test $? -ne 0
"$UL" --no-json -- "$T/exit7" >/dev/null 2>&1; check no_prefix_only_for_booleans test $? -eq 1
# wait interceptors called before the runtime's constructor (.preinit_array) find their real calls
cc -O1 -g -pthread -o "$T/preinit_waits" tests/cli/progs/preinit_waits.c
out=$(ULOCKDEP_OPTIONS=wait_check=1 LD_PRELOAD=$B/libulockdep.so "$T/preinit_waits" 2>&1); rc=$?
check wait_preinit bash -c "test $rc -eq 0 && echo '$out' | grep -q 'possible deadlock through a wait detected'"
echo 'wait outer_lock # accepted' > "$T/w.supp"
"$UL" --exitcode 66 --wait-check --suppressions "$T/w.supp" -- "$T/cond_wait_bug" >/dev/null 2>&1; check wait_suppressed test $? -eq 0

# the README documents every option of the table
missing=""
for name in $(grep -o '^OPT([a-z_]*' src/common/options.def | sed 's/OPT(//'); do
  grep -q "^OPT($name, .*\"Internal:" src/common/options.def && continue
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

# JSON: each lock of a report carries its instance; a same-class cycle
# names one class twice but two different lock objects
cc -O0 -g -pthread -Iinclude -o "$T/bank" tests/scenarios/nest_bank_transfer.c
"$UL" --json "$T/bank.json" -- "$T/bank" >/dev/null 2>&1
addrs=$(grep -o '"instances":\[[^]]*\]' "$T/bank.json" | grep -o '"addr":"0x[0-9a-f]*"' | sort -u | wc -l)
check json_instances test "$addrs" -eq 2

# a static lock without a symbol is named by module+offset: the same name
# in two runs (addresses move with ASLR), usable in a suppression
cc -O0 -g -pthread -Iinclude -o "$T/nosym" tests/scenarios/names_module_offset.c
"$UL" --json "$T/nosym1.json" -- "$T/nosym" >/dev/null 2>&1
"$UL" --json "$T/nosym2.json" -- "$T/nosym" >/dev/null 2>&1
n1=$(grep -o '"locks":\[[^]]*\]' "$T/nosym1.json"); n2=$(grep -o '"locks":\[[^]]*\]' "$T/nosym2.json")
check module_offset_stable bash -c "echo '$n1' | grep -q 'nosym+0x' && test '$n1' = '$n2'"
printf 'circular nosym+0x* # no symbol: module+offset\n' > "$T/nosym.supp"
"$UL" --suppressions "$T/nosym.supp" --json "$T/nosym3.json" -- "$T/nosym" >/dev/null 2>&1
check module_offset_suppression test ! -s "$T/nosym3.json"

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
# a symbolizer that cannot run: one notice, not silently no file:line
for sy in /nonexistent ''; do
  err=$("$UL" --symbolizer "$sy" -- "$DEMO" 2>&1 >/dev/null)
  check "symbolizer_missing_notice${sy:+_path}" bash -c "test \$(echo \"\$0\" | grep -c 'symbolizer.*reports show no file:line') -eq 1" "$err"
done
# %p and %% in --suppressions (bare: the pid of the process; %% is a literal %)
cp "$T/supp" "$T/100%.supp"
err=$("$UL" --json "$T/pc%%.json" --suppressions "$T/100%%.supp" -- "$DEMO" 2>&1 >/dev/null)
check suppress_percent_literal bash -c "echo \"\$0\" | grep -q '1 suppressed' && test -e '$T/pc%.json'" "$err"
err=$(bash -c 'cp "$1/supp" "$1/sp.$$.supp"; ULOCKDEP_OPTIONS="suppressions=$1/sp.%p.supp" LD_PRELOAD="$2" exec "$3"' \
  x "$T" "$B/libulockdep.so" "$DEMO" 2>&1 >/dev/null)
check suppress_pid_pattern bash -c "echo \"\$0\" | grep -q '1 suppressed'" "$err"
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

# ---- typed options: a bad value names the option, the value and what is allowed; nothing starts ----
badopt() { # NAME FLAG VALUE
  local out rc
  out=$("$UL" "--$2=$3" -- "$T/exit7" 2>&1); rc=$?
  check "$1" bash -c "test $rc -eq 1 && test \$(printf '%s\n' \"\$0\" | wc -l) -eq 1 && printf '%s' \"\$0\" | grep -q -- '--$2' \
    && printf '%s' \"\$0\" | grep -qF \"'$3'\" && printf '%s' \"\$0\" | grep -q 'allowed: '" "$out"
}
badopt opt_deadlock_action deadlock-action explode
badopt opt_deadlock_action_exit0 deadlock-action exit:0
badopt opt_dump_signal dump-signal SIGFOO
badopt opt_dump_signal_kill dump-signal SIGKILL
badopt opt_exitcode_256 exitcode 256
badopt opt_exitcode_plus exitcode +5
for sg in SEGV SIGBUS FPE ILL TRAP SYS 11; do badopt opt_dump_signal_fault_$sg dump-signal $sg; done
badopt opt_timeout_negative deadlock-timeout-ms -5
badopt opt_max_locks_negative max-locks -1
badopt opt_bool summary maybe
out=$(ULOCKDEP_OPTIONS="deadlock_action=explode" LD_PRELOAD=$B/libulockdep.so "$T/exit7" 2>&1); rc=$?
check env_bad_enum bash -c "test $rc -eq 1 && echo \"\$0\" | grep -q \"bad value 'explode' for option 'deadlock_action' (allowed: one of report, abort or exit:N with N in 1..255)\"" "$out"
out=$(ULOCKDEP_OPTIONS="status_file=$T/st" LD_PRELOAD=$B/libulockdep.so "$T/exit7" 2>&1); rc=$?
check env_internal_option_refused bash -c "test $rc -eq 1 && echo \"\$0\" | grep -q \"unknown option 'status_file'\"" "$out"
ULOCKDEP_OPTIONS="::exitcode=5:: :" LD_PRELOAD=$B/libulockdep.so "$DEMO" >/dev/null 2>&1
check env_doubled_separators test $? -eq 5
out=$("$UL" --dump-signal=USR2 -- "$T/exit7" 2>&1); rc=$?
check opt_signal_by_name test $rc -eq 7
slist=""; for k in $(seq 17); do slist="$slist --suppressions $T/supp"; done
out=$("$UL" $slist -- "$T/exit7" 2>&1); rc=$?
check opt_list_limit bash -c "test $rc -eq 1 && echo \"\$0\" | grep -q 'at most 16'" "$out"

# values with spaces, colons and quotes reach the runtime unchanged
odd="$T/my file:json=x 'q' \"dq\" \\b.json"
"$UL" --json "$odd" --log-file "$T/log with space" -- "$DEMO" >/dev/null 2>&1; rc=$?
check opt_value_spaces_quotes bash -c "test $rc -eq 0 && grep -q '\"kind\":\"circular\"' \"\$0\" && grep -q 'possible circular' '$T/log with space'" "$odd"

# ---- files: opened before the program drops root, chdirs, forks or execs ----
if [ "$(id -u)" = 0 ]; then
  mkdir -m 700 "$T/rootonly"
  "$UL" --json "$T/rootonly/r.json" --sarif "$T/rootonly/r.sarif" --graph "$T/rootonly/g" --exitcode 66 \
    -- "$P" drop >/dev/null 2>&1; rc=$?
  check drop_root_launcher bash -c "test $rc -eq 66 && grep -q '\"kind\":\"circular\"' '$T/rootonly/r.json' \
    && grep -q '\"ruleId\":\"circular\"' '$T/rootonly/r.sarif' && grep -q -- '->' '$T/rootonly/g.dot' \
    && test \$(ls -A '$T/rootonly' | wc -l) -eq 4"
  ULOCKDEP_OPTIONS="json=$T/rootonly/b.json:sarif=$T/rootonly/b.sarif:graph=$T/rootonly/bg:exitcode=66" \
    LD_PRELOAD=$B/libulockdep.so "$P" drop >/dev/null 2>&1; rc=$?
  check drop_root_bare bash -c "test $rc -eq 66 && grep -q '\"kind\":\"circular\"' '$T/rootonly/b.json' \
    && grep -q '\"ruleId\":\"circular\"' '$T/rootonly/b.sarif' && grep -q -- '->' '$T/rootonly/bg.dot'"
  printf 'circular a # accepted for the test\n' > "$T/rootonly/supp"; chmod 600 "$T/rootonly/supp"
  err=$("$UL" --json "$T/rootonly/de.json" --suppressions "$T/rootonly/supp" -- "$P" dropexec 2>&1 >/dev/null); rc=$?
  check drop_root_exec_suppressions bash -c "test $rc -eq 0 && test ! -s '$T/rootonly/de.json' && echo \"\$0\" | grep -q '1 suppressed'" "$err"
else
  echo "SKIP drop_root_launcher: needs root"; echo "SKIP drop_root_bare: needs root"
  echo "SKIP drop_root_exec_suppressions: needs root"
fi
mkdir -p "$T/wd" "$T/elsewhere"
(cd "$T/wd" && "$UL" --json rel.json --graph relg --log-file rel.log -- "$P" chdir "$T/elsewhere" >/dev/null 2>&1)
check chdir_launcher bash -c "grep -q circular '$T/wd/rel.json' && test -s '$T/wd/relg.dot' && grep -q 'possible circular' '$T/wd/rel.log' \
  && test -z \"\$(ls -A '$T/elsewhere')\""
(cd "$T/wd" && ULOCKDEP_OPTIONS="json=brel.json" LD_PRELOAD=$B/libulockdep.so "$P" chdir "$T/elsewhere" >/dev/null 2>&1)
check chdir_bare bash -c "grep -q circular '$T/wd/brel.json' && test -z \"\$(ls -A '$T/elsewhere')\""
(cd "$T/wd" && ULOCKDEP_OPTIONS="json=kid.%p.json graph=kidg" LD_PRELOAD=$B/libulockdep.so "$P" chdirfork "$T/elsewhere" >/dev/null 2>&1)
check chdir_then_fork_bare bash -c "grep -q circular '$T/wd'/kid.*.json && ls '$T/wd'/kidg.*.dot >/dev/null 2>&1 \
  && test -z \"\$(ls -A '$T/elsewhere')\""

# the launched process execs: the new image keeps what the earlier one wrote and counted
mkdir "$T/ox"; echo old > "$T/ox/r2.sarif"
err=$("$UL" --json "$T/ox/r.json" --sarif "$T/ox/r.sarif" -- "$P" abbaexec 2>&1 >/dev/null)
"$UL" --sarif "$T/ox/r2.sarif" -- "$P" abbaexec >/dev/null 2>&1
check owner_exec_keeps_sarif bash -c "test \$(wc -l < '$T/ox/r.json') -eq 2 && test \$(grep -o '\"ruleId\"' '$T/ox/r.sarif' | wc -l) -eq 2 \
  && grep -q ': a -> b' '$T/ox/r.sarif' && grep -q child_a '$T/ox/r.sarif' && test \$(grep -o '\"ruleId\"' '$T/ox/r2.sarif' | wc -l) -eq 2 \
  && echo \"\$0\" | grep -q 'summary for .*: 2 reports' && echo \"\$0\" | grep -q 'from 1 earlier image'" "$err"
if command -v python3 >/dev/null; then
  check owner_exec_sarif_valid python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['runs'][0]['results'])==2" "$T/ox/r.sarif"
fi

# a tiny descriptor limit: the program gets exactly the descriptors it has without ulockdep
plain=$(bash -c 'ulimit -n 12; exec ls /proc/self/fd' 2>/dev/null)
under=$(bash -c 'ulimit -n 12; exec "$1" --json "$2" -- ls /proc/self/fd' x "$UL" "$T/tiny0.json" 2>/dev/null)
bare=$(bash -c 'ulimit -n 12; ULOCKDEP_OPTIONS="json=$2" LD_PRELOAD="$1" exec ls /proc/self/fd' x "$B/libulockdep.so" "$T/tiny1.json" 2>/dev/null)
err=$(bash -c 'ulimit -n 12; exec "$1" --json "$2" --sarif "$3" --exitcode 9 -- "$4"' x "$UL" "$T/tiny.json" "$T/tiny.sarif" "$DEMO" 2>&1 >/dev/null); rc=$?
check tiny_fd_limit bash -c "test '$plain' = '$under' && test '$plain' = '$bare' && test $rc -eq 9 \
  && grep -q '\"kind\":\"circular\"' '$T/tiny.json' && grep -q ruleId '$T/tiny.sarif' \
  && test \$(echo \"\$0\" | grep -c 'RLIMIT_NOFILE is below 256') -eq 1" "$err"
# the launcher's owner-only descriptors do not reach what a forked child execs
"$UL" --sarif "$T/lk.sarif" --graph "$T/lk" -- bash -c '(exec ls -l /proc/self/fd/) > "$1"' x "$T/lk.txt" 2>/dev/null
check owner_fds_cloexec_in_children bash -c "test -s '$T/lk.txt' && ! grep -q -e 'lk.sarif' -e 'lk.dot' -e 'lk.json' -e 'ulockdep-carry' '$T/lk.txt'"

# a program that cannot run: the shell's 126 and message; 127 when there is none
touch "$T/noexec"; chmod 644 "$T/noexec"
out=$("$UL" -- "$T/noexec" 2>&1); rc=$?
check run_not_executable bash -c "test $rc -eq 126 && echo \"\$0\" | grep -q 'Permission denied'" "$out"
out=$("$UL" -- "$T" 2>&1); rc=$?
check run_directory bash -c "test $rc -eq 126 && echo \"\$0\" | grep -q 'Is a directory'" "$out"
out=$("$UL" -- "$T/none" 2>&1); rc=$?
check run_missing test $rc -eq 127

# a child that sets its own ULOCKDEP_OPTIONS gets its own files, not the launcher's descriptors
mkdir "$T/inner"
"$UL" --json "$T/inner/outer.json" -- bash -c 'ULOCKDEP_OPTIONS="json=$1" "$2"; true' x "$T/inner/inner.json" "$DEMO" >/dev/null 2>&1
check inner_options_own_file bash -c "grep -q '\"kind\":\"circular\"' '$T/inner/inner.json' && test ! -s '$T/inner/outer.json'"

# fork + exec: the launched process keeps FILE, the child writes FILE.PID; %p gives each its own
mkdir "$T/fe"
"$UL" --graph "$T/fe/g" --sarif "$T/fe/r.sarif" --json "$T/fe/j.%p.json" -- "$P" forkexec >/dev/null 2>&1
kid=$(ls "$T/fe" | sed -n 's/^g\.\([0-9]*\)\.dot$/\1/p')
check fork_exec_graph_per_process bash -c "test -n '$kid' && grep -q parent_a '$T/fe/g.dot' && ! grep -q child_a '$T/fe/g.dot' \
  && grep -q child_a '$T/fe/g.$kid.dot' && grep -q child_a '$T/fe/g.$kid.json' && grep -q '\"results\":\\[\\]' '$T/fe/r.sarif' \
  && grep -q '\"ruleId\":\"circular\"' '$T/fe/r.$kid.sarif' && grep -q circular '$T/fe/j.$kid.json' \
  && test \$(ls '$T/fe' | grep -c '^j\\.') -eq 1"
mkdir "$T/fp"
"$UL" --graph "$T/fp/g.%p" -- "$P" forkexec >/dev/null 2>&1
check fork_exec_graph_pid_pattern bash -c "test \$(ls '$T/fp' | grep -c '^g\\.[0-9]*\\.dot$') -eq 2 && grep -lq child_a '$T/fp'/g.*.dot"

# not root: a child's own files are created at its first write; children that end with _exit leave none
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  mkdir -m 777 "$T/nb"
  setpriv --reuid=65534 --regid=65534 --clear-groups "$UL" --graph "$T/nb/g" --sarif "$T/nb/r.sarif" \
    -- "$T/multi_proc" >/dev/null 2>&1
  check per_process_files_lazy bash -c "test -s '$T/nb/g.dot' && test \$(ls '$T/nb' | grep -c '^r\.[0-9]*\.sarif$') -eq 8 \
    && test \$(ls '$T/nb' | grep -c '^g\.[0-9]') -eq 0 && test -z \"\$(find '$T/nb' -empty)\""
else
  echo "SKIP per_process_files_lazy: needs root and setpriv"
fi

# a program that closes fd 2 and opens a data file there gets no report text in its data
err=$("$UL" -- "$P" close2 "$T/data" 2>&1 >/dev/null)
check stderr_private_dup bash -c "test \"\$(cat '$T/data')\" = data && echo \"\$0\" | grep -q 'possible circular'" "$err"
err=$(LD_PRELOAD=$B/libulockdep.so "$P" close2 "$T/data2" 2>&1 >/dev/null)
check stderr_private_dup_bare bash -c "test \"\$(cat '$T/data2')\" = data && echo \"\$0\" | grep -q 'possible circular'" "$err"
# a close-all loop: outputs are reopened by path, the exit code still arrives
"$UL" --json "$T/ca.json" --exitcode 66 -- "$P" closeall >/dev/null 2>&1; rc=$?
check close_all_reopen bash -c "test $rc -eq 66 && grep -q circular '$T/ca.json'"

# ---- never clobber ----
echo precious > "$T/victim"
for o in log-file json sarif; do
  ln -s "$T/victim" "$T/link.$o"
  err=$("$UL" --$o "$T/link.$o" -- "$DEMO" 2>&1 >/dev/null)
  check "symlink_not_followed_$o" bash -c "test \"\$(cat '$T/victim')\" = precious && test -L '$T/link.$o' \
    && echo \"\$0\" | grep -q 'cannot open --$o $T/link.$o: Too many levels of symbolic links'" "$err"
done
ln -s "$T/victim" "$T/lg.dot"
"$UL" --graph "$T/lg" -- "$DEMO" >/dev/null 2>&1
check symlink_not_followed_graph bash -c "test \"\$(cat '$T/victim')\" = precious && test -L '$T/lg.dot' && test -s '$T/lg.json'"
if [ "$(id -u)" = 0 ] && mknod "$T/nulldev" c 1 3 2>/dev/null; then
  "$UL" --sarif "$T/nulldev" --graph "$T/nulldev2" -- "$DEMO" >/dev/null 2>&1
  check device_node_kept bash -c "test -c '$T/nulldev' && test -z \"\$(ls -A '$T' | grep -e '^\\.nulldev' -e 'nulldev\\.tmp')\""
else
  echo "SKIP device_node_kept: mknod needs root"
fi
# a regular file is replaced by rename, not rewritten: a hard link keeps the old content
echo old > "$T/repl.sarif"; ln "$T/repl.sarif" "$T/repl.keep"
"$UL" --sarif "$T/repl.sarif" -- "$DEMO" >/dev/null 2>&1
check replace_regular_by_rename bash -c "test \"\$(cat '$T/repl.keep')\" = old && grep -q ruleId '$T/repl.sarif' \
  && test -z \"\$(ls -A '$T' | grep '^\\.repl')\""
if [ "$(id -u)" = 0 ]; then
  mkdir -m 1777 "$T/shared"; touch "$T/shared/planted.json"; chown 65534 "$T/shared/planted.json"
  err=$("$UL" --json "$T/shared/planted.json" -- "$DEMO" 2>&1 >/dev/null)
  check shared_dir_foreign_file bash -c "test ! -s '$T/shared/planted.json' && echo \"\$0\" | grep -q 'Operation not permitted'" "$err"
  # a FIFO another user planted, with a reader: refused too, nothing reaches the reader
  mkfifo "$T/shared/planted.fifo"; chown 65534 "$T/shared/planted.fifo"
  exec 8<>"$T/shared/planted.fifo"
  err=$("$UL" --json "$T/shared/planted.fifo" -- "$DEMO" 2>&1 >/dev/null)
  echo END >&8; read -r -t 10 first <&8; exec 8<&-
  check shared_dir_foreign_fifo bash -c "test \"\$1\" = END && echo \"\$0\" | grep -q 'Operation not permitted'" "$err" "$first"
  # root's own device node in a shared directory is still written in place
  if mknod "$T/shared/rootnull" c 1 3 2>/dev/null; then
    err=$("$UL" --json "$T/shared/rootnull" -- "$DEMO" 2>&1 >/dev/null)
    check shared_dir_root_device bash -c "test -c '$T/shared/rootnull' && ! echo \"\$0\" | grep -q 'cannot open'" "$err"
  fi
else
  echo "SKIP shared_dir_foreign_file: needs root"
fi
# long paths: 599 bytes work, past PATH_MAX is an error naming the option
long="$T"; while [ ${#long} -lt 520 ]; do long="$long/dddddddddddddddddddddddddddddddddddddddd"; done
mkdir -p "$long"; lp="$long/$(printf 'g%.0s' $(seq $((598 - ${#long}))))"
"$UL" --graph "$lp" -- "$DEMO" >/dev/null 2>&1
check long_path_599 bash -c "test ${#lp} -eq 599 && test -s '$lp.dot' && test -s '$lp.json'"
huge="$T/$(printf 'x/%.0s' $(seq 2100))g"
out=$("$UL" --graph "$huge" -- "$T/exit7" 2>&1); rc=$?
check long_path_error bash -c "test $rc -eq 1 && echo \"\$0\" | grep -q -- '--graph' && echo \"\$0\" | grep -q PATH_MAX" "$out"
out=$(ULOCKDEP_OPTIONS="graph=$huge" LD_PRELOAD=$B/libulockdep.so "$T/exit7" 2>&1); rc=$?
check long_path_error_env bash -c "test $rc -eq 1 && echo \"\$0\" | grep -q \"option 'graph'\"" "$out"

# ---- failures are visible: one notice naming the file and the error, and the summary ----
err=$("$UL" --json /dev/full -- "$P" abba2 2>&1 >/dev/null)
check enospc_notice bash -c "test \$(echo \"\$0\" | grep -c 'cannot write JSON file /dev/full: No space left on device') -eq 1 \
  && echo \"\$0\" | grep -q 'lost: 2 writes to the JSON file /dev/full: No space left on device'" "$err"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  mkdir -m 755 "$T/ro"
  err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$UL" --json "$T/ro/r.json" -- "$DEMO" 2>&1 >/dev/null)
  check eacces_notice bash -c "echo \"\$0\" | grep -q 'cannot open --json $T/ro/r.json: Permission denied' \
    && echo \"\$0\" | grep -q 'lost: 1 write to the JSON file $T/ro/r.json: Permission denied'" "$err"
else
  echo "SKIP eacces_notice: needs root and setpriv"
fi

# ---- suppression files: a clear error, never a hang ----
suppbad() { # NAME FILE EXPECTED
  local out rc
  out=$(timeout 20 "$UL" --suppressions "$2" -- "$T/exit7" 2>&1); rc=$?
  check "$1" bash -c "test $rc -eq 1 && echo \"\$0\" | grep -qF -- \"\$1\"" "$out" "$3"
}
mkdir "$T/suppdir"; mkfifo "$T/suppfifo"
suppbad suppress_directory "$T/suppdir" "$T/suppdir: cannot read suppressions file: is a directory"
suppbad suppress_fifo "$T/suppfifo" "$T/suppfifo: cannot read suppressions file: not a regular file"
suppbad suppress_dev_zero /dev/zero "/dev/zero: cannot read suppressions file: not a regular file"
printf 'circular x # why\n\0\1\2binary\n' > "$T/suppbin"
suppbad suppress_binary "$T/suppbin" "$T/suppbin:2: bad suppression: a NUL byte"
{ printf 'circular '; printf 'y%.0s' $(seq 3000); printf ' # long\n'; } > "$T/supplong"
suppbad suppress_long_line "$T/supplong" "$T/supplong:1: bad suppression: line longer than 1023 bytes"
{ printf 'circular '; printf 'p%.0s' $(seq 300); printf ' # long pattern\n'; } > "$T/supppat"
suppbad suppress_long_pattern "$T/supppat" "$T/supppat:1: bad suppression: pattern longer than 254 bytes"
head -c 2000000 /dev/zero | tr '\0' '#' > "$T/suppbig"
suppbad suppress_too_big "$T/suppbig" "larger than the limit of 1 MiB"

# ---- JSON and SARIF are valid UTF-8 whatever the names ----
if command -v python3 >/dev/null; then
  bad_name=$(printf 'bad\xffprog'); cp "$P" "$T/$bad_name"
  "$UL" --json "$T/u.json" --sarif "$T/u.sarif" --graph "$T/ug" -- "$T/$bad_name" badname >/dev/null 2>&1
  check json_valid_utf8 python3 -c "
import json
for line in open('$T/u.json', 'rb'):
    d = json.loads(line.decode('utf-8'))
    assert '\\\\xFF' in d['program'] and '\\\\xFE' in d['thread'], d
"
  check sarif_valid_utf8 python3 -c "
import json
d = json.loads(open('$T/u.sarif', 'rb').read().decode('utf-8'))
assert '\\\\xFF' in d['runs'][0]['results'][0]['message']['text']
json.loads(open('$T/ug.json', 'rb').read().decode('utf-8'))
open('$T/ug.dot', 'rb').read().decode('utf-8')
"
else
  echo "SKIP json_valid_utf8: python3 missing"
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
