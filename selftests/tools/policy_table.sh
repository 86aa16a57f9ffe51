#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# policy_table.sh [KO]: the README's table of pagehint's parameters, made
# from the module itself: each one's meaning and unit from modinfo
# (MODULE_PARM_DESC is "MEANING [UNIT]"), its default from
# /sys/module/pagehint/parameters after a load without parameters. Runs
# where the module is loaded so (in the guest: make policies; 01_badinput
# compares the README with it).
# policy_table.sh --update README TABLE: put TABLE between the README's
# "<!-- policies" and "<!-- end policies -->" lines.
set -u
if [ "${1:-}" = --update ]; then
	grep -q '^| parameter | meaning | unit | default |$' "$3" || { cat "$3" >&2; exit 1; }
	awk -v t="$3" '/^<!-- end policies -->/ { skip = 0 }
		!skip { print }
		/^<!-- policies/ { while ((getline l < t) > 0) print l; skip = 1 }' "$2" > "$2.new" &&
		mv "$2.new" "$2"
	exit
fi
KO=${1:-$(dirname "$0")/../../pagehint.ko}
P=/sys/module/pagehint/parameters
[ -d $P ] || { echo "policy_table.sh: pagehint.ko is not loaded" >&2; exit 1; }
human() {	# human BYTES: 16777216 -> 16M
	local v=$1 u
	for u in G M K; do
		case $u in G) m=$((1 << 30)) ;; M) m=$((1 << 20)) ;; K) m=1024 ;; esac
		if [ "$v" -ge "$m" ] && [ $((v % m)) = 0 ]; then echo "$((v / m))$u"; return; fi
	done
	echo "$v"
}
echo "| parameter | meaning | unit | default |"
echo "|---|---|---|---|"
modinfo -F parm "$KO" | while IFS= read -r line; do
	name=${line%%:*}
	desc=${line#*:}
	# the test hooks (fail_nth, hide_target: README, Parameters): not
	# parameters for users
	case $desc in "test hook:"*) continue ;; esac
	desc=${desc% (*)}		# modinfo's "(type)", when it has one
	unit=$(sed -n 's/.*\[\([^]]*\)\]$/\1/p' <<< "$desc")
	meaning=${desc% \[*\]}
	def=$(cat "$P/$name")
	[ "$unit" = bytes ] && [ "$def" != 0 ] && def="$def ($(human "$def"))"
	echo "| \`$name\` | $meaning | $unit | $def |"
done
