#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel discovery, never a hard-coded version.
#   kver.sh kdir [NAME|DIR]  a build tree: DIR itself, or the tree of line
#                            NAME of selftests/vm/kernels.conf as make deps
#                            fetched it; no argument: the first line's (the
#                            default kernel). Nothing when not fetched.
#   kver.sh lines            one "NAME KDIR" per fetched line, in order
#   kver.sh name KDIR        the line KDIR belongs to, else its release
#   kver.sh release KDIR     the kernel release KDIR builds for
#   kver.sh image KDIR       the vmlinuz to boot for KDIR
#   kver.sh moddir KDIR      the modules folder (lib/modules/<release>)
#   kver.sh config KDIR SYM  the value of CONFIG_SYM in KDIR's .config
#                            (or include/config/auto.conf)
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
K=$TOP/.cache/kernels
CONF=$TOP/selftests/vm/kernels.conf

line_names() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$CONF" | awk '{ print $1 }'; }

line_kdir() {	# line_kdir NAME
	local rel
	rel=$(readlink "$K/line-$1" 2>/dev/null) || return 1
	[ -f "$K/$rel/.complete" ] || return 1
	echo "$K/$rel/usr/src/linux-headers-$rel"
}

release() {
	local k=$1 f
	# UTS_RELEASE is what uname -r says in the guest (Debian's
	# include/config/kernel.release holds the upstream version instead)
	f=$k/include/generated/utsrelease.h
	if [ -f "$f" ]; then
		sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$f"
		return
	fi
	basename "$k" | sed 's/^linux-headers-//'
}

# A tree unpacked with dpkg -x: ROOT/usr/src/linux-headers-REL, image in
# ROOT/boot or (merged /usr) ROOT/usr/lib/modules/REL/vmlinuz; else the
# build machine's own /boot and /lib/modules.
roots() {
	local root
	root=$(cd "$1/../../.." 2>/dev/null && pwd) && echo "${root%/}"
	echo ""
}

case "${1:-}" in
kdir)
	a=${2:-}
	if [ -z "$a" ]; then
		a=$(line_names | head -n 1)
	fi
	if [ -d "$a" ] && [ -f "$a/Makefile" ]; then
		(cd "$a" && pwd)
		exit 0
	fi
	line_kdir "$a" || exit 0
	;;
lines)
	for n in $(line_names); do
		d=$(line_kdir "$n") && echo "$n $d"
	done
	;;
name)
	for n in $(line_names); do
		d=$(line_kdir "$n") || continue
		if [ "$(realpath -m "$d")" = "$(realpath -m "$2")" ]; then
			echo "$n"
			exit 0
		fi
	done
	release "$2"
	;;
release)
	release "${2:-}"
	;;
image|moddir)
	k=${2:-}
	rel=$(release "$k")
	while read -r r; do
		for f in "$r/boot/vmlinuz-$rel" "$r/usr/lib/modules/$rel/vmlinuz"; do
			if [ "$1" = image ] && [ -f "$f" ]; then echo "$f"; exit 0; fi
		done
		for d in "$r/lib/modules/$rel" "$r/usr/lib/modules/$rel"; do
			if [ "$1" = moddir ] && [ -d "$d/kernel" ]; then echo "$d"; exit 0; fi
		done
	done < <(roots "$k")
	exit 1
	;;
config)
	# a headers package made by bindeb-pkg has no .config, only auto.conf
	f=$2/.config
	[ -f "$f" ] || f=$2/include/config/auto.conf
	sed -n "s/^CONFIG_$3=//p" "$f" 2>/dev/null
	;;
*)
	echo "usage: kver.sh kdir [NAME|DIR]|lines|name KDIR|release KDIR|image KDIR|moddir KDIR|config KDIR SYM" >&2
	exit 2
	;;
esac
