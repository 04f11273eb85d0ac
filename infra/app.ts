// CDK entry point (`cdk.json` runs it with tsx). Settings come from context; see infra/config.ts and
// the README section "Deploy with AWS CDK". The stack is environment-agnostic unless
// CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION are set, so `cdk synth` needs no credentials.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.js';
import { KmsSignerStack } from './kms-signer-stack.js';

const app = new App();
const config = readConfig(app.node);
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
new KmsSignerStack(app, `KmsSigner-${config.stage}`, {
  description: `kms-signer (${config.stage}): wallet API, scheduled signer, alarms`,
  config,
  ...(account !== undefined && region !== undefined ? { env: { account, region } } : {}),
});
if (app.node.tryGetContext('kms-signer:nag') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
app.synth();
