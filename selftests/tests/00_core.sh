#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Core: load/unload, the debugfs root, the hook table, the CLI's answers.
. "$PH_TOP/selftests/lib.sh"

ph_load_ok
ph_eq "debugfs version matches the CLI's" "$(cat $PH_DFS/version)" \
	"$(sed -n 's/^#define PAGEHINT_VERSION\t*"\(.*\)"/\1/p' $PH_TOP/include/uapi/pagehint.h)"
ph_eq "components file lists every component as up, degraded or unsupported" \
	"$(ph_col $PH_DFS/components state | grep -cvxE 'up|degraded|unsupported')" 0
# degraded says why (a reason in the third column), up says "-"
ph_eq "a degraded component names what the kernel lacks, an up one nothing" \
	"$(ph_col $PH_DFS/components state,reason | grep -cvE '^(degraded [^-]|(up|unsupported) -$)')" 0
ph_diag "$(ph_col $PH_DFS/components name,state state=degraded)"
normal=$(ph_col $PH_DFS/components name,state)

ph_ge "hooks table lists attach points" "$(ph_rows $PH_DFS/hooks)" 1
ph_eq "every hook has a known mechanism and state" \
	"$(ph_col $PH_DFS/hooks mechanism,state | grep -cvxE '(tracepoint|ftrace|ftrace-direct|kprobe|kretprobe) (attached|detached|missing)')" 0

hook() { ph_col $PH_DFS/hooks "$2" name="$1"; }
# The per-page and per-read hooks take a direct ftrace call; one that
# attached through ftrace_ops instead has a log line saying why.
hot="states_unlock states_put states_read states_read_end states_map_pages"
if [ "$(ph_col $PH_DFS/components state name=states)" = up ]; then
	ph_ge "states up: one or more of its per-page hooks attached" \
		"$(for h in $hot; do hook "$h" state; done | grep -cx attached)" 1
fi
for h in $hot; do
	[ "$(hook "$h" state)" = attached ] || continue
	why=$(dmesg | grep -c "hook $h: no direct call")
	ph_check "$h: attached by a direct call, or the log says why not" \
		test "$(hook "$h" mechanism)" = ftrace-direct -o "$why" -gt 0
done
ph_diag "direct hooks: $(ph_col $PH_DFS/hooks name mechanism=ftrace-direct | tr '\n' ' ')"

# The allocator probes and the direct hooks count their hits in per-CPU
# counters of their own (PH_HOOK_HITS()): forks and exits move them.
own="states_alloc states_free states_put states_map_pages"
declare -A was
for h in $own; do was[$h]=$(hook "$h" hits); done
for i in 1 2 3 4 5 6 7 8; do /bin/true; done
for h in $own; do
	[ "$(hook "$h" state)" = attached ] || { ph_diag "$h: $(hook "$h" state)"; continue; }
	ph_check "$h counts hits of forks and exits" test "$(hook "$h" hits)" -gt "${was[$h]}"
done
if [ "$(ph_col $PH_DFS/components state name=states)" = up ]; then
	ph_eq "states up: its allocator probes attached" \
		"$(for h in states_alloc states_free; do hook "$h" state; done | grep -cx attached)" 2
fi

# Toggle one attached hook through the CLI and see the table follow.
h=$(ph_col $PH_DFS/hooks name state=attached | head -n 1)
if [ -n "$h" ]; then
	$PH_CTL hooks disable "$h"
	ph_eq "hooks disable $h detaches it" "$(hook "$h" state)" detached
	hits=$(hook "$h" hits)
	$PH_CTL hooks enable "$h"
	ph_eq "hooks enable $h attaches it again" "$(hook "$h" state)" attached
	ph_check "hit counter of $h does not go backwards" \
		test "$(hook "$h" hits)" -ge "$hits"
else
	ph_notok "an attached hook exists to toggle"
fi
$PH_CTL hooks enable no_such_hook 2>/dev/null
ph_eq "hooks enable of an unknown name exits 1" "$?" 1
ph_eq "hooks file: unknown name -> ENOENT" "$(ph_write $PH_DFS/hooks 'enable no_such_hook')" ENOENT

