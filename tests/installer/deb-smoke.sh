#!/usr/bin/env bash
# The Linux installers as an applicant gets them: builds the .deb and .rpm
# (with --build), reads both packages' metadata, installs the .deb with apt
# (which resolves its dependencies), starts the INSTALLED app under a private
# Xvfb with a temporary data folder, waits for its window and a painted
# checklist screen, quits it, uninstalls the package and checks it is gone.
#
#   tests/installer/deb-smoke.sh [--build] [PATH/TO/qujat_*.deb]
#
# Needs root (or sudo), apt, Xvfb, xdotool, ImageMagick, rpm and
# desktop-file-validate (scripts/setup-debian.sh installs them). Uses
# CARGO_TARGET_DIR like cargo. Screenshots go to tests/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
artifacts="$root/tests/artifacts"
mkdir -p "$artifacts"

say() { printf 'deb-smoke: %s\n' "$*"; }
fail() {
  printf 'deb-smoke: FAILED: %s\n' "$*" >&2
  exit 1
}
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"

build=false
deb=""
for arg in "$@"; do
  case "$arg" in
    --build) build=true ;;
    *.deb) deb="$arg" ;;
    *) fail "unknown argument $arg" ;;
  esac
done

if $build; then
  say "building the .deb and .rpm (release)"
  start=$(date +%s)
  npx tauri build --bundles deb rpm --ci
  say "bundle build took $(($(date +%s) - start)) s"
fi
bundle="$target/release/bundle"
version=$(node -p 'require("./tauri.conf.json").version')
if [[ -z "$deb" ]]; then
  deb=$(find "$bundle/deb" -maxdepth 1 -iname "qujat_${version}_*.deb" 2>/dev/null | head -n 1 || true)
fi
[[ -f "$deb" ]] || fail "no .deb found in $bundle/deb (run with --build)"
deb=$(realpath "$deb")

# ---------------------------------------------------------------- metadata
say "checking $(basename "$deb")"
field() { dpkg-deb --field "$deb" "$1"; }
[[ "$(field Package)" == "qujat" ]] || fail "package name is $(field Package)"
[[ "$(field Version)" == "$version" ]] || fail "version $(field Version), tauri.conf.json says $version"
field Depends | grep -q 'libwebkit2gtk-4.1-0' || fail "Depends lacks libwebkit2gtk-4.1-0: $(field Depends)"
# Reading scans needs Tesseract and its models (bundle.linux.deb.depends).
for dep in libtesseract5 liblept5 tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-osd; do
  field Depends | grep -qE "(^|, )$dep(\$|,| )" || fail "Depends lacks $dep: $(field Depends)"
done
field Description | grep -qi 'residence-permit' || fail "no description"
contents=$(dpkg-deb --contents "$deb")
for path in usr/bin/qujat-app usr/share/applications/Qujat.desktop \
  usr/share/icons/hicolor/128x128/apps/qujat-app.png usr/share/icons/hicolor/512x512/apps/qujat-app.png \
  usr/share/doc/qujat/LICENSE-MIT usr/share/doc/qujat/LICENSE-APACHE; do
  grep -qE " (\./)?$path\$" <<<"$contents" || fail "/$path is not in the .deb"
done
unpacked=$(mktemp -d)
dpkg-deb --extract "$deb" "$unpacked"
desktop-file-validate "$unpacked/usr/share/applications/Qujat.desktop" || fail "the desktop entry is invalid"
grep -q '^Exec=qujat-app' "$unpacked/usr/share/applications/Qujat.desktop" || fail "desktop entry Exec"
rm -rf "$unpacked"

rpm_file=$(find "$bundle/rpm" -maxdepth 1 -iname "qujat-${version}-*.rpm" 2>/dev/null | head -n 1 || true)
if [[ -n "$rpm_file" ]] && command -v rpm >/dev/null; then
  say "checking $(basename "$rpm_file")"
  [[ "$(rpm -qp --queryformat '%{NAME} %{VERSION} %{LICENSE}' "$rpm_file" 2>/dev/null)" == "qujat $version MIT OR Apache-2.0" ]] ||
    fail "rpm header: $(rpm -qp --queryformat '%{NAME} %{VERSION} %{LICENSE}' "$rpm_file" 2>&1)"
  rpm_files=$(rpm -qlp "$rpm_file" 2>/dev/null)
  for path in /usr/bin/qujat-app /usr/share/applications/Qujat.desktop /usr/share/licenses/qujat/LICENSE-MIT; do
    grep -qx "$path" <<<"$rpm_files" || fail "$path is not in the .rpm"
  done
  rpm -qRp "$rpm_file" 2>/dev/null | grep -q 'libwebkit2gtk-4.1' || fail "the .rpm does not require libwebkit2gtk-4.1"
  for dep in tesseract-libs leptonica tesseract-langpack-eng tesseract-langpack-rus tesseract-langpack-kaz tesseract-osd; do
    rpm -qRp "$rpm_file" 2>/dev/null | grep -qx "$dep" || fail "the .rpm does not require $dep"
  done
