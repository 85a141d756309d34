#!/usr/bin/env bash
# Builds a container image of wsconform itself, for teams without Node (`npm run image:cli`).
# Like the reference image (scripts/build-image.sh) it needs no registry: a root filesystem with
# the node binary, its shared libraries and the app, loaded with `docker import`. The app is the
# packed npm package (`npm pack`, which builds it) installed with its runtime dependencies, so
# the image holds exactly what `npm i wsconform` gives.
# Usage: scripts/build-cli-image.sh [TAG]        (TAG defaults to wsconform:local)
#   docker run --rm --network host -v "$PWD:/work" wsconform:local run --target ws://127.0.0.1:8000/ws
# The working directory is /work: mount a folder there and the report (./wsconform-report/) is
# written into it, and a wsconform.config.json in it is read.
set -euo pipefail
tag=${1:-wsconform:local}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

# WSCONFORM_TARBALL: an already packed package to use instead (the image test packs a copy)
if [ -n "${WSCONFORM_TARBALL:-}" ]; then
  tgz=$WSCONFORM_TARBALL
else
  (cd "$root" && npm pack --pack-destination "$work" --silent >/dev/null)
  tgz=$(ls "$work"/wsconform-*.tgz)
fi
mkdir -p "$rootfs/usr/bin" "$rootfs/app" "$rootfs/tmp" "$rootfs/work"
chmod 1777 "$rootfs/tmp" "$rootfs/work"
echo '{ "name": "wsconform-image", "private": true }' >"$rootfs/app/package.json"
# offline first: after `npm ci` the npm cache holds every dependency; no registry may be reachable
(cd "$rootfs/app" && npm install "$tgz" --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
rm -f "$rootfs/app/package-lock.json"

node_bin=$(command -v node)
cp "$node_bin" "$rootfs/usr/bin/node"
# the dynamic loader and every library node links against, at the same paths
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done

tar -C "$rootfs" -c . | docker import \
  --change 'WORKDIR /work' \
  --change 'ENV HOME=/tmp' \
  --change 'ENTRYPOINT ["/usr/bin/node", "/app/node_modules/wsconform/bin/wsconform.js"]' \
  --change 'CMD ["--help"]' \
  - "$tag" >/dev/null
echo "$tag"
