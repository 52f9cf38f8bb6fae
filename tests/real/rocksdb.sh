#!/usr/bin/env bash
# rocksdb's db_bench (2 threads: fillrandom, then readrandom with a
# readwhilewriting mix) on a scratch database. Throughput: readrandom's
# ops/sec. Besides no report, the classes must follow rocksdb's roles: every
# port::Mutex is initialised in its C++ constructor, so a class per init
# site would make the DB mutex and ~1000 cache-shard mutexes one class (a
# false cycle through static_mutex). The graph must have the shard class
# (LRUCacheShard's constructor) apart from the DBImpl ones.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NUM=${ROCKSDB_NUM:-50000}

need_pkgs db_bench:rocksdb-tools jq:jq

# rocksdb_once MODE NAME
rocksdb_once() {
	local db=$REAL_WORK/rocksdb.db
	rm -rf "$db"
	wrap "$1" "$2"
	bounded 300 "$LOG" "${WRAP[@]}" db_bench --db="$db" --threads=2 --num="$NUM" \
		--benchmarks=fillrandom,readrandom,readwhilewriting --cache_size=8388608 \
		--statistics=0 --histogram=0
	THROUGHPUT=$(number "db_bench readrandom ops/sec" \
		"$(awk '$1 == "readrandom" { for (i = 1; i < NF; i++) if ($(i + 1) == "ops/sec") print $i }' "$LOG" | tr -d '\r')")
	[ "$1" = ulockdep ] && roles_checked "$2"
	rm -rf "$db"
}

# roles_checked NAME: per-role classes in the run's graph.
roles_checked() {
	local graph=$REAL_WORK/$1.graph.json
	[ -s "$graph" ] || die "$1: no lock graph"
	jq -e '[.classes[].name | select(test("LRUCacheShard::LRUCacheShard"))] | length > 0' "$graph" >/dev/null ||
		die "$1: no class for LRUCacheShard's mutexes (constructor-made locks merged?)"
	jq -e '[.classes[].name | select(test("DBImpl::DBImpl"))] | length > 0' "$graph" >/dev/null ||
		die "$1: no class for DBImpl's mutexes (constructor-made locks merged?)"
	local n
	n=$(jq '.classes | length' "$graph")
	[ "$n" -ge 20 ] || die "$1: only $n lock classes: roles merged"
	say "$1: $n classes; shard and DBImpl mutexes in classes of their own"
}

compare rocksdb ops/s rocksdb_once
