#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=600 mem=1024 balloon=1
# pagehint drives QEMU's virtio-balloon device (host_channel=virtio): it
# binds, negotiates like virtio_balloon, serves the host's target (QMP
# balloon) with 2 MiB blocks of unused memory first, "actual" follows,
# deflate gives every page back; host/device, pagehintctl host and verify
# agree; bad input changes nothing; with virtio_balloon holding the
# device the switch fails naming the fix; after unload virtio_balloon
# binds the device and QMP balloon works with it.
. "$PH_TOP/selftests/lib.sh"
D=$PH_DFS/host/device
B=$PH_DFS/balloon/status
dv() { ph_field $D "$1"; }
bs() { ph_field $B "$1"; }
MiB=$((1 << 20))

if ! ph_have_balloon_dev; then
	ph_skip "virtio host channel" "no virtio-balloon device or host helper (vm.sh --balloon)"
	ph_done
fi
ph_eq "virtio_balloon is not loaded (the rig loads only what it lists)" "$(test -d /sys/module/virtio_balloon && echo yes || echo no)" no

# --- the default is the simulated host; bad values change nothing ---
ph_load_ok
ph_eq "host_channel is sim by default" "$(cat $PH_DFS/policy/host_channel)" sim
ph_eq "host/device shows no device" "$(dv device)" none
bad=""
for v in "" virt VIRTIO "virtio x" 1 simulated; do
	[ "$(ph_write -- $PH_DFS/policy/host_channel "$v")" = OK ] && bad+=" '$v'"
done
ph_eq "bad host_channel values refused" "$bad" ""
ph_eq "host_channel with a NUL refused" "$(ph_write -z $PH_DFS/policy/host_channel virtio)" EINVAL
ph_eq "still sim" "$(cat $PH_DFS/policy/host_channel)" sim
ph_eq "the device is still free" "$(ls /sys/bus/virtio/drivers/pagehint 2>/dev/null | grep -c virtio)" 0
ph_unload
insmod "$PH_KO" host_channel=bogus 2>/dev/null
ph_eq "insmod host_channel=bogus fails" "$?" 1

# --- load with host_channel=virtio ---
ord0=$(cat /sys/module/page_reporting/parameters/page_reporting_order)
ph_load_ok host_channel=virtio
ph_eq "policy says virtio" "$(cat $PH_DFS/policy/host_channel)" virtio
ph_check "the device is bound to pagehint" test -n "$(dv device | grep virtio)"
ph_check "  and listed under the driver" test -e "/sys/bus/virtio/drivers/pagehint/$(dv device)"
ph_eq "STATS_VQ negotiated" "$(dv feature_stats_vq)" 1
ph_eq "DEFLATE_ON_OOM negotiated (deflate-on-oom=on)" "$(dv feature_deflate_on_oom)" 1
ph_eq "REPORTING negotiated" "$(dv feature_reporting)" 1
ph_eq "PAGE_POISON dropped as virtio_balloon does (no poisoning, no init_on_free)" "$(dv feature_page_poison)" 0
ph_eq "pagehint is the page reporting device" "$(dv reporting)" 1
ph_eq "reporting order 0 (4 KiB)" "$(dv report_order)" 0
ph_eq "the kernel's page_reporting_order is 0 too" "$(cat /sys/module/page_reporting/parameters/page_reporting_order)" 0
ph_eq "balloon channel is virtio" "$(bs channel)" virtio
ph_eq "balloon/target refused: the host owns it" "$(ph_write $PH_DFS/balloon/target 1M)" EBUSY
"$PH_CTL" balloon set 1M 2>/tmp/err; ph_eq "pagehintctl balloon set fails with 1" "$?" 1
ph_check "  saying the host sets the target" grep -q "host sets the target" /tmp/err

# --- the host's target: unused 2 MiB blocks first ---
ph_drop_caches
inf0=$(dv inflated); rt0=$(dv round_trips)
ph_host target 256M > /dev/null
ph_bl_settle
ph_eq "the balloon holds the host's 256 MiB" "$(bs size_pages)" 65536
ph_eq "device target is 65536 pages" "$(dv target_pages)" 65536
ph_eq "actual follows" "$(dv actual_pages)" 65536
ph_eq "QEMU sees 256 MiB ballooned" "$(ph_host held)" $((256 * MiB))
ph_eq "every page told to the host (inflate)" "$(( $(dv inflated) - inf0 ))" 65536
ph_eq "all of it from free 2 MiB blocks (memory is not fragmented)" "$(bs from_huge)" 65536
ph_eq "nothing from volatile or reclaim (free memory sufficed)" "$(bs from_volatile) $(bs from_reclaim)" "0 0"
ph_le "one round trip per 2 MiB block" "$(( $(dv round_trips) - rt0 ))" 128
ph_eq "no message refused by a queue" "$(dv tell_errors)" 0
tot=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
ph_host target 128M > /dev/null
ph_bl_settle
ph_eq "host asks 128 MiB: the balloon deflates to it" "$(bs size_pages) $(dv actual_pages)" "32768 32768"
ph_eq "  deflated pages were told to the host" "$(dv deflated)" 32768
ph_eq "MemTotal unchanged: with DEFLATE_ON_OOM ballooned pages stay managed" "$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)" "$tot"

