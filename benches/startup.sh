#!/usr/bin/env bash
# Startup and footprint of the release app, measured from outside the
# process under a private Xvfb:
#   * cold start: from exec to the first frame in which the window shows what
#     it shows at rest (the start screen with a seeded dossier's checklist
#     progress, all programs loaded), found by comparing timed screenshots
#     with the frame taken at rest; median of RUNS fresh launches;
#   * idle memory 5 s after launch: VmRSS and PSS of the app and of its
#     WebKit child processes;
#   * the size of the .deb and .rpm.
#
#   benches/startup.sh            # RUNS=5 by default; builds the bundles if missing
#
# Targets: start < 1.5 s, idle RSS < 200 MiB, installer < 15 MiB. Not part of
# CI (timings on a shared machine are noisy); figures are in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
target="${CARGO_TARGET_DIR:-$(pwd)/target}"
app="$target/release/qujat-app"
cli="$target/release/qujat"
bundle="$target/release/bundle"

if [[ ! -x "$app" || -z "$(find "$bundle/deb" -name '*.deb' 2>/dev/null)" ]]; then
  npx tauri build --bundles deb rpm --ci
fi
[[ -x "$cli" ]] || cargo build --release --locked -p qujat-cli

work=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
  if [[ -n "$app_pid" ]]; then kill "$app_pid" 2>/dev/null || true; fi
  if [[ -n "$xvfb_pid" ]]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Xvfb picks a free display and writes its number to fd 3 (QUJAT_XVFB_DISPLAY=:N to choose).
if [[ -n "${QUJAT_XVFB_DISPLAY:-}" ]]; then
  echo "${QUJAT_XVFB_DISPLAY#:}" > "$work/display"
  Xvfb "$QUJAT_XVFB_DISPLAY" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
else
  exec 3> "$work/display"
  Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
  exec 3>&-
fi
xvfb_pid=$!
for _ in $(seq 100); do
  [[ -s "$work/display" ]] && break
  sleep 0.1
done
DISPLAY=":$(tr -d '[:space:]' < "$work/display")"
export DISPLAY
for _ in $(seq 100); do
  [[ -S "/tmp/.X11-unix/X${DISPLAY#:}" ]] && break
  sleep 0.1
done

# One dossier, so the first screen shows a checklist's progress, not the welcome.
export QUJAT_DATA_DIR="$work/data"
"$cli" new --program kz-ai-pilot --name "Aigerim Bekova" >/dev/null

now_ms() { date +%s%3N; }

# The app's process and every process below it (WebKit's web and network processes).
tree() {
  local pid=$1 child
  echo "$pid"
  for child in $(pgrep -P "$pid" || true); do tree "$child"; done
}
kib() { awk -v k="$2" '$1 == k":" { print $2 }' "$1" 2>/dev/null || echo 0; }

starts=()
for run in $(seq "$runs"); do
  frames="$work/frames-$run"
  mkdir -p "$frames"
  t0=$(now_ms)
  HOME="$work/home" LANG=en_US.UTF-8 "$app" >/dev/null 2>&1 &
  app_pid=$!
  # Polled by hand: `xdotool search --sync` looks only twice a second.
  window=""
  while [[ -z "$window" ]] && (($(now_ms) - t0 < 20000)); do
    window=$(xdotool search --onlyvisible --class qujat-app 2>/dev/null | head -n 1 || true)
  done
  [[ -n "$window" ]] || { echo "no window within 20 s" >&2; exit 1; }
  mapped=$(($(now_ms) - t0))
  # Timed screenshots for 3 s, then the frame at rest.
  while (($(now_ms) - t0 < 3000)); do
    # Named by the time the capture starts; one capture takes ~0.1 s (PPM: no encoding).
    import -window "$window" "$frames/$(($(now_ms) - t0)).ppm" 2>/dev/null || true
  done
  sleep 2
  import -window "$window" "$work/rest-$run.ppm"

  # Idle memory, 5 s after launch.
  # RSS counts shared libraries (WebKitGTK) in every process; RssAnon is the
  # process's own memory; PSS shares the libraries out, so the sum is fair.
  rss_app=0 rss_web=0 anon_app=0 anon_web=0 pss=0
  for pid in $(tree "$app_pid"); do
    rss=$(kib "/proc/$pid/status" VmRSS)
    anon=$(kib "/proc/$pid/status" RssAnon)
    pss=$((pss + $(kib "/proc/$pid/smaps_rollup" Pss)))
    if [[ "$pid" == "$app_pid" ]]; then
      rss_app=$rss anon_app=$anon
    else
      rss_web=$((rss_web + rss)) anon_web=$((anon_web + anon))
    fi
  done

  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=""

  # The first frame that differs from the frame at rest in under 0.5 % of its pixels.
  painted=""
  for frame in $(find "$frames" -name '*.ppm' -printf '%f\n' | sort -n); do
    differing=$(compare -metric AE -fuzz 3% "$frames/$frame" "$work/rest-$run.ppm" null: 2>&1 || true)
    if [[ "$differing" =~ ^[0-9.e+]+$ ]] && awk -v d="$differing" 'BEGIN { exit !(d < 1120 * 780 * 0.005) }'; then
      painted=${frame%.ppm}
      break
    fi
  done
  frames_taken=$(find "$frames" -name '*.ppm' | wc -l)
  rm -rf "$frames"
  starts+=("${painted:-NaN}")
  printf 'run %d: window mapped %d ms, painted %s ms (%d frames); idle RSS: app %d MiB (own %d), WebKit %d MiB (own %d); PSS of all %d MiB\n' \
    "$run" "$mapped" "${painted:-?}" "$frames_taken" $((rss_app / 1024)) $((anon_app / 1024)) \
    $((rss_web / 1024)) $((anon_web / 1024)) $((pss / 1024))
done

median=$(printf '%s\n' "${starts[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "cold start to the painted checklist screen: median ${median} ms of $runs runs"
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
for file in "$bundle"/deb/*.deb "$bundle"/rpm/*.rpm; do
  if [[ -f "$file" ]]; then echo "installer $(basename "$file"): $(mib "$file")"; fi
done
echo "release binary: $(mib "$app")"
