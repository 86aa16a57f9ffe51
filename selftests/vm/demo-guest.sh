#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `make demo` runs in the guest: the mission end to end, one step per
# idea, each showing its effect with numbers and recording it for the
# summary. A step whose effect is missing fails; the demo then names it
# and exits 1. Results (state map PNG, summary, traces) go to $PH_RESULTS.
# Env: PH_DEMO_STEPS, names of the steps to run (default all), for tests.
. "$PH_TOP/selftests/lib.sh"
T=$PH_TOP/selftests/tools
R=${PH_RESULTS:-/tmp}
F=/mnt/ext4/demo
SUMMARY=$R/demo-summary.txt
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
states() { ph_state_pages "$1"; }
hstat() { ph_field "$PH_DFS/host/stats" "$1"; }
bstat() { ph_field "$PH_DFS/balloon/status" "$1"; }
vdev() { ph_field "$PH_DFS/host/device" "$1"; }
# order >= 9 free blocks of every zone, in 2 MiB units (/proc/buddyinfo)
order9() { awk '{ n += $14 + 2 * $15 } END { print n + 0 }' /proc/buddyinfo; }

steps=() failed=()
# result STEP VALUE MIN EFFECT: the step's effect is VALUE; it shows
# something when VALUE >= MIN
result() {
	local v=${2:-0} verdict=ok
	[ "$v" -ge "$3" ] 2>/dev/null || { verdict=FAILED; failed+=("$1"); }
	steps+=("$(printf '%-10s %-6s %s' "$1" "$verdict" "$4")")
	printf '%s: %s (%s, want >= %s)\n' "$1" "$verdict" "$4" "$3"
}
want_step() { [ -z "${PH_DEMO_STEPS:-}" ] || grep -qw "$1" <<< "$PH_DEMO_STEPS"; }

step_volatile() {
	say "1. page states: a 32 MiB file read on ext4 turns its pages volatile"
	$PH_CTL states
	head -c 32M /dev/urandom > $F && sync && ph_drop_caches
	local v0 v1
	v0=$(states volatile)
	cat $F > /dev/null
	v1=$(states volatile)
	$PH_CTL states
	result volatile $((v1 - v0)) 4096 "+$((v1 - v0)) volatile pages after reading 8192"
}

step_host() {
	say "2. the host reclaims: unused pages first, then volatile ones (discards)"
	$PH_CTL policy set host on
	local f0 d0 u r0 r1 r2 faults
	d0=$(hstat discarded); f0=$(hstat discard_faults)
	u=$(states unused)
	# all unused memory and every volatile page: the rest is would-swap
	$PH_CTL host reclaim $(( (u + $(states volatile)) * 4 ))K > /dev/null
	$PH_CTL host status | grep -E '^(forgotten|discarded|would_swap|lost_races) '
	say "   the re-read is a discard fault for every discarded page"
	r0=$(awk '{ print $3 }' /sys/block/vda/stat)
	cat $F > /dev/null
	r1=$(awk '{ print $3 }' /sys/block/vda/stat)
	cat $F > /dev/null
	r2=$(awk '{ print $3 }' /sys/block/vda/stat)
	faults=$(( $(hstat discard_faults) - f0 ))
	$PH_CTL host status | grep -E '^(discard_faults|refault_permille|fault_avg_ms) '
	echo "re-read of 32 MiB: $(( (r1 - r0) / 2048 )) MiB read back from /dev/vda; the next re-read (cached): $(( (r2 - r1) / 2048 )) MiB"
	result discard $(( $(hstat discarded) - d0 )) 4096 "$(( $(hstat discarded) - d0 )) pages discarded by the host"
	result fault $faults 4096 "$faults discard faults on the re-read, $(hstat fault_avg_ms) ms after their discard on average; $(( (r1 - r0) / 2048 )) MiB read back from disk"
	$PH_CTL policy set host off
}

