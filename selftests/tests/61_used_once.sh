#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# reclaim: used-once detection (seed 004). A streaming mmap of a file larger
# than memory beside a small hot mapped working set: reclaim lets the
# streamed pages through once (the classic LRU rotates them at their first
# inactive look, MGLRU promotes them at their first page-table reference)
# and frees them at their next look without a reference (used_once rises);
# the hot set stays resident. Then deactivation (states). Both run on the
# classic LRU and, where the kernel has it, on MGLRU
# (/sys/kernel/mm/lru_gen/enabled 0 and 7); the used-once round also on
# MGLRU without its page-table walk (enabled 1), where eviction's
# look-around, not the aging, takes the stream's first references (what
# happens to a stream reclaim reaches before an aging walked it); then
# policy off, bad input.
# vm: timeout=900 mem=384
. "$PH_TOP/selftests/lib.sh"
T=$PH_TOP/selftests/tools
RC=$PH_DFS/reclaim
TR=/sys/kernel/tracing
LG=/sys/kernel/mm/lru_gen/enabled
rcv() { ph_field $RC "$1"; }

ph_load_ok
ph_eq "reclaim component up" "$(ph_component reclaim)" up
if ! ph_ext4; then
	ph_skip "used-once workload" "no ext4 on /dev/vda"
	ph_unload; ph_done
fi
head -c 8M /dev/urandom > /mnt/ext4/hot
fallocate -l 448M /mnt/ext4/stream
head -c 64M /dev/zero > /mnt/ext4/twice
sync
mount -t tracefs none $TR 2>/dev/null
CG=/tmp/ph_cg61
mkdir -p $CG
mount -t cgroup2 none $CG
echo +memory > $CG/cgroup.subtree_control

# the LRU for the next round: classic (0), MGLRU (7, every capability) or
# MGLRU without page-table walks (1: its core only)
lru() {
	case $1 in
	mglru) echo 7 > $LG ;;
	mglru_nowalk) echo 1 > $LG ;;
	*) echo 0 > $LG ;;
	esac
}

# used_once_round NAME: the streaming workload, its decisions as deltas
used_once_round() {
	local name=$1 out k
	declare -A c0
	for k in used_once rotated look_second freed aging_referenced look_around_referenced; do c0[$k]=$(rcv $k); done
	ph_drop_caches
	echo 1 > $TR/events/pagehint/reclaim_decision/enable
	echo > $TR/trace
	out=$("$T/used_once" /mnt/ext4/hot /mnt/ext4/stream)
	echo 0 > $TR/events/pagehint/reclaim_decision/enable
	ph_diag "$name: $out"
	field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<< "$out"; }
	d() { echo $(( $(rcv "$1") - ${c0[$1]} )); }
	sed 's/^/# /' $RC
	local streamed uo rounds
	streamed=$(field stream_pages)
	uo=$(d used_once)
	ph_ge "$name: used_once counted for much of the stream beyond memory (>= 1/4 of the streamed pages)" "$uo" $((streamed / 4))
	if [ "$name" = classic ]; then
		ph_ge "$name: first looks rotated (referenced once)" "$(d rotated)" $((streamed / 4))
	else
		# the first page-table reference went to the aging (6.x: counted,
		# 7.x: PG_referenced), an eviction look's look-around (6.x:
		# counted) or an earlier eviction look
		ph_diag "$name: aging_referenced $(d aging_referenced), look_around_referenced $(d look_around_referenced), rotated $(d rotated)"
	fi
	ph_ge "$name: looks at folios referenced through page tables before (>= 1/4 of the stream)" "$(d look_second)" $((streamed / 4))
	# >= 99 %: a folio decided used-once may still stay when reclaim cannot
	# free it after all (a speculative reference froze its count); seen once:
	# 45,177 decided, 45,176 freed
	ph_ge "$name: used_once pages left the page cache (>= 99 %)" "$(d freed)" $((uo * 99 / 100))
	rounds=$(field rounds)
	ph_le "$name: hot set: refaults while measured ($rounds rounds x 2048 hot pages; <= 1% of the accesses)" "$(field hot_evicted)" $((rounds * 2048 / 100))
	ph_le "$name: all file refaults while measured (workingset_refault_file; <= 5% of the stream)" "$(field refault_file)" $((streamed / 20))
	ph_eq "$name: hot set resident at the end" "$(field hot_resident_end)" 2048
	ph_ge "$name: tracepoint pagehint:reclaim_decision reports used_once" \
		"$(grep -c 'decision=used_once' $TR/trace)" 100
}

# The seed's strategic point 5 (active -> inactive) is the states
# component's (policy volatile_deactivate). With the read-side points off,
# pages stay stable after their reads. Those folios become volatile at
# site deactivate when reclaim deactivates them.
trans() { awk -v s="$1" '$1 == "stable" && $2 == "volatile" && $3 == s { n = $4 } END { print n + 0 }' $PH_DFS/transitions; }
miss() { $PH_CTL --json states stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["deactivate_unremembered"])'; }
active_file() { awk '$1 == "active_file" { print $2 }' $CG/t/memory.stat; }

