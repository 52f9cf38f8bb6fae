# Helpers shared by the real-server tests. Sourced, never run.
#
# Each server script (memcached.sh, redis.sh, sysbench.sh) measures its
# program twice in the same invocation, plain and under build/ulockdep, and
# appends one row per workload to $REAL_RESULTS:
#   name <TAB> unit <TAB> plain <TAB> ulockdep <TAB> reports <TAB> classes <TAB> deps
# (classes and dependencies: what ulockdep saw in that run, from --graph).
# run.sh prints those rows as a table and decides pass or fail.

REAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$REAL_DIR/../.." && pwd)
ULOCKDEP=${ULOCKDEP:-$ROOT/build/ulockdep}
SUPPRESSIONS=$REAL_DIR/suppressions.txt
REPORT_EXIT=66      # ulockdep --exitcode: the program's status when it reported
START_SECS=20       # a server must accept connections within this
STOP_SECS=20        # and exit within this after SIGTERM

# A script run alone gets its own scratch dir; under run.sh it shares one.
if [ -z "${REAL_WORK:-}" ]; then
	REAL_WORK=$(mktemp -d /tmp/ulockdep-real.XXXXXX)
	REAL_RESULTS=$REAL_WORK/results.tsv
	printf '[real] logs in %s\n' "$REAL_WORK" >&2
fi
: >>"$REAL_RESULTS"

say() { printf '[real] %s\n' "$*" >&2; }
die() {
	say "FAIL: $*"
	exit 1
}

# need_pkgs CMD:PACKAGE ...: apt-get install the packages whose command is
# missing; apt-get update runs only when something has to be installed.
need_pkgs() {
	local pair missing=()
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); install them as root"
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The memcached load generator is memcaslap or memaslap, by package version.
need_memaslap() {
	command -v memcaslap >/dev/null || command -v memaslap >/dev/null ||
		need_pkgs memcaslap:libmemcached-tools
}
find_memaslap() {
	command -v memcaslap || command -v memaslap || die "libmemcached-tools has no memcaslap/memaslap"
}

# wrap MODE NAME: set WRAP to the command prefix for MODE (plain|ulockdep).
# Under ulockdep the JSON reports go to $REAL_WORK/NAME.json, the lock graph
# to NAME.graph.json, and the program exits with $REPORT_EXIT if it reported.
wrap() {
	WRAP=()
	EXIT_REPORTED=0
	JSON=$REAL_WORK/$2.json
	LOG=$REAL_WORK/$2.$1.log
	[ "$1" = plain ] && return 0
	[ -x "$ULOCKDEP" ] || die "$ULOCKDEP not built: run make first"
	rm -f "$JSON" "$REAL_WORK/$2.graph.json"
	WRAP=("$ULOCKDEP" --json "$JSON" --graph "$REAL_WORK/$2.graph" --exitcode "$REPORT_EXIT"
		--suppressions "$SUPPRESSIONS" --)
}

# port_open PORT: true when something accepts TCP connections on it.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_server PORT CMD...: start "${WRAP[@]}" CMD in its own session (so a
# kill -9 fallback can take the whole process group) and wait for PORT.
start_server() {
	local port=$1 i
	shift
	port_open "$port" && die "port $port is already in use"
	setsid "${WRAP[@]}" "$@" >"$LOG" 2>&1 &
	SERVER_PID=$!
	for ((i = 0; i < START_SECS * 10; i++)); do
		port_open "$port" && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 30 "$LOG" >&2
	die "$1 did not start listening on 127.0.0.1:$port"
}

# stop_server: SIGTERM (the launcher forwards it), wait, then SIGKILL the
# process group. Sets SERVER_RC to the exit status.
# shellcheck disable=SC2034 # SERVER_RC is read by the server scripts
stop_server() {
	local i
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	for ((i = 0; i < STOP_SECS * 10; i++)); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=
		tail -n 30 "$LOG" >&2
		die "server did not exit within ${STOP_SECS}s of SIGTERM"
	fi
	SERVER_RC=0
	wait "$SERVER_PID" || SERVER_RC=$?
	SERVER_PID=
}

# On any exit, take down a server we left running.
kill_leftover() {
	if [ -n "${SERVER_PID:-}" ]; then
		kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
	fi
}
trap kill_leftover EXIT

