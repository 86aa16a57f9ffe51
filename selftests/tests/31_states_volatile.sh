#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=600
# Page states, volatile (seed 000) on a real ext4 on virtio-blk: a read
# makes the file's pages volatile, a re-read or mmap makes them stable and
# they come back at the next strategic point, writing keeps them stable
# (dirty), and each reachable refusal reason is provoked.
# Quiescing for verify: sync + drop_caches; verify drains per-CPU lists.
. "$PH_TOP/selftests/lib.sh"

ref() { ph_field $PH_DFS/refusals "$1"; }
N=8192	# pages in 32 MiB

ph_ext4 || { ph_notok "ext4 on /dev/vda"; ph_done; }
head -c 32M /dev/urandom > /mnt/ext4/f32
sync
ph_load_ok
declare -A r0
for r in dirty writeback locked anon no_mapping private not_lru refcount mapped; do r0[$r]=$(ref $r); done

echo 3 > /proc/sys/vm/drop_caches
v0=$(ph_state_pages volatile)
cat /mnt/ext4/f32 > /dev/null
v1=$(ph_state_pages volatile)
ph_diag "volatile before $v0, after reading 32 MiB $v1"
ph_ge "reading 32 MiB from ext4 makes >= 90% of its pages volatile" $(( v1 - v0 )) $(( N * 9 / 10 ))

# The first re-read activates the pages (a second reference): the LRU
# batch that holds them then gives the last reference back in
# release_pages(), the put point, for some of them.
l0=$(ph_trans volatile stable lookup)
p0=$(( $(ph_trans stable volatile read) + $(ph_trans stable volatile put) ))
cat /mnt/ext4/f32 > /dev/null
l1=$(ph_trans volatile stable lookup)
p1=$(( $(ph_trans stable volatile read) + $(ph_trans stable volatile put) ))
v2=$(ph_state_pages volatile)
ph_ge "re-reading makes >= 90% stable (volatile -> stable, lookup)" $(( l1 - l0 )) $(( N * 9 / 10 ))
ph_ge "and they return to volatile after the read's put (sites read and put)" $(( p1 - p0 )) $(( N * 9 / 10 ))
ph_ge "volatile again after the re-read" "$v2" $(( v1 - N / 20 ))

# The read hook walks a read that fits in its ring (64 pages) whole, at
# the read's first batch, and a longer one batch by batch: 4 KiB, 1 MiB
# and 128 KiB (cat) reads each take both transitions for every page.
for bs in 4k 1M; do
	l0=$(ph_trans volatile stable lookup)
	p0=$(ph_trans stable volatile read)
	dd if=/mnt/ext4/f32 of=/dev/null bs=$bs status=none
	ph_ge "re-read in $bs reads: >= 90% stable at lookup" $(( $(ph_trans volatile stable lookup) - l0 )) $(( N * 9 / 10 ))
	ph_ge "re-read in $bs reads: >= 90% volatile at the put" $(( $(ph_trans stable volatile read) - p0 )) $(( N * 9 / 10 ))
done
# volatile_read=0: the lookups still make the pages stable, the read's
# put leaves them so; back on, the next read's put makes them volatile.
echo 0 > $PH_DFS/policy/volatile_read
l0=$(ph_trans volatile stable lookup)
p0=$(ph_trans stable volatile read)
dd if=/mnt/ext4/f32 of=/dev/null bs=64k status=none
ph_ge "volatile_read=0: re-read makes >= 90% stable at lookup" $(( $(ph_trans volatile stable lookup) - l0 )) $(( N * 9 / 10 ))
ph_le "volatile_read=0: the read's put makes < 10% volatile" $(( $(ph_trans stable volatile read) - p0 )) $(( N / 10 ))
echo 1 > $PH_DFS/policy/volatile_read
p0=$(ph_trans stable volatile read)
dd if=/mnt/ext4/f32 of=/dev/null bs=64k status=none
ph_ge "volatile_read=1 again: >= 90% volatile at the put" $(( $(ph_trans stable volatile read) - p0 )) $(( N * 9 / 10 ))
v2=$(ph_state_pages volatile)

