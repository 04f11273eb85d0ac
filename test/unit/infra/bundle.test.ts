// Bundles the three handlers with local esbuild (as `cdk synth` does) and imports the built index.mjs in a
// plain Node child process without AWS access: the bundles must load and initialise (import only), every
// chunk loaded on first use must load too, and their minified stack traces must map back to src/ with
// the functions' NODE_OPTIONS. The chain families nothing else needs stay out of the init code.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type Metafile, type Plugin } from 'esbuild';
import { bundleOutputs, eagerOutputs } from '../../../bench/bundle-outputs.js';
import {
  JSON_SCHEMA_NOT_BUNDLED,
  LAMBDA_NODE_OPTIONS,
  lambdaBuildOptions,
  NODE_BUILTIN_ALIASES,
  VERSION_ONLY_IMPORTERS,
  zodEnglishOnly,
  zodWithoutJsonSchema,
} from '../../../infra/bundling.js';
import { readConfig } from '../../../infra/config.js';
import { fetchOpenApiDocument } from '../../../src/api/app.js';
import { apiHarness } from '../../support/api-harness.js';
import { KmsSignerStack } from '../../../infra/kms-signer-stack.js';

const outdir = mkdtempSync(join(tmpdir(), 'kms-signer-cdk-'));
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

/** The asset directory of a function, read from the synthesised template's asset metadata. */
function assetDirs(): string[] {
  return readdirSync(outdir)
    .filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')))
    .map((d) => join(outdir, d));
}