# CLI contract
$PH_CTL status > /tmp/status.txt
ph_eq "pagehintctl status exits 0" "$?" 0
ph_check "status names the version" grep -q "pagehint $(cat $PH_DFS/version) loaded" /tmp/status.txt
ph_check "status --json is valid JSON with loaded=true" \
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["loaded"] and d["hooks"] and d["components"]' \
	< <($PH_CTL --json status)
ph_check "hooks --json is a JSON array with hit counts" \
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(isinstance(h["hits"], int) for h in d)' \
	< <($PH_CTL --json hooks)
ph_check "policy --json is a JSON object" \
	python3 -c 'import json,sys; assert isinstance(json.load(sys.stdin), dict)' < <($PH_CTL --json policy)
$PH_CTL frobnicate 2>/dev/null
ph_eq "unknown command exits 2" "$?" 2
$PH_CTL --help | grep -q "exit codes"
ph_eq "--help documents exit codes" "$?" 0
setpriv --reuid=65534 --regid=65534 --clear-groups $PH_CTL status 2>/tmp/err.txt
ph_eq "non-root exits 5" "$?" 5
ph_check "non-root is told to be root" grep -q "must be root" /tmp/err.txt
unshare -m sh -c "umount -l /sys/kernel/debug; $PH_CTL status" 2>/tmp/err.txt
ph_eq "debugfs not mounted exits 4" "$?" 4
ph_check "and says debugfs is not mounted" grep -q "debugfs is not mounted" /tmp/err.txt

ph_check "rmmod pagehint" ph_unload
ph_check "debugfs folder gone after unload" test ! -e $PH_DFS
$PH_CTL status 2>/tmp/err.txt
ph_eq "module not loaded exits 3" "$?" 3
ph_check "and says the module is not loaded" grep -q "module not loaded" /tmp/err.txt

# A kernel without a hook's target, made by hide_target=: a required one
# takes its component out (unsupported), with a log line naming the target,
# and the rest loads as before; an optional one is listed missing and its
# component comes up as before.
# missing_load HOOK: load with HOOK's target, $tgt, hidden; $newlog is what
# that load logged
missing_load() {
	local log0
	ph_load_ok
	tgt=$(hook "$1" target)
	log0=$(dmesg | wc -l)
	ph_load_ok hide_target="$tgt"
	newlog=$(dmesg | tail -n +$((log0 + 1)))
	ph_diag "hid $tgt ($1)"
}
missing_load reclaim_batch_end
ph_eq "a missing required target: its component is unsupported" \
	"$(ph_col $PH_DFS/components state name=reclaim)" unsupported
ph_check "and the log names the target" grep -q "reclaim: .* $tgt not found on this kernel$" <<< "$newlog"
ph_check "and says the component is off" grep -q "reclaim: not supported on this kernel, off" <<< "$newlog"
ph_eq "its hooks are not listed" "$(ph_col $PH_DFS/hooks owner | grep -cx reclaim)" 0
ph_eq "the other components as on a full load" \
	"$(ph_col $PH_DFS/components name,state | grep -v '^reclaim ')" "$(grep -v '^reclaim ' <<< "$normal")"
missing_load states_alloc_bulk
ph_eq "a missing optional target: its hook is listed missing" "$(hook states_alloc_bulk state)" missing
ph_check "and the log says that feature is off" \
	grep -q "states: .* $tgt not found on this kernel, feature off" <<< "$newlog"
ph_eq "every component as on a full load" "$(ph_col $PH_DFS/components name,state)" "$normal"
ph_check "rmmod after the missing targets" ph_unload

# Load and unload while every hook fires: a page-fault and file-read storm.
ph_load_ok
( for i in $(seq 1 40); do head -c 8M /dev/zero | md5sum > /dev/null; cat /usr/bin/* > /dev/null 2>&1; done ) &
storm=$!
sleep 2
reload() { ph_unload && ph_load; }
for i in 1 2 3; do ph_check "rmmod and insmod while hooks fire ($i)" reload; done
ph_check "rmmod while hooks fire" ph_unload
kill $storm 2>/dev/null; wait $storm 2>/dev/null
ph_done
