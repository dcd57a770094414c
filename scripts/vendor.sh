#!/usr/bin/env bash
# Refresh the browser scripts the site ships (the site must work offline, so nothing loads from a CDN).
# Each comes verbatim from its npm package, with its licence; SOURCE records name, version and sha1.
#   scripts/vendor.sh            fetch the pinned versions below into rolebook/templates/vendor/
set -euo pipefail
cd "$(dirname "$0")/.."
IFRAME_WORKER=1.0.4   # Material's offline search shim for file:// (Material's offline plugin would load it from unpkg)
TABLESORT=5.7.1       # sortable columns on the "all positions" page
LUNR=2.3.9            # the search worker's English stop-word filter and Porter stemmer

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # name version -> unpacked in $work/<name>/package
  mkdir -p "$work/$1"
  (cd "$work/$1" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz)
  sha=$(sha1sum "$work/$1"/*.tgz | cut -d' ' -f1)
  printf 'npm package: %s@%s\ntarball sha1: %s\nfetched with: scripts/vendor.sh (npm pack)\n' "$1" "$2" "$sha"
}

dest=rolebook/templates/vendor/iframe-worker
mkdir -p "$dest"
fetch iframe-worker "$IFRAME_WORKER" > "$dest/SOURCE"
cp "$work/iframe-worker/package/shim/index.js" "$dest/shim.js"
cp "$work/iframe-worker/package/LICENSE" "$dest/LICENSE"

dest=rolebook/templates/vendor/tablesort
mkdir -p "$dest/sorts"
fetch tablesort "$TABLESORT" > "$dest/SOURCE"
cp "$work/tablesort/package/dist/tablesort.min.js" "$dest/tablesort.min.js"
cp "$work/tablesort/package/dist/sorts/tablesort.number.min.js" "$work/tablesort/package/dist/sorts/tablesort.intl.min.js" "$dest/sorts/"
cp "$work/tablesort/package/LICENCE" "$dest/LICENCE"
dest=rolebook/templates/vendor/lunr
mkdir -p "$dest"
fetch lunr "$LUNR" > "$dest/SOURCE"
cp "$work/lunr/package/lunr.min.js" "$work/lunr/package/LICENSE" "$dest/"
echo "vendored: iframe-worker $IFRAME_WORKER, tablesort $TABLESORT, lunr $LUNR"
