#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack the debug kernel (.deb files in ../shared/kernels, see its README)
# into .cache/debug-kernel once and print its KDIR. Exit 1 when absent.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SRC=${PH_DEBUG_DEBS:-$TOP/../shared/kernels}
img=$(ls "$SRC"/linux-image-*-pagehint-debug_*.deb 2>/dev/null | sort -V | tail -n 1)
hdr=$(ls "$SRC"/linux-headers-*-pagehint-debug_*.deb 2>/dev/null | sort -V | tail -n 1)
[ -n "$img" ] && [ -n "$hdr" ] || exit 1
ROOT=$TOP/.cache/debug-kernel
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
