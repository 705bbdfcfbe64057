#!/usr/bin/env bash
# Builds every image the compose topology runs, on a host with podman that reaches Debian's
# archive (and PyPI and npm) but no image registry:
#   the base (deploy/local/base.sh), the stand-ins for the official node, nginx, postgres and
#   redis images (deploy/local/Dockerfile), then deploy/Dockerfile's app, compiler and edge from
#   those bases, tagged as deploy/docker-compose.yml names them.
# Layers are cached: a rebuild after a code change redoes only the layers from `COPY . .` on.
# Each build's output goes to var/container-build/<image>.log.
set -euo pipefail
cd "$(dirname "$0")/../.."

export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/deploy/local/containers.conf}
# HEALTHCHECK lives in the Docker image format only (OCI images drop it).
export BUILDAH_FORMAT=docker

BASE=localhost/learning-solidity-base:trixie
LOGS=var/container-build
mkdir -p "$LOGS"
step() { printf '\n== %s\n' "$*"; }
build() {  # build TAG TARGET DOCKERFILE CONTEXT [ARGS...]
    local tag=$1 target=$2 file=$3 context=$4
    shift 4
    local started=$SECONDS log="$LOGS/${tag##*/}.log"
    log=${log/:/-}
    if ! podman build --layers --target "$target" -f "$file" -t "$tag" "$@" "$context" >"$log" 2>&1
    then
        tail -n 40 "$log" >&2
        echo "error: building $tag failed (whole log: $log)" >&2
        exit 1
    fi
    printf '%-44s %4d s  %s\n' "$tag" $((SECONDS - started)) \
        "$(podman image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1 / 1e6}')"
}

step "base: Debian trixie by mmdebstrap"
deploy/local/base.sh "$BASE"

step "stand-ins for the registry images (deploy/local/Dockerfile)"
for target in node nginx; do
    build "localhost/learning-solidity-$target:trixie" "$target" deploy/local/Dockerfile deploy/local \
        --build-arg "BASE_IMAGE=$BASE"
done
build localhost/learning-solidity-postgres:17 postgres deploy/local/Dockerfile deploy/local \
    --build-arg "BASE_IMAGE=$BASE"
build localhost/learning-solidity-redis:8 redis deploy/local/Dockerfile deploy/local \
    --build-arg "BASE_IMAGE=$BASE"

step "the site's images (deploy/Dockerfile)"
bases=(
    --build-arg "PYTHON_IMAGE=$BASE"
    --build-arg "NODE_IMAGE=localhost/learning-solidity-node:trixie"
    --build-arg "NGINX_IMAGE=localhost/learning-solidity-nginx:trixie"
)
build localhost/learning-solidity-app:latest app deploy/Dockerfile . "${bases[@]}"
build localhost/learning-solidity-compiler:latest compiler deploy/Dockerfile . "${bases[@]}"
build localhost/learning-solidity-edge:latest edge deploy/Dockerfile . "${bases[@]}"
