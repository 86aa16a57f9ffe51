#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh MINUTES: the soak's guest side (selftests/soak/soak.sh boots it).
# Every component at once for MINUTES: balloon inflate/deflate, compaction,
# pool churn with checksums (and its kernel-thread stress), host pressure
# with discards and re-reads checked against md5 sums, a fork/munmap storm
# checking every page it wrote, policy flips, hook disable/enable, rmap
# queries, and an unload/load cycle every 45 s. Each worker counts what it
# did; the module's counters are added up before each unload. The summary
# is the last "# soak:" lines; the assertions: nothing corrupt or lost,
# every worker made progress, the module unloads at the end.
. "$PH_TOP/selftests/lib.sh"
MIN=${1:-2}
S=/tmp/soak
rm -rf $S; mkdir -p $S
D=$PH_DFS
Z=$PH_TDFS/zspool
ctl() { ph_write $Z/ctl "$1" 2>/dev/null; }
# add NAME [N]: add N (default 1; not a number: 0) to this worker's
# counter NAME; save: write the worker's counters to $S/c.WORKER (no fork:
# on the debug kernel a fork per count was most of a worker's time)
declare -A C
add() {
	local v=${2-1}
	[[ $v =~ ^[0-9]+$ ]] || v=0
	C[$1]=$(( ${C[$1]:-0} + v ))
}
save() {
	local k
	for k in "${!C[@]}"; do echo "$k ${C[$k]}"; done > $S/c.$1
}
alive() { [ $SECONDS -lt $END ]; }
loaded() { [ -d $D ]; }

ph_load_ok host=1
ph_load_test_ok
ph_ext4 || { ph_notok "ext4 on the scratch disk"; ph_done; }
for i in 1 2 3 4; do head -c 8M /dev/urandom > /mnt/ext4/f$i; done
md5sum /mnt/ext4/f? > $S/sums

# the module's counters (they start at 0 at each load): read before an
# unload, added up once it succeeded
acc_read() {
	local k
	for k in discarded forgotten discard_faults passes; do
		echo "host_$k $(ph_field $D/host/stats $k 2>/dev/null)"
	done
	for k in inflated deflated migrated nomem_blocks; do
		echo "balloon_$k $(ph_field $D/balloon/status $k 2>/dev/null)"
	done
	echo "pool_migrated $(ph_field $Z/pool migrated 2>/dev/null)"
}
acc_add() { while read -r k n; do add "$k" "$n"; done < "$1"; }

balloon() {
	while alive; do
		save "${FUNCNAME[0]}"
		loaded && echo "$(shuf -n 1 -e 0 4M 16M 64M 128M)" > $D/balloon/target 2>/dev/null && add balloon_targets
		sleep 3
	done
}
compaction() {
	while alive; do
		save "${FUNCNAME[0]}"
		echo 1 > /proc/sys/vm/compact_memory && add compactions
		sleep 4
	done
}
pool() {
	local r
	while alive; do
		save "${FUNCNAME[0]}"
		loaded || { sleep 1; continue; }
		[ "$(ph_field $Z/pool created 2>/dev/null)" = 1 ] || ctl create > /dev/null
		[ "$(ctl 'alloc 400 1 4096')" = OK ] && add pool_allocated 400
		ctl 'free 30' > /dev/null
		# EIO: an object read back wrong, or the file removed by an
		# unload meanwhile (then the pool file is gone too)
		r=$(ctl verify)
		case "$r" in
		OK) add pool_verifies; add pool_objects_verified "$(ph_field $Z/pool verified)" ;;
		EIO) add pool_corrupt "$(ph_field $Z/pool corrupt 2>/dev/null)"
		     add pool_lost "$(ph_field $Z/pool lost 2>/dev/null)" ;;
		esac
		[ "$(ctl compact)" = OK ] && add pool_compactions
		if [ $((RANDOM % 4)) = 0 ]; then
			r=$(ctl 'stress 2 500')
			case "$r" in
			OK) add pool_stress_ops "$(ph_field $Z/pool stress_ops)" ;;
			EIO) add pool_corrupt "$(ph_field $Z/pool stress_corrupt 2>/dev/null)"
			     add pool_lost "$(ph_field $Z/pool stress_lost 2>/dev/null)" ;;
			esac
		fi
	done
}
host() {
	local mem
	mem=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
	while alive; do
		save "${FUNCNAME[0]}"
		if loaded; then
			echo $((mem * (RANDOM % 2 ? 3 : 0) / 4))K > $D/host/target 2>/dev/null
			# more than the guest has: every unused page, then every
			# volatile one (discards)
			echo 2G > $D/host/reclaim 2>/dev/null && add host_requests
		fi
		# re-read what the host discarded: the content must not change
		if md5sum -c --quiet $S/sums > /dev/null 2>&1; then
			add reread_ok 4
		else
			add reread_bad
			md5sum -c $S/sums 2>&1 | head -n 4 | sed 's/^/# /' >> $S/log
		fi
		sleep 1
	done
}
storm() {
	local out
	while alive; do
		save "${FUNCNAME[0]}"
		out=$($PH_TOP/selftests/tools/phstorm 15 3)
		if [ $? = 0 ]; then add storm_runs; else add storm_bad; echo "# $out" >> $S/log; fi
		add storm_forks "$(awk '{ print $2 }' <<< "$out")"
		add storm_pages "$(awk '{ print $8 }' <<< "$out")"
	done
}
flips() {
	local f v
	while alive; do
		save "${FUNCNAME[0]}"
		if loaded; then
			f=$(ls $D/policy | grep -E '^(volatile|volatile_[a-z]+|used_once|host_discard)$' | shuf -n 1)
			v=$(cat $D/policy/$f 2>/dev/null)
			case "$v" in 0|1)
				echo $((1 - v)) > $D/policy/$f 2>/dev/null && add policy_flips
				sleep 2
				echo "$v" > $D/policy/$f 2>/dev/null ;;
			esac
		fi
		sleep 1
	done
}
hooks() {
	local h
	while alive; do
		save "${FUNCNAME[0]}"
		h=$(awk 'NR > 1 && $5 == "attached" { print $1 }' $D/hooks 2>/dev/null | shuf -n 1)
		if [ -n "$h" ]; then
			echo "disable $h" > $D/hooks 2>/dev/null && add hook_toggles
			sleep 1
			echo "enable $h" > $D/hooks 2>/dev/null
		fi
		sleep 2
	done
}
rmapq() {
	local pid addr start n
	while alive; do
		save "${FUNCNAME[0]}"
		start=$(ph_field $D/stats table_start_pfn 2>/dev/null)
		n=$(ph_field $D/stats table_pfns 2>/dev/null)
		if [ -n "$n" ] && echo "pfn $((start + RANDOM * 7 % n))" > $D/rmap 2>/dev/null; then
			cat $D/rmap > /dev/null && add rmap_queries
		fi
		pid=$(pgrep -n phstorm)
		addr=$(awk -F'[- ]' '/\[heap\]|rw-p 00000000 00:00 0/ { print "0x" $1; exit }' /proc/$pid/maps 2>/dev/null)
		if [ -n "$addr" ] && echo "pid $pid addr $addr" > $D/rmap 2>/dev/null; then
			add rmap_queries
		fi
		sleep 0.5
	done
}
reload() {
	local i
	while alive; do
		save "${FUNCNAME[0]}"
		sleep 45
		alive || break
		acc_read > $S/acc
		for i in $(seq 100); do ph_unload 2>/dev/null && break; sleep 0.1; done
		if loaded; then add reload_busy; continue; fi
		acc_add $S/acc
		insmod "$PH_KO" host=1 && insmod "$PH_TEST_KO" && add reloads
	done
}

