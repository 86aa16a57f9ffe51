# SPDX-License-Identifier: GPL-2.0
# icprof workload: the cached re-read of selftests/bench/00_overhead.sh,
# 32 MiB from ext4 read 9 times (phbench reads once more to warm):
# 73,728 pages between the marks. icprof.sh --units 73728 read.sh
B="setarch -R $PH_TOP/selftests/tools/phbench"	# ASLR off, as make bench
ph_ext4 || exit 1
head -c 32M /dev/urandom > /mnt/ext4/file32
sync; echo 3 > /proc/sys/vm/drop_caches
$B read /mnt/ext4/file32 2 > /dev/null
ph_mark
$B read /mnt/ext4/file32 8
ph_mark
