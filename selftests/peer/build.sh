#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh KDIR: the kernel's own mm selftests (tools/testing/selftests/vm
# up to 6.1, .../mm after) for KDIR's kernel series, built from Debian's
# linux-source-<series> package, which is fetched with apt-get download
# into .cache/peer/<series>/ once. Prints the folder of the binaries.
# Exit 1 when the source cannot be had (the caller skips the peer suite).
#
# The upstream Makefile is used as it is, on uapi headers installed from
# the same source (make headers); tests it cannot build (32-bit ones
# without multilib, hmm-tests without its module, ...) are left out, the
# list of what was built is bin/BUILT. The headers and static libraries
# some tests link (libnuma-dev, libcap-dev) are fetched the same way and
# unpacked into .cache/peer/sysroot, nothing is installed. Env:
# PH_PEER_CFLAGS, PH_PEER_LDFLAGS: more flags.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
KDIR=$1
KREL=$("$TOP/selftests/vm/kver.sh" release "$KDIR")
series=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<< "$KREL")
C=$TOP/.cache/peer/$series
mkdir -p "$C" "$TOP/.cache/peer"
# one build at a time (runs on several kernels go at once: check-all.sh)
exec 9> "$TOP/.cache/peer/.lock"
flock 9
# a kernel built in a chroot (selftests/vm/chroot.sh) comes from that
# chroot's suite, and so does its source; the tests are built here, for
# the build machine's userspace that the guest runs
. "$TOP/selftests/vm/chroot.sh"
root=$(ph_chroot_of "$KDIR")
download() {
	if [ -n "$root" ]; then
		ph_in_chroot "$root" --bind "$C" sh -c 'cd "$1" && apt-get download -q "$2"' sh "$C" "$1"
	else
		(cd "$C" && apt-get download -q "$1")
	fi
}
deb=$(ls "$C"/linux-source-"${series}"_*.deb 2>/dev/null | sort -V | tail -n 1)
if [ -z "$deb" ]; then
	download "linux-source-$series" > "$C/download.log" 2>&1 ||
		{ echo "peer: apt-get download linux-source-$series failed (see $C/download.log)" >&2; exit 1; }
	deb=$(ls "$C"/linux-source-"${series}"_*.deb | sort -V | tail -n 1)
fi
SYS=$TOP/.cache/peer/sysroot
for p in libnuma-dev libcap-dev; do
	[ -f "$SYS/.$p" ] && continue
	mkdir -p "$SYS/debs"
	(cd "$SYS/debs" && apt-get download -q "$p" && dpkg -x "$(ls -t "$p"_*.deb | head -n 1)" "$SYS") \
		>> "$SYS/download.log" 2>&1 && touch "$SYS/.$p" ||
		echo "peer: $p not available: the tests linking it are left out" >&2
done
want="$(basename "$deb") $(md5sum < "$0" | cut -c1-12)"
if [ -f "$C/bin/.stamp" ] && [ "$(cat "$C/bin/.stamp")" = "$want" ]; then
	echo "$C/bin"
	exit 0
fi
rm -rf "$C/src" "$C/bin"
mkdir -p "$C/src" "$C/bin"
# what `make headers` and the selftests need, not the whole tree
dpkg-deb --fsys-tarfile "$deb" | tar x -O --wildcards './usr/src/linux-source-*.tar.xz' |
	xz -dc -T2 | tar x -C "$C/src" --strip-components=1 --wildcards \
		'*/Makefile' '*/Kbuild' '*/Kconfig' '*/scripts/*' '*/include/*' \
		'*/arch/x86/include/*' '*/arch/x86/entry/syscalls/*' '*/arch/x86/tools/*' \
		'*/arch/x86/Makefile*' '*/tools/*' '*/lib/*.h' '*/mm/*.h' 2>/dev/null || true
[ -f "$C/src/Makefile" ] || { echo "peer: no source tree in $deb" >&2; exit 1; }
make -s -C "$C/src" ARCH=x86_64 headers > "$C/build.log" 2>&1 ||
	{ echo "peer: make headers failed (see $C/build.log)" >&2; exit 1; }
T=$C/src/tools/testing/selftests/mm
[ -d "$T" ] || T=$C/src/tools/testing/selftests/vm
# OUTPUT explicitly: lib.mk sets it only at MAKELEVEL 0, and under
# `make check` an empty OUTPUT puts every binary in /
make -k -C "$T" -j2 OUTPUT="$T" EXTRA_CFLAGS="-I$SYS/usr/include ${PH_PEER_CFLAGS:-}" \
	LDFLAGS="-L$SYS/usr/lib/x86_64-linux-gnu ${PH_PEER_LDFLAGS:-}" \
	>> "$C/build.log" 2>&1 || true
# every executable the Makefile made, and the scripts the tests call
find "$T" -maxdepth 1 -type f -perm -100 -exec cp -t "$C/bin" {} +
(cd "$C/bin" && find . -type f ! -name '*.sh' -printf '%f\n' | sort > ../BUILT && mv ../BUILT .)
[ -s "$C/bin/BUILT" ] || { echo "peer: nothing built (see $C/build.log)" >&2; exit 1; }
echo "$want" > "$C/bin/.stamp"
echo "$C/bin"
