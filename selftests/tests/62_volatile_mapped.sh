#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# volatile_mapped: the per-pte dirty check (seed 000, "patch #4"). A mapped
# page-cache page may become volatile only when no pte maps it dirty or
# writable. A process maps a clean file read-only; another maps it and
# unmaps (the put of its references is a strategic point): with the policy
# off the pages stay stable ("mapped"), with it on they become volatile
# while still mapped. A write through a shared mapping makes the page
# stable again, refused with reason "dirty".
# vm: timeout=400
. "$PH_TOP/selftests/lib.sh"
PFN=$PH_DFS/pfn

ph_load_ok
for c in states rmap; do
	if [ "$(ph_component $c)" != up ]; then
		ph_skip "volatile_mapped" "component $c not up"
		ph_unload; ph_done
	fi
done
ph_ext4 || { ph_skip "volatile_mapped" "no ext4"; ph_unload; ph_done; }
head -c 256K /dev/urandom > /mnt/ext4/f
sync
ph_drop_caches

# holder: maps the file read-only, touches it, prints its PFNs, waits
rm -f /tmp/vm.in /tmp/vm.w; mkfifo /tmp/vm.in
cat > /tmp/holder.py <<'PY'
import mmap, os, struct, sys
f = open(sys.argv[1], "rb")
m = mmap.mmap(f.fileno(), 0, mmap.MAP_SHARED, mmap.PROT_READ)
s = sum(m[i * 4096] for i in range(64))
addr = int(open("/proc/self/maps").read().split("/mnt/ext4/f")[0].splitlines()[-1].split("-")[0], 16)
pm = open("/proc/self/pagemap", "rb")
pfns = []
for i in range(64):
    pm.seek((addr // 4096 + i) * 8)
    e = struct.unpack("Q", pm.read(8))[0]
    pfns.append(e & ((1 << 55) - 1) if e >> 63 else 0)
print(" ".join(map(str, pfns)), flush=True)
sys.stdin.readline()
PY
python3 /tmp/holder.py /mnt/ext4/f > /tmp/vm.out < /tmp/vm.in &
holder=$!
exec 3> /tmp/vm.in
for _ in $(seq 100); do [ -s /tmp/vm.out ] && break; sleep 0.1; done
pfns=$(cat /tmp/vm.out)
ph_eq "holder maps 64 pages" "$(wc -w <<< "$pfns")" 64

# state, reason and map count of every holder PFN, one line each
states() {
	python3 - $pfns <<'PY'
import os, sys
for p in sys.argv[1:]:
    fd = os.open("/sys/kernel/debug/pagehint/pfn", os.O_RDWR)
    os.write(fd, p.encode())
    kv = dict(l.split(" ", 1) for l in os.pread(fd, 65536, 0).decode().splitlines() if " " in l)
    os.close(fd)
    print(kv.get("state"), kv.get("volatile_reason"), kv.get("mapcount"))
PY
}
# another process maps and unmaps the file: the put is a strategic point
toucher() {
	python3 -c "
import mmap, sys
f = open('/mnt/ext4/f', 'rb')
m = mmap.mmap(f.fileno(), 0, mmap.MAP_SHARED, mmap.PROT_READ)
s = sum(m[i * 4096] for i in range(64)); m.close()"
}

ph_eq "volatile_mapped off by default" "$(cat $PH_DFS/policy/volatile_mapped)" 0
toucher
s=$(states)
ph_eq "policy off: mapped pages stay stable" "$(grep -c '^volatile' <<< "$s")" 0
ph_ge "policy off: refused as mapped" "$(grep -c ' mapped ' <<< "$s")" 60

# the map strategic point (page_add_file_rmap) needs the check: attached
# with it only; fault-around's lookup (filemap_map_pages) always
mapst() { ph_hook "$1" state; }
ph_eq "policy off: states_map detached" "$(mapst states_map)" detached
ph_eq "policy off: states_cow detached (mapped pages are stable)" "$(mapst states_cow)" detached
ph_eq "policy off: states_map_pages attached" "$(mapst states_map_pages)" attached
ph_eq "policy volatile_mapped on" "$(ph_write $PH_DFS/policy/volatile_mapped 1)" OK
ph_eq "policy on: states_map attached" "$(mapst states_map)" attached
ph_eq "policy on: states_cow attached (a copy-on-write source may be volatile)" "$(mapst states_cow)" attached
toucher
s=$(states)
ph_diag "$(sort <<< "$s" | uniq -c | head -5)"
ph_ge "policy on: read-only mapped pages become volatile" "$(grep -c '^volatile none 1' <<< "$s")" 32

# a write through a shared mapping: dirty pte, dirty folio -> stable, "dirty"
# (no periodic writeback meanwhile: it would clean both before the checks)
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
echo 360000 > /proc/sys/vm/dirty_expire_centisecs
p0=${pfns%% *}
python3 -c "
import mmap
f = open('/mnt/ext4/f', 'r+b')
m = mmap.mmap(f.fileno(), 0, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
m[0] = (m[0] + 1) % 256
open('/tmp/vm.w', 'w').write('done')
import os, signal
os.kill(os.getpid(), signal.SIGSTOP)" &
writer=$!
for _ in $(seq 100); do [ -s /tmp/vm.w ] && break; sleep 0.1; done
echo $p0 > $PFN
ph_eq "written page: stable" "$(ph_field $PFN state)" stable
ph_eq "written page: refused with reason dirty" "$(ph_field $PFN volatile_reason)" dirty
# the inspector shows why: the writer's pte is present, writable, dirty
echo "pfn $p0" > $PH_DFS/rmap
ph_eq "rmap: the writer's pte is writable and dirty" \
	"$(ph_rmap_col "$(cat $PH_DFS/rmap)" present,writable,dirty pid=$writer)" "1 1 1"
ph_eq "rmap: the holder's pte is read-only and clean" \
	"$(ph_rmap_col "$(cat $PH_DFS/rmap)" present,writable,dirty pid=$holder)" "1 0 0"
kill -9 $writer 2>/dev/null; wait $writer 2>/dev/null

ph_ge "before policy off: the holder's mapped pages are volatile" "$(states | grep -c '^volatile')" 32
ph_eq "policy volatile_mapped off" "$(ph_write $PH_DFS/policy/volatile_mapped 0)" OK
ph_eq "policy off again: states_map detached" "$(mapst states_map)" detached
ph_eq "policy off again: the holder's mapped pages are stable again" "$(states | grep -c '^volatile')" 0
v=$(cat $PH_DFS/policy/volatile_mapped)
ph_eq "bad input: garbage" "$(ph_write $PH_DFS/policy/volatile_mapped yes)" EINVAL
ph_eq "bad input: not a boolean" "$(ph_write $PH_DFS/policy/volatile_mapped 2)" EINVAL
ph_eq "bad input: empty" "$(ph_write $PH_DFS/policy/volatile_mapped '')" EINVAL
ph_eq "bad input: unchanged" "$(cat $PH_DFS/policy/volatile_mapped)" "$v"
exec 3>&-
wait $holder
umount /mnt/ext4
ph_unload
ph_done
