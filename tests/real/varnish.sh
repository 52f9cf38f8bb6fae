#!/usr/bin/env bash
# varnishd (7.x) on 127.0.0.1:26081, answering from its cache: a VCL whose
# backend is unreachable turns the error into a cached 200 object, so there
# is no backend process. Load: ab, 16 keep-alive connections, then a pass
# over 300 distinct URLs (cache inserts). Throughput: ab's requests/s.
# All of varnish's locks are made in Lck__New() (a generic wrapper, found
# by its name): the classes must be per role (SES_New, BAN_Init, EXP_Init
# ...), not one class of 400 locks. The manager forks the worker child, so
# the graph is per pid (--graph FILE.%p) and the child's is the biggest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${VARNISH_PORT:-26081}
REQUESTS=${VARNISH_REQUESTS:-50000}

need_pkgs varnishd:varnish ab:apache2-utils curl:curl jq:jq

VCL=$REAL_WORK/varnish.vcl
cat >"$VCL" <<'VCL'
vcl 4.1;
backend default { .host = "127.0.0.1"; .port = "1"; }
sub vcl_backend_error {
	set beresp.status = 200;
	set beresp.ttl = 120s;
	synthetic("cached by varnish under ulockdep");
	return (deliver);
}
VCL

# varnish_once MODE NAME
varnish_once() {
	local out=$REAL_WORK/$2.$1.client urls=$REAL_WORK/varnish.urls i
	wrap "$1" "$2"
	if [ "$1" = ulockdep ]; then
		rm -f "$REAL_WORK/$2".graph.*
		WRAP=("$ULOCKDEP" --json "$JSON" --graph "$REAL_WORK/$2.graph.%p" --exitcode "$REPORT_EXIT"
			--suppressions "$SUPPRESSIONS" --)
	fi
	rm -rf "$REAL_WORK/varnish.work"
	start_server "$PORT" varnishd -F -j none -a "127.0.0.1:$PORT" -f "$VCL" \
		-n "$REAL_WORK/varnish.work" -s malloc,32m
	bounded 120 "$out" ab -q -n "$REQUESTS" -c 16 -k "http://127.0.0.1:$PORT/hot"
	for ((i = 0; i < 300; i++)); do
		printf 'url = "http://127.0.0.1:%s/u%d"\noutput = "/dev/null"\n' "$PORT" "$i"
	done >"$urls"
	timeout 60 curl -sf -K "$urls" || die "varnish: URL pass failed"
	stop_server
	check_exit "$1" varnishd "$SERVER_RC"
	THROUGHPUT=$(number "ab requests/s" "$(awk '/^Requests per second:/ { print $4 }' "$out")")
	if [ "$1" = ulockdep ]; then
		# the worker child's graph (most classes) stands for the run
		local g best=0 n
		for g in "$REAL_WORK/$2".graph.*.json; do
			# a process that exited before writing its graph leaves an empty file
			n=$(jq '.classes | length' "$g" 2>/dev/null)
			[ "${n:-0}" -gt "$best" ] && best=$n && cp "$g" "$REAL_WORK/$2.graph.json"
		done
		roles_checked "$2"
	fi
}

# roles_checked NAME: Lck__New's locks are classed per role.
roles_checked() {
	local graph=$REAL_WORK/$1.graph.json n role
	[ -s "$graph" ] || die "$1: no lock graph"
	for role in SES_New BAN_Init EXP_Init; do
		jq -e --arg r "$role" '[.classes[].name | select(startswith($r))] | length > 0' "$graph" >/dev/null ||
			die "$1: no class for the $role locks (Lck__New's locks merged?)"
	done
	n=$(jq '.classes | length' "$graph")
	[ "$n" -ge 20 ] || die "$1: only $n lock classes: roles merged"
	say "$1: $n classes in the worker; SES_New, BAN_Init and EXP_Init locks in classes of their own"
}

compare varnish req/s varnish_once
