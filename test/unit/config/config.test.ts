import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, hashApiKey, isAcceptedApiKey, loadConfig } from '../../../src/config/index.js';

const base = { AWS_REGION: 'eu-west-1', MONGODB_URI: 'mongodb://127.0.0.1:27017/' };

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('applies defaults', () => {
    expect(loadConfig(base)).toEqual({
      mongo: { uri: base.MONGODB_URI, uriSecretArn: undefined, dbName: 'kms-signer' },
      aws: { region: 'eu-west-1', endpoint: undefined },
      kms: {
        signRate: 1000,
        signQuota: { rateOverride: false, perSecond: 1000, runners: 1, quotaCode: undefined },
        createKeyRate: 5,
        multiRegionKeys: false,
      },
      application: 'kms-signer',
      apiKeyHashes: [],
      secretsCacheTtlMs: 300_000,
      batchMaxQueuedKeys: 1_000,
    });
  });

  it('reads every variable', () => {
    const hash = hashApiKey('key-1');
    const config = loadConfig({
      AWS_DEFAULT_REGION: 'us-east-2',
      MONGODB_URI_SECRET_ARN: 'arn:aws:secretsmanager:us-east-2:123456789012:secret:mongo-AbCdEf',
      MONGODB_DB: 'wallets_prod',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      KMS_SIGN_RATE: '250',
      KMS_CREATE_KEY_RATE: '2.5',
      KMS_MULTI_REGION_KEYS: 'true',
      APP_TAG: 'kms-signer-prod',
      API_KEY_HASHES: ` ${hash.toUpperCase()} , ${hashApiKey('key-2')}`,
      SECRETS_CACHE_TTL_SECONDS: '60',
    });
    expect(config).toMatchObject({
      mongo: { uri: undefined, dbName: 'wallets_prod' },
      aws: { region: 'us-east-2', endpoint: 'http://127.0.0.1:4566' },
      kms: { signRate: 250, createKeyRate: 2.5, multiRegionKeys: true },
      application: 'kms-signer-prod',
      apiKeyHashes: [hash, hashApiKey('key-2')],
      secretsCacheTtlMs: 60_000,
    });
  });

  it('gives each runner its share of the Sign quota unless KMS_SIGN_RATE fixes the rate', () => {
    const shared = loadConfig({ ...base, KMS_SIGN_QUOTA: '1500', KMS_SIGN_RUNNERS: '3' }).kms;
    expect(shared.signRate).toBe(500);
    expect(shared.signQuota).toEqual({
      rateOverride: false,
      perSecond: 1500,
      runners: 3,
      quotaCode: undefined,
    });
    const fixed = loadConfig({ ...base, KMS_SIGN_RATE: '40', KMS_SIGN_RUNNERS: '3' }).kms;
    expect(fixed.signRate).toBe(40);
    expect(fixed.signQuota.rateOverride).toBe(true);
    expect(loadConfig({ ...base, KMS_SIGN_QUOTA_CODE: 'L-1A2B3C4D' }).kms.signQuota.quotaCode).toBe(
      'L-1A2B3C4D',
    );
  });

  it.each([
    [{ ...base, KMS_SIGN_RUNNERS: '0' }, 'KMS_SIGN_RUNNERS'],
    [{ ...base, KMS_SIGN_RUNNERS: '1.5' }, 'KMS_SIGN_RUNNERS'],
    [{ ...base, KMS_SIGN_QUOTA: '-1' }, 'KMS_SIGN_QUOTA'],
    [{ ...base, KMS_SIGN_QUOTA_CODE: 'ecc' }, 'KMS_SIGN_QUOTA_CODE'],
    [{ ...base, AWS_REGION: undefined }, 'AWS_REGION'],
    [{ ...base, AWS_REGION: 'Ireland' }, 'AWS_REGION'],
    [{ AWS_REGION: 'eu-west-1' }, 'MONGODB_URI'],
    [
      { ...base, MONGODB_URI_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' },
      'MONGODB_URI',
    ],
    [{ ...base, MONGODB_URI_SECRET_ARN: 'not-an-arn', MONGODB_URI: '' }, 'MONGODB_URI_SECRET_ARN'],
    [{ ...base, MONGODB_DB: 'a.b' }, 'MONGODB_DB'],
    [{ ...base, AWS_ENDPOINT_URL: 'localhost:4566' }, 'AWS_ENDPOINT_URL'],
    [{ ...base, KMS_SIGN_RATE: 'fast' }, 'KMS_SIGN_RATE'],
    [{ ...base, KMS_CREATE_KEY_RATE: '0' }, 'KMS_CREATE_KEY_RATE'],
    [{ ...base, KMS_MULTI_REGION_KEYS: 'yes' }, 'KMS_MULTI_REGION_KEYS'],
    [{ ...base, APP_TAG: 'bad#tag' }, 'APP_TAG'],
    [{ ...base, API_KEY_HASHES: 'plain-api-key' }, 'API_KEY_HASHES'],
  ])('names the offending variable (%#)', (env, variable) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });

  it('never repeats a bad MONGODB_URI (it carries a password)', () => {
    const password = 'hunter2-very-secret';
    for (const uri of [
      `postgres://admin:${password}@db:5432/x`,
      `mongodb//admin:${password}@db`,
      `mongodb://admin:${password}@db with space`,
    ]) {
      const error = configError({ ...base, MONGODB_URI: uri });
      expect(error.variable).toBe('MONGODB_URI');
      expect(error.message).not.toContain(password);
      expect(error.message).not.toContain('admin');
    }
  });

  it('never repeats an API key given where a hash belongs', () => {
    const error = configError({ ...base, API_KEY_HASHES: `${hashApiKey('a')},sk_live_abcdef123456` });
    expect(error.message).toContain('entry 2');
    expect(error.message).not.toContain('sk_live_abcdef123456');
  });

  it('reads an env file; the environment wins over it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kms-signer-config-'));
    const file = path.join(dir, 'test.env');
    writeFileSync(
      file,
      '# comment\nAWS_REGION=ap-south-1\nMONGODB_URI="mongodb://file:27017/"\nAPP_TAG=from-file\n',
    );
    expect(loadConfig({}, { envFile: file })).toMatchObject({
      aws: { region: 'ap-south-1' },
      mongo: { uri: 'mongodb://file:27017/' },
      application: 'from-file',
    });
    expect(loadConfig({ KMS_SIGNER_ENV_FILE: file, APP_TAG: 'from-env' })).toMatchObject({
      application: 'from-env',
    });
    const missing = configError({ KMS_SIGNER_ENV_FILE: path.join(dir, 'missing.env') });
    expect(missing.variable).toBe('KMS_SIGNER_ENV_FILE');
    expect(missing.message).toContain('ENOENT');
  });
});

describe('API keys', () => {
  it('accepts only keys whose SHA-256 is listed', () => {
    const hashes = [hashApiKey('alpha'), hashApiKey('beta')];
    expect(hashApiKey('alpha')).toMatch(/^[0-9a-f]{64}$/);
    expect(isAcceptedApiKey('beta', hashes)).toBe(true);
    expect(isAcceptedApiKey('gamma', hashes)).toBe(false);
    expect(isAcceptedApiKey('', hashes)).toBe(false);
    expect(isAcceptedApiKey('alpha', [])).toBe(false);
  });
});
