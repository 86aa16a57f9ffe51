#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel discovery, never a hard-coded version.
#   kver.sh kdir            build tree: running kernel's, else newest -amd64 headers
#   kver.sh release KDIR    the kernel release KDIR builds for
#   kver.sh image KDIR      the vmlinuz to boot for KDIR
#   kver.sh moddir KDIR     the /lib/modules/<release> folder for KDIR
set -u
case "${1:-}" in
kdir)
	run=/lib/modules/$(uname -r)/build
	if [ -d "$run" ]; then echo "$run"; exit 0; fi
	ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1
	;;
release)
	k=${2:-}
	# UTS_RELEASE is what uname -r says in the guest (Debian's
	# include/config/kernel.release holds the upstream version instead)
	f=$k/include/generated/utsrelease.h
	[ -f "$f" ] && sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$f" && exit 0
	basename "$k" | sed 's/^linux-headers-//'
	;;
image|moddir)
	k=${2:-}
	rel=$("$0" release "$k")
	# a tree unpacked with dpkg -x: ROOT/usr/src/linux-headers-REL
	root=$(cd "$k/../../.." 2>/dev/null && pwd); root=${root%/}
	for r in "$root" ""; do
		if [ "$1" = image ] && [ -f "$r/boot/vmlinuz-$rel" ]; then echo "$r/boot/vmlinuz-$rel"; exit 0; fi
		if [ "$1" = moddir ] && [ -d "$r/lib/modules/$rel/kernel" ]; then echo "$r/lib/modules/$rel"; exit 0; fi
	done
	exit 1
	;;
*)
	echo "usage: kver.sh kdir|release KDIR|image KDIR|moddir KDIR" >&2
	exit 2
	;;
esac