# the virtio host (vm.sh --balloon): free memory back to QEMU at 4 KiB, and
# the host's target served from unused memory first, as QEMU sees it
step_virtio() {
	say "3. a real host: pagehint drives QEMU's virtio-balloon device"
	if ! ph_have_balloon_dev; then
		result virtio 0 1 "no virtio-balloon device (make demo boots with one)"
		return
	fi
	local thp=/sys/kernel/mm/transparent_hugepage/enabled thp0 rep0 rep rss0 rss1 i pid
	echo virtio > $PH_DFS/policy/host_channel || {
		result virtio 0 1 "host_channel=virtio refused"
		return
	}
	$PH_CTL host | grep -E '^(channel|device|reporting|report_order) '
	thp0=$(sed 's/.*\[\(.*\)\].*/\1/' $thp)
	echo never > $thp
	say "   128 MiB of anonymous memory freed every other 4 KiB page"
	rm -f /tmp/pf.in /tmp/pf.out; mkfifo /tmp/pf.in
	$T/phfree 256 scattered < /tmp/pf.in > /tmp/pf.out & pid=$!
	exec 4> /tmp/pf.in
	while ! grep -q touched /tmp/pf.out 2>/dev/null; do sleep 0.1; done
	# the switch reports all free memory first: wait until that is done
	rep0=-1
	for i in $(seq 300); do
		[ "$(vdev reported_pages)" = "$rep0" ] && break
		rep0=$(vdev reported_pages)
		sleep 1
	done
	rss0=$(ph_host rss | cut -d' ' -f1)
	echo free >&4
	for i in $(seq 100); do
		[ $(( $(vdev reported_pages) - rep0 )) -ge $((32768 * 9 / 10)) ] && break
		sleep 0.1
	done
	rss1=$(ph_host rss | cut -d' ' -f1)
	rep=$(( $(vdev reported_pages) - rep0 ))
	exec 4>&-; wait $pid
	echo "$thp0" > $thp
	result report $rep $((32768 * 9 / 10)) \
		"$((rep / 256)) MiB reported at 4 KiB after 128 MiB were freed scattered; QEMU's RSS on the host -$(( (rss0 - rss1) / 1024 )) MiB"
	say "   the host asks for 64 MiB back (QMP balloon): unused memory first"
	ph_host target 64M > /dev/null
	ph_host wait-held 64M > /dev/null
	$PH_CTL host | grep -E '^(target_pages|actual_pages|balloon_pages|inflated|volatile_dropped) '
	$PH_CTL balloon | grep -E '^(size_pages|from_huge|from_free|from_volatile|from_reclaim) '
	result target "$(( $(ph_host held) >> 20 ))" 64 \
		"QEMU sees $(( $(ph_host held) >> 20 )) MiB held of a 64 MiB target, $(( $(bstat from_huge) + $(bstat from_free) )) of $(bstat size_pages) pages from unused memory"
	ph_host target 0 > /dev/null
	ph_host wait-held 0 > /dev/null
	echo sim > $PH_DFS/policy/host_channel
}

step_balloon() {
	say "4. the movable balloon: inflated into fragmented memory, moved by compaction"
	local free0 want m0 b0 b1
	ph_drop_caches
	free0=$(ph_field /proc/meminfo MemFree)
	ph_frag_start $(( free0 / 2 / 1024 ))	# half of free memory, holes every 128 KiB
	# the untouched half of free memory (the balloon takes its whole 2 MiB
	# blocks first) and an eighth more, from the holes
	want=$(( free0 * 5 / 8 / 4 ))
	echo $want > $PH_DFS/balloon/target
	$PH_CTL balloon wait 300 > /dev/null
	ph_frag_stop
	b0=$(order9); m0=$(bstat migrated)
	echo "balloon: $(bstat size_pages) pages among the holes; free 2 MiB blocks before compaction: $b0"
	echo 1 > /proc/sys/vm/compact_memory
	b1=$(order9)
	echo "after compaction: $(( $(bstat migrated) - m0 )) balloon pages migrated; free 2 MiB blocks: $b1"
	result balloon $(( $(bstat migrated) - m0 )) 1 "$(( $(bstat migrated) - m0 )) balloon pages migrated; free 2 MiB blocks $b0 -> $b1"
	result compact $((b1 - b0)) 1 "compaction made $((b1 - b0)) more free 2 MiB blocks"
	echo 0 > $PH_DFS/balloon/target
	$PH_CTL balloon wait 300 > /dev/null
}

step_pool() {
	say "5. zspool: fill, free 70 %, compact, verify (the test module's workload)"
	if ! ph_load_test; then
		result pool 0 1 "phtest.ko did not load"
		return
	fi
	local p0 p1 p2 zs
	zs() { ph_field "$PH_TDFS/zspool/pool" "$1"; }
	$PH_CTL zspool create > /dev/null
	$PH_CTL zspool alloc 20000 32 2048 > /dev/null
	p0=$(zs pages)
	$PH_CTL zspool free 70 > /dev/null
	p1=$(zs pages)
	$PH_CTL zspool compact > /dev/null
	p2=$(zs pages)
	$PH_CTL zspool verify > /dev/null
	echo "20000 objects of 32..2048 bytes: $p0 pages; 70 % freed: $p1 pages; compacted: $p2 pages"
	$PH_CTL zspool stats | head -n 3
	echo "verify: $(zs verified) objects read back, $(zs corrupt) corrupt, $(zs lost) lost"
	result pool $((p1 - p2)) 1 "compaction freed $((p1 - p2)) of $p1 pages; $(zs verified) verified, $(zs corrupt) corrupt"
	[ "$(zs corrupt)" = 0 ] && [ "$(zs lost)" = 0 ] || { failed+=(verify); steps+=("verify     FAILED $(zs corrupt) corrupt, $(zs lost) lost"); }
	$PH_CTL zspool destroy
	rmmod phtest
}

