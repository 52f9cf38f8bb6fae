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

source tests/lib/gate.sh
rt_gate
ok()   { if [ "$RT_OK" = 1 ]; then echo "PASS $1"; pass=$((pass + 1)); else bad "$1" "the runtime is not working"; fi; }
bad()  { echo "FAIL $1: $2"; fail=$((fail + 1)); }
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n" "$*"; fi; }

for p in contended rwsplit abba_profile html_demo; do
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

# --html (expected: the page has the circular report with its kernel text,
# the cycle drawn, the class graph as SVG with the cycle edges marked, the
# lock_stat table with queue_lock's contention, and a suppression rule).
# ULOCKDEP_DOT=none: our own layout, whether or not Graphviz is installed.
H=$T/page.html
before=$(ls -d /tmp/ulockdep-html-* 2>/dev/null | sort)
ULOCKDEP_DOT=none "$UL" --html "$H" -- "$T/html_demo" >/dev/null 2>"$T/h.err"
check html_written grep -q "HTML report: $H" "$T/h.err"
check html_report grep -q 'WARNING: possible circular locking dependency detected' "$H"
check html_cycle_svg grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="cycle-svg"' "$H"
check html_graph_svg grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="class-graph"' "$H"
check html_cycle_edges test "$(grep -c 'class="edge cycle"' "$H")" -ge 4
check html_stat_rows bash -c "grep -q '<tr><td>queue_lock</td><td data-v=\"[0-9]*\">[0-9]*</td><td data-v=\"1\">1</td>' '$H' \
  && grep -q '<tr><td>table_lock-R</td>' '$H' && grep -q '<tr><td>table_lock-W</td>' '$H'"
check html_suppression grep -q '<code class="rule">circular [a-z_]*lock # &lt;reason&gt;</code>' "$H"
check html_self_contained bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$H'"
after=$(ls -d /tmp/ulockdep-html-* 2>/dev/null | sort)
check html_no_temp_left test -z "$(comm -13 <(echo "$before") <(echo "$after"))"
# a program run by a shell: the page still has the program's graph and
# report, not only the shell's (empty) one
ULOCKDEP_DOT=none "$UL" --html "$T/sh.html" -- bash -c "'$T/html_demo' >/dev/null; true" 2>/dev/null
check html_child_process bash -c "grep -q 'class=\"class-graph\"' '$T/sh.html' && grep -q 'possible circular locking' '$T/sh.html' \
  && test \$(grep -o '<th>program</th>' '$T/sh.html' | wc -l) -eq 2"
# the same page from saved files: ulockdep html OUT INPUT...
"$UL" --lock-stat --json "$T/s.json" --graph "$T/g" --log-file "$T/s.log" -- "$T/html_demo" >/dev/null
ULOCKDEP_DOT=none "$UL" html "$T/saved.html" "$T/s.json" "$T/g.json"
check html_cmd bash -c "grep -q 'possible circular locking' '$T/saved.html' && grep -q 'class=\"class-graph\"' '$T/saved.html' \
  && grep -q '<tr><td>queue_lock</td>' '$T/saved.html'"
# Graphviz when present: the page inlines dot's SVG without its XML
# prologue (a stand-in dot here, so the test runs without Graphviz)
printf '#!/bin/sh\necho "<?xml version=\\"1.0\\"?>"\necho "<svg id=\\"from-dot\\" data-args=\\"$*\\"></svg>"\n' >"$T/fakedot"
chmod +x "$T/fakedot"
ULOCKDEP_DOT="$T/fakedot" "$UL" html "$T/dot.html" "$T/s.json" "$T/g.json"
check html_uses_dot bash -c "grep -q '<svg id=\"from-dot\" data-args=\"-Tsvg $T/g.dot\"' '$T/dot.html' \
  && ! grep -q '<?xml' '$T/dot.html' && ! grep -q 'class=\"class-graph\"' '$T/dot.html'"
