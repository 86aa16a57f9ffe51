#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The peer suite's CI subset (selftests/peer): the kernel's own mm
# selftests marked "ci" in selftests/peer/tests.list, built from this
# kernel's linux-source package by check.sh, run first with pagehint never
# loaded in this boot, then with it loaded and hot (every switch policy on,
# host pressure with discards, balloon inflated, pool full, compaction
# running). Each test must get the same verdict on both sides. `make peer`
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
peer_run base "$BIN" "$PH_TOP/selftests/peer/tests.list" ci $R
peer_hot_start || { ph_notok "pagehint loads hot"; ph_done; }
peer_run hot "$BIN" "$PH_TOP/selftests/peer/tests.list" ci $R
peer_hot_stop
while IFS= read -r l; do
	case "$l" in
	"not ok - "*) ph_notok "${l#not ok - }" ;;
	"ok - "*"# SKIP"*) echo "$l" ;;
	"ok - "*) ph_ok "${l#ok - }" ;;
	esac
done < <(python3 "$PH_TOP/selftests/peer/compare.py" --tap $R)
[ -f /tmp/peer.logs ] && head -n 60 /tmp/peer.logs | sed 's/^/# /'
ph_done
