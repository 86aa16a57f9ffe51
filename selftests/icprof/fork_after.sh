# SPDX-License-Identifier: GPL-2.0
# icprof workload: 200 fork + exit after the bench's own order of
# workloads (faults 64 MiB x 8, a cached 32 MiB re-read x 8), as
# selftests/bench/00_overhead.sh runs them. icprof.sh --units 200 fork_after.sh
B="setarch -R $PH_TOP/selftests/tools/phbench"
ph_ext4 || exit 1
head -c 32M /dev/urandom > /mnt/ext4/file32
sync; echo 3 > /proc/sys/vm/drop_caches
for i in 1 2; do
	$B fault 64 8 > /dev/null
	$B read /mnt/ext4/file32 8 > /dev/null
	$B fork 200 > /dev/null
done
$B fault 64 8 > /dev/null
$B read /mnt/ext4/file32 8 > /dev/null
$B fork 200 > /dev/null
ph_mark
$B fork 200
ph_mark