# Graphviz after a run under --html runs with none of ulockdep's variables
# (else it runs under ulockdep and writes into the program's outputs)
printf '#!/bin/sh\nenv >"%s/dot.env"\necho "<svg id=\\"from-dot\\"></svg>"\n' "$T" >"$T/envdot"
chmod +x "$T/envdot"
ULOCKDEP_DOT="$T/envdot" "$UL" --html "$T/envdot.html" --json "$T/envdot.json" -- "$T/html_demo" >/dev/null 2>&1
check html_dot_clean_env bash -c "grep -q from-dot '$T/envdot.html' && test -s '$T/dot.env' \
  && ! grep -q '^LD_PRELOAD=.*libulockdep\|^ULOCKDEP_OPTIONS=\|^ULOCKDEP_FDS=' '$T/dot.env'"
# a graph of more than 300 classes is laid out by the page itself, with a note
printf '#include <pthread.h>\npthread_mutex_t m[320];\nint main(void){for(int i=0;i+1<320;i++){pthread_mutex_lock(&m[i]);pthread_mutex_lock(&m[i+1]);pthread_mutex_unlock(&m[i+1]);pthread_mutex_unlock(&m[i]);}return 0;}\n' >"$T/many.c"
cc -O1 -pthread -o "$T/many" "$T/many.c"
"$UL" --graph "$T/many" -- "$T/many" >/dev/null 2>&1
rm -f "$T/dot.env"
ULOCKDEP_DOT="$T/envdot" "$UL" html "$T/many.html" "$T/many.json" 2>"$T/many.err"
check html_big_graph_builtin bash -c "grep -q 'class=\"class-graph\"' '$T/many.html' && ! test -e '$T/dot.env' \
  && grep -q 'built-in layout' '$T/many.err'"
cp "$T/s.json" "$T/in.json"
"$UL" html "$T/in.json" "$T/in.json" 2>/dev/null; rc=$?
check html_out_is_input_refused bash -c "test $rc -eq 1 && cmp -s '$T/s.json' '$T/in.json'"
"$UL" html "$T/bad.html" "$T/s.log" 2>/dev/null
check html_cmd_rejects_text test $? -eq 1 -a ! -e "$T/bad.html"
ln -s "$T/target" "$T/link.html"
"$UL" html "$T/link.html" "$T/s.json" 2>/dev/null
check html_no_symlink_follow test $? -eq 1 -a ! -e "$T/target"

# the page in a real browser: headless Chromium renders it, runs the
# sorting script (#sort-8-desc: acquisitions, largest first) and keeps a
# screenshot
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "SKIP html_chromium: chromium not installed"
  skip=$((skip + 1))
else
  copts="--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=$T/chrome"
  timeout 120 "$chrome" $copts --dump-dom "file://$H#sort-8-desc" >"$T/dom.html" 2>"$T/chrome.err"
  check chromium_dom_report grep -q '<div class="report" id="report-1">' "$T/dom.html"
  check chromium_dom_svg grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="class-graph"' "$T/dom.html"
  check chromium_dom_table test "$(grep -o '<tr><td>' "$T/dom.html" | wc -l)" -ge 6
  # sorted by the page's script: table_lock-R (100 acquisitions) first
  first=$(sed -n '/<table class="sortable lockstat">/,/<\/table>/p' "$T/dom.html" | grep -o '<tr><td>[^<]*' | head -n1 | sed 's/<tr><td>//')
  check chromium_sorted test "$first" = table_lock-R
  check chromium_sort_marker grep -q '<th class="desc">acquisitions</th>' "$T/dom.html"
  mkdir -p "$B"
  rm -f "$B/lockstat-html.png"
  timeout 120 "$chrome" $copts --window-size=1300,1500 --screenshot="$B/lockstat-html.png" "file://$H" >/dev/null 2>&1
  check chromium_screenshot test -s "$B/lockstat-html.png"
  echo "screenshot of the page: $B/lockstat-html.png"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
