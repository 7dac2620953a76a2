#!/usr/bin/env bash
# Making files fit (#13): `qujat combine` against img2pdf on ten phone
# photos, and `qujat fix --shrink` against Ghostscript's /ebook preset on a
# scanned PDF, in the same run, for time, peak memory, output size and how
# much of the picture survives. Not part of CI.
#
#   benches/fix.sh            (RUNS=5 by default)
#
# Targets (#13): combining ten 12-megapixel JPEGs under 2 s and 256 MiB;
# shrinking a ~30 MB scan under 10 MB in under 5 s.
#
# Inputs, made here with ImageMagick: ten 4000x3000 JPEGs (a gradient, light
# noise so they do not compress to nothing, a line of text; quality 90,
# 72 dpi as phones write), and ten A4 pages of 11 pt text at 300 dpi with
# noise (quality 90), made into one PDF by img2pdf. The photos go to the
# kz-in-demand pack's `diploma`, the scan to its `sector-petition` (both:
# 10 MiB limit, 200 dpi floor for shrinking). img2pdf gets `--pagesize
# A4^T`, the landscape A4 page Qujat gives a photo without a believable
# resolution, so both render the same page; Ghostscript runs
# `-sDEVICE=pdfwrite -dPDFSETTINGS=/ebook` (images down to 150 dpi).
#
# Qujat runs on a throwaway data folder whose key is protected by a
# passphrase (QUJAT_PASSPHRASE, as the CLI tests do), so every run includes
# the Argon2 unlock; that alone is timed too (`qujat list`). Each shrink run
# attaches the 30 MB scan again first (hyperfine --prepare, not timed).
# Qujat's times include inspecting the file made, as for any attached file
# (OCR of an image-only PDF's pages); img2pdf and gs only write theirs.
# Peak memory is GNU time's "Maximum resident set size": on Linux that is
# the largest of the process and the children it waited for (not their
# sum), so for qujat it is the larger of the CLI and its inspector child,
# which does the work. Legibility: page 1 of each output rendered by
# pdftoppm, against the source rendered the same way (the photo scaled to
# the page), as PSNR in dB (higher is closer; identical is inf) at 100 dpi
# and at 200 dpi, where a 150 dpi downsample shows. Release build of the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SANS=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
for tool in convert compare img2pdf gs pdftoppm pdfinfo /usr/bin/time; do
  command -v "$tool" >/dev/null || {
    echo "fix.sh: $tool is needed (scripts/setup-debian.sh)" >&2
    exit 1
  }
done

cargo build --release -q -p qujat-cli --bin qujat
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/qujat

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/qujat-fix-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ------------------------------------------------------------------ inputs
PHOTOS=()
for i in $(seq -w 1 10); do
  convert -size 4000x3000 gradient:khaki-steelblue -attenuate 0.3 +noise Gaussian \
    -font "$SANS" -pointsize 90 -fill black \
    -annotate +300+700 "Photo $i: diploma page, Ministry of Education" \
    -annotate +300+1000 "Qujat benchmark 0123456789" \
    -density 72 -units PixelsPerInch -quality 90 "$WORK/photo-$i.jpg"
  PHOTOS+=("$WORK/photo-$i.jpg")
done
text=$(for _ in $(seq 60); do echo 'Certificate of employment. The quick brown fox jumps over the lazy dog, 0123456789.'; done)
for i in $(seq -w 1 10); do
  convert -density 300 -units PixelsPerInch -size 2480x3508 xc:white -font "$SANS" \
    -pointsize 11 -fill black -annotate +200+300 "Page $i. $text" \
    -attenuate 0.4 +noise Gaussian -quality 90 "$WORK/page-$i.jpg"
done
img2pdf "$WORK"/page-*.jpg -o "$WORK/scan.pdf"
mib() { python3 -c "import os, sys; print(f'{os.path.getsize(sys.argv[1]) / 2**20:.1f}')" "$1"; }
photos_mib=$(cat "${PHOTOS[@]}" | wc -c | awk '{printf "%.1f", $1 / 1048576}')
echo "inputs: 10 photos $(identify -format '%wx%h' "${PHOTOS[0]}"), $photos_mib MiB; scan.pdf $(mib "$WORK/scan.pdf") MiB, 10 A4 pages at 300 dpi; $(nproc) cores" >&2

# ------------------------------------------------------------------ dossier
export QUJAT_DATA_DIR=$WORK/data QUJAT_PASSPHRASE="bench passphrase" LANG=C
unset QUJAT_INSPECT_LOG QUJAT_NEW_PASSPHRASE QUJAT_RULES_URL
ID=$("$BIN" new --program kz-in-demand --name "Bench Applicant")
cat "${PHOTOS[@]}" "$WORK/scan.pdf" >/dev/null

combine="$BIN combine $ID diploma ${PHOTOS[*]}"
img2pdf_cmd="img2pdf --pagesize A4^T ${PHOTOS[*]} -o $WORK/img2pdf.pdf"
attach="$BIN add $ID sector-petition $WORK/scan.pdf"
shrink="$BIN fix $ID sector-petition --shrink"
gs_cmd="gs -q -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook -o $WORK/gs.pdf $WORK/scan.pdf"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if command -v hyperfine >/dev/null; then
  hyperfine --runs "$RUNS" --warmup 1 --style basic --export-json "$WORK/t1.json" \
    -n "qujat list (the passphrase unlock alone)" "$BIN list" \
    -n "qujat combine (10 photos)" "$combine" \
    -n "img2pdf (10 photos)" "$img2pdf_cmd" >&2
  hyperfine --runs "$RUNS" --warmup 1 --style basic --export-json "$WORK/t2.json" \
    --prepare "$attach" -n "qujat fix --shrink (scan.pdf)" "$shrink" \
    -n "gs /ebook (scan.pdf)" "$gs_cmd" >&2
  python3 - "$WORK/t1.json" "$WORK/t2.json" >"$WORK/times" <<'PY'
