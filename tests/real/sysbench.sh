#!/usr/bin/env bash
# sysbench's lock tests, the whole program under ulockdep:
#   mutex:   2 threads each take random locks of a 4096-mutex array;
#            throughput = mutex locks/s over the run.
#   threads: 4 threads lock one of 8 mutexes, sched_yield, unlock, 1000
#            times per event, for a fixed time; throughput = events/s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MUTEX_LOCKS=${SYSBENCH_MUTEX_LOCKS:-1000000}
MUTEX_LOOPS=${SYSBENCH_MUTEX_LOOPS:-10000}
THREADS_SECS=${SYSBENCH_THREADS_SECS:-8}

need_pkgs sysbench:sysbench jq:jq

# sysbench_stat OUT FIELD: the number after "FIELD:" in the statistics.
sysbench_stat() {
	awk -v f="$2:" '{ sub(/^ +/, "") } index($0, f) == 1 { v = $NF; sub(/s$/, "", v); print v }' "$1"
}

# mutex_once MODE NAME
mutex_once() {
	local secs
	wrap "$1" "$2"
	bounded 120 "$LOG" "${WRAP[@]}" sysbench mutex --threads=2 \
		--mutex-locks="$MUTEX_LOCKS" --mutex-loops="$MUTEX_LOOPS" run
	secs=$(number "sysbench total time" "$(sysbench_stat "$LOG" "total time")")
	THROUGHPUT=$(awk -v n="$MUTEX_LOCKS" -v t="$secs" 'BEGIN { printf "%.0f", 2 * n / t }')
}

# threads_once MODE NAME
threads_once() {
	local secs events
	wrap "$1" "$2"
	bounded $((THREADS_SECS + 60)) "$LOG" "${WRAP[@]}" sysbench threads --threads=4 \
		--time="$THREADS_SECS" run
	secs=$(number "sysbench total time" "$(sysbench_stat "$LOG" "total time")")
	events=$(number "sysbench events" "$(sysbench_stat "$LOG" "total number of events")")
	THROUGHPUT=$(awk -v n="$events" -v t="$secs" 'BEGIN { printf "%.0f", n / t }')
}

compare sysbench-mutex locks/s mutex_once
compare sysbench-threads events/s threads_once
