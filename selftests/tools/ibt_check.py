#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ibt_check.py: no indirect call into a kernel function resolved by address.

With X86_KERNEL_IBT the kernel seals every function whose address it never
takes itself: an indirect call or jump from pagehint.ko into one (rmap_walk,
kallsyms_lookup_name, ...) is a control-protection fault on an IBT CPU. QEMU's
TCG does not enforce IBT, so this proves the rule on the binary instead, on
any kernel, by reading `objdump -dr` of the module:

  sources  the return value of ph_lookup_symbol(), the one resolver
  flow     through registers, stack slots and the module's own variables,
           in every function, per basic block to a fixed point (a value
           stored into a module variable taints every later load of it)
  sinks    indirect calls and jumps: call/jmp *REG, *MEM and the retpoline
           thunks (__x86_indirect_thunk_REG); a tainted target fails

and two rules for the resolver itself: no indirect call or jump inside
ph_lookup_symbol() and __ph_resolve(), and kprobes (whose .addr reports a
function's address) registered only there and by the attach layer
(ph_hook*), which never calls their address.

It lists every call through a resolved address: the static calls pointed
at resolved functions (keys given to __ph_resolve() or to
__static_call_update() inside the resolver) and their direct call sites.

usage: ibt_check.py MODULE.ko [--objdump OBJDUMP] | --selftest
exit 0: no violation; 1: violations (listed); 2: could not analyse.
"""
import re
import subprocess
import sys

RESOLVER = "ph_lookup_symbol"
RESOLVER_BODY = {"ph_lookup_symbol", "__ph_resolve"}
# the resolver, and the attach layer's ph_hook* functions (module/hooks.c),
# which put kprobes on their targets and never call their .addr
KPROBE_USER = re.compile(r"ph_lookup_symbol$|ph_hooks?_")
KPROBE_APIS = {"register_kprobe", "register_kprobes", "register_kretprobe",
               "register_kretprobes", "kallsyms_lookup_name"}
CALLER_SAVED = {"rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11"}
THUNK = re.compile(r"__x86_indirect_(?:call_|jump_)?thunk_(\w+)")

REG64 = {}
for r in ("ax", "bx", "cx", "dx"):
    for n in ("r" + r, "e" + r, r, r[0] + "l", r[0] + "h"):
        REG64[n] = "r" + r
for r in ("si", "di", "bp", "sp"):
    for n in ("r" + r, "e" + r, r, r + "l"):
        REG64[n] = "r" + r
for i in range(8, 16):
    for s in ("", "d", "w", "b"):
        REG64["r%d%s" % (i, s)] = "r%d" % i


def reg(op):
    """The 64-bit register an operand names, or None."""
    m = re.fullmatch(r"%(\w+)", op.strip())
    return REG64.get(m.group(1)) if m else None


def split_ops(s):
    out, depth, cur = [], 0, ""
    for c in s:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        out.append(cur.strip())
    return out


class Insn:
    __slots__ = ("addr", "end", "mnem", "ops", "text", "relocs", "rel")

    def __init__(self, addr, text):
        self.addr = addr
        self.end = addr
        self.text = text
        self.relocs = []        # symbol names
        self.rel = []           # (type, symbol, addend, offset)
        t = re.sub(r"\s+#.*$", "", text).strip()
        t = re.sub(r"^(?:notrack|bnd|lock|rep|repz|repnz|cs|ds)\s+", "", t)
        parts = t.split(None, 1)
        self.mnem = parts[0] if parts else ""
        self.ops = split_ops(parts[1]) if len(parts) > 1 else []

    def reloc_sym(self):
        return self.relocs[0] if self.relocs else None


def add_reloc(ins, off, rtype, target):
    m = re.fullmatch(r"(.+?)(?:([+-])0x([0-9a-f]+))?", target)
    add = int(m.group(3), 16) * (-1 if m.group(2) == "-" else 1) \
        if m.group(3) else 0
    ins.relocs.append(m.group(1))
    ins.rel.append((rtype, m.group(1), add, off))


def parse(text):
    """Functions of an `objdump -dr -w` listing: name -> [Insn]."""
    funcs, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^([0-9a-f]+) <(.+)>:$", line)
        if m:
            cur = []
            funcs[m.group(2)] = cur
            continue
        if cur is None:
            continue
        m = re.match(r"^\s+([0-9a-f]+): (R_X86_64_\w+)\s+(\S+)$", line)
        if m and cur:
            add_reloc(cur[-1], int(m.group(1), 16), m.group(2), m.group(3))
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(.*)$", line)
        if m:
            # -w puts the instruction's relocations on its own line
            parts = re.split(r"\t(?=[0-9a-f]+: R_X86_64_)", m.group(2))
            ins = Insn(int(m.group(1), 16), parts[0])
            for r in parts[1:]:
                f = r.split()
                if len(f) >= 3:
                    add_reloc(ins, int(f[0].rstrip(":"), 16), f[1], f[2])
            if cur:
                cur[-1].end = ins.addr
            cur.append(ins)
    for insns in funcs.values():
        if insns and insns[-1].end == insns[-1].addr:
            insns[-1].end = insns[-1].addr + 16
    return funcs


def disassemble(ko, objdump):
    return parse(subprocess.run([objdump, "-dr", "-w", "--no-show-raw-insn",
                                 ko], check=True, capture_output=True,
                                text=True).stdout)


def call_target(ins):
    """Name of a direct call/jmp target (relocation first), or None."""
    s = ins.reloc_sym()
    if s:
        return s
    m = re.search(r"<([^>+]+)(?:\+0x[0-9a-f]+)?>", ins.text)
    return m.group(1) if m and not ins.ops[0].startswith("*") else None


def branch_addr(ins):
    m = re.match(r"([0-9a-f]+)\s+<", ins.text.split(None, 1)[1]
                 if len(ins.text.split(None, 1)) > 1 else "")
    return int(m.group(1), 16) if m else None


def mem_key(op, ins):
    """A tracked memory location: a module variable (symbol and offset:
    static variables are relocated against their section) or a stack
    slot."""
    op = op.strip()
    if "(%rip)" in op and ins.rel:
        rtype, sym, add, off = ins.rel[0]
        if rtype == "R_X86_64_PC32":    # S + A - P, from the insn's end
            add += ins.end - off
        return "G:%s%+d" % (sym, add)
    m = re.fullmatch(r"(-?0x[0-9a-f]+|-?\d+)?\((%rsp|%rbp)\)", op)
    if m:
        return "S:%s%s" % (m.group(2), m.group(1) or "0")
    return None


def is_indirect(ins):
    """(True, target operand) for an indirect call/jmp, else (False, None)."""
    if ins.mnem not in ("call", "jmp") or not ins.ops:
        return False, None
    if ins.ops[0].startswith("*"):
        return True, ins.ops[0][1:]
    t = call_target(ins)
    if t:
        m = THUNK.fullmatch(t)
        if m:
            return True, "%" + m.group(1)
    return False, None


class Analysis:
    def __init__(self, funcs):
        self.funcs = funcs
        self.gtaint = set()         # module variables holding resolved values
        self.violations = []
        self.keys = set()           # static call keys given resolved addresses

    def blocks(self, insns):
        starts = {insns[0].addr} if insns else set()
        by_addr = {i.addr: n for n, i in enumerate(insns)}
        for n, i in enumerate(insns):
            if i.mnem.startswith("j") or i.mnem in ("ret", "ud2", "int3"):
                if n + 1 < len(insns):
                    starts.add(insns[n + 1].addr)
                a = branch_addr(i) if i.mnem.startswith("j") else None
                if a in by_addr:
                    starts.add(a)
        return sorted(starts), by_addr

    def transfer(self, fname, ins, taint, record):
        """Apply one instruction to the set of tainted registers/slots."""
        m, ops = ins.mnem, ins.ops
        ind, target = is_indirect(ins)
        if ind:
            r = reg(target)
            key = mem_key(target, ins) if r is None else None
            bad = (r in taint) if r else (key in taint or key in self.gtaint)
            # through a vector of the kernel's own (paravirt's pv_ops):
            # patched at load, never a resolved address
            kernel_vec = key is not None and key.startswith("G:") and \
                key not in self.gtaint and \
                not ins.rel[0][1].startswith(".")
            if record and fname in RESOLVER_BODY and not kernel_vec:
                self.violations.append(
                    (fname, ins, "indirect %s inside the resolver" % m))
            elif record and bad:
                self.violations.append(
                    (fname, ins, "indirect %s through a resolved address" % m))
            if m == "call":
                taint -= CALLER_SAVED
            return
        if m == "call":
            t = call_target(ins) or ""
            if record and t in KPROBE_APIS and not KPROBE_USER.match(fname):
                self.violations.append(
                    (fname, ins, "%s outside the resolver" % t))
            if t in ("__ph_resolve", "__static_call_update") and record:
                k = self.last_key.get("rdi")
                if k and k.startswith("__SCK__"):
                    self.keys.add(k[len("__SCK__"):])
            taint -= CALLER_SAVED
            if t == RESOLVER:
                taint.add("rax")
            return
        if m.startswith("mov") or m.startswith("cmov"):
            if len(ops) != 2:
                return
            src, dst = ops
            rs, rd = reg(src), reg(dst)
            if rd:
                if src.startswith("$") and ins.reloc_sym():
                    self.last_key[rd] = ins.reloc_sym()
                if rs:
                    t = rs in taint
                elif src.startswith("$"):
                    t = False
                else:
                    k = mem_key(src, ins)
                    t = k is not None and (k in taint or k in self.gtaint)
                if t:
                    taint.add(rd)
                elif not m.startswith("cmov"):
                    taint.discard(rd)
            elif rs in taint:
                k = mem_key(dst, ins)
                if k and k.startswith("G:"):
                    if k not in self.gtaint:
                        self.gtaint.add(k)
                        self.changed = True
                elif k:
                    taint.add(k)
            elif not rs:
                k = mem_key(dst, ins)
                if k and k.startswith("S:"):
                    taint.discard(k)
            return
        if m.startswith("lea"):
            if len(ops) == 2 and reg(ops[1]):
                taint.discard(reg(ops[1]))
                if ins.reloc_sym():
                    self.last_key[reg(ops[1])] = ins.reloc_sym()
            return
        if m.startswith("xor") and len(ops) == 2 and ops[0] == ops[1]:
            taint.discard(reg(ops[1]) or "")
            return
        if m.startswith("pop") and ops and reg(ops[0]):
            taint.discard(reg(ops[0]))
            return
        # arithmetic: the destination keeps or takes the source's taint
        if len(ops) == 2 and reg(ops[1]):
            if reg(ops[0]) in taint:
                taint.add(reg(ops[1]))

    def walk_block(self, fname, insns, by_addr, start_set, a, taint, record):
        """Run block @a from @taint; return its successors."""
        n = by_addr[a]
        while n < len(insns):
            ins = insns[n]
            self.transfer(fname, ins, taint, record)
            n += 1
            if ins.mnem.startswith("j"):
                succ = []
                b = branch_addr(ins)
                if b in by_addr:
                    succ.append(b)
                if ins.mnem != "jmp" and not is_indirect(ins)[0] and \
                        n < len(insns):
                    succ.append(insns[n].addr)
                return succ
            if ins.mnem in ("ret", "ud2", "int3"):
                return []
            if n < len(insns) and insns[n].addr in start_set:
                return [insns[n].addr]
        return []

    def run_func(self, fname, insns, record):
        """Taint at every block's entry to a fixed point, then (with
        @record) one pass over every block from it, recording."""
        if not insns:
            return
        starts, by_addr = self.blocks(insns)
        start_set = set(starts)
        entry = {a: set() for a in starts}
        work, queued, reached = [starts[0]], {starts[0]}, {starts[0]}
        self.last_key = {}
        while work:
            a = work.pop(0)
            queued.discard(a)
            taint = set(entry[a])
            for b in self.walk_block(fname, insns, by_addr, start_set, a,
                                     taint, False):
                if b in reached and taint <= entry[b]:
                    continue
                reached.add(b)
                entry[b] |= taint
                if b not in queued:
                    work.append(b)
                    queued.add(b)
        if record:
            for a in starts:
                self.last_key = {}
                self.walk_block(fname, insns, by_addr, start_set, a,
                                set(entry[a]), True)

    def run(self):
        for _ in range(10):
            self.changed = False
            for f, insns in self.funcs.items():
                self.run_func(f, insns, record=False)
            if not self.changed:
                break
        for f, insns in self.funcs.items():
            self.run_func(f, insns, record=True)


# --selftest: the analysis on small listings, one clean, the others each
# hiding a resolved address in a different place.
SELFTEST = {
    "clean": (0, """
