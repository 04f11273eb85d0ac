// Sending a pass's failure reports (POST /v3/tatum/kms/batch, tatum-protocol.md §2.6) so that one entry
// Tatum refuses cannot hold back the others. Tatum answers a whole batch with a 4xx when one of its ids is
// wrong — 403 `kms.missing` for an id it does not know or has completed (the §2.3 error shape) — and a
// FAILED job stays `unreported` until a report naming it is accepted (failure-reports.ts): sent as the same
// batch every pass, that one id would block every report for good.
//
// The reference daemon never retries: tatum-kms src/signatures.ts (processPendingTransactions) posts the
// pass's errors in one call and on any failure only logs `Error received from API /v3/tatum/kms/batch`,
// so a refused batch is lost with every report in it. Here, after Tatum refused the batch, each entry is
// sent alone (at most MAX_SINGLE_REPORTS_PER_PASS calls): accepted alone → reported; refused alone → the
// entry is at fault and is dropped (the caller records the refusal); a temporary answer (5xx, 429,
// network, timeout, 401/402/407/408: nothing about the entries) keeps every entry not yet accepted for
// the next pass.
import { isTatumRefusal, type TatumApiError } from './errors.js';
import type { FailureReport } from './failure-reports.js';

/** Single calls after a refused batch, per pass; the entries not tried wait for the next pass. */
export const MAX_SINGLE_REPORTS_PER_PASS = 100;

export interface RefusedReport {
  report: FailureReport;
  /** Tatum's answer to the entry sent alone. */
  refusal: TatumApiError;
}

export interface ReportsSent {
  accepted: FailureReport[];
  refused: RefusedReport[];
  /** Neither accepted nor refused: sent again next pass. */
  kept: FailureReport[];
  /** The temporary answer that kept them. */
  temporary?: unknown;
}

/** Sends `reports` as one batch, entry by entry after Tatum refused the batch; never throws. */
export async function sendFailureReports(
  send: (batch: readonly FailureReport[]) => Promise<void>,
  reports: readonly FailureReport[],
  maxSingleCalls = MAX_SINGLE_REPORTS_PER_PASS,
): Promise<ReportsSent> {
  const sent: ReportsSent = { accepted: [], refused: [], kept: [] };
  if (reports.length === 0) return sent;
  try {
    await send(reports);
    sent.accepted.push(...reports);
    return sent;
  } catch (error) {
    if (!isTatumRefusal(error)) return { ...sent, kept: [...reports], temporary: error };
    const [only] = reports;
    if (reports.length === 1 && only) return { ...sent, refused: [{ report: only, refusal: error }] };
  }
  for (const [n, report] of reports.entries()) {
    if (n >= maxSingleCalls) {
      sent.kept.push(...reports.slice(n));
      break;
    }
    try {
      await send([report]);
      sent.accepted.push(report);
    } catch (error) {
      if (isTatumRefusal(error)) {
        sent.refused.push({ report, refusal: error });
        continue;
      }
      sent.kept.push(...reports.slice(n));
      sent.temporary = error;
      break;
    }
  }
  return sent;
}