fi

# ---------------------------------------------------------------- install
if dpkg-query -W -f='${Status}' qujat 2>/dev/null | grep -q "install ok installed"; then
  say "removing an earlier qujat"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq qujat >/dev/null
fi

workdir=$(mktemp -d)
app_pid=""
xvfb_pid=""
cleanup() {
  if [[ -n "$app_pid" ]]; then kill "$app_pid" 2>/dev/null || true; fi
  if [[ -n "$xvfb_pid" ]]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  if dpkg-query -W -f='${Status}' qujat 2>/dev/null | grep -q "install ok installed"; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq qujat >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

say "installing with apt"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
[[ -x /usr/bin/qujat-app ]] || fail "/usr/bin/qujat-app is not installed"
# What apt brought for reading scans: every library the binary needs is
# found, and the models engine.rs loads are in Tesseract's own folder.
missing=$(ldd /usr/bin/qujat-app | grep 'not found' || true)
[[ -z "$missing" ]] || fail "libraries missing after install: $missing"
ldd /usr/bin/qujat-app | grep -q 'libtesseract' || fail "qujat-app is not linked against libtesseract"
for model in eng rus kaz osd; do
  compgen -G "/usr/share/tesseract-ocr/*/tessdata/$model.traineddata" >/dev/null ||
    fail "$model.traineddata is not installed"
done

# ---------------------------------------------------------------- launch
# Xvfb picks a free display and writes its number to fd 3 (QUJAT_XVFB_DISPLAY=:N to choose).
if [[ -n "${QUJAT_XVFB_DISPLAY:-}" ]]; then
  echo "${QUJAT_XVFB_DISPLAY#:}" > "$workdir/display"
  Xvfb "$QUJAT_XVFB_DISPLAY" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
else
  exec 3> "$workdir/display"
  Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
  exec 3>&-
fi
xvfb_pid=$!
for _ in $(seq 100); do
  [[ -s "$workdir/display" ]] && break
  sleep 0.1
done
[[ -s "$workdir/display" ]] || fail "Xvfb did not start"
DISPLAY=":$(tr -d '[:space:]' < "$workdir/display")"
export DISPLAY
for _ in $(seq 100); do
  [[ -S "/tmp/.X11-unix/X${DISPLAY#:}" ]] && break
  sleep 0.1
done

say "starting the installed app on $DISPLAY"
mkdir -p "$workdir/home" "$workdir/data"
HOME="$workdir/home" QUJAT_DATA_DIR="$workdir/data" LANG=en_US.UTF-8 \
  /usr/bin/qujat-app > "$workdir/app.log" 2>&1 &
app_pid=$!

window=$(timeout 30 xdotool search --sync --onlyvisible --class qujat-app | head -n 1) ||
  fail "no window within 30 s; app log: $(cat "$workdir/app.log")"
title=$(xdotool getwindowname "$window")
geometry=$(xdotool getwindowgeometry "$window" | sed -n 's/.*Geometry: //p')
say "window $window: \"$title\", $geometry"
[[ "$title" == "Qujat" ]] || fail "window title is \"$title\""
[[ "$geometry" == "1120x780" ]] || fail "window size is $geometry, tauri.conf.json asks for 1120x780"

# The header paints first; the page below it once the UI has loaded the
# programs from the Rust side. Wait until that part shows a page of text
# (~1,600 colours from anti-aliasing), not an empty background or the one
# "Loading…" line.
shot="$artifacts/deb-installed-app.png"
painted=false
for _ in $(seq 60); do
  import -window root -crop 1120x780+0+0 "$shot"
  colours=$(convert "$shot" -crop 1120x680+0+100 +repage -format '%k' info:)
  if ((colours > 400)); then
    painted=true
    break
  fi
  sleep 0.5
done
$painted || fail "the page stayed blank ($colours colours); app log: $(cat "$workdir/app.log")"
say "start screen painted ($colours colours below the header): $shot"
[[ -f "$workdir/data/qujat.sqlite3" ]] || fail "the app did not open its store in QUJAT_DATA_DIR"
written=$(find "$workdir/home" -mindepth 1 -maxdepth 3 | sed "s|$workdir/home/||" | tr '\n' ' ')
[[ -z "$written" ]] || say "note: WebKit wrote to HOME: $written"

kill "$app_pid"
wait "$app_pid" 2>/dev/null || true
app_pid=""

# ---------------------------------------------------------------- uninstall
say "removing with apt"
DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq qujat >/dev/null
if dpkg-query -W -f='${Status}' qujat 2>/dev/null | grep -q "install ok installed"; then
  fail "qujat is still installed"
fi
[[ ! -e /usr/bin/qujat-app ]] || fail "/usr/bin/qujat-app is still there"
[[ ! -e /usr/share/applications/Qujat.desktop ]] || fail "the desktop entry is still there"
say "passed: installed, launched, painted, removed ($(du -h "$deb" | cut -f1) .deb)"
