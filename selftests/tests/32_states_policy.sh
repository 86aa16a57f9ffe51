#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Page-state policies: off detaches the hooks (the "hooks" file says so)
# and the counters stop moving; on attaches them and rescans.
# vm: timeout=420
. "$PH_TOP/selftests/lib.sh"

total_trans() { ph_sum $PH_DFS/transitions pages; }
attached() { ph_rows $PH_DFS/hooks owner=states state=attached; }
hook() { ph_hook "$1" state; }
work() { $PH_TOP/selftests/tools/phbench fault 8 1 > /dev/null; cat /usr/bin/bash > /dev/null; }

ph_load_ok
ph_ge "states hooks attached at load" "$(attached)" 10
for p in enabled unused volatile volatile_unlock volatile_writeback volatile_put volatile_read volatile_map volatile_deactivate; do
	ph_eq "policy $p defaults to 1" "$(cat $PH_DFS/policy/$p)" 1
done

ph_eq "volatile off" "$(ph_write $PH_DFS/policy/volatile 0)" OK
ph_eq "no volatile page left" "$(ph_state_pages volatile)" 0
ph_eq "lookup hook detached" "$(hook states_read)" detached
ph_eq "unlock hook detached" "$(hook states_unlock)" detached
ph_eq "alloc hook still attached" "$(hook states_alloc)" attached
ph_eq "volatile on" "$(ph_write $PH_DFS/policy/volatile 1)" OK
ph_eq "lookup hook attached again" "$(hook states_read)" attached

ph_eq "volatile_unlock off" "$(ph_write $PH_DFS/policy/volatile_unlock off)" OK
ph_eq "only the unlock hook detached" "$(hook states_unlock)/$(hook states_put)" detached/attached
ph_eq "volatile_unlock on" "$(ph_write $PH_DFS/policy/volatile_unlock on)" OK

ph_eq "enabled off" "$(ph_write $PH_DFS/policy/enabled 0)" OK
ph_eq "every states hook detached" "$(attached)" 0
t0=$(total_trans)
work
t1=$(total_trans)
ph_eq "counters stop moving while off" "$t1" "$t0"
ph_eq "enabled on" "$(ph_write $PH_DFS/policy/enabled 1)" OK
ph_ge "hooks attached again" "$(attached)" 10
work
ph_ge "counters move again" "$(total_trans)" $(( t1 + 1 ))
sync; echo 1 > /proc/sys/vm/drop_caches
ph_eq "verify after the rescan: 0 disagreements" "$(ph_field $PH_DFS/verify disagree)" 0

ph_eq "unused off" "$(ph_write $PH_DFS/policy/unused 0)" OK
ph_eq "alloc hook detached" "$(hook states_alloc)" detached
ph_eq "volatile needs unused: lookups detached too" "$(hook states_lookup_get)" detached
ph_eq "unused on" "$(ph_write $PH_DFS/policy/unused 1)" OK
ph_eq "alloc hook attached" "$(hook states_alloc)" attached

for bad in 2 -1 yes 1x ""; do
	ph_eq "policy enabled rejects '$bad'" "$(ph_write -- $PH_DFS/policy/enabled "$bad")" EINVAL
done
ph_eq "rejected writes changed nothing" "$(cat $PH_DFS/policy/enabled)" 1
ph_eq "pagehintctl policy set volatile off" "$($PH_CTL policy set volatile off && echo ok)" ok
ph_eq "pagehintctl policy get volatile" "$(ph_field <($PH_CTL policy get volatile) volatile)" 0
ph_load_ok enabled=0
ph_eq "insmod enabled=0: every states hook detached" "$(attached)" 0
ph_unload
ph_done