# mmap: mapped pages are stable (reason mapped) until unmapped. The file's
# own pages are looked at (their PFNs from /proc/PID/pagemap, their state
# from the pfn file): the system-wide counts move with whatever else the
# page cache holds (the 9p host root's files, cached by the guest on 7.x).
# THP off meanwhile: where the file system caches large folios (ext4 on
# 7.x) khugepaged would collapse the mapped range into new PMD-size folios,
# freeing the ones whose PFNs were taken.
THP=/sys/kernel/mm/transparent_hugepage/enabled
thp0=$(sed 's/.*\[\(.*\)\].*/\1/' $THP 2>/dev/null)
[ -n "$thp0" ] && echo never > $THP
held=/tmp/mapped.$$
python3 -c "
import mmap, os, struct, time
f = open('/mnt/ext4/f32', 'rb')
m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
s = 0
for i in range(0, len(m), 4096): s += m[i]
lo = int(next(l for l in open('/proc/self/maps') if 'f32' in l).split('-')[0], 16)
fd = os.open('/proc/self/pagemap', os.O_RDONLY)
e = struct.unpack('%dQ' % (len(m) // 4096), os.pread(fd, len(m) // 4096 * 8, (lo >> 12) * 8))
open('$held.pfns', 'w').write('\\n'.join(str(x & ((1 << 55) - 1)) for x in e if x >> 63))
open('$held', 'w').write('1')
time.sleep(600)" &
pid=$!
for i in $(seq 1 300); do [ -e $held ] && break; sleep 0.2; done
# pfn_states FILE: "stable N volatile N ..." over the PFNs listed in FILE
pfn_states() {
	python3 -c "
import collections
c = collections.Counter()
for p in open('$1').read().split():
    open('$PH_DFS/pfn', 'w').write(p)
    c[[l.split()[1] for l in open('$PH_DFS/pfn') if l.startswith('state ')][0]] += 1
print(' '.join('%s %d' % kv for kv in c.items()))"
}
mapped=$(wc -w < $held.pfns)
ph_eq "every page of the file mapped (/proc/PID/pagemap)" "$mapped" $N
s3=$(pfn_states $held.pfns)
ph_diag "states of the mapped file's pages: $s3"
ph_ge "mmap-touching makes >= 90% of them stable" "$(ph_pair stable "$s3")" $(( N * 9 / 10 ))
kill $pid; wait $pid 2>/dev/null
sleep 1
s4=$(pfn_states $held.pfns)
ph_diag "states of the same PFNs after the unmap: $s4"
ph_ge "unmapped: back to volatile at the put of the pte references" "$(ph_pair volatile "$s4")" $(( N * 9 / 10 ))
[ -n "$thp0" ] && echo "$thp0" > $THP
v4=$(ph_state_pages volatile)
ph_ge "refusals: mapped" $(( $(ref mapped) - r0[mapped] )) 1

# writing: stable with reason dirty, then writeback and private (buffers)
dd if=/dev/urandom of=/mnt/ext4/f32 bs=1M count=4 conv=notrunc status=none
v5=$(ph_state_pages volatile)
ph_ge "writing 4 MiB makes >= 90% of those pages stable" $(( v4 - v5 )) $(( 1024 * 9 / 10 ))
ph_ge "refusals: dirty" $(( $(ref dirty) - r0[dirty] )) $(( 1024 * 9 / 10 ))
sync
ph_ge "refusals: writeback (unlocked while under writeback)" $(( $(ref writeback) - r0[writeback] )) 1
ph_ge "refusals: private (buffer heads after writeback)" $(( $(ref private) - r0[private] )) 1
ph_ge "refusals: locked (LRU batch put during read I/O)" $(( $(ref locked) - r0[locked] )) 1
ph_ge "refusals: refcount (I/O done while the reader holds it)" $(( $(ref refcount) - r0[refcount] )) 1
ph_ge "refusals: not_lru (read done before the LRU batch drained)" $(( $(ref not_lru) - r0[not_lru] )) 1
# tmpfs is swap-backed: anon
head -c 1M /dev/urandom > /tmp/shm.$$; cat /tmp/shm.$$ > /dev/null; rm -f /tmp/shm.$$
ph_ge "refusals: anon (tmpfs page cache)" $(( $(ref anon) - r0[anon] )) 1
# truncation removes pages from the cache under their lock
cat /mnt/ext4/f32 > /dev/null
truncate -s 0 /mnt/ext4/f32
ph_ge "refusals: no_mapping (truncated under the page lock)" $(( $(ref no_mapping) - r0[no_mapping] )) 1

sync; echo 1 > /proc/sys/vm/drop_caches
cat $PH_DFS/verify > /tmp/verify.$$
sed 's/^/# verify: /' /tmp/verify.$$
ph_eq "verify after quiescing: 0 disagreements" "$(ph_field /tmp/verify.$$ disagree)" 0
ph_check "pagehintctl states refusals" sh -c "$PH_CTL states refusals | grep -q dirty"
ph_check "pagehintctl --json states transitions is JSON" sh -c "$PH_CTL --json states transitions | python3 -m json.tool > /dev/null"
ph_unload
umount /mnt/ext4
ph_done
