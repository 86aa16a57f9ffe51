#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# zspool: bad input is refused cleanly, objects survive alloc/free/verify,
# compaction after freeing 70 % at random gives back >= 50 % of the pool,
# the shrinker compacts, unload with live objects frees every page.
# vm: timeout=300
. "$PH_TOP/selftests/lib.sh"

D=$PH_TDFS/zspool
ph_load_ok
ph_load_test_ok
pool() { ph_field $D/pool "$1"; }

# --- bad input, before and after the pool exists ---
# (the log at load may name zspool: "degraded" where pages cannot move)
log0=$(dmesg | wc -l)
ph_eq "command before create: ENOENT" "$(ph_write $D/ctl 'alloc 10 1 100')" ENOENT
ph_eq "create 0: ERANGE" "$(ph_write $D/ctl 'create 0')" ERANGE
ph_eq "create 2^40: ERANGE" "$(ph_write $D/ctl 'create 1099511627776')" ERANGE
ph_eq "create" "$(ph_write $D/ctl 'create')" OK
ph_eq "second create: EEXIST" "$(ph_write $D/ctl 'create')" EEXIST
ph_eq "alloc" "$(ph_write $D/ctl 'alloc 2000 1 4096')" OK
before="$(pool pages) $(pool pool_objects) $(pool objects)"
for bad in "alloc 0 1 100:ERANGE" "alloc 99999999999 1 100:ERANGE" \
	   "alloc 999999 1 100:ENOSPC" "alloc 10 0 100:EINVAL" "alloc 10 200 100:EINVAL" \
	   "alloc 10 1 4097:E2BIG" "alloc 10 -1 100:EINVAL" "alloc 10 1:EINVAL" \
	   "alloc 10 1 2 3:EINVAL" "free 0:ERANGE" "free 101:ERANGE" "free -5:EINVAL" \
	   "contig 0:ERANGE" "contig 100000:ERANGE" "stress 0 100:ERANGE" \
	   "stress 17 100:ERANGE" "stress 2 0:ERANGE" "stress 2 9999999:ERANGE" \
	   "try 0:EINVAL" "try 4097:E2BIG" "try 99999999999:E2BIG" "verify x:EINVAL" \
	   "compact 1:EINVAL" "destroy now:EINVAL" "frobnicate:EINVAL" "alloc:EINVAL"; do
	ph_eq "'${bad%:*}' refused" "$(ph_write $D/ctl "${bad%:*}")" "${bad##*:}"
done
ph_eq "try 1 (API accepts the smallest size)" "$(ph_write $D/ctl 'try 1')" OK
ph_eq "try 4096 (API accepts one page)" "$(ph_write $D/ctl 'try 4096')" OK
for f in $D/pool $PH_DFS/zspool/pools $PH_DFS/zspool/classes; do
	ph_check "write to read-only ${f#/sys/kernel/debug/} refused" test "$(ph_write $f 'create')" != OK
done
ph_eq "rejected commands changed nothing (pages, pool objects, objects)" \
	"$(pool pages) $(pool pool_objects) $(pool objects)" "$before"
ph_check "no zspool message in the log from bad input" \
	sh -c "! dmesg | tail -n +$((log0 + 1)) | grep -q 'zspool:'"
ph_eq "destroy" "$(ph_write $D/ctl destroy)" OK
ph_eq "pool gone" "$(pool pages)" 0

# --- objects survive; 70 % random free, compaction ---
ph_write $D/ctl create > /dev/null
ph_eq "alloc 20000 objects of 1..4096 bytes" "$(ph_write $D/ctl 'alloc 20000 1 4096')" OK
ph_eq "every object verifies" "$(ph_write $D/ctl verify)" OK
ph_eq "verified count" "$(pool verified)" 20000
ph_eq "pool objects = workload objects" "$(pool pool_objects)" 20000
ph_ge "memory efficiency (payload / pool pages) %" "$(pool efficiency_pct)" 85
ph_diag "pages $(pool pages) payload $(pool payload) efficiency $(pool efficiency_pct)%"
full=$(pool pages)
ph_eq "free 70 % at random" "$(ph_write $D/ctl 'free 70')" OK
ph_eq "6000 objects left" "$(pool objects)" 6000
p0=$(pool pages)
ph_eq "compact" "$(ph_write $D/ctl compact)" OK
freed=$(pool last_compact_freed)
p1=$(pool pages)
ph_diag "pages: full $full, after free $p0, compaction freed $freed, now $p1"
ph_ge "compaction returned >= 50 % of the pool's pages (freed*100/pages)" $((freed * 100 / p0)) 50
ph_eq "pool pages dropped by what compaction reported" "$((p0 - p1))" "$freed"
ph_eq "remaining objects verify after compaction" "$(ph_write $D/ctl verify)" OK
ph_eq "verified after compaction" "$(pool verified)" 6000
ph_check "classes table lists the workload's classes in use" sh -c "[ \$(grep -c '^workload ' $PH_DFS/zspool/classes) -gt 5 ]"

# --- the shrinker compacts under memory pressure (drop_caches=2 runs it) ---
ph_write $D/ctl 'alloc 5000 64 2048' > /dev/null
ph_write $D/ctl 'free 70' > /dev/null
c0=$(pool compactions); p0=$(pool pages)
echo 2 > /proc/sys/vm/drop_caches
ph_ge "shrinker ran compaction" "$(pool compactions)" $((c0 + 1))
ph_check "shrinker freed pool pages ($p0 -> $(pool pages))" test "$(pool pages)" -lt "$p0"
ph_eq "objects verify after shrinker compaction" "$(ph_write $D/ctl verify)" OK

# --- CLI ---
ph_check "pagehintctl zspool stats" sh -c "$PH_CTL zspool stats | grep -q '^workload '"
ph_check "pagehintctl --json zspool stats is JSON" sh -c \
	"$PH_CTL --json zspool stats | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"pools\"][0][\"objects\"] > 0 and len(d[\"classes\"]) > 0'"
ph_check "pagehintctl zspool verify" $PH_CTL zspool verify
ph_check "pagehintctl zspool alloc with a bad size fails" sh -c "! $PH_CTL zspool alloc 10 1 5000 2>/dev/null"

# --- unload with live objects frees every page ---
ph_write $D/ctl 'alloc 8000 1 4096' > /dev/null
pages=$(pool pages)
ph_ge "pool holds pages before unload" "$pages" 3000
free0=$(ph_free_pages)
ph_unload
free1=$(ph_free_pages)
ph_diag "pool pages $pages, free pages (per-CPU lists included) $free0 -> $free1"
ph_ge "unload gave back every pool page (free pages grew by >= pool pages)" $((free1 - free0)) "$pages"
ph_done
