#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deps: everything building and testing pagehint needs, from nothing.
#  1. host packages, with apt-get install (only the missing ones): QEMU and
#     the guest's tools, pahole (dwarves: the module's BTF step, or kbuild
#     deletes the .ko), debootstrap, dkms, bpftrace, and the compiler and
#     libraries the host-built kernels' kbuild needs (their Depends).
#  2. every kernel line of selftests/vm/kernels.conf, the newest of the
#     line as its meta packages name it today (never a hard-coded ABI),
#     unpacked with dpkg -x into .cache/kernels/<release>/: image, modules
#     (depmod'ed there), headers, kbuild; .cache/kernels/line-<name> points
#     at it. The build machine's /boot, /lib/modules and running kernel are
#     never touched; a line's older release is removed.
#  3. for lines built in trixie: the chroot .cache/trixie (debootstrap
#     --variant=minbase from Debian's registry) with gcc-14, make, dkms,
#     pahole and the line's headers installed by its own apt.
#
# Apt sources. The host-built lines are looked up and downloaded with a
# private apt configuration in .cache/apt: its own sources list (Debian
# 12's bookworm, bookworm-updates, bookworm-security: bookworm-security
# serves the 6.12 line, no new suite), its own package lists and an empty
# dpkg status; it takes no lock of the machine's apt or dpkg. The chroot's
# sources are its own too (.cache/trixie/etc/apt/sources.list: trixie and
# trixie-backports, the latter pinned at 100 in
# .cache/trixie/etc/apt/preferences.d/pagehint-backports, so only packages
# named explicitly come from it). Nothing on the build machine gets a new
# suite, and nothing there upgrades.
#
#   deps.sh           refresh the package lists, fetch whatever is newer
#   deps.sh --quick   return at once when every line is fetched (make check)
#   deps.sh --host    step 1 only (.ci/run: the debug kernels' runs need no
#                     more, and start while the matrix is fetched)
# Env: PH_DEBIAN_MIRROR (default http://deb.debian.org/debian),
#      PH_DEBIAN_SECURITY (default http://deb.debian.org/debian-security).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/selftests/vm/chroot.sh"
C=$TOP/.cache
K=$C/kernels
A=$C/apt
CH=$C/trixie
CONF=$TOP/selftests/vm/kernels.conf
MIRROR=${PH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${PH_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

HOST_PKGS=(qemu-system-x86 busybox-static kmod cpio gzip xz-utils zstd e2fsprogs
	bpftrace python3 gcc make perl dkms util-linux dwarves debootstrap binutils
	debian-archive-keyring)
CHROOT_PKGS=(make dkms dwarves kmod xz-utils)
# what a kernel is made of; everything else a kernel package depends on
# (initramfs-tools, linux-base, the compiler) is not unpacked
KPKG_RE='^linux-(image|binary|modules|base|headers|kbuild)-[0-9]'

lines() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$CONF"; }
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

if [ "${1:-}" = --quick ]; then
	ok=1
	for p in "${HOST_PKGS[@]}"; do have "$p" || ok=0; done
	while read -r name _; do
		[ -f "$K/line-$name/.complete" ] || ok=0
	done < <(lines)
	[ "$ok" = 1 ] && exit 0
fi

mkdir -p "$C"
exec 9> "$C/deps.lock"
flock 9

host_install() {	# the missing ones of "$@", with the machine's apt
	local need=() p
	for p; do have "$p" || need+=("$p"); done
	[ ${#need[@]} -eq 0 ] && return 0
	echo "deps: installing ${need[*]}"
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
}

APT_OPTS=(-o "Dir::Etc::SourceList=$A/sources.list" -o "Dir::Etc::SourceParts=$A/none"
	-o "Dir::Etc::Preferences=$A/none/x" -o "Dir::Etc::PreferencesParts=$A/none"
	-o "Dir::State::Lists=$A/lists" -o "Dir::State::Status=$A/status"
	-o "Dir::Cache=$A/cache" -o APT::Sandbox::User=root -o Acquire::Languages=none
	-o Debug::NoLocking=1)

host_apt_setup() {
	mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/none"
	: > "$A/status"
	cat > "$A/sources.list" <<-EOF
	deb [signed-by=$KEYRING] $MIRROR bookworm main
	deb [signed-by=$KEYRING] $MIRROR bookworm-updates main
	deb [signed-by=$KEYRING] $SECURITY bookworm-security main
	EOF
	echo "deps: package lists (bookworm, bookworm-updates, bookworm-security) into .cache/apt"
	apt-get "${APT_OPTS[@]}" -qq update
}

chroot_setup() {
	if [ ! -f "$CH/.pagehint-chroot" ]; then
		echo "deps: debootstrap trixie into .cache/trixie (a few minutes)"
		rm -rf "$CH.new"
		if ! unshare -m debootstrap --variant=minbase trixie "$CH.new" "$MIRROR" \
			> "$C/debootstrap.log" 2>&1; then
			tail -n 20 "$C/debootstrap.log" >&2
			exit 1
		fi
		cat > "$CH.new/etc/apt/sources.list" <<-EOF
		deb $MIRROR trixie main
		deb $MIRROR trixie-backports main
		EOF
		cat > "$CH.new/etc/apt/preferences.d/pagehint-backports" <<-EOF
		# pagehint: only packages asked for by name come from backports
		Package: *
		Pin: release a=trixie-backports
		Pin-Priority: 100
		EOF
		rm -rf "$CH"
		mv "$CH.new" "$CH"
		touch "$CH/.pagehint-chroot"
	fi
	echo "deps: package lists (trixie, trixie-backports) in .cache/trixie"
	ph_in_chroot "$CH" apt-get -qq update
	ph_in_chroot "$CH" apt-get install -y -qq --no-install-recommends \
		"${CHROOT_PKGS[@]}" > /dev/null
}

aptq() {	# aptq BUILDER apt-cache|apt-get ARGS...: the builder's apt
	local b=$1
	shift
	case $b in
	host) "$1" "${APT_OPTS[@]}" "${@:2}" ;;
	trixie) ph_in_chroot "$CH" "$1" -o APT::Sandbox::User=root "${@:2}" ;;
	*) echo "deps: unknown builder $b" >&2; return 1 ;;
	esac
}

depends() {	# depends BUILDER PKG: its Depends, first of each alternative
	aptq "$1" apt-cache depends --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$2" |
		awk '$1 == "Depends:" || $1 == "|Depends:" { if (!alt) print $2; alt = ($1 == "|Depends:") }'
}

version() { aptq "$1" apt-cache show --no-all-versions "$2" | awk '$1 == "Version:" { print $2; exit }'; }

closure() {	# closure BUILDER PKG...: PKG and the kernel packages it needs
	local b=$1 seen=" " p d
	shift
	local todo=("$@")
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}
		todo=("${todo[@]:1}")
		case "$seen" in *" $p "*) continue ;; esac
		seen+="$p "
		echo "$p"
		for d in $(depends "$b" "$p" | grep -E "$KPKG_RE"); do todo+=("$d"); done
	done
}

