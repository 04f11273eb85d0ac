// The decision the loop gets, from the votes on one content of one pending transaction: any rejection
// refuses; otherwise `quorum` distinct operators with an unexpired approval approve; otherwise it waits.
export type Decision = 'approved' | 'rejected' | 'awaiting';

export interface Vote {
  operator: string;
  decision: 'approve' | 'reject';
  at: Date;
}

export interface QuorumState {
  decision: Decision;
  /** Operators whose approval counts now. */
  approvedBy: string[];
  rejectedBy: string[];
  /** Operators whose approval ran out. */
  expired: string[];
  quorum: number;
}

export function decide(votes: readonly Vote[], quorum: number, ttlMs: number, now: Date): QuorumState {
  const approvedBy = new Set<string>();
  const rejectedBy = new Set<string>();
  const expired = new Set<string>();
  for (const vote of votes) {
    if (vote.decision === 'reject') rejectedBy.add(vote.operator);
    else if (now.getTime() - vote.at.getTime() < ttlMs) approvedBy.add(vote.operator);
    else expired.add(vote.operator);
  }
  const decision = rejectedBy.size > 0 ? 'rejected' : approvedBy.size >= quorum ? 'approved' : 'awaiting';
  return {
    decision,
    approvedBy: [...approvedBy],
    rejectedBy: [...rejectedBy],
    expired: [...expired].filter((o) => !approvedBy.has(o)),
    quorum,
  };
}
