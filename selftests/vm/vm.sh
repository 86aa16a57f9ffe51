#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh: boot a Debian kernel in QEMU (TCG) with an initramfs made now,
# the host root shared read-only over 9p and a writable results folder.
# The guest runs a command inside `chroot /host`, so every host tool and the
# repository are at their host paths; /dev/vda is a scratch disk. The
# repository is also shared on its own and mounted at its path after the
# guest's tmpfs mounts (/tmp, /run, /mnt), so a checkout there is seen.
#
#   vm.sh [options]                 interactive shell, module loaded
#   vm.sh --run 'CMD' [options]     run CMD (module loaded), print its
#                                   output, exit with its status
#   vm.sh --script FILE [options]   run FILE (no module loaded); the test runner
#
# Options: --kdir DIR (kernel build tree; image and modules follow from it)
#   --mem MiB (1024) --smp N (2) --timeout S (600) --icount (benchmarks:
#   -icount shift=0,sleep=off -smp 1) --results DIR --disk MiB (1024)
#   --append 'ARGS' --no-load --kvm (only when asked for explicitly)
#   --mttcg (one host thread per vCPU; see ACCEL below: guests hang with it)
#   --balloon (a virtio-balloon device with free page reporting and
#   deflate-on-oom, PH_BALLOON_PROPS replaces those properties; QMP on a
#   socket of the host and selftests/vm/hostd.py, which answers the
#   guest's requests in RESULTS/host and samples QEMU's RSS into
#   RESULTS/host/rss.log: selftests/tools/phhost.py is the guest's side)
# Env: PH_APPEND, kernel arguments for every boot (make check's too), e.g.
#   PH_APPEND=loglevel=7 to see the stack of a stall on the console.
#   PH_PVH=0 boots the bzImage even when the kernel has a PVH entry.
#   PH_QEMU_ARGS, more QEMU arguments (selftests/icprof adds its plugin).
#   PH_GUEST_ERMS=1|0: the guest CPU with or without ERMS and FSRM
#   (default: with them under --icount only).
# Exit: the command's status; 124 on timeout; 125 when the guest died
# before the command ended (panic, oops with panic_on_warn, ...).
set -u
# Physical paths (pwd -P) for TOP and RESULTS: the guest's init mounts
# the shares there before it enters the chroot, where a symlink of the
# host's (a tree copy's .cache) would not resolve.
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
KVER_SH=$TOP/selftests/vm/kver.sh

KDIR=$($KVER_SH kdir "${KDIR:-}")
MEM=1024 SMP=2 TIMEOUT=600 ICOUNT=0 RESULTS="" DISK=1024 APPEND="${PH_APPEND:-}" RUN=""
SCRIPT="" LOAD=1 BALLOON=0
# One host thread for every vCPU (thread=single). Under QEMU 7.2's
# multi-threaded TCG a vCPU can stay at kernel text another vCPU is
# patching (RIP at release_pages+0x0, folio_mark_accessed+0x0, a
# tracepoint's jump label in __alloc_pages) until the soft lockup watchdog
# panics the guest. Our reading: it keeps executing a stale translation
# holding text_poke_bp()'s int3, whose handler finds the int3 gone from
# memory and returns to the same address. Attaching or detaching ftrace
# hooks and tracepoints while the hooked functions run is what pagehint
# does at every load, unload and policy switch. Stock 6.1 kernel without
# pagehint, ftrace and two tracepoints flipped 150 times under a read
# storm (selftests/vm/tcg-smc-check.sh, two boots at a time on 2 cores):
# 7 of 7 boots hung in multi-threaded TCG, 0 of 10 in single-threaded TCG.
ACCEL=tcg,thread=single
# The host root is read-only and nothing the guest runs is rebuilt while it
# is up: cache=loose keeps binaries in the guest's page cache, so execs
# and bpftrace's start are much faster (the README has the figures).
# PH_9P_CACHE=none reads every page from the host again.
CACHE=${PH_9P_CACHE:-loose}
while [ $# -gt 0 ]; do
	case "$1" in
	--kdir) KDIR=$($KVER_SH kdir "$2"); shift ;;
	--mem) MEM=$2; shift ;;
	--smp) SMP=$2; shift ;;
	--timeout) TIMEOUT=$2; shift ;;
	--icount) ICOUNT=1; SMP=1 ;;
	--results) RESULTS=$2; shift ;;
	--disk) DISK=$2; shift ;;
	--append) APPEND="$APPEND $2"; shift ;;
	--run) RUN=$2; shift ;;
	--script) SCRIPT=$2; shift ;;
	--no-load) LOAD=0 ;;
	--kvm) ACCEL=kvm ;;
	--mttcg) ACCEL=tcg,thread=multi ;;
	--balloon) BALLOON=1 ;;
	*) echo "vm.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

KREL=$($KVER_SH release "$KDIR")
KIMG=$($KVER_SH image "$KDIR") || { echo "vm.sh: no kernel image for $KDIR" >&2; exit 2; }
MODDIR=$($KVER_SH moddir "$KDIR") || { echo "vm.sh: no modules for $KDIR" >&2; exit 2; }

