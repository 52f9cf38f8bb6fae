#!/bin/bash
# Benchmark driver ("make bench").  Runs every row plain, under
# ulockdep (LD_PRELOAD), TSan and Helgrind, and prints one markdown
# report: ns/op, ratio to plain, memory per lock and per class, and the
# issue's targets.  The report also goes to bench/results.md and the
# sweep plot to docs/perf-sweep.svg.
#
# Environment: BENCH_QUICK=1 for a fast smoke run; CC to pick the
# compiler (default cc).  Expects build/libulockdep.so from "make".
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
bin=bench/build
lib=$root/build/libulockdep.so
cc=${CC:-cc}
cflags="-std=c17 -O2 -Wall -Wextra -pthread"
tools="plain ulockdep tsan helgrind"

# Iterations per row are scaled down by $div; Helgrind gets a fixed
# small count (ns/op is measured by the program, so it stays comparable).
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	div=20 reps=2 treps=1 rounds=1 hg_iters=2000 hg_reps=1 server_ms=500 cg=0
else
	div=1 reps=5 treps=3 rounds=3 hg_iters=20000 hg_reps=2 server_ms=2000 cg=1
fi
# BENCH_CALLGRIND=0 skips the instruction counts, 1 forces them.
cg=${BENCH_CALLGRIND:-$cg}
command -v valgrind >/dev/null || cg=0

# id, label, iterations, callgrind ops ("-": none), Helgrind (hg/-),
# program and its extra arguments (tab separated)
rows="lock	uncontended lock/unlock	2000000	100000	hg	lock
nested	nested pair	2000000	100000	hg	nested
nest4	4-deep nesting over 8 classes	1000000	50000	hg	nest4
rwlock	rwlock read + mutex	2000000	100000	hg	rwlock
heap	4096 heap locks of one class	2000000	100000	hg	heap 4096
thr_pair	2 threads, own nested pair	2000000	-	hg	threads pair
thr_shared	2 threads, shared lock	2000000	-	hg	threads shared"
sweep="10 100 1000 10000 100000 1000000"
for n in $sweep; do
	# callgrind at 1M locks would spend minutes on the set-up alone
	c=100000
	[ $n -ge 1000000 ] && c=-
	rows="$rows
sweep$n	sweep: $n live locks	2000000	$c	hg	heap $n rand"
done
# Scaling rows (issue 14): no Helgrind (minutes per row).
rows="$rows
churn1	init/destroy churn, 1 thread	2000000	50000	-	churn 1
churn4	init/destroy churn, 4 threads (Test14 shape)	500000	-	-	churn 4
stacklock	never-initialised stack lock, lock/unlock	2000000	100000	-	stacklock
stress	16K rwlocks of one class, churned (stress test shape)	400000	50000	-	stress 16384
fifo	FIFO unlock at depth 1000 (per lock+unlock)	200000	20000	-	fifo 1000
grow	same-class table doubling (unbound shape)	300000	100000	-	grow
server	cold-started server, first ${server_ms} ms (ns per request)	1	-	-	server $server_ms"

declare -A ns mem avail ins
say() { echo "bench: $*" >&2; }

