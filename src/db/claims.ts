// Mutual exclusion that holds on FerretDB 1.24. Its conditional updates are NOT atomic: findOneAndUpdate
// and updateOne read, then write the whole document back, so concurrent callers can all "win" a
// compare-and-set and concurrent $set/$inc lose each other's writes (measured: 8 concurrent
// findOneAndUpdate({owner: null}) had several winners in 27 of 30 rounds; 40 concurrent $inc gave 5).
// What IS atomic is an insert against a unique index. So a claim is a document
// {_id: "<name>#<generation>"}: the holder is whoever inserted the highest generation while the one
// below it was released or expired. Two contenders for the same generation collide on _id; only the
// holder ever writes its own claim document (renew/release). Claims expire (lease), so a crashed holder
// never blocks anyone for longer than its lease.
//
// Every read and write goes by _id alone: FerretDB 1.24 pushes only `{_id: <value>}` down to SQLite;
// any other filter (`{name}` sorted, `{_id, owner}`) scans the collection in Go, and it grows by one
// document per job (measured: 40 ms a lookup at 1,000 claims, 180 ms at 5,000). Generations are
// contiguous from 1 — each insert is at latest + 1 and claim documents are never deleted — so the latest
// is found by probing _ids, and an _id names one (owner, generation) for good. Never delete claim
// documents: a holder stalled past its lease learns that it lost only from the next generation's
// document (renew), and a deleted generation could be inserted again by someone else.
import { MongoBulkWriteError, MongoServerError, type Collection, type Db } from 'mongodb';
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
    // Most names are claimed once (a new signing job): try generation 1 before looking anything up.
    const first = await this.insert(name, 1, owner, ttlMs);
    if (first !== 'taken') return first;
    return this.acquireLater(name, owner, ttlMs);
  }

  /**
   * Generation 1 of many names in one unordered insertMany (each insert against its unique _id stays atomic
   * on its own): per name, in order, the new claim, or 'seen' when the name was claimed before (take it
   * with acquireLater). A name's first claim is also the cheapest test of whether it was ever seen.
   */
  async insertFirst(names: readonly string[], owner: string, ttlMs: number): Promise<(Claim | 'seen')[]> {
    if (names.length === 0) return [];
    const now = this.clock();
    const until = new Date(now.getTime() + ttlMs);
    const docs = names.map((name) => ({
      _id: claimId(name, 1),
      name,
      generation: 1,
      owner,
      until,
      createdAt: now,
    }));
    const taken = new Set<number>();
    try {
      await this.claims.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      for (const w of [error.writeErrors].flat()) {
        if (w.code !== DUPLICATE_KEY) throw error;
        taken.add(w.index);
      }
    }
    return names.map((name, index) => (taken.has(index) ? 'seen' : { name, generation: 1, owner, until }));
  }

  /** The next generation of a name claimed before, unless its latest claim is live. */
  async acquireLater(name: string, owner: string, ttlMs: number): Promise<Claim | null> {
    const latest = await this.latest(name);
    if (latest && latest.until > this.clock()) return null;
    const next = await this.insert(name, (latest?.generation ?? 0) + 1, owner, ttlMs);
    return next === 'taken' ? null : next;
  }

  /** Extends the claim; false when it was lost (expired and taken by someone else). */
  async renew(claim: Claim, ttlMs: number): Promise<boolean> {
    // Taken over exactly when the next generation exists (generations are contiguous, never deleted).
    if (await this.claims.findOne({ _id: claimId(claim.name, claim.generation + 1) })) return false;
    const until = new Date(this.clock().getTime() + ttlMs);
    const result = await this.claims.updateOne(
      { _id: claimId(claim.name, claim.generation) },
      { $set: { until } },
    );
    if (result.matchedCount === 0) return false;
    // Only once it is written: renewIfDue trusts this as the expiry everyone else sees.
    claim.until = until;
    return true;
  }

  /**
   * renew, but without a database round trip while more than half the lease remains. `claim.until` is
   * the expiry this holder itself last wrote, and nobody takes a name before its expiry has passed, so
   * until then the claim is certainly still ours (given runners' clocks agree to within half a lease).
   * Renewing at half-lease keeps a long job's lease from lapsing, as renewing before every write did.
   */
  renewIfDue(claim: Claim, ttlMs: number): Promise<boolean> {
    if (claim.until.getTime() - this.clock().getTime() > ttlMs / 2) return Promise.resolve(true);
    return this.renew(claim, ttlMs);
  }

  /** By _id alone: only this claim's holder ever inserted that _id (no owner filter needed). */
  async release(claim: Claim): Promise<void> {
    await this.claims.updateOne(
      { _id: claimId(claim.name, claim.generation) },
      { $set: { until: RELEASED } },
    );
  }

  /**
   * release for many claims, in one command with one statement (an updateMany, not one updateOne per claim:
   * FerretDB over PostgreSQL holds a connection per statement, see MAX_WRITES_PER_BATCH in tatum/jobs.ts).
   */
  async releaseMany(claims: readonly Claim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.claims.updateMany(
      { _id: { $in: claims.map((claim) => claimId(claim.name, claim.generation)) } },
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

  /** Inserts generation `generation` of `name`; 'taken' when that generation already exists. */
  private async insert(
    name: string,
    generation: number,
    owner: string,
    ttlMs: number,
  ): Promise<Claim | 'taken'> {
    const now = this.clock();
    const until = new Date(now.getTime() + ttlMs);
    try {
      await this.claims.insertOne({
        _id: claimId(name, generation),
        name,
        generation,
        owner,
        until,
        createdAt: now,
      });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return 'taken';
      throw error;
    }
    return { name, generation, owner, until };
  }

  private byId(name: string, generation: number): Promise<ClaimDoc | null> {
    return this.claims.findOne({ _id: claimId(name, generation) });
  }

  /**
   * The highest generation of `name`, by _id lookups only: doubling until a generation is missing, then
   * bisecting — 1 lookup for a new name, 2 for a name claimed once, O(log n) after n claims. Generations
   * inserted meanwhile can make the answer stale; acquire's insert then collides and reports the name taken.
   */
  private async latest(name: string): Promise<ClaimDoc | null> {
    let found: ClaimDoc | null = null;
    let missing = 1;
    for (let doc = await this.byId(name, missing); doc; doc = await this.byId(name, missing)) {
      found = doc;
      missing *= 2;
    }
    let present = found?.generation ?? 0;
    while (missing - present > 1) {
      const middle = Math.floor((present + missing) / 2);
      const doc = await this.byId(name, middle);
      if (doc) [found, present] = [doc, middle];
      else missing = middle;
    }
    return found;
  }
}

function claimId(name: string, generation: number): string {
  return `${name}#${generation}`;
}
