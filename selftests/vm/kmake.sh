#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build against one kernel tree, wherever its toolchain lives.
#   kmake.sh KDIR ARGS...            make -C KDIR ARGS...
#   kmake.sh --exec KDIR CMD ARGS... CMD ARGS..., each @KDIR@ in ARGS
#                                    replaced by the tree's path there
# A tree make deps keeps in a build chroot (.cache/trixie: gcc-14 and
# trixie's kbuild for the newest kernel) is built inside that chroot, with
# the repository and /tmp mounted at their own paths for the command only;
# any other tree on the build machine itself.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/selftests/vm/chroot.sh"
run=make
if [ "${1:-}" = --exec ]; then
	run=""
	shift
fi
kdir=$1
shift
ch=$(ph_chroot_of "$kdir")
inner=$kdir
[ -z "$ch" ] || inner=$(realpath "$kdir" | sed "s|^$ch||")
args=()
for a; do args+=("${a//@KDIR@/$inner}"); done
[ -z "$run" ] || args=(make -C "$inner" "${args[@]}")
[ -n "$ch" ] || exec "${args[@]}"
ph_in_chroot "$ch" --bind "$TOP" --bind /tmp "${args[@]}"
