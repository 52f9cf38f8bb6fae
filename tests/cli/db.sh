#!/usr/bin/env bash
# --graph-db and `ulockdep db`: lock orders combined across runs. Every
# test states its verdict and checks real output; each one fails if the
# runtime or the launcher does nothing (the orders are split over
# processes, so no single run can see a cycle by itself).
set -u
cd "$(dirname "$0")/../.."
B=$PWD/build
UL=$B/ulockdep
T=$(mktemp -d /tmp/ulockdep-db.XXXXXX)
trap 'touch "$T/go" "$T/done"; rm -rf "$T"' EXIT
pass=0 fail=0 skip=0
source tests/lib/gate.sh
rt_gate
ok()   { if [ "$RT_OK" = 1 ]; then echo "PASS $1"; pass=$((pass + 1)); else bad "$1" "the runtime is not working"; fi; }
bad()  { echo "FAIL $1: $2"; fail=$((fail + 1)); }
skip() { echo "SKIP $1: $2"; skip=$((skip + 1)); }
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n" "$*"; fi; }

P=$T/db_order
cc -O1 -g -pthread -o "$P" tests/cli/progs/db_order.c
cc -O1 -g -pthread -o "$T/exit7" tests/cli/progs/exit7.c
run() { local db=$1 json=$2; shift 2; "$UL" --graph-db "$db" --json "$json" -- "$P" "$@" 2>"$json.err"; }
nrep() { if [ -s "$1" ]; then wc -l < "$1"; else echo 0; fi; }

# Two runs in sequence: the second closes an ABBA with the first's edge and
# is reported at once, naming the run that recorded the historical edge.
run "$T/seq.db" "$T/seq1.json" ab; pid1=$(grep -o 'pid [0-9]*' "$T/seq1.json.err" | head -1)
run "$T/seq.db" "$T/seq2.json" ba
"$UL" --json "$T/alone.json" -- "$P" ba 2>/dev/null
check seq_first_run_clean test "$(nrep "$T/seq1.json")" -eq 0
check seq_alone_is_clean test "$(nrep "$T/alone.json")" -eq 0
check seq_abba_live bash -c "grep -q '\"kind\":\"circular\"' '$T/seq2.json' && grep -q '\"locks\":\[\"lock_a\",\"lock_b\"\]' '$T/seq2.json' \
  && grep -q 'recorded by an earlier run: db_order pid [0-9]* on .* at 20[0-9-]* [0-9:]* UTC: $P ab' '$T/seq2.json.err'"
check seq_history_stack bash -c "grep -A2 'recorded by an earlier run' '$T/seq2.json.err' | grep -q 'db_order.c:[0-9]*' \
  && grep -q '{\"label\":\"dependency (earlier run)\",\"frames\":\[\"[^\"]*db_order.c:[0-9]*' '$T/seq2.json'"

# Every later run that closes the cycle reports it again (a CI retry stays
# red), though both orders are now in the history.
"$UL" --graph-db "$T/seq.db" --json "$T/seq3.json" --exitcode 66 -- "$P" ba 2>/dev/null; rc=$?
check seq_reported_again bash -c "test $rc -eq 66 && grep -q '\"kind\":\"circular\"' '$T/seq3.json'"

# Every class origin that can be stored has a key: an init site (through
# the make_obj wrapper: named by its role site in main, "^", bound to the
# build-id), and two statics of one name (bound to the build-id: their
# ordinal follows symbol-table order). First-use classes are not stored, so
# the init/first-use cycle is not closed across runs; the statics' is.
S=$T/db_sites
cc -O1 -g -pthread -o "$S" tests/cli/progs/db_sites.c tests/cli/progs/db_sites2.c
"$UL" --graph-db "$T/sites.db" -- "$S" iu st 2>/dev/null
"$UL" --graph-db "$T/sites.db" --json "$T/sites.json" -- "$S" ui ts 2>/dev/null
"$UL" db export "$T/sites.db" --json "$T/sites-g.json"
check stable_keys_all_origins bash -c "test \$(grep -c '\"kind\":\"circular\"' '$T/sites.json') -eq 1 \
  && grep -q '\"locks\":\[\"table_lock[^\"]*\",\"table_lock[^\"]*\"\]' '$T/sites.json' \
  && ! grep -q '\"key\":\"u:' '$T/sites-g.json' \
  && grep -q '\"key\":\"s:$S@[0-9a-f]*!table_lock\"' '$T/sites-g.json' && grep -q '\"key\":\"s:$S@[0-9a-f]*!table_lock#1\"' '$T/sites-g.json'"
