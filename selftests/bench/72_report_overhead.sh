#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=3600 balloon=1
# What reporting free pages at 4 KiB costs the guest: the workloads of
# 00_overhead (page faults: mmap + touch + munmap 64 MiB x 8; a cached
# 32 MiB file re-read x 8; fork + exit x 200), guest ns = guest
# instructions, medians of REPS alternating rounds of four sides:
#   absent  no pagehint, no page reporting device
#   sim     pagehint, host_channel=sim (00_overhead's "loaded")
#   virtio  pagehint, host_channel=virtio: reporting at order 0 and its
#           kicker, the balloon device driven (target 0)
#   vb0     the kernel's virtio_balloon with page_reporting_order=0: the
#           kernel's own cost of reporting 4 KiB pages at its pacing
# The free path itself is not hooked for reporting; what the workloads pay
# is the kernel's notification at every free into the buddy lists
# (page_reporting_notify_free(), at order 0 for every page) and the report
# runs themselves (isolation, a host round trip per 32 blocks, putback),
# which run on the one vCPU between the workload's steps.
. "$PH_TOP/selftests/lib.sh"
B="setarch -R $PH_TOP/selftests/tools/phbench"
ORDER=/sys/module/page_reporting/parameters/page_reporting_order

ph_have_balloon_dev || { echo "# no virtio-balloon device: vm.sh --balloon"; exit 1; }
ph_ext4 || exit 1
head -c 32M /dev/urandom > /mnt/ext4/file32
sync; echo 3 > /proc/sys/vm/drop_caches
ns() { sed -n 's/.*total_ns=\([0-9]*\).*/\1/p'; }

run_set() {	# run_set SIDE: one line per workload: side name total_ns
	local w
	for w in "fault 64 8" "read /mnt/ext4/file32 8" "fork 200"; do
		$B $w > /dev/null
		echo "$1 ${w%% *} $($B $w | ns)"
	done
}

side_on() {
	case $1 in
	sim) ph_load ;;
	virtio) ph_load host_channel=virtio ;;
	vb0) ph_kmod virtio_balloon && echo 0 > $ORDER ;;
	esac
	sleep 3	# the first report run (the kernel queues it 2 s out)
}
side_off() {
	case $1 in
	sim|virtio) ph_unload ;;
	vb0) rmmod virtio_balloon ;;
	esac
}

REPS=5
: > /tmp/runs
for r in $(seq $REPS); do
	for side in absent sim virtio vb0; do
		side_on $side || { echo "# $side: did not load"; exit 1; }
		run_set $side >> /tmp/runs
		[ "$side" = virtio ] && [ "$r" = $REPS ] &&
			grep -E '^(reported_pages|reports|report_kicks) ' $PH_DFS/host/device | sed 's/^/# virtio /'
		side_off $side
	done
done

python3 - /tmp/runs "$PH_RESULTS/bench-report_overhead.json" <<'PY'
import json, statistics, sys
runs = {}
for l in open(sys.argv[1]):
    side, k, t = l.split()
    runs.setdefault((side, k), []).append(int(t))
sides = ("absent", "sim", "virtio", "vb0")
print("median of %d alternating rounds; guest ns; delta against absent" % len(runs[("absent", "fault")]))
print("%-6s %14s %9s %9s %9s %10s %10s" % ("bench", "absent ns", "sim", "virtio", "vb0", "virtio-sim", "noise"))
out = []
for k in ("fault", "read", "fork"):
    med = {s: statistics.median(runs[(s, k)]) for s in sides}
    a = runs[("absent", k)]
    noise = 100.0 * (max(a) - min(a)) / med["absent"]
    d = {s: 100.0 * (med[s] - med["absent"]) / med["absent"] for s in sides}
    vs = 100.0 * (med["virtio"] - med["sim"]) / med["sim"]
    print("%-6s %14d %+8.2f%% %+8.2f%% %+8.2f%% %+9.2f%% %9.2f%%" % (
          k, med["absent"], d["sim"], d["virtio"], d["vb0"], vs, noise))
    out.append({"bench": k, "median_ns": med, "delta_pct": {s: round(d[s], 3) for s in sides},
                "virtio_vs_sim_pct": round(vs, 3), "noise_pct": round(noise, 3),
                "runs": {s: runs[(s, k)] for s in sides}})
print("budget: pagehint with every attach point on (virtio) <= 2 % over absent")
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
