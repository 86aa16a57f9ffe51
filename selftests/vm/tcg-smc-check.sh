#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcg-smc-check.sh: does this QEMU survive kernel text patched under load?
# No pagehint involved. Each boot flips the function tracer on five hot
# page-cache functions and the mm_page_alloc/mm_page_free tracepoints
# FLIPS times while two readers stream files through the page cache: the
# same text_poke_bp() patching pagehint's load, unload and policy switches
# do. A boot that panics (soft lockup, RCU stall) counts as hung.
#
#   tcg-smc-check.sh [--mttcg] [BOOTS (4)] [FLIPS (150)]
#
# Prints one line per boot and "N of M boots hung"; exit 1 if any hung.
# vm.sh runs single-threaded TCG unless --mttcg is given; see its ACCEL.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)

guest() {	# guest FLIPS: runs inside the VM
	local t=/sys/kernel/tracing i r1 r2
	mountpoint -q $t || mount -t tracefs nodev $t
	echo release_pages folio_unlock folio_mark_accessed filemap_get_pages \
		touch_atime > $t/set_ftrace_filter
	( while :; do head -c 8M /dev/zero | md5sum > /dev/null
		cat /usr/bin/* > /dev/null 2>&1; done ) &
	r1=$!
	( while :; do cat /usr/lib/x86_64-linux-gnu/*.so* > /dev/null 2>&1
		done ) &
	r2=$!
	sleep 2
	for i in $(seq 1 "$1"); do
		echo 1 > $t/events/kmem/mm_page_alloc/enable
		echo 1 > $t/events/kmem/mm_page_free/enable
		echo function > $t/current_tracer
		sleep 0.$((RANDOM % 5))
		echo nop > $t/current_tracer
		echo 0 > $t/events/kmem/mm_page_alloc/enable
		echo 0 > $t/events/kmem/mm_page_free/enable
		echo > $t/trace
	done
	kill $r1 $r2
	wait
	echo "flips done: $1"
}

if [ "${1:-}" = --guest ]; then
	guest "$2"
	exit 0
fi
mode=()
if [ "${1:-}" = --mttcg ]; then
	mode=(--mttcg)
	shift
fi
boots=${1:-4} flips=${2:-150} hung=0
for i in $(seq 1 "$boots"); do
	out=$(mktemp -d /tmp/tcg-smc.XXXXXX)
	"$TOP/selftests/vm/vm.sh" --no-load "${mode[@]}" --results "$out" \
		--timeout 900 --run "bash $TOP/selftests/vm/tcg-smc-check.sh --guest $flips" \
		> "$out/out.txt" 2>&1
	if grep -q "flips done: $flips" "$out/out.txt"; then
		echo "boot $i: survived $flips flips"
		rm -rf "$out"
	else
		hung=$((hung + 1))
		echo "boot $i: hung: $(grep -m1 -oE '(soft lockup|rcu: INFO|rcu_preempt self-detected).*' \
			"$out/console.log") (log: $out/console.log)"
	fi
done
echo "$hung of $boots boots hung"
[ "$hung" = 0 ]