# A global of a unique name is keyed by the program's path and symbol only.
"$UL" db export "$T/seq.db" --json "$T/seq-keys.json"
check unique_static_key_unbound grep -q "\"key\":\"s:$P!lock_a\"" "$T/seq-keys.json"

# No false reports from keys that name another lock in another build or
# program (every pair below takes its locks in one consistent order):
F=$T/fr; mkdir -p "$F/a" "$F/b"
# two statics named "lock" swap their symbol-table order with the link order
printf '#include <pthread.h>\nstatic pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;\nvoid f%s_lock(void){pthread_mutex_lock(&lock);}\nvoid f%s_unlock(void){pthread_mutex_unlock(&lock);}\n' 1 1 > "$F/f1.c"
printf '#include <pthread.h>\nstatic pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;\nvoid f%s_lock(void){pthread_mutex_lock(&lock);}\nvoid f%s_unlock(void){pthread_mutex_unlock(&lock);}\n' 2 2 > "$F/f2.c"
printf 'void f1_lock(void),f1_unlock(void),f2_lock(void),f2_unlock(void);\nint main(void){f1_lock();f2_lock();f2_unlock();f1_unlock();return 0;}\n' > "$F/m.c"
cc -O1 -g -pthread -o "$F/st" "$F/f1.c" "$F/f2.c" "$F/m.c"
"$UL" --graph-db "$F/st.db" -- "$F/st" 2>/dev/null
cc -O1 -g -pthread -o "$F/st" "$F/f2.c" "$F/f1.c" "$F/m.c"
"$UL" --graph-db "$F/st.db" --json "$F/st.json" -- "$F/st" 2>/dev/null
check no_false_report_duplicate_statics test "$(nrep "$F/st.json")" -eq 0
# two init sites swap places in a rebuild (offset keys hold for one build)
printf '#include <pthread.h>\n#include <stdlib.h>\nint main(void){pthread_mutex_t *a=malloc(sizeof *a),*b=malloc(sizeof *b);\n#ifndef V2\npthread_mutex_init(a,0);pthread_mutex_init(b,0);\n#else\npthread_mutex_init(b,0);pthread_mutex_init(a,0);\n#endif\npthread_mutex_lock(a);pthread_mutex_lock(b);pthread_mutex_unlock(b);pthread_mutex_unlock(a);return 0;}\n' > "$F/init.c"
cc -O0 -g -pthread -o "$F/init" "$F/init.c"
"$UL" --graph-db "$F/init.db" -- "$F/init" 2>/dev/null
"$UL" --graph-db "$F/init.db" --json "$F/init1.json" -- "$F/init" 2>/dev/null
cc -O0 -g -pthread -DV2 -o "$F/init" "$F/init.c"
"$UL" --graph-db "$F/init.db" --json "$F/init2.json" -- "$F/init" 2>/dev/null
check no_false_report_swapped_init_sites test "$(nrep "$F/init2.json")" -eq 0
# (the same build twice is consistent and clean; its history did load)
"$UL" db export "$F/init.db" --json "$F/init-g.json"
check same_build_init_sites_clean bash -c "test $(nrep "$F/init1.json") -eq 0 && grep -q '\"key\":\"i:$F/init@[0-9a-f]*!main+0x[0-9a-f]*\"' '$F/init-g.json'"
# two programs of one file name in two directories
cc -O1 -g -pthread -o "$F/a/prog" tests/cli/progs/db_order.c
cc -O1 -g -pthread -O2 -o "$F/b/prog" tests/cli/progs/db_order.c
"$UL" --graph-db "$F/ab.db" -- "$F/a/prog" ab 2>/dev/null
"$UL" --graph-db "$F/ab.db" --json "$F/ab.json" -- "$F/b/prog" ba 2>/dev/null
check no_false_report_same_basename test "$(nrep "$F/ab.json")" -eq 0
check other_program_keeps_history bash -c "'$UL' db stats '$F/ab.db' | grep -q 'dependencies: 2$'"
# calloc'd locks classed by their first use: the class follows the run path
printf '#include <pthread.h>\n#include <stdlib.h>\nstruct o{pthread_mutex_t m;};\n__attribute__((noinline)) static void t1(struct o *o){pthread_mutex_lock(&o->m);pthread_mutex_unlock(&o->m);}\n__attribute__((noinline)) static void t2(struct o *o){pthread_mutex_lock(&o->m);pthread_mutex_unlock(&o->m);}\nint main(int c,char **v){(void)c;struct o *x=calloc(1,sizeof *x),*y=calloc(1,sizeof *y);\nif(v[1][0]==49){t1(x);t2(y);}else{t1(y);t2(x);}\npthread_mutex_lock(&x->m);pthread_mutex_lock(&y->m);pthread_mutex_unlock(&y->m);pthread_mutex_unlock(&x->m);return 0;}\n' > "$F/u.c"
cc -O1 -g -pthread -o "$F/u" "$F/u.c"
"$UL" --graph-db "$F/u.db" -- "$F/u" 1 2>/dev/null
"$UL" --graph-db "$F/u.db" --json "$F/u.json" -- "$F/u" 2 2>/dev/null
check no_false_report_first_use_path test "$(nrep "$F/u.json")" -eq 0