# The host-built kernels' compiler and their kbuild's libraries.
host_toolchain() {	# host_toolchain HEADERS_PKG KBUILD_PKG
	local d extra=()
	for d in $(depends host "$1" | grep '^linux-compiler-'); do
		extra+=($(depends host "$d"))
	done
	extra+=($(depends host "$2" | grep -v '^linux-'))
	host_install "${extra[@]}"
}

# Unpacked headers name their -common tree by an absolute /usr/src path:
# point them at the one unpacked beside them (kbuild runs make -C KDIR, so
# a path relative to KDIR holds wherever the cache lives).
fix_headers() {	# fix_headers KDIR
	sed -i -e 's|^include /usr/src/\(linux-headers-[^/]*\)/Makefile|include ../\1/Makefile|' \
		-e 's|^KBUILD_OUTPUT=/usr/src/.*|KBUILD_OUTPUT=$(CURDIR)|' "$1/Makefile"
}

fetch_line() {	# fetch_line NAME BUILDER IMAGE_META HEADERS_META
	local name=$1 b=$2 img hdr rel pkgs stamp root dl p old f kdir base
	img=$(depends "$b" "$3" | grep -E '^linux-image-[0-9]' | head -n 1)
	hdr=$(depends "$b" "$4" | grep -E '^linux-headers-[0-9]' | head -n 1)
	if [ -z "$img" ] || [ -z "$hdr" ]; then
		echo "deps: $name: $3 / $4 name no kernel" >&2
		return 1
	fi
	rel=${img#linux-image-}
	pkgs=$(closure "$b" "$img" "$hdr" | sort)
	stamp=$(for p in $pkgs; do echo "$p=$(version "$b" "$p")"; done)
	root=$K/$rel
	if [ "$(cat "$root/.complete" 2>/dev/null)" != "$stamp" ]; then
		echo "deps: $name: $rel ($(echo $pkgs))"
		rm -rf "$root.new"
		mkdir -p "$root.new"
		case $b in
		host)
			dl=$C/dl/$rel
			rm -rf "$dl"; mkdir -p "$dl"
			(cd "$dl" && apt-get "${APT_OPTS[@]}" -qq download $pkgs)
			;;
		trixie)
			dl=$CH/root/dl/$rel
			rm -rf "$dl"; mkdir -p "$dl"
			ph_in_chroot "$CH" /bin/sh -c "cd /root/dl/$rel && apt-get -o APT::Sandbox::User=root -qq download $(echo $pkgs)"
			ph_in_chroot "$CH" apt-get install -y -qq --no-install-recommends "$hdr" > /dev/null
			;;
		esac
		for f in "$dl"/*.deb; do
			case $b/$(basename "$f") in
			trixie/linux-headers-*|trixie/linux-kbuild-*) ;;	# installed in the chroot
			*) dpkg -x "$f" "$root.new" ;;
			esac
		done
		kdir=$root.new/usr/src/linux-headers-$rel
		if [ "$b" = host ]; then
			fix_headers "$kdir"
			host_toolchain "$hdr" "$(echo "$pkgs" | grep '^linux-kbuild-' | head -n 1)"
		else
			mkdir -p "$root.new/usr/src"
			ln -s "../../../../trixie/usr/src/linux-headers-$rel" "$kdir"
		fi
		base=$root.new
		[ -d "$base/lib/modules/$rel/kernel" ] || base=$root.new/usr
		depmod -b "$base" "$rel"
		rm -rf "$dl"
		echo "$stamp" > "$root.new/.complete"
		rm -rf "$root"
		mv "$root.new" "$root"
	fi
	old=$(readlink "$K/line-$name" 2>/dev/null || true)
	ln -sfn "$rel" "$K/line-$name"
	if [ -n "$old" ] && [ "$old" != "$rel" ] &&
		! ls -l "$K"/line-* | grep -q " -> $old\$"; then
		echo "deps: $name: $old superseded by $rel, removed"
		rm -rf "${K:?}/$old"
	fi
	# the check: every part is where kver.sh looks
	"$TOP/selftests/vm/kver.sh" image "$K/line-$name/usr/src/linux-headers-$rel" > /dev/null &&
		"$TOP/selftests/vm/kver.sh" moddir "$K/line-$name/usr/src/linux-headers-$rel" > /dev/null ||
		{ echo "deps: $name: $rel is incomplete" >&2; return 1; }
}

host_install "${HOST_PKGS[@]}"
[ "${1:-}" = --host ] && exit 0
mkdir -p "$K"
host_apt_setup
if lines | awk '$2 == "trixie" { f = 1 } END { exit !f }'; then chroot_setup; fi
# fd 3: apt and the chroot must not read the list
while read -r -u 3 name b img hdr; do
	fetch_line "$name" "$b" "$img" "$hdr"
done 3< <(lines)
