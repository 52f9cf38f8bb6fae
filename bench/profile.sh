#!/bin/bash
# Instruction counts per op under callgrind, plain vs ulockdep, and the
# runtime functions that cost them.  Run bench/run.sh first (it builds
# the programs).
#
# Usage: bench/profile.sh OPS PROG [ARGS...]
#   e.g. bench/profile.sh 400000 nested
#        bench/profile.sh 400000 heap 1000000 rand
# OPS is the iteration count; the op counts of one program call are
# compared, so fixed costs (startup, init) are measured once with ITERS=1
# and subtracted.
set -eu
cd "$(dirname "$0")/.."
ops=$1 prog=$2
shift 2
args=("$@")
bin=bench/build/plain
lib=$PWD/build/libulockdep.so
out=bench/build/callgrind
mkdir -p $out

# count NAME ITERS PRELOAD: total instructions of one run.
count() {
	env ${3:+LD_PRELOAD=$3} valgrind --tool=callgrind \
		--callgrind-out-file=$out/$1 $bin/$prog $2 1 "${args[@]}" >/dev/null 2>&1
	awk '/^summary:/ { print $2 }' $out/$1
}

p1=$(count plain.1 1 "") pn=$(count plain.n $ops "")
u1=$(count uld.1 1 "$lib") un=$(count uld.n $ops "$lib")
awk -v p1=$p1 -v pn=$pn -v u1=$u1 -v un=$un -v n=$ops 'BEGIN {
	p = (pn - p1) / n; u = (un - u1) / n
	printf "instructions/op: plain %.1f, ulockdep %.1f (+%.1f)\n", p, u, u - p
	printf "fixed cost: plain %.0f, ulockdep %.0f instructions\n", p1, u1
}'
echo "top functions under ulockdep (self, whole run):"
callgrind_annotate $out/uld.n 2>/dev/null | sed -n '/file:function/,/^$/p' |
	sed -n '3,18p'
