#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# peer.sh: `make peer` -- the kernel's own mm selftests, built from the
# kernel's linux-source package (build.sh), in two boots of KDIR's kernel:
# one without pagehint, one with it loaded and hot (selftests/peer/lib.sh).
# Verdicts must be identical per test; a test that differs is run 10 more
# times on each side (two more boots) and compared by failure rate
# (compare.py). Both boots' kernel logs must be clean (check.sh's list).
#
# Env: KDIR, PH_PEER_FILTER (all | ci, default all), PH_PEER_LIST (the test
# list), PH_TIMEOUT_SCALE, PH_PEER_RERUNS (10), PH_PEER_SIDES (base: only
# the side without pagehint, for a kernel the module does not build on
# yet; nothing is compared). Results:
# .cache/results/<release>/peer/. Ends with "N passed, N failed".
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
KDIR=${KDIR:-$(selftests/vm/kver.sh kdir)}
KREL=$(selftests/vm/kver.sh release "$KDIR")
OUT=${PH_OUT:-$TOP/.cache/results/$KREL}/peer
LIST=${PH_PEER_LIST:-$TOP/selftests/peer/tests.list}
FILTER=${PH_PEER_FILTER:-all}
SCALE=${PH_TIMEOUT_SCALE:-1}
RERUNS=${PH_PEER_RERUNS:-10}
. selftests/vm/splat.sh
. selftests/peer/lib.sh
rm -rf "$OUT"; mkdir -p "$OUT"
echo "# peer suite: kernel $KREL ($KDIR)"
BIN=$(selftests/peer/build.sh "$KDIR") || { echo "0 passed, 1 failed"; exit 1; }
echo "# built: $(grep -vc '^BUILT$' "$BIN/BUILT") tests from $(cat "$BIN/.stamp" | cut -d' ' -f1)"
SIDES=${PH_PEER_SIDES:-base hot}
if [ "$SIDES" != base ] && ! make -s KDIR="$KDIR" all > "$OUT/build.log" 2>&1; then
	tail -n 20 "$OUT/build.log"; echo "0 passed, 1 failed"; exit 1
fi
pass=0 fail=0

boot() {	# boot SIDE LIST DIR: one guest, one side
	local t0=$SECONDS
	mkdir -p "$3"
	selftests/vm/vm.sh --kdir "$KDIR" --no-load --results "$3" --timeout $((7200 * SCALE)) \
		--run "PH_TIMEOUT_SCALE=$SCALE bash $TOP/selftests/peer/guest.sh $1 $FILTER $BIN $2" \
		> "$3/tap" 2>&1
	echo "# $1 side: $((SECONDS - t0)) s wall, rc $?"
	[ -f "$3/rc" ] || { fail=$((fail + 1)); echo "not ok - $1 side: guest survived"; tail -n 20 "$3/console.log" | sed 's/^/#   /'; }
	while IFS= read -r l; do
		case "$l" in
		"ok - "*) pass=$((pass + 1)); echo "$l" ;;
		"not ok - "*) fail=$((fail + 1)); echo "$l" ;;
		"# "*) echo "$l" ;;
		esac
	done < "$3/tap"
	if ! splat_scan "$3" > "$3/splats"; then
		fail=$((fail + 1)); echo "not ok - $1 side: guest kernel log clean"; sed 's/^/#   /' "$3/splats"
	else
		pass=$((pass + 1)); echo "ok - $1 side: guest kernel log clean"
	fi
}

boot base "$LIST" "$OUT/base"
if [ "$SIDES" = base ]; then
	# verdicts of the kernel's own tests on this kernel, nothing to compare
	awk -F'|' '{ v[$2] = v[$2] " " $4 } END { for (c in v) printf "%-36s%s\n", c, v[c] }' \
		"$OUT/base/peer.base" | sort | tee "$OUT/verdicts"
	echo "# base side only: $(grep -c '|PASS|' "$OUT/base/peer.base") PASS, $(grep -c '|FAIL|' "$OUT/base/peer.base") FAIL, $(grep -c '|SKIP|' "$OUT/base/peer.base") SKIP, $(grep -c '|ABSENT|' "$OUT/base/peer.base") not built"
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
fi
boot hot "$LIST" "$OUT/hot"
res=("$OUT/base/peer.base" "$OUT/hot/peer.hot")
mism=$(selftests/peer/compare.py --mismatches "${res[@]}")
if [ -n "$mism" ]; then
	# a test that differs may be flaky on its own: RERUNS runs a side
	echo "# differ once, run $RERUNS times a side: $(tr '\n' ' ' <<< "$mism")"
	peer_rerun_list "$LIST" "$RERUNS" <<< "$mism" > "$OUT/rerun.list"
	boot base "$OUT/rerun.list" "$OUT/base2"
	boot hot "$OUT/rerun.list" "$OUT/hot2"
	# the reruns replace the first runs of those tests
	grep -hvFf <(sed 's/.*/|&|/' <<< "$mism") "${res[@]}" > "$OUT/first"
	res=("$OUT/first" "$OUT/base2/peer.base" "$OUT/hot2/peer.hot")
fi
selftests/peer/compare.py "${res[@]}" | tee "$OUT/verdicts"
selftests/peer/compare.py --tap "${res[@]}" > "$OUT/verdicts.tap"
pass=$((pass + $(grep -c '^ok' "$OUT/verdicts.tap")))
fail=$((fail + $(grep -c '^not ok' "$OUT/verdicts.tap")))
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
