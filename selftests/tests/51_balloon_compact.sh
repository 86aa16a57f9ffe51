#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=900 mem=1024
# Balloon pages move (seed 002): with memory fragmented, inflate to 9/16 of
# free memory, compact: our migrations > 0, /proc/vmstat balloon_migrate
# moves by the same number, isolations = migrations + putbacks, the size
# does not change. alloc_contig_range() over a pageblock of balloon pages
# succeeds in movable mode and fails (EBUSY) in unmovable mode. On the same
# fragmented memory, compaction turns >= 90 % of free memory into order-9
# blocks with the movable balloon, clearly less with the unmovable one.
. "$PH_TOP/selftests/lib.sh"
B=$PH_DFS/balloon
TB=$PH_TDFS/balloon	# the test hooks (phtest.ko)
st() { ph_field $B/status "$1"; }
tst() { ph_field $TB/status "$1"; }
vmev() { ph_field /proc/vmstat "$1"; }
bwait() { "$PH_CTL" balloon wait 300 > /dev/null; }

ph_load_ok
ph_load_test_ok
# only compact_memory moves pages: the migration counters are compared
ph_proactive_off
ph_drop_caches
free0=$(ph_field /proc/meminfo MemFree)
ph_frag_start $(( free0 / 2 / 1024 ))
# past the untouched half of free memory, whose whole 2 MiB blocks the
# balloon takes first: a sixteenth of it more lands in the holes (a debug
# kernel's KASAN and page_owner leave too little above the floor for 5/8)
want=$(( free0 * 9 / 16 / 4 ))
echo $want > $B/target; bwait
ph_eq "inflated to 9/16 of free memory, into the holes too" "$(st size_pages) $(st stop)" "$want target"
ph_ge "  single pages among the holes" "$(st from_free)" 1
ph_frag_stop
ph_diag "buddyinfo before compaction: $(awk '$4 == "DMA32" { $1 = $2 = $3 = $4 = ""; print }' /proc/buddyinfo)"

m0=$(st migrated); v0=$(vmev balloon_migrate)
echo 1 > /proc/sys/vm/compact_memory
m1=$(st migrated); v1=$(vmev balloon_migrate)
ph_diag "buddyinfo after compaction:  $(awk '$4 == "DMA32" { $1 = $2 = $3 = $4 = ""; print }' /proc/buddyinfo)"
ph_ge "compaction migrated balloon pages" "$(( m1 - m0 ))" 1
ph_eq "vmstat balloon_migrate agrees with our counter" "$(( v1 - v0 ))" "$(( m1 - m0 ))"
ph_eq "balloon size unchanged by migration" "$(st size_pages)" "$want"
ph_eq "nothing left isolated" "$(st isolated_now)" 0
if [ "$(st isolated)" != n/a ]; then
	ph_eq "isolated = migrated + putback" "$(st isolated)" "$(( $(st migrated) + $(st putback) ))"
else
	ph_skip "isolated = migrated + putback" "balloon_page_isolate not traceable here"
fi

if [ ! -e $TB/contig ]; then
	ph_skip "alloc_contig_range over balloon pages, movable" "CONFIG_CONTIG_ALLOC not set"
	ph_skip "alloc_contig_range over balloon pages, unmovable" "CONFIG_CONTIG_ALLOC not set"
else
	m0=$(st migrated)
	ph_eq "movable: alloc_contig_range over a balloon pageblock succeeds" "$(ph_write $TB/contig auto)" OK
	ph_ge "  the pageblock held balloon pages" "$(tst contig_balloon)" 1
	ph_ge "  they migrated out of it" "$(( $(st migrated) - m0 ))" "$(tst contig_balloon)"
	ph_eq "  balloon size unchanged" "$(st size_pages)" "$want"
	echo 0 > $B/target; bwait
	echo 0 > $B/movable
	echo 64M > $B/target; bwait
	ph_eq "unmovable balloon of 64M" "$(st size_pages) $(st mode)" "16384 unmovable"
	ph_eq "unmovable: alloc_contig_range over a balloon pageblock is EBUSY" "$(ph_write $TB/contig auto)" EBUSY
	ph_ge "  the pageblock held balloon pages" "$(tst contig_balloon)" 1
	ph_eq "  balloon size unchanged" "$(st size_pages)" 16384
fi

# --- what movability buys (seed 002): the same fragmentation, both modes ---
# o9_share MODE: inflate to half of RAM into fragmented memory, let the
# fragmenter go, compact; prints the share (per cent) of free memory the
# probe then gets as order-9 blocks
o9_share() {
	local total free0
	echo 0 > $B/target; bwait
	echo "$([ "$1" = movable ] && echo 1 || echo 0)" > $B/movable
	ph_drop_caches
	echo 1 > /proc/sys/vm/compact_memory
	total=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
	free0=$(awk '/^MemFree/ { print $2 }' /proc/meminfo)
	ph_frag_start $(( free0 / 2 / 1024 ))
	echo $(( total / 2 / 4 )) > $B/target; bwait
	ph_frag_stop
	echo 1 > /proc/sys/vm/compact_memory
	echo 9 > $TB/probe
	echo $(( $(tst probe_blocks) * 512 * 100 / ($(tst probe_free) - $(st floor_pages)) ))
}
sm=$(o9_share movable)
su=$(o9_share unmovable)
ph_diag "order-9 share of free memory after compaction: movable $sm %, unmovable $su %"
ph_ge "movable balloon: compaction makes >= 90 % of free memory order-9 blocks" "$sm" 90
ph_check "unmovable balloon (movable pageblocks, not movable): clearly less ($su % < $sm % - 20)" \
	test "$su" -lt $(( sm - 20 ))
echo 0 > $B/target; bwait
ph_proactive_restore
ph_unload
ph_done
