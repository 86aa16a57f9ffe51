#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=900 mem=1024 balloon=1
# The host's target (QMP balloon) is served in the seed's order: unused
# memory first, then volatile page cache (dropped through the discard
# path: a re-read is a discard fault, counted and traced), only then
# stable memory through the allocator's reclaim. Content read back is
# intact. OOM with the balloon inflated deflates it (deflate-on-oom=on):
# the hungry process runs, nothing is killed, the host is told.
. "$PH_TOP/selftests/lib.sh"
D=$PH_DFS/host/device
B=$PH_DFS/balloon/status
T=/sys/kernel/tracing
dv() { ph_field $D "$1"; }
bs() { ph_field $B "$1"; }
vol() { ph_state_pages volatile; }
freekib() { awk '/^MemFree/ { print $2 }' /proc/meminfo; }
killed() { dmesg | grep -cE 'Out of memory|Killed process|oom-kill'; }
MiB=$((1 << 20))

if ! ph_have_balloon_dev; then
	ph_skip "host target order" "no virtio-balloon device or host helper (vm.sh --balloon)"
	ph_done
fi
ph_ext4 || { ph_skip "host target order" "no scratch ext4"; ph_done; }
# a file read from the disk: clean page cache without buffer heads, volatile
dd if=/dev/urandom of=/mnt/ext4/vol bs=1M count=200 status=none
sum0=$(md5sum < /mnt/ext4/vol)
ino=$(stat -c %i /mnt/ext4/vol)
# a file written through the cache keeps its buffer heads: stable
dd if=/dev/urandom of=/mnt/ext4/stable bs=1M count=96 status=none
sync
ph_load_ok host_channel=virtio
echo 3 > /proc/sys/vm/drop_caches
cat /mnt/ext4/vol > /dev/null
cat /mnt/ext4/stable > /dev/null
dd if=/dev/urandom of=/mnt/ext4/stable bs=1M count=96 conv=notrunc status=none
sync
v0=$(vol)
ph_ge "the 200 MiB file read from disk is volatile" "$v0" $((200 * 256 * 9 / 10))

# --- unused first: a target free memory covers takes no page cache ---
floor=$(bs floor_pages)
avail=$(( $(freekib) / 4 - floor ))
ph_host target $(( avail / 2 * 4 ))K > /dev/null
ph_bl_settle
ph_eq "target of half the free memory reached" "$(bs size_pages)" $(( avail / 2 ))
ph_eq "  from unused memory only" "$(( $(bs from_huge) + $(bs from_free) ))" $(( avail / 2 ))
ph_eq "  no volatile page dropped" "$(dv volatile_dropped)" 0
ph_ge "  the file is still volatile" "$(vol)" $(( v0 * 95 / 100 ))

# --- then volatile: 128 MiB more than free memory ---
echo 8192 > $T/buffer_size_kb	# one event per dropped folio
echo 1 > $T/events/pagehint/discard/enable
echo 1 > $T/events/pagehint/discard_fault/enable
echo > $T/trace
avail=$(( $(freekib) / 4 - floor ))
want=$(( $(bs size_pages) + avail + 128 * 256 ))
ph_host target $(( want * 4 ))K > /dev/null
ph_bl_settle
ph_eq "target beyond free memory reached" "$(bs size_pages)" "$want"
ph_diag "balloon from huge $(bs from_huge) free $(bs from_free) volatile $(bs from_volatile) reclaim $(bs from_reclaim); dropped $(dv volatile_dropped)"
ph_ge "  the balloon took frames volatile pages left" "$(bs from_volatile)" 1
ph_ge "  volatile pages were dropped for them" "$(dv volatile_dropped)" "$(bs from_volatile)"
ph_ge "  the page cache shrank by them" "$(( v0 - $(vol) ))" $(( $(bs from_volatile) * 9 / 10 ))
ph_eq "  stable memory untouched: nothing reclaimed" "$(bs from_reclaim)" 0
ph_eq "  every page accounted for" "$(( $(bs from_huge) + $(bs from_free) + $(bs from_volatile) - $(bs excess_freed) ))" "$want"
dropped=$(dv volatile_dropped)
ph_eq "pagehint:discard events add up to the dropped pages" \
	"$(awk '/discard:/ { for (i = 1; i < NF; i++) if ($i == "nr") s += $(i + 1) } END { print s + 0 }' $T/trace)" "$dropped"
f0=$(dv discard_faults)
ph_eq "the file reads back intact" "$(md5sum < /mnt/ext4/vol)" "$sum0"
nf=$(( $(dv discard_faults) - f0 ))
# the file's own dropped pages (the discard events by inode): other files'
# (binaries, libraries) were dropped too and are not read back here
fdrop=$(awk -v ino=$ino '/discard:/ { for (i = 1; i < NF; i++) { if ($i == "ino") f = ($(i + 1) == ino); if ($i == "nr" && f) s += $(i + 1) } } END { print s + 0 }' $T/trace)
ph_ge "  every dropped page of the file read back was a discard fault ($nf for $fdrop)" "$nf" $(( fdrop * 9 / 10 ))
# other files' dropped pages (binaries) may fault too: all events count
ph_ge "  traced as pagehint:discard_fault" "$(grep -c 'discard_fault:' $T/trace)" "$nf"
ph_ge "  most of them for the file (ino $ino)" "$(grep -c "discard_fault:.* ino $ino " $T/trace)" $(( nf * 9 / 10 ))
v=$(cat $PH_DFS/verify)
ph_eq "verify: no disagreement" "$(echo "$v" | ph_field /dev/stdin disagree)" 0
ph_eq "verify: the balloon's pages are the host's" "$(echo "$v" | ph_field /dev/stdin balloon)" "$(bs size_pages)"
echo 0 > $T/events/pagehint/discard/enable
echo 0 > $T/events/pagehint/discard_fault/enable

# --- only then stable memory, by the allocator's reclaim ---
avail=$(( $(freekib) / 4 - floor ))
vnow=$(vol)
want=$(( $(bs size_pages) + avail + vnow + 32 * 256 ))
ph_host target $(( want * 4 ))K > /dev/null
ph_bl_settle 900
ph_diag "balloon from huge $(bs from_huge) free $(bs from_free) volatile $(bs from_volatile) reclaim $(bs from_reclaim) oom $(bs oom_deflated); size $(bs size_pages) of $want"
ph_ge "past free and volatile memory: the allocator reclaimed for it" "$(bs from_reclaim)" 1
ph_le "  volatile pages were gone first" "$(vol)" $(( vnow / 10 + 256 ))
ph_eq "  no OOM kill" "$(killed)" 0
size=$(bs size_pages)
ph_eq "actual follows" "$(dv actual_pages)" "$size"

# --- OOM with the balloon inflated deflates it ---
d0=$(dv deflated); o0=$(bs oom_deflated)
ph_eq "a process needing 256 MiB runs to completion" \
	"$(python3 -c 'b = b"x" * (256 << 20); print(len(b) >> 20)')" 256
ph_ge "the OOM notifier deflated the balloon" "$(( $(bs oom_deflated) - o0 ))" 1
ph_ge "  and told the host first" "$(( $(dv deflated) - d0 ))" "$(( $(bs oom_deflated) - o0 ))"
ph_eq "  actual follows" "$(dv actual_pages)" "$(bs size_pages)"
ph_eq "  no OOM kill" "$(killed)" 0

ph_host target 0 > /dev/null
ph_bl_settle
ph_eq "target 0: every page back" "$(bs size_pages) $(ph_host held)" "0 0"
ph_unload
ph_done
