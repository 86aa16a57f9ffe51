# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the in-guest selftests (sourced; runs inside the VM,
# in the chroot of the host root, with the repository at $PH_TOP).
#
# A test prints one line per assertion:
#   ok - description | not ok - description | ok - description # SKIP why
# The host side (selftests/check.sh) numbers them into one TAP stream.
# Skip only when a prerequisite is missing, never to hide a failure.

PH_DFS=/sys/kernel/debug/pagehint
PH_CTL=$PH_TOP/userspace-ctl/pagehintctl
PH_WRITE=$PH_TOP/selftests/tools/phwrite
PH_KO=$PH_TOP/pagehint.ko
# the test module (selftests/phtest): zspool workload driver, balloon hooks
PH_TEST_KO=$PH_TOP/selftests/phtest/phtest.ko
PH_TDFS=/sys/kernel/debug/phtest
ph_failures=0

ph_ok() { echo "ok - $*"; }
ph_notok() { echo "not ok - $*"; ph_failures=$((ph_failures + 1)); }
ph_skip() { echo "ok - $1 # SKIP $2"; }
ph_diag() { echo "# $*"; }

# ph_check DESC CMD...: the assertion holds when CMD succeeds
ph_check() {
	local d=$1; shift
	if "$@"; then ph_ok "$d"; else ph_notok "$d"; fi
}

# ph_eq DESC GOT WANT
ph_eq() {
	if [ "$2" = "$3" ]; then ph_ok "$1"; else ph_notok "$1 (got '$2', want '$3')"; fi
}

# ph_ge DESC GOT MIN (integers)
ph_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then ph_ok "$1 ($2 >= $3)"; else ph_notok "$1 (got '$2', want >= $3)"; fi
}

# ph_le DESC GOT MAX (integers)
ph_le() {
	if [ "$2" -le "$3" ] 2>/dev/null; then ph_ok "$1 ($2 <= $3)"; else ph_notok "$1 (got '$2', want <= $3)"; fi
}

# ph_load [PARAM=VALUE ...]: load pagehint.ko (unloading a loaded one first)
ph_load() {
	ph_unload
	insmod "$PH_KO" "$@"
}

# ph_load_ok [PARAM=VALUE ...]: ph_load as an assertion; a test whose
# module does not load ends there
ph_load_ok() {
	if ph_load "$@"; then ph_ok "pagehint.ko loads${*:+ with $*}"; return 0; fi
	ph_notok "pagehint.ko loads${*:+ with $*}"
	ph_done
}

# ph_load_test: load the test module phtest.ko (after ph_load; it pins
# pagehint.ko while loaded)
ph_load_test() {
	if [ ! -d /sys/module/phtest ]; then insmod "$PH_TEST_KO"; fi
}

# ph_load_test_ok: ph_load_test as an assertion (after ph_load_ok)
ph_load_test_ok() {
	if ph_load_test; then ph_ok "phtest.ko loads"; return 0; fi
	ph_notok "phtest.ko loads"
	ph_done
}

# ph_unload: the test module first, then pagehint.ko
ph_unload() {
	if [ -d /sys/module/phtest ]; then rmmod phtest || return; fi
	if [ -d /sys/module/pagehint ]; then rmmod pagehint; fi
}

# ph_kmod NAME: load a module of the running kernel (zsmalloc, ...)
ph_kmod() {
	modprobe -d "$PH_MODROOT" -S "$PH_KREL" "$1" 2>/dev/null ||
		insmod "$(modprobe -d "$PH_MODROOT" -S "$PH_KREL" --show-depends "$1" | awk '/^insmod/ { print $2 }' | tail -n 1)"
}

# ph_write FILE TEXT [phwrite flags before FILE]: prints OK or an errno name
ph_write() { "$PH_WRITE" "$@"; }

