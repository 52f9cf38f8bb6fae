#!/usr/bin/env bash
# make test: run each stage (make test-STAGE), keep its log, and end with one
# line that adds up every stage: "N passed, N failed, N skipped". A stage
# counts through its own closing "N passed, N failed" lines and its
# "SKIP name: reason" lines; a stage that fails without such a line counts
# as one failure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
logs=$BUILD/test-logs
mkdir -p "$logs"
passed=0 failed=0 skipped=0 bad_stages=()
for stage in "$@"; do
  echo "== test-$stage =="
  log=$logs/$stage.log
  make --no-print-directory "test-$stage" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  p=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | awk '{s += $1} END {print s + 0}')
  f=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | awk '{s += $3} END {print s + 0}')
  s=$(grep -c '^SKIP ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL stage $stage: exited $rc without a failing test (build error?)"
    f=1
  fi
  [ "$f" -gt 0 ] && bad_stages+=("$stage")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
echo
[ ${#bad_stages[@]} -gt 0 ] && echo "failing stages: ${bad_stages[*]} (logs in $logs/)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
