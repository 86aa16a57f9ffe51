#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fault injection (a kernel with CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC:
# the debug kernel). Systematic: /proc/self/fail-nth fails the 1st, 2nd, ...
# slab or page allocation of one operation, each in its own run
# (selftests/tools/phfail.c): module load (every component's init, the
# state table among them), pool create, alloc, compaction and migration,
# host discards, binding the virtio-balloon device (host_channel=virtio:
# driver registration, probe, queues, page reporting). The balloon inflates
# in a worker: there the page allocator fails every 3rd allocation of the
# whole guest, 300 times, for a target of its own and for the virtio host's
# (the pages told to QEMU on the inflate queue). Every run ends
# in success or a clean errno, a failed load leaves no module, the pool
# verifies after each, the module unloads, and the boot's kmemleak scan
# (check.sh) finds nothing.
# vm: timeout=1500 balloon=1
. "$PH_TOP/selftests/lib.sh"

F=/sys/kernel/debug
FAIL=$PH_TOP/selftests/tools/phfail
if [ ! -d $F/failslab ] || [ ! -d $F/fail_page_alloc ] || [ ! -e /proc/self/task/$$/fail-nth ]; then
	ph_skip "fault injection" "kernel without CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and fail-nth"
	ph_done
fi
# fail-nth only (probability 0): every GFP_KERNEL and highmem allocation of
# the task counts, none fails unless asked; no stack dumps
for a in failslab fail_page_alloc; do
	echo 0 > $F/$a/probability
	echo 0 > $F/$a/verbose
	echo N > $F/$a/ignore-gfp-wait
	echo -1 > $F/$a/times
done
echo 0 > $F/fail_page_alloc/min-order
# kmemleak scans when this test asks (the end): its automatic scan would
# print the kernel's own error-path leak (below) to the log mid-run
[ -f $F/kmemleak ] && echo scan=off > $F/kmemleak
echo N > $F/fail_page_alloc/ignore-gfp-highmem
total_faults=0

# sweep DESC phfail-args...: one systematic sweep, its summary as a diag
sweep() {
	local d=$1 out rc
	shift
	out=$($FAIL "$@" 2>&1); rc=$?
	grep '^FAIL' <<< "$out" | head -n 20 | sed 's/^/# /'
	grep -v '^FAIL\|^phfail' <<< "$out" | head -n 12 | tr '\n' ' ' | sed 's/^/# results by N: /'; echo
	ph_diag "$(grep '^phfail' <<< "$out")"
	ph_eq "$d: every injected fault ends in success or a clean errno" "$rc" 0
	total_faults=$((total_faults + $(sed -n 's/.* \([0-9]*\) faults injected.*/\1/p' <<< "$out")))
	last_out=$out
}

# --- module load: every allocation of load_module() and of our init
log0=$(dmesg | wc -l)
# A load that fails unwinds the components already up (hooks detached,
# synchronize_rcu), 5-10 s on the debug kernel under TCG: every site up to
# 20, then every 25 % further; PH_FAULT_LOAD="-d 100000" (vm.sh --run) for
# every site.
sweep "module load" ${PH_FAULT_LOAD:-$(ph_quick "-d 20 -g 25" "-d 8 -g 60")} load "$PH_KO"
ph_ge "module load: faults injected" "$(sed -n 's/.* \([0-9]*\) faults injected.*/\1/p' <<< "$last_out")" "$(ph_quick 20 10)"
comps=$(dmesg | tail -n +$((log0 + 1)) | sed -n 's/.*pagehint: \([a-z]*\): init failed: .*/\1/p' | sort | uniq -c | awk '{ printf "%s %s, ", $2, $1 }')
ph_diag "failed loads by component: ${comps:-none}"
ph_ge "module load: loads failed by a fault" "$(sed -n 's/.*(\([0-9]*\) failed cleanly.*/\1/p' <<< "$last_out")" 1
ph_check "module not left loaded" test ! -d /sys/module/pagehint
ph_check "debugfs folder not left behind" test ! -e $PH_DFS
ph_load_ok
ph_load_test_ok
ph_eq "every component up" "$(awk 'NR > 1 && $2 != "up" && $2 != "unsupported"' $PH_DFS/components)" ""

