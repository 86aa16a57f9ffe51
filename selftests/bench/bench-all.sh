#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-all: make bench on every kernel of the matrix
# (selftests/vm/kernels.conf), all at once, each in its own copy of the
# tree (selftests/vm/tree.sh; the figures are guest instructions, which
# other guests on the host do not change), then one table with a column
# per kernel (selftests/bench/table.py over each kernel's
# .cache/bench/<release>/bench.json). Env: BENCH (default: 00_overhead
# 30_states_grep 40_zspool), PH_LINES (the lines to run, default all),
# PH_TABLE_ONLY=1 (print the table of the last runs, run nothing).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
export BENCH=${BENCH:-00_overhead 30_states_grep 40_zspool}
names=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' selftests/vm/kernels.conf | awk '{ print $1 }')
rc=0
args=()
runs=()
for name in ${PH_LINES:-$names}; do
	kdir=$(selftests/vm/kver.sh kdir "$name")
	if [ -z "$kdir" ]; then
		echo "# $name: not fetched (make deps)"
		rc=1
		continue
	fi
	rel=$(selftests/vm/kver.sh release "$kdir")
	if [ -z "${PH_TABLE_ONLY:-}" ]; then
		t=$TOP/.cache/bench-all/tree-$name
		mkdir -p "$TOP/.cache/bench-all"
		selftests/vm/tree.sh "$t" > "$TOP/.cache/bench-all/$name.log" 2>&1 &&
		(KDIR=$kdir PH_OUT=$TOP/.cache/bench/$rel "$t/selftests/bench/bench.sh" \
			> "$TOP/.cache/bench-all/$name.log" 2>&1; echo $? > "$TOP/.cache/bench-all/$name.rc") &
		runs+=("$name $rel")
	fi
	args+=("$name=$TOP/.cache/bench/$rel/bench.json")
done
wait
for run in "${runs[@]}"; do
	name=${run%% *}
	echo "=== make bench KDIR=$name (${run#* })"
	cat "$TOP/.cache/bench-all/$name.log"
	[ "$(cat "$TOP/.cache/bench-all/$name.rc" 2>/dev/null)" = 0 ] || rc=1
done
[ "${#args[@]}" -gt 0 ] && python3 selftests/bench/table.py "${args[@]}"
exit $rc
