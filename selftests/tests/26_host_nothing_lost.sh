#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=1500 mem=1024 balloon=1
# Nothing is lost: for minutes, checksummed anonymous memory and ext4
# files (clean, dirty through write(), dirty through a shared mapping,
# dropped and read back) and zspool objects change all the time, while
# free page reporting runs at 4 KiB, the host inflates and deflates the
# balloon (QMP) beyond free memory (volatile page cache dropped for it)
# and compaction migrates balloon pages (told to the host). A live page
# the host dropped would read back as zeroes: a checksum failure.
. "$PH_TOP/selftests/lib.sh"
D=$PH_DFS/host/device
B=$PH_DFS/balloon/status
Z=$PH_TDFS/zspool
STRESS=$PH_TOP/selftests/tools/phstress
SECS=${PH_STRESS_SECS:-$(ph_quick 180 40)}
dv() { ph_field $D "$1"; }
bs() { ph_field $B "$1"; }
pool() { ph_field $Z/pool "$1"; }
killed() { dmesg | grep -cE 'Out of memory|Killed process|oom-kill'; }

if ! ph_have_balloon_dev; then
	ph_skip "nothing lost" "no virtio-balloon device or host helper (vm.sh --balloon)"
	ph_done
fi
ph_ext4 || { ph_skip "nothing lost" "no scratch ext4"; ph_done; }
ph_load_ok host_channel=virtio
ph_load_test_ok
ph_write $Z/ctl create > /dev/null
ph_eq "zspool: 20000 background objects" "$(ph_write $Z/ctl 'alloc 20000 16 2048')" OK
ph_write $Z/ctl 'free 50' > /dev/null

rep0=$(dv reported_pages); inf0=$(dv inflated); mig0=$(dv migrated)
drop0=$(dv volatile_dropped)
end=$(( $(date +%s) + SECS ))
"$STRESS" anon 160 "$SECS" > /tmp/anon.out 2>&1 &
p_anon=$!
"$STRESS" file /mnt/ext4 96 "$SECS" > /tmp/file.out 2>&1 &
p_file=$!
( ph_write $Z/ctl "stress 2 $(( SECS * 1000 ))" > /tmp/zs.out ) &
p_zs=$!
# compaction: balloon pages among the churn migrate
( while [ "$(date +%s)" -lt "$end" ]; do
	echo 1 > /proc/sys/vm/compact_memory; sleep 2
  done ) &
p_cmp=$!
# the host: targets up to beyond free memory, and back to 0. A cycle
# counts when the device told the host of inflated pages (the deflation
# is checked at the end: target 0, QEMU sees an empty balloon); at least
# 3 cycles run (under load one takes longer than the stress phase
# allows), the last ones after the stress if need be.
cycles=0 tries=0
while [ "$(date +%s)" -lt "$end" ] || { [ "$cycles" -lt 3 ] && [ "$tries" -lt 6 ]; }; do
	i0=$(dv inflated)
	# 128..640 MiB: the larger ones take volatile page cache too
	ph_host target $(( (RANDOM % 9 + 2) * 64 ))M > /dev/null
	sleep 4
	[ "$(dv inflated)" -gt "$i0" ] && cycles=$((cycles + 1))
	ph_host target 0 > /dev/null
	sleep 2
	tries=$((tries + 1))
done
wait $p_anon; r_anon=$?
wait $p_file; r_file=$?
wait $p_zs
wait $p_cmp
ph_diag "$(cat /tmp/anon.out) | $(cat /tmp/file.out)"
ph_diag "host cycles $cycles of $tries; reported $(( $(dv reported_pages) - rep0 )), inflated $(( $(dv inflated) - inf0 )), migrated $(( $(dv migrated) - mig0 )), volatile dropped $(( $(dv volatile_dropped) - drop0 )), discard faults $(dv discard_faults)"
ph_eq "anonymous memory: every page checksum intact" "$r_anon $(awk '{ print $6 }' /tmp/anon.out)" "0 0"
ph_eq "ext4 files (clean, dirty, shared-mapped, re-read): intact" "$r_file $(awk '{ print $6 }' /tmp/file.out)" "0 0"
ph_eq "zspool stress: no corrupt object" "$(pool stress_corrupt)" 0
ph_eq "zspool stress: no lost object" "$(pool stress_lost)" 0
ph_eq "zspool background objects verify" "$(ph_write $Z/ctl verify)" OK
ph_ge "the host inflated the balloon, cycles of target and 0" "$cycles" 3
ph_ge "  pages told to the host" "$(( $(dv inflated) - inf0 ))" 1
ph_ge "free pages were reported meanwhile" "$(( $(dv reported_pages) - rep0 ))" 1
ph_eq "no report refused" "$(dv report_errors)" 0
ph_eq "no OOM kill" "$(killed)" 0
ph_bl_settle
ph_eq "target 0 at the end: the balloon is empty, QEMU agrees" "$(bs size_pages) $(ph_host held)" "0 0"
cat $PH_DFS/verify > /tmp/verify.$$
sed 's/^/# verify: /' /tmp/verify.$$
ph_eq "verify: no disagreement" "$(ph_field /tmp/verify.$$ disagree)" 0
for pfn in $(awk '$1 == "example" { print $2 }' /tmp/verify.$$ | head -n 3); do
	ph_write $PH_DFS/pfn "$pfn" > /dev/null
	ph_diag "pfn $pfn: $(tr '\n' ' ' < $PH_DFS/pfn)"
done
ph_write $Z/ctl destroy > /dev/null
ph_unload
ph_done
