#!/usr/bin/env bash
# Builds a minimal container image of the reference server without a registry: a root filesystem
# holding the node binary, its shared libraries and the built app, loaded with `docker import`.
# Usage: scripts/build-image.sh [TAG [SERVE-FLAG...]]   (needs `npm run build`)
#   TAG defaults to wsconform-reference:local; SERVE-FLAGs are appended to `wsconform serve`,
#   e.g. scripts/build-image.sh my:tag --jwt-secret s3cret --origins https://app.example.com
set -euo pipefail
tag=${1:-wsconform-reference:local}
shift || true
entry='"/usr/bin/node", "/app/bin/wsconform.js", "serve", "--host", "0.0.0.0", "--port", "8000"'
for flag in "$@"; do entry="$entry, \"${flag//\"/\\\"}\""; done
root=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$root/dist/cli/main.js" ] || { echo "build-image: run 'npm run build' first" >&2; exit 2; }
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
node_bin=$(command -v node)
mkdir -p "$rootfs/usr/bin" "$rootfs/tmp" "$rootfs/app"
cp "$node_bin" "$rootfs/usr/bin/node"
# the dynamic loader and every library node links against, at the same paths
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cp -r "$root/bin" "$root/dist" "$root/spec" "$root/package.json" "$rootfs/app/"
# the app's runtime dependencies only: the server needs neither the test nor the bench tooling
cp -r "$root/node_modules" "$rootfs/app/node_modules"
rm -rf "$rootfs/app/node_modules/"{vitest,vite,@vitest,typescript,@typescript,@biomejs,@asyncapi,testcontainers,autocannon,rolldown,@rolldown,docker-compose,dockerode,ssh2,@types}
tar -C "$rootfs" -c . | docker import \
  --change 'WORKDIR /app' \
  --change 'EXPOSE 8000' \
  --change "ENTRYPOINT [$entry]" \
  - "$tag" >/dev/null
echo "$tag"
