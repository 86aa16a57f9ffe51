#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=900 mem=1024
# Balloon pages move (seed 002): with memory fragmented, inflate to half of
# free memory, compact: our migrations > 0, /proc/vmstat balloon_migrate
# moves by the same number, isolations = migrations + putbacks, the size
# does not change. alloc_contig_range() over a pageblock of balloon pages
# succeeds in movable mode and fails (EBUSY) in unmovable mode.
. "$PH_TOP/selftests/lib.sh"
B=$PH_DFS/balloon
st() { ph_field $B/status "$1"; }
vmev() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
bwait() { "$PH_CTL" balloon wait 300 > /dev/null; }

ph_load
ph_drop_caches
free0=$(awk '/^MemFree/ { print $2 }' /proc/meminfo)
ph_frag_start $(( free0 / 2 / 1024 ))
want=$(( free0 / 2 / 4 ))
echo $want > $B/target; bwait
ph_eq "inflated to half of free memory among the holes" "$(st size_pages) $(st stop)" "$want target"
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

if [ ! -e $B/contig ]; then
	ph_skip "alloc_contig_range over balloon pages, movable" "CONFIG_CONTIG_ALLOC not set"
	ph_skip "alloc_contig_range over balloon pages, unmovable" "CONFIG_CONTIG_ALLOC not set"
else
	m0=$(st migrated)
	ph_eq "movable: alloc_contig_range over a balloon pageblock succeeds" "$(ph_write $B/contig auto)" OK
	ph_ge "  the pageblock held balloon pages" "$(st contig_balloon)" 1
	ph_ge "  they migrated out of it" "$(( $(st migrated) - m0 ))" "$(st contig_balloon)"
	ph_eq "  balloon size unchanged" "$(st size_pages)" "$want"
	echo 0 > $B/target; bwait
	echo 0 > $B/movable
	echo 64M > $B/target; bwait
	ph_eq "unmovable balloon of 64M" "$(st size_pages) $(st mode)" "16384 unmovable"
	ph_eq "unmovable: alloc_contig_range over a balloon pageblock is EBUSY" "$(ph_write $B/contig auto)" EBUSY
	ph_ge "  the pageblock held balloon pages" "$(st contig_balloon)" 1
	ph_eq "  balloon size unchanged" "$(st size_pages)" 16384
fi
ph_unload
ph_done
