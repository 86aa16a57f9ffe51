#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=256 timeout=1200 icount=0
# The seed's headline experiment (CMM2 v7, Schwidefsky 2009: 256 MB z/VM
# guest after grepping the kernel source tree: 53 % of all pages volatile,
# 75 % of resident, stable 43,784, unused 78,631 of 262,144).
# Here: 256 MiB guest, a source tree (the Debian kernel headers tree and
# /usr/include, about 200 MB of headers, more than the guest's free memory)
# copied to ext4 on virtio-blk, caches dropped, pagehint loaded, `grep -r`
# over the tree, then the share of each state. A share of pages, not a
# time: this one runs without -icount (a 200 MB copy under icount starves
# the guest's I/O past the hung-task timeout).
. "$PH_TOP/selftests/lib.sh"

ph_ext4 || exit 1
mkdir -p /mnt/ext4/src
cp -r /usr/src/linux-headers-*-common /usr/include /mnt/ext4/src/ 2>/dev/null
tree_mb=$(du -sm /mnt/ext4/src | awk '{ print $1 }')
sync; echo 3 > /proc/sys/vm/drop_caches
ph_load || exit 1
boot_vol=$(ph_state_pages volatile)
grep -r "page_make_volatile_never_matches" /mnt/ext4/src > /dev/null
u=$(ph_state_pages unused) s=$(ph_state_pages stable) v=$(ph_state_pages volatile) d=$(ph_state_pages discarded) n=$(ph_state_pages pages)
cp $PH_DFS/transitions $PH_DFS/refusals $PH_RESULTS/ 2>/dev/null
# what the stable and volatile pages are: the state map against
# /proc/kpageflags, one pass (python's own pages are in it: its totals
# differ a little from the counts above, read before it started)
python3 - $PH_DFS/map <<'PY'
import struct, sys
bits = {"slab": 7, "lru": 5, "mmap": 11, "anon": 12, "swapbacked": 14,
        "pgtable": 26, "reserved": 32}
kinds = {}
with open(sys.argv[1]) as m, open("/proc/kpageflags", "rb") as kf:
    next(m)
    for line in m:
        start, count, state = line.split()
        if state not in ("stable", "volatile"):
            continue
        start, count = int(start), int(count)
        kf.seek(start * 8)
        for (f,) in struct.iter_unpack("<Q", kf.read(count * 8)):
            b = lambda k: f >> bits[k] & 1
            if b("slab"):
                k = "slab"
            elif b("pgtable"):
                k = "page tables"
            elif b("anon") or b("swapbacked"):
                k = "anon / shmem"
            elif b("lru"):
                k = "page cache, mapped" if b("mmap") else "page cache, unmapped"
            elif b("reserved"):
                k = "reserved (kernel image, memmap)"
            else:
                k = "other kernel (vmalloc, buffers, ...)"
            kinds[(state, k)] = kinds.get((state, k), 0) + 1
for st in ("stable", "volatile"):
    tot = sum(n for (s, _), n in kinds.items() if s == st)
    print("# %s: %d pages" % (st, tot))
    for (s, k), n in sorted(kinds.items(), key=lambda x: -x[1]):
        if s == st:
            print("#   %-36s %6d" % (k, n))
pc = {st: sum(n for (s, k), n in kinds.items() if s == st and k.startswith("page cache"))
      for st in ("stable", "volatile")}
if sum(pc.values()):
    print("# page cache volatile: %d of %d pages (%.1f %%)" %
          (pc["volatile"], sum(pc.values()), 100.0 * pc["volatile"] / sum(pc.values())))
PY
ph_col $PH_DFS/transitions site,pages to=volatile | awk '{ v[$1] += $2 } END { for (k in v) printf "# made volatile at %-11s %d pages\n", k, v[k] }'
ph_unload
python3 - "$u" "$s" "$v" "$d" "$n" "$tree_mb" "$boot_vol" "$PH_RESULTS/bench-states_grep.json" <<'PY'
import json, sys
u, s, v, d, n, mb, bv = map(int, sys.argv[1:8])
res = s + v
print("grep -r over a %d MB tree on ext4, 256 MiB guest (%d pages)" % (mb, n))
print("%-10s %10s %8s   %10s %8s" % ("state", "pagehint", "share", "CMM2 v7", "share"))
cmm = {"unused": 78631, "stable": 43784, "volatile": 139727}
for k, x in (("unused", u), ("stable", s), ("volatile", v)):
    print("%-10s %10d %7.1f%%   %10d %7.1f%%" % (k, x, 100.0 * x / n, cmm[k], 100.0 * cmm[k] / 262144))
print("%-10s %10d %7.1f%%   %10s %8s" % ("discarded", d, 100.0 * d / n, "-", "-"))
print("volatile of resident (stable + volatile): pagehint %.1f%%, CMM2 v7 75%% (76.1%% from its counts)" % (100.0 * v / res))
print("volatile right after load (before grep): %d (CMM2 v7 after boot: 7,008)" % bv)
json.dump({"tree_mb": mb, "pages": n, "unused": u, "stable": s, "volatile": v, "discarded": d,
           "volatile_pct": round(100.0 * v / n, 2), "volatile_of_resident_pct": round(100.0 * v / res, 2),
           "volatile_after_load": bv,
           "cmm2_v7": {"pages": 262144, "unused": 78631, "stable": 43784, "volatile": 139727,
                       "volatile_pct": 53.3, "volatile_of_resident_pct": 76.1}},
          open(sys.argv[8], "w"), indent=1)
PY