0000000000000000 <ph_lookup_symbol>:
   0:	call   5 <ph_lookup_symbol+0x5>	1: R_X86_64_PLT32	__SCT__ph_kallsyms_lookup_name-0x4
   5:	ret
0000000000000010 <good>:
  10:	call   15 <good+0x5>	11: R_X86_64_PLT32	ph_lookup_symbol-0x4
  15:	mov    %rax,%rdx
  18:	mov    $0x0,%rsi	1b: R_X86_64_32S	__SCT__ph_x
  1f:	mov    $0x0,%rdi	22: R_X86_64_32S	__SCK__ph_x
  26:	call   2b <good+0x1b>	27: R_X86_64_PLT32	__static_call_update-0x4
  2b:	call   30 <good+0x20>	2c: R_X86_64_PLT32	__SCT__ph_x-0x4
  30:	mov    0x0(%rip),%rax	33: R_X86_64_PC32	.bss+0x4
  37:	call   3c <good+0x2c>	38: R_X86_64_PLT32	__x86_indirect_thunk_rax-0x4
  3c:	ret
"""),
    "register": (1, """
0000000000000000 <ph_lookup_symbol>:
   0:	ret
0000000000000010 <bad>:
  10:	call   15 <bad+0x5>	11: R_X86_64_PLT32	ph_lookup_symbol-0x4
  15:	mov    %rax,%rbx
  18:	xor    %edi,%edi
  1a:	call   1f <bad+0xf>	1b: R_X86_64_PLT32	_printk-0x4
  1f:	mov    %rbx,%rax
  22:	call   27 <bad+0x17>	23: R_X86_64_PLT32	__x86_indirect_thunk_rax-0x4
  27:	ret