# A forked child's orders are merged too (it writes its own at its exit).
"$UL" --graph-db "$T/fork.db" -- "$P" fork:cd ab 2>/dev/null
"$UL" db export "$T/fork.db" --json "$T/fork.json"
check forked_child_merged bash -c "'$UL' db stats '$T/fork.db' | grep -q 'dependencies: 2$' && grep -q '\"lock_d\"' '$T/fork.json' \
  && '$UL' db stats '$T/fork.db' | grep -q 'runs: *2$'"

# The same without the launcher: graph_db= in ULOCKDEP_OPTIONS, the runtime
# runs the launcher as its helper for the database work.
ULOCKDEP_OPTIONS="graph_db=$T/bare.db" LD_PRELOAD=$B/libulockdep.so "$P" ab 2>/dev/null
ULOCKDEP_OPTIONS="graph_db=$T/bare.db:json=$T/bare.json" LD_PRELOAD=$B/libulockdep.so "$P" ba 2>"$T/bare.err"
check bare_preload_history bash -c "grep -q '\"kind\":\"circular\"' '$T/bare.json' && grep -q 'recorded by an earlier run' '$T/bare.err' \
  && '$UL' db stats '$T/bare.db' | grep -q 'runs: *2$'"

# The stored stack is the whole first stack, down to main, nothing after it.
"$UL" db export "$T/seq.db" --json "$T/seq-g.json"
check stored_stack_ends_at_main grep -q '"stack":\["pair[^"]*(db_order.c:[0-9]*)[^"]*","main+0x[0-9a-f]*/0x[0-9a-f]* (db_order.c:[0-9]*)"\]' "$T/seq-g.json"

# ... also when main's frame has inlined callees
"$UL" --graph-db "$T/inl.db" -- "$P" AB 2>/dev/null
"$UL" db export "$T/inl.db" --json "$T/inl.json"
check stored_stack_inlined_main bash -c "grep -q '\"pair_inlined (db_order.c:[0-9]*) \[inlined\]\",\"main+' '$T/inl.json' \
  && ! grep -q 'libc-start\|__libc_start_main\|_start+' '$T/inl.json'"

# Bare mode with a relative path, and a program that changes directory
# before its exit: the merge still lands in the database it started with.
(cd "$T" && ULOCKDEP_OPTIONS="graph_db=rel.db" LD_PRELOAD=$B/libulockdep.so "$P" ab chdir 2>"$T/rel.err")
check bare_relative_path_after_chdir bash -c "'$UL' db stats '$T/rel.db' | grep -q 'dependencies: 1$' && test ! -e /rel.db"