# A kernel with a PVH entry (CONFIG_PVH) boots as the ELF vmlinux inside
# its bzImage: QEMU jumps to that entry, and the decompressor, slow under
# TCG (xz most), never runs. Taken out once per kernel image into the
# tree's cache (a temporary file renamed: parallel boots share it); any
# other image boots as it is.
pvh_image() {
	local out=$TOP/.cache/pvh/$KREL/vmlinux tmp
	if [ ! -s "$out" ] || [ "$KIMG" -nt "$out" ]; then
		mkdir -p "${out%/*}" || return 1
		tmp=$(mktemp "$out.XXXXXX") || return 1
		if ! python3 "$TOP/selftests/vm/pvh.py" "$KIMG" "$tmp" 2> /dev/null; then
			rm -f "$tmp"
			return 1
		fi
		mv -f "$tmp" "$out"
	fi
	echo "$out"
}
[ "${PH_PVH:-1}" = 1 ] && [ "$($KVER_SH config "$KDIR" PVH)" = y ] && PVH=$(pvh_image) && KIMG=$PVH
# what modprobe -d and depmod -b take: ROOT, or ROOT/usr for a merged-/usr
# tree (modules in usr/lib/modules, as the newest Debian kernels ship them)
MODROOT=${MODDIR%/lib/modules/*}
[ -n "$MODROOT" ] || MODROOT=/

WORK=$(mktemp -d /tmp/pagehint-vm.XXXXXX)
[ -n "$RESULTS" ] || RESULTS=$WORK/results
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd -P)
rm -f "$RESULTS/rc" "$RESULTS/out" "$RESULTS/dmesg" "$RESULTS/kmemleak"
LOG=$RESULTS/console.log
QEMU_PID="" HOSTD_PID=""

cleanup() {
	[ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null
	[ -n "$HOSTD_PID" ] && kill "$HOSTD_PID" 2>/dev/null
	rm -rf "$WORK/initrd" "$WORK/initrd.gz" "$WORK/disk.img"
	[ "$RESULTS" = "$WORK/results" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# Modules the guest needs before it can mount the shares and the disk,
# in dependency order (9p pulls in netfs on newer kernels); built-in ones
# (the debug kernel, virtio on 6.12) are skipped.
guest_modules() {
	local m
	[ -f "$MODDIR/modules.dep" ] || depmod -b "$MODROOT" "$KREL"
	for m in virtio_pci 9pnet_virtio 9p virtio_blk ext4; do
		modprobe -d "$MODROOT" -S "$KREL" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }'
	done | awk '!seen[$0]++'
}

# Newer Debian kernels ship modules compressed (.ko.xz): the initramfs
# gets them decompressed, busybox's insmod loads plain ELF only.
copy_module() {	# copy_module SRC DIR: prints the name in DIR
	local n
	n=$(basename "$1")
	case $n in
	*.ko.xz) n=${n%.xz}; xz -dc "$1" > "$2/$n" ;;
	*.ko.zst) n=${n%.zst}; zstd -qdc "$1" > "$2/$n" ;;
	*.ko.gz) n=${n%.gz}; gzip -dc "$1" > "$2/$n" ;;
	*) cp "$1" "$2/$n" ;;
	esac
	echo "$n"
}

make_initrd() {
	local d=$WORK/initrd m
	mkdir -p "$d"/{bin,dev,proc,sys,host,lib/modules}
	cp /bin/busybox "$d/bin/busybox"
	: > "$d/modules.order"
	for m in $(guest_modules); do
		echo "/lib/modules/$(copy_module "$m" "$d/lib/modules")" >> "$d/modules.order"
	done
	cp "$TOP/selftests/vm/init" "$d/init"
	chmod +x "$d/init"
	(cd "$d" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/initrd.gz"
}

# What the guest runs inside the chroot.
make_job() {
	local job=$RESULTS/job.sh
	{
		echo "#!/bin/bash"
		echo "export PH_TOP='$TOP' PH_RESULTS='$RESULTS' PH_MODROOT='$MODROOT' PH_KREL='$KREL'"
		echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=\${TERM:-linux}"
		# CI's shorter stress phases (selftests/lib.sh, ph_quick)
		[ -n "${PH_QUICK:-}" ] && echo "export PH_QUICK='$PH_QUICK'"
		echo "cd '$TOP'"
		if [ "$LOAD" = 1 ]; then
			echo "insmod '$TOP/pagehint.ko' || exit 99"
		fi
		if [ -n "$SCRIPT" ]; then
			echo "exec bash '$SCRIPT'"
		elif [ -n "$RUN" ]; then
			echo "$RUN"
		else
			echo "echo 'pagehint VM: host root at /, repo at $TOP; exit leaves the VM'"
			echo "exec bash -i"
		fi
	} > "$job"
	if [ -n "$RUN$SCRIPT" ]; then echo batch > "$RESULTS/mode"; else echo interactive > "$RESULTS/mode"; fi
}

make_initrd
make_job
truncate -s "${DISK}M" "$WORK/disk.img"

# TCG's max CPU without 5-level paging and, outside the benchmarks,
# without ERMS and FSRM: with them the guest kernel clears and copies pages
# with rep stosb/movsb, which TCG runs one byte an iteration; without, it
# takes the word-at-a-time paths. The benchmarks (--icount) keep them:
# their tables were measured with this CPU (README, Benchmarks).
# PH_GUEST_ERMS=1 or 0 decides either way.
CPU="-cpu max,la57=off"
[ "${PH_GUEST_ERMS:-$ICOUNT}" = 1 ] || CPU+=",erms=off,fsrm=off"
[ "$ACCEL" = kvm ] && CPU="-cpu host"
ARGS=(-accel "$ACCEL" $CPU -m "$MEM" -smp "$SMP" -nographic -no-reboot -nic none
	-kernel "$KIMG" -initrd "$WORK/initrd.gz"
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	-fsdev "local,id=results,path=$RESULTS,security_model=none"
	-device virtio-9p-pci,fsdev=results,mount_tag=results
	-fsdev "local,id=repo,path=$TOP,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=repo,mount_tag=repo
	-drive "file=$WORK/disk.img,if=virtio,format=raw,cache=unsafe")
[ "$ICOUNT" = 1 ] && ARGS+=(-icount shift=0,sleep=off)
if [ "$BALLOON" = 1 ]; then
	# QEMU's default queue numbering: the props decide which queues exist
	ARGS+=(-device "virtio-balloon-pci,id=balloon0,${PH_BALLOON_PROPS:-free-page-reporting=on,deflate-on-oom=on}"
		-qmp "unix:$WORK/qmp.sock,server=on,wait=off" -pidfile "$WORK/qemu.pid")
	rm -rf "$RESULTS/host"
	mkdir -p "$RESULTS/host"
	python3 "$TOP/selftests/vm/hostd.py" --qmp "$WORK/qmp.sock" --pidfile "$WORK/qemu.pid" \
		--dir "$RESULTS/host" < /dev/null >> "$RESULTS/host/hostd.log" 2>&1 &
	HOSTD_PID=$!
fi
# shellcheck disable=SC2206 # PH_QEMU_ARGS: words, split on purpose
[ -n "${PH_QEMU_ARGS:-}" ] && ARGS+=($PH_QEMU_ARGS)
CMDLINE="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic softlockup_panic=1"
# pci=noacpi: ACPI PCI link routing costs the debug kernel 22 s per device
# no_timer_check: on a loaded host the IO-APIC timer check can fail at boot
# loglevel=5: warnings and the stack traces of a stall or a lockup (printed
# at the default level) reach the console before the panic ends the boot.
# The lockup and RCU stall watchdogs' thresholds are made for hardware; TCG
# runs the guest one to two orders of magnitude slower, slower still on
# a loaded host. They fire at 60 s instead of 20
# (soft lockup: twice watchdog_thresh) and 21 (RCU): a loop that never
# yields still panics the boot, well within every test's timeout.
CMDLINE+=" watchdog_thresh=30 rcupdate.rcu_cpu_stall_timeout=60"
CMDLINE+=" hung_task_panic=1 loglevel=5 pci=noacpi no_timer_check ph_results=$RESULTS ph_repo=$TOP ph_cache=$CACHE $APPEND"

if [ -z "$RUN$SCRIPT" ]; then
	qemu-system-x86_64 "${ARGS[@]}" -append "$CMDLINE"
	exit 0
fi

qemu-system-x86_64 "${ARGS[@]}" -append "$CMDLINE" < /dev/null > "$LOG" 2>&1 &
QEMU_PID=$!
# the watchdog keeps no descriptor of ours open (a pipe reader must not wait
# for it) and is ended with its sleep as soon as QEMU exits
( sleep "$TIMEOUT"; kill "$QEMU_PID" 2>/dev/null && echo "vm.sh: timeout after ${TIMEOUT}s, QEMU $QEMU_PID killed" >> "$LOG" ) < /dev/null > /dev/null 2>&1 &
WATCH=$!
wait "$QEMU_PID"
QEMU_PID=""
if [ -n "$HOSTD_PID" ]; then
	kill "$HOSTD_PID" 2>/dev/null
	wait "$HOSTD_PID" 2>/dev/null
	HOSTD_PID=""
fi
pkill -P "$WATCH" sleep 2>/dev/null
kill "$WATCH" 2>/dev/null
wait "$WATCH" 2>/dev/null

[ -n "$RUN" ] && [ -f "$RESULTS/out" ] && cat "$RESULTS/out"
if grep -q "vm.sh: timeout" "$LOG"; then exit 124; fi
[ -f "$RESULTS/rc" ] || { echo "vm.sh: guest died before the command ended; see $LOG" >&2; tail -n 40 "$LOG" >&2; exit 125; }
exit "$(cat "$RESULTS/rc")"
