#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: the whole verdict (`make check`).
#  1. build: module (W=1, warnings fail), CLI, test tools; the IBT rule
#     on the module's disassembly (selftests/tools/ibt_check.py)
#  2. host unit tests (selftests/unit, TAP)
#  3. every selftests/tests/*.sh in its own VM boot, then the guest kernel
#     log of that boot scanned for splats (each boot adds one assertion)
# Prints TAP, then one line "N passed, N failed". Exit 1 on any failure,
# on a VM that did not finish, or when no test ran.
#
# Env: KDIR (kernel to test: a build tree or a line of
# selftests/vm/kernels.conf; default its first line), TESTS (space-separated
# names to run, default all), PH_OUT (results folder, default
# .cache/results/<kernel release>),
# PH_TIMEOUT_SCALE (multiplies test timeouts; the debug kernel is slower),
# PH_PREP (full, kernel or short: which checks run before the boots, below),
# PH_JOBS (VM boots at once, default 1), PH_SLOTS (a pool of host cores
# shared with other runs, selftests/vm/slots.sh: it replaces PH_JOBS).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
KDIR=$(selftests/vm/kver.sh kdir "${KDIR:-}")
if [ -z "$KDIR" ]; then
	echo "check.sh: no such kernel ${KDIR:-}; make deps fetches the matrix" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
export KDIR
KREL=$(selftests/vm/kver.sh release "$KDIR")
KNAME=$(selftests/vm/kver.sh name "$KDIR")
OUT=${PH_OUT:-$TOP/.cache/results/$KREL}
SCALE=${PH_TIMEOUT_SCALE:-1}
PREP=${PH_PREP:-full}
case $PREP in
full | kernel | short) ;;
*)
	echo "check.sh: PH_PREP=$PREP: want full, kernel or short" >&2
	echo "0 passed, 1 failed"
	exit 1
	;;
esac
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

. selftests/vm/splat.sh
. selftests/vm/slots.sh
# the build and the checks before the boots take one core: a slot of the
# pool, ahead of every boot waiting there (they need this build)
[ -n "${PH_SLOTS:-}" ] || slots_init "$OUT/.slots" "${PH_JOBS:-1}"
slot_acquire 0

scan_log() {	# scan_log NAME DIR
	local name=$1 dir=$2 hits
	if hits=$(splat_scan "$dir"); then
		tap ok "$name: guest kernel log clean"
	else
		tap notok "$name: guest kernel log clean"
		sed 's/^/#   /' <<< "$hits"
	fi
}

echo "TAP version 13"
echo "# kernel $KNAME: $KREL ($KDIR)"

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
# IBT: every call of the module into a kernel function resolved by
# address is a direct (static) call. QEMU's TCG does not enforce IBT, so
# selftests/tools/ibt_check.py proves it on the disassembly, for every
# kernel; its --selftest shows it finds what it looks for.
ibt=$(selftests/vm/kver.sh config "$KDIR" X86_KERNEL_IBT)
if python3 selftests/tools/ibt_check.py --selftest > "$OUT/ibt-selftest.log" 2>&1; then
	tap ok "ibt: the checker finds resolved addresses planted in a register, a variable, the resolver"
else
	tap notok "ibt: the checker finds resolved addresses planted in a register, a variable, the resolver"
	sed 's/^/#   /' "$OUT/ibt-selftest.log"
fi
if python3 selftests/tools/ibt_check.py "$TOP/pagehint.ko" > "$OUT/ibt.log" 2>&1; then
	tap ok "ibt: no indirect call through a resolved address ($(tail -n 1 "$OUT/ibt.log"); X86_KERNEL_IBT=${ibt:-n})"
else
	tap notok "ibt: no indirect call through a resolved address (X86_KERNEL_IBT=${ibt:-n})"
fi
grep -v '^resolved' "$OUT/ibt.log" | head -n -1 | sed 's/^/#   /'
grep '^resolved' "$OUT/ibt.log" | sed 's/^/# /'

# PH_PREP: full (the default) runs every check before the boots;
# kernel (make check-all's every line but the first) leaves out those that
# do not depend on the kernel (the plugin, the tree, unit tests, the
# checkout), which the first line runs; short (.ci/run's debug runs)
# leaves out packaging too: the boots only, after the build, the IBT check
# and the peer suite's build
if [ "$PREP" = full ]; then
	# the profiler's QEMU plugin (make profile): C11, warnings are errors
	if make -s -B -C "$TOP" icprof > "$OUT/icprof.log" 2>&1; then
		tap ok "build: icprof QEMU plugin"
	else
		tap notok "build: icprof QEMU plugin"
		sed 's/^/#   /' "$OUT/icprof.log" | tail -n 20
	fi

	# 1b. the tree names no path of a developer's machine: every input comes
	# from `make deps` or from the tree itself
	devpaths=$(git -C "$TOP" ls-files -z | (cd "$TOP" && xargs -0 grep -nIE \
		"(^|[^[:alnum:]_.~-])/(work|home|Users|scratch)/|$TOP" 2>/dev/null) | head -n 5)
	if [ -z "$devpaths" ]; then
		tap ok "tree: no path of a developer's machine in the tracked files"
	else
		tap notok "tree: no path of a developer's machine in the tracked files"
		sed 's/^/#   /' <<< "$devpaths"
	fi
	# 1c. one home per concept: no source file of the product (module,
	# headers, control plane, CLI) grows past 900 lines; split it by
	# concept, as states_read.c and host_records.c were
	long=$(git -C "$TOP" ls-files -z -- 'module/*.[ch]' 'include/*.h' 'include/*/*.h' \
		'debugfs/*.[ch]' 'userspace-ctl/*.[ch]' | (cd "$TOP" && xargs -0 wc -l) |
		awk '$2 != "total" && $1 > 900 { print $2 " " $1 }')
	if [ -z "$long" ]; then
		tap ok "tree: no .c or .h file of the product over 900 lines"
	else
		tap notok "tree: no .c or .h file of the product over 900 lines"
		sed 's/^/#   /' <<< "$long"
	fi

	# 1d. the peer suite's comparison of verdicts (compare.py), on
	# made-up results
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) tap ok "peer: ${line#ok - }" ;;
		"not ok - "*) tap notok "peer: ${line#not ok - }" ;;
		esac
	done < <(selftests/peer/compare_test.sh)
