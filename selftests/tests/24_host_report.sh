#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=900 mem=1024 balloon=1
# Free page reporting at 4 KiB: memory freed in scattered 4 KiB pages is
# reported (counters, trace, verify) and leaves QEMU's RSS on the host;
# the pages still in use keep their content; what the per-CPU free lists
# hold is drained and reported too; report_order and report_kick_ms are
# policies; the kernel's own pacing still reports;
# unloading hands page reporting back. No timing is asserted here
# (selftests/bench/70_host_report.sh measures how soon).
. "$PH_TOP/selftests/lib.sh"
D=$PH_DFS/host/device
T=/sys/kernel/tracing
ORDER=/sys/module/page_reporting/parameters/page_reporting_order
THP=/sys/kernel/mm/transparent_hugepage/enabled
FREE=$PH_TOP/selftests/tools/phfree
dv() { ph_field $D "$1"; }
rss() { ph_host rss | cut -d' ' -f1; }

if ! ph_have_balloon_dev; then
	ph_skip "free page reporting" "no virtio-balloon device or host helper (vm.sh --balloon)"
	ph_done
fi

# wait_reported N: until N more pages were reported than $rep0 (tries)
wait_reported() {
	local i
	for i in $(seq 1200); do
		[ $(( $(dv reported_pages) - rep0 )) -ge "$1" ] && return 0
		sleep 0.2
	done
	return 1
}

# phfree MIB MODE in the background, commands through fd 4
pf_start() {
	rm -f /tmp/pf.in /tmp/pf.out; mkfifo /tmp/pf.in
	"$FREE" "$1" "$2" < /tmp/pf.in > /tmp/pf.out &
	pf_pid=$!
	exec 4> /tmp/pf.in
	while ! grep -q touched /tmp/pf.out 2>/dev/null; do sleep 0.1; done
}
pf_cmd() {	# pf_cmd CMD WORD: send CMD, wait for a line starting with WORD
	local n
	n=$(grep -c "^$2" /tmp/pf.out)
	echo "$1" >&4
	while [ "$(grep -c "^$2" /tmp/pf.out)" = "$n" ]; do sleep 0.05; done
	grep "^$2" /tmp/pf.out | tail -n 1
}
pf_stop() { exec 4>&-; wait "$pf_pid"; }

thp0=$(sed 's/.*\[\(.*\)\].*/\1/' $THP)
ph_load_ok host_channel=virtio
ph_eq "pagehint reports free pages" "$(dv reporting)" 1
ph_eq "at order 0" "$(dv report_order) $(cat $ORDER)" "0 0"

# --- 256 MiB freed in scattered 4 KiB pages, the rest checked ---
echo never > $THP
pf_start 512 checked
sleep 2
echo 4096 > $T/buffer_size_kb
echo 1 > $T/events/pagehint/host_report/enable
echo > $T/trace
rep0=$(dv reported_pages)
r0=$(rss)
pf_cmd free freed > /dev/null
ph_check "256 MiB freed every other 4 KiB page: >= 90 % reported" wait_reported $(( 65536 * 9 / 10 ))
rep=$(( $(dv reported_pages) - rep0 ))
# the guest keeps allocating meanwhile (a reported page it takes back the
# host faults in again): how much and how soon is the benchmark's (P6b)
ph_ge "QEMU's RSS fell by >= 50 % of it (the host dropped the pages)" "$(( r0 - $(rss) ))" $(( 256 * 1024 / 2 ))
tp=$(awk '/host_report:/ { sub("pages=", "", $NF); s += $NF } END { print s + 0 }' $T/trace)
# a report in flight when the counter was read may be traced or not
ph_ge "pagehint:host_report events add up to the pages reported ($tp of $rep)" "$tp" $(( rep * 95 / 100 ))
echo 0 > $T/events/pagehint/host_report/enable
ph_ge "verify: reported free pages are counted" "$(ph_field $PH_DFS/verify reported)" $(( 65536 * 9 / 10 ))
ph_eq "verify: no disagreement" "$(ph_field $PH_DFS/verify disagree)" 0
ph_eq "the 256 MiB still in use kept their content" "$(pf_cmd check check)" "check OK 0"
ph_ge "the kicker started pending runs early" "$(dv report_kicks)" 1
ph_ge "  and drained the per-CPU lists after a burst" "$(dv report_drains)" 1
ph_eq "no report refused by the queue" "$(dv report_errors)" 0
pf_stop
echo "$thp0" > $THP

# --- the per-CPU lists: memory freed stays there until they are drained
# (on 6.1 huge pages too); the kicker drains them after a burst ---
pf_start 64 contiguous
rep0=$(dv reported_pages)
pf_cmd free freed > /dev/null
ph_check "64 MiB freed (THP $thp0): >= 90 % reported, what the per-CPU lists held included" \
	wait_reported $(( 16384 * 9 / 10 ))
pf_stop

# --- the policies ---
ph_eq "report_order 9" "$(ph_write $PH_DFS/policy/report_order 9)" OK
ph_eq "  the kernel's order follows" "$(cat $ORDER)" 9
ph_eq "report_order 11 is out of range" "$(ph_write $PH_DFS/policy/report_order 11)" ERANGE
ph_eq "report_order x is EINVAL" "$(ph_write $PH_DFS/policy/report_order x)" EINVAL
ph_eq "  unchanged" "$(cat $ORDER) $(cat $PH_DFS/policy/report_order)" "9 9"
ph_eq "report_order 0" "$(ph_write $PH_DFS/policy/report_order 0)" OK
ph_eq "report_kick_ms 0: the kernel's own pacing" "$(ph_write $PH_DFS/policy/report_kick_ms 0)" OK
k0=$(dv report_kicks)
dr0=$(dv report_drains)
pf_start 64 contiguous
rep0=$(dv reported_pages)
pf_cmd free freed > /dev/null
# nothing drains the per-CPU lists now: what they hold is not asked for
pcp=$(ph_pcp_pages)
ph_check "  64 MiB freed is reported with the kernel's pacing too (but the $pcp pages of per-CPU lists)" \
	wait_reported $(( (16384 - pcp) * 9 / 10 ))
ph_eq "  without early starts or drains" "$(dv report_kicks) $(dv report_drains)" "$k0 $dr0"
pf_stop
ph_eq "report_kick_ms 100" "$(ph_write $PH_DFS/policy/report_kick_ms 100)" OK

# --- unload hands page reporting back ---
ord=$(cat $ORDER)
ph_unload
ph_check "unload: the kernel's order is restored ($ord -> $(cat $ORDER))" test "$(cat $ORDER)" != 0
pbo=$(awk '/^Page block order:/ { print $4 }' /proc/pagetypeinfo)
ph_check "virtio_balloon loads after us" ph_kmod virtio_balloon
ph_eq "  and registers page reporting: the order becomes its pageblock order" "$(cat $ORDER)" "$pbo"
rmmod virtio_balloon
ph_done
