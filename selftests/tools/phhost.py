#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""phhost: ask the host (selftests/vm/hostd.py) from inside the guest.

  phhost.py balloon SIZE         QMP balloon: the guest's size (K/M/G); prints the host time
  phhost.py target SIZE          the host wants SIZE back: balloon to (RAM - SIZE)
  phhost.py held                 bytes the balloon holds, as QEMU sees it (RAM - actual)
  phhost.py wait-held SIZE [N]   poll until the balloon holds SIZE (N tries, 0.2 s apart)
  phhost.py mark                 the host clock now (seconds)
  phhost.py rss                  QEMU's RSS and AnonHugePages now (KiB)
  phhost.py after T S...         QEMU's RSS (KiB) sampled at host time T + S for each S
  phhost.py qmp CMD [JSON]       any QMP command; prints its return value

The results share is $PH_RESULTS; hostd serves $PH_RESULTS/host. Exit 1 on
a refused request, 3 when no hostd answers (not booted with --balloon).
"""
import json
import os
import sys
import time

D = os.path.join(os.environ.get("PH_RESULTS", "."), "host")
SUFFIX = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def size(s):
    s = s.upper().rstrip("B").rstrip("I")
    unit = s[-1] if s and s[-1] in SUFFIX else ""
    return int(s[:len(s) - len(unit)]) * SUFFIX[unit]


def ask(req, tries=3000):
    if not os.path.isdir(os.path.join(D, "req")):
        sys.exit(3)
    name = "%d-%d.json" % (os.getpid(), time.monotonic_ns())
    tmp = os.path.join(D, "req", "." + name)
    with open(tmp, "w") as f:
        json.dump(req, f)
        f.write("\n")
    os.rename(tmp, os.path.join(D, "req", name))
    resp = os.path.join(D, "resp", name)
    # guest time may run fast (icount, sleep=off): count tries, not seconds
    for _ in range(tries):
        if os.path.exists(resp):
            with open(resp) as f:
                r = json.load(f)
            os.unlink(resp)
            if not r.get("ok"):
                print("phhost: %s" % r.get("error"), file=sys.stderr)
                sys.exit(1)
            return r
        time.sleep(0.01)
    sys.exit(3)


def ram_bytes():
    r = ask({"op": "qmp", "execute": "query-memory-size-summary"})
    return r["return"]["base-memory"]


def rss_at(t):
    """RSS sample nearest after host time t (KiB), or the last one."""
    last = None
    with open(os.path.join(D, "rss.log")) as f:
        for line in f:
            ts, rss, huge = line.split()
            last = (int(rss), int(huge))
            if float(ts) >= t:
                return last
    return last


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    op = argv[1]
    if op == "balloon":
        print(ask({"op": "balloon", "bytes": size(argv[2])})["t"])
    elif op == "target":
        print(ask({"op": "balloon", "bytes": ram_bytes() - size(argv[2])})["t"])
    elif op == "held":
        print(ram_bytes() - ask({"op": "query"})["actual"])
    elif op == "wait-held":
        want, n = size(argv[2]), int(argv[3]) if len(argv) > 3 else 300
        ram = ram_bytes()
        for _ in range(n):
            got = ram - ask({"op": "query"})["actual"]
            if got == want:
                print(got)
                return 0
            time.sleep(0.2)
        print(got)
        return 1
    elif op == "mark":
        print(ask({"op": "mark"})["t"])
    elif op == "rss":
        r = ask({"op": "rss"})
        print(r["rss_kib"], r["anonhuge_kib"])
    elif op == "after":
        t = float(argv[2])
        for s in argv[3:]:
            r = rss_at(t + float(s))
            print(s, r[0], r[1])
    elif op == "qmp":
        args = json.loads(argv[3]) if len(argv) > 3 else None
        req = {"op": "qmp", "execute": argv[2]}
        if args:
            req["arguments"] = args
        print(json.dumps(ask(req)["return"]))
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