fi

# the kernel's own mm selftests for 70_peer (from the kernel's
# linux-source package, fetched once into .cache/peer)
if peer_bin=$(selftests/peer/build.sh "$KDIR" 2> "$OUT/peer-build.log"); then
	tap ok "build: the kernel's own mm selftests, $(wc -l < "$peer_bin/BUILT") tests (peer suite)"
else
	tap skip "build: the kernel's own mm selftests # SKIP $(tail -n 1 "$OUT/peer-build.log")"
fi

if [ "$PREP" = full ]; then
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
fi

if [ "$PREP" != short ]; then
	# 2b. packaging: make install/uninstall into a scratch root, a DKMS build
	pkg=$(mktemp -d)
	# (pagehint.ko.xz where the kernel compresses its modules; W=1 as the
	# build above, so that Kbuild sees the same flags and rebuilds nothing)
	if make -s -C "$TOP" KDIR="$KDIR" W=1 DESTDIR="$pkg/root" PREFIX=/usr install > "$OUT/install.log" 2>&1 &&
		ls "$pkg/root/lib/modules/$KREL/updates/pagehint.ko"* > /dev/null 2>&1 &&
		[ -x "$pkg/root/usr/sbin/pagehintctl" ] &&
		grep -q pagehint "$pkg/root/lib/modules/$KREL/modules.dep"; then
		tap ok "packaging: make install puts module (depmod'ed), CLI and scripts under DESTDIR"
	else
		tap notok "packaging: make install puts module (depmod'ed), CLI and scripts under DESTDIR"
		tail -n 10 "$OUT/install.log" | sed 's/^/#   /'
	fi
	make -s -C "$TOP" KDIR="$KDIR" W=1 DESTDIR="$pkg/root" PREFIX=/usr uninstall >> "$OUT/install.log" 2>&1
	if ! ls "$pkg/root/lib/modules/$KREL/updates/pagehint.ko"* > /dev/null 2>&1 &&
		[ ! -e "$pkg/root/usr/sbin/pagehintctl" ]; then
		tap ok "packaging: make uninstall removes them"
	else
		tap notok "packaging: make uninstall removes them"
	fi
	if command -v dkms > /dev/null; then
		mkdir -p "$pkg/src/pagehint-0.1.0" "$pkg/tree"
		git -C "$TOP" ls-files -z | (cd "$TOP" && xargs -0 cp --parents -t "$pkg/src/pagehint-0.1.0")
		# in the kernel's build chroot when it has one (kmake.sh)
		if selftests/vm/kmake.sh --exec "$KDIR" dkms build -m pagehint -v 0.1.0 -k "$KREL" \
			--kernelsourcedir @KDIR@ --sourcetree "$pkg/src" --dkmstree "$pkg/tree" \
			> "$OUT/dkms.log" 2>&1 &&
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
fi

if [ "$PREP" = full ]; then
	# 2c. any checkout path works: a clone of HEAD under /tmp (which the guest
	# covers with a tmpfs) builds, and its guest loads its module from there
	clone=$(mktemp -d /tmp/pagehint-clone.XXXXXX)
	if git clone -q "$TOP" "$clone/src" > "$OUT/clone.log" 2>&1 &&
		make -s -C "$clone/src" KDIR="$KDIR" module ctl >> "$OUT/clone.log" 2>&1 &&
		"$clone/src/selftests/vm/vm.sh" --kdir "$KDIR" --timeout $((240 * SCALE)) \
			--results "$OUT/clone" --run 'pwd; userspace-ctl/pagehintctl status' \
			>> "$OUT/clone.log" 2>&1 &&
		grep -qx "$clone/src" "$OUT/clone/out" && grep -q '^states *up' "$OUT/clone/out"; then
		tap ok "checkout under /tmp: a clone builds and its guest loads its pagehint.ko"
	else
		tap notok "checkout under /tmp: a clone builds and its guest loads its pagehint.ko"
		tail -n 10 "$OUT/clone.log" | sed 's/^/#   /'
	fi
	rm -rf "$clone"
fi

# 3. in-guest selftests, one boot each, each in a slot of the pool
# (PH_JOBS boots at once, or PH_SLOTS shared with other runs)
slot_release
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
	local balloon=()
	[ "$(vm_opt "$t" balloon 0)" = 1 ] && balloon=(--balloon)
	selftests/vm/vm.sh --kdir "$KDIR" --script "$TOP/$t" --no-load "${balloon[@]}" \
		--results "$dir" --timeout "$timeout" --mem "$(vm_opt "$t" mem 1024)" > /dev/null 2>&1
	echo $? > "$dir/vm.rc"
	echo "$timeout" > "$dir/vm.timeout"
	echo $((SECONDS - t0)) > "$dir/vm.secs"
}

# The longest boots first (by their timeouts, the debug kernel's scaled),
# so that the last to finish are short: PRIO is 100000 - timeout.
for name in "${names[@]}"; do
	echo "# boot: $name"
	prio=$((100000 - $(vm_opt "selftests/tests/$name.sh" timeout 180) * SCALE))
	(slot_acquire "$prio"; boot_test "$name") &
	# arrival order among equal priorities
	sleep 0.05
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