/** Runs an ES module script in a plain Node child without AWS access; returns its stdout. */
function runModule(script: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    cwd: outdir,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('bundled handlers', () => {
  // With the approvals service (kms-signer:approvals): api, signer and approvals.
  const app = new App({ outdir, context: { 'kms-signer:approvals': 'true' } });
  new KmsSignerStack(app, 'Bundle', { config: readConfig(app.node) });
  app.synth();
  const dirs = assetDirs();

  it('produces one bundle per function', () => {
    expect(dirs).toHaveLength(3);
  });

  it.each([0, 1, 2])('bundle %i loads in plain Node', (i) => {
    const entry = join(dirs[i]!, 'index.mjs');
    const script = `const m = await import(${JSON.stringify(entry)}); if (typeof m.handler !== 'function') process.exit(3); console.log('ok');`;
    expect(runModule(script).trim()).toBe('ok');
  });

  it.each([0, 1, 2])('every chunk of bundle %i loads in plain Node', (i) => {
    const chunks = readdirSync(join(dirs[i]!, 'chunks')).filter((f) => f.endsWith('.mjs'));
    expect(chunks.length).toBeGreaterThan(0);
    const urls = chunks.map((f) => JSON.stringify(join(dirs[i]!, 'chunks', f)));
    const script = `for (const u of [${urls.join(',')}]) await import(u); console.log('ok');`;
    expect(runModule(script).trim()).toBe('ok');
  });

  it.each([0, 1, 2])('bundle %i reports errors at src/ lines through its source map', (i) => {
    const entry = join(dirs[i]!, 'index.mjs');
    const map = JSON.parse(readFileSync(`${entry}.map`, 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined(); // mappings only: a smaller map for Node to read at start-up
    // Without AWS_REGION the first invocation fails in loadConfig, before any network use.
    const script = `const { handler } = await import(${JSON.stringify(entry)}); await handler({}, {}).catch((e) => console.log(e.stack));`;
    const out = runModule(script, { NODE_OPTIONS: LAMBDA_NODE_OPTIONS });
    expect(out).toMatch(/^ConfigError: AWS_REGION/);
    // The frame's src/ file and line; its name is the minified one when the function lives in a chunk
    // shared with a lazily loaded one (esbuild's map has no name for a binding imported across chunks).
    expect(out).toMatch(/at \S+ \(.*src\/config\/config\.ts:\d+:\d+\)/);
  });
}, 120_000);

describe('signer bundle code splitting', () => {
  it('keeps TRON, XRP, EVM, Algorand, libsecp256k1 and the Solana signer out of the init code, in chunks of their own', async () => {
    await withHandlerBuild('signer', async (metafile) => {
      const outputs = await bundleOutputs(metafile, relativeEntry(metafile), process.cwd());
      const eager = outputs.topEagerModules.map((m) => m.module);
      const lazyInputs = splitInputs(metafile).lazy;
      // ethers (EVM signer and addresses) and algosdk (Algorand addresses) load per family since issue 16,
      // libauth's libsecp256k1 on the first secp256k1 key (src/crypto/libsecp256k1.ts).
      for (const library of ['tronweb', 'ripple-binary-codec', 'ethers', 'algosdk', '@bitauth/libauth']) {
        expect(eager).not.toContain(library);
        expect(lazyInputs.some((input) => input.includes(`node_modules/${library}/`))).toBe(true);
      }
      expect(lazyInputs.some((input) => input.startsWith('src/signer/solana/'))).toBe(true);
      expect(outputs.eagerBytes).toBeLessThan(outputs.totalBytes);
    });
  });

  it('leaves the wallet service out of the init code: the loop only reads wallets (src/wallets/loop-reads.ts)', async () => {
    const eager = await signerInitInputs();
    expect(eager).toContain('src/wallets/loop-reads.ts');
    for (const input of ['src/wallets/service.ts', 'src/wallets/batch.ts', 'src/wallets/import.ts']) {
      expect(eager).not.toContain(input);
    }
  });

  it('leaves code only some keys, chains or signatures need out of the init code', async () => {
    const eager = await signerInitInputs();
    const lazy = [
      // The vault's DER codec and Ed25519 checks (src/kms/vault.ts imports them on first use).
      'node_modules/asn1.js/',
      'node_modules/bn.js/',
      'node_modules/@noble/curves/ed25519.js',
      'src/kms/der.ts',
      'src/kms/ed25519.ts',
      // The signature maths around KMS's answers, imported with them (src/kms/kms-signature.ts).
      'src/crypto/secp256k1.ts',
      'node_modules/@noble/curves/',
      // TRON's and Bitcoin's address hashing, once re-exported by the chains barrel.
      'src/chains/addresses/tron.ts',
      'node_modules/bs58check/',
      'node_modules/@noble/hashes/sha3.js',
      'node_modules/@noble/hashes/legacy.js',
      // momoa: strict JSON's slow path, imported when the one-pass scan cannot settle a payload.
      'node_modules/@humanwhocodes/momoa/',
      'src/util/strict-json.ts',
      // Each family's chain view, loaded on its first call (src/chain-view/on-first-call.ts).
      'src/chain-view/evm.ts',
      'src/chain-view/bitcoin.ts',
      'src/chain-view/solana.ts',
      'src/chain-view/vet.ts',
      'src/chain-view/flow.ts',
      'src/chain-view/multiversx.ts',
      'src/chain-view/json-rpc.ts',
      'src/chain-view/rest.ts',
      // SOL's and EGLD's payload completions and SOL's blockhash-expiry proof, loaded by their first job.
      'src/tatum/complete-sol.ts',
      'src/tatum/complete-egld.ts',
      'src/tatum/sol-expiry.ts',
    ];
    for (const module of lazy) expect(eager.filter((input) => input.includes(module))).toEqual([]);
  });

  it.each(['signer', 'api'] as const)(
    "bundles the %s handler with the Lambda credential chain, without the SDK's SSO/STS/ini/process providers and their protocols",
    async (handler) => {
      const { eager, lazy } = await handlerInputs(handler);
      const all = [...eager, ...lazy];
      // infra/shims/lambda-credentials.ts in place of @aws-sdk/credential-provider-node (LAMBDA_CREDENTIALS_ALIAS).
      expect(eager).toContain('infra/shims/lambda-credentials.ts');
      expect(eager.some((i) => i.includes('node_modules/@aws-sdk/credential-provider-env/'))).toBe(true);
      // The container providers load only when a container credentials endpoint is configured.
      for (const module of ['@aws-sdk/credential-provider-http/', '@smithy/credential-provider-imds/']) {
        expect(eager.filter((i) => i.includes(module))).toEqual([]);
        expect(lazy.some((i) => i.includes(module))).toBe(true);
      }
      for (const module of [
        '@aws-sdk/credential-provider-node/',
        '@aws-sdk/credential-provider-ini/',
        '@aws-sdk/credential-provider-sso/',
        '@aws-sdk/credential-provider-process/',
        '@aws-sdk/credential-provider-web-identity/',
        '@aws-sdk/credential-provider-login/',
        '@aws-sdk/nested-clients/', // the SSO, SSO-OIDC and STS clients
        '@aws-sdk/token-providers/',
        // Their protocols, which the KMS and Secrets Manager clients' barrels put in the init code.
        '@aws-sdk/core/dist-es/submodules/protocols/query/',
        '@aws-sdk/core/dist-es/submodules/protocols/xml/',
        '@aws-sdk/core/dist-es/submodules/protocols/json/AwsRestJsonProtocol.js',
        '@aws-sdk/xml-builder/dist-es/xml-parser.js',
      ]) {
        expect(all.filter((i) => i.includes(`node_modules/${module}`))).toEqual([]);
      }
    },
  );
}, 120_000);

/** Builds a handler's bundle into a temporary folder (removed afterwards) and hands `use` its metafile. */
async function withHandlerBuild<T>(
  handler: 'api' | 'signer',
  use: (metafile: Metafile) => Promise<T> | T,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `kms-signer-${handler}-build-`));
  try {
    const { metafile } = await build({ ...lambdaBuildOptions(handler, dir), write: true });
    if (!metafile) throw new Error('esbuild returned no metafile');
    return await use(metafile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The input files (src/… or node_modules/…) of the init code (entry + static chunks) and of the rest. */
function splitInputs(metafile: Metafile): { eager: string[]; lazy: string[] } {
  const eagerFiles = new Set(eagerOutputs(metafile, relativeEntry(metafile)));
  const inputsOf = (eager: boolean) =>
    Object.entries(metafile.outputs)
      .filter(([path]) => eagerFiles.has(path) === eager)
      .flatMap(([, o]) => Object.keys(o.inputs));
  return { eager: inputsOf(true), lazy: inputsOf(false) };
}

const handlerInputs = (handler: 'api' | 'signer') => withHandlerBuild(handler, splitInputs);
const signerInitInputs = async () => (await handlerInputs('signer')).eager;

describe('API bundle: the OpenAPI document generated at build time', () => {
  it('answers what the app in src/ serves, per auth mode, in a chunk of its own without the generator', async () => {
    await withHandlerBuild('api', async (metafile) => {
      const inputs = Object.values(metafile.outputs).flatMap((o) => Object.keys(o.inputs));
      expect(inputs.filter((i) => /@asteasolutions\/zod-to-openapi|@hono\/zod-openapi/.test(i))).toEqual([]);
      const chunks = Object.entries(metafile.outputs)
        .filter(([, o]) => Object.keys(o.inputs).some((i) => i.startsWith('openapi-document:')))
        .map(([path]) => path);
      expect(chunks).toHaveLength(1);
      expect(eagerOutputs(metafile, relativeEntry(metafile))).not.toContain(chunks[0]);
      const bundled = (await import(
        join(process.cwd(), chunks[0]!)
      )) as typeof import('../../../src/api/openapi.js');
      for (const auth of [undefined, { mode: 'iam' } as const]) {
        const served = await fetchOpenApiDocument(apiHarness(auth ? { auth } : {}).app);
        expect(bundled.buildOpenApiDocument([], auth ?? { mode: 'api-key', keyHashes: [] })).toEqual(served);
      }
    });
  });
}, 120_000);

describe('API bundle code splitting', () => {
  it('keeps what only some requests or the CLI need out of the init code', async () => {
    const { eager, lazy } = await handlerInputs('api');
    for (const input of [
      'node_modules/@humanwhocodes/momoa/', // strict JSON's full check, for a body the scan cannot settle
      'src/chain-view/flow.ts', // FLOW account registration
      'src/chain-view/evm.ts',
      'src/wallets/import.ts', // wallet import and reconcile: the CLI's
      'src/wallets/reconcile.ts',
      'src/wallets/batch.ts', // batch and lifecycle-operation requests
      'src/wallets/operations.ts',
      'node_modules/@noble/curves/ed25519.js', // Ed25519 keys (import, the vault's key check)
    ]) {
      expect(eager.filter((i) => i.includes(input))).toEqual([]);
      expect(lazy.some((i) => i.includes(input))).toBe(true);
    }
  });
}, 120_000);

describe('package.json files imported for their version alone', () => {
  it.each(['signer', 'api'] as const)(
    'are in the %s bundle as their version only, for importers that read nothing else from them',
    async (handler) => {
      const { eager, lazy } = await handlerInputs(handler);
      const inputs = [...eager, ...lazy];
      // Metafile inputs are relative to the repository; the plugin sees absolute paths.
      const importers = inputs.filter((i) =>
        VERSION_ONLY_IMPORTERS.some((pattern) => pattern.test(resolve(i))),
      );
      // The KMS and Secrets Manager clients' runtime configuration and the MongoDB driver's handshake.
      for (const name of ['@aws-sdk/client-kms/', '@aws-sdk/client-secrets-manager/', 'mongodb/']) {
        expect(importers.some((i) => i.includes(`node_modules/${name}`))).toBe(true);
        const json = inputs.filter((i) => i.endsWith(`node_modules/${name}package.json`));
        expect(json.length).toBeGreaterThan(0);
        expect(json.filter((i) => !i.startsWith('package-version:'))).toEqual([]);
      }
      for (const importer of importers) {
        const source = readFileSync(importer, 'utf8');
        // ESM: `import packageInfo from "../package.json"`, then only `packageInfo.version`.
        const names = [...source.matchAll(/import (\w+) from "[^"]*package\.json"/g)].map((m) => m[1]!);
        // CommonJS: `require('../../../package.json').version`.
        const requires = [...source.matchAll(/require\(["'][^"']*package\.json["']\)(\.version\b)?/g)];
        expect(names.length + requires.length, importer).toBeGreaterThan(0);
        for (const [, version] of requires) expect(version, importer).toBe('.version');
        for (const name of names) {
          const uses = [...source.matchAll(new RegExp(`\\b${name}\\b(\\.\\w+)?`, 'g'))].slice(1);
          expect(uses.length, importer).toBeGreaterThan(0);
          for (const [, member] of uses) expect(member, importer).toBe('.version');
        }
      }
    },
  );
});

describe("Node's URL in place of whatwg-url", () => {
  it('parses MongoDB connection strings exactly as the package with whatwg-url does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-signer-url-'));
    try {
      const entry = join(dir, 'entry.mjs');
      writeFileSync(entry, "export { ConnectionString } from 'mongodb-connection-string-url';\n");
      const bundled = join(dir, 'bundled.mjs');
      await build({
        entryPoints: [entry],
        outfile: bundled,
        bundle: true,
        format: 'esm',
        platform: 'node',
        nodePaths: [join(process.cwd(), 'node_modules')],
        alias: NODE_BUILTIN_ALIASES,
        logLevel: 'error',
      });
      const source = readFileSync(bundled, 'utf8');
      expect(source).not.toContain('node_modules/tr46'); // the substitution happened
      expect(source).toContain('globalThis.URL');
      const shimmed = (await import(bundled)) as typeof import('mongodb-connection-string-url');
      const original = await import('mongodb-connection-string-url');
      for (const uri of CONNECTION_STRINGS) {
        const a = new original.ConnectionString(uri);
        const b = new shimmed.ConnectionString(uri);
        expect(b.hosts).toEqual(a.hosts);
        expect(b.username).toBe(a.username);
        expect(b.password).toBe(a.password);
        expect(b.pathname).toBe(a.pathname);
        expect(b.isSRV).toBe(a.isSRV);
        expect([...b.searchParams]).toEqual([...a.searchParams]);
        expect(b.toString()).toBe(a.toString());
      }
      expect(() => new shimmed.ConnectionString('http://not-mongo')).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('zod with its English locale only', () => {
  it('bundles no other locale and reports the same issues as zod with every locale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-signer-zod-'));
    try {
      // What the API does: @hono/zod-openapi's z, extended and handed to zod-to-openapi as a namespace.
      const entry = join(dir, 'entry.mjs');
      writeFileSync(
        entry,
        `import { z } from '@hono/zod-openapi';\n${ZOD_PROBE}\nexport { issues, locales };\n`,
      );
      const bundle = async (name: string, plugins: Plugin[]) => {
        const { inputs, module } = await bundleProbe(entry, join(dir, name), plugins);
        const locales = inputs
          .filter((path) => /zod\/v4\/locales\/(?!index)/.test(path))
          .map((path) => path.replace(/^.*\//, ''));
        return { locales, probe: module as ZodProbe };
      };
      const english = await bundle('english.mjs', [zodEnglishOnly]);
      const every = await bundle('every.mjs', []);
      expect(english.locales).toEqual(['en.js']);
      expect(every.locales.length).toBeGreaterThan(40); // what the plugin takes out
      expect(english.probe.locales).toEqual(['en']);
      expect(english.probe.issues).toEqual(every.probe.issues);
      expect(english.probe.issues.length).toBeGreaterThan(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('zod without its JSON Schema converters', () => {
  it.each(['signer', 'api'] as const)('leaves them out of the %s bundle', async (handler) => {
    const { eager, lazy } = await handlerInputs(handler);
    const zodCore = [...eager, ...lazy].filter((i) =>
      /zod\/v4\/core\/(to-json-schema|json-schema-processors)\.js$/.test(i),
    );
    // The stand-ins, and of zod's processors file only aggregateChecks (the schemas' minLength/format getters).
    expect(zodCore.filter((i) => i.startsWith('zod-without-json-schema:')).length).toBe(2);
    expect(zodCore.filter((i) => i.endsWith('to-json-schema.js') && !i.startsWith('zod-without'))).toEqual(
      [],
    );
  });

  it('parses and describes schemas as zod does, and only converting one to JSON Schema throws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-signer-zod-json-'));
    try {
      const entry = join(dir, 'entry.mjs');
      writeFileSync(
        entry,
        `import * as z from 'zod';\n${ZOD_PROBE}\n${ZOD_GETTERS}\nexport { issues, getters, z };\n`,
      );
      const bundle = async (name: string, plugins: Plugin[]) => {
        const { inputs, module } = await bundleProbe(entry, join(dir, name), plugins);
        return { probe: module as ZodProbe & { getters: unknown[]; z: typeof import('zod') }, inputs };
      };
      const without = await bundle('without.mjs', [zodWithoutJsonSchema]);
      const whole = await bundle('whole.mjs', []);
      expect(without.probe.issues).toEqual(whole.probe.issues);
      expect(without.probe.issues.length).toBeGreaterThan(10);
      expect(without.probe.getters).toEqual(whole.probe.getters);
      expect(whole.probe.getters).toContain(3); // the getters answer, they are not all undefined
      expect(without.inputs.filter((i) => i.startsWith('zod-without-json-schema:'))).toHaveLength(2);
      const schema = (z: typeof import('zod')) => z.object({ id: z.uuid(), n: z.number().int() });
      expect(schema(whole.probe.z).toJSONSchema()).toMatchObject({ type: 'object' });
      expect(() => schema(without.probe.z).toJSONSchema()).toThrow(JSON_SCHEMA_NOT_BUNDLED);
      const standard = schema(without.probe.z)['~standard'] as unknown as {
        jsonSchema: { input: (o: object) => unknown };
      };
      expect(() => standard.jsonSchema.input({ target: 'draft-2020-12' })).toThrow(JSON_SCHEMA_NOT_BUNDLED);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Schema facts zod computes with aggregateChecks (json-schema-processors.js), which the plugin keeps. */
const ZOD_GETTERS = `
const name = z.string().min(3).max(5);
const count = z.number().int().min(1).max(9);
const getters = [
  name.minLength, name.maxLength, name.format, z.email().format, z.uuid().format,
  count.minValue, count.maxValue, count.isInt, count.isFinite, z.number().format,
  z.bigint().min(2n).minValue,
];`;

/** Bundles `entry` (an ES module probe) with `plugins` into `outfile`; its inputs and the imported module. */
async function bundleProbe(entry: string, outfile: string, plugins: Plugin[]) {
  const { metafile } = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    nodePaths: [join(process.cwd(), 'node_modules')],
    plugins,
    metafile: true,
    logLevel: 'error',
  });
  return { inputs: Object.keys(metafile.inputs), module: (await import(outfile)) as unknown };
}

interface ZodProbe {
  issues: unknown[];
  locales: string[];
}

/** Failing parses that use zod's English messages (sizes, formats, types, enums, unions, custom). */
const ZOD_PROBE = `
const schema = z.object({
  id: z.string().uuid(),
  name: z.string().min(3).max(5),
  count: z.number().int().positive(),
  chain: z.enum(['BTC', 'ETH']),
  when: z.iso.datetime(),
  either: z.union([z.string(), z.number()]),
  tags: z.array(z.string()).nonempty(),
  strict: z.strictObject({ a: z.literal(1) }),
});
const inputs = [
  { id: 'x', name: 'ab', count: 1.5, chain: 'SOL', when: 'now', either: null, tags: [], strict: { a: 2, b: 1 } },
  { id: 1, name: 'abcdefg', count: -1, chain: 1, when: 1, either: {}, tags: [1], strict: {} },
  'not an object',
];
const issues = inputs.flatMap((input) => schema.safeParse(input).error?.issues ?? []);
const locales = Object.keys(z.locales);`;

const CONNECTION_STRINGS = [
  'mongodb://127.0.0.1:27017/kms-signer',
  'mongodb://user:p%40ss%2Fw0rd@h1.example.com:27017,h2.example.com:27018/db?replicaSet=rs0&authSource=admin',
  'mongodb+srv://app:secret@cluster0.ab1cd.mongodb.net/wallets?retryWrites=true&w=majority&appName=x',
  'mongodb://[::1]:27017/?directConnection=true&tls=true',
  'mongodb://bücher.example:27017/?readPreference=secondaryPreferred',
];

function relativeEntry(metafile: import('esbuild').Metafile): string {
  const entry = Object.keys(metafile.outputs).find((p) => p.endsWith('/index.mjs'));
  if (entry === undefined) throw new Error('no index.mjs in the build');
  return entry;
}
