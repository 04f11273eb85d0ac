// Each runner's Sign rate: its share of the configured quota, or of the applied quota read from Service
// Quotas (the real SDK client against a loopback server that answers like the service), never more than
// the quota in total; any failure to read falls back to the configured quota.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSignRate, serviceQuotasReader, type SignQuotaSettings } from '../../../src/kms/sign-quota.js';

const settings = (quota: Partial<SignQuotaSettings['signQuota']> = {}, signRate = 0): SignQuotaSettings => ({
  signRate,
  signQuota: { rateOverride: false, perSecond: 1000, runners: 4, quotaCode: 'L-0A1B2C3D', ...quota },
});

describe('resolveSignRate', () => {
  it('shares the applied quota among the runners', async () => {
    const decision = await resolveSignRate(settings(), () => Promise.resolve(3000));
    expect(decision).toEqual({ perSecond: 750, source: 'service-quotas', quota: 3000, runners: 4 });
  });

  it('falls back to the configured quota when Service Quotas fails or has no value', async () => {
    const denied = Object.assign(new Error('not authorized to perform servicequotas:GetServiceQuota'), {
      name: 'AccessDeniedException',
    });
    const failed = await resolveSignRate(settings(), () => Promise.reject(denied));
    expect(failed).toMatchObject({ perSecond: 250, source: 'KMS_SIGN_QUOTA', quota: 1000 });
    expect(failed.quotaError).toMatch(/^AccessDeniedException: /);
    const empty = await resolveSignRate(settings(), () => Promise.resolve(undefined));
    expect(empty).toMatchObject({ perSecond: 250, source: 'KMS_SIGN_QUOTA' });
    expect(empty.quotaError).toMatch(/no value/);
  });

  it('asks nothing without a quota code, and KMS_SIGN_RATE overrides everything', async () => {
    const never = () => Promise.reject(new Error('must not be called'));
    expect(await resolveSignRate(settings({ quotaCode: undefined }), never)).toEqual({
      perSecond: 250,
      source: 'KMS_SIGN_QUOTA',
      quota: 1000,
      runners: 4,
    });
    expect(await resolveSignRate(settings({ rateOverride: true }, 40), never)).toEqual({
      perSecond: 40,
      source: 'KMS_SIGN_RATE',
      runners: 4,
    });
  });
});

describe('serviceQuotasReader (AWS SDK client, loopback endpoint)', () => {
  const requests: { target: string | undefined; body: unknown }[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on('end', () => {
      requests.push({ target: req.headers['x-amz-target'] as string | undefined, body: JSON.parse(raw) });
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer.body));
    });
  });
  let endpoint = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  );

  it('sends GetServiceQuota for the KMS quota code and returns the applied value', async () => {
    answer = {
      status: 200,
      body: { Quota: { ServiceCode: 'kms', QuotaCode: 'L-0A1B2C3D', Value: 1500, Adjustable: true } },
    };
    const read = serviceQuotasReader({ region: 'us-east-1', endpoint });
    expect(await read('L-0A1B2C3D')).toBe(1500);
    expect(requests.at(-1)).toEqual({
      target: 'ServiceQuotasV20190624.GetServiceQuota',
      body: { ServiceCode: 'kms', QuotaCode: 'L-0A1B2C3D' },
    });
  });

  it('surfaces the service error, which resolveSignRate turns into the configured fallback', async () => {
    answer = {
      status: 400,
      body: { __type: 'NoSuchResourceException', message: 'The specified resource does not exist.' },
    };
    const read = serviceQuotasReader({ region: 'us-east-1', endpoint });
    const decision = await resolveSignRate(settings(), read);
    expect(decision).toMatchObject({ perSecond: 250, source: 'KMS_SIGN_QUOTA' });
    expect(decision.quotaError).toMatch(/^NoSuchResourceException/);
  });
});
