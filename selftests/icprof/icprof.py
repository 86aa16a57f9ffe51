#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Report of two icprof runs: guest kernel instructions per function,
loaded minus absent, largest differences first.

  icprof.py [--units N] [--top N] [--annotate FUNC] [--ko KO] LOADED ABSENT

LOADED, ABSENT: folders with "prof" (the plugin's output) and "kallsyms"
(/proc/kallsyms of that guest)."""
import argparse
import bisect
import collections
import re
import subprocess


def load(folder):
    syms = []
    for line in open(folder + "/kallsyms"):
        p = line.split()
        if len(p) >= 3 and p[1] in "tTwW":
            syms.append((int(p[0], 16), p[2] + (" " + p[3] if len(p) > 3 else "")))
    syms.sort()
    starts = [a for a, _ in syms]
    per_fn = collections.Counter()
    per_insn = {}
    for line in open(folder + "/prof"):
        if line.startswith("#"):
            continue
        addr, count = line.split()
        addr, count = int(addr, 16), int(count)
        i = bisect.bisect_right(starts, addr) - 1
        name = syms[i][1] if i >= 0 else "?"
        per_fn[name] += count
        if i >= 0:
            per_insn[(syms[i][1].split()[0], addr - syms[i][0])] = count
    return per_fn, per_insn


def annotate(per_insn, ko, fn):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "--disassemble=" + fn, ko],
                         capture_output=True, text=True).stdout
    start = None
    print("\n%s (pagehint.ko), runs per instruction, loaded:" % fn)
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]+) <", line)
        if m:
            start = int(m.group(1), 16)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(.*)", line)
        if m and start is not None:
            off = int(m.group(1), 16) - start
            print("%12s  %4x  %s" % (per_insn.get((fn, off), ""), off, m.group(2)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=0, help="divide deltas by this")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--annotate", action="append", default=[])
    ap.add_argument("--ko", default="pagehint.ko")
    ap.add_argument("loaded")
    ap.add_argument("absent")
    a = ap.parse_args()
    lf, li = load(a.loaded)
    af, _ = load(a.absent)
    tl, ta = sum(lf.values()), sum(af.values())
    print("guest kernel instructions between the marks: loaded %d, absent %d, delta %+d (%+.2f%%)"
          % (tl, ta, tl - ta, 100.0 * (tl - ta) / ta if ta else 0))
    if a.units:
        print("per unit (/%d): loaded %.1f, absent %.1f, delta %+.1f"
              % (a.units, tl / a.units, ta / a.units, (tl - ta) / a.units))
    # Code that runs only with the module: its functions and the ftrace
    # trampolines. Unlike the total, this does not move with the guest's
    # user-space layout (page clears and copies do).
    own = sum(c for n, c in lf.items() if "[pagehint]" in n or n.startswith("ftrace_trampoline"))
    print("pagehint's own code and trampolines: %d%s (%.2f%% of absent)"
          % (own, ", %.1f per unit" % (own / a.units) if a.units else "",
             100.0 * own / ta if ta else 0))
    print("%14s %14s %14s %10s  %s" % ("loaded", "absent", "delta", "per unit", "function"))
    names = sorted(set(lf) | set(af), key=lambda n: -abs(lf[n] - af[n]))
    for n in names[:a.top]:
        d = lf[n] - af[n]
        print("%14d %14d %+14d %10s  %s" % (lf[n], af[n], d,
              "%+.1f" % (d / a.units) if a.units else "", n))
    for fn in a.annotate:
        annotate(li, a.ko, fn)


if __name__ == "__main__":
    main()
