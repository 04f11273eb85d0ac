// The loop-facing path of the approvals service: externalUrl = https://<host>/four-eye. Its own module so
// the CDK stack (infra/approvals.ts) takes it without loading the app.
export const FOUR_EYE_PATH = '/four-eye';
