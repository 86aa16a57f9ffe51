#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot the distro kernel, load pagehint.ko, show what it sees.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
exec "$TOP/selftests/vm/vm.sh" --timeout 600 --run "bash $TOP/selftests/vm/demo-guest.sh"
