#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: every selftests/bench/NN_*.sh in its own instruction-counted
# boot (-icount shift=0,sleep=off -smp 1: guest time = guest instructions,
# repeatable to the nanosecond; a script whose header says icount=0 reports
# no times and boots without it). Each script prints its table and writes
# $PH_RESULTS/bench-NAME.json; this collects them into
# .cache/bench/<kernel release>/bench.json. No timed assertions anywhere.
# Env: KDIR (a build tree or a line of selftests/vm/kernels.conf), BENCH
# (names to run: the others' results stay and bench.json keeps them), PH_OUT.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
KDIR=$(selftests/vm/kver.sh kdir "${KDIR:-}")
[ -n "$KDIR" ] || { echo "bench.sh: no such kernel; make deps fetches the matrix" >&2; exit 1; }
KREL=$(selftests/vm/kver.sh release "$KDIR")
OUT=${PH_OUT:-$TOP/.cache/bench/$KREL}
# a subset replaces only its own results, so bench-all's table can be
# filled one benchmark at a time
[ -n "${BENCH:-}" ] || rm -rf "$OUT"
mkdir -p "$OUT"
make -s -C "$TOP" KDIR="$KDIR" all > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }

rc=0
for b in selftests/bench/[0-9]*.sh; do
	name=$(basename "$b" .sh)
	if [ -n "${BENCH:-}" ] && ! grep -qw "$name" <<< "$BENCH"; then continue; fi
	mem=$(sed -n 's/^# vm:.*mem=\([0-9]*\).*/\1/p' "$b")
	timeout=$(sed -n 's/^# vm:.*timeout=\([0-9]*\).*/\1/p' "$b")
	# icount=0: a bench that reports shares, not times, may run at full speed
	icount=--icount
	grep -q '^# vm:.*icount=0' "$b" && icount=
	# balloon=1: a virtio-balloon device, QMP and the host helper (vm.sh)
	balloon=
	grep -q '^# vm:.*balloon=1' "$b" && balloon=--balloon
	# append=ARGS: more kernel arguments for this boot (no blanks in ARGS)
	append=$(sed -n 's/^# vm:.*append=\([^ ]*\).*/\1/p' "$b")
	echo "== $name"
	rm -rf "${OUT:?}/$name"
	# "# input: CMD": what the bench reads, fetched on the host first
	input=$(sed -n 's/^# input: //p' "$b")
	if [ -n "$input" ] && ! (cd "$TOP" && $input > /dev/null); then
		echo "# $name: its input ($input) could not be fetched"
		rc=1
		continue
	fi
	selftests/vm/vm.sh --kdir "$KDIR" $icount $balloon ${append:+--append "$append"} --no-load --script "$TOP/$b" \
		--results "$OUT/$name" --mem "${mem:-1024}" --timeout "${timeout:-900}" > /dev/null 2>&1
	r=$?
	cat "$OUT/$name/out" 2>/dev/null
	[ "$r" = 0 ] || { echo "# $name: exit $r (see $OUT/$name/console.log)"; rc=1; }
done
python3 - "$OUT" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
allb = {}
for f in sorted(glob.glob(os.path.join(out, "*", "bench-*.json"))):
    with open(f) as fh:
        allb[os.path.basename(f)[6:-5]] = json.load(fh)
with open(os.path.join(out, "bench.json"), "w") as fh:
    json.dump(allb, fh, indent=1)
print("wrote %s (%d benchmarks)" % (os.path.join(out, "bench.json"), len(allb)))
PY
exit $rc
