#!/usr/bin/env bash
# Synthesises the dev, prod, VPC, ECS and approvals variants of the CDK app offline and checks every template with
# cfn-lint and checkov (both from PyPI, pinned, in the git-ignored venv .venv-iac, reused when present).
# Findings are fixed in infra/ or acknowledged there with a reason (infra/iac-acknowledgements.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true DO_NOT_TRACK=1

VENV=.venv-iac
CFN_LINT_VERSION=1.58.0
CHECKOV_VERSION=3.3.30
if ! "$VENV/bin/cfn-lint" --version 2>/dev/null | grep -q "$CFN_LINT_VERSION" ||
  ! "$VENV/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
  echo "==> installing cfn-lint $CFN_LINT_VERSION and checkov $CHECKOV_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION" "checkov==$CHECKOV_VERSION"
fi

out=.tmp/synth
rm -rf "$out"
synth() {
  local name=$1
  shift
  echo "==> cdk synth ($name)"
  npx cdk synth -q -o "$out/$name" "$@"
}
synth dev
synth prod -c kms-signer:stage=prod -c kms-signer:tatumNetwork=mainnet \
  -c kms-signer:externalUrl=https://approve.example.com -c kms-signer:cloudTrail=true
synth vpc -c kms-signer:vpc=new -c kms-signer:multiRegionKeys=true
synth ecs -c kms-signer:enableEcs=true -c kms-signer:vpc=new
synth approvals -c kms-signer:stage=prod -c kms-signer:tatumNetwork=mainnet -c kms-signer:approvals=true \
  -c kms-signer:enableEcs=true -c kms-signer:vpc=new

mapfile -t templates < <(ls "$out"/*/*.template.json)
echo "==> cfn-lint (${#templates[@]} templates)"
"$VENV/bin/cfn-lint" --format parseable -- "${templates[@]}"
echo "==> checkov"
for t in "${templates[@]}"; do
  "$VENV/bin/checkov" --quiet --compact --framework cloudformation --skip-download -f "$t"
done
echo "==> IaC checks passed"
