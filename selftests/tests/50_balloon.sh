#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=600 mem=1024
# The balloon: target in pages or K/M/G, done by a worker; deflate returns
# every page; tracepoints and vmstat agree with its counters; unmovable
# mode; the CLI; bad input changes nothing; unload returns every page.
. "$PH_TOP/selftests/lib.sh"
B=$PH_DFS/balloon
TB=$PH_TDFS/balloon	# the test hooks (phtest.ko)
T=/sys/kernel/tracing
st() { ph_field $B/status "$1"; }
vmev() { ph_field /proc/vmstat "$1"; }
# free memory in KiB: MemFree leaves out the per-CPU free lists, which a
# deflate fills and which stay full after unload, with no way to drain them
memfree() {
	sync; echo 3 > /proc/sys/vm/drop_caches
	echo $(( $(ph_free_pages) * 4 ))
}
bwait() { "$PH_CTL" balloon wait 300 > /dev/null; }
# Free memory is the user's view; the exact page counts are the vmstat and
# trace checks. Margin 3 %: slab, the debug kernel's KASAN quarantine and
# the host root's page cache move it by megabytes meanwhile.
atleast97pct() {	# atleast97pct A B: A >= 97 % of B (nothing lost; more is fine)
	[ "$1" -ge $(( $2 - $2 * 3 / 100 )) ]
}

ph_load_ok
ph_load_test_ok
ph_eq "balloon component is up" "$(ph_component balloon)" up
ph_eq "empty after load" "$(st size_pages)" 0
ph_eq "movable mode by default" "$(cat $B/movable)" 1

# --- bad input: clean errno, nothing changes ---
bad=""
for v in garbage "" -1 1K 4097B 12Q "64 M" 0x10 99999999999999999999999 4503599627370496 17179869184G; do
	r=$(ph_write -- $B/target "$v"); [ "$r" = OK ] && bad+=" target<-'$v'"
done
for v in 2 yes "" -1 "1 1"; do
	r=$(ph_write -- $B/movable "$v"); [ "$r" = OK ] && bad+=" movable<-'$v'"
done
for v in 11 x "" -1 99999999999999999999; do
	r=$(ph_write -- $TB/probe "$v"); [ "$r" = OK ] && bad+=" probe<-'$v'"
done
ph_eq "bad target/movable/probe writes all refused" "$bad" ""
ph_eq "target '1K' (not a whole page) is EINVAL" "$(ph_write $B/target 1K)" EINVAL
ph_eq "target of 2^52 pages (bytes overflow) is ERANGE" "$(ph_write $B/target 4503599627370496)" ERANGE
ph_eq "target huge write is E2BIG" "$(ph_write -n 65536 $B/target)" E2BIG
ph_check "target write at offset 3 is refused" test "$(ph_write -o 3 $B/target 1)" != OK
ph_eq "target write with a NUL is refused" "$(ph_write -z $B/target 1)" EINVAL
ph_eq "probe order 11 (>= MAX_ORDER) is ERANGE" "$(ph_write $TB/probe 11)" ERANGE
if [ -e $TB/contig ]; then
	ph_eq "contig with an empty balloon is ENOENT" "$(ph_write $TB/contig auto)" ENOENT
	ph_eq "contig garbage is EINVAL" "$(ph_write $TB/contig pfn)" EINVAL
	ph_eq "contig beyond memory is ERANGE" "$(ph_write $TB/contig 0x7fffffffff)" ERANGE
fi
ph_eq "policy balloon_shrinker=2 is EINVAL" "$(ph_write $PH_DFS/policy/balloon_shrinker 2)" EINVAL
ph_eq "policy balloon_margin=2048G is ERANGE" "$(ph_write $PH_DFS/policy/balloon_margin 2048G)" ERANGE
ph_eq "policy balloon_oom_deflate=x is EINVAL" "$(ph_write $PH_DFS/policy/balloon_oom_deflate x)" EINVAL
ph_eq "nothing changed: target 0, size 0, no run" "$(cat $B/target) $(st size_pages) $(st state)" "0 0 idle"
ph_eq "bad input left no kernel message" "$(dmesg | grep -c 'pagehint: balloon')" 0

