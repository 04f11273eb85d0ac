// The deployment package of each Lambda handler: infra/bundling.ts's esbuild build (code splitting, ESM)
// run by CDK's local bundling into the asset directory, so `cdk synth` needs no Docker. Synthesis with
// `aws:cdk:bundling-stacks: []` (the assertion tests) skips the build, as it did for NodejsFunction.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { LambdaHandler } from './bundling.js';

const HANDLERS_DIR = fileURLToPath(new URL('../src/handlers', import.meta.url));
const BUILD_SCRIPT = fileURLToPath(new URL('./build-lambda.ts', import.meta.url));
/** tsx's loader, so that the child runs the TypeScript build script whatever the parent was started with. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

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
          // A child process: the build uses an esbuild plugin, which buildSync does not run (./build-lambda.ts).
          execFileSync(process.execPath, ['--import', TSX_LOADER, BUILD_SCRIPT, handler, outputDir], {
            stdio: 'inherit',
          });
          return true;
        },
      },
    },
  });
}
