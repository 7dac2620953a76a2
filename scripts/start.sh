#!/usr/bin/env bash
# Sets up and starts Qujat from a fresh clone: system packages (Debian/Ubuntu),
# the UI's npm packages, the UI build, then the app itself with its embedded
# defaults (the local store in your app-data folder, the built-in rule packs).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null; then
  scripts/setup-debian.sh --runtime-only
fi
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run build
exec cargo run --release -p qujat-app
