#!/usr/bin/env bash
# Render a Word bulletin through LibreOffice to PDF, then its pages to PNG (pdftoppm), to check the
# layout by eye (the page image in docs/bulletin-page1.png was made this way).
#
#   scripts/render_bulletin.sh FILE.docx [OUTDIR]          # → OUTDIR/FILE.pdf, OUTDIR/FILE-1.png …
#   scripts/render_bulletin.sh --demo [OUTDIR]             # generate the demo's 2022-06 quarterly bulletin first
#
# Needs LibreOffice (writer) and poppler-utils; Chinese text renders with the machine's CJK fonts
# (fonts-wqy-microhei here) in place of the official 仿宋/黑体/小标宋. Each run uses its own LibreOffice
# profile (-env:UserInstallation), so parallel conversions do not collide.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--demo" ]; then
  out=${2:-"$here/var/render"}
  mkdir -p "$out"
  docx="$out/bulletin-2022-06.docx"
  "$here/.venv/bin/tuijin" bulletin --period 2022-06 --quarterly --date 2022-07-15 -o "$docx" --xlsx "$out/bulletin-2022-06.xlsx"
else
  docx=${1:?usage: render_bulletin.sh FILE.docx [OUTDIR] | --demo [OUTDIR]}
  out=${2:-"$(dirname "$docx")"}
fi
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice="$(command -v soffice || command -v libreoffice)"
"$soffice" -env:UserInstallation="file://$profile" --headless --norestore --convert-to pdf --outdir "$out" "$docx" >/dev/null
pdf="$out/$(basename "${docx%.*}").pdf"
pdftoppm -png -r 110 "$pdf" "${pdf%.pdf}"
echo "$pdf"
ls "${pdf%.pdf}"-*.png
