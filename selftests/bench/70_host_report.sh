#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=2400 icount=0 balloon=1
# P6: how soon freed guest memory is back on the host, QEMU's RSS sampled
# on the host every 0.1 s (selftests/vm/hostd.py). Wall-clock figures:
# compare the rows of one run; a loaded machine stretches them all.
#
# Three drivers in one boot, in turn: the kernel's virtio_balloon with its
# default reporting order (pageblock, 2 MiB), the same with
# page_reporting_order = 0 (sysfs), pagehint host_channel=virtio. For each:
#  P6a  512 MiB touched, then freed at once (munmap): contiguous;
#  P6b  512 MiB touched with guest THP off, then every other 4 KiB page
#       freed (MADV_DONTNEED): 256 MiB scattered.
# The free starts when QEMU's RSS holds the touched memory; t0 is the host
# clock right after the free returned. Reported: the RSS drop at t0 + S
# for each S as a share of what was freed, and the drop of QEMU's
# AnonHugePages (a 4 KiB discard inside a host huge page splits it).
. "$PH_TOP/selftests/lib.sh"
. "$PH_TOP/selftests/bench/host_lib.sh"
FREE=$PH_TOP/selftests/tools/phfree
THP=/sys/kernel/mm/transparent_hugepage/enabled
SECS="0.5 1 2 5 10 30"

ph_have_balloon_dev || { echo "# no virtio-balloon device: vm.sh --balloon"; exit 1; }

# rss_settle: wait until QEMU's RSS stops growing (the touch reached it)
rss_settle() {
	local a b n=0
	b=$(ph_host rss | cut -d' ' -f1)
	while [ $n -lt 100 ]; do
		sleep 0.5
		a=$b; b=$(ph_host rss | cut -d' ' -f1)
		[ $(( b - a )) -lt 1024 ] && break
		n=$((n + 1))
	done
}

case_run() {	# case_run DRIVER CASE MIB MODE FREED_MIB: one output line
	local drv=$1 name=$2 mib=$3 mode=$4 freed=$5 rss0 huge0 t0 out ns
	rm -f /tmp/pf.in; mkfifo /tmp/pf.in
	"$FREE" "$mib" "$mode" < /tmp/pf.in > /tmp/pf.out &
	local pid=$!
	exec 4> /tmp/pf.in
	while ! grep -q touched /tmp/pf.out 2>/dev/null; do sleep 0.1; done
	rss_settle
	read -r rss0 huge0 <<< "$(ph_host rss)"
	echo free >&4
	while ! grep -q freed /tmp/pf.out; do sleep 0.01; done
	t0=$(ph_host mark)
	ns=$(awk '/freed/ { print $2 }' /tmp/pf.out)
	sleep "${SECS##* }"; sleep 1
	out="drv=$drv case=$name freed_kib=$((freed * 1024)) free_ns=$ns rss0=$rss0 huge0=$huge0"
	while read -r s rss huge; do
		out+=" rss@$s=$rss huge@$s=$huge"
	done < <(ph_host after "$t0" $SECS)
	exec 4>&-
	wait "$pid"
	echo "$out"
}

thp0=$(sed 's/.*\[\(.*\)\].*/\1/' $THP)
: > /tmp/p6.txt
for drv in vb vb0 ph; do
	drv_on $drv || { echo "# $drv: driver did not load"; exit 1; }
	case_run $drv P6a 512 contiguous 512 >> /tmp/p6.txt
	echo never > $THP
	case_run $drv P6b 512 scattered 256 >> /tmp/p6.txt
	echo "$thp0" > $THP
	[ "$drv" = ph ] && grep -E 'report|kick' $PH_DFS/host/device | sed 's/^/# /'
	drv_off $drv
done
sed 's/^/# /' /tmp/p6.txt

python3 - /tmp/p6.txt "$PH_RESULTS/bench-host_report.json" "$SECS" <<'PY'
import json, sys
secs = sys.argv[3].split()
rows = []
for line in open(sys.argv[1]):
    kv = dict(f.split("=", 1) for f in line.split())
    rows.append(kv)
names = {"vb": "virtio_balloon, default order", "vb0": "virtio_balloon, order 0",
         "ph": "pagehint, order 0 + kicker"}
out = {}
for case, what in (("P6a", "512 MiB contiguous freed"), ("P6b", "256 MiB scattered freed (THP off)")):
    print("%s: %s - share of it off QEMU's RSS at t0 + s (host wall clock)" % (case, what))
    print("%-32s %10s " % ("driver", "free ms") + " ".join("%7ss" % s for s in secs) + "   AnonHuge drop @1s")
    for r in rows:
        if r["case"] != case:
            continue
        freed, rss0, huge0 = int(r["freed_kib"]), int(r["rss0"]), int(r["huge0"])
        shares = [(rss0 - int(r["rss@" + s])) / freed for s in secs]
        hd = (huge0 - int(r["huge@1"])) // 1024
        print("%-32s %10.1f " % (names[r["drv"]], int(r["free_ns"]) / 1e6) +
              " ".join("%7.1f%%" % (100 * x) for x in shares) + "   %6d MiB" % hd)
        out.setdefault(case, {})[r["drv"]] = {"share": dict(zip(secs, [round(x, 4) for x in shares])),
                                              "free_ms": int(r["free_ns"]) / 1e6,
                                              "anonhuge_drop_mib_1s": hd}
    print()
print("goals: P6a >= 95 % within 1 s, P6b >= 90 % within 1 s (pagehint)")
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
