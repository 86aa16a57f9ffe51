#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# icprof.sh: where do the guest instructions go? Runs a workload script in
# two guests under -icount with the icprof TCG plugin: one with pagehint
# loaded, one without, and prints the guest kernel's instruction counts per
# function, loaded minus absent (selftests/icprof/icprof.py).
#
#   icprof.sh [--kdir DIR] [--units N] [--top N] [--annotate FUNC]... SCRIPT
#
# SCRIPT runs in the guest (like a selftest: lib.sh is there) with the
# module loaded; PH_ICPROF_SIDE is "loaded" or "absent" (unloaded first).
# It calls ph_mark (sync -f /, the plugin's mark) before and after the
# part to count. --units: divide the deltas by N (pages, forks, ...).
# --annotate: the per-instruction counts of FUNC, loaded side, with
# objdump's disassembly of pagehint.ko.
# Guest addresses must be the same in every boot: nokaslr.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
D=$TOP/selftests/icprof
KARGS=() PYARGS=() SCRIPT=""
while [ $# -gt 0 ]; do
	case "$1" in
	--kdir) KARGS=(--kdir "$2"); shift ;;
	--units|--top|--annotate) PYARGS+=("$1" "$2"); shift ;;
	-*) echo "icprof.sh: unknown option $1" >&2; exit 2 ;;
	*) SCRIPT=$(realpath "$1") ;;
	esac
	shift
done
[ -n "$SCRIPT" ] || { sed -n 4,17p "$0" >&2; exit 2; }
OUT=$TOP/.cache/icprof
mkdir -p "$OUT"
make -s -C "$TOP" icprof || exit 1

# The mark: the first instruction of the syncfs system call.
mark=$("$TOP/selftests/vm/vm.sh" "${KARGS[@]}" --no-load --append nokaslr \
	--run "grep ' __x64_sys_syncfs\$' /proc/kallsyms" | awk 'NF == 3 { print $1 }')
[ -n "$mark" ] || { echo "icprof.sh: no __x64_sys_syncfs in the guest" >&2; exit 1; }

for side in loaded absent; do
	rm -rf "${OUT:?}/$side"
	mkdir -p "$OUT/$side"
	PH_QEMU_ARGS="-plugin $D/icprof.so,arg=out=$OUT/$side/prof,arg=mark=$mark" \
	"$TOP/selftests/vm/vm.sh" "${KARGS[@]}" --icount --append nokaslr \
		--timeout 1800 --results "$OUT/$side" \
		--run "export PH_ICPROF_SIDE=$side; . \$PH_TOP/selftests/lib.sh
			ph_mark() { sync -f /; }
			[ $side = absent ] && ph_unload
			cat /proc/kallsyms > \$PH_RESULTS/kallsyms
			. $SCRIPT" > "$OUT/$side/log" 2>&1 &
done
wait
for side in loaded absent; do
	[ -s "$OUT/$side/prof" ] || { echo "icprof.sh: no profile ($side):" >&2; tail -n 20 "$OUT/$side/log" >&2; exit 1; }
done
python3 "$D/icprof.py" "${PYARGS[@]}" --ko "$TOP/pagehint.ko" "$OUT/loaded" "$OUT/absent"
