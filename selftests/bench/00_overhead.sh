#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=1200
# Cost of pagehint with every attach point on, against the module absent:
# page faults (mmap + touch + munmap 64 MiB, 8 times), a cached 32 MiB file
# re-read 8 times, fork + exit 200 times. Guest ns = guest instructions.
# Per-hook cost = (loaded - absent) / hits of all hooks during the run.
. "$PH_TOP/selftests/lib.sh"
B=$PH_TOP/selftests/tools/phbench

ph_ext4 || exit 1
head -c 32M /dev/urandom > /mnt/ext4/file32
sync

hits_total() { awk 'NR > 1 { s += $6 } END { print s + 0 }' $PH_DFS/hooks 2>/dev/null || echo 0; }
ns() { sed -n 's/.*total_ns=\([0-9]*\).*/\1/p'; }

run_set() {	# run_set LABEL: one line per workload: name total_ns hits
	local w h0 t
	for w in "fault 64 8" "read /mnt/ext4/file32 8" "fork 200"; do
		$B $w > /dev/null	# warm up (page tables, cache, binary)
		h0=$(hits_total)
		t=$($B $w | ns)
		echo "$1 ${w%% *} $t $(( $(hits_total) - h0 ))"
	done
}

ph_unload
run_set absent > /tmp/absent
ph_load
ph_diag "hooks attached: $(awk 'NR > 1 && $5 == "attached"' $PH_DFS/hooks | wc -l)"
run_set loaded > /tmp/loaded
awk 'NR > 1 && $5 == "attached" { print "# hook", $1, $3 }' $PH_DFS/hooks
ph_unload

python3 - /tmp/absent /tmp/loaded "$PH_RESULTS/bench-overhead.json" <<'PY'
import json, sys
def load(p):
    return {l.split()[1]: (int(l.split()[2]), int(l.split()[3])) for l in open(p)}
a, l = load(sys.argv[1]), load(sys.argv[2])
units = {"fault": 64 * 256 * 8, "read": 32 * 256 * 8, "fork": 200}
rows = []
print("%-6s %14s %14s %8s %10s %12s" % ("bench", "absent ns", "loaded ns", "delta", "hook hits", "ns/hit"))
for k in ("fault", "read", "fork"):
    t0, t1, hits = a[k][0], l[k][0], l[k][1]
    d = 100.0 * (t1 - t0) / t0
    per_hit = (t1 - t0) / hits if hits else 0
    print("%-6s %14d %14d %+7.2f%% %10d %12.1f" % (k, t0, t1, d, hits, per_hit))
    rows.append({"bench": k, "absent_ns": t0, "loaded_ns": t1, "delta_pct": round(d, 3),
                 "hits": hits, "ns_per_hit": round(per_hit, 1),
                 "absent_ns_per_unit": t0 // units[k], "loaded_ns_per_unit": t1 // units[k]})
json.dump(rows, open(sys.argv[3], "w"), indent=1)
PY
