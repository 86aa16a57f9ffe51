#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1024 timeout=1500
# input: selftests/vm/ksrc.sh 6.1 fs mm
# Host reclaim through discards against the guest reclaiming the same
# memory itself.
#  1. A file working set (128 MiB, read 3 times) larger than the memory it
#     may keep (64 MiB): "none" = no limit; "host" = the host holds the
#     guest's resident size at its floor + 64 MiB by discarding volatile
#     pages (pressure mode); "guest" = the guest's own reclaim with a
#     64 MiB memory cgroup around the reader.
#  2. The headline grep: grep -r over a kernel source tree (fs/ + mm/),
#     twice, without and under host pressure (floor + 16 MiB).
# Guest time = guest instructions (icount); icount warps the clock over
# idle periods (sleep=off), so the I/O-bound runs are compared by guest CPU
# time (run time of all tasks, /proc/schedstat). The simulated host's own
# work (host_cpu_us) is hypervisor time on a real host and is shown apart.
# Reads = /sys/block/vda/stat; refaults = workingset_refault_file + discard
# faults; reclaimed = pgsteal (guest reclaim, global + the cgroup's) + discarded (host); volatile =
# volatile pages at the end of the run (states file).
. "$PH_TOP/selftests/lib.sh"

H=$PH_DFS/host
CG=/sys/fs/cgroup
# the grep tree: linux-source-6.1 fs/ and mm/, fetched by bench.sh (# input)
SRC=$PH_TOP/.cache/src/linux-source-6.1
st() { ph_field "$H/stats" "$1"; }
vm() { ph_field /proc/vmstat "$1"; }
rd_ios() { awk '{ print $1 }' /sys/block/vda/stat; }
rd_sect() { awk '{ print $3 }' /sys/block/vda/stat; }
busy_ns() { awk '/^cpu/ { s += $8 } END { printf "%.0f\n", s }' /proc/schedstat; }

# idle periods last long in guest time under icount: no hung-task panic
echo 0 > /proc/sys/kernel/hung_task_timeout_secs
ph_ext4 || exit 1
head -c 128M /dev/urandom > /mnt/ext4/ws
mkdir -p /mnt/ext4/src
cp -r "$SRC/fs" "$SRC/mm" /mnt/ext4/src/ || { echo "# 20_host: input $SRC/fs, $SRC/mm missing (selftests/vm/ksrc.sh)"; exit 1; }
# fs/ + mm/ of 6.1 are about 50 MiB: a smaller tree is not the input
src_mib=$(du -sm /mnt/ext4/src | cut -f1)
[ "$src_mib" -ge 40 ] || { echo "# 20_host: grep tree is $src_mib MiB, want >= 40"; exit 1; }
sync
ph_load host_interval_ms=20 || exit 1

# floor: what the host cannot take from an idle guest (stable pages)
floor_pages() {
	ph_drop_caches
	echo 4G > "$H/reclaim"
	st resident_pages
}

volatile() { ph_state_pages volatile; }
host() { echo "$1" > "$PH_DFS/policy/host"; }
# memcg reclaim is counted in the cgroup's memory.stat, not in /proc/vmstat
cg_steal() { ph_field $CG/ph/memory.stat pgsteal; }

# run LABEL CMD...: "LABEL cpu_ms host_ms ios mib refaults reclaimed discards faults volatile_end"
run() {
	local label=$1 b0 h0 i0 s0 wr0 ps0 pk0 d0 f0
	shift
	ph_drop_caches
	b0=$(busy_ns); h0=$(st host_cpu_us); i0=$(rd_ios); s0=$(rd_sect)
	wr0=$(vm workingset_refault_file)
	ps0=$(($(vm pgsteal_direct) + $(cg_steal))); pk0=$(vm pgsteal_kswapd)
	d0=$(st discarded); f0=$(st discard_faults)
	"$@"
	echo "$label $((($(busy_ns) - b0) / 1000000)) $((($(st host_cpu_us) - h0) / 1000))" \
		"$(($(rd_ios) - i0))" \
		"$((($(rd_sect) - s0) / 2048))" \
		"$(($(vm workingset_refault_file) - wr0 + $(st discard_faults) - f0))" \
		"$(($(vm pgsteal_direct) + $(cg_steal) - ps0 + $(vm pgsteal_kswapd) - pk0 + $(st discarded) - d0))" \
		"$(($(st discarded) - d0))" "$(($(st discard_faults) - f0))" "$(volatile)"
}

read3() { local i; for i in 1 2 3; do cat /mnt/ext4/ws > /dev/null; done; }
in_cgroup() { (echo $BASHPID > $CG/ph/cgroup.procs && "$@"); }
grep2() { grep -r -c zzpagehintnomatch /mnt/ext4/src > /dev/null; grep -r -c zzpagehintnomatch /mnt/ext4/src > /dev/null; }

host_pressure() {	# host_pressure EXTRA_PAGES CMD...
	local extra=$1 floor
	shift
	floor=$(floor_pages)
	echo $(((floor + extra) * 4096)) > "$H/target"
	"$@"
	ph_diag >&2 "host pressure: floor $floor pages, target $((floor + extra)), resident at end $(st resident_pages), last pass deficit $(st deficit)"
	echo 0 > "$H/target"
}

mkdir -p $CG
mountpoint -q $CG || mount -t cgroup2 none $CG
echo +memory > $CG/cgroup.subtree_control
mkdir -p $CG/ph
echo 64M > $CG/ph/memory.max

# the host is off (no hooks, no records) except in the host-pressure runs
{
	host off; run none read3
	host on; host_pressure 16384 run host read3
	host off; run guest in_cgroup read3
	host off; run grep-none grep2
	host on; host_pressure 4096 run grep-host grep2
} > /tmp/bench-host.rows
rmdir $CG/ph

echo "# working set 128 MiB read 3x, 64 MiB allowed; grep -r over fs/ + mm/ ($(du -sm /mnt/ext4/src | cut -f1) MiB) twice, host room 16 MiB"
echo "# cpu_ms: guest CPU time of all tasks (includes host_ms: the simulated host's own work)"
printf "%-10s %8s %8s %8s %8s %9s %9s %8s %8s %9s\n" scenario cpu_ms host_ms read_ios read_MiB refaults reclaimed discards d_faults volatile
while read -r l c h ios mib rf rc d f v; do
	printf "%-10s %8s %8s %8s %8s %9s %9s %8s %8s %9s\n" "$l" "$c" "$h" "$ios" "$mib" "$rf" "$rc" "$d" "$f" "$v"
done < /tmp/bench-host.rows
ph_diag "host totals: $(tr '\n' ' ' < "$H/stats")"

python3 - /tmp/bench-host.rows "$PH_RESULTS/bench-host.json" <<'PY'
import json, sys
keys = ["guest_cpu_ms", "host_cpu_ms", "read_ios", "read_mib", "refaults", "reclaimed", "discards", "discard_faults", "volatile_pages_end"]
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows[f[0]] = dict(zip(keys, map(int, f[1:])))
json.dump(rows, open(sys.argv[2], "w"), indent=1)
PY
ph_unload
