#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host discards volatile page cache: content read back after a discard
# is identical (read(), MAP_SHARED and MAP_PRIVATE readers), every
# discarded page read again is one discard fault, dirty pages (write() or
# a writable shared mapping) are never discarded, and a small request is
# served from unused pages without a discard.
# vm: timeout=600
. "$PH_TOP/selftests/lib.sh"

H=$PH_DFS/host
T=/sys/kernel/tracing
MAP=$PH_TOP/selftests/tools/ph_mmap.py
st() { ph_field "$H/stats" "$1"; }

# tsum EVENT INO: pages of trace EVENT (discard: nr; discard_fault: 1) for INO
tsum() {
	awk -v ev="$1:" -v ino="$2" '
	{
		e = 0
		for (i = 1; i < NF; i++) {
			if ($i == ev) e = 1
			if (e && $i == "ino" && $(i + 1) == ino) {
				if (ev != "discard:") { s++; next }
				for (j = i; j < NF; j++) if ($j == "nr") s += $(j + 1)
				next
			}
		}
	}
	END { print s + 0 }' "$T/trace"
}

# volatile_mapped (rmap): mapped page cache may be volatile when its ptes are clean
ph_load_ok host=1 volatile_mapped=1
ph_ext4 || { ph_skip "ext4 scratch filesystem" "mkfs.ext4 or /dev/vda missing"; ph_unload; ph_done; }
# Fault-around maps up to 16 pages per fault under the pte lock, where the
# per-pte check of the unlock point cannot look: one page per fault gives
# every mapped page its try with its pte in place (debugfs knob).
fa=/sys/kernel/debug/fault_around_bytes
fa0=$(cat $fa 2>/dev/null)
[ -n "$fa0" ] && echo 4096 > $fa
# keep write()-dirtied pages dirty for the whole test
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
echo 360000 > /proc/sys/vm/dirty_expire_centisecs

cd /mnt/ext4 || exit 1
declare -A sum ino
dd if=/dev/urandom of=x bs=1M count=1 status=none
ino[x]=$(stat -c %i x)
for f in a b c e; do
	dd if=/dev/urandom of=$f bs=1M count=8 status=none
	sum[$f]=$(md5sum < $f)
	ino[$f]=$(stat -c %i $f)
done
ph_drop_caches

# reclaim order: with unused pages available a small request discards nothing
f0=$(st forgotten); d0=$(st discarded)
echo 1M > "$H/reclaim"
ph_eq "1 MiB request: 256 unused pages forgotten" $(($(st forgotten) - f0)) 256
ph_eq "1 MiB request: nothing discarded" $(($(st discarded) - d0)) 0

# readers: read() of a, MAP_SHARED read-only b, MAP_PRIVATE c; writer: e
cat a x > /dev/null
dd if=/dev/urandom of=d bs=1M count=4 status=none
sum[d]=$(md5sum < d)
ino[d]=$(stat -c %i d)
for m in b:shared-ro c:private e:shared-rw; do
	f=${m%%:*}
	mkdir -p /tmp/sync.$f
	python3 "$MAP" "${m#*:}" "$f" /tmp/sync.$f > /tmp/sync.$f/out &
done
for f in b c e; do
	for i in $(seq 600); do [ -e /tmp/sync.$f/ready ] && break; sleep 0.1; done
done

echo 0 > $T/tracing_on
echo 16384 > $T/buffer_size_kb
echo > $T/trace
echo 1 > $T/events/pagehint/discard/enable
echo 1 > $T/events/pagehint/discard_fault/enable
echo 1 > $T/tracing_on

# the host takes everything it can: all unused, all volatile
fault0=$(st discard_faults)
echo 4G > "$H/reclaim"
ph_ge "reclaim of everything discarded pages" "$(st discarded)" 1
# A page whose last try raced a per-CPU LRU batch stays stable until the
# next strategic point: 99 % of a file, not every page, is the promise.
ph_ge "read() file: >= 99 % of its pages discarded" "$(tsum discard ${ino[a]})" 2028
ph_ge "MAP_SHARED read-only file: >= 99 % of its pages discarded" "$(tsum discard ${ino[b]})" 2028
ph_ge "MAP_PRIVATE file: >= 99 % of its pages discarded" "$(tsum discard ${ino[c]})" 2028
ph_eq "write()-dirtied file: no page discarded" "$(tsum discard ${ino[d]})" 0
ph_eq "file written through MAP_SHARED: no page discarded" "$(tsum discard ${ino[e]})" 0

# records of a discarded file nobody read again go with its inode
nx=$(tsum discard ${ino[x]})
ph_ge "unread file: >= 99 % of its pages discarded" "$nx" 253
r0=$(st records); i0=$(st records_dropped_inode)
rm -f x
sync
ph_ge "removed file: its records dropped with its inode" $(($(st records_dropped_inode) - i0)) "$nx"
ph_le "removed file: records left" "$(st records)" $((r0 - nx))

# read everything again
ph_eq "read() file: content identical after discards" "$(md5sum < a)" "${sum[a]}"
for f in b c e; do touch /tmp/sync.$f/go; done
wait
for f in b c; do
	before=$(ph_field /tmp/sync.$f/out before)
	after=$(ph_field /tmp/sync.$f/out after)
	ph_eq "mapped reader $f: content before the discards" "$before  -" "${sum[$f]}"
	ph_eq "mapped reader $f: content identical after the discards" "$after  -" "${sum[$f]}"
done
for f in a b c; do
	ph_eq "file $f: discard faults = discarded pages read again" \
		"$(tsum discard_fault ${ino[$f]})" "$(tsum discard ${ino[$f]})"
done
# Background I/O (journal, the binaries the shell runs: the host root is
# page cache too) keeps faulting: the counter is read just before tracing
# stops (every fault it counts has an event) and just after (it counts
# every event). A fault racing the first read on the other CPU: slack 2.
c1=$(st discard_faults)
echo 0 > $T/tracing_on
c2=$(st discard_faults)
nf=$(grep -c " discard_fault: " $T/trace)
ph_ge "discard_faults counter covers every discard_fault event" $((c2 - fault0)) "$nf"
ph_le "discard_faults counter: no faults without an event" $((c1 - fault0)) $((nf + 2))

# dirty data survives: msync (done by the writer), drop caches, re-read
stamped=$(ph_field /tmp/sync.e/out before)
after=$(ph_field /tmp/sync.e/out after)
ph_eq "MAP_SHARED writer: its bytes still mapped after the reclaim" "$after" "$stamped"
ph_drop_caches
ph_eq "MAP_SHARED writer: written bytes on disk after msync" "$(md5sum < e)" "$stamped  -"
ph_eq "write()-dirtied file: content on disk" "$(md5sum < d)" "${sum[d]}"

echo 0 > $T/events/pagehint/discard/enable
echo 0 > $T/events/pagehint/discard_fault/enable
cd /
umount /mnt/ext4
[ -n "$fa0" ] && echo "$fa0" > $fa
ph_unload
ph_done
