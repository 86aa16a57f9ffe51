#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tree.sh DEST: DEST becomes a checkout of this tree as it is now (tracked
# files with their uncommitted changes and the untracked files git does not
# ignore), sharing .cache (kernels, peer builds, results) with it. Runs
# on several kernels at once each build in their own copy: pagehint.ko,
# the CLI and the test tools are built in the tree, for one kernel at a time.
# The snapshot is a commit object made with a scratch index (no branch, no
# change to this tree's index or files); DEST is a clone sharing the
# objects, so git commands (the packaging and checkout tests) work there.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DEST=$1
idx=$(mktemp)
trap 'rm -f "$idx"' EXIT
cp "$(git -C "$TOP" rev-parse --git-path index | sed "s|^[^/]|$TOP/&|")" "$idx"
GIT_INDEX_FILE=$idx git -C "$TOP" add -A
tree=$(GIT_INDEX_FILE=$idx git -C "$TOP" write-tree)
rev=$(git -C "$TOP" commit-tree "$tree" -p HEAD -m "tree.sh snapshot")
rm -rf "$DEST"
git clone -q --shared --no-checkout "$TOP" "$DEST"
git -C "$DEST" checkout -q --detach "$rev"
ln -s "$TOP/.cache" "$DEST/.cache"
