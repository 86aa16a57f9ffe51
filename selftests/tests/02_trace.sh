#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=240
# The pagehint trace system: the shipped hooks.bt sees hook_state events.
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
ph_unload
ph_done
