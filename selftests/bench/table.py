#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One benchmark table, a column per kernel.

usage: table.py NAME=.cache/bench/<release>/bench.json ...

Reads what bench.sh collected for each kernel (00_overhead, 30_states_grep,
40_zspool; a missing benchmark prints "-") and prints a markdown table:
the overhead of each 00_overhead workload (median, loaded vs absent, and the
spread of the absent runs), the state shares of 30_states_grep, and
zspool/zsmalloc ratios of 40_zspool per size distribution. A last line
says whether every overhead is within the 2 % goal.
"""
import json
import os
import sys

GOAL = 2.0


def load(path):
    if not os.path.exists(path):
        return {}
    with open(path) as fh:
        return json.load(fh)


def main(argv):
    cols = []
    for a in argv:
        name, _, path = a.partition("=")
        rel = os.path.basename(os.path.dirname(path))
        cols.append(("%s (%s)" % (name, rel), load(path)))
    if not cols:
        print(__doc__)
        return 2
    rows = []
    over = []

    def ov(d, bench):
        for w in d.get("overhead", {}).get("workloads", []):
            if w["bench"] == bench:
                return w
        return None

    for bench, label in (("fault", "page faults, 64 MiB x 8"),
                         ("read", "cached 32 MiB re-read x 8"),
                         ("read_volatile_read_off", "re-read, volatile_read=0"),
                         ("fork", "fork + exit x 200")):
        cells = []
        for _, d in cols:
            w = ov(d, bench)
            if w is None:
                cells.append("-")
                continue
            c = "%+.2f %%" % w["delta_pct"]
            if "noise_pct" in w:
                c += " (noise %.2f %%)" % w["noise_pct"]
                over.append(w["delta_pct"])
            cells.append(c)
        rows.append(("00_overhead: " + label, cells))
    for key, label in (("volatile_pct", "volatile of all pages"),
                       ("volatile_of_resident_pct", "volatile of resident")):
        cells = []
        for _, d in cols:
            g = d.get("states_grep")
            cells.append("%.1f %%" % g[key] if g else "-")
        rows.append(("30_states_grep: " + label, cells))
    cells = []
    for _, d in cols:
        g = d.get("states_grep")
        cells.append("%.1f %%" % (100.0 * g["unused"] / g["pages"]) if g else "-")
    rows.append(("30_states_grep: unused", cells))
    dists = []
    for _, d in cols:
        for dist in d.get("zspool", {}).get("dists", {}):
            if dist not in dists:
                dists.append(dist)
    for key, label in (("ops_per_s", "alloc+free rate"), ("eff%", "efficiency"),
                       ("freed_c", "compaction freed"), ("migr_per_s", "migration rate")):
        for dist in dists:
            cells = []
            for _, d in cols:
                a = d.get("zspool", {}).get("dists", {}).get(dist)
                if not a:
                    cells.append("-")
                    continue
                z, k = a["zspool"][key], a["zsmalloc"][key]
                if not z and not k:
                    cells.append("0 / 0")
                elif not k:
                    cells.append("%d / 0" % z)
                else:
                    cells.append("%.2f (%d / %d)" % (z / k, z, k))
            rows.append(("40_zspool %s: %s, zspool/zsmalloc" % (dist, label), cells))
    print("| benchmark | " + " | ".join(c for c, _ in cols) + " |")
    print("|---|" + "---|" * len(cols))
    for label, cells in rows:
        print("| %s | %s |" % (label, " | ".join(cells)))
    if over:
        worst = max(over)
        print("overhead goal (<= %.0f %% on every workload and kernel): %s (worst %+.2f %%)"
              % (GOAL, "met" if worst <= GOAL else "NOT met", worst))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
