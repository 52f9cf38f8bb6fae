#!/usr/bin/env bash
# make test-real: real servers (memcached, redis, varnish), sysbench and
# rocksdb's db_bench, each run plain and then under
# build/ulockdep in the same invocation, on loopback ports of their own.
# Fails if a run does not finish or ulockdep reports anything that
# tests/real/suppressions.txt does not suppress. A throughput ratio under
# 90% of the plain run is only a warning: timing must not fail a test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET_PCT=90
TESTS=(memcached redis sysbench rocksdb varnish)

[ -x "$ULOCKDEP" ] || die "$ULOCKDEP not built: run make first"
need_memaslap
need_pkgs memcached:memcached redis-server:redis-server redis-benchmark:redis-tools \
	sysbench:sysbench jq:jq db_bench:rocksdb-tools varnishd:varnish ab:apache2-utils curl:curl

export REAL_WORK REAL_RESULTS
failed=()
for t in "${TESTS[@]}"; do
	"$REAL_DIR/$t.sh" || failed+=("$t")
done

# The table: a ratio is ulockdep throughput over plain throughput.
echo
awk -F'\t' -v target="$TARGET_PCT" '
	BEGIN {
		printf "%-17s %-10s %10s %10s %7s %8s %8s %5s\n", "test", "unit", "plain", "ulockdep",
			"ratio", "reports", "classes", "deps"
	}
	{
		ratio = 100 * $4 / $3
		printf "%-17s %-10s %10s %10s %6.1f%% %8d %8d %5d\n", $1, $2, $3, $4, ratio, $5, $6, $7
		if (ratio < target) slow = slow " " $1
	}
	END { if (slow != "") printf "WARNING: under %d%% of plain throughput:%s\n", target, slow }
' "$REAL_RESULTS"
echo

reported=$(awk -F'\t' '$5 > 0 { printf " %s", $1 }' "$REAL_RESULTS")
[ -n "$reported" ] && say "ulockdep reported in:$reported (logs in $REAL_WORK)"
[ ${#failed[@]} -gt 0 ] && say "failed: ${failed[*]} (logs in $REAL_WORK)"
rows=$(wc -l <"$REAL_RESULTS")
bad=$(awk -F'\t' '$5 > 0' "$REAL_RESULTS" | wc -l)
echo "real: $((rows - bad)) passed, $((bad + ${#failed[@]})) failed"
[ -z "$reported" ] && [ ${#failed[@]} -eq 0 ] || exit 1
rm -rf "$REAL_WORK"