# --- the pool
C=$PH_TDFS/zspool/ctl
# a small table: the default one (262144 objects) is 1536 pages, a site each
# PH_QUICK: every site up to 30, then every 30 % further (the debug kernel
# takes most of a second a run)
dense=$(ph_quick "" "-d 30 -g 30")
sweep "pool create" $dense -C $C destroy write $C "create 1024"
ph_write $C create > /dev/null
ph_write $C 'alloc 3000 1 4096' > /dev/null
sweep "pool alloc" $dense -c $C verify write $C 'alloc 40 1 4096'
ph_write $C 'free 50' > /dev/null
sweep "pool compact" -c $C verify write $C compact
# compact_memory takes seconds a run here: every site up to 20, then 25 %
sweep "pool migration by compact_memory" $(ph_quick "-d 20 -g 25" "-d 5 -g 100") -c $C verify write /proc/sys/vm/compact_memory 1
if [ "$(ph_field $PH_TDFS/zspool/pool contig_hook)" = 1 ]; then
	sweep "pool migration by alloc_contig_range" $(ph_quick "-d 20 -g 25" "-d 5 -g 100") -c $C verify write $C 'contig 1'
fi
sweep "pool verify" write $C verify
ph_eq "pool verifies after the sweeps" "$(ph_write $C verify)" OK

# --- host discards: a reclaim request runs in the writer's task; the file
# is read again before each run so that there is something to discard
ph_unload
ph_load_ok host=1
if ph_ext4; then
	head -c 8M /dev/urandom > /mnt/ext4/f
	sum=$(md5sum < /mnt/ext4/f)
	ph_drop_caches
	hs=0 hf=0 hbad=0
	for n in $(seq 1 300); do
		cat /mnt/ext4/f > /dev/null
		out=$($FAIL -n $n write $PH_DFS/host/reclaim 1G); rc=$?
		[ $rc = 3 ] && break
		[ $rc = 0 ] || { hbad=$((hbad + 1)); sed 's/^/# /' <<< "$out" | head -n 3; }
		hs=$n
		grep -q ': ok' <<< "$out" || hf=$((hf + 1))
	done
	ph_diag "host reclaim: $hs sites, $hs faults injected ($hf failed cleanly)"
	total_faults=$((total_faults + hs))
	ph_eq "host reclaim: every injected fault ends in success or a clean errno" "$hbad" 0
	ph_eq "file content after the discards" "$(md5sum < /mnt/ext4/f)" "$sum"
	ph_ge "discards happened" "$(ph_field $PH_DFS/host/stats discarded)" 1
	umount /mnt/ext4
else
	ph_skip "host discards under faults" "no ext4 on /dev/vda"
fi

# --- balloon inflate: the worker's allocations fail. Every 3rd page
# allocation in the guest fails, 300 times; meanwhile the script forks
# nothing (a fork could be one of them): builtins only.
B=$PH_DFS/balloon
# page_faults DESC [CMD...]: every 3rd page allocation of the guest fails,
# 300 times (or for 60 s), armed before CMD runs (builtins only meanwhile)
page_faults() {
	local d=$1 i t
	shift
	rm -f /tmp/faults.fifo; mkfifo /tmp/faults.fifo; exec 9<> /tmp/faults.fifo
	echo 3 > $F/fail_page_alloc/interval
	echo 300 > $F/fail_page_alloc/times
	echo 100 > $F/fail_page_alloc/probability
	"$@"
	for ((i = 0; i < 600; i++)); do
		mapfile -t t < $F/fail_page_alloc/times
		[ "${t[0]}" = 0 ] && break
		read -r -t 0.1 -u 9
	done
	echo 0 > $F/fail_page_alloc/probability
	echo 1 > $F/fail_page_alloc/interval
	mapfile -t t < $F/fail_page_alloc/times
	ph_diag "$d: $((300 - t[0])) page allocations failed in the guest"
	total_faults=$((total_faults + 300 - t[0]))
	echo -1 > $F/fail_page_alloc/times
	exec 9>&-
}
page_faults "balloon inflate" eval 'echo 64M > $B/target'
for _ in $(seq 300); do
	[ "$(ph_field $B/status state)" = idle ] && break
	sleep 0.2
