#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# soak.sh: `make soak MINUTES=N` -- every component at once for N minutes
# (selftests/soak/guest.sh) in one boot of the debug kernel (KASAN,
# lockdep, kmemleak), then the guest kernel log scanned for splats
# (selftests/vm/splat.sh) and the boot's kmemleak report. Prints TAP, the
# guest's summary ("# soak: ..." lines) and "N passed, N failed".
#
# Env: MINUTES (default 2), KDIR (default the debug kernel, else the
# default kernel), PH_TIMEOUT_SCALE. Results: .cache/results/<release>/soak/.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
MIN=${MINUTES:-2}
if [ -z "${KDIR:-}" ]; then
	KDIR=$(selftests/vm/debug-kernel.sh) || KDIR=$(selftests/vm/kver.sh kdir)
fi
KREL=$(selftests/vm/kver.sh release "$KDIR")
OUT=${PH_OUT:-$TOP/.cache/results/$KREL}/soak
SCALE=${PH_TIMEOUT_SCALE:-1}
. selftests/vm/splat.sh
. selftests/vm/slots.sh
rm -rf "$OUT"; mkdir -p "$OUT"
# one slot of a shared pool (PH_SLOTS, check-all.sh's) for the whole
# run, ahead of the tests waiting there: it is the longest boot
slot_acquire 1
echo "# soak: $MIN min on $KREL ($KDIR)"
if ! make -s KDIR="$KDIR" all > "$OUT/build.log" 2>&1; then
	tail -n 20 "$OUT/build.log"; echo "0 passed, 1 failed"; exit 1
fi
t0=$SECONDS
selftests/vm/vm.sh --kdir "$KDIR" --no-load --results "$OUT" --mem 1024 \
	--timeout $(( (MIN * 60 + 300) * SCALE )) \
	--run "bash $TOP/selftests/soak/guest.sh $MIN" > "$OUT/tap" 2>&1
rc=$?
pass=0 fail=0
while IFS= read -r l; do
	case "$l" in
	"ok - "*) pass=$((pass + 1)); echo "$l" ;;
	"not ok - "*) fail=$((fail + 1)); echo "$l" ;;
	"# "*) echo "$l" ;;
	esac
done < "$OUT/tap"
case $rc in
124) fail=$((fail + 1)); echo "not ok - soak finished in time" ;;
125) fail=$((fail + 1)); echo "not ok - guest survived"; tail -n 25 "$OUT/console.log" | sed 's/^/#   /' ;;
esac
if hits=$(splat_scan "$OUT"); then
	pass=$((pass + 1)); echo "ok - guest kernel log clean (splats, kmemleak)"
else
	fail=$((fail + 1)); echo "not ok - guest kernel log clean (splats, kmemleak)"; sed 's/^/#   /' <<< "$hits"
fi
echo "# soak: $((SECONDS - t0)) s wall"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
