#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# zspool page migration: >= 10000 pool pages moved by alloc_contig_range
# (test hook) and by compact_memory; every object verifies; our migration
# count agrees with /proc/vmstat pgmigrate_success; tracepoints fire.
# vm: timeout=300
. "$PH_TOP/selftests/lib.sh"

D=$PH_TDFS/zspool
ph_load_ok
ph_load_test_ok
pool() { ph_field $D/pool "$1"; }
vms() { ph_field /proc/vmstat "$1"; }
if [ "$(pool movable)" != 1 ]; then
	ph_skip "zspool page migration" "kernel has no movable ops for modules"
	ph_unload; ph_done
fi

T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing
echo 0 > $T/tracing_on; echo > $T/trace
echo 1 > $T/events/pagehint/zspool_migrate/enable
echo 1 > $T/events/pagehint/zspool_compact/enable
echo 1 > $T/tracing_on

# only the test's compactions move pages: pgmigrate_success is compared
ph_proactive_off
# The pool's pages are allocated among held anonymous memory, so that
# compaction's migrate scanner (from the zone's start) meets some of them.
ph_drop_caches
ph_frag_start $(( $(ph_field /proc/meminfo MemFree) / 2 / 1024 ))
ph_write $D/ctl create > /dev/null
ph_eq "alloc 20000 objects of 1..4096 bytes" "$(ph_write $D/ctl 'alloc 20000 1 4096')" OK
ph_write $D/ctl 'free 20' > /dev/null
ph_frag_stop
pages=$(pool pages)
ph_diag "pool pages $pages"

# compact_memory: our pages move along with everything else
m2=$(pool migrated); v2=$(vms pgmigrate_success)
for i in 1 2 3; do echo 1 > /proc/sys/vm/compact_memory; done
m3=$(pool migrated); v3=$(vms pgmigrate_success)
ph_diag "compact_memory: pool pages moved $((m3 - m2)), pgmigrate_success +$((v3 - v2))"
ph_check "compact_memory moved pool pages" test $((m3 - m2)) -gt 0
ph_check "pool migrations <= pgmigrate_success delta under compact_memory" test $((m3 - m2)) -le $((v3 - v2))

if [ "$(pool contig_hook)" = 1 ]; then
	# alloc_contig_range over every run of pool pages: each of our pages moves
	m0=$(pool migrated); v0=$(vms pgmigrate_success)
	ph_eq "contig 1 (alloc_contig_range over the pool's pages)" "$(ph_write $D/ctl 'contig 1')" OK
	m1=$(pool migrated); v1=$(vms pgmigrate_success)
	ours=$((m1 - m0)); vm=$((v1 - v0))
	ph_diag "contig: ranges ok $(pool contig_ok) busy $(pool contig_busy), pool pages moved $ours, pgmigrate_success +$vm"
	# ranges in pageblocks shared with unmovable pages cannot be isolated (busy)
	ph_ge "contig moved at least half of the pool's pages" $((ours * 100 / pages)) 50
	ph_eq "migrations counted by zspool = pgmigrate_success delta" "$ours" "$vm"
	ph_eq "objects verify after contig" "$(ph_write $D/ctl verify)" OK

	# more rounds until >= 10000 migrations in all
	while [ $(( $(pool migrated) )) -lt 10000 ]; do
		ph_write $D/ctl 'contig 1' > /dev/null || break
	done
else
	ph_eq "contig refused without alloc_contig_range" "$(ph_write $D/ctl 'contig 1')" EOPNOTSUPP
	ph_skip "alloc_contig_range migrations" "kernel built without CONFIG_CONTIG_ALLOC"
fi
if [ "$(pool contig_hook)" = 1 ]; then
	ph_ge "total pool page migrations" "$(pool migrated)" 10000
else
	ph_skip ">= 10000 pool page migrations" "no alloc_contig_range; compact_memory moved $(pool migrated)"
fi
ph_eq "every object verifies after all migrations" "$(ph_write $D/ctl verify)" OK
ph_eq "verified = objects" "$(pool verified)" "$(pool objects)"
ph_eq "compact after migrations" "$(ph_write $D/ctl compact)" OK
ph_eq "objects verify after compaction" "$(ph_write $D/ctl verify)" OK

ph_proactive_restore
echo 0 > $T/tracing_on
ph_check "zspool_migrate events traced" grep -q 'zspool_migrate: pool=workload' $T/trace
ph_check "zspool_compact events traced" grep -q 'zspool_compact: pool=workload' $T/trace
echo 0 > $T/events/pagehint/zspool_migrate/enable
echo 0 > $T/events/pagehint/zspool_compact/enable
echo > $T/trace
ph_unload
ph_done