step_rmap() {
	say "6. rmap: two processes map one file page; the reverse map finds both"
	local d1=/tmp/rm1 d2=/tmp/rm2 p1 p2 addr out n
	mkdir -p $d1 $d2
	python3 "$T/ph_mmap.py" shared-ro $F $d1 > /dev/null & p1=$!
	python3 "$T/ph_mmap.py" private $F $d2 > /dev/null & p2=$!
	while [ ! -e $d1/ready ] || [ ! -e $d2/ready ]; do sleep 0.2; done
	addr=0x$(awk -v f=$F '$6 == f { split($1, a, "-"); print a[1]; exit }' /proc/$p1/maps)
	out=$($PH_CTL rmap "$p1:$addr")
	echo "$out"
	n=$(ph_rmap_col "$out" pid | sort -u | grep -cE "^($p1|$p2)$")
	touch $d1/go $d2/go
	wait $p1 $p2
	result rmap "$n" 2 "file page 0 of $F: mapped by $n of the 2 processes (pids $p1 $p2)"
}

step_used_once() {
	say "7. reclaim: a streaming mmap in a 48 MiB memory cgroup, used once"
	local CG=/sys/fs/cgroup u0 out
	mount -t cgroup2 none $CG 2>/dev/null
	echo +memory > $CG/cgroup.subtree_control
	mkdir -p $CG/demo
	echo 48M > $CG/demo/memory.max
	head -c 4M /dev/urandom > /mnt/ext4/hot
	fallocate -l 160M /mnt/ext4/stream
	sync; ph_drop_caches
	u0=$(ph_field "$PH_DFS/reclaim" used_once)
	out=$(bash -c "echo \$\$ > $CG/demo/cgroup.procs; exec '$T/used_once' /mnt/ext4/hot /mnt/ext4/stream 1")
	echo "$out"
	$PH_CTL reclaim | grep -E '^(lru|rotated|activated_second|used_once|freed) '
	result used_once $(( $(ph_field "$PH_DFS/reclaim" used_once) - u0 )) 1 "$(( $(ph_field "$PH_DFS/reclaim" used_once) - u0 )) streamed pages reclaimed as used once"
	rmdir $CG/demo 2>/dev/null
}

step_trace() {
	say "8. transitions.bt: a few seconds of state transitions by site"
	local n
	if ! ph_have_bpftrace; then
		result trace 0 1 "bpftrace is not installed"
		return
	fi
	ph_bt_start "$PH_TOP/userspace-ctl/trace/transitions.bt" $R/transitions.txt "Tracing pagehint"
	ph_drop_caches; cat $F > /dev/null; cat $F > /dev/null; sleep 1
	ph_bt_stop
	grep '^@transitions' $R/transitions.txt | sort -t: -k2 -rn | head -n 8
	n=$(grep -c '^@transitions' $R/transitions.txt)
	result trace "$n" 3 "$n kinds of transition traced (whole output: $R/transitions.txt)"
}

step_map() {
	say "9. the state map, with a legend and a PFN axis"
	$PH_CTL watch -i 1 -c 3
	$PH_CTL map --png $R/state-map.png
	local n
	n=$(stat -c %s $R/state-map.png 2>/dev/null)
	result map "${n:-0}" 100000 "$R/state-map.png ($n bytes)"
}

ph_ext4 || { echo "demo: no ext4 on /dev/vda"; exit 1; }
head -c 32M /dev/urandom > $F
for s in volatile host virtio balloon pool rmap used_once trace map; do
	want_step $s && step_$s
done

say "summary (also in $SUMMARY)"
{
	printf '%s\n' "${steps[@]}"
	echo "results: $R"
} | tee $SUMMARY
if [ ${#failed[@]} -gt 0 ]; then
	echo "demo: these steps showed nothing: ${failed[*]}"
	exit 1
fi
echo "demo: every step showed its effect"
