# SPDX-License-Identifier: GPL-2.0
# Sourced by deps.sh and kmake.sh: run a command in a build chroot.
#
# ph_in_chroot ROOT [--bind DIR]... CMD ARGS...
#   runs CMD inside ROOT with /proc, /dev and every DIR (same path inside
#   as outside) mounted in a private mount namespace: the mounts vanish
#   with the command, nothing is left mounted on the build machine.
ph_in_chroot() {
	local root=$1 binds=()
	shift
	while [ "${1:-}" = --bind ]; do
		binds+=("$2")
		shift 2
	done
	unshare -m --propagation private /bin/sh -c '
		root=$1 n=$2
		shift 2
		mount -t proc proc "$root/proc" || exit 125
		mount --rbind /dev "$root/dev" || exit 125
		while [ "$n" -gt 0 ]; do
			mkdir -p "$root$1" && mount --rbind "$1" "$root$1" || exit 125
			shift
			n=$((n - 1))
		done
		exec chroot "$root" "$@"' sh "$root" "${#binds[@]}" "${binds[@]}" "$@"
}

# ph_chroot_of KDIR: the build chroot a kernel tree lives in (the nearest
# parent of its real path holding .pagehint-chroot); nothing for a tree
# the build machine builds itself.
ph_chroot_of() {
	local d
	d=$(realpath -e "$1" 2>/dev/null) || return 0
	while [ "$d" != / ] && [ -n "$d" ]; do
		if [ -f "$d/.pagehint-chroot" ]; then
			echo "$d"
			return 0
		fi
		d=$(dirname "$d")
	done
}
