// Console sessions: a random 256-bit token in an HttpOnly, SameSite=Strict, Secure (__Host-) cookie; the
// database keeps only its SHA-256, so a read of the collection yields no usable session. Each session has
// its own CSRF token, which every form posts back (synchronizer-token pattern).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from 'mongodb';

export const APPROVAL_SESSIONS = 'approval_sessions';

export interface SessionDoc {
  _id: string;
  username: string;
  csrf: string;
  createdAt: Date;
  expiresAt: Date;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly ttlMs: number,
  ) {}

  private get sessions() {
    return this.db.collection<SessionDoc>(APPROVAL_SESSIONS);
  }

  /** Returns the cookie value. */
  async create(username: string): Promise<string> {
    const token = randomToken();
    const now = this.clock();
    await this.sessions.insertOne({
      _id: tokenId(token),
      username,
      csrf: randomToken(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlMs),
    });
    return token;
  }

  async find(token: string): Promise<SessionDoc | null> {
    const session = await this.sessions.findOne({ _id: tokenId(token) });
    return session && session.expiresAt > this.clock() ? session : null;
  }

  async end(token: string): Promise<void> {
    await this.sessions.deleteOne({ _id: tokenId(token) });
  }
}
