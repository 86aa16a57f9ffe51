#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm: timeout=900 mem=1024 balloon=1
# make demo is a test: every step of selftests/vm/demo-guest.sh shows its
# effect (the demo's own summary line says "ok" for it), the demo exits 0,
# and the state map it leaves is a PNG with a legend above the map.
. "$PH_TOP/selftests/lib.sh"

ph_load_ok
bash "$PH_TOP/selftests/vm/demo-guest.sh" > /tmp/demo.out 2>&1
rc=$?
sed 's/^/# /' "$PH_RESULTS/demo-summary.txt" 2>/dev/null
ph_eq "the demo exits 0" "$rc" 0
for s in volatile discard fault report target balloon compact pool rmap used_once trace map; do
	line=$(awk -v s=$s '$1 == s' "$PH_RESULTS/demo-summary.txt" 2>/dev/null)
	ph_eq "demo step '$s' shows its effect: $(cut -c19- <<< "$line")" "$(awk '{ print $2 }' <<< "$line")" ok
done
ph_check "the demo names no failed step" bash -c "! grep -q 'showed nothing' /tmp/demo.out"
# the PNG: valid, taller and wider than the map alone, text in the legend
ph_check "state-map.png is a PNG with a legend and an axis around the map" python3 - "$PH_RESULTS/state-map.png" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat = 8, b""
while pos < len(d):
    n, = struct.unpack(">I", d[pos:pos + 4]); t = d[pos + 4:pos + 8]
    if t == b"IHDR":
        w, h = struct.unpack(">II", d[pos + 8:pos + 16])
    if t == b"IDAT":
        idat += d[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
rows = [raw[y * (w + 1) + 1:(y + 1) * (w + 1)] for y in range(h)]
text = 6                                       # the text colour's index
assert w > 512 and h > 512, (w, h)
assert sum(r.count(text) for r in rows[:100]) > 1000, "legend text"
assert sum(r[:80].count(text) for r in rows[120:]) > 100, "axis labels"
PY
# a step that shows nothing fails the demo, by name
$PH_CTL policy set volatile off > /dev/null
PH_DEMO_STEPS=volatile bash "$PH_TOP/selftests/vm/demo-guest.sh" > /tmp/demo2.out 2>&1
rc=$?
ph_eq "with policy volatile off the demo exits 1" "$rc" 1
ph_check "  and names the volatile step" grep -q 'showed nothing: volatile$' /tmp/demo2.out
ph_unload
ph_done
