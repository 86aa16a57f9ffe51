# SPDX-License-Identifier: GPL-2.0
# icprof workload: 200 fork + exit (selftests/bench/00_overhead.sh's fork
# loop), after two warm-up runs. icprof.sh --units 200 fork.sh
B="setarch -R $PH_TOP/selftests/tools/phbench"	# ASLR off, as make bench
$B fork 200 > /dev/null
$B fork 200 > /dev/null
ph_mark
$B fork 200
ph_mark
