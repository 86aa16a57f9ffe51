#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=2400
# Balloon fragmentation (seed 002's headline) and rates, guest time =
# instructions (make bench: -icount shift=0,sleep=off -smp 1).
#
# For each of: no balloon, movable balloon, unmovable balloon (fresh module
# load each): drop caches and compact; fragment memory (phfrag.py: anonymous
# memory over half of free memory, every other 128 KiB given back); inflate
# the balloon to 50 % of RAM into and around the holes; let the fragmenter
# exit; compact (echo 1 > compact_memory). Count order-9 (2 MiB) and order-3
# blocks: from /proc/buddyinfo before/after compaction and by allocating
# them (phtest's balloon/probe: no reclaim, stops at the floor). The headline is
# the share of free memory obtainable as order-9 blocks after compaction:
# movable (goal >= 95 %) against unmovable - pages allocated exactly like
# the movable ones, in movable pageblocks, but never movable: compaction
# cannot empty the pageblocks they sit in.
. "$PH_TOP/selftests/lib.sh"
B=$PH_DFS/balloon
TB=$PH_TDFS/balloon	# the probe (phtest.ko)
st() { ph_field $B/status "$1"; }
now_ns() { date +%s%N; }
bwait() { "$PH_CTL" balloon wait 1800 > /dev/null; }
# blocks of order >= $1 in /proc/buddyinfo, in units of order $1 (all zones)
buddy() { awk -v o="$1" '{ for (i = 5 + o; i <= NF; i++) s += $i * 2 ^ (i - 5 - o) } END { print s + 0 }' /proc/buddyinfo; }
freepages() { echo $(( $(ph_field /proc/meminfo MemFree) / 4 )); }

run_cfg() {	# run_cfg none|movable|unmovable: prints one "key=value ..." line
	local mode=$1 total free0 t0 t1 m0 m1 out
	ph_load && ph_load_test || exit 1
	[ "$mode" = unmovable ] && echo 0 > $B/movable
	ph_drop_caches
	echo 1 > /proc/sys/vm/compact_memory
	total=$(ph_field /proc/meminfo MemTotal)
	free0=$(ph_field /proc/meminfo MemFree)
	ph_frag_start $(( free0 / 2 / 1024 ))
	out="mode=$mode"
	if [ "$mode" != none ]; then
		echo $(( total / 2 / 4 )) > $B/target
		bwait
		out+=" size=$(st size_pages) stop=$(st stop) inflate_kib_s=$(st inflate_kib_s)"
	fi
	ph_frag_stop
	out+=" free=$(freepages) b9_before=$(buddy 9) b3_before=$(buddy 3)"
	m0=$(st migrated); t0=$(now_ns)
	echo 1 > /proc/sys/vm/compact_memory
	t1=$(now_ns); m1=$(st migrated)
	out+=" compact_ns=$(( t1 - t0 )) migrated=$(( m1 - m0 ))"
	out+=" b9_after=$(buddy 9) b3_after=$(buddy 3) free_after=$(freepages)"
	echo 9 > $TB/probe; out+=" probe9=$(ph_field $TB/status probe_blocks) probe_free=$(ph_field $TB/status probe_free)"
	echo 3 > $TB/probe; out+=" probe3=$(ph_field $TB/status probe_blocks) floor=$(st floor_pages)"
	if [ "$mode" != none ]; then
		echo 0 > $B/target; bwait
		out+=" deflate_kib_s=$(st deflate_kib_s)"
	fi
	ph_unload
	echo "$out"
}

for m in none movable unmovable; do run_cfg $m; done > /tmp/bench-balloon.txt
cat /tmp/bench-balloon.txt | sed 's/^/# /'

python3 - /tmp/bench-balloon.txt "$PH_RESULTS/bench-balloon.json" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(f.split("=", 1) for f in line.split())
    rows[kv["mode"]] = {k: (v if k in ("mode", "stop") else int(v)) for k, v in kv.items()}
def share(r, key, order):	# share of free memory obtainable as blocks of order
    # free pages when the probe began, per-CPU lists drained
    free = max(r["probe_free"] - r["floor"], 1)
    return r[key] * (1 << order) / free
print("Balloon at 50 % of RAM inflated into fragmented memory, then compaction")
print("(guest time = instructions; blocks: buddyinfo after compaction / allocated by the probe)")
print("%-10s %9s %9s %9s %9s %9s %9s %10s %9s" % ("balloon", "size MiB", "free MiB", "o9 before",
      "o9 after", "o9 probe", "o9 share", "o3 probe", "migrated"))
for m in ("none", "movable", "unmovable"):
    r = rows[m]
    r["o9_share"] = round(share(r, "probe9", 9), 4)
    r["o3_share"] = round(share(r, "probe3", 3), 4)
    print("%-10s %9d %9d %9d %9d %9d %8.1f%% %10d %9d" % (m, r.get("size", 0) * 4 // 1024,
          r["free_after"] * 4 // 1024, r["b9_before"], r["b9_after"], r["probe9"],
          100 * r["o9_share"], r["probe3"], r["migrated"]))
mv, no, um = rows["movable"], rows["none"], rows["unmovable"]
head = mv["o9_share"] / no["o9_share"] if no["o9_share"] else 0
headu = um["o9_share"] / no["o9_share"] if no["o9_share"] else 0
mig_rate = mv["migrated"] * 4 / 1024 / (mv["compact_ns"] / 1e9) if mv["compact_ns"] else 0
print()
print("order-9 share of free memory, movable:   %5.1f %%  (goal >= 95 %%)" % (100 * mv["o9_share"]))
print("order-9 share of free memory, unmovable: %5.1f %%  (pages in movable pageblocks, not movable)" % (100 * um["o9_share"]))
print("order-9 share, movable / no balloon:     %5.1f %%" % (100 * head))
print("order-9 share, unmovable / no balloon:   %5.1f %%" % (100 * headu))
for m in ("movable", "unmovable"):
    r = rows[m]
    print("%-9s inflate %8.1f MiB/s, deflate %8.1f MiB/s (guest time)" % (m, r["inflate_kib_s"] / 1024,
          r["deflate_kib_s"] / 1024))
print("movable   migration during compaction: %d pages in %.3f s = %.1f MiB/s" % (
      mv["migrated"], mv["compact_ns"] / 1e9, mig_rate))
json.dump({"configs": rows, "o9_share_movable_vs_none": round(head, 4),
           "o9_share_unmovable_vs_none": round(headu, 4), "goal": 0.95,
           "migration_mib_s": round(mig_rate, 1),
           "inflate_mib_s": {m: round(rows[m]["inflate_kib_s"] / 1024, 1) for m in ("movable", "unmovable")},
           "deflate_mib_s": {m: round(rows[m]["deflate_kib_s"] / 1024, 1) for m in ("movable", "unmovable")}},
          open(sys.argv[2], "w"), indent=1)
PY
