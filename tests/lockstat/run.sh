#!/usr/bin/env bash
# --lock-stat, --no-validate and --html tests. Each asserts on real output
# of the runtime (with the runtime doing nothing, every check fails).
set -u
cd "$(dirname "$0")/../.."
B=$PWD/build
UL=$B/ulockdep
T=$(mktemp -d /tmp/ulockdep-lockstat.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0

ok()   { echo "PASS $1"; pass=$((pass + 1)); }
bad()  { echo "FAIL $1: $2"; fail=$((fail + 1)); }
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n" "$*"; fi; }

for p in contended rwsplit abba_profile; do
  cc -O1 -g -pthread -o "$T/$p" tests/lockstat/progs/$p.c || exit 1
done

# field ROW-PREFIX COLUMN FILE: a column of a lock_stat row (1 = class name)
field() { awk -v r="$1" -v c="$2" '$1 == r { print $c; exit }' "$3"; }

# contended program (expected: hot_lock with exactly 10006 acquisitions,
# contentions >= 3, its waiter's call site as a contention point)
"$UL" --lock-stat --json "$T/c.json" --log-file "$T/c.log" -- "$T/contended" >/dev/null
check lockstat_header grep -q '^lock_stat version 0.4$' "$T/c.log"
check lockstat_columns grep -q 'class name *con-bounces *contentions *waittime-min *waittime-max *waittime-total *waittime-avg *acq-bounces *acquisitions *holdtime-min *holdtime-max *holdtime-total *holdtime-avg' "$T/c.log"
check lockstat_exact_acquisitions test "$(field hot_lock: 9 "$T/c.log")" = 10006
check lockstat_contentions test "$(field hot_lock: 3 "$T/c.log")" -ge 3
check lockstat_cold_lock test "$(field cold_lock: 9 "$T/c.log")" = 1 -a "$(field cold_lock: 3 "$T/c.log")" = 0
check lockstat_contention_point grep -q '^ *hot_lock  *[0-9][0-9]* *\[<[0-9a-f]*>\] waiter_takes_hot' "$T/c.log"
check lockstat_json bash -c "grep '\"lock_stat\"' '$T/c.json' | grep -q '\"name\":\"hot_lock\",\"write\":{[^}]*\"acquisitions\":10006'"
check lockstat_no_report_lines test "$(grep -c '"kind"' "$T/c.json")" -eq 0

# read/write split (expected: table_lock-R 300, table_lock-W 70)
"$UL" --lock-stat --log-file "$T/rw.log" -- "$T/rwsplit" >/dev/null
check lockstat_read_row test "$(field table_lock-R: 9 "$T/rw.log")" = 300
check lockstat_write_row test "$(field table_lock-W: 9 "$T/rw.log")" = 70

# --no-validate: a pure profiler (expected: no report, exact counts);
# the same program without it gets its circular report
"$UL" --lock-stat --no-validate --log-file "$T/nv.log" -- "$T/abba_profile"
check novalidate_no_report bash -c "! grep -q 'circular locking' '$T/nv.log'"
check novalidate_counts test "$(field lock_a: 9 "$T/nv.log")" = 2 -a "$(field lock_b: 9 "$T/nv.log")" = 2
"$UL" --log-file "$T/v.log" -- "$T/abba_profile"
check validate_reports grep -q 'possible circular locking dependency detected' "$T/v.log"
check no_lockstat_by_default bash -c "! grep -q 'lock_stat version' '$T/v.log'"
# bare LD_PRELOAD with the option in the environment
ULOCKDEP_OPTIONS="lock_stat=1:no_validate=1" LD_PRELOAD=$B/libulockdep.so "$T/abba_profile" 2>"$T/env.log"
check lockstat_env test "$(field lock_a: 9 "$T/env.log")" = 2

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