# ph_field FILE KEY: value of "KEY value" or "KEY: value" lines
# (control files, /proc/vmstat, /proc/meminfo). Builtins only: a test
# reads hundreds of fields, and every exec costs the guest a lot under TCG.
# The file is read whole first: `read` from a file reads ahead and seeks
# back to the end of its line, and a seek into a seq_file whose lines
# changed width since (every counter of /proc/vmstat) lands elsewhere,
# which skips or splits lines.
ph_field() {
	local k v _ all
	[ -r "$1" ] || return 2
	all=$(< "$1")
	while read -r k v _ || [ -n "$k" ]; do
		k=${k/:/}
		if [ "$k" = "$2" ]; then
			printf '%s\n' "$v"
			return 0
		fi
	done <<< "$all"
}

# Tables: a header line of column names, then one row per line (the
# control files' tables, pagehintctl's output). FILE "-" is stdin.
# ph_col FILE COLS [COL=VALUE ...]: the columns COLS (comma-separated) of
# the rows whose COL equals VALUE, one row per line; an unknown column
# name fails (status 2) instead of reading another column
ph_col() {
	local file=$1 cols=$2
	shift 2
	awk -v cols="$cols" -v conds="$*" '
	NR == 1 {
		for (i = 1; i <= NF; i++) h[$i] = i
		nc = split(cols, c, ",")
		for (j = 1; j <= nc; j++) if (!(c[j] in h)) { bad = 1; exit 2 }
		nk = split(conds, kv, " ")
		for (j = 1; j <= nk; j++) {
			split(kv[j], p, "=")
			if (!(p[1] in h)) { bad = 1; exit 2 }
			k[j] = h[p[1]]; v[j] = substr(kv[j], length(p[1]) + 2)
		}
		next
	}
	{
		for (j = 1; j <= nk; j++) if ($k[j] != v[j]) next
		out = $h[c[1]]
		for (j = 2; j <= nc; j++) out = out " " $h[c[j]]
		print out
	}' "$file"
}

# ph_sum FILE COL [COL=VALUE ...]: the sum of COL over those rows (0: none)
ph_sum() {
	ph_col "$@" | awk '{ s += $1 } END { print s + 0 }'
}

# ph_rows FILE [COL=VALUE ...]: how many rows match
ph_rows() {
	local file=$1
	shift
	ph_col "$file" "$(head -n 1 "$file" | awk '{ print $1 }')" "$@" | wc -l
}

# The tables every test reads.
# ph_state_pages STATE: pages in STATE, or "pages" for all (scope all)
ph_state_pages() { ph_col $PH_DFS/states "$1" scope=all; }
# ph_trans FROM TO SITE: pages counted moving FROM -> TO at SITE
ph_trans() { ph_sum $PH_DFS/transitions pages from="$1" to="$2" site="$3"; }
# ph_hook NAME COL: the column COL (state, hits, ...) of hook NAME
ph_hook() { ph_col $PH_DFS/hooks "$2" name="$1"; }
# ph_component NAME: up or unsupported
ph_component() { ph_col $PH_DFS/components state name="$1"; }

# ph_pair KEY TEXT: the word after KEY in TEXT ("key value key value ..."
# lines: an rmap answer's summary, a test tool's report)
ph_pair() {
	awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' <<< "$2"
}

# ph_rmap_col ANSWER COLS [COL=VALUE ...]: ph_col over the mappings table
# of an rmap answer (the lines after its summary)
ph_rmap_col() {
	local answer=$1
	shift
	tail -n +2 <<< "$answer" | ph_col - "$@"
}

# ph_pcp_pages: pages on the per-CPU free lists, every zone and CPU
ph_pcp_pages() {
	awk '$1 == "count:" { s += $2 } END { print s + 0 }' /proc/zoneinfo
}

# ph_free_pages: free pages, those on the per-CPU lists included (the
# pages a module frees land there first; nr_free_pages and MemFree miss
# them, and only a drain inside the kernel moves them to the buddy lists)
ph_free_pages() {
	echo $(( $(ph_field /proc/vmstat nr_free_pages) + $(ph_pcp_pages) ))
}

