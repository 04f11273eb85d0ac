// Mutual exclusion that holds on FerretDB 1.24. Its conditional updates are NOT atomic: findOneAndUpdate
// and updateOne read, then write the whole document back, so concurrent callers can all "win" a
// compare-and-set and concurrent $set/$inc lose each other's writes (measured: 8 concurrent
// findOneAndUpdate({owner: null}) had several winners in 27 of 30 rounds; 40 concurrent $inc gave 5).
// What IS atomic is an insert against a unique index. So a claim is a document
// {_id: "<name>#<generation>"}: the holder is whoever inserted the highest generation while the one
// below it was released or expired. Two contenders for the same generation collide on _id; only the
// holder ever writes its own claim document (renew/release). Claims expire (lease), so a crashed holder
// never blocks anyone for longer than its lease.
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { COLLECTIONS } from './documents.js';

export interface ClaimDoc {
  _id: string;
  name: string;
  generation: number;
  owner: string;
  until: Date;
  createdAt: Date;
}

export interface Claim {
  name: string;
  generation: number;
  owner: string;
  until: Date;
}

const DUPLICATE_KEY = 11000;
const RELEASED = new Date(0);

export class ClaimStore {
  private readonly claims: Collection<ClaimDoc>;

  constructor(
    db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.claims = db.collection<ClaimDoc>(COLLECTIONS.claims);
  }

  /** The latest claim of `name` if it is live (not released, not expired). */
  async holder(name: string): Promise<ClaimDoc | null> {
    const latest = await this.latest(name);
    return latest && latest.until > this.clock() ? latest : null;
  }

  /** Takes `name` for `ttlMs`; null when someone else holds it. */
  async acquire(name: string, owner: string, ttlMs: number): Promise<Claim | null> {
    const latest = await this.latest(name);
    const now = this.clock();
    if (latest && latest.until > now) return null;
    const generation = (latest?.generation ?? 0) + 1;
    const until = new Date(now.getTime() + ttlMs);
    try {
      await this.claims.insertOne({
        _id: `${name}#${generation}`,
        name,
        generation,
        owner,
        until,
        createdAt: now,
      });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return null;
      throw error;
    }
    return { name, generation, owner, until };
  }

  /** Extends the claim; false when it was lost (expired and taken by someone else). */
  async renew(claim: Claim, ttlMs: number): Promise<boolean> {
    const latest = await this.latest(claim.name);
    if (latest?.generation !== claim.generation || latest.owner !== claim.owner) return false;
    claim.until = new Date(this.clock().getTime() + ttlMs);
    await this.claims.updateOne(
      { _id: `${claim.name}#${claim.generation}` },
      { $set: { until: claim.until } },
    );
    return true;
  }

  async release(claim: Claim): Promise<void> {
    await this.claims.updateOne(
      { _id: `${claim.name}#${claim.generation}`, owner: claim.owner },
      { $set: { until: RELEASED } },
    );
  }

  /** Runs `work` holding `name`; returns undefined (without running it) when the name is taken. */
  async with<T>(
    name: string,
    owner: string,
    ttlMs: number,
    work: (claim: Claim) => Promise<T>,
  ): Promise<{ value: T } | undefined> {
    const claim = await this.acquire(name, owner, ttlMs);
    if (!claim) return undefined;
    try {
      return { value: await work(claim) };
    } finally {
      await this.release(claim);
    }
  }

  private latest(name: string): Promise<ClaimDoc | null> {
    return this.claims.find({ name }).sort({ generation: -1 }).limit(1).next();
  }
}
