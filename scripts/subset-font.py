#!/usr/bin/env python3
"""Make assets/fonts/FapiaoKai-Regular.ttf, the font fapiao-print embeds in its PDFs.

Source: Debian package `fonts-lxgw-wenkai`, version 1.250+repack-1, file
/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf ("LXGW WenKai" 1.250,
TrueType outlines, SIL Open Font License 1.1). Subset with fonttools 4.68.0.

The font keeps: printable ASCII, Latin-1 signs used on invoices (¥ × · ° etc.), general
punctuation, CJK symbols and punctuation, full-width forms, and every character of
GB 2312 (its 682 symbols and the 6,763 hanzi of levels 1 and 2). Hinting and OpenType
layout tables are dropped: the PDF renderer places glyphs one by one.

The upstream licence reserves the font names "LXGW" and "霞鹜", so this modified version
is renamed "Fapiao Kai". The copyright and licence name records are kept, and OFL.txt
sits next to the output.

The output is reproducible (the source's timestamps are kept): 3,482,740 bytes, sha256
a1af3f57fdd3e2592c265189573bc84c59cb8356e1fe6db1b41ced5fe089e5cc.

Usage (as root on Debian, or with the .ttf path given):
    pip install fonttools==4.68.0
    apt-get download fonts-lxgw-wenkai=1.250+repack-1 && dpkg-deb -x fonts-lxgw-wenkai_*.deb x
    python3 scripts/subset-font.py x/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "Fapiao Kai"
POSTSCRIPT = "FapiaoKai-Regular"
OUT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "FapiaoKai-Regular.ttf"


def gb2312_chars():
    """Every character of GB 2312: rows 0xA1..0xF7, cells 0xA1..0xFE, as decoded."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def wanted_codepoints():
    cps = set(range(0x20, 0x7F))  # printable ASCII
    cps |= set(range(0xA0, 0x100))  # Latin-1 supplement: ¥ × · ° ±
    cps |= set(range(0x2010, 0x2040))  # dashes, quotes, ‰, ※ …
    cps |= set(range(0x2460, 0x2474))  # ① … ⑳
    cps |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation
    cps |= set(range(0xFF00, 0xFFF0))  # full-width and half-width forms
    cps |= {0x2116, 0x2103, 0x2030, 0x20AC}  # № ℃ ‰ €
    cps |= {ord(c) for c in gb2312_chars()}
    return cps


def rename(font):
    name = font["name"]
    replacements = {
        1: FAMILY,
        2: "Regular",
        3: f"{FAMILY}:Version 1.250 (subset of LXGW WenKai 1.250 for fapiao-print)",
        4: FAMILY,
        6: POSTSCRIPT,
        16: FAMILY,
        17: "Regular",
    }
    # Keep copyright (0), version (5), trademark/manufacturer, licence (13, 14);
    # replace every name that would present the reserved names to users.
    for rec in list(name.names):
        if rec.nameID in replacements:
            name.removeNames(nameID=rec.nameID)
    for name_id, value in replacements.items():
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "gasp", "DSIG"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    font = TTFont(src, recalcTimestamp=False)  # keep the source date: reproducible output
    sub = subset.Subsetter(options=opts)
    sub.populate(unicodes=sorted(wanted_codepoints()))
    sub.subset(font)
    rename(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    cmap = font.getBestCmap()
    print(f"{OUT}: {OUT.stat().st_size} bytes, {font['maxp'].numGlyphs} glyphs, "
          f"{len(cmap)} characters")


if __name__ == "__main__":
    main()
