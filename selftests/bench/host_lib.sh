# SPDX-License-Identifier: GPL-2.0
# Shared by the virtio host benchmarks (70_, 71_, 72_, 73_; sourced after
# lib.sh): switching between the kernel's virtio_balloon and pagehint, and
# the P8 inflate-rate measurement.
MiB=$((1 << 20))
ORDER=/sys/module/page_reporting/parameters/page_reporting_order
vmev() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

# drv_on vb|vb0|ph: virtio_balloon (default reporting order), the same
# with page_reporting_order=0, or pagehint host_channel=virtio
drv_on() {
	case $1 in
	vb|vb0)
		ph_kmod virtio_balloon || return 1
		[ "$1" = vb0 ] && echo 0 > $ORDER ;;
	ph)
		ph_load host_channel=virtio || return 1 ;;
	esac
	sleep 3	# the first report run (the kernel queues it 2 s out)
}

drv_off() {
	case $1 in
	vb|vb0) rmmod virtio_balloon ;;
	ph) ph_unload ;;
	esac
	sleep 1
}

# held_wait BYTES: until QEMU sees the balloon hold BYTES (tries)
held_wait() {
	local i
	for i in $(seq 3000); do
		[ "$(ph_host held)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# inflated_wait N: until vmstat balloon_inflate reached N; bash builtins
# only, so that the wait takes next to no guest CPU from the inflation
exec 9<> <(:)
inflated_wait() {
	local k v i
	for i in $(seq 6000); do
		while read -r k v; do
			[ "$k" = balloon_inflate ] && break
		done < /proc/vmstat
		[ "$v" -ge "$1" ] && return 0
		read -r -t 0.1 -u 9 k
	done
	return 1
}

# p8 DRIVER: the host asks for 512 MiB of an idle guest; prints one line
# "drv=D pages=N ns=T": pages from the first to the last step of vmstat
# balloon_inflate and the guest time between them (sampled every 2 ms)
p8() {
	local drv=$1 n0 poller out want=$(( 512 * 256 ))
	ph_drop_caches
	n0=$(vmev balloon_inflate)
	python3 - "$n0" "$want" > /tmp/p8.$drv <<'PY' &
import sys, time
n0, want = int(sys.argv[1]), int(sys.argv[2])
first = last = None
prev = n0
deadline = time.monotonic() + 600
while time.monotonic() < deadline:
    with open("/proc/vmstat") as f:
        for l in f:
            if l.startswith("balloon_inflate "):
                n = int(l.split()[1])
    t = time.monotonic()
    if n != prev:
        if first is None:
            first = (t, prev)
        last = (t, n)
        prev = n
    if n - n0 >= want:
        break
    time.sleep(0.002)
if first:
    print("pages=%d ns=%d" % (last[1] - first[1], int((last[0] - first[0]) * 1e9)))
else:
    print("pages=0 ns=0")
PY
	poller=$!
	ph_host target 512M > /dev/null
	# no host query meanwhile: each one is a python start on the vCPU
	wait $poller
	held_wait $(( 512 * MiB ))
	out="drv=$drv $(cat /tmp/p8.$drv)"
	[ "$drv" = ph ] && out+=" status_kib_s=$(ph_field $PH_DFS/balloon/status inflate_kib_s)"
	ph_host target 0 > /dev/null
	held_wait 0
	echo "$out"
}