# Three runs in parallel: none sees another's order (each loaded the
# database before any of them finished), so none reports; db check finds
# the 3-cycle a->b->c->a.
db=$T/par.db
for o in ab bc ca; do run "$db" "$T/par-$o.json" "$o" "wait=$T/go" & done
# each creates go.started.PID in main, after its runtime loaded the database
while [ "$(ls "$T"/go.started.* 2>/dev/null | wc -l)" -lt 3 ]; do sleep 0.05; done
touch "$T/go"; wait
check parallel_runs_clean test "$(cat "$T"/par-*.json 2>/dev/null | wc -l)" -eq 0
out=$("$UL" db check "$db" --json "$T/par-check.json" --sarif "$T/par-check.sarif" 2>&1); rc=$?
check parallel_db_check_3cycle bash -c "test $rc -eq 1 && echo '$out' | grep -q 'WARNING: possible circular locking dependency detected' \
  && echo '$out' | grep -q 'Chain exists of:' && echo '$out' | grep -q 'lock_a' && echo '$out' | grep -q 'lock_b' && echo '$out' | grep -q 'lock_c' \
  && test \$(grep -c '\"kind\":\"circular\"' '$T/par-check.json') -eq 1"
check db_check_sarif grep -q '"partialFingerprints":{"ulockdep/v1":"[0-9a-f]\{16\}"}' "$T/par-check.sarif"

# Two shard databases: each is clean; merged, the cycle appears. The merge
# is commutative and idempotent.
run "$T/s1.db" "$T/s1.json" ab
run "$T/s2.db" "$T/s2.json" ba
"$UL" db check "$T/s1.db" >/dev/null 2>&1; r1=$?
"$UL" db check "$T/s2.db" >/dev/null 2>&1; r2=$?
"$UL" db merge "$T/m.db" "$T/s1.db" "$T/s2.db"
"$UL" db check "$T/m.db" > "$T/m.out" 2>&1; rm=$?
check shard_merge_cycle bash -c "test $r1 -eq 0 -a $r2 -eq 0 -a $rm -eq 1 && grep -q 'recorded by db_order pid' '$T/m.out'"
"$UL" db merge "$T/m2.db" "$T/s2.db" "$T/s1.db"
"$UL" db merge "$T/m2.db" "$T/s1.db"
"$UL" db export "$T/m.db" --json "$T/m.json"; "$UL" db export "$T/m2.db" --json "$T/m2.json"
check merge_commutative_idempotent cmp -s "$T/m.json" "$T/m2.json"
check export_cycle_marked bash -c "grep -q '\"in_cycle\":true' '$T/m.json' && grep -q 'color=red' '$T/m.dot'"
# the HTML page reads the export and db check's JSON too
"$UL" db check "$T/m.db" --json "$T/m-check.json" >/dev/null 2>&1
"$UL" html "$T/m.html" "$T/m.json" "$T/m-check.json" 2>/dev/null; rc=$?
check export_html_page bash -c "test $rc -eq 0 && grep -q 'lock_b' '$T/m.html' && grep -q 'possible circular locking dependency detected' '$T/m.html'"
if command -v dot >/dev/null; then
  "$UL" graph "$T/m.json" -o "$T/m.svg"; check export_renders grep -q '<svg' "$T/m.svg"
else skip export_renders "graphviz not installed"; fi

# A consistent history stays clean: the same order seen many times.
for o in ab bc ac ab; do run "$T/ok.db" "$T/ok-$o.json" "$o"; done
"$UL" db check "$T/ok.db" >/dev/null 2>&1; rc=$?
check consistent_history_clean bash -c "test $rc -eq 0 && test \$(cat '$T'/ok-*.json 2>/dev/null | wc -l) -eq 0 \
  && '$UL' db stats '$T/ok.db' | grep -q 'dependencies: 3'"

# The read rule holds across runs: a recursive read after a lock and a read
# before it is no deadlock (as in one process); a write before it is.
for o in ra ar; do run "$T/rw.db" "$T/rw-$o.json" "$o"; done
"$UL" db check "$T/rw.db" >/dev/null 2>&1; rc1=$?
run "$T/rw.db" "$T/rw-wa.json" wa
"$UL" db check "$T/rw.db" >/dev/null 2>&1; rc2=$?
check read_rule_across_runs bash -c "test \$(cat '$T'/rw-ra.json '$T'/rw-ar.json 2>/dev/null | wc -l) -eq 0 -a $rc1 -eq 0 -a $rc2 -eq 1 \
  && grep -q '\"kind\":\"circular\"' '$T/rw-wa.json'"

