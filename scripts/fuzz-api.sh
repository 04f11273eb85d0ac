#!/usr/bin/env bash
# API fuzzing (issue 17): schemathesis from PyPI, pinned, in the git-ignored venv .venv-fuzz (reused when
# present), run by scripts/fuzz-api.ts against the served OpenAPI document on LocalStack + FerretDB.
# Bounded: MAX_EXAMPLES per operation (default 25) and FUZZ_TIMEOUT seconds overall (default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

VENV=.venv-fuzz
SCHEMATHESIS_VERSION=4.32.5
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "==> installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
# The full report goes to a file: schemathesis closes it with a pytest-style "=== N warnings in Ns ===" line,
# which a CI log reader takes for a test run that executed no test. Shown whole only when fuzzing fails.
mkdir -p .tmp
REPORT=.tmp/fuzz-api.log
status=0
timeout "${FUZZ_TIMEOUT:-600}" npx tsx scripts/fuzz-api.ts "${MAX_EXAMPLES:-25}" >"$REPORT" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$REPORT"
  exit "$status"
fi
grep -E '^==>' "$REPORT" || true
echo "==> API fuzzing found nothing: $(grep -Eo '[0-9]+ generated' "$REPORT" | tail -1) cases (report: $REPORT)"
