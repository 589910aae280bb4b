#!/usr/bin/env python3
"""Builds a Simplified-Chinese training corpus from Debian's Chinese documentation packages.

    python3 scripts/zh-corpus.py OUT.txt [--work DIR]

Downloads (never installs) debian-reference-zh-cn, manpages-zh (zh_CN pages only),
libreoffice-help-zh-cn and gimp-help-zh-cn with `apt-get download` (run `apt-get update`
once before), unpacks them with `dpkg-deb -x` into DIR (default: a temporary folder), strips
the markup (HTML, roff) and writes the text: one sentence a line, cut after 。！？；, only
lines that hold Chinese, code listings and duplicate lines left out. Needs only Python's
standard library, apt-get and dpkg-deb. Prints the size of what it wrote.
"""
import argparse
import gzip
import html.parser
import pathlib
import re
import subprocess
import sys
import tempfile

PACKAGES = [
    "debian-reference-zh-cn",
    "manpages-zh",
    "libreoffice-help-zh-cn",
    "gimp-help-zh-cn",
]
# Elements whose end closes a line of text.
BLOCKS = {
    "p", "div", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "title", "caption", "figcaption", "br", "table", "ul", "ol", "dl", "blockquote",
    "section", "article", "header", "footer", "nav",
}
# Elements whose text is not prose.
SKIP = {"script", "style", "pre", "code", "kbd", "samp", "tt", "head"}
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
SENTENCE_END = re.compile(r"(?<=[。！？；])")


class Text(html.parser.HTMLParser):
    """Collects the text of an HTML page, a line per block element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.cur, self.skip = [], [], 0

    def flush(self):
        line = " ".join("".join(self.cur).split())
        if line:
            self.lines.append(line)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def html_lines(path):
    p = Text()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    p.close()
    p.flush()
    return p.lines


ROFF_FONT = re.compile(r"\\f(\[[^\]]*\]|\(..|.)")
ROFF_SPECIAL = re.compile(r"\\(\(..|\[[^\]]*\]|[&,/:|^%])")
# Point size (\s-1, \s0, \s+2, \s[10]), "continue the line" (\c) and zero-width marks.
ROFF_SIZE = re.compile(r"\\s(\[[^\]]*\]|[-+]?\d)|\\c|\\[dukz)]")


def roff_text(s):
    s = ROFF_FONT.sub("", s)
    s = s.replace("\\-", "-").replace("\\e", "\\").replace("\\ ", " ")
    s = ROFF_SPECIAL.sub("", s)
    s = ROFF_SIZE.sub("", s)
    return s.replace('"', " ")


def man_lines(path):
    """The prose of a roff man page: paragraphs joined, macros and escapes removed."""
    raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    lines, para, nofill = [], [], False

    def flush():
        line = " ".join(" ".join(para).split())
        if line:
            lines.append(line)
        para.clear()

    for line in text.splitlines():
        if line.startswith((".\\\"", "'\\\"")):
            continue
        if line.startswith((".", "'")):
            parts = line[1:].split(None, 1)
            macro = parts[0] if parts else ""
            arg = parts[1] if len(parts) > 1 else ""
            if macro in ("nf", "EX"):
                flush()
                nofill = True
            elif macro in ("fi", "EE"):
                nofill = False
            elif macro in ("SH", "SS", "PP", "P", "LP", "TP", "IP", "HP", "sp", "br", "TH"):
                flush()
                if macro in ("SH", "SS") and arg:
                    lines.append(roff_text(arg).strip())
            elif macro in ("B", "I", "BR", "IR", "RB", "RI", "BI", "IB", "SM", "SB"):
                para.append(roff_text(arg))
            continue
        if not nofill:
            para.append(roff_text(line))
    flush()
    return lines


def sources(root):
    """(kind, path) of every document, in a fixed order."""
    out = []
    ref = root / "debian-reference-zh-cn/usr/share/debian-reference"
    out += [("html", p) for p in sorted(ref.glob("*.zh-cn.html"))]
    man = root / "manpages-zh/usr/share/man/zh_CN"
    out += [("man", p) for p in sorted(man.rglob("*")) if p.is_file()]
    lo = root / "libreoffice-help-zh-cn/usr/share/libreoffice/help/zh-CN"
    out += [("html", p) for p in sorted(lo.rglob("*.html"))]
    gimp = root / "gimp-help-zh-cn/usr/share/gimp/2.0/help/zh_CN"
    out += [("html", p) for p in sorted(gimp.rglob("*.html"))]
    return out


def fetch(work):
    debs = work / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["apt-get", "download", *PACKAGES], cwd=debs).returncode != 0:
        # Stale package lists name versions the mirror no longer has (404).
        sys.exit("zh-corpus.py: `apt-get download` failed; the package lists may be stale: "
                 "run `apt-get update` (as root) and try again")
    for deb in sorted(debs.glob("*.deb")):
        name = deb.name.split("_", 1)[0]
        dest = work / "x" / name
        dest.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(dest)], check=True)
    return work / "x"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--work", type=pathlib.Path, help="download/unpack here (kept)")
    ap.add_argument("--no-download", action="store_true", help="reuse DIR/x from a former run")
    args = ap.parse_args()
    tmp = None
    work = args.work
    if work is None:
        tmp = tempfile.TemporaryDirectory()
        work = pathlib.Path(tmp.name)
    root = work / "x" if args.no_download else fetch(work)
    seen, kept, per_pkg = set(), [], {}
    for kind, path in sources(root):
        pkg = path.relative_to(root).parts[0]
        lines = html_lines(path) if kind == "html" else man_lines(path)
        for line in lines:
            for s in SENTENCE_END.split(line):
                s = s.strip()
                if len(CJK.findall(s)) < 2 or s in seen:
                    continue
                seen.add(s)
                kept.append(s)
                per_pkg[pkg] = per_pkg.get(pkg, 0) + len(s.encode())
    tmp_out = args.out.with_name(args.out.name + ".part")
    tmp_out.write_text("\n".join(kept) + "\n", encoding="utf-8")
    tmp_out.replace(args.out)
    total = sum(per_pkg.values())
    chars = sum(len(CJK.findall(s)) for s in kept)
    print(f"{args.out}: {len(kept)} lines, {total / 1e6:.1f} MB, {chars} Chinese characters")
    for pkg, n in sorted(per_pkg.items()):
        print(f"  {pkg}: {n / 1e6:.1f} MB")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