# every worker saves its counters at each round and when it ends
run() {
	$1
	save $1
}
# the MINUTES count from here: the setup before takes minutes itself on a
# slow guest (the debug kernel on a loaded host)
END=$((SECONDS + MIN * 60))
pids=()
for w in balloon compaction pool host storm flips hooks rmapq reload; do
	run $w & pids+=($!)
done
wait "${pids[@]}"
acc_read > $S/acc; acc_add $S/acc; save final
cat $S/log 2>/dev/null

v() { cat $S/c.* | awk -v k=$1 '$1 == k { n += $2 } END { print n + 0 }'; }
ph_diag "soak: $MIN min, $(v reloads) unload/load cycles ($(v reload_busy) put off: files open)"
ph_diag "soak: balloon: $(v balloon_targets) targets, $(v balloon_inflated) pages inflated, $(v balloon_deflated) deflated, $(v balloon_migrated) migrated, $(v balloon_nomem_blocks) stops for memory"
ph_diag "soak: pool: $(v pool_allocated) objects allocated, $(v pool_verifies) verifies ($(v pool_objects_verified) objects), $(v pool_compactions) compactions, $(v pool_stress_ops) stress ops, $(v pool_migrated) pages migrated, $(v pool_corrupt) corrupt, $(v pool_lost) lost"
ph_diag "soak: host: $(v host_requests) reclaim requests, $(v host_passes) passes, $(v host_forgotten) pages forgotten, $(v host_discarded) discarded, $(v host_discard_faults) discard faults; $(v reread_ok) file re-reads identical, $(v reread_bad) not"
ph_diag "soak: storm: $(v storm_runs) runs, $(v storm_forks) forks, $(v storm_pages) pages checked, $(v storm_bad) bad runs"
ph_diag "soak: $(v compactions) compact_memory, $(v policy_flips) policy flips, $(v hook_toggles) hook disable/enable, $(v rmap_queries) rmap queries"

ph_eq "pool: no corrupt object" "$(v pool_corrupt)" 0
ph_eq "pool: no lost object" "$(v pool_lost)" 0
ph_eq "files read back after discards: identical" "$(v reread_bad)" 0
ph_eq "fork/munmap storm: every page as written" "$(v storm_bad)" 0
for k in balloon_targets balloon_inflated compactions pool_verifies host_requests host_discarded \
	reread_ok storm_runs policy_flips hook_toggles rmap_queries reloads; do
	ph_ge "made progress: $k" "$(v $k)" 1
done
ctl destroy > /dev/null
echo 0 > $D/balloon/target
cd /; umount /mnt/ext4
ph_check "rmmod at the end" bash -c 'for i in $(seq 100); do rmmod phtest 2>/dev/null; rmmod pagehint 2>/dev/null && exit 0; sleep 0.1; done; exit 1'
ph_check "module loads and unloads again" bash -c "insmod $PH_KO && rmmod pagehint"
if [ -f /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak; sleep 6; echo scan > /sys/kernel/debug/kmemleak
	ph_eq "kmemleak: no unreferenced objects" "$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)" 0
fi
ph_done
