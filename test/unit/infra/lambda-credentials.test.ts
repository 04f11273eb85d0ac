// The Lambda bundles' credential chain (infra/shims/lambda-credentials.ts, in place of the SDK's default
// chain): the execution role's variables first, a container credentials endpoint only when one is
// configured, and a clear error otherwise — never the SDK's profile, SSO or instance-metadata sources.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CONTAINER_CREDENTIALS_VARIABLES,
  defaultProvider,
  NO_LAMBDA_CREDENTIALS,
} from '../../../infra/shims/lambda-credentials.js';

const VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  ...CONTAINER_CREDENTIALS_VARIABLES,
];
const saved = new Map(VARIABLES.map((name) => [name, process.env[name]]));

let server: Server;
let endpoint: string;
let requests: { url: string | undefined; authorization: string | undefined }[] = [];
const expiration = new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  // What a container credentials endpoint answers (ECS task role format).
  server = createServer((req, res) => {
    requests.push({ url: req.url, authorization: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        AccessKeyId: 'ASIACONTAINER',
        SecretAccessKey: 'container-secret',
        Token: 'container-token',
        Expiration: expiration.toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/credentials`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
});

beforeEach(() => {
  for (const name of VARIABLES) Reflect.deleteProperty(process.env, name);
  requests = [];
});
afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
});

describe('Lambda credential chain', () => {
  it("reads the execution role's credentials from the variables Lambda sets", async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'ASIAROLE',
      AWS_SECRET_ACCESS_KEY: 'role-secret',
      AWS_SESSION_TOKEN: 'role-token',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint, // the environment comes first
    });
    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'ASIAROLE',
      secretAccessKey: 'role-secret',
      sessionToken: 'role-token',
    });
    expect(requests).toEqual([]);
  });

  it('ignores AWS_PROFILE: there is no shared config file on Lambda', async () => {
    Object.assign(process.env, { AWS_PROFILE: 'x', AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' });
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIA' });
  });

  it('reads a container credentials endpoint when one is configured, once while the credentials are fresh', async () => {
    Object.assign(process.env, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Basic abcd',
    });
    const provider = defaultProvider();
    const expected = {
      accessKeyId: 'ASIACONTAINER',
      secretAccessKey: 'container-secret',
      sessionToken: 'container-token',
      expiration,
    };
    await expect(provider()).resolves.toMatchObject(expected);
    await expect(provider()).resolves.toMatchObject(expected);
    expect(requests).toEqual([{ url: '/credentials', authorization: 'Basic abcd' }]);
  });

  it('fails with what the bundle reads when neither source is there', async () => {
    Object.assign(process.env, { AWS_PROFILE: 'default' });
    const error = await defaultProvider()().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(NO_LAMBDA_CREDENTIALS);
    expect((error as Error).message).toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI');
    expect(requests).toEqual([]);
  });
});
