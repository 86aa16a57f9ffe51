#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# zspool concurrency: 4 kernel threads allocate, write, verify and free
# while a thread compacts, a thread forces migration with
# alloc_contig_range, and the shell runs compact_memory; then nothing is
# lost or corrupt, the workload objects verify and the log stays clean.
# vm: timeout=300
. "$PH_TOP/selftests/lib.sh"

D=$PH_TDFS/zspool
ph_load_ok
ph_load_test_ok
pool() { ph_field $D/pool "$1"; }

ph_write $D/ctl create > /dev/null
ph_eq "alloc 10000 background objects" "$(ph_write $D/ctl 'alloc 10000 1 4096')" OK
ph_write $D/ctl 'free 50' > /dev/null
m0=$(pool migrated)
( for i in $(seq 1 20); do echo 1 > /proc/sys/vm/compact_memory; sleep 0.3; done ) &
bg=$!
ph_eq "stress: 4 threads for 15 s" "$(ph_write $D/ctl 'stress 4 15000')" OK
wait $bg
ph_diag "stress ops $(pool stress_ops), migrations during run $(( $(pool migrated) - m0 )), busy $(pool migrate_busy), compactions $(pool compactions)"
ph_ge "stress threads did work" "$(pool stress_ops)" 1000
ph_eq "no corrupt objects" "$(pool stress_corrupt)" 0
ph_eq "no lost objects" "$(pool stress_lost)" 0
ph_eq "threads freed all their objects" "$(pool stress_left)" 0
if [ "$(pool movable)" = 1 ]; then
	ph_check "pages migrated during the run" test "$(pool migrated)" -gt "$m0"
else
	ph_skip "pages migrated during the run" "pool pages unmovable on this kernel (zspool degraded)"
fi
ph_eq "pool objects = workload objects after the run" "$(pool pool_objects)" "$(pool objects)"
ph_eq "background objects verify" "$(ph_write $D/ctl verify)" OK
ph_eq "compact" "$(ph_write $D/ctl compact)" OK
ph_eq "background objects verify after compaction" "$(ph_write $D/ctl verify)" OK
ph_unload
ph_done
