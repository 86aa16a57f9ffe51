#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# compare_test.sh: compare.py's verdicts on made-up results, one TAP line
# each ("ok - " / "not ok - "): the same verdict, a difference, a one-off
# that did not come back, one that did, a flaky test by its failure rate.
set -u
CMP=$(dirname "$0")/compare.py
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

runs() {	# runs SIDE CMD VERDICT...: result lines, one a verdict
	local side=$1 cmd=$2 i=1 v
	shift 2
	for v in "$@"; do
		echo "$side|$cmd|$i|$v|0|1"
		i=$((i + 1))
	done
}

expect() {	# expect DESC WANT(ok|not ok) ARGS...: compare.py's line for ./t
	local desc=$1 want=$2 got
	shift 2
	got=$(python3 "$CMP" --tap "$@" | grep -- ' - peer: \./t:' | sed 's/ - peer:.*//')
	if [ "$got" = "$want" ]; then
		echo "ok - compare: $desc"
	else
		echo "not ok - compare: $desc (got '${got:-nothing}', want '$want')"
		fail=$((fail + 1))
	fi
}

{ runs base ./t PASS; runs hot ./t PASS; } > "$T/same"
expect "the same verdict on both sides" ok "$T/same"
{ runs base ./t PASS; runs hot ./t FAIL; } > "$T/differ"
expect "PASS without pagehint, FAIL with it hot" "not ok" "$T/differ"
runs hot ./t PASS PASS PASS PASS PASS > "$T/gone"
expect "a hot failure that 5 more hot runs do not repeat is a one-off" ok \
	--oneoff "$T/gone" "$T/differ"
runs hot ./t PASS PASS FAIL PASS PASS > "$T/back"
expect "a hot failure that comes back in 1 of 5 more runs is not" "not ok" \
	--oneoff "$T/back" "$T/differ"
{ runs base ./t FAIL; runs hot ./t PASS; } > "$T/basefail"
runs base ./t PASS PASS PASS PASS PASS > "$T/basegone"
expect "a failure without pagehint that 5 more runs do not repeat is a one-off" ok \
	--oneoff "$T/basegone" "$T/basefail"
{ runs base ./t $(printf 'PASS %.0s' $(seq 17)) FAIL FAIL FAIL
  runs hot ./t $(printf 'PASS %.0s' $(seq 18)) FAIL FAIL; } > "$T/rate"
expect "a flaky test failing 3 of 20 without and 2 of 20 hot: the same rate" ok "$T/rate"
{ runs base ./t $(printf 'PASS %.0s' $(seq 20))
  runs hot ./t $(printf 'FAIL %.0s' $(seq 10)) $(printf 'PASS %.0s' $(seq 10)); } > "$T/worse"
expect "0 of 20 without and 10 of 20 hot: a difference" "not ok" "$T/worse"
echo "compare: $((7 - fail)) of 7 as expected"
[ "$fail" = 0 ]
