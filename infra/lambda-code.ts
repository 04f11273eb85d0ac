// The deployment package of each Lambda handler: infra/bundling.ts's esbuild build (code splitting, ESM)
// run by CDK's local bundling into the asset directory, so `cdk synth` needs no Docker. Synthesis with
// `aws:cdk:bundling-stacks: []` (the assertion tests) skips the build, as it did for NodejsFunction.
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { lambdaBuildOptions, shipPackages, type LambdaHandler } from './bundling.js';

const HANDLERS_DIR = fileURLToPath(new URL('../src/handlers', import.meta.url));

export function lambdaCode(handler: LambdaHandler): Code {
  return Code.fromAsset(HANDLERS_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // CDK caches staged assets by source path and bundling options, which it serialises without the
      // local bundler (a function): the handler's name keeps the two handlers' entries apart.
      environment: { KMS_SIGNER_HANDLER: handler },
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('local-esbuild'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync(lambdaBuildOptions(handler, outputDir));
          shipPackages(outputDir);
          return true;
        },
      },
    },
  });
}
