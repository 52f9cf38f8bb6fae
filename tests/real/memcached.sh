#!/usr/bin/env bash
# memcached with 2 worker threads on 127.0.0.1:21211 under memcaslap load
# (2 client threads, 32 connections) for 15 s. Throughput: memcaslap's TPS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${MEMCACHED_PORT:-21211}
SECS=${MEMCACHED_SECS:-15}

need_pkgs memcached:memcached jq:jq
need_memaslap
MEMASLAP=$(find_memaslap)

# memcached_once MODE NAME
memcached_once() {
	local out=$REAL_WORK/$2.$1.client
	wrap "$1" "$2"
	start_server "$PORT" memcached -l 127.0.0.1 -p "$PORT" -U 0 -t 2 -m 64 -c 1024 -u "$(id -un)"
	bounded $((SECS + 60)) "$out" "$MEMASLAP" -s "127.0.0.1:$PORT" -T 2 -c 32 -t "${SECS}s"
	stop_server
	check_exit "$1" memcached "$SERVER_RC"
	# Last line: "Run time: 15.0s Ops: 2035466 TPS: 135697 Net_rate: ..."
	THROUGHPUT=$(number "memcaslap TPS" "$(awk '{ for (i = 1; i < NF; i++) if ($i == "TPS:") v = $(i + 1) } END { print v }' "$out")")
}

compare memcached ops/s memcached_once