# ph_ext4 [MiB]: a fresh ext4 filesystem on the scratch disk at /mnt/ext4
ph_ext4() {
	mkdir -p /mnt/ext4
	umount /mnt/ext4 2>/dev/null
	mkfs.ext4 -q -F /dev/vda >/dev/null 2>&1 || return 1
	mount -t ext4 /dev/vda /mnt/ext4
}

# ph_drop_caches: write back and drop clean page cache and slab
ph_drop_caches() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
}

# ph_proactive_off / ph_proactive_restore: kcompactd's proactive compaction
# off and back, for a test comparing migration counters: kcompactd moves
# pages between any two reads, so only the test's own compactions may
ph_proactive_off() {
	ph_proactive0=$(cat /proc/sys/vm/compaction_proactiveness)
	echo 0 > /proc/sys/vm/compaction_proactiveness
}
ph_proactive_restore() { echo "$ph_proactive0" > /proc/sys/vm/compaction_proactiveness; }

# ph_frag_start MIB: hold a checkerboard of anonymous memory (MIB touched,
# half given back in 128 KiB holes) so that what is allocated next lands
# among used pages; ph_frag_stop frees it
ph_frag_start() {
	rm -f /tmp/frag.in /tmp/frag.out; mkfifo /tmp/frag.in
	python3 "$PH_TOP/selftests/tools/phfrag.py" "$1" < /tmp/frag.in > /tmp/frag.out &
	ph_frag_pid=$!
	exec 3> /tmp/frag.in
	while ! grep -q ready /tmp/frag.out 2>/dev/null; do sleep 0.2; done
}
ph_frag_stop() { exec 3>&-; wait "$ph_frag_pid"; }

# ph_have_bpftrace: bpftrace is installed (the guest runs the host's)
ph_have_bpftrace() { command -v bpftrace >/dev/null 2>&1; }

# ph_bt_start SCRIPT OUT [BANNER]: bpftrace SCRIPT in the background, its
# output in OUT, PID in PH_BT; returns once OUT shows BANNER (default
# "Attaching"; bpftrace needs tens of seconds to start under TCG), 1 when
# bpftrace gave up or 150 s passed
ph_bt_start() {
	local i
	bpftrace "$1" > "$2" 2>&1 &
	PH_BT=$!
	for i in $(seq 1 150); do
		grep -q "${3:-Attaching}" "$2" && return 0
		kill -0 "$PH_BT" 2>/dev/null || return 1
		sleep 1
	done
	return 1
}

# ph_bt_stop: end PH_BT as Ctrl-C does (it prints its maps). SIGINT again
# every 5 s, since one sent before bpftrace set its handler is lost (an
# asynchronous command starts with SIGINT ignored), and SIGKILL after
# 60 s: a bpftrace that does not end fails the checks on its output
# instead of holding the boot until its timeout.
ph_bt_stop() {
	local i
	for i in $(seq 0 59); do
		kill -0 "$PH_BT" 2>/dev/null || break
		[ $((i % 5)) = 0 ] && kill -INT "$PH_BT" 2>/dev/null
		sleep 1
	done
	kill -KILL "$PH_BT" 2>/dev/null && echo "# bpftrace did not end on SIGINT: killed"
	wait "$PH_BT"
}

# ph_quick FULL QUICK: FULL, or QUICK when PH_QUICK is set (.ci/run sets
# it: the stress phases shorter, every assertion the same)
ph_quick() { if [ -n "${PH_QUICK:-}" ]; then echo "$2"; else echo "$1"; fi; }

ph_done() { exit $((ph_failures > 0)); }

# The host of a guest booted with vm.sh --balloon (selftests/vm/hostd.py
# answers; selftests/tools/phhost.py asks and documents the operations):
# ph_host OP ARGS. balloon, target, held, wait-held and mark are asked
# here, with builtins only (a python start costs the guest seconds under
# TCG, and the virtio tests poll); the others through phhost.py.
PH_HOST_PY=$PH_TOP/selftests/tools/phhost.py
ph_host() {
	case "$1" in
	balloon|target|held|wait-held|mark) ph_host_sh "$@" ;;
	*) python3 "$PH_HOST_PY" "$@" ;;
	esac
}

