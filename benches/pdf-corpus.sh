#!/usr/bin/env bash
# Qujat's PDF verdicts against poppler's on a folder of real-world PDFs, and
# the time each takes, in the same run. Not part of CI.
#
#   benches/pdf-corpus.sh CORPUS_DIR [QUJAT_BINARY]
#
# For every file in CORPUS_DIR (not recursive): `pdfinfo` says whether
# poppler opens it, its page count and whether it is encrypted (a file
# that needs a password counts as opened and encrypted, with no page
# count); `qujat inspect FILE --json` gives Qujat's verdict. Printed:
#   - unreadable: of the files poppler opens, how many Qujat calls
#     unreadable (any verdict but "inspected");
#   - pages: of the files poppler opens and counts pages of, how many Qujat
#     gives the same count for (an unreadable verdict counts as different);
#   - encryption: of the files poppler opens, how many Qujat says the same
#     "encrypted" and "needs a password" for;
#   - panics and time-outs: verdicts that came from a caught panic or the
#     wall-time limit;
#   - time: the inspector child on every file in turn against `pdfinfo`
#     then `pdftotext` on every file in turn (wall time, files in the page
#     cache), and `qujat inspect` as a whole.
# Per-file rows go to $OUT (default: a temporary file, named at the end);
# disagreements are listed there with Qujat's detail.
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
  jq -r '
    [ .verdict,
      (.pdf.pages // "-" | tostring),
      (if .pdf then (if .pdf.encrypted then "yes" else "no" end) else "-" end),
      (if .pdf then (if .pdf.needsPassword then "yes" else "no" end) else "-" end)
    ] | join(" ") + "\t" + (.detail // "")' "$1" 2>/dev/null || printf 'no-reply - - -\t\n'
}

now() { date +%s%N; }
printf 'file\tpoppler\tqujat\tdetail\n' >"$OUT"
whole=0
for f in "${FILES[@]}"; do
  t=$(now)
  "$BIN" inspect "$f" --json >"$WORK/reply.json" 2>/dev/null || true
  whole=$((whole + $(now) - t))
  IFS=$'\t' read -r q detail < <(verdict "$WORK/reply.json")
  printf '%s\t%s\t%s\t%s\n' "$(basename "$f")" "$(poppler "$f")" "$q" "$detail" >>"$OUT"
done

# The inspection itself: the limited child `inspect` and `check` start (the
# same limits), one process per file, against pdfinfo then pdftotext, one
# process each. `qujat inspect` as a whole also opens the data folder and
# unlocks its key (here an Argon2id passphrase, ~0.4 s), which is not
# reading PDFs; its total is printed too.
t0=$(now)
for f in "${FILES[@]}"; do
  "$BIN" __inspect-child --memory-mib 1024 --cpu-secs 12 -- "$f" >/dev/null 2>&1 || true
done
t1=$(now)
for f in "${FILES[@]}"; do
  timeout 60 pdfinfo "$f" >/dev/null 2>&1 || true
  timeout 60 pdftotext -q "$f" /dev/null 2>&1 || true
done
t2=$(now)

awk -F'\t' -v qt=$(((t1 - t0) / 1000000)) -v pt=$(((t2 - t1) / 1000000)) -v wt=$((whole / 1000000)) -v out="$OUT" '
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
    printf "      (qujat inspect as a whole, data key unlocked each time: %.1f s)\n", wt / 1000
    printf "rows: %s\n", out
  }' "$OUT"
