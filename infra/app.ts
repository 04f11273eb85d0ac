// CDK entry point (`cdk.json` runs it with tsx). Settings come from context; see infra/config.ts and
// the README section "Deploy with AWS CDK". One stack per stage (`kms-signer:stages=dev,prod`, or the
// single `kms-signer:stage`); stages that could share wallet keys are refused before anything is built.
// A stack is environment-agnostic unless its account (`kms-signer:<stage>:account` or
// CDK_DEFAULT_ACCOUNT) and CDK_DEFAULT_REGION are set, so `cdk synth` needs no credentials.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { assertStagesIsolated, readConfig, readStages } from './config.js';
import { KmsSignerStack } from './kms-signer-stack.js';

const app = new App();
const region = process.env.CDK_DEFAULT_REGION;
const configs = readStages(app.node).map((stage) => readConfig(app.node, stage));
const accountOf = (c: (typeof configs)[number]) => c.account ?? process.env.CDK_DEFAULT_ACCOUNT;
assertStagesIsolated(configs.map((c) => ({ stage: c.stage, appTag: c.appTag, account: accountOf(c) })));
for (const config of configs) {
  const account = accountOf(config);
  new KmsSignerStack(app, `KmsSigner-${config.stage}`, {
    description: `kms-signer (${config.stage}): wallet API, scheduled signer, alarms, dashboard`,
    config,
    ...(account !== undefined && region !== undefined ? { env: { account, region } } : {}),
  });
}
if (app.node.tryGetContext('kms-signer:nag') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
app.synth();
