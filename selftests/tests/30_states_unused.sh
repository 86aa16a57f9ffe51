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


ph_load_ok
ph_check "states file present" test -r $PH_DFS/states
pages=$(ph_state_pages pages)
tabn=$(ph_field $PH_DFS/stats table_pfns)
ph_ge "table covers the online pages (MemTotal)" "$pages" $(( $(ph_field /proc/meminfo MemTotal) / 4 ))
ph_le "table holds at most one byte per PFN" "$(ph_field $PH_DFS/stats table_bytes)" "$tabn"
free_kb=$(ph_field /proc/meminfo MemFree)
u=$(ph_state_pages unused)
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
u_mid=$(ph_state_pages unused)
f_mid=$(ph_trans stable unused free)
kill $pid; wait $pid 2>/dev/null
sleep 1
u_end=$(ph_state_pages unused)
f_end=$(ph_trans stable unused free)
ph_diag "unused: holding $u_mid, after exit $u_end"
ph_ge "unused rises by >= 95% of 16384 pages when it exits" $(( u_end - u_mid )) 15565
ph_ge "stable -> unused (free) transitions rise as much" $(( f_end - f_mid )) 15565

a0=$(ph_trans unused stable alloc)
$PH_TOP/selftests/tools/phbench fault 16 1 > /dev/null
a1=$(ph_trans unused stable alloc)
ph_ge "allocating 16 MiB: unused -> stable (alloc) >= 4096 pages" $(( a1 - a0 )) 4096

sync; echo 1 > /proc/sys/vm/drop_caches
cat $PH_DFS/verify > /tmp/verify.$$
sed 's/^/# verify: /' /tmp/verify.$$
ph_eq "verify after quiescing: 0 disagreements" "$(ph_field /tmp/verify.$$ disagree)" 0
ph_eq "verify checked every table PFN but holes" $(( $(ph_field /tmp/verify.$$ checked) + $(ph_field /tmp/verify.$$ holes) )) "$tabn"

# pfn: a free page and a kernel page
fpfn=$(ph_col $PH_DFS/map start,count state=unused | awk '$2 > 16 { print $1 + 8; exit }')
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
ph_eq "map runs cover the table" "$(ph_sum $PH_DFS/map count)" "$tabn"
ph_eq "map takes START COUNT" "$(ph_write $PH_DFS/map "$start 1000")" OK
ph_eq "map sub-range covers 1000 PFNs" "$(ph_sum $PH_DFS/map count)" 1000
ph_eq "map range past the table: ERANGE" "$(ph_write $PH_DFS/map "$start $(( tabn + 1 ))")" ERANGE
ph_eq "map zero count: EINVAL" "$(ph_write $PH_DFS/map "$start 0")" EINVAL
ph_eq "map one number: EINVAL" "$(ph_write $PH_DFS/map "$start")" EINVAL
ph_eq "map rejected writes kept the range" "$(ph_sum $PH_DFS/map count)" 1000
ph_eq "map all" "$(ph_write $PH_DFS/map all)" OK

# the CLI
ph_check "pagehintctl states" $PH_CTL states
ph_check "pagehintctl --json states is JSON" sh -c "$PH_CTL --json states | python3 -m json.tool > /dev/null"
ph_check "pagehintctl pfn" sh -c "$PH_CTL pfn $fpfn | grep -q '^state'"
ph_check "pagehintctl --json pfn is JSON" sh -c "$PH_CTL --json pfn $fpfn | python3 -m json.tool > /dev/null"
ph_check "pagehintctl map (text)" sh -c "$PH_CTL map --width 64 | grep -q '^[.#~x ]*$'"
ph_check "pagehintctl map --png writes a PNG" sh -c "$PH_CTL map --png /tmp/map.png && python3 -c 'import sys; d=open(\"/tmp/map.png\",\"rb\").read(); sys.exit(d[:8] != b\"\x89PNG\r\n\x1a\n\")'"
ph_check "pagehintctl watch -i 1 -c 2: two timestamped samples" sh -c \
	"$PH_CTL watch -i 1 -c 2 | grep -cE '^20[0-9-]+T[0-9:.]+Z +[0-9]+ ' | grep -qx 2"
ph_check "pagehintctl --json watch: one object per line, rates from the second on" python3 -c '
import json, subprocess, sys
out = subprocess.run([sys.argv[1], "--json", "watch", "-i", "0.5", "-c", "3"],
                     capture_output=True, text=True, check=True).stdout.splitlines()
objs = [json.loads(l) for l in out]
assert len(objs) == 3 and "transitions_per_s" not in objs[0]
assert all(o["unused"] + o["stable"] > 0 and o["time"].endswith("Z") for o in objs)
assert all(o["transitions_per_s"] >= 0 and o["interval_s"] > 0.4 for o in objs[1:])
' "$PH_CTL"

ph_unload
ph_check "module unloads with live state" test ! -d /sys/module/pagehint
ph_done
