#!/usr/bin/env bash
# Qujat's PDF verdicts against poppler's on a folder of real-world PDFs, and
# the time each takes, in the same run. Not part of CI.
#
#   benches/pdf-corpus.sh CORPUS_DIR [QUJAT_BINARY]
#
# For every file in CORPUS_DIR (not recursive): `pdfinfo` says whether
# poppler opens it, its page count and whether it is encrypted (a file
# that needs a password counts as opened and encrypted, with no page
# count); Qujat's inspector (`qujat __inspect-child`, what `qujat inspect`
# and `check` run, with the same limits) gives Qujat's verdict, and
# `qujat inspect FILE --json` is run on a sample to show it agrees.
# Printed:
#   - unreadable: of the files poppler opens, how many Qujat calls
#     unreadable (any verdict but "inspected");
#   - pages: of the files poppler opens and counts pages of, how many Qujat
#     gives the same count for (an unreadable verdict counts as different);
#   - encryption: of the files poppler opens, how many Qujat says the same
#     "encrypted" and "needs a password" for;
#   - caught panics: verdicts that came from a panic caught in the child;
#   - time: the inspector on every file against `pdfinfo` then `pdftotext`
#     on every file, each timed around the tool alone, in the same loop.
# Per-file rows go to $OUT (default: a temporary file, named at the end);
# disagreements can be read there with Qujat's detail.
#
# Without QUJAT_BINARY the release `qujat` is built first. The data folder
# is a throwaway one under a passphrase, so no keychain is touched.
set -euo pipefail

CORPUS=${1:?usage: benches/pdf-corpus.sh CORPUS_DIR [QUJAT_BINARY]}
BIN=${2:-}
cd "$(dirname "$0")/.."
if [[ -z $BIN ]]; then
  cargo build --release -q -p qujat-cli --bin qujat
  BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/qujat
fi
for tool in pdfinfo pdftotext jq; do
  command -v "$tool" >/dev/null || {
    echo "needs $tool (apt-get install poppler-utils jq)" >&2
    exit 2
  }
done

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/qujat-pdf-corpus.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export QUJAT_DATA_DIR=$WORK/data QUJAT_PASSPHRASE=bench-only-passphrase
OUT=${OUT:-$(mktemp "${TMPDIR:-/var/tmp}/qujat-pdf-corpus-rows.XXXXXX")}

mapfile -t FILES < <(find "$CORPUS" -maxdepth 1 -type f | LC_ALL=C sort)
cat "${FILES[@]}" >/dev/null

# poppler: "yes PAGES ENCRYPTED NEEDS_PASSWORD" or "no - - -".
poppler() {
  local info
  # (pipefail: the status is pdfinfo's; tr drops NUL bytes of broken metadata)
  if info=$(timeout 60 pdfinfo "$1" 2>&1 | tr -d '\0'); then
    local pages enc
    pages=$(awk '/^Pages:/ {print $2}' <<<"$info")
    enc=$(awk '/^Encrypted:/ {print $2}' <<<"$info")
    echo "yes ${pages:--} ${enc:-no} no"
  elif grep -q "Incorrect password" <<<"$info"; then
    echo "yes - yes yes"
  else
    echo "no - - -"
  fi
}

# Qujat: "VERDICT PAGES ENCRYPTED NEEDS_PASSWORD<TAB>DETAIL" from the JSON.
verdict() {
  jq -r '(.detail // "") as $detail |
    [ .verdict,
      (.pdf.pages // "-" | tostring),
      (if .pdf then (if .pdf.encrypted then "yes" else "no" end) else "-" end),
      (if .pdf then (if .pdf.needsPassword then "yes" else "no" end) else "-" end)
    ] | join(" ") + "\t" + $detail' "$1" 2>/dev/null || printf 'no-reply - - -\t\n'
}

now() { date +%s%N; }
# One pass each, timed around the tool alone: the inspector child that
# `qujat inspect` and `qujat check` start (the same binary, limits and
# reply line; the parent only adds verdicts for crashes, signals and
# time-outs, which show here as no-reply), then pdfinfo + pdftotext.
# Files in the page cache.
qt=0
pt=0
printf 'file\tpoppler\tqujat\tdetail\n' >"$OUT"
for f in "${FILES[@]}"; do
  t=$(now)
  "$BIN" __inspect-child --memory-mib 1024 --cpu-secs 12 -- "$f" >"$WORK/reply.json" 2>/dev/null || true
  qt=$((qt + $(now) - t))
  t=$(now)
  p=$(poppler "$f")
  timeout 60 pdftotext -q "$f" /dev/null 2>&1 || true
  pt=$((pt + $(now) - t))
  IFS=$'\t' read -r q detail < <(verdict "$WORK/reply.json")
  printf '%s\t%s\t%s\t%s\n' "$(basename "$f")" "$p" "$q" "$detail" >>"$OUT"
done

# `qujat inspect FILE --json` as a user runs it, on every SAMPLE-th file
# (default 10): it must give the child's verdict. It also opens the data
# folder and unlocks its key (here an Argon2id passphrase, ~0.4 s per
# run), which is not reading PDFs, so it is not in the ratio.
SAMPLE=${SAMPLE:-10}
sampled=0
differ=0
for ((i = 0; i < ${#FILES[@]}; i += SAMPLE)); do
  f=${FILES[i]}
  "$BIN" inspect "$f" --json >"$WORK/cli.json" 2>/dev/null || true
  "$BIN" __inspect-child -- "$f" >"$WORK/reply.json" 2>/dev/null || true
  sampled=$((sampled + 1))
  [[ $(verdict "$WORK/cli.json") == "$(verdict "$WORK/reply.json")" ]] || differ=$((differ + 1))
done

awk -F'\t' -v qt=$((qt / 1000000)) -v pt=$((pt / 1000000)) -v sampled=$sampled -v differ=$differ -v out="$OUT" '
  NR == 1 { next }
  {
    files++
    split($2, p, " "); split($3, q, " ")
    if (q[1] != "inspected" && q[1] != "unreadable") odd[q[1]]++
    if ($4 ~ /parser gave up/) panics++
    if (p[1] != "yes") next
    opens++
    if (q[1] != "inspected") unreadable++
    if (p[2] != "-") { counted++; if (q[1] == "inspected" && q[2] == p[2]) same_pages++ }
    if (q[1] == "inspected" && q[3] == p[3] && q[4] == p[4]) same_enc++
  }
  END {
    printf "%d files; poppler opens %d\n", files, opens
    printf "unreadable by Qujat: %d of %d (%.1f %%)\n", unreadable, opens, 100 * unreadable / opens
    printf "same page count as poppler: %d of %d (%.1f %%)\n", same_pages, counted, 100 * same_pages / counted
    printf "same encryption as poppler: %d of %d (%.1f %%)\n", same_enc, opens, 100 * same_enc / opens
    printf "caught panics: %d", panics + 0
    for (v in odd) printf "; %s: %d", v, odd[v]
    printf "\n"
    printf "time: inspector %.1f s, pdfinfo + pdftotext %.1f s, ratio %.2f\n", qt / 1000, pt / 1000, qt / pt
    printf "qujat inspect --json gave the inspector'"'"'s verdict on %d of %d sampled files\n", sampled - differ, sampled
    printf "rows: %s\n", out
  }' "$OUT"
