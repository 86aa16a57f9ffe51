# SPDX-License-Identifier: GPL-2.0
#
# slots.sh (sourced): a pool of host cores shared by every run of one
# invocation (check-all.sh, .ci/run), so that runs on several kernels go
# at once without ever running more guests than there are slots. Each
# guest is single-threaded TCG: more guests than cores starve their
# vCPUs and the guests' own watchdogs (soft lockup, RCU stall) fire.
#
#   slots_init DIR N       a pool of N slots in DIR (exported as PH_SLOTS)
#   slot_acquire PRIO      wait for a slot (lowest PRIO first; a waiter of
#                          the same PRIO in arrival order); holds it in $SLOT_FD
#   slot_release           give it back (the end of the process does too)
#
# A slot is a file held with flock(1), so a killed holder frees its slot.
# Waiters queue as files named PRIO-ARRIVAL-PID in DIR/wait; only the
# queue's head tries the slots, and a head whose process is gone is removed.
# Without PH_SLOTS, slot_acquire and slot_release do nothing.

slots_init() {	# slots_init DIR N
	local i
	mkdir -p "$1/wait"
	rm -f "$1"/wait/* "$1"/slot.*
	for ((i = 0; i < $2; i++)); do : > "$1/slot.$i"; done
	export PH_SLOTS=$1
}

slot_try() {	# slot_try: take a free slot, non-blocking
	local s
	for s in "$PH_SLOTS"/slot.*; do
		exec {SLOT_FD}> "$s"
		if flock -n "$SLOT_FD"; then return 0; fi
		exec {SLOT_FD}>&-
	done
	SLOT_FD=
	return 1
}

slot_acquire() {	# slot_acquire PRIO
	local me head pid self=$BASHPID nap LC_COLLATE=C
	local -a q
	SLOT_FD=
	[ -n "${PH_SLOTS:-}" ] || return 0
	me=$PH_SLOTS/wait/$(printf '%06d-%s-%d' "$1" "$(date +%s%N)" "$self")
	# waiting costs no process: dozens of waiters poll (builtins only,
	# a read that times out on a pipe of our own for the pause)
	exec {nap}<> <(:)
	while :; do
		# (re)queued: an entry taken for a dead waiter's is made again
		[ -e "$me" ] || : > "$me"
		q=("$PH_SLOTS"/wait/*)
		head=${q[0]}
		if [ "$head" = "$me" ]; then
			if slot_try; then
				rm -f "$me"
				exec {nap}>&-
				return 0
			fi
		else
			pid=${head##*-}
			[ -e "$head" ] && ! kill -0 "$pid" 2> /dev/null && rm -f "$head"
		fi
		read -r -t 0.5 -u "$nap" _ || :
	done
}

slot_release() {
	[ -n "${SLOT_FD:-}" ] || return 0
	exec {SLOT_FD}>&-
	SLOT_FD=
}
