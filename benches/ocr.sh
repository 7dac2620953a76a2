#!/usr/bin/env bash
# Reading scans: Qujat's OCR against the `tesseract` command on the same
# images, in the same run. Not part of CI.
#
#   benches/ocr.sh            (RUNS=10 by default)
#
# Renders its own images with known truth (ImageMagick, the OCR-B font of
# Debian's fonts-ocr-b, DejaVu Sans), then times:
#
#   1. the MRZ of a 300 dpi passport data page (the ICAO 9303 specimen,
#      OCR-B at the zone's own size): `qujat inspect FILE --json` until it
#      prints its answer, and whether that holds the zone with valid check
#      digits (target: under 1 s median);
#   2. one A4 page of text at 300 dpi, in English and in Russian (target:
#      under 3 s);
#   3. the 15-file bench dossier of benches/inspect.sh with four of its
#      files replaced by these scans (a passport JPEG, two text-page JPEGs,
#      a two-page image-only PDF): the cold `check --reinspect` (target:
#      under 20 s) and the warm re-check, which inspects nothing (target:
#      under 50 ms);
#   4. what each read: the share of a page's words found in its text, for
#      Qujat and for tesseract;
#   5. the inspector child's peak memory on each image, as `/usr/bin/time
#      -v` reports the largest resident set among qujat and the child it
#      waited for (target: under 512 MiB).
#
# The tesseract command runs what the inspector's first pass runs: the
# eng+rus+kaz models, page segmentation 1 (with orientation detection),
# 300 dpi, one thread (the child sets OMP_THREAD_LIMIT=1). Qujat's figure
# also includes starting the child, decoding the image and, on the
# passport, the second pass over the zone. Timings by hyperfine when
# installed (apt-get install hyperfine), else a loop with the median.
# Release build of the CLI only. Like the app, `qujat` needs the keychain
# (a Secret Service on D-Bus) or QUJAT_PASSPHRASE, which would add its
# Argon2 unlock to every run: run it inside a desktop session.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
OCR_B=/usr/share/fonts/opentype/ocr-b/OCRB.otf
SANS=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
for tool in convert img2pdf tesseract /usr/bin/time; do
  command -v "$tool" >/dev/null || {
    echo "ocr.sh: $tool is needed (scripts/setup-debian.sh)" >&2
    exit 1
  }
done

cargo build --release -q -p qujat-cli --bin qujat
cargo build --release -q -p qujat-core --example bench_inspect
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/qujat
GEN=$TARGET/release/examples/bench_inspect

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/qujat-ocr-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ------------------------------------------------------------------ images
# A TD3 data page (125 x 88 mm at 300 dpi) with the ICAO 9303 specimen's
# zone, a little noise and JPEG compression, as a phone scan app gives.
# OCR-B at 10 pt has the zone's 2.54 mm pitch: 44 letters, 1,320 pixels.
convert -density 300 -units PixelsPerInch -size 1476x1039 xc:white \
  -font "$SANS" -pointsize 9 -fill black \
  -annotate +60+90 "PASSPORT   Type P   Code UTO   Passport No. L898902C3" \
  -annotate +500+200 "Surname: ERIKSSON" \
  -annotate +500+260 "Given names: ANNA MARIA" \
  -annotate +500+320 "Date of birth: 12 AUG 1974" \
  -annotate +500+380 "Date of expiry: 15 APR 2012" \
  -fill gray70 -draw "rectangle 60,150 440,650" -fill black \
  -font "$OCR_B" -pointsize 10 \
  -annotate +78+900 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<" \
  -annotate +78+980 "L898902C36UTO7408122F1204159ZE184226B<<<<<10" \
  -attenuate 0.3 +noise Gaussian -quality 85 "$WORK/passport.jpg"

