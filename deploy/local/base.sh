#!/usr/bin/env bash
# The base image for hosts that reach Debian's packages but no image registry: a Debian trixie
# root filesystem (minbase with python3 3.13) made by mmdebstrap and imported into podman. The
# Python stages of deploy/Dockerfile start from it, and deploy/local/Dockerfile adds Node, nginx,
# PostgreSQL and Redis to it for the other stages and services.
#
#   deploy/local/base.sh [IMAGE]     # default localhost/learning-solidity-base:trixie
#
# Does nothing when the image exists already (remove it to rebuild: `podman rmi IMAGE`).
set -euo pipefail

IMAGE=${1:-localhost/learning-solidity-base:trixie}
SUITE=${DEBIAN_SUITE:-trixie}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if podman image exists "$IMAGE"; then
    echo "base image $IMAGE exists"
    exit 0
fi
for tool in mmdebstrap podman; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# This host's own certificate authorities (a TLS-inspecting egress proxy, say) are trusted in the
# image too, so that pip and npm inside a build reach their registries as they do on the host.
# The image is for this host only; a host with a registry builds from the usual slim images.
trust_host_cas='set -e
    if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
        mkdir -p "$1/usr/local/share/ca-certificates"
        cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/"
        chroot "$1" update-ca-certificates --fresh >/dev/null
    fi'
# minbase (essential packages and apt) plus what every stage needs: Python with venv, and TLS
# roots for pip and npm. The stages install the rest (nodejs, nginx, ...) with apt-get.
# No recommends, no docs, no man pages, no apt lists left in the image.
mmdebstrap --variant=minbase --format=tar \
    --include=ca-certificates,python3,python3-venv \
    --aptopt='APT::Install-Recommends "false"' \
    --aptopt='APT::Install-Suggests "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook="$trust_host_cas" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$SUITE" "$work/rootfs.tar" "deb $MIRROR $SUITE main" \
    "deb $MIRROR-security $SUITE-security main" "deb $MIRROR $SUITE-updates main"
podman import \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    --message "Debian $SUITE minbase with python3 (mmdebstrap)" \
    "$work/rootfs.tar" "$IMAGE"
podman image inspect --format '{{.Id}} {{.Size}}' "$IMAGE"
