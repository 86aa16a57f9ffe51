#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ph_mmap.py MODE FILE DIR: hold FILE mapped while the host works.

MODE: shared-ro (MAP_SHARED, PROT_READ), private (MAP_PRIVATE, read only
accesses), shared-rw (MAP_SHARED, PROT_READ|PROT_WRITE; stamps every page).
Touches every page, prints "before MD5" (content seen through the mapping),
creates DIR/ready, waits for DIR/go, reads the whole mapping again, prints
"after MD5"; shared-rw also msyncs before it unmaps. The digests are taken a
MiB at a time: a copy of the mapping would double what the process holds.
On a small guest (a debug kernel's) kswapd then runs MGLRU's aging while the
mapping is set up; that walk clears the accessed bits of the mapping's page
tables, and 61_used_once's own forced aging skips page tables whose
accessed bit is clear (6.1), so it would not find the mapping young.
"""
import hashlib
import mmap
import os
import sys
import time

mode, path, sync_dir = sys.argv[1:4]
fd = os.open(path, os.O_RDWR if mode == "shared-rw" else os.O_RDONLY)
size = os.fstat(fd).st_size
if mode == "shared-ro":
    m = mmap.mmap(fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
elif mode == "private":
    m = mmap.mmap(fd, size, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)
elif mode == "shared-rw":
    m = mmap.mmap(fd, size, flags=mmap.MAP_SHARED,
                  prot=mmap.PROT_READ | mmap.PROT_WRITE)
else:
    sys.exit("bad mode " + mode)
page = mmap.PAGESIZE


def digest(mapping):
    """MD5 of the whole mapping without copying it."""
    h = hashlib.md5()
    for off in range(0, len(mapping), 1 << 20):
        h.update(mapping[off:off + (1 << 20)])
    return h.hexdigest()


total = 0
for off in range(0, size, page):
    if mode == "shared-rw":
        stamp = b"PH-STAMP %08d\n" % (off // page)
        m[off:off + len(stamp)] = stamp
    total += m[off]
print("before", digest(m), flush=True)
open(os.path.join(sync_dir, "ready"), "w").close()
while not os.path.exists(os.path.join(sync_dir, "go")):
    time.sleep(0.05)
print("after", digest(m), flush=True)
if mode == "shared-rw":
    m.flush()
m.close()
os.close(fd)
