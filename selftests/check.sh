#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: the whole verdict (`make check`).
#  1. build: module (W=1, warnings fail), CLI, test tools
#  2. host unit tests (selftests/unit, TAP)
#  3. every selftests/tests/*.sh in its own VM boot, then the guest kernel
#     log of that boot scanned for splats (each boot adds one assertion)
# Prints TAP, then one line "N passed, N failed". Exit 1 on any failure,
# on a VM that did not finish, or when no test ran.
#
# Env: KDIR (kernel to test), TESTS (space-separated names to run, default
# all), PH_OUT (results folder, default .cache/results/<kernel release>),
# PH_TIMEOUT_SCALE (multiplies test timeouts; the debug kernel is slower),
# PH_JOBS (VM boots at once, default 1).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
KDIR=${KDIR:-$(selftests/vm/kver.sh kdir)}
export KDIR
KREL=$(selftests/vm/kver.sh release "$KDIR")
OUT=${PH_OUT:-$TOP/.cache/results/$KREL}
SCALE=${PH_TIMEOUT_SCALE:-1}
rm -rf "$OUT"
mkdir -p "$OUT"
pass=0 fail=0 skip=0 n=0
failed_names=()

tap() {	# tap ok|notok|skip DESC
	n=$((n + 1))
	case "$1" in
	ok) pass=$((pass + 1)); echo "ok $n $2" ;;
	skip) skip=$((skip + 1)); echo "ok $n $2" ;;
	*) fail=$((fail + 1)); failed_names+=("$2"); echo "not ok $n $2" ;;
	esac
}

# Lines that fail a run when the guest kernel prints them.
BAD='BUG:|WARNING:|Oops|KASAN|UBSAN|circular locking|possible recursive locking|kmemleak|unreferenced object|RCU stall|rcu_sched self-detected stall|detected stalls|soft lockup|hung task|blocked for more than|Kernel panic|general protection fault|list_add corruption|list_del corruption|bad page state|Bad page'

scan_log() {	# scan_log NAME DIR
	local name=$1 dir=$2 hits
	hits=$(cat "$dir/dmesg" "$dir/console.log" "$dir/kmemleak" 2>/dev/null |
		grep -E "$BAD" | grep -v 'kmemleak: Kernel memory leak detector initialized' |
		grep -v 'kmemleak: Automatic memory scanning thread' | sort -u | head -n 20)
	if [ -z "$hits" ]; then
		tap ok "$name: guest kernel log clean"
	else
		tap notok "$name: guest kernel log clean"
		sed 's/^/#   /' <<< "$hits"
	fi
}

echo "TAP version 13"
echo "# kernel $KREL ($KDIR)"

# 1. build
if make -s -C "$TOP" KDIR="$KDIR" W=1 all > "$OUT/build.log" 2>&1 &&
	! grep -E 'warning:|error:' "$OUT/build.log" > /dev/null; then
	tap ok "build: pagehint.ko, pagehintctl and test tools, W=1 clean"
else
	tap notok "build: pagehint.ko, pagehintctl and test tools, W=1 clean"
	sed 's/^/#   /' "$OUT/build.log" | tail -n 30
	echo "$pass passed, $fail failed"
	exit 1
fi
# the profiler's QEMU plugin (make profile): C11, warnings are errors
if make -s -B -C "$TOP" icprof > "$OUT/icprof.log" 2>&1; then
	tap ok "build: icprof QEMU plugin"
else
	tap notok "build: icprof QEMU plugin"
	sed 's/^/#   /' "$OUT/icprof.log" | tail -n 20
fi

# 2. host unit tests
if make -s -C selftests/unit run > "$OUT/unit.log" 2>&1; then :; fi
while read -r line; do
	case "$line" in
	"ok "*"# SKIP"*) tap skip "unit: ${line#ok * }" ;;
	"ok "*) tap ok "unit: $(sed 's/^ok [0-9]* //' <<< "$line")" ;;
	"not ok "*) tap notok "unit: $(sed 's/^not ok [0-9]* //' <<< "$line")" ;;
	esac
done < "$OUT/unit.log"
if ! grep -q '^ok\|^not ok' "$OUT/unit.log"; then
	tap notok "unit: tests ran"
	tail -n 5 "$OUT/unit.log" | sed 's/^/#   /'
fi

# 2b. packaging: make install/uninstall into a scratch root, a DKMS build
pkg=$(mktemp -d)
if make -s -C "$TOP" KDIR="$KDIR" DESTDIR="$pkg/root" PREFIX=/usr install > "$OUT/install.log" 2>&1 &&
	[ -f "$pkg/root/lib/modules/$KREL/updates/pagehint.ko" ] &&
	[ -x "$pkg/root/usr/sbin/pagehintctl" ] &&
	grep -q pagehint "$pkg/root/lib/modules/$KREL/modules.dep"; then
	tap ok "packaging: make install puts module (depmod'ed), CLI and scripts under DESTDIR"
