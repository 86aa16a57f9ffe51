# SPDX-License-Identifier: GPL-2.0
# The peer suite's guest side (sourced after selftests/lib.sh): run the
# kernel's own mm selftests, and make pagehint "hot" around them.
# peer.sh, on the host, sources it too, for peer_rerun_list().

# peer_run SIDE BINDIR LIST FILTER OUT: every test of LIST (FILTER "ci":
# only those marked ci; "all") whose binary BINDIR has; one line per run
# appended to OUT: "SIDE|COMMAND|RUN|VERDICT|RC|SECONDS" (PASS, FAIL, SKIP).
# The binaries run from a copy in /tmp: tests write files to their cwd.
peer_run() {
	local side=$1 bin=$2 list=$3 filter=$4 out=$5 attrs cmd runs until tmo r rc v t0 b
	rm -rf /tmp/peer.bin
	cp -r "$bin" /tmp/peer.bin
	while IFS='|' read -r attrs cmd; do
		attrs=${attrs// /}
		cmd=$(sed 's/^ *//; s/ *$//' <<< "$cmd")
		case "$attrs" in \#*) continue ;; esac
		[ -n "$cmd" ] || continue
		[ "$filter" = ci ] && ! grep -qw ci <<< "${attrs//,/ }" && continue
		b=${cmd%% *}; b=${b#./}
		if ! grep -qx "$b" /tmp/peer.bin/BUILT; then
			echo "$side|$cmd|1|ABSENT|-|0" >> "$out"
			continue
		fi
		runs=$(sed -n 's/.*runs=\([0-9]*\).*/\1/p' <<< "$attrs"); runs=${runs:-1}
		[ -n "${PH_PEER_RUNS:-}" ] && runs=$PH_PEER_RUNS
		until=$(sed -n 's/.*until=\([0-9]*\).*/\1/p' <<< "$attrs")
		tmo=$(sed -n 's/.*timeout=\([0-9]*\).*/\1/p' <<< "$attrs"); tmo=${tmo:-300}
		tmo=$((tmo * ${PH_TIMEOUT_SCALE:-1}))
		[ -n "$until" ] && tmo=$until
		for r in $(seq 1 "$runs"); do
			t0=$SECONDS
			(cd /tmp/peer.bin && timeout -k 10 "$tmo" $cmd) \
				> "/tmp/peer.log" 2>&1 < /dev/null
			rc=$?
			case $rc in
			0) v=PASS ;;
			4) v=SKIP ;;
			124) if [ -n "$until" ]; then v=PASS; else v=FAIL; fi ;;
			*) v=FAIL ;;
			esac
			echo "$side|$cmd|$r|$v|$rc|$((SECONDS - t0))" >> "$out"
			if [ "$v" = FAIL ] && [ -n "${PH_PEER_LOGS:-}" ]; then
				{ echo "=== $side: $cmd (run $r, rc $rc)"; tail -n 20 /tmp/peer.log; } >> "$PH_PEER_LOGS"
			fi
		done
	done < "$list"
}

# peer_rerun_list LIST RUNS: the lines of LIST for the commands read from
# stdin (one a line), each to run RUNS times, its other attributes kept
peer_rerun_list() {
	local c a
	while IFS= read -r c; do
		[ -n "$c" ] || continue
		a=$(awk -F'|' -v c="$c" '{ x = $2; gsub(/^ +| +$/, "", x) } x == c { print $1; exit }' "$1")
		echo "${a%%runs=*}| $c"
	done | sed 's/^ *,*/runs='"$2"',/'
}

# peer_hot_start: pagehint loaded, every switch policy on, the balloon at
# 64 MiB, the pool with 20000 objects, 32 MiB of volatile page cache on the
# scratch disk, the host holding the guest below what it keeps (stable plus
# half the volatile pages: it must discard, and goes on discarding as the
# tests allocate), and a loop compacting memory and the pool (verifying
# the pool each round) until peer_hot_stop. Returns once the host has
# discarded a page.
peer_hot_start() {
	local f v st vo i
	ph_load host=1 volatile_mapped=1 used_once=1 && ph_load_test || return 1
	for f in "$PH_DFS"/policy/*; do
		# switches only: the byte, order and ms knobs keep their defaults
		case "${f##*/}" in host_target | report_order) continue ;; esac
		v=$(cat "$f")
		[ "$v" = 0 ] && echo 1 > "$f" 2>/dev/null
	done
	echo 64M > "$PH_DFS/balloon/target"
	ph_write "$PH_TDFS/zspool/ctl" create > /dev/null
	ph_write "$PH_TDFS/zspool/ctl" 'alloc 20000 1 4096' > /dev/null
	ph_ext4 || return 1
	head -c 32M /dev/urandom > /mnt/ext4/hot
	ph_drop_caches
	cat /mnt/ext4/hot > /dev/null
	st=$(ph_state_pages stable) vo=$(ph_state_pages volatile)
	ph_diag "hot side: $st stable pages, $vo volatile"
	echo $(( (st + vo / 2) * 4 ))K > "$PH_DFS/host/target"
	for i in $(seq 300); do
		[ "$(ph_field "$PH_DFS/host/stats" discarded)" -gt 0 ] && break
		ph_nap 0.2
	done
	rm -f /tmp/peer.hot.stop
	(
		n=0 bad=0
		while [ ! -e /tmp/peer.hot.stop ]; do
			echo 1 > /proc/sys/vm/compact_memory
			ph_write "$PH_TDFS/zspool/ctl" compact > /dev/null
			[ "$(ph_write "$PH_TDFS/zspool/ctl" verify)" = OK ] || bad=$((bad + 1))
			n=$((n + 1))
			echo "$n $bad" > /tmp/peer.hot.rounds
			sleep 2
		done
	) &
	peer_hot_pid=$!
}

# peer_hot_stop: prints what the hot side did; ok/not ok lines for what it
# must have done
peer_hot_stop() {
	local rounds bad
	touch /tmp/peer.hot.stop
	wait "$peer_hot_pid"
	read -r rounds bad < /tmp/peer.hot.rounds
	ph_diag "hot side: $rounds compaction rounds, host passes $(ph_field "$PH_DFS/host/stats" passes), discarded $(ph_field "$PH_DFS/host/stats" discarded), discard faults $(ph_field "$PH_DFS/host/stats" discard_faults), balloon $(ph_field "$PH_DFS/balloon/status" size_pages) pages, pool $(ph_field "$PH_TDFS/zspool/pool" objects) objects, migrated $(ph_field "$PH_TDFS/zspool/pool" migrated)"
	ph_ge "hot side: compaction rounds ran" "$rounds" 1
	ph_eq "hot side: pool verified in every round" "$bad" 0
	ph_ge "hot side: the host discarded pages" "$(ph_field "$PH_DFS/host/stats" discarded)" 1
	# balloon_shrinker is on: the tests' own memory pressure may have
	# deflated it since, so what it took is the count, not its size now
	ph_ge "hot side: balloon inflated" "$(ph_field "$PH_DFS/balloon/status" inflated)" 1
	ph_eq "hot side: pool verifies at the end" "$(ph_write "$PH_TDFS/zspool/ctl" verify)" OK
	echo 0 > "$PH_DFS/host/target"
	ph_check "hot side: rmmod pagehint" ph_unload
}