# 100 processes merge into one database at once and lose nothing.
for i in $(seq 0 99); do "$UL" --graph-db "$T/many.db" -- "$P" "m$i" 2>"$T/many.$i.err" & done; wait
st=$("$UL" db stats "$T/many.db")
check concurrent_100_writers bash -c "echo '$st' | grep -q 'runs: *100$' && echo '$st' | grep -q 'dependencies: 100$' \
  && ! cat '$T'/many.*.err | grep -q ."

# A corrupt or foreign file is an error that names it; the program does not run.
head -c 8192 /dev/urandom > "$T/junk.db"
out=$("$UL" --graph-db "$T/junk.db" -- "$T/exit7" 2>&1); rc=$?
check foreign_file_error bash -c "test $rc -eq 1 && echo '$out' | grep -q '$T/junk.db: not a ulockdep graph database'"
out=$("$UL" db check "$T/junk.db" 2>&1); rc=$?
check foreign_file_check_error bash -c "test $rc -eq 2 && echo '$out' | grep -q '$T/junk.db'"
cp "$T/many.db" "$T/corrupt.db"
dd if=/dev/urandom of="$T/corrupt.db" bs=4096 seek=2 count=4 conv=notrunc 2>/dev/null
out=$("$UL" db check "$T/corrupt.db" 2>&1); rc=$?
check corrupt_file_error bash -c "test $rc -eq 2 && echo '$out' | grep -q '$T/corrupt.db: .*\(corrupt\|malformed\|not a\)'"
ln -s "$T/ok.db" "$T/link.db"
out=$("$UL" --graph-db "$T/link.db" -- "$T/exit7" 2>&1); rc=$?
check symlink_refused bash -c "test $rc -eq 1 && echo '$out' | grep -q 'link.db: is a symbolic link'"
if command -v sqlite3 >/dev/null; then
  sqlite3 "$T/other.db" "CREATE TABLE t(x)"
  out=$("$UL" --graph-db "$T/other.db" -- "$T/exit7" 2>&1); rc=$?
  check foreign_sqlite_error bash -c "test $rc -eq 1 && echo '$out' | grep -q 'other.db: a SQLite database, but not a ulockdep graph database'"
  # schema migration: a version-1 database is brought to version 2 and keeps its data
  sqlite3 "$T/v1.db" "PRAGMA application_id=1431061584;
    CREATE TABLE schema_version(version INTEGER NOT NULL); INSERT INTO schema_version VALUES(1);
    CREATE TABLE runs(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, program TEXT NOT NULL, argv TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL, time INTEGER NOT NULL);
    CREATE TABLE classes(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL, module TEXT NOT NULL, name TEXT NOT NULL);
    CREATE TABLE deps(from_class INTEGER NOT NULL, to_class INTEGER NOT NULL, types INTEGER NOT NULL, run INTEGER NOT NULL, stack TEXT NOT NULL, PRIMARY KEY(from_class, to_class)) WITHOUT ROWID;
    INSERT INTO runs VALUES(1, 'u1', 'db_order', 'db_order ab', 1, 'h', 0);
    INSERT INTO classes VALUES(1, 's:$P!lock_a', 0, '$P', 'lock_a'), (2, 's:$P!lock_b', 0, '$P', 'lock_b');
    INSERT INTO deps VALUES(1, 2, 1, 1, 'main (old.c:1)');"
  run "$T/v1.db" "$T/v1.json" ba
  check schema_migration bash -c "'$UL' db stats '$T/v1.db' | grep -q 'schema version 2' && grep -q '\"kind\":\"circular\"' '$T/v1.json' \
    && grep -q 'main (old.c:1)' '$T/v1.json.err'"
  # a database another process keeps locked: bounded wait, then a notice; the program still runs
  sqlite3 "$T/ok.db" "BEGIN IMMEDIATE" ".shell touch '$T/locked'; while [ ! -e '$T/done' ]; do sleep 0.05; done" "COMMIT" &
  while [ ! -e "$T/locked" ]; do sleep 0.05; done
  out=$("$UL" --graph-db "$T/ok.db" --graph-db-timeout-ms 100 -- "$T/exit7" 2>&1); rc=$?
  touch "$T/done"; wait
  check busy_timeout_notice bash -c "test $rc -eq 7 && echo '$out' | grep -q 'stayed locked longer than graph_db_timeout_ms'"
