// Secrets Manager reads with an in-memory cache (TTL), so a rotated secret is picked up without a
// restart and start-up bursts do not hammer the API. Values are never logged or put in errors.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from './config.js';
import { redactError } from './redact.js';

export interface SecretCacheOptions {
  client: SecretsManagerClient;
  ttlMs: number;
  clock?: () => number;
}

export class SecretCache {
  private readonly entries = new Map<string, { value: Promise<string>; expiresAt: number }>();
  private readonly clock: () => number;

  constructor(private readonly options: SecretCacheOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** The secret's SecretString; concurrent callers share one request. */
  get(secretId: string): Promise<string> {
    const now = this.clock();
    const cached = this.entries.get(secretId);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = this.fetch(secretId);
    this.entries.set(secretId, { value, expiresAt: now + this.options.ttlMs });
    // A failed read must not be cached.
    value.catch(() => this.entries.delete(secretId));
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  private async fetch(secretId: string): Promise<string> {
    let secret: string | undefined;
    try {
      const out = await this.options.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      secret = out.SecretString;
    } catch (error) {
      throw new Error(`Secrets Manager: cannot read secret ${secretId}: ${redactError(error)}`);
    }
    if (secret === undefined) throw new Error(`Secrets Manager: secret ${secretId} has no SecretString`);
    return secret;
  }
}

/**
 * A MongoDB connection string from a secret: either the URI itself, JSON {"uri": "..."}, or the JSON
 * shape Amazon DocumentDB/RDS managed secrets use ({username, password, host, port, [dbname], [ssl]}).
 */
export function mongoUriFromSecret(secret: string, variable = 'MONGODB_URI_SECRET_ARN'): string {
  const trimmed = secret.trim();
  if (/^mongodb(\+srv)?:\/\//.test(trimmed)) return trimmed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new ConfigError(variable, 'the secret is neither a mongodb:// URI nor JSON');
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const uri = record.uri ?? record.MONGODB_URI;
  if (typeof uri === 'string' && /^mongodb(\+srv)?:\/\//.test(uri)) return uri;
  const { username, password, host, port } = record;
  if (typeof username === 'string' && typeof password === 'string' && typeof host === 'string') {
    const hostPort = typeof port === 'number' || typeof port === 'string' ? `${host}:${port}` : host;
    const tls = record.ssl === true || record.tls === true ? '?tls=true' : '';
    return `mongodb://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${hostPort}/${tls}`;
  }
  throw new ConfigError(variable, 'the secret JSON has neither "uri" nor username/password/host');
}
