#!/usr/bin/env bash
# Vendor the Simplified Chinese font that matplotlib uses for chart images in bulletins.
#
# Source: the npm package @expo-google-fonts/noto-sans-sc (Google Fonts' Noto Sans SC, static TTF,
# SIL Open Font License 1.1 — the licence text ships in the package as LICENSE_FONT). The full
# Regular TTF is 10.5 MB; we keep only what charts need — GB 2312 (6,763 hanzi and its symbols),
# ASCII/Latin-1, CJK and full-width punctuation, and every character of the plan file — with
# fontTools' subsetter (a matplotlib dependency, already in the virtualenv). Run once; the result
# is committed, so nothing is fetched at run time and `make run` needs no apt font.
#
#   scripts/vendor_font.sh            # writes src/tuijin/bulletins/fonts/
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/src/tuijin/bulletins/fonts"
python="${PYTHON:-$here/.venv/bin/python}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PACKAGE=@expo-google-fonts/noto-sans-sc
VERSION=0.4.3
cd "$work"
npm pack --silent "$PACKAGE@$VERSION" >/dev/null
mkdir x && tar xzf ./*.tgz -C x
src_ttf="x/package/400Regular/NotoSansSC_400Regular.ttf"
mkdir -p "$dest"
"$python" - "$src_ttf" "$dest/NotoSansSC-Regular-subset.ttf" "$here/plans" <<'PY'
import sys
from pathlib import Path

from fontTools import subset

source, target, plans = sys.argv[1], sys.argv[2], Path(sys.argv[3])
chars: set[str] = set()
# Every character of the GB 2312 character set (rows 0xA1–0xF7, cells 0xA1–0xFE).
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))          # ASCII
chars.update(chr(c) for c in range(0xA0, 0x100))         # Latin-1
chars.update(chr(c) for c in range(0x2000, 0x2070))      # general punctuation (— ‰ …)
chars.update(chr(c) for c in range(0x2100, 0x2200))      # letterlike (℃ №), arrows
chars.update(chr(c) for c in range(0x2460, 0x24FF))      # circled numbers
chars.update(chr(c) for c in range(0x3000, 0x3040))      # CJK punctuation (〔〕《》“”)
chars.update(chr(c) for c in range(0xFF00, 0xFFF0))      # full-width forms (％（），：)
for plan in sorted(plans.glob("*.yaml")):                 # unit names and labels of every plan
    chars.update(plan.read_text(encoding="utf-8"))
chars = {c for c in chars if c.isprintable()}
options = subset.Options()
options.layout_features = ["*"]
options.name_IDs = ["*"]
options.name_languages = ["*"]
options.notdef_outline = True
options.glyph_names = False
font = subset.load_font(source, options)
subsetter = subset.Subsetter(options)
subsetter.populate(unicodes=[ord(c) for c in chars])
subsetter.subset(font)
subset.save_font(font, target, options)
print(f"{target}: {len(font.getBestCmap())} characters, {Path(target).stat().st_size:,} bytes")
PY
cp x/package/LICENSE_FONT "$dest/OFL.txt"
cat > "$dest/VERSIONS" <<V
$PACKAGE $VERSION (font: Noto Sans SC 2.004, SIL Open Font License 1.1, see OFL.txt)
NotoSansSC-Regular-subset.ttf = 400Regular/NotoSansSC_400Regular.ttf subset by scripts/vendor_font.sh
  to GB 2312 + ASCII/Latin-1 + CJK/full-width punctuation + the characters of plans/*.yaml
  (fontTools $("$python" -c 'import fontTools; print(fontTools.version)'))
V
echo "vendored into $dest"
