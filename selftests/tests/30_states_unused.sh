#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Page states, unused/stable (seed 003): the table covers every online
# page, freeing makes pages unused, allocating makes them stable, verify
# agrees with the pages after quiescing, and pfn/map report the table.
#
# Quiescing: `sync; echo 1 > /proc/sys/vm/drop_caches`, then reading
# "verify", which itself drains the per-CPU free lists (drain_all_pages)
# before it rescans, and looks twice at any PFN that disagrees.
# vm: timeout=420
. "$PH_TOP/selftests/lib.sh"

st() { awk -v c="$1" '$1 == "all" { for (i = 2; i <= NF; i++) if (h[i] == c) print $i } NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i }' $PH_DFS/states; }
trans() { awk -v f="$1" -v t="$2" -v s="$3" '$1 == f && $2 == t && $3 == s { n = $4 } END { print n + 0 }' $PH_DFS/transitions; }

ph_load
ph_check "states file present" test -r $PH_DFS/states
pages=$(st pages)
tabn=$(ph_field $PH_DFS/stats table_pfns)
ph_ge "table covers the online pages (MemTotal)" "$pages" $(( $(awk '/MemTotal/ { print $2 / 4 }' /proc/meminfo) ))
ph_le "table holds at most one byte per PFN" "$(ph_field $PH_DFS/stats table_bytes)" "$tabn"
free_kb=$(awk '/MemFree/ { print $2 }' /proc/meminfo)
u=$(st unused)
ph_ge "unused after load >= 90% of MemFree" "$u" $(( free_kb / 4 * 9 / 10 ))

# 64 MiB touched by a process, freed when it exits
held=/tmp/held.$$
python3 -c "
import sys, time
b = bytearray(b'\x01') * (64 << 20)
for i in range(0, len(b), 4096): b[i] = 2
open('$held', 'w').write('1')
time.sleep(600)" &
pid=$!
for i in $(seq 1 300); do [ -e $held ] && break; sleep 0.2; done
ph_check "the process holds 64 MiB" test -e $held
sleep 0.5
u_mid=$(st unused)
f_mid=$(trans stable unused free)
kill $pid; wait $pid 2>/dev/null
sleep 1
u_end=$(st unused)
f_end=$(trans stable unused free)
ph_diag "unused: holding $u_mid, after exit $u_end"
ph_ge "unused rises by >= 95% of 16384 pages when it exits" $(( u_end - u_mid )) 15565
ph_ge "stable -> unused (free) transitions rise as much" $(( f_end - f_mid )) 15565

a0=$(trans unused stable alloc)
$PH_TOP/selftests/tools/phbench fault 16 1 > /dev/null
a1=$(trans unused stable alloc)
ph_ge "allocating 16 MiB: unused -> stable (alloc) >= 4096 pages" $(( a1 - a0 )) 4096

sync; echo 1 > /proc/sys/vm/drop_caches
cat $PH_DFS/verify > /tmp/verify.$$
sed 's/^/# verify: /' /tmp/verify.$$
ph_eq "verify after quiescing: 0 disagreements" "$(ph_field /tmp/verify.$$ disagree)" 0
ph_eq "verify checked every table PFN but holes" $(( $(ph_field /tmp/verify.$$ checked) + $(ph_field /tmp/verify.$$ holes) )) "$tabn"

# pfn: a free page and a kernel page
fpfn=$(awk 'NR > 1 && $3 == "unused" && $2 > 16 { print $1 + 8; exit }' $PH_DFS/map)
ph_eq "pfn accepts a PFN" "$(ph_write $PH_DFS/pfn "$fpfn")" OK
ph_eq "pfn reports the map's state" "$(ph_field $PH_DFS/pfn state)" unused
ph_check "pfn shows refcount and flags" grep -q "^refcount" $PH_DFS/pfn
ph_eq "pfn accepts hex" "$(ph_write $PH_DFS/pfn "$(printf '0x%x' "$fpfn")")" OK
ph_eq "hex PFN is the same page" "$(ph_field $PH_DFS/pfn pfn)" "$fpfn"
start=$(ph_field $PH_DFS/stats table_start_pfn)
ph_eq "pfn past the table: ERANGE" "$(ph_write $PH_DFS/pfn $(( start + tabn )))" ERANGE
ph_eq "pfn garbage: EINVAL" "$(ph_write $PH_DFS/pfn 12abc)" EINVAL
ph_eq "pfn negative: EINVAL" "$(ph_write -- $PH_DFS/pfn -5)" EINVAL
ph_eq "pfn huge: ERANGE" "$(ph_write $PH_DFS/pfn 99999999999999999999999)" ERANGE
ph_eq "a rejected write kept the PFN" "$(ph_field $PH_DFS/pfn pfn)" "$fpfn"

# map: runs cover the table; a sub-range
ph_eq "map runs cover the table" "$(awk 'NR > 1 { s += $2 } END { print s }' $PH_DFS/map)" "$tabn"
ph_eq "map takes START COUNT" "$(ph_write $PH_DFS/map "$start 1000")" OK
ph_eq "map sub-range covers 1000 PFNs" "$(awk 'NR > 1 { s += $2 } END { print s }' $PH_DFS/map)" 1000
ph_eq "map range past the table: ERANGE" "$(ph_write $PH_DFS/map "$start $(( tabn + 1 ))")" ERANGE
ph_eq "map zero count: EINVAL" "$(ph_write $PH_DFS/map "$start 0")" EINVAL
ph_eq "map one number: EINVAL" "$(ph_write $PH_DFS/map "$start")" EINVAL
ph_eq "map rejected writes kept the range" "$(awk 'NR > 1 { s += $2 } END { print s }' $PH_DFS/map)" 1000
ph_eq "map all" "$(ph_write $PH_DFS/map all)" OK

# the CLI
ph_check "pagehintctl states" $PH_CTL states
ph_check "pagehintctl --json states is JSON" sh -c "$PH_CTL --json states | python3 -m json.tool > /dev/null"
ph_check "pagehintctl pfn" sh -c "$PH_CTL pfn $fpfn | grep -q '^state'"
ph_check "pagehintctl --json pfn is JSON" sh -c "$PH_CTL --json pfn $fpfn | python3 -m json.tool > /dev/null"
ph_check "pagehintctl map (text)" sh -c "$PH_CTL map --width 64 | grep -q '^[.#~x ]*$'"
ph_check "pagehintctl map --png writes a PNG" sh -c "$PH_CTL map --png /tmp/map.png && python3 -c 'import sys; d=open(\"/tmp/map.png\",\"rb\").read(); sys.exit(d[:8] != b\"\x89PNG\r\n\x1a\n\")'"
ph_check "pagehintctl watch -n 1 -c 2" sh -c "$PH_CTL watch -i 1 -c 2 | grep -c '^all' | grep -q 2"

ph_unload
ph_check "module unloads with live state" test ! -d /sys/module/pagehint
ph_done
