#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The peer suite's CI subset (selftests/peer): the kernel's own mm
# selftests marked "ci" in selftests/peer/tests.list, built from this
# kernel's linux-source package by check.sh, run first with pagehint never
# loaded in this boot, then with it loaded and hot (every switch policy on,
# host pressure with discards, balloon inflated, pool full, compaction
# running). Each test must get the same verdict on both sides; one that
# does not runs PH_PEER_ONEOFF (5) more times on the side that failed (hot
# while still hot, else without pagehint once it is unloaded) and passes
# only if every one of those runs gives the other side's verdict: a
# one-off of the test on a loaded host, reported with its log. `make peer`
# runs the whole list in two boots.
# vm: timeout=1500
. "$PH_TOP/selftests/lib.sh"
. "$PH_TOP/selftests/peer/lib.sh"

series=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<< "$PH_KREL")
BIN=$PH_TOP/.cache/peer/$series/bin
if [ ! -s "$BIN/BUILT" ]; then
	ph_skip "peer suite" "mm selftests of linux-source-$series not built (no package)"
	ph_done
fi
R=/tmp/peer.results
rm -f $R
export PH_PEER_LOGS=/tmp/peer.logs
LIST=$PH_TOP/selftests/peer/tests.list
peer_run base "$BIN" "$LIST" ci $R
peer_hot_start || { ph_notok "pagehint loads hot"; ph_done; }
peer_run hot "$BIN" "$LIST" ci $R
O=/tmp/peer.oneoff
rm -f $O /tmp/peer.again.*
while IFS= read -r c; do
	# the side that failed runs again: hot, unless hot passed
	side=hot
	[ "$(awk -F'|' -v c="$c" '$1 == "hot" && $2 == c { print $4; exit }' $R)" = PASS ] && side=base
	echo "$c" >> /tmp/peer.again.$side
done < <(python3 "$PH_TOP/selftests/peer/compare.py" --mismatches $R)
again() {	# again SIDE: the one-off runs of SIDE's differing tests
	[ -s /tmp/peer.again.$1 ] || return 0
	ph_diag "differ once: run ${PH_PEER_ONEOFF:-5} more times on the $1 side: $(tr '\n' ' ' < /tmp/peer.again.$1)"
	peer_rerun_list "$LIST" "${PH_PEER_ONEOFF:-5}" < /tmp/peer.again.$1 > /tmp/peer.again.$1.list
	peer_run "$1" "$BIN" /tmp/peer.again.$1.list all $O
}
again hot
peer_hot_stop
again base
oneoff=()
[ -s $O ] && oneoff=(--oneoff $O)
while IFS= read -r l; do
	case "$l" in
	"not ok - "*) ph_notok "${l#not ok - }" ;;
	"ok - "*"# SKIP"*) echo "$l" ;;
	"ok - "*) ph_ok "${l#ok - }" ;;
	esac
done < <(python3 "$PH_TOP/selftests/peer/compare.py" --tap "${oneoff[@]}" $R)
[ -f /tmp/peer.logs ] && head -n 60 /tmp/peer.logs | sed 's/^/# /'
ph_done
