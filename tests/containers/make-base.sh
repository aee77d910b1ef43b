#!/usr/bin/env bash
# Makes a local base image for the Dockerfile's RUNTIME_IMAGE (and SDK_IMAGE, unused with APP_SOURCE=prebuilt) where no
# container registry is reachable: Debian 12 (bookworm) from the machine's own apt mirror with debootstrap
# (--variant=minbase, with libssl3, ca-certificates and tzdata as in the .NET runtime-deps images), plus the .NET 10 and ASP.NET Core 10 runtimes of this machine (dotnet, host/, shared/; not
# the SDK), a user `app` with uid 1654 and ENV APP_UID=1654 (what the .NET images provide), imported with
# `docker import`. Debian 12's libstdc++ lacks GLIBCXX_3.4.32: the apps published by this repository's build have
# TorchSharp's one such need marked weak (Directory.Build.targets), so they load on it.
#
#   tests/containers/make-base.sh [IMAGE]        # default steve2-local/debian-dotnet:bookworm; skips when it exists
set -euo pipefail
image="${1:-steve2-local/debian-dotnet:bookworm}"
docker_bin="${DOCKER:-docker}"
if "$docker_bin" image inspect "$image" >/dev/null 2>&1; then echo "base image $image exists"; exit 0; fi

mirror="$(grep -hoE '^URIs: *http[^ ]+/debian$' /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null | head -1 | sed "s/^URIs: *//" || true)"
mirror="${mirror:-http://deb.debian.org/debian}"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
[ -d "$dotnet_root/shared/Microsoft.AspNetCore.App" ] || { echo "no ASP.NET Core runtime under $dotnet_root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/steve2-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
echo "== debootstrap --variant=minbase bookworm (+ the .NET runtime-deps image's libssl3, ca-certificates, tzdata) from $mirror"
debootstrap --variant=minbase --include=ca-certificates,libssl3,tzdata bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log"; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

echo "== the .NET runtimes of $dotnet_root (no SDK)"
mkdir -p "$root/usr/share/dotnet"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$root/usr/share/dotnet/"
[ -f "$dotnet_root/LICENSE.txt" ] && cp "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$root/usr/share/dotnet/" 2>/dev/null || true
ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
echo "app:x:1654:1654:app:/home/app:/usr/sbin/nologin" >>"$root/etc/passwd"
echo "app:x:1654:" >>"$root/etc/group"
mkdir -p "$root/home/app" && chown 1654:1654 "$root/home/app"

echo "== docker import -> $image"
tar -C "$root" -c . | "$docker_bin" import \
  --change 'ENV APP_UID=1654' \
  --change 'ENV DOTNET_ROOT=/usr/share/dotnet' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
  --change 'CMD ["bash"]' \
  - "$image" >/dev/null
"$docker_bin" image ls "$image"
