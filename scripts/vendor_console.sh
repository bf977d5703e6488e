#!/usr/bin/env bash
# Refreshes the console's vendored JavaScript (src/relchain/http/console/static/vendor/) from the
# npm registry at the pinned versions below, and writes vendor.json (name, version, licence,
# source file, sha256). Run by hand when upgrading; installs never run it (no Node build step).
# tests/console/test_vendor.py checks the files against vendor.json.
set -euo pipefail
cd "$(dirname "$0")/.."
PREACT=11.2.0
HTM=3.1.1
dest=src/relchain/http/console/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "preact@$PREACT" "htm@$HTM" >/dev/null)
mkdir -p "$work/preact" "$work/htm" "$dest"
tar xzf "$work/preact-$PREACT.tgz" -C "$work/preact"
tar xzf "$work/htm-$HTM.tgz" -C "$work/htm"
cp "$work/preact/package/dist/preact.mjs" "$dest/preact.mjs"
cp "$work/preact/package/hooks/dist/hooks.mjs" "$dest/preact-hooks.mjs"
cp "$work/preact/package/LICENSE" "$dest/LICENSE-preact.txt"
cp "$work/htm/package/dist/htm.mjs" "$dest/htm.mjs"
cp "$work/htm/package/LICENSE" "$dest/LICENSE-htm.txt"
entry() {  # name version licence source file
    printf '  {"name": "%s", "version": "%s", "license": "%s", "source": "%s", "file": "%s", "sha256": "%s"}' \
        "$1" "$2" "$3" "$4" "$5" "$(sha256sum "$dest/$5" | cut -d' ' -f1)"
}
{
    echo "["
    entry preact "$PREACT" MIT "npm preact@$PREACT package/dist/preact.mjs" preact.mjs; echo ","
    entry preact "$PREACT" MIT "npm preact@$PREACT package/hooks/dist/hooks.mjs" preact-hooks.mjs; echo ","
    entry htm "$HTM" Apache-2.0 "npm htm@$HTM package/dist/htm.mjs" htm.mjs; echo
    echo "]"
} >"$dest/vendor.json"
echo "vendored preact $PREACT and htm $HTM into $dest"
