// Fuzzes the HTTP API with schemathesis (PyPI; installed by scripts/fuzz-api.sh into .venv-fuzz) against
// the OpenAPI document the server itself serves: LocalStack KMS + FerretDB started as the tests start
// them (scripts/stack), the real wallet service, the Node server on 127.0.0.1. Fails on any 5xx, any
// response that does not match the document (status, content type, headers, body schema).
// Usage: tsx scripts/fuzz-api.ts [max examples per operation, default 25]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createAppContext } from '../src/app-context.js';
import { startApiServer } from '../src/api/server.js';
import { hashApiKey, loadConfig } from '../src/config/index.js';
import { startStack } from './stack/index.js';

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
].join(',');

function runSchemathesis(url: string, apiKey: string, maxExamples: number): Promise<number> {
  const args = [
    '--no-color',
    'run',
    `${url}/openapi.json`,
    '--checks',
    CHECKS,
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    String(maxExamples),
    '--generation-deterministic',
    '--request-timeout',
    '30',
    '--header',
    `Authorization: Bearer ${apiKey}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('.venv-fuzz/bin/schemathesis', args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  const maxExamples = Number(process.argv[2] ?? 25);
  const stack = await startStack({ services: ['aws', 'mongo'] });
  const apiKey = `fuzz-${randomBytes(24).toString('hex')}`;
  const suffix = randomBytes(4).toString('hex');
  try {
    const context = await createAppContext(
      loadConfig({
        MONGODB_URI: stack.endpoints.mongoUri,
        MONGODB_DB: `fuzz_${suffix}`,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: stack.endpoints.awsEndpoint,
        APP_TAG: `kms-signer-fuzz-${suffix}`,
        API_KEY_HASHES: hashApiKey(apiKey),
        // Fuzzed batches may queue keys; keep what LocalStack has to create small.
        BATCH_MAX_QUEUED_KEYS: '20',
      }),
    );
    const server = await startApiServer({ port: 0, context, env: {}, log: () => undefined });
    try {
      process.stderr.write(
        `==> schemathesis against ${server.url} (${maxExamples} examples per operation)\n`,
      );
      return await runSchemathesis(server.url, apiKey, maxExamples);
    } finally {
      await server.close();
      await context.db.dropDatabase().catch(() => undefined);
      await context.close();
    }
  } finally {
    await stack.stop();
  }
}

process.exitCode = await main();
