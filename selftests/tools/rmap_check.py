#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rmap_check: compare pagehint's reverse map with /proc/PID/pagemap.

  rmap_check.py PID...      (the workload's processes; root, for PFNs)

Ground truth: every process's /proc/PID/maps + /proc/PID/pagemap give, for
each present pte, (pid, vaddr) -> pfn. Inverted, that is pfn -> the exact
set of (pid, vaddr) mapping it. For every PFN mapped by one of the given
processes, the debugfs query "pfn N" must list exactly that set.
Special mappings ([vdso], [vvar], [vsyscall]) are not in the kernel's
reverse map and are left out; so is the shared zero page (kpageflags bit
24), which is mapped everywhere and tracked by nobody. The checker's own
process is not scanned (it changes while it runs); its rows are dropped
from the answers.

Also checks "pid P addr A" on every page of the given processes: the
answer's pfn must be the one pagemap gives.
Prints a summary and the first mismatches; exit 0 when all agree.
"""
import os
import struct
import sys

RMAP = "/sys/kernel/debug/pagehint/rmap"
PAGE = os.sysconf("SC_PAGESIZE")
SPECIAL = ("[vdso]", "[vvar]", "[vsyscall]")
KPF_ZERO_PAGE = 24


def vmas(pid):
    out = []
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            parts = line.split()
            name = parts[5] if len(parts) > 5 else ""
            if name in SPECIAL:
                continue
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            out.append((lo, hi))
    return out


def scan(pid):
    """(vaddr, pfn) for every present pte of @pid."""
    res = []
    try:
        maps = vmas(pid)
        fd = os.open("/proc/%d/pagemap" % pid, os.O_RDONLY)
    except OSError:
        return res
    try:
        for lo, hi in maps:
            n = (hi - lo) // PAGE
            data = os.pread(fd, n * 8, lo // PAGE * 8)
            for i, e in enumerate(struct.unpack("%dQ" % (len(data) // 8), data)):
                if e >> 63 & 1:
                    res.append((lo + i * PAGE, e & ((1 << 55) - 1)))
    except OSError:
        pass
    finally:
        os.close(fd)
    return res


def query(text):
    fd = os.open(RMAP, os.O_RDWR)
    try:
        os.write(fd, text.encode())
        os.lseek(fd, 0, 0)
        out = b""
        while True:
            b = os.read(fd, 1 << 20)
            if not b:
                break
            out += b
    finally:
        os.close(fd)
    lines = out.decode().splitlines()
    head = lines[0].split()
    summary = dict(zip(head[0::2], head[1::2]))
    rows = [l.split() for l in lines[2:]]
    return summary, rows


def is_zero(pfn, kpf):
    data = os.pread(kpf, 8, pfn * 8)
    return len(data) == 8 and struct.unpack("Q", data)[0] >> KPF_ZERO_PAGE & 1


def main():
    me = os.getpid()
    workload = set(int(x) for x in sys.argv[1:])
    truth = {}              # pfn -> set((pid, vaddr))
    mine = {}               # pid -> [(vaddr, pfn)]
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        pid = int(d)
        ptes = scan(pid)
        if pid in workload:
            mine[pid] = ptes
        for va, pfn in ptes:
            truth.setdefault(pfn, set()).add((pid, va))
    missing = workload - set(mine)
    if missing:
        print("# workload processes not found: %s" % sorted(missing))
        return 1
    kpf = os.open("/proc/kpageflags", os.O_RDONLY)
    pfns = sorted(set(pfn for ptes in mine.values() for _, pfn in ptes))
    bad = []
    kinds = {}
    compared = zero = 0
    for pfn in pfns:
        if pfn == 0:
            bad.append("pfn 0 in pagemap: not root?")
            break
        if is_zero(pfn, kpf):
            zero += 1
            continue
        summary, rows = query("pfn %d" % pfn)
        got = set((int(r[0]), int(r[2], 16)) for r in rows if int(r[0]) != me)
        want = truth[pfn]
        kinds[summary["kind"]] = kinds.get(summary["kind"], 0) + 1
        compared += len(want)
        if got != want or summary["lost"] != "0":
            bad.append("pfn %d kind %s: missing %s extra %s" % (
                pfn, summary["kind"],
                sorted((p, hex(v)) for p, v in want - got)[:4],
                sorted((p, hex(v)) for p, v in got - want)[:4]))
    os.close(kpf)
    addr_checked = 0
    for pid in sorted(mine):
        for va, pfn in mine[pid]:
            if pfn in (0,) or va % (64 * PAGE) and pid != min(mine):
                continue        # every page of the parent, a sample of each child
            summary, _ = query("pid %d addr %d" % (pid, va))
            addr_checked += 1
            if int(summary["pfn"]) != pfn:
                bad.append("pid %d addr %#x: rmap pfn %s, pagemap %d" %
                           (pid, va, summary["pfn"], pfn))
    print("# processes %d, pfns %d (zero page skipped %d), mappings compared %d, "
          "pid+addr queries %d, kinds %s" %
          (len(mine), len(pfns), zero, compared, addr_checked,
           " ".join("%s=%d" % kv for kv in sorted(kinds.items()))))
    for b in bad[:10]:
        print("# MISMATCH " + b)
    print("# mismatches %d" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
