// Operators' second sign-in step, kept on their operator document: `twoStep` once enrolled (the sealed seed
// and the last time step accepted), `twoStepPending` while an enrolment waits for its first code. A step is
// accepted at most once per operator: it must be above the last one accepted, and it is claimed by inserting
// `<operator>:<step>` into `approval_two_step_codes` — an insert against the unique _id is the one operation
// FerretDB 1.24 makes atomic (src/db/claims.ts), so two sign-ins racing with the same code cannot both pass.
import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '../../wallets/errors.js';
import { APPROVAL_OPERATORS, type OperatorDoc } from '../operators.js';
import { codeStep, newSeed, seedUri } from './codes.js';
import { openSeed, sealSeed, type SealKey } from './seed-seal.js';

export const APPROVAL_TWO_STEP_CODES = 'approval_two_step_codes';

export interface EnrolledTwoStep {
  sealed: string;
  lastStep: number;
  enabledAt: Date;
}

export interface PendingTwoStep {
  sealed: string;
  createdAt: Date;
}

export interface Enrolment {
  seed: string;
  uri: string;
}

export class TwoStepStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly key: SealKey,
  ) {}

  private get operators(): Collection<OperatorDoc> {
    return this.db.collection<OperatorDoc>(APPROVAL_OPERATORS);
  }

  /** When the operator enrolled; null when they have not. */
  async enabledAt(username: string): Promise<Date | null> {
    const operator = await this.operators.findOne({ _id: username }, { projection: { twoStep: 1 } });
    return operator?.twoStep?.enabledAt ?? null;
  }

  /** A new seed waiting for its first code (replacing an earlier one); null once enrolled. */
  async begin(username: string): Promise<Enrolment | null> {
    const seed = newSeed();
    const pending: PendingTwoStep = { sealed: sealSeed(this.key, seed, username), createdAt: this.clock() };
    const result = await this.operators.updateOne(
      { _id: username, twoStep: { $exists: false } },
      { $set: { twoStepPending: pending } },
    );
    return result.matchedCount === 1 ? { seed, uri: seedUri(seed, username) } : null;
  }

  /** The enrolment started earlier, to show again (e.g. after a mistyped code). */
  async pending(username: string): Promise<Enrolment | null> {
    const operator = await this.operators.findOne({ _id: username, twoStep: { $exists: false } });
    const seed = operator?.twoStepPending
      ? openSeed(this.key, operator.twoStepPending.sealed, username)
      : null;
    return seed ? { seed, uri: seedUri(seed, username) } : null;
  }

  /** The first code proves the app holds the seed: the operator is enrolled from now on. */
  async confirm(username: string, code: string): Promise<boolean> {
    const operator = await this.operators.findOne({ _id: username, twoStep: { $exists: false } });
    const pending = operator?.twoStepPending;
    const seed = pending ? openSeed(this.key, pending.sealed, username) : null;
    const step = seed ? codeStep(seed, code, this.clock()) : null;
    if (!pending || step === null || !(await this.claimStep(username, step))) return false;
    const enrolled: EnrolledTwoStep = { sealed: pending.sealed, lastStep: step, enabledAt: this.clock() };
    const result = await this.operators.updateOne(
      { _id: username, 'twoStepPending.sealed': pending.sealed, twoStep: { $exists: false } },
      { $set: { twoStep: enrolled }, $unset: { twoStepPending: '' } },
    );
    return result.modifiedCount === 1;
  }

  /** The operator's code for now, not used before; a seed that no longer opens (key rotated) never passes. */
  async verify(operator: Pick<OperatorDoc, '_id' | 'twoStep'>, code: string): Promise<boolean> {
    if (!operator.twoStep) return false;
    const seed = openSeed(this.key, operator.twoStep.sealed, operator._id);
    const step = seed ? codeStep(seed, code, this.clock()) : null;
    if (step === null || step <= operator.twoStep.lastStep || !(await this.claimStep(operator._id, step)))
      return false;
    await this.operators.updateOne(
      { _id: operator._id, 'twoStep.sealed': operator.twoStep.sealed, 'twoStep.lastStep': { $lt: step } },
      { $set: { 'twoStep.lastStep': step } },
    );
    return true;
  }

  /** True for the first caller with this (operator, step); every later one is a replay. */
  private async claimStep(username: string, step: number): Promise<boolean> {
    try {
      await this.db
        .collection<{ _id: string; at: Date }>(APPROVAL_TWO_STEP_CODES)
        .insertOne({ _id: `${username}:${step}`, at: this.clock() });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** An admin's reset (lost phone, rotated FOUR_EYE_SECRET): the operator enrols again. */
  reset(username: string): Promise<boolean> {
    return resetTwoStep(this.db, username);
  }
}

/** The reset on the database alone: `approvals reset-two-step` needs no FOUR_EYE_SECRET (the last admin's lost phone). */
export async function resetTwoStep(db: Db, username: string): Promise<boolean> {
  const result = await db
    .collection<OperatorDoc>(APPROVAL_OPERATORS)
    .updateOne({ _id: username }, { $unset: { twoStep: '', twoStepPending: '' } });
  return result.matchedCount === 1;
}
