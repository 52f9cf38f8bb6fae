#!/usr/bin/env bash
# redis-server on 127.0.0.1:26379 with 2 I/O threads (reads threaded too),
# under redis-benchmark SET then GET, a fixed request count each.
# Throughput: requests/s over both tests (harmonic mean of the two rates).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${REDIS_PORT:-26379}
REQUESTS=${REDIS_REQUESTS:-300000}

need_pkgs redis-server:redis-server redis-benchmark:redis-tools redis-cli:redis-tools jq:jq

# redis_once MODE NAME
redis_once() {
	local out=$REAL_WORK/$2.$1.client threaded
	wrap "$1" "$2"
	start_server "$PORT" redis-server --bind 127.0.0.1 --port "$PORT" \
		--io-threads 2 --io-threads-do-reads yes \
		--save '' --appendonly no --dir "$REAL_WORK" --logfile "" --daemonize no
	bounded 180 "$out" redis-benchmark -h 127.0.0.1 -p "$PORT" -t set,get \
		-n "$REQUESTS" -c 50 --threads 2 --csv
	# The I/O threads must really have carried requests.
	threaded=$(timeout 10 redis-cli -h 127.0.0.1 -p "$PORT" info stats |
		awk -F: '/^io_threaded_reads_processed:/ { print $2 + 0 }') ||
		die "redis-cli INFO failed"
	stop_server
	check_exit "$1" redis-server "$SERVER_RC"
	[ "${threaded:-0}" -gt 0 ] || die "redis I/O threads processed no reads"
	say "redis ($1): $(awk -F'"' '$2 == "SET" || $2 == "GET" { printf "%s %s req/s, ", $2, $4 }' "$out")reads by I/O threads: $threaded"
	# CSV lines: "SET","57012.54",... and "GET","53205.64",...
	THROUGHPUT=$(number "redis-benchmark rps" "$(awk -F'"' '$2 == "SET" || $2 == "GET" { n++; inv += 1 / $4 }
		END { if (n == 2) printf "%.0f", 2 / inv }' "$out")")
}

compare redis req/s redis_once
