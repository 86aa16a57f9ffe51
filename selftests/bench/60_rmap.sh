#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=1800
# Cost of an rmap query in a forking workload (seed 004: anon_vma chains).
# N = 1, 10, 100, 1000 forked children; each writes page 0 (COW: a private
# copy in its own anon_vma) and leaves page 1 shared by all N + 1.
#   cow    = the last child's private page: goal <= 2x from N=1 to N=1000
#   shared = the page all map: expected linear in N
# query_ns: one write() of "pfn N" to debugfs rmap (parse, lock, walk,
# format), averaged over 20; walk_ns: rmap_walk alone, as the module
# measures it. Guest ns = guest instructions (-icount shift=0).
# Writes $PH_RESULTS/bench-rmap.json and bench-rmap.svg (a log-log plot).
. "$PH_TOP/selftests/lib.sh"
B=$PH_TOP/selftests/tools/rmap_bench

ph_load used_once=0 || exit 1
: > /tmp/rmap_bench.out
for n in 1 10 100 1000; do
	$B $n 20 >> /tmp/rmap_bench.out || exit 1
done
ph_unload

python3 - /tmp/rmap_bench.out "$PH_RESULTS" <<'PY'
import json, math, os, sys
rows = []
for line in open(sys.argv[1]):
    t = line.split()
    rows.append({t[i]: int(t[i + 1]) for i in range(0, len(t), 2)})
print("%6s | %12s %12s %6s %8s | %12s %12s %6s %8s" % (
    "N", "cow query", "cow walk", "vmas", "mappings",
    "shared query", "shared walk", "vmas", "mappings"))
for r in rows:
    print("%6d | %12d %12d %6d %8d | %12d %12d %6d %8d" % (
        r["n"], r["cow_query_ns"], r["cow_walk_ns"], r["cow_vmas"], r["cow_mappings"],
        r["shared_query_ns"], r["shared_walk_ns"], r["shared_vmas"], r["shared_mappings"]))
first, last = rows[0], rows[-1]
ratio = {k: last[k] / first[k] for k in ("cow_query_ns", "cow_walk_ns", "shared_query_ns", "shared_walk_ns")}
print("# N=%d vs N=%d: cow query x%.2f, cow walk x%.2f (goal <= 2); shared query x%.1f, shared walk x%.1f (linear: ~%d)" % (
    last["n"], first["n"], ratio["cow_query_ns"], ratio["cow_walk_ns"],
    ratio["shared_query_ns"], ratio["shared_walk_ns"], (last["n"] + 1) // (first["n"] + 1)))
json.dump({"rows": rows, "ratio_last_first": ratio}, open(os.path.join(sys.argv[2], "bench-rmap.json"), "w"), indent=1)

# plot: log-log, N on x, guest ns on y, four series
W, H, L, R, T, Bm = 640, 420, 70, 160, 30, 50
xs = [math.log10(r["n"]) for r in rows]
keys = [("cow_query_ns", "#1f77b4", "cow query"), ("cow_walk_ns", "#1f77b4", "cow walk"),
        ("shared_query_ns", "#d62728", "shared query"), ("shared_walk_ns", "#d62728", "shared walk")]
ally = [math.log10(max(r[k], 1)) for r in rows for k, _, _ in keys]
y0, y1 = math.floor(min(ally)), math.ceil(max(ally))
x0, x1 = 0, math.ceil(max(xs))
px = lambda x: L + (x - x0) / (x1 - x0) * (W - L - R)
py = lambda y: H - Bm - (y - y0) / (y1 - y0) * (H - T - Bm)
svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (W, H),
       '<rect width="100%" height="100%" fill="white"/>',
       '<text x="%d" y="18">rmap query cost vs forked children (guest ns = instructions, log-log)</text>' % L]
for d in range(x0, x1 + 1):
    svg.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/><text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (
        px(d), T, px(d), H - Bm, px(d), H - Bm + 16, 10 ** d))
for d in range(y0, y1 + 1):
    svg.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">1e%d</text>' % (
        L, py(d), W - R, py(d), L - 6, py(d) + 4, d))
svg.append('<text x="%d" y="%d" text-anchor="middle">N (children)</text>' % ((L + W - R) // 2, H - 10))
for i, (k, col, name) in enumerate(keys):
    pts = " ".join("%.1f,%.1f" % (px(x), py(math.log10(max(r[k], 1)))) for x, r in zip(xs, rows))
    dash = ' stroke-dasharray="5,4"' if "walk" in k else ""
    svg.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>' % (pts, col, dash))
    svg.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/><text x="%d" y="%d">%s</text>' % (
        W - R + 10, T + 20 * i + 10, W - R + 40, T + 20 * i + 10, col, dash, W - R + 46, T + 20 * i + 14, name))
svg.append("</svg>")
open(os.path.join(sys.argv[2], "bench-rmap.svg"), "w").write("\n".join(svg) + "\n")
PY
