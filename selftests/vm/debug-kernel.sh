#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack a debug kernel (.deb files in ../shared/kernels, see its README)
# into .cache once and print its KDIR. Exit 1 when absent.
#   debug-kernel.sh          the 6.1 one (../shared/kernels/*.deb)
#   debug-kernel.sh 6.12     the one in ../shared/kernels/6.12/ (MGLRU on,
#                            X86_KERNEL_IBT: the Debian 13 line's config)
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SUB=${1:-}
SRC=${PH_DEBUG_DEBS:-$TOP/../shared/kernels}${SUB:+/$SUB}
img=$(ls "$SRC"/linux-image-*-pagehint-debug_*.deb 2>/dev/null | sort -V | tail -n 1)
hdr=$(ls "$SRC"/linux-headers-*-pagehint-debug_*.deb 2>/dev/null | sort -V | tail -n 1)
[ -n "$img" ] && [ -n "$hdr" ] || exit 1
ROOT=$TOP/.cache/debug-kernel${SUB:+-$SUB}
stamp=$ROOT/.stamp
want="$(basename "$img") $(basename "$hdr")"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	dpkg -x "$img" "$ROOT"
	dpkg -x "$hdr" "$ROOT"
	rel=$(ls "$ROOT/lib/modules")
	depmod -b "$ROOT" "$rel"
	echo "$want" > "$stamp"
fi
ls -d "$ROOT"/usr/src/linux-headers-* | head -n 1
