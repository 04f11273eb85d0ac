// Operators of the console: username, scrypt password hash, role. Sign-in refuses an operator with
// `maxFailedLogins` failures inside the lock-out window, before even checking the password. Failures are
// separate inserted documents, counted — not a counter updated in place: FerretDB 1.24 loses concurrent
// $inc updates (src/db/claims.ts), and a password-guessing burst is exactly a concurrent one.
import { randomUUID } from 'node:crypto';
import { MongoServerError, type Db } from 'mongodb';
import { DUMMY_HASH, hashPassword, isBelowCurrentCost, verifyPassword } from './passwords.js';
import type { EnrolledTwoStep, PendingTwoStep, TwoStepStore } from './two-step/store.js';

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
  /** A disabled operator cannot sign in, and their open sessions stop working at once. */
  disabled?: boolean;
  /** Set with a one-time password from the admin page: the operator must choose their own first. */
  mustChangePassword?: boolean;
  /** Enrolled second sign-in step (two-step/store.ts). */
  twoStep?: EnrolledTwoStep;
  twoStepPending?: PendingTwoStep;
}

/** An operator as the admin page lists them. */
export interface OperatorView {
  username: string;
  role: Role;
  createdAt: Date;
  disabled: boolean;
  mustChangePassword: boolean;
  twoStep: boolean;
  /** Locked out now: maxFailedLogins failures inside the window. */
  locked: boolean;
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
    /** Checks enrolled operators' one-time codes; without it they cannot sign in here. */
    private readonly twoStep: TwoStepStore | null = null,
  ) {}

  private get operators() {
    return this.db.collection<OperatorDoc>(APPROVAL_OPERATORS);
  }

  private get failures() {
    return this.db.collection<LoginFailureDoc>(APPROVAL_LOGIN_FAILURES);
  }

  async create(
    username: string,
    password: string,
    role: Role,
    options: { mustChangePassword?: boolean } = {},
  ): Promise<void> {
    const name = normalizeUsername(username);
    if (!USERNAME.test(name)) {
      throw new Error('username: 2–63 characters, lower-case letters, digits, ".", "_" or "-"');
    }
    const passwordHash = await hashPassword(password);
    try {
      await this.operators.insertOne({
        _id: name,
        passwordHash,
        role,
        createdAt: this.clock(),
        ...(options.mustChangePassword ? { mustChangePassword: true } : {}),
      });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
        throw new Error(`username: operator ${name} already exists`);
      }
      throw error;
    }
  }

  /** `code`: the one-time code, required once the operator enrolled a second step (counts as a failure if wrong). */
  async signIn(username: string, password: string, ip: string, code = ''): Promise<SignInResult> {
    const name = normalizeUsername(username);
    const since = new Date(this.clock().getTime() - this.lockout.windowMs);
    const recent = await this.failures.countDocuments({ username: name, at: { $gte: since } });
    if (recent >= this.lockout.maxFailedLogins) return { ok: false, reason: 'locked' };
    const operator = await this.operators.findOne({ _id: name });
    const valid = await verifyPassword(password, operator?.passwordHash ?? DUMMY_HASH);
    // A disabled operator's right password still fails (and counts) like a wrong one: nothing to probe.
    // The code is checked (and its step used up) only after the right password: a guess cannot burn it.
    const passed = valid && (await this.secondStepPassed(operator, code));
    if (operator && passed && operator.disabled !== true) {
      if (isBelowCurrentCost(operator.passwordHash))
        await this.upgradeHash(name, operator.passwordHash, password);
      return { ok: true, username: name, role: operator.role };
    }
    await this.failures.insertOne({ _id: randomUUID(), username: name, at: this.clock(), ip });
    const failed = recent + 1;
    return { ok: false, reason: failed >= this.lockout.maxFailedLogins ? 'locked' : 'invalid' };
  }

  private async secondStepPassed(operator: OperatorDoc | null, code: string): Promise<boolean> {
    if (!operator?.twoStep) return true;
    return this.twoStep !== null && this.twoStep.verify(operator, code);
  }

  /** Re-hashes at the current cost; conditional on the old hash, so a password changed meanwhile is kept. */
  private async upgradeHash(username: string, oldHash: string, password: string): Promise<void> {
    await this.operators.updateOne(
      { _id: username, passwordHash: oldHash },
      { $set: { passwordHash: await hashPassword(password) } },
    );
  }

  /** The operator's role, or null when unknown or disabled (their sessions then count as signed out). */
  async role(username: string): Promise<Role | null> {
    const operator = await this.operators.findOne({ _id: username });
    return operator && operator.disabled !== true ? operator.role : null;
  }

  async mustChangePassword(username: string): Promise<boolean> {
    return (await this.operators.findOne({ _id: username }))?.mustChangePassword === true;
  }

  async list(): Promise<OperatorView[]> {
    const since = new Date(this.clock().getTime() - this.lockout.windowMs);
    const operators = await this.operators.find({}).sort({ _id: 1 }).toArray();
    return Promise.all(
      operators.map(async (o) => ({
        username: o._id,
        role: o.role,
        createdAt: o.createdAt,
        disabled: o.disabled === true,
        mustChangePassword: o.mustChangePassword === true,
        twoStep: o.twoStep !== undefined,
        locked:
          (await this.failures.countDocuments({ username: o._id, at: { $gte: since } })) >=
          this.lockout.maxFailedLogins,
      })),
    );
  }

  /** false when there is no such operator. */
  async update(username: string, change: Partial<Pick<OperatorDoc, 'role' | 'disabled'>>): Promise<boolean> {
    const result = await this.operators.updateOne({ _id: username }, { $set: change });
    return result.matchedCount === 1;
  }

  /** Ends a lock-out before its window does: the operator's recorded failures are removed. */
  async unlock(username: string): Promise<number> {
    return (await this.failures.deleteMany({ username })).deletedCount;
  }

  /** A new password; `oneTime` makes the operator choose their own at the next sign-in. */
  async setPassword(username: string, password: string, oneTime: boolean): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    const result = await this.operators.updateOne(
      { _id: username },
      { $set: { passwordHash, mustChangePassword: oneTime } },
    );
    return result.matchedCount === 1;
  }

  async checkPassword(username: string, password: string): Promise<boolean> {
    const operator = await this.operators.findOne({ _id: username });
    return verifyPassword(password, operator?.passwordHash ?? DUMMY_HASH);
  }
}
