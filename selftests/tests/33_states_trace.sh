#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=600
# pagehint:page_state and pagehint:volatile_refused through the shipped
# transitions.bt: reading a file on ext4 shows up as transitions by site.
. "$PH_TOP/selftests/lib.sh"

if ! ph_have_bpftrace; then ph_skip "transitions.bt histograms" "bpftrace not installed"; ph_done; fi
ph_ext4 || { ph_notok "ext4 on /dev/vda"; ph_done; }
head -c 8M /dev/urandom > /mnt/ext4/f8
sync
ph_load_ok
ph_check "tracefs lists pagehint:page_state" test -d /sys/kernel/tracing/events/pagehint/page_state
ph_check "tracefs lists pagehint:volatile_refused" test -d /sys/kernel/tracing/events/pagehint/volatile_refused
ph_bt_start "$PH_TOP/userspace-ctl/trace/transitions.bt" /tmp/bt.out "Tracing pagehint"
echo 3 > /proc/sys/vm/drop_caches
cat /mnt/ext4/f8 > /dev/null
cat /mnt/ext4/f8 > /dev/null
sleep 1
ph_bt_stop
sed 's/^/# /' /tmp/bt.out | head -40
ph_check "transitions.bt: stable -> volatile at site read" grep -Eq '^@transitions\[stable, volatile, read\]: [0-9]+' /tmp/bt.out
ph_check "transitions.bt: volatile -> stable at site lookup" grep -Eq '^@transitions\[volatile, stable, lookup\]: [0-9]+' /tmp/bt.out
ph_check "transitions.bt: refusals by reason" grep -Eq '^@refused\[[a-z_]+\]: [0-9]+' /tmp/bt.out
ph_unload
umount /mnt/ext4
ph_done
