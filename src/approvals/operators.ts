// Operators of the console: username, scrypt password hash, role. Sign-in refuses an operator with
// `maxFailedLogins` failures inside the lock-out window, before even checking the password. Failures are
// separate inserted documents, counted — not a counter updated in place: FerretDB 1.24 loses concurrent
// $inc updates (src/db/claims.ts), and a password-guessing burst is exactly a concurrent one.
import { randomUUID } from 'node:crypto';
import { MongoServerError, type Db } from 'mongodb';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.js';

export const APPROVAL_OPERATORS = 'approval_operators';
export const APPROVAL_LOGIN_FAILURES = 'approval_login_failures';

export const ROLES = ['viewer', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** approver and admin may vote; viewer only reads. */
export function canVote(role: Role): boolean {
  return role === 'approver' || role === 'admin';
}

export interface OperatorDoc {
  _id: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
}

interface LoginFailureDoc {
  _id: string;
  username: string;
  at: Date;
  ip: string;
}

export type SignInResult =
  { ok: true; username: string; role: Role } | { ok: false; reason: 'invalid' | 'locked' };

const DUPLICATE_KEY = 11000;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export class OperatorStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly lockout: { maxFailedLogins: number; windowMs: number },
  ) {}

  private get operators() {
    return this.db.collection<OperatorDoc>(APPROVAL_OPERATORS);
  }

  private get failures() {
    return this.db.collection<LoginFailureDoc>(APPROVAL_LOGIN_FAILURES);
  }

  async create(username: string, password: string, role: Role): Promise<void> {
    const name = normalizeUsername(username);
    if (!USERNAME.test(name)) {
      throw new Error('username: 2–63 characters, lower-case letters, digits, ".", "_" or "-"');
    }
    const passwordHash = await hashPassword(password);
    try {
      await this.operators.insertOne({ _id: name, passwordHash, role, createdAt: this.clock() });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
        throw new Error(`username: operator ${name} already exists`);
      }
      throw error;
    }
  }

  async signIn(username: string, password: string, ip: string): Promise<SignInResult> {
    const name = normalizeUsername(username);
    const since = new Date(this.clock().getTime() - this.lockout.windowMs);
    const recent = await this.failures.countDocuments({ username: name, at: { $gte: since } });
    if (recent >= this.lockout.maxFailedLogins) return { ok: false, reason: 'locked' };
    const operator = await this.operators.findOne({ _id: name });
    const valid = await verifyPassword(password, operator?.passwordHash ?? DUMMY_HASH);
    if (operator && valid) return { ok: true, username: name, role: operator.role };
    await this.failures.insertOne({ _id: randomUUID(), username: name, at: this.clock(), ip });
    const failed = recent + 1;
    return { ok: false, reason: failed >= this.lockout.maxFailedLogins ? 'locked' : 'invalid' };
  }

  async role(username: string): Promise<Role | null> {
    return (await this.operators.findOne({ _id: username }))?.role ?? null;
  }
}
