# SPDX-License-Identifier: GPL-2.0
# Sourced by the host-side runners (check.sh, peer.sh, soak.sh): what in a
# guest kernel log fails a run.
SPLAT_BAD='BUG:|WARNING:|Oops|KASAN|UBSAN|circular locking|possible recursive locking|kmemleak|unreferenced object|RCU stall|rcu_sched self-detected stall|detected stalls|soft lockup|hung task|blocked for more than|Kernel panic|general protection fault|list_add corruption|list_del corruption|bad page state|Bad page'

# kmemleak's own notes, not reports: a scan's "N new suspected" count (the
# objects themselves are in the kmemleak file, scanned after the test: a
# leak nobody accounted for still fails as "unreferenced object") and its
# fallback when an injected fault hits its own allocation
SPLAT_KMEMLEAK_INFO='kmemleak: [0-9]+ new suspected memory leaks|kmemleak: Cannot allocate a scan area'

# splat_scan DIR: print the first 20 distinct bad lines of DIR's console
# log, dmesg and kmemleak report; exit 1 when there is one
splat_scan() {
	local hits
	hits=$(cat "$1/dmesg" "$1/console.log" "$1/kmemleak" 2>/dev/null |
		grep -E "$SPLAT_BAD" | grep -v 'kmemleak: Kernel memory leak detector initialized' |
		grep -v 'kmemleak: Automatic memory scanning thread' |
		grep -vE "$SPLAT_KMEMLEAK_INFO" | sort -u | head -n 20)
	[ -z "$hits" ] && return 0
	echo "$hits"
	return 1
}
