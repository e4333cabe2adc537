#!/bin/sh
# Render the bundled sample's November bulletin (HTML) with headless Chromium to PNG and PDF.
#
#   bench/screenshot.sh [OUT_DIR]      (default: docs/; needs root or sudo only to install packages)
#
# Installs the Debian packages chromium and fonts-noto-cjk when they are missing (the Chinese
# text needs the Noto CJK fonts), then writes OUT_DIR/bulletin-2026-11.png (the first page, as
# the README shows it) and OUT_DIR/bulletin-2026-11.pdf (every page, A4 landscape, the print
# stylesheet's layout).
set -eu
cd "$(dirname "$0")/.."
out="${1:-docs}"
mkdir -p "$out"
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing:$missing" >&2
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
python="${PYTHON:-python3}"
[ -x .venv/bin/python ] && python="${PYTHON:-.venv/bin/python}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}" "$python" -m sanshi_cli bulletin --month 2026-11 --as-of 2026-12-01 \
    --format html -o "$tmp/bulletin.html" -f data/projects.toml
# 1400 px wide (the page's own width at A4 landscape, plus margins), the first screen of it
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1400,1900 --screenshot="$tmp/full.png" "file://$tmp/bulletin.html" 2>/dev/null
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$out/bulletin-2026-11.pdf" "file://$tmp/bulletin.html" 2>/dev/null
# keep the PNG small for the README (palette, ~256 colours) when a converter is at hand
if command -v pngquant >/dev/null 2>&1; then
    pngquant --force --quality 60-90 --output "$out/bulletin-2026-11.png" "$tmp/full.png"
else
    cp "$tmp/full.png" "$out/bulletin-2026-11.png"
fi
ls -l "$out/bulletin-2026-11.png" "$out/bulletin-2026-11.pdf"
