#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=1800
# zspool (pagehint.ko) against the kernel's zsmalloc, same size
# distributions, same random choices, one guest run (selftests/zsbench):
# alloc+free rate, memory efficiency (payload / pool pages), pages freed by
# compaction after freeing 70 % at random, page migration rate
# (alloc_contig_range over the pool's pages). Guest time = instructions.
. "$PH_TOP/selftests/lib.sh"
ZB=$PH_TOP/selftests/zsbench/zsbench.ko
MB=${ZSBENCH_MB:-40}

[ -f "$ZB" ] || { echo "zsbench.ko missing: run make"; exit 1; }
ph_load || exit 1
ph_kmod zsmalloc || { echo "zsmalloc.ko not loadable"; exit 1; }
insmod "$ZB" payload_mb=$MB || exit 1
cp /sys/kernel/debug/zsbench/results /tmp/zsbench.txt
sed "s/^/# /" /tmp/zsbench.txt
rmmod zsbench
ph_unload

python3 - /tmp/zsbench.txt "$PH_RESULTS/bench-zspool.json" <<'PY'
import json, sys
rows = [l.split() for l in open(sys.argv[1])]
hdr, rows = rows[0], rows[1:]
res = {}
for r in rows:
    d = dict(zip(hdr, r))
    v = {k: int(x) for k, x in d.items() if k not in ("dist", "alloc")}
    v["migr%"] = v["migr"] * 100 // v["pages"] if v["pages"] else 0
    res.setdefault(d["dist"], {})[d["alloc"]] = v
metrics = [("ops_per_s", "alloc+free ops/s"), ("eff%", "efficiency % (payload/pages)"),
           ("c%", "compaction freed % of pool"), ("freed_c", "compaction freed pages"),
           ("migr%", "pages migrated, % of pool"), ("migr_per_s", "migrations/s")]
print("%-8s %-30s %12s %12s %7s" % ("dist", "metric", "zspool", "zsmalloc", "ratio"))
out = {"dists": res, "zspool_ge_zsmalloc": {}}
for dist, a in res.items():
    for key, label in metrics:
        z, k = a["zspool"][key], a["zsmalloc"][key]
        ratio = z / k if k else float("inf") if z else 1.0
        print("%-8s %-30s %12d %12d %7.2f" % (dist, label, z, k, ratio))
        out["zspool_ge_zsmalloc"]["%s/%s" % (dist, key)] = z >= k
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