import json, sys
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        print(f"{r['command']}\t{r['mean']:.2f}\t{r['min']:.2f}\t{r['user'] + r['system']:.2f}")
PY
else
  echo "hyperfine not installed; one run each, timed by /usr/bin/time" >&2
  once() {
    /usr/bin/time -f "%e" bash -c "$2" 2>&1 >/dev/null | tail -n 1 | awk -v n="$1" '{print n "\t" $1 "\t" $1 "\t-"}'
  }
  {
    once "qujat list (the passphrase unlock alone)" "$BIN list"
    once "qujat combine (10 photos)" "$combine"
    once "img2pdf (10 photos)" "$img2pdf_cmd"
    $attach >/dev/null
    once "qujat fix --shrink (scan.pdf)" "$shrink"
    once "gs /ebook (scan.pdf)" "$gs_cmd"
  } >"$WORK/times"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ memory
rss() { /usr/bin/time -v bash -c "$1" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}'; }
# No bash -c layer for qujat: time waits for qujat itself, qujat for its child.
rss_direct() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}'; }
m_combine=$(rss_direct "$BIN" combine "$ID" diploma "${PHOTOS[@]}")
m_img2pdf=$(rss "$img2pdf_cmd")
$attach >/dev/null
m_shrink=$(rss_direct "$BIN" fix "$ID" sector-petition --shrink)
m_gs=$(rss "$gs_cmd")

# ------------------------------------------------------------------ outputs
# The vault is encrypted: take the attached files out through a folder
# package of the stage that holds both requirements.
"$BIN" pack "$ID" --stage petition --out "$WORK/pack" --folder --allow-incomplete --force >/dev/null
q_combined=$(find "$WORK/pack" -iname '*diploma*.pdf' | head -n 1)
q_shrunk=$(find "$WORK/pack" -iname '*petition*.pdf' | head -n 1)

# PSNR of page 1 of $2 against the reference $1 (an image), at $3 dpi.
psnr() {
  pdftoppm -r "$3" -f 1 -l 1 -singlefile -png "$2" "$WORK/r" >/dev/null
  local size
  size=$(identify -format '%wx%h' "$WORK/r.png")
  convert "$1" -resize "$size!" "$WORK/ref.png"
  compare -metric PSNR "$WORK/ref.png" "$WORK/r.png" null: 2>&1 | awk '{printf "%.1f", $1}'
}
pdftoppm -r 100 -f 1 -l 1 -singlefile -png "$WORK/scan.pdf" "$WORK/src100"
pdftoppm -r 200 -f 1 -l 1 -singlefile -png "$WORK/scan.pdf" "$WORK/src200"

row() { # name, output file, memory, PSNR at 100, PSNR at 200
  IFS=$'\t' read -r _ mean min cpu < <(grep -F "$1" "$WORK/times")
  echo "| $1 | $mean | $min | $cpu | $3 | $(mib "$2") | $4 | $5 |"
}
echo
echo "$(nproc) cores; load average before: $load_before, after: $load_after; $RUNS runs each"
echo
echo "| Command | Mean (s) | Min (s) | CPU, mean (s) | Peak RSS (MiB) | Output (MiB) | PSNR 100 dpi (dB) | PSNR 200 dpi (dB) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
grep -F "qujat list" "$WORK/times" | awk -F'\t' '{print "| " $1 " | " $2 " | " $3 " | " $4 " | | | | |"}'
row "qujat combine (10 photos)" "$q_combined" "$m_combine" "$(psnr "${PHOTOS[0]}" "$q_combined" 100)" "$(psnr "${PHOTOS[0]}" "$q_combined" 200)"
row "img2pdf (10 photos)" "$WORK/img2pdf.pdf" "$m_img2pdf" "$(psnr "${PHOTOS[0]}" "$WORK/img2pdf.pdf" 100)" "$(psnr "${PHOTOS[0]}" "$WORK/img2pdf.pdf" 200)"
row "qujat fix --shrink (scan.pdf)" "$q_shrunk" "$m_shrink" "$(psnr "$WORK/src100.png" "$q_shrunk" 100)" "$(psnr "$WORK/src200.png" "$q_shrunk" 200)"
row "gs /ebook (scan.pdf)" "$WORK/gs.pdf" "$m_gs" "$(psnr "$WORK/src100.png" "$WORK/gs.pdf" 100)" "$(psnr "$WORK/src200.png" "$WORK/gs.pdf" 200)"
echo
# Whether combine and img2pdf embedded the first photo unchanged.
same() {
  pdfimages -f 1 -l 1 -j "$1" "$WORK/img" && cmp -s "$WORK/img-000.jpg" "${PHOTOS[0]}" && echo yes || echo no
}
echo "Photo 1 embedded byte for byte: qujat $(same "$q_combined"), img2pdf $(same "$WORK/img2pdf.pdf")."
echo "Inputs: 10 photos, $photos_mib MiB; scan.pdf $(mib "$WORK/scan.pdf") MiB. Shrunk images: $(pdfimages -list "$q_shrunk" 2>/dev/null | awk 'NR == 3 {print $4 "x" $5 ", " $13 " dpi"}') (qujat), $(pdfimages -list "$WORK/gs.pdf" 2>/dev/null | awk 'NR == 3 {print $4 "x" $5 ", " $13 " dpi"}') (gs)."