# Classic LRU: in a memory cgroup a file read twice from disk (no buffer
# heads) is all on the active list; proactive reclaim (memory.reclaim) finds
# the inactive file list short and deactivates it in shrink_active_list().
# The reclaiming task hops between the two CPUs all along: it may end a
# shrink_active_list() on another CPU than it began, and the folios it
# remembered must still be tried at its end.
deactivate_classic() {
	local pid
	bash -c "echo \$\$ > $CG/t/cgroup.procs; cat /mnt/ext4/twice /mnt/ext4/twice > /dev/null"
	ph_ge "classic: the cgroup's file pages are active (memory.stat active_file, bytes)" \
		"$(active_file)" $((32 << 20))
	( for _ in $(seq 16); do echo 4M > $CG/t/memory.reclaim; done ) 2> /dev/null &
	pid=$!
	while kill -0 $pid 2> /dev/null; do
		taskset -p 1 $pid; taskset -p 2 $pid
	done > /dev/null 2>&1
	wait $pid
}

# MGLRU: active means in the two youngest generations; a file read through
# a mapping is promoted to the youngest by the aging's page-table walk, and
# turns inactive when two more agings opened newer generations. The aging
# runs through MGLRU's own debugfs interface (/sys/kernel/debug/lru_gen:
# "+ memcg_id node_id max_gen [swappiness force_scan]").
LGD=/sys/kernel/debug/lru_gen
lg_memcg() { awk '$1 == "memcg" && $3 == "/t" { print $2 }' $LGD; }
lg_max_gen() { awk -v id="$1" '$1 == "memcg" { m = ($2 == id) } m && $1 ~ /^[0-9]+$/ && NF >= 4 { g = $1 } END { print g }' $LGD; }
lg_age() {
	local id
	id=$(lg_memcg)
	echo "+ $id 0 $(lg_max_gen $id) 0 1" > $LGD
}
deactivate_mglru() {
	local sync=/tmp/ph61sync pid
	rm -rf $sync; mkdir -p $sync
	bash -c "echo \$\$ > $CG/t/cgroup.procs; exec python3 $T/ph_mmap.py shared-ro /mnt/ext4/twice $sync" > /dev/null &
	pid=$!
	while [ ! -e $sync/ready ]; do sleep 0.2; done
	lg_age		# promotes the mapped, young file folios
	ph_ge "mglru: the cgroup's file pages are active after the aging (memory.stat active_file, bytes)" \
		"$(active_file)" $((32 << 20))
	touch $sync/go
	wait $pid
	lg_age
	lg_age		# the generation they were promoted to turns inactive
	sed 's/^/# /' $LGD
}

deactivate_round() {
	local name=$1 d0 m0 hook=states_deactivate
	[ "$name" = mglru ] && hook=states_deactivate_aging
	for p in volatile_unlock volatile_put volatile_read; do echo 0 > $PH_DFS/policy/$p; done
	ph_eq "$name: deactivation hook $hook attached" "$(ph_hook $hook state)" attached
	mkdir $CG/t
	sync; echo 3 > /proc/sys/vm/drop_caches
	d0=$(trans deactivate)
	m0=$(miss)
	deactivate_$name
	ph_ge "$name: deactivated folios made volatile (site deactivate; >= 1/4 of the file)" $(( $(trans deactivate) - d0 )) 4096
	ph_eq "$name: every folio reclaim deactivates was remembered (stats file)" $(( $(miss) - m0 )) 0
	rmdir $CG/t
	for p in volatile_unlock volatile_put volatile_read; do echo 1 > $PH_DFS/policy/$p; done
}

modes=classic
if [ -w $LG ]; then
	modes="classic mglru mglru_nowalk"
else
	ph_skip "MGLRU rounds" "no $LG"
fi
for mode in $modes; do
	[ -w $LG ] && lru $mode
	ph_eq "$mode: LRU reported" "$(rcv lru)" "${mode%_nowalk}"
	ph_eq "$mode: classification on" "$(rcv classification)" on
	used_once_round $mode
	# the deactivation round needs the aging's page-table walk
	[ $mode = mglru_nowalk ] || deactivate_round $mode
done
[ -w $LG ] && lru classic
umount $CG

ph_check "pagehintctl --json reclaim is valid JSON" \
	bash -c "'$PH_CTL' --json reclaim | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"used_once\"] > 0'"

# policy off: every hook detached, counters frozen
ph_eq "policy used_once off" "$(ph_write $PH_DFS/policy/used_once 0)" OK
ph_eq "no reclaim hook attached" "$(ph_rows $PH_DFS/hooks owner=reclaim state=attached)" 0
u=$(rcv used_once)
head -c 64M /mnt/ext4/stream > /dev/null
ph_eq "used_once frozen while off" "$(rcv used_once)" "$u"
ph_eq "policy used_once on" "$(ph_write $PH_DFS/policy/used_once 1)" OK

# bad input on the policies; "reclaim" is read-only
for p in used_once; do
	v=$(cat $PH_DFS/policy/$p)
	ph_eq "$p: garbage" "$(ph_write $PH_DFS/policy/$p maybe)" EINVAL
	ph_eq "$p: not a boolean" "$(ph_write $PH_DFS/policy/$p 2)" EINVAL
	ph_eq "$p: negative" "$(ph_write $PH_DFS/policy/$p ' -1')" EINVAL
	ph_eq "$p: empty" "$(ph_write $PH_DFS/policy/$p '')" EINVAL
	ph_eq "$p: huge" "$(ph_write -n 4096 $PH_DFS/policy/$p)" E2BIG
	ph_eq "$p: unchanged" "$(cat $PH_DFS/policy/$p)" "$v"
done
ph_check "reclaim stats are read-only" test "$(stat -c %a $RC)" = 400
umount /mnt/ext4
ph_unload
ph_done
