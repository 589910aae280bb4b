#!/usr/bin/env python3
"""Builds assets/fonts/cjk-subset.ttf.gz, the CJK font the PNG export falls back to when the
system has no font with CJK glyphs (src/project/png/fonts.rs).

The glyphs are a subset of WenQuanYi Micro Hei (Debian's fonts-wqy-microhei; Apache License
2.0, itself based on Droid Sans Fallback): the 6,763 hanzi of GB 2312 with the 3,500 most
frequent Chinese characters (by the summed word counts of jieba's dictionary), the 2,965
level-1 kanji of JIS X 0208, the 2,350 Hangul syllables of KS X 1001, CJK punctuation, kana,
the full-width forms and printable ASCII. Needs fontTools (pip install fonttools).

    python3 scripts/make-cjk-font.py JIEBA_DICT [FONT]

JIEBA_DICT is jieba-rs' src/data/dict.txt (in ~/.cargo/registry/src/*/jieba-rs-*/);
FONT defaults to /usr/share/fonts/truetype/wqy/wqy-microhei.ttc.
"""
import collections
import gzip
import os
import subprocess
import sys
import tempfile

HANZI = 3500


def ranked_hanzi(dict_path):
    freq = collections.Counter()
    with open(dict_path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            for c in parts[0]:
                if "\u4e00" <= c <= "\u9fff":
                    freq[c] += int(parts[1])
    # Ties broken by code point, so the set does not depend on the Counter's order.
    return [c for c, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))]


def double_byte_rows(codec, first, last):
    out = []
    for a in range(first, last + 1):
        for b in range(0xA1, 0xFF):
            try:
                out.append(bytes([a, b]).decode(codec))
            except UnicodeDecodeError:
                pass
    return out


def main():
    dict_path = sys.argv[1]
    font = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    chars = set(ranked_hanzi(dict_path)[:HANZI])
    # GB 2312 (both levels): the frequency list alone missed everyday characters of technical
    # text such as 栈 ("stack").
    chars |= set(double_byte_rows("gb2312", 0xB0, 0xF7))
    chars |= set(double_byte_rows("euc_jp", 0xB0, 0xCF))  # JIS X 0208 level 1 kanji
    chars |= set(double_byte_rows("euc_kr", 0xB0, 0xC8))  # KS X 1001 Hangul syllables
    chars |= {chr(c) for c in range(0x3000, 0x3100)}  # CJK punctuation, hiragana, katakana
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms
    # Printable ASCII: a label such as "北京 beijing" is drawn in one font, so the CJK font
    # needs the Latin letters too.
    chars |= {chr(c) for c in range(0x20, 0x7F)}
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "assets", "fonts", "cjk-subset.ttf.gz")
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "chars.txt")
        with open(text, "w", encoding="utf-8") as f:
            f.write("".join(sorted(chars)))
        ttf = os.path.join(tmp, "subset.ttf")
        subprocess.run(
            [sys.executable, "-m", "fontTools.subset", font, "--font-number=0",
             f"--text-file={text}", f"--output-file={ttf}", "--no-hinting",
             "--desubroutinize", "--layout-features=", "--name-IDs=*", "--notdef-outline"],
            check=True,
        )
        data = open(ttf, "rb").read()
    with open(out, "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(chars)} characters: {len(data)} bytes, {os.path.getsize(out)} gzipped -> {out}")


if __name__ == "__main__":
    main()
