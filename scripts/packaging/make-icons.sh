#!/usr/bin/env bash
# Renders the app icon (packaging/icon.svg) into the files each platform needs, committed beside it:
#   packaging/icons/NxN.png  Linux (AppImage, deb), 16 to 1024 pixels
#   packaging/icon.ico       Windows (NSIS and the .exe), 16 to 256 pixels
#   packaging/icon.icns      macOS (dmg and the .app), 16 to 1024 pixels
# Needs rsvg-convert and ImageMagick: apt-get install -y librsvg2-bin imagemagick. Only run it
# after changing the SVG; building installers uses the committed files and needs neither.
set -euo pipefail
cd "$(dirname "$0")/../.."
# ImageMagick's own convert (a stand-in of that name may come first on PATH).
CONVERT=/usr/bin/convert
[ -x "$CONVERT" ] || CONVERT=$(command -v convert)

svg=packaging/icon.svg
out=packaging/icons
mkdir -p "$out"
for px in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert -w "$px" -h "$px" "$svg" -o "$out/${px}x${px}.png"
done
"$CONVERT" "$out"/{16x16,24x24,32x32,48x48,64x64,128x128,256x256}.png packaging/icon.ico
npx tsx scripts/packaging/write-icns.ts packaging/icon.icns "$out"
