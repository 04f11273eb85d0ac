#!/usr/bin/env bash
# Installs the local stand-ins the tests start: LocalStack (KMS + Secrets Manager) in a Python venv,
# FerretDB (MongoDB wire protocol, SQLite backend) and btcd (Bitcoin regtest) built with `go install`.
# anvil comes from npm (devDependency). Every step is skipped when its result is already present,
# and everything lands in git-ignored folders (.venv-localstack, .tools).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

LOCALSTACK_VERSION=4.13.1
MOTO_EXT_VERSION=5.1.20.post22
FERRETDB_VERSION=v1.24.2
BTCD_VERSION=v0.25.0

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "kms-signer test stack: '$1' is not installed. $2" >&2
    exit 3
  }
}
need python3 "Install Python 3.11 (Debian: apt-get install python3 python3-venv)."
need go "Install Go >= 1.24 (https://go.dev/dl/) to build FerretDB and btcd."

mkdir -p .tools/bin .tools/gocache .tools/gomodcache

if [ ! -x .venv-localstack/bin/python ] || ! .venv-localstack/bin/python -c "import localstack, moto" 2>/dev/null; then
  echo "==> installing localstack-core ${LOCALSTACK_VERSION} into .venv-localstack"
  python3 -m venv .venv-localstack
  .venv-localstack/bin/pip install --quiet --cache-dir "$ROOT/.tools/pip-cache" \
    "localstack-core[runtime]==${LOCALSTACK_VERSION}" "moto-ext==${MOTO_EXT_VERSION}"
else
  echo "==> localstack-core already installed"
fi

go_build() { # go_build <binary> <package@version>
  if [ -x ".tools/bin/$1" ]; then
    echo "==> $1 already built"
    return
  fi
  echo "==> building $2 (several minutes the first time)"
  GOTOOLCHAIN=local GOBIN="$ROOT/.tools/bin" GOCACHE="$ROOT/.tools/gocache" GOMODCACHE="$ROOT/.tools/gomodcache" \
    GOFLAGS=-modcacherw go install "$2"
}
go_build btcd "github.com/btcsuite/btcd@${BTCD_VERSION}"
go_build ferretdb "github.com/FerretDB/FerretDB/cmd/ferretdb@${FERRETDB_VERSION}"

echo "==> test stack installed"
