#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot the distro kernel (KDIR), load pagehint.ko and walk the
# mission (selftests/vm/demo-guest.sh); the results folder is printed.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${PH_DEMO_OUT:-$TOP/.cache/demo}
rm -rf "$OUT"
mkdir -p "$OUT"
"$TOP/selftests/vm/vm.sh" --timeout 900 --balloon --results "$OUT" \
	--run "bash $TOP/selftests/vm/demo-guest.sh"
rc=$?
echo "demo results: $OUT (state-map.png, demo-summary.txt, transitions.txt, console.log)"
exit $rc