# bounded SECS OUT CMD...: run CMD with a hard time limit, output to OUT.
# A program run under ulockdep may exit with $REPORT_EXIT: it reported, and
# the reports are counted from the JSON file.
bounded() {
	local secs=$1 out=$2 rc=0
	shift 2
	timeout -k 5 "$secs" "$@" >"$out" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] && return 0
	if [ "$1" = "$ULOCKDEP" ] && [ "$rc" -eq "$REPORT_EXIT" ]; then
		EXIT_REPORTED=1
		return 0
	fi
	tail -n 30 "$out" >&2
	[ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && die "$1 did not finish within ${secs}s"
	die "$1 exited with status $rc"
}

# check_exit MODE NAME RC: the program's own exit status must be 0; under
# ulockdep $REPORT_EXIT means it reported (counted from the JSON instead).
check_exit() {
	[ "$3" -eq 0 ] && return 0
	if [ "$1" = ulockdep ] && [ "$3" -eq "$REPORT_EXIT" ]; then
		EXIT_REPORTED=1
		return 0
	fi
	tail -n 30 "$LOG" >&2
	die "$2 ($1) exited with status $3"
}

# count_reports NAME: number of (unsuppressed) reports in NAME's JSON file,
# each one printed with its kind and message.
count_reports() {
	local json=$REAL_WORK/$1.json
	[ -s "$json" ] || {
		echo 0
		return 0
	}
	jq -e . "$json" >/dev/null || die "$json is not valid JSON lines"
	jq -r '"[real] \(.kind): \(.message) [\(.locks | map(tostring) | join(", "))]"' "$json" >&2
	jq -s length "$json"
}

# graph_stats NAME: "CLASSES DEPS" from the run's lock graph. A run where
# ulockdep saw no lock at all proves nothing, so that fails.
graph_stats() {
	local graph=$REAL_WORK/$1.graph.json stats
	[ -s "$graph" ] || die "$1: ulockdep wrote no lock graph ($graph): was it preloaded?"
	stats=$(jq -r '"\(.classes | length) \(.edges | length)"' "$graph")
	[ "${stats%% *}" -gt 0 ] || die "$1: ulockdep saw no lock class"
	echo "$stats"
}

# record NAME UNIT PLAIN ULOCKDEP REPORTS CLASSES DEPS: one table row.
record() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$REAL_RESULTS"
	say "$1: plain $3 $2, ulockdep $4 $2, $5 report(s), $6 lock classes, $7 dependencies"
}

# ulockdep_checked NAME: after a ulockdep run, the exit status and the JSON
# must agree on whether it reported; sets REPORTS, CLASSES and DEPS.
ulockdep_checked() {
	local stats
	REPORTS=$(count_reports "$1")
	stats=$(graph_stats "$1")
	read -r CLASSES DEPS <<<"$stats"
	[ $((REPORTS > 0)) -eq "$EXIT_REPORTED" ] ||
		die "$1: $REPORTS JSON report(s) but exit-status-says-reported=$EXIT_REPORTED"
	if [ "$REPORTS" -gt 0 ]; then
		say "$1: ulockdep reported; text reports in $REAL_WORK/$1.ulockdep.log"
	fi
}

# compare NAME UNIT FUNC: run FUNC plain and under ulockdep (FUNC MODE NAME
# sets THROUGHPUT), REAL_ROUNDS times (default 2), alternating as plain,
# ulockdep, ulockdep, plain... and record the best of each, so that one busy
# moment on a 2-core machine does not decide the ratio. Every ulockdep run
# is checked for reports. Logs stay in $REAL_WORK.
compare() {
	local name=$1 unit=$2 func=$3 rounds=${REAL_ROUNDS:-2} plain=0 ul=0 reports=0 r mode
	for ((r = 0; r < rounds; r++)); do
		for mode in $( ((r % 2)) && echo ulockdep plain || echo plain ulockdep); do
			say "$name: $mode run $((r + 1))/$rounds"
			"$func" "$mode" "$name"
			if [ "$mode" = plain ]; then
				plain=$(awk -v a="$plain" -v b="$THROUGHPUT" 'BEGIN { print (b > a) ? b : a }')
			else
				ul=$(awk -v a="$ul" -v b="$THROUGHPUT" 'BEGIN { print (b > a) ? b : a }')
				ulockdep_checked "$name"
				reports=$((reports + REPORTS))
			fi
		done
	done
	record "$name" "$unit" "$plain" "$ul" "$reports" "$CLASSES" "$DEPS"
}

# number WHAT VALUE: VALUE must be a positive number parsed from a client.
number() {
	if [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v v="$2" 'BEGIN { exit !(v > 0) }'; then
		echo "$2"
	else
		die "could not parse $1 (got '$2')"
	fi
}
