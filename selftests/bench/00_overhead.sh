#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=2400
# Cost of pagehint with every attach point on, against the module absent:
# page faults (mmap + touch + munmap 64 MiB, 8 times), a cached 32 MiB file
# (read from disk, no buffer heads) re-read 8 times, fork + exit 200 times.
# Guest ns = guest instructions. Prints medians of alternating runs, the
# re-read with volatile_read=0, and a per-hook table (guest ns per hit).
. "$PH_TOP/selftests/lib.sh"
# ASLR off (setarch -R): with it on, where the stack and the mappings
# land moved fork + exit by up to 4.3 % between identical runs (page-table
# pages and stack pages cleared and copied); off, 0.16 %.
B="setarch -R $PH_TOP/selftests/tools/phbench"

ph_ext4 || exit 1
head -c 32M /dev/urandom > /mnt/ext4/file32
# Read back from the disk: a file written through the cache keeps its
# buffer heads (PG_private), which keep every page stable; pages read by
# readahead have none, so each re-read takes both transitions.
sync; echo 3 > /proc/sys/vm/drop_caches

hits_total() { ph_sum $PH_DFS/hooks hits 2>/dev/null; }
ns() { sed -n 's/.*total_ns=\([0-9]*\).*/\1/p'; }

run_set() {	# run_set LABEL: one line per workload: label name total_ns hits
	local w h0 t
	for w in "fault 64 8" "read /mnt/ext4/file32 8" "fork 200"; do
		$B $w > /dev/null	# warm up (page tables, cache, binary)
		h0=$(hits_total)
		t=$($B $w | ns)
		echo "$1 ${w%% *} $t $(( $(hits_total) - h0 ))"
	done
}

# Absent and loaded alternate, REPS rounds: fork's figure moves by a few
# percent between identical runs (scheduling of parent and children), so
# each side reports its median and the absent runs' spread is the noise.
REPS=5
: > /tmp/runs
for r in $(seq $REPS); do
	ph_unload
	run_set absent >> /tmp/runs
	ph_load || exit 1
	[ "$r" = 1 ] && ph_diag "hooks attached: $(ph_rows $PH_DFS/hooks state=attached)"
	run_set loaded >> /tmp/runs
done
ph_col $PH_DFS/hooks name,target state=attached | sed 's/^/# hook /'

# The re-read with policy volatile_read=0: lookups still make pages stable,
# a read's put no longer tries them volatile (other points still do).
echo 0 > $PH_DFS/policy/volatile_read
$B read /mnt/ext4/file32 8 > /dev/null
for i in 1 2 3; do echo "loaded_noread read $($B read /mnt/ext4/file32 8 | ns) 0"; done >> /tmp/runs
echo 1 > $PH_DFS/policy/volatile_read

# Per hook: every hook detached, then attached again one at a time; the
# page-fault and re-read workloads after each step: the step's extra guest
# ns over the hits of the hook just attached. Each workload's resolution is
# the spread of four identical steps; extras within twice that are noise.
hits_of() { ph_hook "$1" hits; }
step() { echo "$($B fault 64 2 | ns) $($B read /mnt/ext4/file32 2 | ns)"; }
att=$(ph_col $PH_DFS/hooks name state=attached)
for h in $att; do $PH_CTL hooks disable "$h"; done
step > /dev/null
for i in 1 2 3 4; do echo "base - $(step)"; done > /tmp/perhook
for h in $att; do
	$PH_CTL hooks enable "$h"
	step > /dev/null	# warm: the first pass after an attach may differ
	h0=$(hits_of "$h")
	t=$(step)
	echo "$h $(( $(hits_of "$h") - h0 )) $t" >> /tmp/perhook
done
ph_unload

python3 - /tmp/runs "$PH_RESULTS/bench-overhead.json" /tmp/perhook <<'PY'
import json, statistics, sys
runs = {}
for l in open(sys.argv[1]):
    side, k, t, h = l.split()
    runs.setdefault((side, k), []).append((int(t), int(h)))
units = {"fault": 64 * 256 * 8, "read": 32 * 256 * 8, "fork": 200}
rows = []
print("median of %d alternating runs each; noise = spread of the absent runs" % len(runs[("absent", "fault")]))
print("%-6s %14s %14s %8s %8s %10s %10s" % ("bench", "absent ns", "loaded ns", "delta", "noise", "hits/run", "ns/hit"))
for k in ("fault", "read", "fork"):
    a = [t for t, _ in runs[("absent", k)]]
    lt = [t for t, _ in runs[("loaded", k)]]
    hits = statistics.median([h for _, h in runs[("loaded", k)]])
    t0, t1 = statistics.median(a), statistics.median(lt)
    d = 100.0 * (t1 - t0) / t0
    noise = 100.0 * (max(a) - min(a)) / t0
    per_hit = (t1 - t0) / hits if hits else 0
    print("%-6s %14d %14d %+7.2f%% %7.2f%% %10d %10.1f" % (k, t0, t1, d, noise, hits, per_hit))
    rows.append({"bench": k, "absent_ns": t0, "loaded_ns": t1, "delta_pct": round(d, 3),
                 "noise_pct": round(noise, 3), "hits": hits, "ns_per_hit": round(per_hit, 1),
                 "absent_runs": a, "loaded_runs": lt,
                 "absent_ns_per_unit": t0 // units[k], "loaded_ns_per_unit": t1 // units[k]})
nr = [t for t, _ in runs[("loaded_noread", "read")]]
t0 = statistics.median([t for t, _ in runs[("absent", "read")]])
d = 100.0 * (statistics.median(nr) - t0) / t0
print("read with volatile_read=0 (no volatile try at the read's put): %+.2f%%" % d)
rows.append({"bench": "read_volatile_read_off", "loaded_ns": statistics.median(nr),
             "delta_pct": round(d, 3)})
per = []
print("per hook (fault 64 MiB x2, re-read 32 MiB x2; hooks attached one by one):")
print("%-24s %10s %12s %12s %10s" % ("hook", "hits", "fault +ns", "re-read +ns", "ns/hit"))
steps = [l.split() for l in open(sys.argv[3]) if l.strip()]
base = [(int(f), int(r)) for _, _, f, r in steps[:4]]
noise = [max(b[w] for b in base) - min(b[w] for b in base) for w in (0, 1)]
prev = [statistics.median(b[w] for b in base) for w in (0, 1)]
for h, n, f, r in steps[4:]:
    n, cur = int(n), (int(f), int(r))
    extra = [cur[w] - prev[w] for w in (0, 1)]
    prev = cur
    if n == 0:
        continue
    # a hook cannot make a workload faster: negative extras are noise too
    res = sum(e for w, e in enumerate(extra) if e > 2 * noise[w])
    per.append({"hook": h, "hits": n, "extra_fault_ns": extra[0], "extra_read_ns": extra[1],
                "ns_per_hit": round(res / n, 1) if res else None})
    print("%-24s %10d %12d %12d %10s" % (h, n, extra[0], extra[1],
                                         "%.1f" % (res / n) if res else "< noise"))
print("(resolution: fault +-%d ns, re-read +-%d ns: spread of four identical steps)" % tuple(noise))
json.dump({"workloads": rows, "per_hook": per}, open(sys.argv[2], "w"), indent=1)
PY