build() {
	rm -rf $bin/log
	mkdir -p $bin/plain $bin/tsan $bin/log
	avail[plain]=1
	for src in bench/*.c; do
		p=$(basename "$src" .c)
		$cc $cflags "$src" -o $bin/plain/$p || exit 1
	done
	avail[tsan]=1
	for src in bench/*.c; do
		p=$(basename "$src" .c)
		$cc $cflags -fsanitize=thread "$src" -o $bin/tsan/$p \
			2>>$bin/log/tsan-build.err || avail[tsan]=
	done
	[ -n "${avail[tsan]}" ] && $bin/tsan/lock 10 1 >/dev/null 2>&1 ||
		{ avail[tsan]=; say "TSan unavailable, column n/a"; }
	# A private copy, so a rebuild during the run cannot disturb it.
	avail[ulockdep]=1
	if [ -f "$lib" ]; then
		cp "$lib" $bin/libulockdep.so && lib=$root/$bin/libulockdep.so
	else
		avail[ulockdep]=
		say "no $lib (run make), column n/a"
	fi
	avail[helgrind]=1
	command -v valgrind >/dev/null ||
		{ avail[helgrind]=; say "no valgrind, Helgrind column n/a"; }
}

# run TOOL LOGNAME PROG ARGS...: run one program under TOOL.
run() {
	local tool=$1 log=$bin/log/$2 prog=$3
	shift 3
	case $tool in
	plain) $bin/plain/$prog "$@" ;;
	ulockdep) LD_PRELOAD=$lib $bin/plain/$prog "$@" ;;
	lockstat) LD_PRELOAD=$lib ULOCKDEP_OPTIONS="lock_stat=1 log_file=$log.lock_stat" $bin/plain/$prog "$@" ;;
	tsan) $bin/tsan/$prog "$@" ;;
	helgrind) valgrind -q --tool=helgrind $bin/plain/$prog "$@" ;;
	esac >$log.out 2>$log.err
}

# field LOGNAME KEY: value after KEY in a program's output.
field() {
	awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print "n/a" }' \
		$bin/log/$1.out
}

# measure TOOL ID ITERS CMD: one run; keeps the lowest ns/op seen.
measure() {
	local tool=$1 id=$2 iters=$3 it rp v
	shift 3
	case $tool in
	helgrind) it=$hg_iters rp=$hg_reps ;;
	tsan) it=$((iters / div)) rp=$treps ;;
	*) it=$((iters / div)) rp=$reps ;;
	esac
	[ "$it" -ge 1 ] || it=1
	run $tool $tool.$id $1 $it $rp "${@:2}"
	v=$(field $tool.$id ns/op)
	mem[$tool:$id]=$(field $tool.$id VmRSS:)
	if [ "${ns[$tool:$id]}" = n/a ] ||
		{ [ "$v" != n/a ] && awk -v a=$v -v b=${ns[$tool:$id]} 'BEGIN { exit !(a < b) }'; }; then
		ns[$tool:$id]=$v
	fi
}

# Plain and ulockdep alternate for $rounds rounds, so a burst of load
# from elsewhere on the machine hits both alike.
bench_rows() {
	local id label iters cgops hg cmd tool r
	while IFS='	' read -r id label iters cgops hg cmd; do
		for tool in $tools; do
			ns[$tool:$id]=n/a
		done
		for r in $(seq $rounds); do
			for tool in plain ulockdep; do
				[ -n "${avail[$tool]}" ] || continue
				say "$label: $tool ($r/$rounds)"
				measure $tool $id $iters $cmd
			done
		done
		for tool in tsan helgrind; do
			[ -n "${avail[$tool]}" ] || continue
			[ $tool = helgrind ] && [ "$hg" != hg ] && continue
			say "$label: $tool"
			measure $tool $id $iters $cmd
		done
		ins[plain:$id]=n/a ins[ulockdep:$id]=n/a
		if [ "$cg" = 1 ] && [ "$cgops" != - ]; then
			for tool in plain ulockdep; do
				[ -n "${avail[$tool]}" ] || continue
				say "$label: $tool under callgrind"
				ins[$tool:$id]=$(icount $tool $cgops $cmd)
			done
		fi
	done <<<"$rows"
}

# icount TOOL OPS PROG ARGS...: instructions per op under callgrind, the
# run with OPS ops less the run with one (start-up and set-up cancel).
icount() {
	local tool=$1 ops=$2 prog=$3 pre= a b
	shift 3
	[ $tool = ulockdep ] && pre=$lib
	a=$(cgrun "$pre" $prog 1 "$@")
	b=$(cgrun "$pre" $prog $ops "$@")
	calc "($b - $a) / $ops"
}

cgrun() {
	local pre=$1 prog=$2 it=$3
	shift 3
	env ${pre:+LD_PRELOAD=$pre} valgrind --tool=callgrind --callgrind-out-file=$bin/log/callgrind.out \
		$bin/plain/$prog $it 1 "$@" >/dev/null 2>&1
	awk '/^summary:/ { print $2; f = 1 } END { if (!f) print "n/a" }' $bin/log/callgrind.out
	rm -f $bin/log/callgrind.out
}

# Resident size of the churn row at two lengths: a fixed live set should
# not grow with the number of rounds.
bench_growth() {
	local n
	[ -n "${avail[ulockdep]}" ] || return
	for n in 1 4; do
		say "stress memory: $n x"
		run ulockdep ulockdep.growth$n stress $((200000 * n / div)) 1 16384
		mem[growth$n]=$(field ulockdep.growth$n VmRSS:)
	done
}

# What --lock-stat adds over ulockdep alone, on a few rows; the two
# alternate like plain and ulockdep above.
lockstat_rows="lock nested thr_shared"
bench_lockstat() {
	local id label iters cgops hg cmd tool r
	while IFS='	' read -r id label iters cgops hg cmd; do
		case " $lockstat_rows " in *" $id "*) ;; *) continue ;; esac
		ns[lockstat:$id]=n/a
		for r in $(seq $rounds); do
			for tool in ulockdep lockstat; do
				[ -n "${avail[ulockdep]}" ] || continue
				say "$label: $tool ($r/$rounds)"
				measure $tool $id $iters $cmd
			done
		done
	done <<<"$rows"
}

lockstat_table() {
	local id label iters cgops hg cmd u s r
	echo "| row | ulockdep ns/op | ulockdep --lock-stat ns/op | added | goal: at most +30% |"
	echo "|---|---:|---:|---:|---|"
	while IFS='	' read -r id label iters cgops hg cmd; do
		case " $lockstat_rows " in *" $id "*) ;; *) continue ;; esac
		u=${ns[ulockdep:$id]} s=${ns[lockstat:$id]}
		r=$(calc "($s / $u - 1) * 100")
		echo "| $label | $u | $s | +$r% | $(verdict $r '<=' 30) |"
	done <<<"$rows"
	echo
}

# Only ulockdep has classes; plain is the baseline.
bench_classes() {
	local tool m
	for tool in plain ulockdep; do
		[ -n "${avail[$tool]}" ] || continue
		for m in sites loop; do
			say "classes $m: $tool"
			run $tool $tool.classes_$m classes $m
			mem[$tool:classes_$m]=$(field $tool.classes_$m VmRSS:)
		done
	done
}

# calc EXPR: awk arithmetic, "n/a" if any operand is n/a.
calc() {
	case "$*" in
	*n/a*) echo n/a ;;
	*) awk "BEGIN { printf \"%.2f\", $* }" ;;
	esac
}

machine() {
	echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
	command -v lscpu >/dev/null &&
		echo "- caches: $(lscpu | awk -F': *' '/^L[23] cache/ { printf "%s %s; ", $1, $2 }')hypervisor: $(lscpu | awk -F': *' '/Hypervisor vendor/ { print $2 }')"
	echo "- load average at start: $load"
	echo "- compiler: $($cc --version | head -n1)"
	echo "- ulockdep: commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' with uncommitted changes in src/ or include/')"
	echo "- valgrind: $(valgrind --version 2>/dev/null || echo none)"
	echo "- iterations: $((2000000 / div)) (nest4 $((1000000 / div))), best of $reps in each of $rounds alternating plain/ulockdep runs; TSan best of $treps; Helgrind $hg_iters, best of $hg_reps"
	[ "${BENCH_QUICK:-0}" = 1 ] && echo "- BENCH_QUICK=1: smoke run, numbers are noisy"
	echo
}

table() {
	local id label iters cgops hg cmd p u t h
	echo "| row | plain ns/op | ulockdep ns/op (x plain) | TSan ns/op (x plain) | Helgrind ns/op (x plain) | TSan / ulockdep | instr/op plain | instr/op ulockdep (x plain) |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	while IFS='	' read -r id label iters cgops hg cmd; do
		p=${ns[plain:$id]} u=${ns[ulockdep:$id]}
		t=${ns[tsan:$id]} h=${ns[helgrind:$id]}
		[ "$hg" = hg ] || h=-
		echo "| $label | $p | $u ($(ratio $u $p)) | $t ($(ratio $t $p)) | $h$([ "$h" = - ] || echo " ($(ratio $h $p))") | $(ratio $t $u) | ${ins[plain:$id]} | ${ins[ulockdep:$id]} ($(ratio ${ins[ulockdep:$id]} ${ins[plain:$id]})) |"
	done <<<"$rows"
	echo
}

# Extra bytes over plain, per object: the 1M-lock sweep minus the
# 10-lock one (removes fixed costs), and 10,000 classes minus 1 class
# (only ulockdep has classes).
memory() {
	local tool a b
	echo "| tool | extra bytes per live lock (VmRSS) | extra bytes per class (VmRSS) |"
	echo "|---|---:|---:|"
	for tool in ulockdep tsan helgrind; do
		[ -n "${avail[$tool]}" ] || continue
		a=$(calc "((${mem[$tool:sweep1000000]} - ${mem[plain:sweep1000000]}) - (${mem[$tool:sweep10]} - ${mem[plain:sweep10]})) * 1024 / 999990")
		b=-
		[ $tool = ulockdep ] &&
			b=$(calc "((${mem[$tool:classes_sites]} - ${mem[$tool:classes_loop]}) - (${mem[plain:classes_sites]} - ${mem[plain:classes_loop]})) * 1024 / 9999")
		echo "| $tool | $a | $b |"
	done
	echo
	echo "VmRSS (kB) at 10 / 1,000,000 live locks: $(for tool in $tools; do
		printf '%s %s / %s; ' $tool "${mem[$tool:sweep10]:-n/a}" "${mem[$tool:sweep1000000]:-n/a}"; done)"
	echo
	echo "VmRSS (kB) with 10,000 locks in 1 class / 10,000 classes: $(for tool in plain ulockdep; do
		printf '%s %s / %s; ' $tool "${mem[$tool:classes_loop]:-n/a}" "${mem[$tool:classes_sites]:-n/a}"; done)"
	echo "VmRSS (kB) under ulockdep of the churned 16K-lock row after N and 4N rounds: ${mem[growth1]:-n/a} / ${mem[growth4]:-n/a}"
	echo
}

# ratio A B: "A/Bx", or n/a.
ratio() {
	local r
	r=$(calc "$1 / $2")
	[ "$r" = n/a ] && echo n/a || echo "${r}x"
}

# verdict VALUE OP LIMIT: "met" or "NOT met".
verdict() {
	case $1 in
	n/a) echo "n/a" ;;
	*) awk -v v=$1 -v l=$3 "BEGIN { print (v $2 l) ? \"met\" : \"NOT met\" }" ;;
	esac
}

# target LABEL VALUE OP LIMIT [SHOWN]: one row of the targets table.
target() {
	echo "| $1 | ${5:-$2} | $(verdict $2 "$3" $4) |"
}

targets() {
	local id r worst wid label iters cgops hg cmd
	echo "| target (issue 14) | measured | verdict |"
	echo "|---|---:|---|"
	for id in nested nest4 rwlock heap; do
		r=$(calc ${ns[ulockdep:$id]} / ${ns[plain:$id]})
		target "$id <= 1.5x plain" $r '<=' 1.5 "$(ratio ${ns[ulockdep:$id]} ${ns[plain:$id]}) (instr $(ratio ${ins[ulockdep:$id]} ${ins[plain:$id]}))"
	done
	worst=n/a
	for n in $sweep; do
		r=$(calc ${ns[ulockdep:sweep$n]} / ${ns[plain:sweep$n]})
		[ "$r" = n/a ] && continue
		if [ "$worst" = n/a ] || [ "$(verdict $r '>' $worst)" = met ]; then
			worst=$r wid=$n
		fi
	done
	target "every sweep size <= 2x plain" $worst '<=' 2 "worst $(ratio $worst 1) at $wid locks"
	r=$(calc ${ns[ulockdep:churn1]} / ${ns[plain:churn1]})
	target "init/destroy churn <= 3x plain" $r '<=' 3 "$(ratio ${ns[ulockdep:churn1]} ${ns[plain:churn1]}) (4 threads: $(ratio ${ns[ulockdep:churn4]} ${ns[plain:churn4]}))"
	for id in stress churn4; do
		r=$(calc ${ns[ulockdep:$id]} / ${ns[tsan:$id]})
		target "$id no slower than TSan" $r '<=' 1 "$(ratio ${ns[ulockdep:$id]} ${ns[tsan:$id]}) of TSan"
	done
	r=$(calc ${ns[plain:server]} / ${ns[ulockdep:server]})
	target "cold-started server >= 0.95 of plain throughput" $r '>=' 0.95
	r=$(calc "((${mem[ulockdep:sweep1000000]} - ${mem[plain:sweep1000000]}) - (${mem[ulockdep:sweep10]} - ${mem[plain:sweep10]})) * 1024 / 999990")
	target "memory per live lock <= 64 bytes" $r '<=' 64
	r=$(calc "${mem[growth4]} - ${mem[growth1]}")
	target "no growth under churn of a fixed live set (kB, 4x the rounds)" $r '<=' 1024
	echo
}

# Anything a tool printed on stderr: these programs are correct, so
# every tool should stay silent.
complaints() {
	local f any=
	for f in $bin/log/*.err; do
		case $f in *build.err) continue ;; esac
		if [ -s "$f" ]; then
			echo "- $(basename "$f" .err) printed something, see $f"
			any=1
		fi
	done
	[ -n "$any" ] || echo "- no tool printed a report or warning"
	echo
}

sweep_plot() {
	local tool n
	for tool in $tools; do
		for n in $sweep; do
			echo "$tool $n ${ns[$tool:sweep$n]}"
		done
	done >$bin/sweep.dat
	python3 bench/plot.py $bin/sweep.dat docs/perf-sweep.svg ||
		say "plot failed"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
build
bench_rows
bench_lockstat
bench_classes
bench_growth
mkdir -p docs
sweep_plot
{
	echo "# ulockdep benchmark results"
	echo
	machine
	echo "## ns per operation"
	echo
	table
	echo "## Resident memory"
	echo
	memory
	echo "## --lock-stat on top of ulockdep"
	echo
	lockstat_table
	echo "## Targets"
	echo
	targets
	echo "## Reports"
	echo
	complaints
	echo "Plot of the sweep: docs/perf-sweep.svg"
} | tee bench/results.md