done
ph_ge "balloon: inflate met allocation failures (nomem_blocks)" "$(ph_field $B/status nomem_blocks)" 1
ph_eq "balloon: reaches its 64 MiB target after the faults" "$(ph_field $B/status size_pages)" 16384
echo 0 > $B/target
for _ in $(seq 300); do
	[ "$(ph_field $B/status size_pages)" = 0 ] && break
	sleep 0.2
done
ph_eq "balloon: deflates to 0" "$(ph_field $B/status size_pages)" 0

# --- the virtio host: binding the device, each allocation of the switch
# sim -> virtio failing in turn (a run that binds is switched back), then
# the host's target inflated under page allocation faults
if ph_have_balloon_dev; then
	H=$PH_DFS/policy/host_channel
	sweep "virtio: binding the device (host_channel virtio)" \
		$(ph_quick "-d 40 -g 25" "-d 10 -g 60") -C $H sim write $H virtio
	ph_eq "virtio: still sim after the sweep" "$(cat $H)" sim
	ph_eq "virtio: the device is free after the sweep" \
		"$(ls /sys/bus/virtio/drivers/pagehint 2>/dev/null | grep -c virtio)" 0
	ph_eq "virtio: host_channel virtio after the faults" "$(ph_write $H virtio)" OK
	ph_host target 64M > /dev/null
	page_faults "virtio inflate"
	ph_host wait-held 64M 600 > /dev/null
	ph_eq "virtio: QEMU sees the host's 64 MiB after the faults" "$(ph_host held)" $((64 << 20))
	ph_eq "virtio: no message refused by a queue" "$(ph_field $PH_DFS/host/device tell_errors)" 0
	ph_host target 0 > /dev/null
	ph_host wait-held 0 600 > /dev/null
	ph_eq "virtio: QEMU sees an empty balloon" "$(ph_host held)" 0
	ph_eq "virtio: host_channel sim again" "$(ph_write $H sim)" OK
else
	ph_skip "virtio host under faults" "no virtio-balloon device or host helper (vm.sh --balloon)"
fi

ph_check "rmmod after all faults" ph_unload
ph_check "module loads and unloads again" bash -c "insmod $PH_KO && rmmod pagehint"
ph_diag "faults injected in all: $total_faults"
# kmemleak: two scans. One leak is the kernel's own: when a fault fails
# kobject_init_and_add() in sysfs_slab_add() (kmem_cache_create() of the
# pool's caches), 6.1's error path does not put the kobject and its name
# stays allocated. Those are counted apart and cleared (the boot's final
# scan would report them); any other unreferenced object fails the test.
if [ -f $F/kmemleak ]; then
	echo scan > $F/kmemleak
	sleep 6
	echo scan > $F/kmemleak
	awk '/^unreferenced object/ { n++; k[n] = 0 } /sysfs_slab_add/ { k[n] = 1 }
		END { for (i = 1; i <= n; i++) s += k[i]; print n - s, s + 0 }' $F/kmemleak > /tmp/leaks
	read -r ours kernel < /tmp/leaks
	ph_diag "kmemleak: $kernel objects of the kernel's sysfs_slab_add() error path (not ours)"
	ph_eq "kmemleak: no other unreferenced object" "$ours" 0
	[ "$ours" = 0 ] || grep -A 14 -m 4 '^unreferenced object' $F/kmemleak | sed 's/^/# /'
	echo clear > $F/kmemleak
fi
ph_done