# ph_nap SECONDS: sleep without a process: a read that times out on a pipe
# of this shell's own, open for writing too, so no end-of-file comes
ph_nap() {
	[ -n "${ph_nap_fd:-}" ] || exec {ph_nap_fd}<> <(:)
	read -r -t "$1" -u "$ph_nap_fd" _ || :
}

# ph_host_size SIZE: bytes of 4096, 64K, 256M, 1G, 2GiB (phhost.py's size())
ph_host_size() {
	local s=${1^^} m=1
	s=${s%B}; s=${s%I}
	case "$s" in
	*K) m=1024 ;; *M) m=$((1 << 20)) ;; *G) m=$((1 << 30)) ;;
	esac
	s=${s%[KMG]}
	echo $((s * m))
}

# ph_host_ask JSON FIELD: one request (the line ends with a newline: hostd
# answers only a complete one), prints FIELD of the answer
ph_host_ask() {
	local d=$PH_RESULTS/host n r i
	[ -d "$d/req" ] || return 3
	n=$BASHPID-${EPOCHREALTIME/./}.json
	printf '%s\n' "$1" > "$d/req/$n"
	# guest time may run fast (icount, sleep=off): count tries, not seconds
	for ((i = 0; i < 3000; i++)); do
		if [ -e "$d/resp/$n" ]; then
			read -r r < "$d/resp/$n"
			if [[ $r != *'"ok": true'* ]]; then
				echo "phhost: $r" >&2
				return 1
			fi
			[[ $r =~ \"$2\":\ ([-0-9.e+]+) ]] && echo "${BASH_REMATCH[1]}"
			return 0
		fi
		ph_nap 0.01
	done
	return 3
}

# ph_host_ram: the guest's RAM as QEMU counts it (bytes), asked once a boot
ph_host_ram() {
	local f=/tmp/.ph_host_ram r
	if [ -s $f ]; then
		read -r r < $f
	else
		r=$(ph_host_ask '{"op": "qmp", "execute": "query-memory-size-summary"}' base-memory) || return
		echo "$r" > $f
	fi
	echo "$r"
}

ph_host_sh() {
	local ram got i n want
	case "$1" in
	balloon) ph_host_ask "{\"op\": \"balloon\", \"bytes\": $(ph_host_size "$2")}" t ;;
	target)
		ram=$(ph_host_ram) || return
		ph_host_ask "{\"op\": \"balloon\", \"bytes\": $((ram - $(ph_host_size "$2")))}" t ;;
	held)
		ram=$(ph_host_ram) && got=$(ph_host_ask '{"op": "query"}' actual) &&
			echo $((ram - got)) ;;
	wait-held)
		want=$(ph_host_size "$2") n=${3:-300}
		ram=$(ph_host_ram) || return
		for ((i = 0; i < n; i++)); do
			got=$(ph_host_ask '{"op": "query"}' actual) || return
			got=$((ram - got))
			[ "$got" = "$want" ] && break
			ph_nap 0.2
		done
		echo "$got"
		[ "$got" = "$want" ] ;;
	mark) ph_host_ask '{"op": "mark"}' t ;;
	esac
}
ph_have_balloon_dev() { [ -d "$PH_RESULTS/host/req" ] && grep -qx 0x0005 /sys/bus/virtio/devices/*/device 2>/dev/null; }

# ph_bl_settle [TRIES]: wait until the balloon worker is idle or waiting
# with nothing more to do (0.2 s per try; guest time may run fast)
ph_bl_settle() {
	local i
	for i in $(seq "${1:-600}"); do
		[ "$(ph_field "$PH_DFS/balloon/status" state)" = idle ] && return 0
		[ "$(ph_field "$PH_DFS/balloon/status" size_pages)" = "$(ph_field "$PH_DFS/balloon/status" target_pages)" ] && return 0
		ph_nap 0.2
	done
	return 1
}
