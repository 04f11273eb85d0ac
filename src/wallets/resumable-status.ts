// What a batch or a wallet operation shows while nobody here runs it. RUNNING with no local runner and no
// claim holder means its runner stopped: PAUSED (resumable). But the document may have been read just
// before its runner finished — a runner writes its final status first and lets go after — so it is read
// again before PAUSED is said; a finished one shows its final status.
type Status = 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED';

export async function presentedDoc<D extends { status: Status }>(
  doc: D,
  runner: { runningHere: boolean; hasClaimHolder: () => Promise<boolean>; reread: () => Promise<D | null> },
): Promise<D> {
  if (doc.status !== 'RUNNING' || runner.runningHere || (await runner.hasClaimHolder())) return doc;
  const fresh = (await runner.reread()) ?? doc;
  return fresh.status === 'RUNNING' ? { ...fresh, status: 'PAUSED' } : fresh;
}
