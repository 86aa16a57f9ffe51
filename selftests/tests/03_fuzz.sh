#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The fuzzer (selftests/tools/phfuzz.c): every writable debugfs file, found
# at run time, gets known-bad inputs (garbage, control bytes, trailing
# junk, NUL, offset and split writes, oversized and overflowing ones), which
# must fail with a clean errno and change no state, boundary values and
# random mutations of valid commands, which may succeed (undone). Then
# random writes from 4 threads while the module is unloaded and loaded
# again and policies flip.
# vm: timeout=900
. "$PH_TOP/selftests/lib.sh"

FUZZ=$PH_TOP/selftests/tools/phfuzz
SPEC=/tmp/fuzz.spec
STORM_S=${PH_FUZZ_STORM_S:-$(ph_quick 40 10)}
roots() { ls -d $PH_DFS $PH_TDFS 2>/dev/null; }

# host=1: host/reclaim accepts requests; the pool and the balloon hold
# something, so that a write that changed them would show
ph_load_ok host=1
ph_load_test_ok
D=$PH_DFS
Z=$PH_TDFS/zspool
ph_write $Z/ctl create > /dev/null
ph_write $Z/ctl 'alloc 2000 1 4096' > /dev/null
echo 1M > $D/balloon/target
echo 4096 > $D/pfn
echo "4096 64" > $D/map
echo "pfn 4096" > $D/rmap

# The spec: which part of a file is state (counters are not), and seeds.
{
	echo "state hooks cols 1,5"
	echo "state */status keys mode,target_pages,probe_order"
	echo "state */pool keys created,objects,payload,pool_objects,verified,corrupt,lost"
	echo "state host/stats keys on,target_pages,passes,requested,records_max"
	echo "state map rle"
	echo "state pfn keys pfn"
	for v in 0 1 4K; do echo "seed policy/* $v"; done
	awk 'NR > 1 { print "seed hooks enable " $1 }' $D/hooks
	for v in 0 256 1M; do echo "seed */target $v"; done
	echo "seed */movable 1"
	for v in 3 9; do echo "seed */probe $v"; done
	echo "slow */probe"
	for v in auto 4096; do echo "seed */contig $v"; done
	# stress and contig run as long as their numbers say: exact seeds
	for v in create 'alloc 16 1 64' '!alloc 16 1 4096' 'free 10' verify compact 'try 100' \
		'!contig 1' '!stress 1 1'; do echo "seed */ctl $v"; done
	for v in 'pfn 4096' 'pid 1 addr 0x400000'; do echo "seed rmap $v"; done
	for v in 4096 0x1000; do echo "seed pfn $v"; done
	for v in '4096 16' all; do echo "seed map $v"; done
	echo "seed */reclaim 64K"
	echo "seed */interval_ms 100"
	# storm: valid values of these would take the machine's memory
	for f in '*/target' '*/reclaim' 'policy/host_target' 'policy/balloon_*'; do
		echo "calm $f"
	done
} > $SPEC

nw=$(find $(roots) -type f -perm -200 | wc -l)
ph_ge "writable control files found" "$nw" 10
snap() { for f in $(find $D/policy -type f | sort); do echo "$f=$(cat $f)"; done; cat $D/balloon/target; }
before=$(snap)
log0=$(dmesg | wc -l)

out=$($FUZZ -v -f $SPEC -r "${PH_FUZZ_RANDOM:-$(ph_quick 50 10)}" check $(roots)); rc=$?
grep "^# phfuzz: " <<< "$out"
grep '^FAIL' <<< "$out" | head -n 30 | sed 's/^/# /'
ph_diag "$(tail -n 1 <<< "$out")"
ph_eq "fuzzer, one file at a time: every bad write refused cleanly, no state changed" "$rc" 0
ph_eq "policies and balloon target as before" "$(snap)" "$before"
ph_eq "pool objects verify after the fuzzer" "$(ph_write $Z/ctl verify)" OK
ph_eq "no pagehint message in the kernel log from bad input" \
	"$(dmesg | tail -n +$((log0 + 1)) | grep 'pagehint: ' | grep -v 'zspool: \|balloon: ')" ""

# storm: 4 writer threads; meanwhile unload/load cycles and policy flips
rm -f /tmp/fuzz.stop /tmp/fuzz.loads
(
	loads=0
	while [ ! -e /tmp/fuzz.stop ]; do
		# rmmod fails while a writer holds a file open: retry
		for _ in $(seq 50); do ph_unload 2>/dev/null && break; sleep 0.05; done
		if [ ! -d /sys/module/pagehint ]; then
			insmod "$PH_KO" host=1 && insmod "$PH_TEST_KO" && loads=$((loads + 1))
			echo $loads > /tmp/fuzz.loads
		fi
		for f in $(ls $D/policy 2>/dev/null | shuf -n 4); do
			v=$(cat $D/policy/$f 2>/dev/null)
			case "$v" in 0) echo 1 ;; 1) echo 0 ;; *) continue ;; esac > $D/policy/$f 2>/dev/null
		done
		sleep 1
	done
) &
cycler=$!
out=$($FUZZ -f $SPEC -t 4 -s "$STORM_S" storm $(roots)); rc=$?
touch /tmp/fuzz.stop
wait $cycler
grep '^FAIL' <<< "$out" | head -n 30 | sed 's/^/# /'
ph_diag "$(tail -n 1 <<< "$out")"
ph_eq "fuzzer, 4 threads during load/unload and policy flips: bad writes refused cleanly" "$rc" 0
ph_ge "module reloaded during the storm" "$(cat /tmp/fuzz.loads 2>/dev/null || echo 0)" 1
ph_check "modules loaded after the storm" test -d /sys/module/pagehint -a -d /sys/module/phtest
ph_eq "pool after the storm: create, alloc, verify" \
	"$(ph_write $Z/ctl destroy >/dev/null; ph_write $Z/ctl create; ph_write $Z/ctl 'alloc 500 1 4096'; ph_write $Z/ctl verify)" \
	"$(printf 'OK\nOK\nOK')"
ph_check "rmmod after the storm" ph_unload
ph_done
