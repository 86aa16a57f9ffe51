#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=2400
# How far fork + exit x 200 moves between identical runs, module absent and
# loaded: 5 alternating rounds of 4 runs a side in one boot, each round
# after 00_overhead's other workloads (faults, a cached re-read), as there.
# Prints each side's median, mean, minimum, maximum and spread, the deltas
# of the medians, means and minimums, and the state transitions one loaded
# run makes.
# Guest ns = guest instructions.
. "$PH_TOP/selftests/lib.sh"
B="setarch -R $PH_TOP/selftests/tools/phbench"
ns() { sed -n 's/.*total_ns=\([0-9]*\).*/\1/p'; }

ph_ext4 || exit 1
head -c 32M /dev/urandom > /mnt/ext4/file32
sync; echo 3 > /proc/sys/vm/drop_caches

: > /tmp/fork_runs
for r in 1 2 3 4 5; do
	for side in absent loaded; do
		if [ $side = absent ]; then ph_unload; else ph_load || exit 1; fi
		$B fault 64 8 > /dev/null
		$B read /mnt/ext4/file32 8 > /dev/null
		$B fork 200 > /dev/null
		for i in 1 2 3 4; do echo "$side $($B fork 200 | ns)"; done >> /tmp/fork_runs
	done
done
cp $PH_DFS/transitions /tmp/t0
$B fork 200 > /dev/null
echo "# transitions in one loaded run (from to site pages):"
awk 'NR == FNR { a[$1" "$2" "$3] = $4; next }
	FNR > 1 && $4 - a[$1" "$2" "$3] { print "#  ", $1, $2, $3, $4 - a[$1" "$2" "$3] }' \
	/tmp/t0 $PH_DFS/transitions
ph_unload

python3 - /tmp/fork_runs "$PH_RESULTS/bench-fork-spread.json" <<'PY'
import json, statistics, sys
runs = {"absent": [], "loaded": []}
for l in open(sys.argv[1]):
    side, t = l.split()
    runs[side].append(int(t))
out = {}
print("fork + exit x 200, %d runs a side in one boot (guest ns)" % len(runs["absent"]))
print("%-7s %12s %12s %12s %12s %8s" % ("side", "median", "mean", "min", "max", "spread"))
for side, x in runs.items():
    s = {"median": statistics.median(x), "mean": statistics.mean(x), "min": min(x),
         "max": max(x), "spread_pct": 100.0 * (max(x) - min(x)) / min(x), "runs": x}
    out[side] = s
    print("%-7s %12d %12d %12d %12d %7.2f%%" % (side, s["median"], s["mean"], s["min"],
                                                s["max"], s["spread_pct"]))
for k in ("median", "mean", "min"):
    d = 100.0 * (out["loaded"][k] / out["absent"][k] - 1)
    out["delta_%s_pct" % k] = round(d, 3)
    print("delta of the %ss: %+.2f%%" % (k, d))
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