# --- a migrated balloon page: inflate new, deflate old ---
ph_host target 0 > /dev/null
ph_bl_settle
ph_drop_caches
free0=$(awk '/^MemFree/ { print $2 }' /proc/meminfo)
ph_frag_start $(( free0 / 2 / 1024 ))
# beyond the free memory outside the checkerboard: into its holes
tmib=$(( free0 * 6 / 10 / 1024 ))
ph_host target ${tmib}M > /dev/null
ph_bl_settle
ph_frag_stop
ph_ge "among the holes the balloon took single pages" "$(bs from_free)" 1
# kcompactd migrates too, between any two reads: proactive compaction off,
# and the device's counters compared within one snapshot of its file
ph_proactive_off
cat $D > /tmp/dev0; m0=$(bs migrated)
echo 1 > /proc/sys/vm/compact_memory
m=$(( $(bs migrated) - m0 )); cat $D > /tmp/dev1
ph_proactive_restore
ddelta() { echo $(( $(ph_field /tmp/dev1 "$1") - $(ph_field /tmp/dev0 "$1") )); }
t=$(ddelta migrated)
ph_ge "compaction migrated balloon pages" "$m" 1
# what kcompactd migrated between the balloon's reads and the device's
ph_check "  each one told to the host ($t for $m)" test "$t" -ge "$m" -a "$t" -le $(( m + m / 10 + 512 ))
ph_ge "  each as an inflate of the new page" "$(ddelta inflated)" "$t"
ph_ge "  and a deflate of the old one" "$(ddelta deflated)" "$t"
ph_eq "  the size did not change" "$(bs size_pages) $(dv actual_pages)" "$(( tmib * 256 )) $(( tmib * 256 ))"
ph_host target 128M > /dev/null
ph_bl_settle

# --- what the host holds is visible, and the table agrees ---
j=$("$PH_CTL" --json host | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["target_pages"], d["actual_pages"], d["balloon_pages"])')
ph_eq "pagehintctl --json host: target, actual, balloon" "$j" "32768 32768 32768"
ph_check "pagehintctl host shows reported pages" sh -c "'$PH_CTL' host | grep -q '^reported_pages'"
ph_check "pagehintctl host sim still shows the simulated host" sh -c "'$PH_CTL' host sim | grep -q '^resident_pages'"
v=$(cat $PH_DFS/verify)
ph_eq "verify: no disagreement" "$(echo "$v" | ph_field /dev/stdin disagree)" 0
ph_eq "verify counts the balloon's pages as the host's" "$(echo "$v" | ph_field /dev/stdin balloon)" 32768
ph_ge "verify sees reported free pages" "$(echo "$v" | ph_field /dev/stdin reported)" 1

# --- switching back to the simulated host returns everything ---
ph_eq "host_channel sim at runtime" "$(ph_write $PH_DFS/policy/host_channel sim)" OK
ph_eq "balloon empty, channel none" "$(bs size_pages) $(bs channel)" "0 none"
ph_eq "QEMU sees an empty balloon" "$(ph_host held)" 0
ph_eq "the driver let the device go" "$(ls /sys/bus/virtio/drivers/pagehint 2>/dev/null | grep -c virtio)" 0
ph_eq "page reporting handed back: order restored" "$(cat /sys/module/page_reporting/parameters/page_reporting_order)" "$ord0"
ph_eq "host_channel virtio again" "$(ph_write $PH_DFS/policy/host_channel virtio)" OK
ph_bl_settle
ph_eq "the host's standing target is served again" "$(bs size_pages)" 32768
ph_unload
ph_eq "unload: QEMU sees an empty balloon" "$(ph_host held)" 0
ph_check "unload: pagehint released the device" sh -c "dmesg | grep -q 'released: the balloon is empty'"

# --- virtio_balloon takes the device after us; pagehint then refuses ---
ph_check "virtio_balloon loads" ph_kmod virtio_balloon
ph_check "virtio_balloon bound the device" test -n "$(ls /sys/bus/virtio/drivers/virtio_balloon 2>/dev/null | grep virtio)"
ph_host target 64M > /dev/null
n=0; while [ "$(ph_host held)" != $((64 * MiB)) ] && [ $n -lt 300 ]; do sleep 0.2; n=$((n + 1)); done
ph_eq "QMP balloon works with virtio_balloon after pagehint" "$(ph_host held)" $((64 * MiB))
dmesg -C
insmod "$PH_KO" host_channel=virtio 2>/dev/null
ph_eq "insmod host_channel=virtio while virtio_balloon holds it: EBUSY" "$?" 1
ph_check "  the message names virtio_balloon and the fix" sh -c "dmesg | grep -q 'bound to virtio_balloon; free it with .rmmod virtio_balloon'"
ph_load_ok
ph_eq "runtime switch with virtio_balloon holding: EBUSY" "$(ph_write $PH_DFS/policy/host_channel virtio)" EBUSY
ph_eq "  still sim" "$(cat $PH_DFS/policy/host_channel)" sim
ph_unload
ph_host target 0 > /dev/null
n=0; while [ "$(ph_host held)" != 0 ] && [ $n -lt 300 ]; do sleep 0.2; n=$((n + 1)); done
rmmod virtio_balloon
ph_done
