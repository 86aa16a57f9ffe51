#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every debugfs file of pagehint.ko and of the test module phtest.ko:
# root-only, and bad writes come back with an errno and change nothing.
# Every module parameter: a bad value fails insmod cleanly.
# vm: timeout=300
. "$PH_TOP/selftests/lib.sh"

ph_load_ok
ph_load_test_ok
log0=$(dmesg | wc -l)

# The README's parameter table is what the module says (make policies
# writes it): meaning and unit from modinfo, the default from this load
# without parameters, before any write below.
want=$(bash "$PH_TOP/selftests/tools/policy_table.sh")
have=$(sed -n '/^<!-- policies/,/^<!-- end policies -->/p' "$PH_TOP/README.md" | grep '^|')
if [ -n "$want" ] && [ "$have" = "$want" ]; then
	ph_ok "README's parameter table is the module's (make policies)"
else
	ph_notok "README's parameter table is the module's (make policies)"
	diff <(echo "$have") <(echo "$want") | sed 's/^/# /'
fi
snapshot() {	# every policy value and every read-only config file
	for f in $(find $PH_DFS/policy -type f | sort); do echo "$f=$(cat $f)"; done
}
before=$(snapshot)

files=$(find $PH_DFS $PH_TDFS -type f | sort)
ph_ge "debugfs files to check" "$(echo "$files" | wc -l)" 3
# zspool/ctl and pool, balloon/probe and status (and balloon/contig with
# CONFIG_CONTIG_ALLOC, which the debug kernel has not)
ph_ge "phtest's files among them" "$(find $PH_TDFS -type f | wc -l)" 4
bad_mode=$(find $PH_DFS $PH_TDFS -type f -perm /077)
ph_eq "every debugfs file is root-only (no group/other bits)" "$bad_mode" ""

# one process runs the whole battery (an exec over 9p per write was most of
# this test's time)
fails=$($PH_WRITE -b $files)
ph_eq "garbage, empty, negative, overflowing, huge, offset and NUL writes all fail" "$fails" ""

ph_eq "policy values unchanged by rejected writes" "$(snapshot)" "$before"

# A split write is two write() calls: the first is a whole command on its
# own, the continuation (at offset != 0) must be refused.
for f in $(find $PH_DFS/policy -type f | sort | head -n 3); do
	v=$(cat "$f")
	r=$(ph_write -s "$f" "$v")
	ph_check "continuation of a split write to ${f#$PH_DFS/} is refused" test "$r" != OK
	echo "$v" > "$f"
done
ph_eq "no pagehint or phtest message in the kernel log from bad input" \
	"$(dmesg | tail -n +$((log0 + 1)) | grep -E '(pagehint|phtest): ')" ""

params=$(ls /sys/module/pagehint/parameters 2>/dev/null)
ph_ge "module parameters exist" "$(echo $params | wc -w)" 1
ph_unload
pfail=""
# every parameter with garbage; the first three also negative and overflowing
# (each insmod reads the whole module: keep the count modest)
i=0
hooks=$(modinfo -F parm "$PH_KO" | sed -n 's/^\([a-z_]*\):test hook:.*/\1/p')
for p in $params; do
	# a test hook (README, Parameters): hide_target takes any name
	grep -qx "$p" <<< "$hooks" && continue
	vals="garbage"
	[ $i -lt 3 ] && vals="garbage -1 99999999999999999999999999"
	i=$((i + 1))
	for v in $vals; do
		if insmod "$PH_KO" "$p=$v" 2>/dev/null; then pfail+=" $p=$v"; rmmod pagehint; fi
	done
done
ph_ge "test hooks left out" "$(grep -c . <<< "$hooks")" 1
ph_eq "insmod with a bad value of each parameter fails" "$pfail" ""
ph_check "module not left loaded by failed insmods" test ! -d /sys/module/pagehint
ph_done
