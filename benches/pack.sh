#!/usr/bin/env bash
# Packs and verifies a generated dossier and measures the same work done by
# standard tools, on the same files, in the same run. Not part of CI.
#
#   benches/pack.sh [TOTAL_MIB]      (default 1024; RUNS=3 runs each, median)
#
# The payload files are the vault objects themselves, so every command reads
# exactly the same bytes. They are read once before timing starts, so every
# command reads from the page cache and the comparison is about the work
# each tool does, not about which one ran first. Peak RSS comes from
# /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."

MIB=${1:-1024}
RUNS=${RUNS:-3}
DATE=2025-03-14

cargo build --release -q -p qujat-cli --bin qujat
cargo build --release -q -p qujat-core --example bench_dossier
BIN=$PWD/target/release/qujat
GEN=$PWD/target/release/examples/bench_dossier

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/qujat-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DATA=$WORK/data

echo "generating a $MIB MiB dossier in $WORK ..." >&2
ID=$("$GEN" "$DATA" "$MIB")
mapfile -t FILES < <(find "$DATA/vault/objects" -type f | sort)
cat "${FILES[@]}" >/dev/null

# measure LABEL PREP COMMAND...: runs PREP (untimed) then COMMAND, RUNS
# times; prints "LABEL<tab>median seconds<tab>max RSS MiB".
measure() {
  local label=$1 prep=$2
  shift 2
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    eval "$prep"
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || {
      # verify exits 1 for an invalid package: that is a failed benchmark.
      cat "$WORK/stderr" >&2
      echo "$label failed" >&2
      exit 1
    }
    read -r t m <"$WORK/time"
    times+=("$t")
    ((m > rss)) && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
  printf '%s\t%s\t%s\n' "$label" "$median" "$((rss / 1024))"
}

RESULTS=$WORK/results
{
  measure "cat FILES | dd of=OUT conv=fsync" "rm -f $WORK/dd.out" \
    sh -c "cat $(printf '%q ' "${FILES[@]}") | dd of=$WORK/dd.out bs=1M conv=fsync status=none"
  measure "qujat pack (ZIP)" "rm -f $WORK/p.zip" \
    "$BIN" --data-dir "$DATA" pack "$ID" --stage astana-hub --allow-incomplete --date "$DATE" --out "$WORK/p.zip"
  measure "qujat pack --folder" "rm -rf $WORK/folder" \
    "$BIN" --data-dir "$DATA" pack "$ID" --stage astana-hub --allow-incomplete --date "$DATE" --folder --out "$WORK/folder"
  measure "zip -0 FILES, then sync" "rm -f $WORK/z.zip" \
    sh -c "zip -0 -q -j $WORK/z.zip $(printf '%q ' "${FILES[@]}") && sync $WORK/z.zip"
  measure "openssl dgst -sha256 FILES" ":" openssl dgst -sha256 "${FILES[@]}"
  measure "sha256sum FILES" ":" sha256sum "${FILES[@]}"
  measure "sha256sum -c manifest (folder)" ":" \
    sh -c "cd $WORK/folder && sha256sum -c --quiet manifest-sha256.txt"
  measure "qujat verify (ZIP)" ":" "$BIN" --data-dir "$DATA" verify "$WORK/p.zip"
  measure "qujat verify (folder)" ":" "$BIN" --data-dir "$DATA" verify "$WORK/folder"
  if python3 -c "import bagit" 2>/dev/null; then
    mkdir -p "$WORK/plain"
    measure "bagit-python make bag (sha256, 2 processes)" \
      "rm -rf $WORK/plain/bag; mkdir $WORK/plain/bag; cp ${FILES[*]} $WORK/plain/bag/" \
      python3 -m bagit --quiet --sha256 --processes 2 "$WORK/plain/bag"
    measure "bagit-python --validate (2 processes)" ":" \
      python3 -m bagit --quiet --validate --processes 2 "$WORK/folder"
  else
    echo "bagit-python not installed (python3 -m pip install bagit); skipped" >&2
  fi
} | tee "$RESULTS" >&2

value() { grep -F "$1"$'\t' "$RESULTS" | head -1 | cut -f2; }
echo
echo "| Command ($MIB MiB, ${#FILES[@]} files, $(nproc) cores, median of $RUNS) | Seconds | Peak RSS (MiB) |"
echo "|---|---:|---:|"
while IFS=$'\t' read -r label seconds rss; do
  echo "| \`${label//|/\\|}\` | $seconds | $rss |"
done <"$RESULTS"
echo
awk -v p="$(value 'qujat pack (ZIP)')" -v d="$(value 'cat FILES | dd of=OUT conv=fsync')" \
  -v v="$(value 'qujat verify (ZIP)')" -v o="$(value 'openssl dgst -sha256 FILES')" \
  -v s="$(value 'sha256sum -c manifest (folder)')" \
  'BEGIN { printf "pack / durable write: %.2fx (target <= 1.25)\nverify / openssl: %.2fx (target <= 1.2)\nverify / sha256sum -c: %.2fx (target < 1)\n", p/d, v/o, v/s }'
