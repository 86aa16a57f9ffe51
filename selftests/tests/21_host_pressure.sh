#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host pressure mode: with a target resident size the host keeps
# reclaiming while a file reader runs (discards, then discard faults when
# the reader comes back), content stays identical, the resident size ends
# at the target, and the work stops when the target is cleared, when the
# host is turned off and on unload.
# vm: timeout=600
. "$PH_TOP/selftests/lib.sh"

H=$PH_DFS/host
st() { ph_field "$H/stats" "$1"; }
# wait_runs N: until the pressure work ran N more times (bounded)
wait_runs() {
	local r0 i
	r0=$(st pressure_runs)
	for i in $(seq 300); do
		[ "$(st pressure_runs)" -ge $((r0 + $1)) ] && return 0
		sleep 0.05
	done
	return 1
}

ph_load_ok host=1 host_interval_ms=20
ph_ext4 || { ph_skip "ext4 scratch filesystem" "mkfs.ext4 or /dev/vda missing"; ph_unload; ph_done; }
dd if=/dev/urandom of=/mnt/ext4/w bs=1M count=64 status=none
want=$(md5sum < /mnt/ext4/w)
ph_drop_caches

# the floor: what the host cannot take (stable pages)
echo 4G > "$H/reclaim"
floor=$(st resident_pages)
target=$((floor + 4096))		# 16 MiB of room for a 64 MiB reader
echo $((target * 4096)) > "$H/target"
ph_eq "target set through host/target" "$(st target_pages)" "$target"
ph_check "pressure work runs" wait_runs 2

d0=$(st discarded); f0=$(st discard_faults)
max=0
(md5sum < /mnt/ext4/w; md5sum < /mnt/ext4/w) > /tmp/reader.out &
reader=$!
while kill -0 $reader 2>/dev/null; do
	r=$(st resident_pages)
	[ "$r" -gt "$max" ] && max=$r
	sleep 0.1
done
wait $reader
ph_diag "floor $floor target $target pages; largest resident seen $max"
ph_eq "reader: content identical under host pressure (1st read)" "$(sed -n 1p /tmp/reader.out)" "$want"
ph_eq "reader: content identical under host pressure (2nd read)" "$(sed -n 2p /tmp/reader.out)" "$want"
ph_ge "pages discarded while the reader ran" $(($(st discarded) - d0)) 8192
ph_ge "discard faults when the reader came back" $(($(st discard_faults) - f0)) 8192
wait_runs 3
ph_le "resident size back at the target" "$(st resident_pages)" $((target + target / 100))

# stop: clearing the target stops the work
echo 0 > "$H/target"
r1=$(st pressure_runs); sleep 0.5
ph_eq "target 0: the pressure work stopped" "$(st pressure_runs)" "$r1"

# stop: turning the host off stops the work and drops the records
echo $((target * 4096)) > "$H/target"
ph_check "target set again: pressure work runs" wait_runs 2
echo off > "$PH_DFS/policy/host"
r1=$(st pressure_runs); sleep 0.5
ph_eq "host off: the pressure work stopped" "$(st pressure_runs)" "$r1"
ph_eq "host off: no records kept" "$(st records)" 0
ph_eq "host off: reclaim refused" "$(ph_write "$H/reclaim" 1M)" ENODEV

# unload while the work runs
echo on > "$PH_DFS/policy/host"
ph_check "host on again: pressure work runs" wait_runs 2
cat /mnt/ext4/w > /dev/null &
sleep 0.2
ph_check "unload while the pressure work runs" rmmod pagehint
wait
ph_check "module gone" test ! -d /sys/module/pagehint
umount /mnt/ext4
ph_done
