#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deps: install what building and testing pagehint needs, with apt.
# Quick (no apt call) when everything is present. The target kernel is
# Debian's linux-image-amd64 / linux-headers-amd64 meta packages: whatever
# version they name, never a hard-coded ABI.
set -eu
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
for p in linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static kmod \
	cpio gzip e2fsprogs bpftrace python3 gcc make perl dkms util-linux; do
	have "$p" || need+=("$p")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
