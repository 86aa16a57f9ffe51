#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the peer suite's verdicts without pagehint (side "base") and
with it loaded and hot (side "hot").

  compare.py [--tap] [--mismatches] RESULTS...

RESULTS: lines "SIDE|COMMAND|RUN|VERDICT|RC|SECONDS" (selftests/peer/lib.sh).
A test run once a side must have the same verdict on both. A test run N
times a side is compared by its failure rate: the two sides agree unless
Fisher's exact test (two-sided) gives p < 0.05 -- a rate that differs by
chance as often as the test is flaky on its own is not a difference.
--tap: one "ok - " / "not ok - " line per test; --mismatches: only the
commands that differ, one a line (to run again N times). --oneoff FILE:
FILE holds more runs of tests run once a side whose verdicts differed, on
one side only (70_peer); the difference was a one-off when every one of
them gives the other side's verdict. Exit 1 when a test differs."""
import sys
from math import comb


def fisher(a, b, c, d):
    """Two-sided p of the 2x2 table [[a, b], [c, d]]."""
    n1, n2, k = a + b, c + d, a + c
    total = comb(n1 + n2, k)

    def p(x):
        return comb(n1, x) * comb(n2, k - x) / total
    p0 = p(a)
    lo, hi = max(0, k - n2), min(k, n1)
    return min(1.0, sum(p(x) for x in range(lo, hi + 1) if p(x) <= p0 * (1 + 1e-9)))


def read_runs(path):
    """(side, command, verdict, seconds) of each well-formed line of @path."""
    for line in open(path):
        parts = line.rstrip("\n").split("|")
        if len(parts) == 6:
            yield parts[0], parts[1], parts[3], int(parts[5])


def judge_oneoff(more, vb, vh):
    """A test run once a side whose verdicts differed (@vb without
    pagehint, @vh hot), run again on one side (@more: side -> runs):
    a one-off when every new run gives the other side's verdict."""
    side, again = next(iter(more.items()))
    want = vb if side == "hot" else vh
    got = [v for v, _ in again]
    ok = all(v == want for v in got)
    what = ", then %s in %d of %d more runs %s%s" % (
        want, got.count(want), len(got),
        "with it hot" if side == "hot" else "without it",
        " (a one-off)" if ok else "")
    return ok, what, sum(s for _, s in again)


def main(argv):
    tap = "--tap" in argv
    mism = "--mismatches" in argv
    oneoff_file = None
    if "--oneoff" in argv:
        i = argv.index("--oneoff")
        oneoff_file = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    files = [a for a in argv if not a.startswith("--")]
    runs = {}
    order = []
    for f in files:
        for side, cmd, verdict, secs in read_runs(f):
            if cmd not in runs:
                runs[cmd] = {"base": [], "hot": []}
                order.append(cmd)
            runs[cmd].setdefault(side, []).append((verdict, secs))
    oneoff = {}
    if oneoff_file:
        for side, cmd, verdict, secs in read_runs(oneoff_file):
            oneoff.setdefault(cmd, {}).setdefault(side, []).append((verdict, secs))
    differ = []
    counts = {"same": 0, "rate": 0, "oneoff": 0, "absent": 0, "differ": 0}
    for cmd in order:
        b, h = runs[cmd]["base"], runs[cmd]["hot"]
        vb = [v for v, _ in b]
        vh = [v for v, _ in h]
        secs = sum(s for _, s in b + h)
        if not vb or not vh:
            ok, what = False, "missing on one side (base %d runs, hot %d)" % (len(vb), len(vh))
        elif set(vb) == {"ABSENT"} and set(vh) == {"ABSENT"}:
            counts["absent"] += 1
            if tap:
                print("ok - peer: %s # SKIP not built for this kernel" % cmd)
            continue
        elif len(vb) == 1 and len(vh) == 1:
            ok = vb[0] == vh[0]
            what = "%s without pagehint, %s with it hot" % (vb[0], vh[0])
            if not ok and cmd in oneoff:
                ok, more, secs2 = judge_oneoff(oneoff[cmd], vb[0], vh[0])
                what += more
                secs += secs2
                counts["oneoff" if ok else "differ"] += 1
            else:
                counts["same" if ok else "differ"] += 1
        else:
            fb, fh = vb.count("FAIL"), vh.count("FAIL")
            pv = fisher(fb, len(vb) - fb, fh, len(vh) - fh)
            ok = pv >= 0.05 and set(vb) - {"FAIL"} == set(vh) - {"FAIL"} or vb == vh
            what = "failed %d of %d without pagehint, %d of %d with it hot (p=%.2f)" % (
                fb, len(vb), fh, len(vh), pv)
            counts["rate" if ok else "differ"] += 1
        if not ok:
            differ.append(cmd)
        if tap:
            print("%s - peer: %s: %s (%ds)" % ("ok" if ok else "not ok", cmd, what, secs))
        elif not mism:
            print("%-36s %-6s %s" % (cmd, "same" if ok else "DIFFER", what))
    if mism:
        for cmd in differ:
            print(cmd)
    elif not tap:
        print("peer: %d tests: %d same verdict, %d same failure rate, %d one-off, %d differ, "
              "%d not built" % (len(order), counts["same"], counts["rate"], counts["oneoff"],
                                counts["differ"], counts["absent"]))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
