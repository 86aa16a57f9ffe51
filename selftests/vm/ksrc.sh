#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ksrc.sh LINE [SUBDIR...]: a kernel source tree of Debian's linux-source-LINE
# (LINE: 6.1, 6.12, ...), the newest version the registry has, extracted
# once under .cache/src/ (the whole tree, or only SUBDIRs such as fs mm).
# Prints the tree's path. The package is fetched with apt-get download, so
# nothing is installed on the machine. Exit 1 when it cannot be had: the
# caller (a benchmark's input, the peer suite) fails loudly then.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
LINE=${1:?usage: ksrc.sh LINE [SUBDIR...]}
shift
CACHE=${PH_CACHE:-$TOP/.cache}/src
PKG=linux-source-$LINE
mkdir -p "$CACHE"
ver=$(apt-cache policy "$PKG" 2>/dev/null | awk '/Candidate:/ { print $2 }')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	echo "ksrc.sh: no $PKG in the package registry (apt-get update?)" >&2
	exit 1
fi
want="$ver ${*:-all}"
dir=$CACHE/$PKG
if [ ! -f "$dir/.stamp" ] || [ "$(cat "$dir/.stamp")" != "$want" ]; then
	tmp=$(mktemp -d "$CACHE/.dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -qq "$PKG=$ver" 2>/dev/null) ||
		{ echo "ksrc.sh: apt-get download $PKG=$ver failed" >&2; exit 1; }
	dpkg-deb -x "$tmp"/"$PKG"_*.deb "$tmp/x"
	rm -rf "$dir"
	mkdir -p "$dir"
	members=()
	for s in "$@"; do members+=("$PKG/$s"); done
	tar -xJf "$tmp/x/usr/src/$PKG.tar.xz" -C "$CACHE" "${members[@]}"
	echo "$want" > "$dir/.stamp"
fi
echo "$dir"