else
  skip foreign_sqlite_error "sqlite3 CLI not installed"; skip schema_migration "sqlite3 CLI not installed"
  skip busy_timeout_notice "sqlite3 CLI not installed"
fi

# Age-out: a rebuilt binary without lock_b drops lock_b's dependencies; the
# classes it still has stay.
mkdir -p "$T/age"
cc -O1 -g -pthread -o "$T/age/db_order" tests/cli/progs/db_order.c
"$UL" --graph-db "$T/age.db" -- "$T/age/db_order" ab bc cd 2>/dev/null
before=$("$UL" db stats "$T/age.db" | grep dependencies)
cc -O1 -g -pthread -DLOCK_B=lock_b_renamed -o "$T/age/db_order" tests/cli/progs/db_order.c
err=$("$UL" --graph-db "$T/age.db" -- "$T/age/db_order" de 2>&1)
"$UL" db export "$T/age.db" --json "$T/age.json"
check age_out bash -c "echo '$before' | grep -q 'dependencies: 3' && '$UL' db stats '$T/age.db' | grep -q 'dependencies: 2$' \
  && echo '$err' | grep -q '1 lock class of an older build aged out' && ! grep -q '\"lock_b\"' '$T/age.json' && grep -q '\"lock_c\"' '$T/age.json'"

# db check reports every pair of classes that is on a cycle: a, b and c
# all in both orders are three ABBAs (a-b, a-c, b-c), not one per class.
for o in ab ba ac ca bc cb; do "$UL" --graph-db "$T/k3.db" -- "$P" $o >/dev/null 2>&1; done
"$UL" db check "$T/k3.db" --json "$T/k3.json" >/dev/null 2>&1
check db_check_every_pair bash -c "test \$(grep -c '\"kind\":\"circular\"' '$T/k3.json') -eq 3"
# A cycle of 40 classes is reported (the search is not capped at 32).
if command -v sqlite3 >/dev/null; then
  "$UL" --graph-db "$T/long.db" -- "$T/exit7" 2>/dev/null
  { echo "BEGIN; INSERT INTO runs VALUES(1000, 'u1000', 'p', 'p', 1, 'h', 0);"
    for i in $(seq 0 39); do echo "INSERT INTO classes(id, key, kind, module, name) VALUES($((i + 1)), 's:/p!l$i', 0, '/p', 'l$i');"
      echo "INSERT INTO deps VALUES($((i + 1)), $(((i + 1) % 40 + 1)), 1, 1000, 'f (p.c:$i)');"; done; echo "COMMIT;"; } | sqlite3 "$T/long.db"
  "$UL" db check "$T/long.db" --json "$T/long.json" >/dev/null 2>&1
  check db_check_long_cycle grep -q '"kind":"circular"' "$T/long.json"
  # names that are not valid UTF-8 stay valid UTF-8 in every output
  "$UL" --graph-db "$T/utf.db" -- "$T/exit7" 2>/dev/null
  sqlite3 "$T/utf.db" "INSERT INTO runs VALUES(1000, 'u1000', 'p', 'p', 1, 'h', 0);
    INSERT INTO classes(id, key, kind, module, name) VALUES(1000, 's:/p!a', 0, '/p', CAST(X'61ff' AS TEXT)), (1001, 's:/p!b', 0, '/p', CAST(X'62c3' AS TEXT));
    INSERT INTO deps VALUES(1000, 1001, 1, 1000, CAST(X'66fe' AS TEXT)), (1001, 1000, 1, 1000, 'g');"
  "$UL" db check "$T/utf.db" --json "$T/utf-c.json" >/dev/null 2>&1
  "$UL" db export "$T/utf.db" --json "$T/utf-e.json" 2>/dev/null
  ULOCKDEP_DOT=none "$UL" html "$T/utf.html" "$T/utf.db" 2>/dev/null
  check invalid_utf8_escaped bash -c "for f in utf-c.json utf-e.json utf-e.dot utf.html; do iconv -f UTF-8 -t UTF-8 '$T/'\$f >/dev/null || exit 1; done \
    && grep -q 'a\\\\\\\\xFF' '$T/utf-c.json' && grep -q 'a\\\\\\\\xFF' '$T/utf-e.json' && grep -q 'a\\\\xFF' '$T/utf.html'"