# One A4 page (2480 x 3508 at 300 dpi) of running text, 11 pt, 52 lines
# of up to 78 letters (wrapped by Python: fold counts bytes, not Cyrillic
# letters, and ImageMagick 6's caption: fails on long text).
page() {
  local text=$1 out=$2 body
  body=$(python3 -c '
import sys, textwrap
lines = []
while len(lines) < 52:
    lines += textwrap.wrap(sys.argv[1], 78) + [""]
print("\n".join(lines[:52]))' "$text")
  printf '%s\n' "$body" >"$WORK/$out.txt"
  convert -density 300 -units PixelsPerInch -size 2480x3508 xc:white -fill black \
    -font "$SANS" -pointsize 11 -annotate +200+250 "$body" \
    -attenuate 0.2 +noise Gaussian -quality 85 "$WORK/$out"
}
page "Curriculum vitae. Ada Lovelace, born 10 December 1985 in London, machine learning engineer. \
From 14 March 2019 to 31 August 2024 she led the data platform team at Analytical Engines Ltd, \
designing training pipelines for neural network models used in production by three banks. \
She holds a master's degree in mathematics from the University of London (2010) and a \
certificate in distributed systems issued on 2 February 2021." page-en.jpg
page "Справка об отсутствии судимости. Настоящая справка выдана гражданке Лавлейс Аде, \
родившейся 10 декабря 1985 года, в том, что по учётам информационного центра она к уголовной \
ответственности не привлекалась. Справка действительна в течение трёх месяцев со дня выдачи \
и выдана для представления в миграционную службу Республики Казахстан, город Астана, 14.03.2025." page-ru.jpg
img2pdf "$WORK/page-ru.jpg" "$WORK/passport.jpg" -o "$WORK/scan.pdf"

# ------------------------------------------------------------------ reading
# What each reads, before timing it: the share of the page's words found
# in the text (each word counted as often as it is on the page), and for
# the passport whether the zone was read with valid check digits.
qujat_text() {
  "$BIN" inspect "$1" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("\n".join(p.get("text", "") for p in (d.get("ocr") or {}).get("pages", [])))'
}
recall() {
  python3 - "$1" "$2" <<'PY'
import collections, re, sys
words = lambda path: collections.Counter(re.findall(r"\w+", open(path, encoding="utf-8").read().lower()))
truth, read = words(sys.argv[1]), words(sys.argv[2])
print(f"{100 * sum((truth & read).values()) / max(1, sum(truth.values())):.1f} %")
PY
}
echo "| Page | Words read by qujat | by tesseract |" >"$WORK/read.md"
echo "|---|---:|---:|" >>"$WORK/read.md"
for img in page-en.jpg page-ru.jpg; do
  qujat_text "$WORK/$img" >"$WORK/$img.qujat"
  OMP_THREAD_LIMIT=1 tesseract --dpi 300 --psm 1 -l eng+rus+kaz "$WORK/$img" stdout 2>/dev/null >"$WORK/$img.tess"
  echo "| $img | $(recall "$WORK/$img.txt" "$WORK/$img.qujat") | $(recall "$WORK/$img.txt" "$WORK/$img.tess") |" >>"$WORK/read.md"
done
mrz=$("$BIN" inspect "$WORK/passport.jpg" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
m = d.get("mrz")
zone = " / ".join((p.get("zone") or "").replace("\n", " / ") for p in (d.get("ocr") or {}).get("pages", []))
if m and m.get("valid") and m.get("documentNumber") == "L898902C3":
    print("read, check digits valid: " + ", ".join([m["documentNumber"], m["surname"], "expires " + m["expiryDate"]]))
else:
    print("NOT read valid; the zone as read: " + (zone or "none"))')
printf '\npassport.jpg, its MRZ: %s\n' "$mrz" >>"$WORK/read.md"

# ------------------------------------------------------------------ dossier
DATA=$WORK/data
ID=$("$GEN" "$DATA" \
  passport-copy="$WORK/passport.jpg" \
  medical-certificate="$WORK/page-en.jpg" \
  police-clearance="$WORK/page-ru.jpg" \
  attested-passport-copy="$WORK/scan.pdf")
"$BIN" --data-dir "$DATA" check "$ID" >/dev/null || true
cat "$WORK"/*.jpg "$WORK"/*.pdf >/dev/null
echo "images: passport $(identify -format '%wx%h' "$WORK/passport.jpg"), A4 pages $(identify -format '%wx%h' "$WORK/page-en.jpg"), 300 dpi; $(nproc --all) cores; $(tesseract --version 2>&1 | head -n 1)" >&2

cores=$(nproc) # before OMP_THREAD_LIMIT, which nproc obeys
export OMP_THREAD_LIMIT=1
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
tess="tesseract --dpi 300 --psm 1 -l eng+rus+kaz"

# hyperfine's JSON gives the median; CPU time (user + system, the process
# and its children) is shown too, since on a shared machine the wall clock
# also counts waiting for the other jobs' cores.
table() {
  python3 - "$@" <<'PY'
import json, sys
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        print(f"| {r['command']} | {r['median']:.3f} | {r['min']:.3f} | {r['user'] + r['system']:.3f} |")
PY
}
if command -v hyperfine >/dev/null; then
  hyperfine --runs "$RUNS" --warmup 1 --style basic --export-json "$WORK/pages.json" \
    -n "MRZ: qujat inspect passport.jpg --json" "$BIN inspect $WORK/passport.jpg --json" \
    -n "MRZ: tesseract passport.jpg" "$tess $WORK/passport.jpg stdout" \
    -n "A4 English: qujat inspect --json" "$BIN inspect $WORK/page-en.jpg --json" \
    -n "A4 English: tesseract" "$tess $WORK/page-en.jpg stdout" \
    -n "A4 Russian: qujat inspect --json" "$BIN inspect $WORK/page-ru.jpg --json" \
    -n "A4 Russian: tesseract" "$tess $WORK/page-ru.jpg stdout" >&2
  hyperfine --runs "$RUNS" --warmup 1 -i --style basic --export-json "$WORK/dossier.json" \
    -n "cold: qujat check --reinspect (15 files, 4 of them scans)" "$BIN --data-dir $DATA check $ID --reinspect" \
    -n "warm: qujat check (cached, nothing inspected)" "$BIN --data-dir $DATA check $ID" >&2
  echo
  echo "$cores cores; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| Command | Median (s) | Min (s) | CPU, mean (s) |"
  echo "|---|---:|---:|---:|"
  table "$WORK/pages.json" "$WORK/dossier.json"
  echo
  cat "$WORK/read.md"
else
  echo "hyperfine not installed; timing with a loop (median of $RUNS)" >&2
  measure() {
    local label=$1 cmd=$2 times=()
    for _ in $(seq "$RUNS"); do
      local s e
      s=$(date +%s.%N)
      bash -c "$cmd" >/dev/null 2>&1 || true
      e=$(date +%s.%N)
      times+=("$(echo "$e - $s" | bc)")
    done
    printf '| %s | %s |\n' "$label" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")"
  }
  echo "| Command | Median seconds |"
  echo "|---|---:|"
  measure "MRZ: qujat inspect passport.jpg --json" "$BIN inspect $WORK/passport.jpg --json"
  measure "MRZ: tesseract passport.jpg" "$tess $WORK/passport.jpg stdout"
  measure "A4 English: qujat inspect --json" "$BIN inspect $WORK/page-en.jpg --json"
  measure "A4 English: tesseract" "$tess $WORK/page-en.jpg stdout"
  measure "A4 Russian: qujat inspect --json" "$BIN inspect $WORK/page-ru.jpg --json"
  measure "A4 Russian: tesseract" "$tess $WORK/page-ru.jpg stdout"
  measure "cold: qujat check --reinspect" "$BIN --data-dir $DATA check $ID --reinspect"
  measure "warm: qujat check" "$BIN --data-dir $DATA check $ID"
  echo
  cat "$WORK/read.md"
fi

# ------------------------------------------------------------------ memory
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}'; }
echo
echo "| Peak memory (max RSS) | qujat inspect (parent + inspector child) | tesseract |"
echo "|---|---:|---:|"
for img in passport.jpg page-en.jpg page-ru.jpg scan.pdf; do
  if [[ $img == *.pdf ]]; then
    t="n/a (PDF)"
  else
    # shellcheck disable=SC2086 # $tess is a command line
    t="$(rss $tess "$WORK/$img" stdout) MiB"
  fi
  echo "| $img | $(rss "$BIN" inspect "$WORK/$img" --json) MiB | $t |"
done
echo "| cold check of the dossier | $(rss "$BIN" --data-dir "$DATA" check "$ID" --reinspect) MiB | |"
