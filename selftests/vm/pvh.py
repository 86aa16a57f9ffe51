#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# pvh.py BZIMAGE OUT: write the ELF vmlinux that BZIMAGE carries to OUT
# when it has a PVH entry point (a Xen ELF note of type
# XEN_ELFNOTE_PHYS32_ENTRY, CONFIG_PVH), which QEMU's -kernel boots
# directly, without the decompressor. Exit 1, writing nothing, when the
# payload is not found (xz, zstd, gzip, lz4 or uncompressed ELF) or has
# no PVH entry.
import struct
import subprocess
import sys

XEN_ELFNOTE_PHYS32_ENTRY = 18
PT_NOTE = 4
DECOMPRESSORS = (
    (b"\xfd7zXZ\x00", ["xz", "-dcq"]),
    (b"\x28\xb5\x2f\xfd", ["zstd", "-dcq"]),
    (b"\x1f\x8b\x08", ["gzip", "-dcq"]),
    (b"\x02\x21\x4c\x18", ["lz4", "-dcq"]),
)


def payloads(image):
    """Every ELF that a decompressor gets out of the image, first match first."""
    if image[:4] == b"\x7fELF":
        yield image
    for magic, cmd in DECOMPRESSORS:
        off = image.find(magic)
        while off >= 0:
            try:
                out = subprocess.run(cmd, input=image[off:], capture_output=True).stdout
            except FileNotFoundError:
                break
            # the decompressor complains about the bytes after the
            # payload (the rest of the bzImage) but has written it out
            if out[:4] == b"\x7fELF":
                yield out
                break
            off = image.find(magic, off + 1)


def has_pvh_note(elf):
    """True when a PT_NOTE segment of the ELF64 holds the PVH entry."""
    if elf[4] != 2:  # ELFCLASS64
        return False
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", elf, phoff + i * phentsize)
        if p_type != PT_NOTE:
            continue
        pos, end = p_offset, p_offset + p_filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", elf, pos)
            name = elf[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            if name == b"Xen" and ntype == XEN_ELFNOTE_PHYS32_ENTRY:
                return True
            pos += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    return False


def main():
    if len(sys.argv) != 3:
        print("usage: pvh.py BZIMAGE OUT", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        image = f.read()
    for elf in payloads(image):
        if has_pvh_note(elf):
            with open(sys.argv[2], "wb") as f:
                f.write(elf)
            return 0
        print("pvh.py: %s: no PVH entry note" % sys.argv[1], file=sys.stderr)
        return 1
    print("pvh.py: %s: no ELF payload found" % sys.argv[1], file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
