#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmap: the reverse-map inspector against /proc/PID/pagemap ground truth
# (seed 001: fork, COW, mremap; seed 004: anon_vma chains), the CLI, and
# bad input on debugfs "rmap".
# vm: timeout=600
. "$PH_TOP/selftests/lib.sh"
T=$PH_TOP/selftests/tools
RMAP=$PH_DFS/rmap

ph_load_ok
ph_eq "rmap component up" "$(ph_component rmap)" up

# --- ground truth: 1 parent + 50 children, anon + file + THP, COW, mremap
if ! ph_ext4; then
	ph_skip "ground truth" "no ext4 on /dev/vda"
else
	dd if=/dev/urandom of=/mnt/ext4/rmapfile bs=4K count=64 2>/dev/null
	rm -f /tmp/rf.in; mkfifo /tmp/rf.in
	"$T/rmap_fork" /mnt/ext4/rmapfile 50 < /tmp/rf.in > /tmp/rf.out &
	wl=$!
	exec 3> /tmp/rf.in
	for _ in $(seq 300); do grep -q READY /tmp/rf.out && break; sleep 0.1; done
	ph_check "workload ready (parent + 50 children)" grep -q READY /tmp/rf.out
	# children by ppid, in fork order (/proc/PID/task/TID/children needs
	# CONFIG_PROC_CHILDREN, not every kernel has it)
	kids=$(for st in /proc/[0-9]*/stat; do
		read -r pid _ _ ppid _ < "$st" 2>/dev/null && [ "$ppid" = "$wl" ] && echo "$pid"
	done | sort -n | xargs)
	ph_eq "50 children" "$(wc -w <<< "$kids")" 50
	out=$(python3 "$T/rmap_check.py" $wl $kids); rc=$?
	echo "$out"
	ph_eq "rmap lists exactly the (pid, vaddr) pairs pagemap gives, every page of 51 processes" $rc 0
	ph_check "anon, file pages compared" grep -q "anon=.*file=" <<< "$out"

	# seed 004: a child's COWed page is found in O(1) VMAs, a shared page in O(N)
	kid=$(awk '{ print $2 }' <<< "$kids")	# child 1 wrote A page 1 and 8
	# child 1's private COW page: page 1 of A, at A's address before the
	# parent moved its own copy
	addr=$(( $(awk '{ print $3 }' /tmp/rf.out) + 4096 ))
	pfn=$(python3 -c "import struct;f=open('/proc/$kid/pagemap','rb');f.seek($addr//4096*8);print(struct.unpack('Q',f.read(8))[0]&((1<<55)-1))")
	echo "pid $kid addr $addr" > $RMAP
	ans=$(cat $RMAP)
	echo "$ans" | head -n 3 | sed 's/^/# /'
	ph_eq "child COW page: one mapping" "$(ph_pair mappings "$(head -n 1 <<< "$ans")")" 1
	ph_le "child COW page: anon_vma chain walk visits few VMAs (O(1))" \
		"$(ph_pair vmas "$(head -n 1 <<< "$ans")")" 3
	ph_eq "child COW page: the row is the child, writable and dirty" \
		"$(ph_rmap_col "$ans" pid,present,writable,dirty | head -n 1)" "$kid 1 1 1"

	# the CLI, text and --json
	ph_check "pagehintctl rmap PID:ADDR" "$PH_CTL" rmap "$kid:$addr"
	ph_check "pagehintctl rmap PFN --json is valid JSON" \
		bash -c "'$PH_CTL' --json rmap $pfn | python3 -m json.tool > /dev/null"
	ph_eq "pagehintctl --json: the one mapping, pid and vaddr" \
		"$("$PH_CTL" --json rmap $pfn | python3 -c 'import json,sys; d=json.load(sys.stdin); m=d["mappings"]; print(len(m), m[0]["pid"], int(m[0]["vaddr"],16))')" \
		"1 $kid $addr"
	"$PH_CTL" rmap "$kid:0x10"; ph_eq "CLI: unmapped address exits 1" $? 1
	"$PH_CTL" rmap "nonsense"; ph_eq "CLI: bad argument exits 2" $? 2
	exec 3>&-
	wait $wl
	ph_eq "workload exits cleanly" $? 0
	umount /mnt/ext4
fi

# --- bad input: clean errno, answer unchanged
echo "pfn $(awk '/^MemTotal/ { print 4096 }' /proc/meminfo)" > $RMAP 2>/dev/null
before=$(cat $RMAP)
ph_eq "garbage" "$(ph_write $RMAP 'hello')" EINVAL
ph_eq "empty" "$(ph_write $RMAP '')" EINVAL
ph_eq "missing number" "$(ph_write $RMAP 'pfn')" EINVAL
ph_eq "negative pfn" "$(ph_write $RMAP 'pfn -1')" EINVAL
ph_eq "trailing junk" "$(ph_write $RMAP 'pfn 1 2')" EINVAL
ph_eq "pfn beyond memory" "$(ph_write $RMAP 'pfn 0xffffffffffff')" ERANGE
ph_eq "pfn overflow" "$(ph_write $RMAP 'pfn 99999999999999999999999')" EINVAL
ph_eq "pid 0" "$(ph_write $RMAP 'pid 0 addr 0x1000')" ERANGE
ph_eq "no such pid" "$(ph_write $RMAP "pid 4000000 addr 0x1000")" "No such process"
ph_eq "pid beyond PID_MAX_LIMIT" "$(ph_write $RMAP "pid 5000000 addr 0x1000")" ERANGE
ph_eq "kernel thread" "$(ph_write $RMAP 'pid 2 addr 0x1000')" "No such process"
ph_eq "unmapped address" "$(ph_write $RMAP "pid $$ addr 0x1000")" "No such device or address"
ph_eq "kernel address" "$(ph_write $RMAP "pid $$ addr 0xffffffff81000000")" ERANGE
ph_eq "huge write" "$(ph_write -n 5000 $RMAP)" E2BIG
ph_eq "embedded NUL" "$(ph_write -z $RMAP 'pfn 4096')" EINVAL
ph_eq "partial write (offset)" "$(ph_write -o 3 $RMAP 'pfn 4096')" EINVAL
ph_eq "split write" "$(ph_write -s $RMAP 'pfn 4096')" EINVAL
ph_eq "answer unchanged after bad input" "$(cat $RMAP | sed 's/walk_ns [0-9]*//')" "$(sed 's/walk_ns [0-9]*//' <<< "$before")"

ph_unload
ph_done
