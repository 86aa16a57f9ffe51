#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""phfrag: fragment free memory on purpose, for the balloon tests/bench.

phfrag.py MIB [CHUNK_KIB]: map MIB MiB of anonymous memory, touch every
page, then give back every other CHUNK_KIB (default 128) with
MADV_DONTNEED, leaving a checkerboard of free holes inside otherwise used
pageblocks. Prints "ready" and holds the rest until stdin closes (or it is
killed); then the held half is freed too.
"""
import mmap
import sys

mib = int(sys.argv[1])
chunk = int(sys.argv[2]) * 1024 if len(sys.argv) > 2 else 128 * 1024
size = mib << 20
m = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
# small pages only: a THP would keep a whole 2 MiB block after DONTNEED
m.madvise(mmap.MADV_NOHUGEPAGE)
block = b"\x5a" * (1 << 20)
for off in range(0, size, len(block)):
    m[off:off + len(block)] = block[:min(len(block), size - off)]
for off in range(0, size, 2 * chunk):
    m.madvise(mmap.MADV_DONTNEED, off, chunk)
print("ready", flush=True)
sys.stdin.read()