# --- inflate to half of free memory, by pages ---
free0=$(memfree)
want=$(( free0 / 2 / 4 ))
inf0=$(vmev balloon_inflate)
echo 1 > $T/events/pagehint/balloon_inflate/enable
echo 1 > $T/events/pagehint/balloon_deflate/enable
echo > $T/trace
ph_eq "target write returns at once (worker still busy or just done)" "$(ph_write $B/target $want)" OK
bwait
ph_eq "balloon reached half of free memory" "$(st size_pages)" "$want"
ph_eq "stopped because it reached the target" "$(st stop)" target
ph_eq "vmstat balloon_inflate moved by the size" "$(( $(vmev balloon_inflate) - inf0 ))" "$want"
free1=$(memfree)
ph_ge "free memory dropped by >= 97 % of the balloon" "$(( free0 - free1 ))" $(( want * 4 * 97 / 100 ))
ph_ge "inflate rate shown (KiB/s)" "$(st inflate_kib_s)" 1
tsum=$(awk '/balloon_inflate:/ { sub("pages=", "", $6); s += $6 } END { print s + 0 }' $T/trace)
ph_eq "pagehint:balloon_inflate events add up to the size" "$tsum" "$want"
v=$(cat $PH_DFS/verify)
ph_eq "verify with the balloon inflated: no disagreement" "$(echo "$v" | ph_field /dev/stdin disagree)" 0
ph_eq "  it counts every balloon page (unused in the table)" "$(echo "$v" | ph_field /dev/stdin balloon)" "$want"
ph_eq "mode cannot change while inflated" "$(ph_write $B/movable 0)" EBUSY

# --- deflate to 0 returns every page ---
echo > $T/trace
def0=$(vmev balloon_deflate)
ph_check "pagehintctl balloon set 0" "$PH_CTL" balloon set 0
bwait
ph_eq "balloon empty" "$(st size_pages)" 0
ph_eq "vmstat balloon_deflate moved by the size" "$(( $(vmev balloon_deflate) - def0 ))" "$want"
tsum=$(awk '/balloon_deflate:/ { sub("pages=", "", $6); s += $6 } END { print s + 0 }' $T/trace)
ph_eq "pagehint:balloon_deflate events add up to the size" "$tsum" "$want"
free2=$(memfree)
ph_check "free memory back to at least 97 % of before ($free2 vs $free0 KiB)" atleast97pct "$free2" "$free0"
ph_ge "deflate rate shown (KiB/s)" "$(st deflate_kib_s)" 1
echo 0 > $T/events/pagehint/balloon_inflate/enable
echo 0 > $T/events/pagehint/balloon_deflate/enable

# --- sizes with suffixes and the CLI ---
ph_check "pagehintctl balloon set 32M" "$PH_CTL" balloon set 32M
bwait
ph_eq "32M is 8192 pages" "$(st size_pages)" 8192
j=$("$PH_CTL" --json balloon status | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["size_pages"], d["mode"], d["stop"])')
ph_eq "pagehintctl --json balloon status parses" "$j" "8192 movable target"
"$PH_CTL" balloon set 12Q 2> /dev/null; ph_eq "pagehintctl balloon set 12Q fails with 1" "$?" 1
"$PH_CTL" balloon mode unmovable 2> /dev/null; ph_eq "pagehintctl balloon mode while inflated fails with 1" "$?" 1
"$PH_CTL" balloon set 0; bwait

# --- unmovable mode: plain unmovable pages, not balloon_compaction's ---
ph_check "pagehintctl balloon mode unmovable (empty)" "$PH_CTL" balloon mode unmovable
inf0=$(vmev balloon_inflate)
echo 16M > $B/target; bwait
ph_eq "unmovable balloon reached 16M" "$(st size_pages) $(st mode)" "4096 unmovable"
ph_eq "unmovable pages are not balloon_compaction pages (vmstat unchanged)" "$(( $(vmev balloon_inflate) - inf0 ))" 0
echo 0 > $B/target; bwait
ph_eq "unmovable balloon deflated" "$(st size_pages)" 0
echo 1 > $B/movable

# --- unload with an inflated balloon returns every page ---
free0=$(memfree)
echo 128M > $B/target; bwait
ph_eq "inflated to 128M before unload" "$(st size_pages)" 32768
def0=$(vmev balloon_deflate)
ph_unload
ph_eq "unload deflated every page (vmstat)" "$(( $(vmev balloon_deflate) - def0 ))" 32768
free1=$(memfree)
# unload also frees the other components' tables: free memory may rise, not fall
ph_check "free memory after unload at least 97 % of before ($free1 vs $free0 KiB)" atleast97pct "$free1" "$free0"
ph_load_ok balloon_margin=8M balloon_oom_deflate=4M
ph_eq "module parameters set the policies" "$(cat $PH_DFS/policy/balloon_margin) $(cat $PH_DFS/policy/balloon_oom_deflate)" "8388608 4194304"
ph_unload
ph_done
