# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the in-guest selftests (sourced; runs inside the VM,
# in the chroot of the host root, with the repository at $PH_TOP).
#
# A test prints one line per assertion:
#   ok - description | not ok - description | ok - description # SKIP why
# The host side (selftests/check.sh) numbers them into one TAP stream.
# Skip only when a prerequisite is missing, never to hide a failure.

PH_DFS=/sys/kernel/debug/pagehint
PH_CTL=$PH_TOP/userspace-ctl/pagehintctl
PH_WRITE=$PH_TOP/selftests/tools/phwrite
PH_KO=$PH_TOP/pagehint.ko
ph_failures=0

ph_ok() { echo "ok - $*"; }
ph_notok() { echo "not ok - $*"; ph_failures=$((ph_failures + 1)); }
ph_skip() { echo "ok - $1 # SKIP $2"; }
ph_diag() { echo "# $*"; }

# ph_check DESC CMD...: the assertion holds when CMD succeeds
ph_check() {
	local d=$1; shift
	if "$@"; then ph_ok "$d"; else ph_notok "$d"; fi
}

# ph_eq DESC GOT WANT
ph_eq() {
	if [ "$2" = "$3" ]; then ph_ok "$1"; else ph_notok "$1 (got '$2', want '$3')"; fi
}

# ph_ge DESC GOT MIN (integers)
ph_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then ph_ok "$1 ($2 >= $3)"; else ph_notok "$1 (got '$2', want >= $3)"; fi
}

# ph_le DESC GOT MAX (integers)
ph_le() {
	if [ "$2" -le "$3" ] 2>/dev/null; then ph_ok "$1 ($2 <= $3)"; else ph_notok "$1 (got '$2', want <= $3)"; fi
}

# ph_load [PARAM=VALUE ...]: load pagehint.ko (unloading a loaded one first)
ph_load() {
	ph_unload
	insmod "$PH_KO" "$@"
}

ph_unload() {
	if [ -d /sys/module/pagehint ]; then rmmod pagehint; fi
}

# ph_kmod NAME: load a module of the running kernel (zsmalloc, ...)
ph_kmod() {
	modprobe -d "$PH_MODROOT" -S "$PH_KREL" "$1" 2>/dev/null ||
		insmod "$(modprobe -d "$PH_MODROOT" -S "$PH_KREL" --show-depends "$1" | awk '/^insmod/ { print $2 }' | tail -n 1)"
}

# ph_write FILE TEXT [phwrite flags before FILE]: prints OK or an errno name
ph_write() { "$PH_WRITE" "$@"; }

# ph_field FILE KEY: value of "KEY value" or "KEY: value" lines
ph_field() {
	awk -v k="$2" '{ sub(":", "", $1) } $1 == k { print $2; exit }' "$1"
}

# ph_ext4 [MiB]: a fresh ext4 filesystem on the scratch disk at /mnt/ext4
ph_ext4() {
	mkdir -p /mnt/ext4
	umount /mnt/ext4 2>/dev/null
	mkfs.ext4 -q -F /dev/vda >/dev/null 2>&1 || return 1
	mount -t ext4 /dev/vda /mnt/ext4
}

# ph_drop_caches: write back and drop clean page cache and slab
ph_drop_caches() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
}

# ph_frag_start MIB: hold a checkerboard of anonymous memory (MIB touched,
# half given back in 128 KiB holes) so that what is allocated next lands
# among used pages; ph_frag_stop frees it
ph_frag_start() {
	rm -f /tmp/frag.in /tmp/frag.out; mkfifo /tmp/frag.in
	python3 "$PH_TOP/selftests/tools/phfrag.py" "$1" < /tmp/frag.in > /tmp/frag.out &
	ph_frag_pid=$!
	exec 3> /tmp/frag.in
	while ! grep -q ready /tmp/frag.out 2>/dev/null; do sleep 0.2; done
}
ph_frag_stop() { exec 3>&-; wait "$ph_frag_pid"; }

# ph_bpftrace TIMEOUT SCRIPT_ARGS...: bpftrace is slow to start under TCG
ph_have_bpftrace() { command -v bpftrace >/dev/null 2>&1; }

ph_done() { exit $((ph_failures > 0)); }
