import { describe, expect, it } from 'vitest';
import { mongoUriFromSecret, redact, redactError, SecretCache } from '../../../src/config/index.js';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

describe('redact', () => {
  it('replaces connection strings whole and strips URL credentials', () => {
    expect(redact('connect mongodb+srv://app:pa55@cluster0.example.net/db?tls=true failed')).toBe(
      'connect mongodb+srv://<redacted> failed',
    );
    expect(redact('at mongodb://u:p@h1:27017,h2:27017/?replicaSet=rs "x"')).toBe(
      'at mongodb://<redacted> "x"',
    );
    expect(redact('GET https://user:token@example.com/path')).toBe('GET https://<redacted>@example.com/path');
    expect(redact('nothing secret here: http://127.0.0.1:4566')).toBe(
      'nothing secret here: http://127.0.0.1:4566',
    );
  });

  it('masks known secret values anywhere', () => {
    expect(redact('token=abcd1234 and again abcd1234', ['abcd1234', undefined, 'ab'])).toBe(
      'token=<redacted> and again <redacted>',
    );
    expect(redactError(new Error('bad mongodb://a:b@c/'), [])).toBe('Error: bad mongodb://<redacted>');
  });
});

describe('secrets', () => {
  it('takes a MongoDB URI from a plain, {uri} or DocumentDB-style secret', () => {
    expect(mongoUriFromSecret('mongodb://h:1/')).toBe('mongodb://h:1/');
    expect(mongoUriFromSecret('{"uri":"mongodb+srv://x/"}')).toBe('mongodb+srv://x/');
    expect(
      mongoUriFromSecret('{"username":"a b","password":"p@ss","host":"docdb","port":27017,"ssl":true}'),
    ).toBe('mongodb://a%20b:p%40ss@docdb:27017/?tls=true');
  });

  it('refuses other secrets without echoing them', () => {
    for (const secret of ['p@ssw0rd-only', '{"password":"p@ssw0rd-only"}']) {
      let message = '';
      try {
        mongoUriFromSecret(secret);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^MONGODB_URI_SECRET_ARN: /);
      expect(message).not.toContain('p@ssw0rd-only');
    }
  });

  it('caches values for the TTL, shares concurrent reads, and does not cache failures', async () => {
    let now = 0;
    let calls = 0;
    let fail = false;
    const client = {
      send: () => {
        calls++;
        return fail
          ? Promise.reject(new Error('AccessDenied'))
          : Promise.resolve({ SecretString: `v${calls}` });
      },
    } as unknown as SecretsManagerClient;
    const cache = new SecretCache({ client, ttlMs: 1000, clock: () => now });
    expect(await Promise.all([cache.get('s'), cache.get('s')])).toEqual(['v1', 'v1']);
    now = 999;
    expect(await cache.get('s')).toBe('v1');
    now = 1000;
    expect(await cache.get('s')).toBe('v2');
    fail = true;
    now = 5000;
    await expect(cache.get('s')).rejects.toThrow('cannot read secret s');
    fail = false;
    expect(await cache.get('s')).toBe('v4');
  });
});
