// Builds one Lambda handler into a directory: `node --import tsx infra/build-lambda.ts <handler> <outdir>`.
// CDK's local bundling (infra/lambda-code.ts) must build synchronously, and esbuild runs plugins only in
// its asynchronous API (buildSync refuses them), so the CDK stack runs this in a child process.
import { lambdaBuildOptions, shipPackages, type LambdaHandler } from './bundling.js';
import { build } from 'esbuild';

const HANDLERS: readonly LambdaHandler[] = ['api', 'signer', 'approvals'];
const [handler, outdir] = process.argv.slice(2);
if (!HANDLERS.includes(handler as LambdaHandler) || outdir === undefined) {
  throw new Error(`usage: build-lambda.ts <${HANDLERS.join('|')}> <outdir>`);
}
await build(lambdaBuildOptions(handler as LambdaHandler, outdir));
shipPackages(outdir);
