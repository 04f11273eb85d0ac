// CDK entry point. The deployment issue fills in the stack (Lambdas, API, IAM, secrets, alarms);
// for now it synthesises an empty, environment-agnostic stack so `cdk synth` works offline.
import { App, Stack } from 'aws-cdk-lib';

const app = new App();
const stage = String(app.node.tryGetContext('kms-signer:stage') ?? 'dev');
new Stack(app, `KmsSigner-${stage}`, { description: 'kms-signer (placeholder until the CDK issue)' });
app.synth();
