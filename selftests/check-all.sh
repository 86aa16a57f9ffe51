#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-all.sh: `make check` on every kernel of the matrix
# (selftests/vm/kernels.conf, as make deps fetched it), all at once: each
# kernel's run builds in its own copy of the tree (selftests/vm/tree.sh)
# and their builds and VM boots share one pool of PH_JOBS host cores
# (selftests/vm/slots.sh; the longest boots first), so no core idles
# while one kernel's last boot runs. Prints each run's TAP, kernel by
# kernel, then one verdict line per kernel
#   NAME RELEASE: N passed, N failed
# and the total "N passed, N failed". Exit 1 when anything failed or a
# line of the matrix is not fetched. The checks before the boots that do
# not depend on the kernel (unit tests, the tree, the checkout) run on the
# first line only (check.sh's PH_PREP=kernel for the others). Env: as
# check.sh (TESTS, PH_JOBS, PH_TIMEOUT_SCALE, PH_PREP, ...); PH_LINES: the
# lines to run (default all);
# PH_SLOTS: a pool to share with runs beyond the matrix (.ci/run's).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
. selftests/vm/slots.sh
total_pass=0 total_fail=0
verdicts=()
work=$TOP/.cache/check-all
mkdir -p "$work"
[ -n "${PH_SLOTS:-}" ] || slots_init "$work/slots" "${PH_JOBS:-1}"

names=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' selftests/vm/kernels.conf | awk '{ print $1 }')
runs=()
for name in ${PH_LINES:-$names}; do
	kdir=$(selftests/vm/kver.sh kdir "$name")
	if [ -z "$kdir" ]; then
		verdicts+=("$name: not fetched (make deps)")
		total_fail=$((total_fail + 1))
		continue
	fi
	rel=$(selftests/vm/kver.sh release "$kdir")
	if ! selftests/vm/tree.sh "$work/tree-$name" > "$work/$name.log" 2>&1; then
		verdicts+=("$name $rel: no copy of the tree (see $work/$name.log)")
		total_fail=$((total_fail + 1))
		continue
	fi
	runs+=("$name $rel")
	# the checks that do not depend on the kernel: once, on the first line
	prep=kernel
	[ "${#runs[@]}" = 1 ] && prep=full
	(KDIR=$kdir PH_PREP=${PH_PREP:-$prep} PH_OUT=$TOP/.cache/results/$rel "$work/tree-$name/selftests/check.sh" \
		> "$work/$name.log" 2>&1) &
done
wait

for run in "${runs[@]}"; do
	name=${run%% *} rel=${run#* }
	log=$work/$name.log
	echo "=== make check KDIR=$name ($rel)"
	cat "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		verdicts+=("$name $rel: no verdict")
		total_fail=$((total_fail + 1))
		continue
	fi
	verdicts+=("$name $rel: $line")
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed}
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
done
for v in "${verdicts[@]}"; do echo "$v"; done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ] && [ "$total_pass" -gt 0 ]
