#!/usr/bin/env bash
# Cold and warm `qujat check` of a realistic 15-file dossier, and inspection
# throughput against poppler's pdftotext on the same PDFs, in the same run.
# Not part of CI.
#
#   benches/inspect.sh            (RUNS=10 by default)
#
# Cold: `check --reinspect` forgets the cached verdicts first, so every file
# goes through the inspector child (2 at a time), as on the first check
# after attaching. Warm: a plain re-check, which reads the cache and starts
# no process. Timings by hyperfine when installed (apt-get install
# hyperfine), else a loop with the median taken. Release build; the files
# are read once before timing, so all commands read from the page cache.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}

cargo build --release -q -p qujat-cli --bin qujat
cargo build --release -q -p qujat-core --example bench_inspect
BIN=$PWD/target/release/qujat
GEN=$PWD/target/release/examples/bench_inspect

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/qujat-inspect-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DATA=$WORK/data
ID=$("$GEN" "$DATA")
mapfile -t FILES < <(find "$DATA/vault/objects" -type f | sort)
PDFS=()
for f in "${FILES[@]}"; do
  [[ $(head -c 5 "$f") == "%PDF-" ]] && PDFS+=("$f")
done
cat "${FILES[@]}" >/dev/null
total_bytes=$(cat "${FILES[@]}" | wc -c)
pdf_bytes=$(cat "${PDFS[@]}" | wc -c)
pages=0
for f in "${PDFS[@]}"; do
  pages=$((pages + $(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')))
done
echo "dossier $ID: ${#FILES[@]} files, $((total_bytes / 1024)) KiB; ${#PDFS[@]} PDFs, $pages pages, $((pdf_bytes / 1024)) KiB; $(nproc) cores" >&2

printf '%s\n' "${PDFS[@]}" >"$WORK/pdfs"
inspect_all="xargs -a $WORK/pdfs -n1 $BIN inspect >/dev/null"
pdftotext_all="xargs -a $WORK/pdfs -I{} pdftotext -q {} /dev/null"
inspect_par="xargs -a $WORK/pdfs -P2 -n1 $BIN inspect >/dev/null"
pdftotext_par="xargs -a $WORK/pdfs -P2 -I{} pdftotext -q {} /dev/null"

# The first check inspects; make sure it passes the files once.
"$BIN" --data-dir "$DATA" check "$ID" >/dev/null || true

if command -v hyperfine >/dev/null; then
  hyperfine --runs "$RUNS" --warmup 1 -i --style basic --export-markdown "$WORK/table.md" \
    -n "cold: qujat check --reinspect (15 files inspected)" "$BIN --data-dir $DATA check $ID --reinspect" \
    -n "warm: qujat check (cached, nothing inspected)" "$BIN --data-dir $DATA check $ID" \
    -n "qujat inspect, each PDF in turn" "$inspect_all" \
    -n "pdftotext, each PDF in turn" "$pdftotext_all" \
    -n "qujat inspect, 2 in parallel" "$inspect_par" \
    -n "pdftotext, 2 in parallel" "$pdftotext_par" >&2
  echo
  cat "$WORK/table.md"
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
  measure "cold: qujat check --reinspect" "$BIN --data-dir $DATA check $ID --reinspect"
  measure "warm: qujat check" "$BIN --data-dir $DATA check $ID"
  measure "qujat inspect, each PDF in turn" "$inspect_all"
  measure "pdftotext, each PDF in turn" "$pdftotext_all"
fi
