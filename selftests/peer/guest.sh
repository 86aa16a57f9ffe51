#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh SIDE FILTER BIN LIST: one side of the peer suite in the guest
# (selftests/peer/peer.sh boots it). SIDE base: pagehint never loaded in
# this boot; hot: loaded and hot (peer_hot_start). Results are appended to
# $PH_RESULTS/peer.SIDE, failing tests' output to $PH_RESULTS/peer.logs.
. "$PH_TOP/selftests/lib.sh"
. "$PH_TOP/selftests/peer/lib.sh"
side=$1 filter=$2 bin=$3 list=$4
export PH_PEER_LOGS=$PH_RESULTS/peer.logs
if [ "$side" = hot ]; then
	peer_hot_start || { ph_notok "pagehint loads hot"; ph_done; }
fi
peer_run "$side" "$bin" "$list" "$filter" "$PH_RESULTS/peer.$side"
[ "$side" = hot ] && peer_hot_stop
ph_done