else
  skip db_check_long_cycle "sqlite3 CLI not installed"
fi

# A database in a read-only directory: read commands work, a run loads the
# history (and reports), and says the merge could not be written.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  mkdir -p "$T/ro"; chmod 777 "$T/ro"; cp "$P" "$T/ro/db_order"; chmod 755 "$T/ro/db_order"
  "$UL" --graph-db "$T/ro/r.db" -- "$T/ro/db_order" ab 2>/dev/null
  chmod 755 "$T/ro"; chmod 644 "$T/ro/r.db"; rm -f "$T/ro/r.db-snapshot"; chmod 755 "$T"
  nb() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  st=$(nb "$UL" db stats "$T/ro/r.db" 2>/dev/null); rc1=$?
  nb "$UL" db check "$T/ro/r.db" >/dev/null 2>&1; rc2=$?
  err=$(nb "$UL" --graph-db "$T/ro/r.db" --exitcode 66 -- "$T/ro/db_order" ba 2>&1); rc3=$?
  check readonly_dir_db bash -c "test $rc1 -eq 0 -a $rc2 -eq 0 -a $rc3 -eq 66 && echo '$st' | grep -q 'dependencies: 1$' \
    && echo \"\$1\" | grep -q 'not writable: read only' && echo \"\$1\" | grep -q 'possible circular locking'" _ "$err"
  chmod 700 "$T"
else
  skip readonly_dir_db "needs root and setpriv to run as another user"
fi
# A full disk when the database is first made: a notice, the program runs
# without history, and no empty database is left.
err=$( (trap '' XFSZ; ulimit -f 0; "$UL" --graph-db "$T/full.db" -- "$T/exit7") 2>&1); rc=$?
check full_disk_runs_without_history bash -c "test $rc -eq 7 && echo '$err' | grep -q 'running without the recorded lock orders' \
  && test ! -e '$T/full.db'"

# Fingerprints and baselines: the live report and db check agree on the
# fingerprint; a baseline makes --exitcode ignore the known problem only.
run "$T/b.db" "$T/b1.json" ab
cp "$T/b.db" "$T/b-orig.db"
"$UL" --graph-db "$T/b.db" --json "$T/b2.json" --sarif "$T/b2.sarif" --exitcode 66 -- "$P" ba 2>/dev/null; rc1=$?
"$UL" db baseline "$T/b.db" "$T/base.txt" 2>/dev/null
fp=$(grep -o '"fingerprint":"[0-9a-f]*"' "$T/b2.json" | cut -d'"' -f4)
check fingerprint_live_equals_offline bash -c "test -n '$fp' && grep -q '^$fp circular' '$T/base.txt' && grep -q '\"ulockdep/v1\":\"$fp\"' '$T/b2.sarif'"
cp "$T/b-orig.db" "$T/b3.db"; cp "$T/b-orig.db" "$T/b4.db"; cp "$T/b-orig.db" "$T/b5.db"
err=$("$UL" --graph-db "$T/b3.db" --baseline "$T/base.txt" --exitcode 66 -- "$P" ba 2>&1); rc2=$?
"$UL" --graph-db "$T/b4.db" --baseline "$T/b2.json" --exitcode 66 -- "$P" ba 2>/dev/null; rc3=$?
"$UL" --graph-db "$T/b5.db" --baseline "$T/base.txt" --exitcode 66 -- "$P" ba cd dc 2>/dev/null; rc4=$?
check baseline bash -c "test $rc1 -eq 66 -a $rc2 -eq 0 -a $rc3 -eq 0 -a $rc4 -eq 66 && echo '$err' | grep -q '1 in the baseline'"

