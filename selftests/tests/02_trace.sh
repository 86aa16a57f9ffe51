#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=240
# The pagehint trace system: the shipped hooks.bt sees hook_state events;
# a direct hook beside a BPF fentry program on its target.
. "$PH_TOP/selftests/lib.sh"

if ! ph_have_bpftrace; then ph_skip "bpftrace sees pagehint:hook_state" "bpftrace not installed"; ph_done; fi
ph_load_ok
h=$(ph_col $PH_DFS/hooks name state=attached | head -n 1)
ph_check "a hook to toggle exists" test -n "$h"
ph_check "tracefs lists pagehint events" test -d /sys/kernel/tracing/events/pagehint/hook_state
ph_bt_start "$PH_TOP/userspace-ctl/trace/hooks.bt" /tmp/bt.out
sleep 1
$PH_CTL hooks disable "$h"
$PH_CTL hooks enable "$h"
sleep 2
ph_bt_stop
ph_check "hooks.bt saw $h detached" grep -Eq "^detach +$h " /tmp/bt.out
ph_check "hooks.bt saw $h attached" grep -Eq "^attach +$h " /tmp/bt.out
grep -Eq "^(at|de)tach" /tmp/bt.out || sed 's/^/# /' /tmp/bt.out

# A BPF trampoline holds the direct call of folio_unlock (fentry needs the
# kernel's BTF): states_unlock, enabled after it, attaches through its
# ftrace_ops, both see every unlock, and it takes the direct call back
# when re-enabled after bpftrace ends.
h=states_unlock
if [ ! -e /sys/kernel/btf/vmlinux ]; then
	ph_skip "$h beside a BPF fentry program" "kernel without BTF"
elif [ "$(ph_col $PH_DFS/hooks mechanism name=$h)" != ftrace-direct ]; then
	ph_skip "$h beside a BPF fentry program" "$h not attached by a direct call"
else
	$PH_CTL hooks disable $h
	echo 'kfunc:folio_unlock { @unlocks = count(); }' > /tmp/fentry.bt
	ph_bt_start /tmp/fentry.bt /tmp/fentry.out
	ph_check "bpftrace attaches fentry to folio_unlock" grep -q Attaching /tmp/fentry.out
	$PH_CTL hooks enable $h
	ph_eq "$h beside the BPF trampoline: attached" "$(ph_col $PH_DFS/hooks state name=$h)" attached
	ph_eq "$h beside the BPF trampoline: through ftrace_ops" \
		"$(ph_col $PH_DFS/hooks mechanism name=$h)" ftrace
	ph_check "the log says why $h has no direct call" \
		sh -c "dmesg | grep -q 'hook $h: no direct call on folio_unlock'"
	hits=$(ph_col $PH_DFS/hooks hits name=$h)
	dd if=/dev/zero of=/tmp/unlocks bs=4k count=64 status=none
	cat /tmp/unlocks > /dev/null
	rm -f /tmp/unlocks
	ph_check "$h counts unlocks through ftrace_ops" \
		test "$(ph_col $PH_DFS/hooks hits name=$h)" -gt "$hits"
	ph_bt_stop
	ph_check "the fentry program counted unlocks beside $h" \
		grep -Eq '^@unlocks: [1-9]' /tmp/fentry.out
	$PH_CTL hooks disable $h
	$PH_CTL hooks enable $h
	ph_eq "$h re-enabled without bpftrace: a direct call again" \
		"$(ph_col $PH_DFS/hooks mechanism name=$h)" ftrace-direct
fi
ph_unload
ph_done
