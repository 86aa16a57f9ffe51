#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=900 mem=1024
# The balloon never OOM-kills: a target bigger than memory stops at the
# floor; a memory-hungry process then gets its memory from the OOM
# notifier (deflations counted, nothing killed); with balloon_shrinker on,
# reclaim deflates through the shrinker.
. "$PH_TOP/selftests/lib.sh"
B=$PH_DFS/balloon
st() { ph_field $B/status "$1"; }
bwait() { "$PH_CTL" balloon wait 400 > /dev/null; }
hungry() {	# hungry MiB: allocate and write MiB MiB, print the length
	python3 -c "import sys; b = b'x' * ($1 << 20); print(len(b) >> 20)"
}
killed() { dmesg | grep -cE 'Out of memory|Killed process|oom-kill'; }

ph_load_ok
total=$(ph_field /proc/meminfo MemTotal)
want=$(( total * 2 / 4 ))
echo $want > $B/target; bwait
size=$(st size_pages)
ph_eq "target of twice the memory stops at the floor" "$(st stop)" floor
ph_le "  short of its target" "$size" $(( want - 1 ))
ph_ge "  holding most of memory (> 50 %)" "$(( size * 4 ))" $(( total / 2 ))
ph_ge "  free memory kept at >= 90 % of the floor" "$(st free_pages)" $(( $(st floor_pages) * 9 / 10 ))
ph_eq "  no OOM kill while inflating" "$(killed)" 0
ph_ge "  floor blocks counted" "$(st floor_blocks)" 1

ph_eq "a process needing 256 MiB runs to completion" "$(hungry 256)" 256
ph_ge "OOM notifier deflated the balloon" "$(st oom_deflated)" 1
ph_ge "  OOM notifications counted" "$(st oom_calls)" 1
ph_le "  at most balloon_oom_deflate (16M) per call" "$(st oom_deflated)" $(( $(st oom_calls) * 4096 ))
ph_eq "  the balloon shrank by what it gave" "$(st size_pages)" $(( size - $(st oom_deflated) ))
ph_eq "  inflation held after OOM deflation" "$(st stop)" oom
ph_eq "  no OOM kill" "$(killed)" 0

echo 0 > $B/target; bwait
ph_eq "deflated to 0 after the pressure" "$(st size_pages)" 0

# the shrinker option: reclaim takes balloon pages, OOM notifier off
echo 0 > $PH_DFS/policy/balloon_oom_deflate
ph_eq "policy balloon_shrinker on" "$(ph_write $PH_DFS/policy/balloon_shrinker 1)" OK
ph_drop_caches
free=$(ph_field /proc/meminfo MemFree)
echo $(( free * 3 / 4 / 4 )) > $B/target; bwait
s0=$(st size_pages)
ph_ge "balloon at 3/4 of free memory" "$s0" 1
ph_eq "a process needing 384 MiB runs with the shrinker alone" "$(hungry 384)" 384
ph_ge "shrinker deflated the balloon" "$(st shrinker_deflated)" 1
ph_ge "  shrinker calls counted" "$(st shrinker_calls)" 1
ph_eq "  no OOM kill" "$(killed)" 0
ph_eq "policy balloon_shrinker off" "$(ph_write $PH_DFS/policy/balloon_shrinker 0)" OK
ph_unload
ph_done