# A fingerprint names functions, not offsets: an unrelated edit that moves
# the init sites keeps the fingerprint of the same ABBA.
printf '#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\nint main(void){\n#ifdef PAD\nputs("an unrelated edit");fflush(stdout);\n#endif\npthread_mutex_t *a=malloc(sizeof *a),*b=malloc(sizeof *b);pthread_mutex_init(a,0);pthread_mutex_init(b,0);\npthread_mutex_lock(a);pthread_mutex_lock(b);pthread_mutex_unlock(b);pthread_mutex_unlock(a);\npthread_mutex_lock(b);pthread_mutex_lock(a);pthread_mutex_unlock(a);pthread_mutex_unlock(b);return 0;}\n' > "$T/fpe.c"
cc -O0 -g -pthread -o "$T/fpe" "$T/fpe.c"
"$UL" --json "$T/fpe1.json" -- "$T/fpe" >/dev/null 2>&1
cc -O0 -g -pthread -DPAD -o "$T/fpe" "$T/fpe.c"
"$UL" --json "$T/fpe2.json" -- "$T/fpe" >/dev/null 2>&1
fp1=$(grep -o '"fingerprint":"[0-9a-f]*"' "$T/fpe1.json"); fp2=$(grep -o '"fingerprint":"[0-9a-f]*"' "$T/fpe2.json")
check fingerprint_survives_edit bash -c "test -n '$fp1' && test '$fp1' = '$fp2'"

# The runtime's helpers (the symbolizer for the report, the graph-db helper
# when preloaded bare) never reach the program's SIGCHLD handler or wait().
cc -O1 -g -pthread -o "$T/sigchld" tests/cli/progs/sigchld.c
o1=$("$UL" -- "$T/sigchld" 2>"$T/sigchld.err")
o2=$(ULOCKDEP_OPTIONS="graph_db=$T/sigchld.db" LD_PRELOAD=$B/libulockdep.so "$T/sigchld" 2>/dev/null)
check helpers_no_sigchld bash -c "test '$o1' = 'sigchld=0 wait=-1 errno=ECHILD' -a '$o2' = 'sigchld=0 wait=-1 errno=ECHILD' \
  && grep -q 'sigchld.c:[0-9]' '$T/sigchld.err'"

# Refused before the program runs: one file for two outputs, a garbage
# baseline, an --html page in a directory that does not exist.
rm -f "$T/ran"
out=$("$UL" --graph-db "$T/same.db" --html "$T/same.db" -- touch "$T/ran" 2>&1); rc=$?
check same_file_two_outputs bash -c "test $rc -eq 1 -a ! -e '$T/ran' -a ! -e '$T/same.db' && echo '$out' | grep -q 'name the same file'"
echo garbage >"$T/garbage.txt"
out=$("$UL" --baseline "$T/garbage.txt" -- touch "$T/ran" 2>&1); rc=$?
check garbage_baseline_error bash -c "test $rc -eq 1 -a ! -e '$T/ran' && echo '$out' | grep -q 'garbage.txt: not a baseline'"
out=$("$UL" --html "$T/no/such/dir/p.html" -- touch "$T/ran" 2>&1); rc=$?
check html_missing_dir_error bash -c "test $rc -eq 1 -a ! -e '$T/ran' && echo '$out' | grep -q 'no such directory'"
# A failed merge leaves no output behind.
"$UL" db merge "$T/failed-merge.db" "$T/seq.db" "$T/garbage.txt" 2>/dev/null; rc=$?
check failed_merge_no_output bash -c "test $rc -eq 2 -a ! -e '$T/failed-merge.db'"
# The HTML page straight from a graph database: its graph and its cycles.
ULOCKDEP_DOT=none "$UL" html "$T/fromdb.html" "$T/k3.db" 2>/dev/null
check html_from_db bash -c "test \$(grep -c 'possible circular locking dependency detected' '$T/fromdb.html') -ge 3 \
  && grep -q 'class=\"class-graph\"' '$T/fromdb.html'"

echo "$pass passed, $fail failed, $skip skipped (graph-db tests)"
test $fail -eq 0
