#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `make demo` runs in the guest (module already loaded).
. "$PH_TOP/selftests/lib.sh"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
has() { [ -e "$PH_DFS/$1" ]; }

say "pagehintctl status"
$PH_CTL status
say "pagehintctl policy"
$PH_CTL policy
if has states; then
	say "page states after boot"
	$PH_CTL states
	say "read a 32 MiB file on ext4 (virtio-blk), states again"
	ph_ext4 && head -c 32M /dev/urandom > /mnt/ext4/f && sync && ph_drop_caches
	cat /mnt/ext4/f > /dev/null
	$PH_CTL states
fi
if has host; then
	say "the host reclaims 64 MiB: unused first, then volatile"
	$PH_CTL host reclaim 64M && sleep 1 && $PH_CTL host status
	say "read the file again: discard faults reload it"
	cat /mnt/ext4/f > /dev/null
	$PH_CTL host status
fi
if has balloon; then
	say "balloon to 128 MiB, then compaction moves balloon pages"
	$PH_CTL balloon set 128M && sleep 3 && echo 1 > /proc/sys/vm/compact_memory
	$PH_CTL balloon status
	$PH_CTL balloon set 0 && sleep 2
fi
if has zspool; then
	say "zspool per-class stats"
	$PH_CTL zspool stats | head -n 20
fi
if has rmap; then
	say "rmap of this shell's stack page"
	addr=$(awk '/\[stack\]/ { split($1, a, "-"); print "0x" a[1]; exit }' /proc/$$/maps)
	$PH_CTL rmap "$$:$addr" || true
fi
say "hook table after the demo"
$PH_CTL hooks
