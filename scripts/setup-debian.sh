#!/usr/bin/env bash
# Installs what building and testing Qujat needs on Debian 12 / Ubuntu 22.04+:
# the WebKitGTK development files for Tauri, and for the tests Xvfb, the
# WebKit WebDriver, xdotool, the PDF tools, and what checks the installers
# and the release workflow (rpm to read the .rpm, desktop-file-validate, and
# for actionlint, shellcheck). Safe to run again: it only installs what is
# missing. Pass --runtime-only to skip the test tools.
# OCR (the inspector reads scans): Tesseract 5 and Leptonica with their
# headers, libclang for the binding's bindgen, and the English, Russian,
# Kazakh and orientation models. The tests render their scans with
# ImageMagick in DejaVu Sans and OCR-B (fonts-ocr-b) and wrap them in PDFs
# with img2pdf; the benchmark compares with the `tesseract` command.
set -euo pipefail

build_packages=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev file
  libtesseract-dev libleptonica-dev libclang-dev
  tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-osd)
test_packages=(xvfb xauth webkit2gtk-driver xdotool imagemagick poppler-utils qpdf
  dbus gnome-keyring keyutils fonts-dejavu-core fonts-ocr-b img2pdf tesseract-ocr
  rpm desktop-file-utils shellcheck)

packages=("${build_packages[@]}")
[[ "${1:-}" == "--runtime-only" ]] || packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "setup: Rust is needed (https://rustup.rs); Debian's rustc is too old." >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "setup: Node.js 20+ with npm is needed; Debian 12's nodejs is too old." >&2
  exit 1
fi
