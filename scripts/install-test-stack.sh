#!/usr/bin/env bash
# Installs the local stand-ins the tests start: LocalStack (KMS + Secrets Manager) in a Python venv,
# FerretDB (MongoDB wire protocol, SQLite backend), btcd (Bitcoin regtest), thor (VeChainThor solo) and the Flow emulator built with Go,
# and Debian's chromium for the approvals console's browser tests.
# anvil comes from npm (devDependency). Every step is skipped when its result is already present,
# and everything lands in git-ignored folders (.venv-localstack, .tools).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

LOCALSTACK_VERSION=4.13.1
MOTO_EXT_VERSION=5.1.20.post22
FERRETDB_VERSION=v1.24.2
BTCD_VERSION=v0.25.0
# v2.4.0: the newest thor release the Go module proxy serves here (v2.4.1 answers 403).
THOR_VERSION=v2.4.0
# v1.22.0: the newest flow-emulator the Go module proxy serves here (v1.20.x fails with Go 1.26, v1.21.0 is 403).
FLOW_EMULATOR_VERSION=v1.22.0

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "kms-signer test stack: '$1' is not installed. $2" >&2
    exit 3
  }
}
need python3 "Install Python 3.11 (Debian: apt-get install python3 python3-venv)."
need go "Install Go >= 1.24 (https://go.dev/dl/) to build FerretDB and btcd."

mkdir -p .tools/bin .tools/build .tools/gocache .tools/gomodcache

# The constraints file pins the transitive versions 4.13.1 works with (see its header). A copy is kept
# in the venv so that a venv built from older or no constraints is re-resolved, not silently reused.
LS_CONSTRAINTS="$ROOT/scripts/localstack-constraints.txt"
if [ ! -x .venv-localstack/bin/python ] || ! cmp -s "$LS_CONSTRAINTS" .venv-localstack/constraints.txt \
  || ! .venv-localstack/bin/python -c "import localstack, moto" 2>/dev/null; then
  echo "==> installing localstack-core ${LOCALSTACK_VERSION} into .venv-localstack"
  python3 -m venv .venv-localstack
  .venv-localstack/bin/pip install --quiet --cache-dir "$ROOT/.tools/pip-cache" -c "$LS_CONSTRAINTS" \
    "localstack-core[runtime]==${LOCALSTACK_VERSION}" "moto-ext==${MOTO_EXT_VERSION}"
  cp "$LS_CONSTRAINTS" .venv-localstack/constraints.txt
else
  echo "==> localstack-core already installed"
fi

GO_ENV=(GOTOOLCHAIN=local "GOCACHE=$ROOT/.tools/gocache" "GOMODCACHE=$ROOT/.tools/gomodcache" GOFLAGS=-modcacherw)

# Builds <package> at <module>@<version> from the module's own source tree (its go.mod and go.sum),
# so the dependency set is exactly the released one. Not `go install pkg@version`: the module proxy
# answers 403 to the version-list query it makes for deprecation notices on FerretDB.
go_build() { # go_build <binary> <module> <version> <package dir inside the module>
  if [ -x ".tools/bin/$1" ]; then
    echo "==> $1 already built"
    return
  fi
  echo "==> building $2@$3 (a few minutes the first time)"
  local src="$ROOT/.tools/build/$1"
  local dir
  dir=$(env "${GO_ENV[@]}" go mod download -json "$2@$3" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "could not download $2@$3" >&2; exit 1; }
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  # FerretDB refuses to start without build/version/version.txt (its docs: "create this file manually").
  if [ "$1" = ferretdb ]; then echo "$3" > "$src/build/version/version.txt"; fi
  (cd "$src" && env "${GO_ENV[@]}" go build -trimpath -o "$ROOT/.tools/bin/$1" "./$4")
}
go_build btcd github.com/btcsuite/btcd "$BTCD_VERSION" .
go_build ferretdb github.com/FerretDB/FerretDB "$FERRETDB_VERSION" cmd/ferretdb
# VeChainThor `thor solo` for the VET tests (its go.mod has replace directives, so built in the module tree; ≈ 7 min).
go_build thor github.com/vechain/thor/v2 "$THOR_VERSION" cmd/thor
# The Flow emulator for the FLOW tests: cgo for its BLS library (blst), built portable as its Dockerfile does.
(GO_ENV+=(CGO_ENABLED=1 "CGO_CFLAGS=-O2 -D__BLST_PORTABLE__") && go_build flow-emulator github.com/onflow/flow-emulator "$FLOW_EMULATOR_VERSION" cmd/emulator)

# The approvals console's browser tests drive Debian's own Chromium (playwright-core never downloads a
# browser here). Installed with apt-get when absent and we are root; otherwise say what to install.
if [ -x /usr/bin/chromium ]; then
  echo "==> chromium already installed"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing chromium (Debian package) for the browser tests"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
else
  echo "kms-signer test stack: /usr/bin/chromium is missing. Install Debian's chromium package (apt-get install chromium)." >&2
  exit 3
fi

echo "==> test stack installed"
