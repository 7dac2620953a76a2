#!/usr/bin/env bash
# Signs rule packs for publishing: copies each pack to OUT_DIR as <id>.toml,
# signs it with the release key's secret half (minisign, Debian package
# `minisign`) as <id>.toml.minisig, and checks every signature against the
# public key Qujat trusts (crates/qujat-core/keys/rules.pub), so a pack signed
# with any other key is never published. The secret key stays wherever its
# keeper keeps it (never in this repository); minisign asks for its password.
#
# Usage: scripts/publish-rules.sh SECRET_KEY OUT_DIR [PACK.toml ...]
#   PACKs default to the built-in ones, crates/qujat-core/rules/*.toml.
# Then copy OUT_DIR's files to the gh-pages branch, folder rules/v1/
# (docs/rule-packs.md, "Publishing an update").
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ $# -lt 2 ]]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
secret="$1"
out="$2"
shift 2
packs=("$@")
if [[ ${#packs[@]} -eq 0 ]]; then
  packs=("$root"/crates/qujat-core/rules/*.toml)
fi
public="${QUJAT_RULES_PUBLIC_KEY:-$root/crates/qujat-core/keys/rules.pub}"
command -v minisign >/dev/null || { echo "minisign is needed (apt-get install minisign)" >&2; exit 2; }
[[ -f $secret ]] || { echo "no secret key at $secret" >&2; exit 2; }

mkdir -p "$out"
for pack in "${packs[@]}"; do
  # The published name is the pack's id: Qujat fetches <URL>/<id>.toml.
  id="$(sed -n 's/^id *= *"\([a-z0-9-]*\)".*/\1/p' "$pack" | head -n1)"
  version="$(sed -n 's/^version *= *"\([0-9.]*\)".*/\1/p' "$pack" | head -n1)"
  [[ -n $id && -n $version ]] || { echo "$pack: no id or version" >&2; exit 1; }
  cp "$pack" "$out/$id.toml"
  minisign -S -s "$secret" -m "$out/$id.toml" -x "$out/$id.toml.minisig" \
    -t "qujat rule pack $id $version"
  # Fails unless the secret key is the pair of the key the app trusts.
  minisign -V -q -p "$public" -m "$out/$id.toml" -x "$out/$id.toml.minisig"
  echo "signed $id $version"
done
