#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""hostd: the host side of a guest's balloon tests (started by vm.sh --balloon).

A test inside the guest cannot reach QEMU's QMP socket, so it writes a
request file into the writable results share and hostd, on the host,
answers it:

  DIR/req/NAME.json   {"op": "balloon", "bytes": N}   QMP balloon (guest size N)
                      {"op": "query"}                 QMP query-balloon
                      {"op": "mark"}                  the host clock now
                      {"op": "rss"}                   QEMU's RSS now
                      {"op": "qmp", "execute": C, "arguments": {...}}
  DIR/resp/NAME.json  {"ok": true, "t": HOST_SECONDS, ...} or {"ok": false, "error": ...}

A request is one line of JSON ending with a newline: phhost.py writes it
to a temporary name and renames it, the shell's ph_host (selftests/lib.sh)
writes it in place, so a request is answered once its newline is there.
Answers are written to a temporary name and renamed.
Meanwhile QEMU's RSS and AnonHugePages (/proc/PID/smaps_rollup) are
sampled every --interval seconds into DIR/rss.log, one line
"HOST_SECONDS RSS_KIB ANONHUGE_KIB" each (time.monotonic()). hostd exits
when QEMU does.

  hostd.py --qmp SOCKET --pidfile FILE --dir DIR [--interval 0.1]
"""
import argparse
import json
import os
import socket
import sys
import threading
import time


def read_rss(pid):
    """(rss_kib, anonhuge_kib) of process pid, or None when it is gone."""
    rss = huge = 0
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("AnonHugePages:"):
                    huge = int(line.split()[1])
    except OSError:
        return None
    return rss, huge


class Qmp:
    """A minimal QMP client: one command at a time, events skipped."""

    def __init__(self, path, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.buf = b""
        self._line()                    # greeting
        self.cmd("qmp_capabilities")

    def _line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("QMP closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, execute, arguments=None):
        msg = {"execute": execute}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self._line()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError(reply["error"].get("desc", str(reply["error"])))


def sampler(pid, path, interval, stop):
    with open(path, "a") as out:
        while not stop.is_set():
            r = read_rss(pid)
            if r is None:
                break
            out.write("%.3f %d %d\n" % (time.monotonic(), r[0], r[1]))
            out.flush()
            stop.wait(interval)
    stop.set()


def answer(qmp, pid, req):
    op = req.get("op")
    resp = {"ok": True}
    if op == "balloon":
        qmp.cmd("balloon", {"value": int(req["bytes"])})
    elif op == "query":
        resp["actual"] = qmp.cmd("query-balloon")["actual"]
    elif op == "rss":
        r = read_rss(pid) or (0, 0)
        resp["rss_kib"], resp["anonhuge_kib"] = r
    elif op == "qmp":
        resp["return"] = qmp.cmd(req["execute"], req.get("arguments"))
    elif op != "mark":
        raise ValueError("unknown op %r" % op)
    resp["t"] = time.monotonic()
    return resp


def serve(qmp, pid, d, stop):
    req_dir, resp_dir = os.path.join(d, "req"), os.path.join(d, "resp")
    while not stop.is_set():
        names = sorted(n for n in os.listdir(req_dir)
                       if n.endswith(".json") and not n.startswith("."))
        for n in names:
            p = os.path.join(req_dir, n)
            try:
                with open(p) as f:
                    text = f.read()
                # a request ends with a newline: one seen before it is
                # whole (the guest's shell writes in place) is read again
                if not text.endswith("\n"):
                    continue
                resp = answer(qmp, pid, json.loads(text))
            except (ValueError, KeyError, RuntimeError, OSError) as e:
                resp = {"ok": False, "error": str(e), "t": time.monotonic()}
            except EOFError:
                return
            tmp = os.path.join(resp_dir, "." + n)
            with open(tmp, "w") as f:
                json.dump(resp, f)
            os.rename(tmp, os.path.join(resp_dir, n))
            os.unlink(p)
        stop.wait(0.01)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qmp", required=True)
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--interval", type=float, default=0.1)
    a = ap.parse_args()
    for sub in ("req", "resp"):
        os.makedirs(os.path.join(a.dir, sub), exist_ok=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with open(a.pidfile) as f:
                pid = int(f.read().strip())
            break
        except (OSError, ValueError):
            if time.monotonic() > deadline:
                sys.exit("hostd: no QEMU pid in %s" % a.pidfile)
            time.sleep(0.05)
    qmp = Qmp(a.qmp, 60)
    stop = threading.Event()
    t = threading.Thread(target=sampler, daemon=True,
                         args=(pid, os.path.join(a.dir, "rss.log"), a.interval, stop))
    t.start()
    try:
        serve(qmp, pid, a.dir, stop)
    finally:
        stop.set()


if __name__ == "__main__":
    main()
