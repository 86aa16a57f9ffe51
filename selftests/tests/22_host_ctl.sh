#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host control files and CLI: bad input is refused with a clean errno and
# changes nothing; pagehintctl host status/reclaim/target work (+ --json).
# vm: timeout=360
. "$PH_TOP/selftests/lib.sh"

H=$PH_DFS/host
st() { ph_field "$H/stats" "$1"; }

ph_load_ok
ph_check "host folder present" test -d "$H"
ph_eq "host is off by default" "$(cat "$PH_DFS/policy/host")" 0
ph_eq "reclaim with the host off: ENODEV" "$(ph_write "$H/reclaim" 1M)" ENODEV
ph_eq "host on" "$(ph_write "$PH_DFS/policy/host" on)" OK
ph_check "discard-fault hook attached" grep -q "host_discard_fault .* attached" "$PH_DFS/hooks"

# host/reclaim: garbage, empty, zero, huge, negative, partial, split, NUL
p0=$(st passes)
for bad in abc "" 0 -1 1X "1M junk" 0x10; do
	ph_eq "reclaim '$bad': EINVAL" "$(ph_write -- "$H/reclaim" "$bad")" EINVAL
done
ph_eq "reclaim 2^64: ERANGE" "$(ph_write "$H/reclaim" 18446744073709551616)" ERANGE
ph_eq "reclaim 2^54 G: ERANGE" "$(ph_write "$H/reclaim" 18014398509481984G)" ERANGE
ph_eq "reclaim partial write: EINVAL" "$(ph_write -o 1 "$H/reclaim" 1M)" EINVAL
ph_eq "reclaim with NUL: EINVAL" "$(ph_write -z "$H/reclaim" 1M)" EINVAL
ph_eq "reclaim huge input: E2BIG" "$(ph_write -n 4096 "$H/reclaim")" E2BIG
ph_eq "no reclaim pass ran for bad input" "$(st passes)" "$p0"
ph_eq "reclaim 8K" "$(ph_write "$H/reclaim" 8K)" OK
ph_eq "one pass ran" "$(st passes)" $((p0 + 1))
ph_eq "8K request: 2 pages" "$(st requested)" 2

# host/target and host/interval_ms
for f in target interval_ms; do
	v0=$(cat "$H/$f")
	for bad in abc "" -1 "1 2"; do
		ph_eq "$f '$bad': EINVAL" "$(ph_write -- "$H/$f" "$bad")" EINVAL
	done
	# seq_file control files refuse positioned writes (ESPIPE)
	ph_eq "$f partial write refused" "$(ph_write -o 1 "$H/$f" 5)" "Illegal seek"
	ph_eq "$f huge input: E2BIG" "$(ph_write -n 4096 "$H/$f")" E2BIG
	ph_eq "$f unchanged after bad input" "$(cat "$H/$f")" "$v0"
done
ph_eq "interval_ms 0: ERANGE" "$(ph_write "$H/interval_ms" 0)" ERANGE
ph_eq "interval_ms 60001: ERANGE" "$(ph_write "$H/interval_ms" 60001)" ERANGE
ph_eq "interval_ms 250" "$(ph_write "$H/interval_ms" 250)" OK
ph_eq "interval_ms is the policy" "$(cat "$PH_DFS/policy/host_interval_ms")" 250
ph_eq "target 2^51: ERANGE" "$(ph_write "$H/target" 2251799813685248)" ERANGE
ph_eq "stats takes no writes" "$(ph_write "$H/stats" 1)" EINVAL
for p in host host_discard; do
	ph_eq "policy $p 'maybe': EINVAL" "$(ph_write "$PH_DFS/policy/$p" maybe)" EINVAL
	ph_eq "policy $p 2: EINVAL" "$(ph_write "$PH_DFS/policy/$p" 2)" EINVAL
done
ph_eq "policy host_max_discards 0: ERANGE" "$(ph_write "$PH_DFS/policy/host_max_discards" 0)" ERANGE

# CLI
out=$("$PH_CTL" host status)
ph_check "pagehintctl host status shows the resident size" grep -q "^resident_pages [0-9]" <<< "$out"
json=$("$PH_CTL" --json host status)
ph_check "pagehintctl --json host status is JSON" python3 -c \
	'import json,sys; d=json.loads(sys.argv[1]); assert d["on"] == 1 and d["passes"] >= 1' "$json"
f0=$(st forgotten)
ph_check "pagehintctl host reclaim 1M" "$PH_CTL" host reclaim 1M
ph_eq "1M forgotten through the CLI" $(($(st forgotten) - f0)) 256
ph_check "pagehintctl host target 64M" "$PH_CTL" host target 64M
ph_eq "target is 64 MiB" "$(cat "$H/target")" 67108864
ph_check "pagehintctl host target off" "$PH_CTL" host target off
ph_eq "target cleared" "$(cat "$H/target")" 0
"$PH_CTL" host reclaim lots 2>/dev/null
ph_eq "pagehintctl host reclaim lots: usage error" $? 2
"$PH_CTL" policy set host off
"$PH_CTL" host reclaim 1M 2>/dev/null
ph_eq "pagehintctl host reclaim with the host off fails" $? 1

ph_unload
ph_done
