#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=3600 balloon=1
# The host's target (QMP balloon), the kernel's virtio_balloon against
# pagehint host_channel=virtio in one boot, guest time = instructions:
#
#  P8  inflate rate: the host asks for 512 MiB of an idle guest; pages per
#      guest second from the first to the last step of /proc/vmstat
#      balloon_inflate (sampled every 2 ms of guest time);
#  WS  a file working set resident: a hot file (256 MiB, read 3 times:
#      active) and a cold one (448 MiB, read once) leave less free memory
#      than the host's 256 MiB target. Measured: guest CPU busy time until
#      the balloon holds the target (/proc/stat), how much of each file
#      left the page cache (fincore), and the bytes read back from the
#      disk (/proc/vmstat pgpgin) when the hot file is read again.
#      virtio_balloon's allocations reclaim in LRU order; pagehint takes
#      free memory, then volatile page cache (inactive first), then
#      reclaims.
. "$PH_TOP/selftests/lib.sh"
. "$PH_TOP/selftests/bench/host_lib.sh"
busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
hz=$(getconf CLK_TCK)

ph_have_balloon_dev || { echo "# no virtio-balloon device: vm.sh --balloon"; exit 1; }
# Under icount (sleep=off) an idle guest's clock jumps to its next timer
# while the host writes the files: a journal commit waiting for the disk
# looks blocked for minutes of guest time. Not a hang: no detector here.
echo 0 > /proc/sys/kernel/hung_task_timeout_secs

# ws DRIVER: one line
ws() {
	local drv=$1 n0 b0 b1 p0 p1 hc0
	ph_ext4 || return 1
	# content does not matter, only which pages stay cached
	head -c $(( 256 * MiB )) /dev/zero > /mnt/ext4/hot
	head -c $(( 448 * MiB )) /dev/zero > /mnt/ext4/cold
	sync; echo 3 > /proc/sys/vm/drop_caches
	cat /mnt/ext4/cold > /dev/null
	for i in 1 2 3; do cat /mnt/ext4/hot > /dev/null; done
	out="drv=$drv free_kib=$(awk '/^MemFree/ { print $2 }' /proc/meminfo)"
	[ "$drv" = ph ] && hc0=$(ph_field $PH_DFS/host/stats host_cpu_us)
	n0=$(vmev balloon_inflate)
	b0=$(busy)
	ph_host target 256M > /dev/null
	inflated_wait $(( n0 + 256 * 256 )) || out+=" incomplete=1"
	b1=$(busy)
	held_wait $(( 256 * MiB )) || out+=" held=$(ph_host held)"
	# resident pages of each file, then the hot file read again
	out+=" hot_res=$(fincore -n -b -o RES /mnt/ext4/hot) cold_res=$(fincore -n -b -o RES /mnt/ext4/cold)"
	p0=$(vmev pgpgin)
	cat /mnt/ext4/hot > /dev/null
	p1=$(vmev pgpgin)
	out+=" busy_ms=$(( (b1 - b0) * 1000 / hz )) hot_kib=$(( p1 - p0 ))"
	[ "$drv" = ph ] && out+=" drop_cpu_us=$(( $(ph_field $PH_DFS/host/stats host_cpu_us) - hc0 ))"
	[ "$drv" = ph ] && out+=" from_free=$(( $(ph_field $PH_DFS/balloon/status from_huge) + $(ph_field $PH_DFS/balloon/status from_free) )) from_volatile=$(ph_field $PH_DFS/balloon/status from_volatile) from_reclaim=$(ph_field $PH_DFS/balloon/status from_reclaim)"
	ph_host target 0 > /dev/null
	held_wait 0
	umount /mnt/ext4
	echo "$out"
}

: > /tmp/71.txt
for drv in vb ph; do
	drv_on $drv || { echo "# $drv did not load"; exit 1; }
	p8 $drv >> /tmp/71.txt
	ws $drv >> /tmp/71.txt
	drv_off $drv
done
sed 's/^/# /' /tmp/71.txt

python3 - /tmp/71.txt "$PH_RESULTS/bench-host_target.json" <<'PY'
import json, sys
p8, ws = {}, {}
for line in open(sys.argv[1]):
    kv = dict(f.split("=", 1) for f in line.split())
    (p8 if "pages" in kv else ws)[kv["drv"]] = kv
names = {"vb": "virtio_balloon", "ph": "pagehint"}
print("P8: the host asks for 512 MiB of an idle guest (guest time = instructions)")
print("%-16s %10s %10s %12s" % ("driver", "pages", "guest ms", "MiB/s"))
out = {"p8": {}, "ws": {}}
for d in ("vb", "ph"):
    r = p8[d]
    pages, ns = int(r["pages"]), int(r["ns"])
    rate = pages * 4096 / (1 << 20) / (ns / 1e9) if ns else 0
    print("%-16s %10d %10.1f %12.1f" % (names[d], pages, ns / 1e6, rate))
    out["p8"][d] = {"pages": pages, "ns": ns, "mib_s": round(rate, 1)}
print("goal: >= 1024 MiB/s; zeroing at allocation (init_on_alloc=1) alone costs ~4,100 guest ns per 4 KiB page")
print()
print("WS: host target 256 MiB, hot 256 MiB (active) + cold 448 MiB (inactive) page cache")
print("%-16s %9s %13s %14s %15s %16s" % ("driver", "free MiB", "guest CPU ms", "hot dropped MiB",
      "cold dropped MiB", "hot re-read MiB"))
for d in ("vb", "ph"):
    r = ws[d]
    hot_drop = (256 << 20) - int(r["hot_res"])
    cold_drop = (448 << 20) - int(r["cold_res"])
    print("%-16s %9d %13d %14.1f %15.1f %16.1f" % (names[d], int(r["free_kib"]) // 1024, int(r["busy_ms"]),
          hot_drop / (1 << 20), cold_drop / (1 << 20), int(r["hot_kib"]) / 1024))
    out["ws"][d] = {k: (int(v) if v.isdigit() else v) for k, v in r.items()}
r = ws["ph"]
print("pagehint: %s pages dropped from volatile page cache, %s reclaimed (counters since load);"
      " %s us of guest CPU in the drops" % (r.get("from_volatile"), r.get("from_reclaim"), r.get("drop_cpu_us")))
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
