#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=1800 balloon=1 append=init_on_alloc=0
# P8 again, with init_on_alloc=0 on the guest's command line: the inflate
# rate without the allocator zeroing every page (Debian turns
# init_on_alloc on; under icount rep stosb counts one instruction per
# byte, about 4,100 guest ns per 4 KiB page, whoever allocates). The same
# measurement as 71_host_target's P8: virtio_balloon against pagehint.
. "$PH_TOP/selftests/lib.sh"
. "$PH_TOP/selftests/bench/host_lib.sh"

ph_have_balloon_dev || { echo "# no virtio-balloon device: vm.sh --balloon"; exit 1; }
grep -qw init_on_alloc=0 /proc/cmdline || { echo "# not booted with init_on_alloc=0"; exit 1; }
: > /tmp/73.txt
for drv in vb ph; do
	drv_on $drv || { echo "# $drv did not load"; exit 1; }
	p8 $drv >> /tmp/73.txt
	drv_off $drv
done
sed 's/^/# /' /tmp/73.txt
python3 - /tmp/73.txt "$PH_RESULTS/bench-host_inflate.json" <<'PY'
import json, sys
names = {"vb": "virtio_balloon", "ph": "pagehint"}
out = {}
print("P8 with init_on_alloc=0: the host asks for 512 MiB of an idle guest (guest time)")
print("%-16s %10s %10s %12s" % ("driver", "pages", "guest ms", "MiB/s"))
for line in open(sys.argv[1]):
    r = dict(f.split("=", 1) for f in line.split())
    pages, ns = int(r["pages"]), int(r["ns"])
    rate = pages * 4096 / (1 << 20) / (ns / 1e9) if ns else 0
    print("%-16s %10d %10.1f %12.1f" % (names[r["drv"]], pages, ns / 1e6, rate))
    out[r["drv"]] = {"pages": pages, "ns": ns, "mib_s": round(rate, 1)}
print("goal: >= 1024 MiB/s")
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
