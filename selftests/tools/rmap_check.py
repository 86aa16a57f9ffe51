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

The processes keep running, and the kernel may move a page between the
snapshot and the query (compaction, khugepaged): a PFN that disagrees is
asked again against a fresh snapshot of every process, up to RETRIES
times; only a disagreement that stays counts.

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
RETRIES = 3


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


def snapshot(me):
    """pfn -> set((pid, vaddr)) over every process but @me; pid -> ptes."""
    truth, ptes_of = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        pid = int(d)
        ptes_of[pid] = scan(pid)
        for va, pfn in ptes_of[pid]:
            truth.setdefault(pfn, set()).add((pid, va))
    return truth, ptes_of


def compare(pfn, want, me):
    """(kind, None) when rmap's answer for @pfn is @want, else (kind, the mismatch)."""
    summary, rows = query("pfn %d" % pfn)
    got = set((int(r[0]), int(r[2], 16)) for r in rows if int(r[0]) != me)
    if got == want and summary["lost"] == "0":
        return summary["kind"], None
    return summary["kind"], "pfn %d kind %s: missing %s extra %s" % (
        pfn, summary["kind"],
        sorted((p, hex(v)) for p, v in want - got)[:4],
        sorted((p, hex(v)) for p, v in got - want)[:4])


def addr_mismatch(pid, va, pfn):
    """None when "pid P addr A" answers @pfn, else the mismatch text."""
    summary, _ = query("pid %d addr %d" % (pid, va))
    if summary.get("pfn") == str(pfn):
        return None
    return "pid %d addr %#x: rmap pfn %s, pagemap %s" % (pid, va, summary.get("pfn"), pfn)


def main():
    me = os.getpid()
    workload = set(int(x) for x in sys.argv[1:])
    truth, ptes_of = snapshot(me)
    mine = {pid: ptes for pid, ptes in ptes_of.items() if pid in workload}
    missing = workload - set(mine)
    if missing:
        print("# workload processes not found: %s" % sorted(missing))
        return 1
    kpf = os.open("/proc/kpageflags", os.O_RDONLY)
    pfns = sorted(set(pfn for ptes in mine.values() for _, pfn in ptes))
    bad = {}
    kinds = {}
    compared = zero = 0
    for pfn in pfns:
        if pfn == 0:
            bad[0] = "pfn 0 in pagemap: not root?"
            break
        if is_zero(pfn, kpf):
            zero += 1
            continue
        kind, err = compare(pfn, truth[pfn], me)
        kinds[kind] = kinds.get(kind, 0) + 1
        compared += len(truth[pfn])
        if err:
            bad[pfn] = err
    os.close(kpf)
    moved = 0
    for _ in range(RETRIES):
        if not bad or 0 in bad:
            break
        truth, _ = snapshot(me)
        for pfn in sorted(bad):
            _, err = compare(pfn, truth.get(pfn, set()), me)
            if err:
                bad[pfn] = err
            else:
                del bad[pfn]
                moved += 1
    addr_checked = 0
    for pid in sorted(mine):
        for va, pfn in mine[pid]:
            if pfn in (0,) or va % (64 * PAGE) and pid != min(mine):
                continue        # every page of the parent, a sample of each child
            addr_checked += 1
            err = addr_mismatch(pid, va, pfn)
            for _ in range(RETRIES):
                if not err:
                    break
                err = addr_mismatch(pid, va, dict(scan(pid)).get(va))
                moved += not err
            if err:
                bad[(pid, va)] = err
    print("# processes %d, pfns %d (zero page skipped %d), mappings compared %d, "
          "pid+addr queries %d, kinds %s" %
          (len(mine), len(pfns), zero, compared, addr_checked,
           " ".join("%s=%d" % kv for kv in sorted(kinds.items()))))
    print("# disagreed, then agreed with a fresh snapshot (pages moved meanwhile): %d" % moved)
    for b in list(bad.values())[:10]:
        print("# MISMATCH " + b)
    print("# mismatches %d" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