"""),
    "variable": (1, """
0000000000000000 <ph_lookup_symbol>:
   0:	ret
0000000000000010 <store>:
  10:	call   15 <store+0x5>	11: R_X86_64_PLT32	ph_lookup_symbol-0x4
  15:	mov    %rax,0x0(%rip)	18: R_X86_64_PC32	.bss+0x4
  1c:	ret
0000000000000020 <load>:
  20:	test   %edi,%edi
  22:	je     2d <load+0xd>
  24:	mov    0x0(%rip),%rax	27: R_X86_64_PC32	.bss+0x4
  2b:	jmp    2f <load+0xf>
  2d:	xor    %eax,%eax
  2f:	call   *%rax
  31:	ret
"""),
    "resolver": (1, """
0000000000000000 <ph_lookup_symbol>:
   0:	mov    0x10(%rsp),%rax
   5:	call   *%rax
   7:	ret
"""),
}


def selftest():
    bad = 0
    for name, (want, text) in SELFTEST.items():
        an = Analysis(parse(text))
        an.run()
        got = 1 if an.violations else 0
        print("%s %s: %d violation(s)" %
              ("ok" if got == want else "FAIL", name, len(an.violations)))
        bad += got != want
    return 1 if bad else 0


def main():
    args = sys.argv[1:]
    if args == ["--selftest"]:
        return selftest()
    objdump = "objdump"
    if "--objdump" in args:
        i = args.index("--objdump")
        objdump = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    try:
        funcs = disassemble(args[0], objdump)
    except (OSError, subprocess.CalledProcessError) as e:
        print("ibt_check: %s" % e, file=sys.stderr)
        return 2
    if RESOLVER not in funcs:
        print("ibt_check: no %s in %s" % (RESOLVER, args[0]), file=sys.stderr)
        return 2
    an = Analysis(funcs)
    an.run()
    ncalls = 0
    for k in sorted(an.keys):
        sites = [(f, i) for f, insns in funcs.items() for i in insns
                 if i.mnem in ("call", "jmp") and
                 call_target(i) == "__SCT__" + k]
        ncalls += len(sites)
        where = sorted({f for f, _ in sites})
        print("resolved %-26s %2d direct call(s): %s" %
              (k, len(sites), " ".join(where)))
    nind = sum(1 for insns in funcs.values() for i in insns
               if is_indirect(i)[0])
    for f, ins, why in an.violations:
        print("VIOLATION %s+0x%x: %s: %s" %
              (f, ins.addr - funcs[f][0].addr, why, ins.text.strip()))
    print("%d resolved functions, %d static call sites, %d indirect "
          "calls/jumps checked, %d violations" %
          (len(an.keys), ncalls, nind, len(an.violations)))
    return 1 if an.violations else 0


if __name__ == "__main__":
    sys.exit(main())