else
	tap notok "packaging: make install puts module (depmod'ed), CLI and scripts under DESTDIR"
	tail -n 10 "$OUT/install.log" | sed 's/^/#   /'
fi
make -s -C "$TOP" KDIR="$KDIR" DESTDIR="$pkg/root" PREFIX=/usr uninstall >> "$OUT/install.log" 2>&1
if [ ! -e "$pkg/root/lib/modules/$KREL/updates/pagehint.ko" ] && [ ! -e "$pkg/root/usr/sbin/pagehintctl" ]; then
	tap ok "packaging: make uninstall removes them"
else
	tap notok "packaging: make uninstall removes them"
fi
if command -v dkms > /dev/null; then
	mkdir -p "$pkg/src/pagehint-0.1.0" "$pkg/tree"
	git -C "$TOP" ls-files -z | (cd "$TOP" && xargs -0 cp --parents -t "$pkg/src/pagehint-0.1.0")
	if dkms build -m pagehint -v 0.1.0 -k "$KREL" --kernelsourcedir "$KDIR" \
		--sourcetree "$pkg/src" --dkmstree "$pkg/tree" > "$OUT/dkms.log" 2>&1 &&
		find "$pkg/tree" -name pagehint.ko | grep -q .; then
		tap ok "packaging: dkms build from the tracked files"
	else
		tap notok "packaging: dkms build from the tracked files"
		tail -n 10 "$OUT/dkms.log" | sed 's/^/#   /'
	fi
else
	tap skip "packaging: dkms build # SKIP dkms not installed"
fi
rm -rf "$pkg"

# 3. in-guest selftests, one boot each; PH_JOBS boots at once (default 1)
jobs=${PH_JOBS:-1}
names=()
for t in selftests/tests/*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${TESTS:-}" ] && ! grep -qw "$name" <<< "$TESTS"; then continue; fi
	names+=("$name")
done

vm_opt() {	# vm_opt FILE KEY DEFAULT: "# vm: key=value" header lines
	local v
	v=$(sed -n "s/^# vm:.*$2=\([0-9]*\).*/\1/p" "$1")
	echo "${v:-$3}"
}

boot_test() {	# boot_test NAME: one VM boot, status in $OUT/NAME/vm.rc
	local t=selftests/tests/$1.sh dir=$OUT/$1 timeout
	timeout=$(( $(vm_opt "$t" timeout 180) * SCALE ))
	mkdir -p "$dir"
	local t0=$SECONDS
	selftests/vm/vm.sh --kdir "$KDIR" --script "$TOP/$t" --no-load \
		--results "$dir" --timeout "$timeout" --mem "$(vm_opt "$t" mem 1024)" > /dev/null 2>&1
	echo $? > "$dir/vm.rc"
	echo "$timeout" > "$dir/vm.timeout"
	echo $((SECONDS - t0)) > "$dir/vm.secs"
}

running=0
for name in "${names[@]}"; do
	echo "# boot: $name"
	if [ "$jobs" -le 1 ]; then
		boot_test "$name"
		continue
	fi
	boot_test "$name" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

for name in "${names[@]}"; do
	dir=$OUT/$name
	rc=$(cat "$dir/vm.rc" 2>/dev/null || echo 125)
	timeout=$(cat "$dir/vm.timeout" 2>/dev/null || echo 0)
	echo "# $name ($(cat "$dir/vm.secs" 2>/dev/null)s wall)"
	seen=0
	while IFS= read -r line; do
		case "$line" in
		"ok - "*"# SKIP"*) tap skip "$name: ${line#ok - }"; seen=1 ;;
		"ok - "*) tap ok "$name: ${line#ok - }"; seen=1 ;;
		"not ok - "*) tap notok "$name: ${line#not ok - }"; seen=1 ;;
		"#"*) echo "$line" ;;
		esac
	done < <(cat "$dir/out" 2>/dev/null)
	case $rc in
	124) tap notok "$name: finished within ${timeout}s" ;;
	125) tap notok "$name: guest survived (see $dir/console.log)"
	     tail -n 25 "$dir/console.log" | sed 's/^/#   /' ;;
	esac
	[ "$seen" = 1 ] || tap notok "$name: reported results"
	if grep -E '^/.*: line [0-9]+: ' "$dir/out" > /dev/null 2>&1; then
		tap notok "$name: ran without shell errors"
		grep -E '^/.*: line [0-9]+: ' "$dir/out" | head -n 5 | sed 's/^/#   /'
	fi
	scan_log "$name" "$dir"
done

echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
for f in "${failed_names[@]}"; do echo "# FAILED: $f"; done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
